import type { Command, EngineEvent, EngineState, TopicChanges } from '../protocol/index.ts';

/** Messages between the engine host and its worker thread (internal; not the engine link). */

export type HostToWorker =
  | { readonly kind: 'command'; readonly clientId: number; readonly command: Command }
  | { readonly kind: 'shutdown' };

export type WorkerToHost =
  | { readonly kind: 'ready'; readonly state: EngineState }
  | { readonly kind: 'heartbeat'; readonly seq: number; readonly tsMs: number }
  | { readonly kind: 'changes'; readonly changes: TopicChanges }
  | { readonly kind: 'reply'; readonly clientId: number; readonly events: readonly EngineEvent[] };

/** Worker heartbeat period; the host declares a stall after `STALL_AFTER_MS` of silence. */
export const HEARTBEAT_INTERVAL_MS = 100;
/** Small enough that a stall is reported within 1 s (stall + one supervision check). */
export const STALL_AFTER_MS = 600;
export const SUPERVISION_INTERVAL_MS = 100;
/** A starting worker loads and compiles its bundle before its first heartbeat; slow disks and busy machines need seconds. */
export const STARTUP_GRACE_MS = 10_000;
/** State deltas are coalesced to at most this rate (DESIGN: 10–20 Hz; 10 Hz keeps a ticking 1,600-option chain near 2 MB/s on the link). */
export const DELTA_INTERVAL_MS = 100;
