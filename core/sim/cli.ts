import { parseArgs } from 'node:util';
import { isLoopback } from './admin/endpoint.ts';
import type { Currency } from './instruments/types.ts';
import { DEFAULT_CREDENTIALS, scaledClock, SimVenue } from './venue.ts';

/**
 * `npm run sim -- --port 8123 --seed 42 [--speed 10] [--client-id ID --client-secret SECRET]`:
 * the embedded exchange on its own, for third-party Deribit clients and manual testing. Its admin
 * endpoint (fault injection, core/sim/admin/endpoint.ts) answers loopback clients that send the
 * printed token in the x-sim-admin-token header.
 */
const USAGE = `usage: npm run sim -- [--port N] [--seed N] [--speed X] [--currencies BTC,ETH] [--client-id ID --client-secret SECRET] [--host ADDR]
  --port N            port for ws://HOST:N/ws/api/v2 and http://HOST:N/api/v2/ (default 8123; 0 picks one)
  --seed N            market seed: the same seed and requests give the same market (default 42)
  --speed X           simulated seconds per wall second (default 1)
  --currencies LIST   BTC, ETH or both (default BTC,ETH)
  --client-id ID      API key of the trading account (default ${DEFAULT_CREDENTIALS.clientId})
  --client-secret S   its secret (default ${DEFAULT_CREDENTIALS.clientSecret})
  --host ADDR         address to bind (default 127.0.0.1)
  --admin-token T     token for the admin endpoint http://HOST:N/admin/ (default: random, printed)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function numberArg(value: string | undefined, name: string, fallback: number, valid: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || !valid(parsed)) fail(`--${name}: invalid value ${value}`);
  return parsed;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      currencies: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      host: { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = numberArg(values.port, 'port', 8123, (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
const seed = numberArg(values.seed, 'seed', 42, Number.isInteger);
const speed = numberArg(values.speed, 'speed', 1, (n) => n > 0 && n <= 1000);
const currencies = (values.currencies ?? 'BTC,ETH').split(',').map((c) => c.trim().toUpperCase());
if (currencies.length === 0 || currencies.some((c) => c !== 'BTC' && c !== 'ETH')) fail(`--currencies: expected BTC and/or ETH, got ${values.currencies}`);
if ((values['client-id'] === undefined) !== (values['client-secret'] === undefined)) fail('--client-id and --client-secret go together');
const credentials = { clientId: values['client-id'] ?? DEFAULT_CREDENTIALS.clientId, clientSecret: values['client-secret'] ?? DEFAULT_CREDENTIALS.clientSecret, accountId: 'trader' };
const host = values.host ?? '127.0.0.1';
const adminToken = values['admin-token'];
if (adminToken !== undefined && !/^[\x21-\x7e]{8,256}$/.test(adminToken)) fail('--admin-token: 8 to 256 printable characters without spaces');

const clock = scaledClock(Date.now(), speed, () => Date.now());
const venue = new SimVenue({ seed, clock, currencies: currencies as Currency[], credentials: [credentials], ...(adminToken !== undefined && { adminToken }) });
try {
  const boundPort = await venue.listen(port, host);
  venue.run();
  console.log(`Deribit-compatible simulator: ws://${host}:${boundPort}/ws/api/v2 and http://${host}:${boundPort}/api/v2/`);
  console.log(`seed ${seed}, speed ${speed}x, ${venue.instruments.length} instruments (${currencies.join(', ')}); client_id ${credentials.clientId}`);
  const adminHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : isLoopback(host) ? (host.includes(':') ? `[${host}]` : host) : undefined;
  if (adminHost) console.log(`admin (loopback clients only): POST http://${adminHost}:${boundPort}/admin/fault, GET …/admin/sessions, GET …/admin/faults with header x-sim-admin-token: ${venue.adminToken}`);
  else console.log(`admin endpoint unreachable: it answers loopback clients only and ${host} is not a loopback address`);
} catch (error) {
  fail(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
}

const stop = (): void => {
  void venue.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
