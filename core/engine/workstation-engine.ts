import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Currency } from '../sim/instruments/types.ts';
import type { EngineHealth } from '../protocol/index.ts';
import { EngineHost } from './host.ts';
import type { RunningSimulator } from './simulator.ts';
import { startSimulator } from './simulator.ts';
import type { DeribitVenueConfig, EngineWorkerData } from './venue-config.ts';

/**
 * What both hosts (web mode's server and Electron's main process) start: the engine worker,
 * connected to the embedded simulator in its own worker unless a venue is configured or the
 * trader asked for no venue at all.
 */
export interface WorkstationEngineOptions {
  readonly engineWorkerUrl: URL;
  readonly simWorkerUrl: URL;
  /** 'simulator' (default), a configured venue, or 'none'. */
  readonly venue: 'simulator' | 'none' | DeribitVenueConfig;
  readonly simulator?: { readonly seed?: number; readonly speed?: number; readonly currencies?: readonly Currency[] };
  readonly onRunState?: (health: EngineHealth) => void;
  /**
   * Where journals live. A real venue's journal is kept across runs (a restart picks up its
   * fills, overrides and limits); the embedded simulator's market starts afresh every run, so
   * its journal is per run — it still survives an engine worker restart within the run.
   */
  readonly dataDir: string;
}

export interface WorkstationEngine {
  readonly host: EngineHost;
  readonly simulator: RunningSimulator | undefined;
  stop(): Promise<void>;
}

export async function startWorkstationEngine(options: WorkstationEngineOptions): Promise<WorkstationEngine> {
  let simulator: RunningSimulator | undefined;
  let venue: DeribitVenueConfig | undefined;
  if (options.venue === 'simulator') {
    simulator = await startSimulator({
      workerUrl: options.simWorkerUrl,
      seed: options.simulator?.seed ?? 42,
      speed: options.simulator?.speed ?? 1,
      currencies: options.simulator?.currencies ?? ['BTC', 'ETH'],
    });
    venue = simulator.venue;
  } else if (options.venue !== 'none') {
    venue = options.venue;
  }
  mkdirSync(options.dataDir, { recursive: true });
  // Earlier runs' simulator journals describe markets that no longer exist.
  for (const name of readdirSync(options.dataDir)) if (/^simulator-run-.*\.journal$/.test(name)) rmSync(join(options.dataDir, name), { force: true });
  const journalPath = venue
    ? join(options.dataDir, simulator ? `simulator-run-${Date.now()}-${process.pid}.journal` : `${venue.venueId}.journal`)
    : undefined;
  const workerData: EngineWorkerData = { ...(venue && { venue }), ...(journalPath && { journalPath }), limitsPath: join(options.dataDir, 'limits.json'), quoteOnStart: simulator !== undefined };
  const host = new EngineHost({ workerUrl: options.engineWorkerUrl, workerData, ...(options.onRunState && { onRunState: options.onRunState }) });
  host.start();
  return {
    host,
    simulator,
    stop: async () => {
      await host.stop();
      await simulator?.stop();
    },
  };
}
