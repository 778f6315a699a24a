import { parentPort, workerData } from 'node:worker_threads';
import type { Currency } from './instruments/types.ts';
import { MARKET_MAKER_CREDITS } from './defaults.ts';
import { scaledClock, SimVenue } from './venue.ts';

/**
 * The embedded exchange in its own worker thread, so the simulated market never competes with
 * the engine's event loop. Reports its port once listening; stops on request.
 */
export interface SimWorkerData {
  readonly seed: number;
  readonly speed: number;
  readonly currencies: readonly Currency[];
  readonly port?: number;
}

export type SimWorkerMessage = { readonly kind: 'listening'; readonly port: number; readonly instruments: number } | { readonly kind: 'failed'; readonly reason: string };

const port = parentPort;
if (!port) throw new Error('sim worker-entry must run in a worker_threads worker');
const options = workerData as SimWorkerData;
const venue = new SimVenue({ seed: options.seed, clock: scaledClock(Date.now(), options.speed, () => Date.now()), currencies: options.currencies, credits: MARKET_MAKER_CREDITS });

try {
  const listening = await venue.listen(options.port ?? 0);
  venue.run();
  port.postMessage({ kind: 'listening', port: listening, instruments: venue.instruments.length } satisfies SimWorkerMessage);
} catch (error) {
  port.postMessage({ kind: 'failed', reason: (error as Error).message } satisfies SimWorkerMessage);
}

port.on('message', (message: { kind: string }) => {
  if (message.kind === 'stop') void venue.close().finally(() => port.close());
});
