import { Worker } from 'node:worker_threads';
import { YOUNG_GENERATION_MB } from '../model/heap.ts';
import type { SimWorkerData, SimWorkerMessage } from '../sim/worker-entry.ts';
import { DEFAULT_CREDENTIALS, MARKET_MAKER_CREDITS } from '../sim/defaults.ts';
import { DERIBIT_DEFAULT_LIMITS } from '../venues/deribit/credit-limiter.ts';
import type { DeribitVenueConfig } from './venue-config.ts';

export interface RunningSimulator {
  readonly port: number;
  readonly instruments: number;
  /** The venue configuration that connects the engine to it. */
  readonly venue: DeribitVenueConfig;
  stop(): Promise<void>;
}

export interface SimulatorOptions extends SimWorkerData {
  /** Built `dist/sim/worker.mjs`, or a TypeScript bootstrap in tests. */
  readonly workerUrl: URL;
  readonly argv?: readonly string[];
}

/** Starts the embedded exchange in its own worker and resolves once it listens on 127.0.0.1. */
export function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const { workerUrl, argv, ...data } = options;
  const worker = new Worker(workerUrl, { workerData: data satisfies SimWorkerData, argv: [...(argv ?? [])], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`simulator worker exited with code ${code} before listening`)));
    worker.once('message', (message: SimWorkerMessage) => {
      if (message.kind === 'failed') {
        void worker.terminate();
        reject(new Error(`simulator could not start: ${message.reason}`));
        return;
      }
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      resolve({
        port: message.port,
        instruments: message.instruments,
        venue: {
          kind: 'deribit',
          venueId: 'sim',
          displayName: 'Simulator',
          url: `ws://127.0.0.1:${message.port}/ws/api/v2`,
          credentials: { clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret },
          currencies: data.currencies,
          rateLimits: { ...DERIBIT_DEFAULT_LIMITS, ...MARKET_MAKER_CREDITS },
          // The simulator grants mass quotes, as Deribit does a market maker's account on request.
          massQuote: true,
        },
        stop: async () => {
          worker.postMessage({ kind: 'stop' });
          await new Promise<void>((done) => {
            const timer = setTimeout(() => void worker.terminate().then(() => done()), 2000);
            worker.once('exit', () => {
              clearTimeout(timer);
              done();
            });
          });
        },
      });
    });
  });
}
