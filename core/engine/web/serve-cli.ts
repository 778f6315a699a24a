import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Currency } from '../../sim/instruments/types.ts';
import type { DeribitVenueConfig } from '../venue-config.ts';
import { startWorkstationEngine } from '../workstation-engine.ts';
import { findChromium } from './find-browser.ts';
import { startWebServer } from './web-server.ts';

/**
 * Web mode: the engine in a Node worker and the renderer on 127.0.0.1. Built to dist/web/serve.mjs
 * next to dist/engine/worker.mjs and dist/renderer/.
 */
const USAGE = `usage: npm run serve -- [--port N] [--host ADDR --allow-remote --token T] [--open] [--no-sim | --sim-seed N --sim-speed X --sim-currencies BTC,ETH]
  --port N              port to listen on (default: a free one)
  --host ADDR           address to bind (default 127.0.0.1; non-loopback needs --allow-remote and --token)
  --allow-remote        permit a non-loopback --host
  --token T             link token (required with --allow-remote, at least 32 characters)
  --open                open the workstation in Chromium's app mode when a Chromium is installed
  --no-sim              run the engine with no venue (no embedded simulator)
  --sim-seed N          seed of the embedded simulator's market (default 42)
  --sim-speed X         simulated seconds per wall second (default 1)
  --sim-currencies L    BTC, ETH or both (default BTC,ETH)
  --venue-url URL       connect to this Deribit API v2 endpoint instead of the simulator
                        (e.g. wss://test.deribit.com/ws/api/v2); keys from the environment
                        variables DERIBIT_CLIENT_ID and DERIBIT_CLIENT_SECRET (never logged)
  --venue-currencies L  currencies to trade at --venue-url (default BTC)
  --venue-mass-quotes   the account at --venue-url is granted Deribit's mass quotes
                        (private/mass_quote): strategies quote level 0 with them
  --data-dir DIR        where the engine keeps its journal (default ~/.options-workstation)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        token: { type: 'string' },
        open: { type: 'boolean' },
        'no-sim': { type: 'boolean' },
        'sim-seed': { type: 'string' },
        'sim-speed': { type: 'string' },
        'sim-currencies': { type: 'string' },
        'venue-url': { type: 'string' },
        'venue-currencies': { type: 'string' },
        'venue-mass-quotes': { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got ${values.port}\n${USAGE}`);
    process.exit(2);
  }

  const simSeed = Number(values['sim-seed'] ?? 42);
  const simSpeed = Number(values['sim-speed'] ?? 1);
  const simCurrencies = (values['sim-currencies'] ?? 'BTC,ETH').split(',').map((c) => c.trim().toUpperCase());
  if (!Number.isInteger(simSeed) || !(simSpeed > 0 && simSpeed <= 1000) || simCurrencies.some((c) => c !== 'BTC' && c !== 'ETH')) {
    console.error(`invalid simulator options\n${USAGE}`);
    process.exit(2);
  }

  const venue = configuredVenue(values['venue-url'], values['venue-currencies'], values['no-sim'] ?? false, values['venue-mass-quotes'] ?? false);

  const here = fileURLToPath(new URL('.', import.meta.url));
  let workstation;
  try {
    workstation = await startWorkstationEngine({
      engineWorkerUrl: new URL('../engine/worker.mjs', import.meta.url),
      simWorkerUrl: new URL('../sim/worker.mjs', import.meta.url),
      venue,
      dataDir: values['data-dir'] ?? join(homedir(), '.options-workstation'),
      simulator: { seed: simSeed, speed: simSpeed, currencies: simCurrencies as Currency[] },
      onRunState: (health) => console.log(`engine ${health.runState}${health.reason ? `: ${health.reason}` : ''}`),
    });
  } catch (error) {
    console.error(`cannot start the engine: ${(error as Error).message}`);
    process.exit(1);
  }
  const engineHost = workstation.host;
  if (workstation.simulator) {
    console.log(`Embedded simulator (seed ${simSeed}, ${simSpeed}x, ${workstation.simulator.instruments} instruments) at ${workstation.simulator.venue.url}`);
  }
  let server;
  try {
    server = await startWebServer({
      engineHost,
      staticDir: join(here, '..', 'renderer'),
      ...(values.host !== undefined && { host: values.host }),
      port,
      allowRemote: values['allow-remote'] ?? false,
      ...(values.token !== undefined && { token: values.token }),
    });
  } catch (error) {
    await workstation.stop();
    console.error(`cannot start web mode: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`Options Workstation (web mode) at ${server.url}`);
  console.log('The token in that address is this run’s key to the engine: share it with no one.');

  if (values.open) openInBrowser(server.url);

  const shutdown = (): void => {
    void Promise.all([server.close(), workstation.stop()]).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** A real venue from the command line and the environment; the simulator otherwise. */
function configuredVenue(url: string | undefined, currencies: string | undefined, noSim: boolean, massQuote: boolean): DeribitVenueConfig | 'simulator' | 'none' {
  if (url === undefined) {
    if (massQuote) {
      console.error(`--venue-mass-quotes needs --venue-url (the simulator grants mass quotes by itself)\n${USAGE}`);
      process.exit(2);
    }
    return noSim ? 'none' : 'simulator';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    console.error(`--venue-url: not a URL: ${url}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.protocol !== 'wss:' && parsed.protocol !== 'ws:') {
    console.error(`--venue-url must be a ws:// or wss:// address, got ${parsed.protocol}`);
    process.exit(2);
  }
  const clientId = process.env.DERIBIT_CLIENT_ID;
  const clientSecret = process.env.DERIBIT_CLIENT_SECRET;
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    console.error('set both DERIBIT_CLIENT_ID and DERIBIT_CLIENT_SECRET, or neither (market data only)');
    process.exit(2);
  }
  return {
    kind: 'deribit',
    venueId: 'deribit',
    displayName: `Deribit (${parsed.host})`,
    url,
    ...(clientId !== undefined && clientSecret !== undefined && { credentials: { clientId, clientSecret } }),
    currencies: (currencies ?? 'BTC').split(',').map((c) => c.trim().toUpperCase()),
    ...(massQuote && { massQuote: true }),
  };
}

function openInBrowser(url: string): void {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('No display: open the address above in a browser.');
    return;
  }
  const browser = findChromium();
  if (!browser) {
    console.log('No Chromium found on PATH: open the address above in a browser.');
    return;
  }
  const profileDir = join(homedir(), '.config', 'options-workstation', 'browser-profile');
  mkdirSync(profileDir, { recursive: true });
  const child = spawn(browser, [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run'], { detached: true, stdio: 'ignore' });
  child.on('error', (error) => console.log(`Could not open ${browser}: ${error.message}`));
  child.unref();
  console.log(`Opened in ${browser} (app mode).`);
}

void main();
