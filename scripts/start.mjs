// `npm start`: build, then open the desktop app when Electron's binary is present; otherwise
// try to fetch it once, and run web mode (engine in a Node worker, renderer on 127.0.0.1).
// `npm run serve` (--web) goes straight to web mode. Extra arguments go to the web server.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { electronBinaryPath, electronVersion, fetchElectron, lastFetchAttempt } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const serverArgs = args.filter((arg) => arg !== '--web');

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function runWeb(extra) {
  run(process.execPath, ['dist/web/serve.mjs', ...extra, ...serverArgs]);
}

async function desktopBinary() {
  const present = electronBinaryPath();
  if (present) return present;
  const previous = lastFetchAttempt();
  if (previous && !previous.ok) {
    console.log(`Electron ${electronVersion} binary is absent; fetching it failed on ${new Date(previous.tsMs).toISOString()} (${previous.message}).`);
    console.log('Retry with `npm run fetch-electron`.');
    return undefined;
  }
  console.log(`Electron ${electronVersion} binary is absent; trying to fetch it once…`);
  const result = await fetchElectron();
  console.log(result.ok ? result.message : `Could not fetch the Electron binary (it comes from Electron's own release downloads, not the npm registry): ${result.message}`);
  return result.ok ? electronBinaryPath() : undefined;
}

const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const binary = webOnly ? undefined : await desktopBinary();
if (webOnly) {
  runWeb([]);
} else if (binary && !headlessLinux) {
  run(binary, ['.']);
} else {
  console.log(binary ? 'No display for the desktop app: starting web mode instead.' : 'Starting web mode instead.');
  runWeb(['--open']);
}
