import type { EngineHostOptions } from '../../core/engine/host.ts';

/** EngineHost options that run a TypeScript worker entry directly (tests, benchmarks). */
export function tsWorker(entry: URL): Pick<EngineHostOptions, 'workerUrl' | 'argv'> {
  return { workerUrl: new URL('./ts-worker.mjs', import.meta.url), argv: [entry.href] };
}

export const ENGINE_WORKER_ENTRY = new URL('../../core/engine/worker-entry.ts', import.meta.url);
export const FAULTY_WORKER_ENTRY = new URL('../fixtures/faulty-worker.ts', import.meta.url);
