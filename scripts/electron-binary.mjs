// Finds Electron's binary and, when it is missing, fetches it: Electron downloads its binary
// separately from the npm package, which a machine that reaches only the npm registry cannot do.
// The outcome of each attempt is recorded so `npm start` tries once, not on every start.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const recordPath = join(root, '.cache', 'electron-fetch.json');
const FETCH_TIMEOUT_MS = 180_000;

export { electronVersion };

/** The Electron executable, or undefined when the binary has not been downloaded. */
export function electronBinaryPath() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

export function lastFetchAttempt() {
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    return record.version === electronVersion ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Runs Electron's own installer once; resolves to { ok, message } and records it. */
export function fetchElectron() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), FETCH_TIMEOUT_MS);
    const finish = (ok, message) => {
      clearTimeout(timer);
      mkdirSync(dirname(recordPath), { recursive: true });
      writeFileSync(recordPath, JSON.stringify({ version: electronVersion, ok, message, tsMs: Date.now() }, null, 2));
      resolve({ ok, message });
    };
    child.on('error', (error) => finish(false, error.message));
    child.on('close', (code, signal) => {
      if (code === 0 && electronBinaryPath()) return finish(true, `Electron ${electronVersion} binary installed`);
      const lines = output.trim().split('\n').filter(Boolean);
      const why = signal ? `timed out after ${FETCH_TIMEOUT_MS / 1000} s` : (lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? `installer exited with ${code}`);
      finish(false, why.trim());
    });
  });
}
