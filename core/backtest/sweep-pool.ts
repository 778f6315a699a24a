import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { YOUNG_GENERATION_MB } from '../model/heap.ts';
import { parseBacktestParams } from './params.ts';
import { runBacktest } from './run.ts';
import type { SweepOutcome, SweepSet } from './sweep.ts';
import { failedOutcome, summariseRun } from './sweep.ts';

/**
 * Runs a sweep's parameter sets: in one worker thread per core (bounded by the sets and by
 * `workers`), each worker replaying the recording from disk for one set at a time, or all in this
 * thread (`workers: 0`, for tests and comparisons). A run is deterministic given its recording
 * and parameters, so where it runs does not change its outcome.
 */

export interface SweepWorkerData {
  readonly path: string;
}

export interface SweepJob {
  readonly index: number;
  readonly raw: Record<string, unknown>;
}

export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Remaining time at the pace so far (NaN before the first result). */
  readonly etaMs: number;
}

export interface SweepRunOptions {
  /** Worker threads; default one per core. 0 runs everything in this thread. */
  readonly workers?: number;
  readonly onProgress?: (progress: SweepProgress) => void;
  readonly onOutcome?: (outcome: SweepOutcome) => void;
}

export const MAX_SWEEP_WORKERS = 64;

/** One set's backtest (in whichever thread calls it); a failure becomes a failed outcome. */
export async function evaluateSet(path: string, job: SweepJob): Promise<SweepOutcome> {
  try {
    const parsed = parseBacktestParams(job.raw);
    if (!parsed.ok) return failedOutcome(job.index, parsed.error);
    return summariseRun(job.index, await runBacktest(path, parsed.params));
  } catch (error) {
    return failedOutcome(job.index, (error as Error).message);
  }
}

export function defaultWorkerCount(sets: number): number {
  return Math.max(1, Math.min(sets, availableParallelism(), MAX_SWEEP_WORKERS));
}

export async function runSweep(path: string, sets: readonly SweepSet[], options: SweepRunOptions = {}): Promise<SweepOutcome[]> {
  const total = sets.length;
  const started = performance.now();
  const outcomes: SweepOutcome[] = [];
  const record = (outcome: SweepOutcome): void => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
    const elapsedMs = performance.now() - started;
    options.onProgress?.({ done: outcomes.length, total, elapsedMs, etaMs: (elapsedMs / outcomes.length) * (total - outcomes.length) });
  };
  options.onProgress?.({ done: 0, total, elapsedMs: 0, etaMs: NaN });
  const count = options.workers === 0 ? 0 : Math.max(1, Math.min(options.workers ?? defaultWorkerCount(total), total, MAX_SWEEP_WORKERS));
  if (count === 0 || total === 0) {
    for (const set of sets) record(await evaluateSet(path, { index: set.index, raw: set.raw }));
    return outcomes.sort((a, b) => a.index - b.index);
  }
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker): void => {
        const set = sets[next++];
        if (set) worker.postMessage({ index: set.index, raw: set.raw } satisfies SweepJob);
      };
      for (let i = 0; i < count; i++) {
        const worker = new Worker(new URL('./sweep-worker.mjs', import.meta.url), { workerData: { path } satisfies SweepWorkerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
        workers.push(worker);
        worker.on('message', (message: SweepOutcome | { ready: true }) => {
          if ('ready' in message) return feed(worker);
          record(message);
          if (outcomes.length === total) resolve();
          else feed(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (outcomes.length < total) reject(new Error(`sweep worker exited with code ${code} before the sweep finished`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return outcomes.sort((a, b) => a.index - b.index);
}
