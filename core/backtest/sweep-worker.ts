import { parentPort, workerData } from 'node:worker_threads';
import type { SweepJob, SweepWorkerData } from './sweep-pool.ts';
import { evaluateSet } from './sweep-pool.ts';

/** One sweep worker: runs the backtests it is sent, one at a time, and posts their outcomes. */
const port = parentPort;
if (!port) throw new Error('sweep-worker.ts runs in a worker thread');
const { path } = workerData as SweepWorkerData;
port.on('message', (job: SweepJob) => {
  void evaluateSet(path, job).then((outcome) => port.postMessage(outcome));
});
port.postMessage({ ready: true });
