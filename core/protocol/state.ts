/**
 * The engine's published state, split into topics. A renderer that connects gets a `Snapshot` of
 * every topic, then `Delta`s that replace whole topic values; topics are small enough that
 * replacing is cheaper than diffing, and per-entity topics (books, chain rows) arrive with later
 * capabilities as keyed maps.
 */

export type EngineRunState = 'starting' | 'running' | 'stalled' | 'exited' | 'restarting';

export interface EngineHealth {
  readonly runState: EngineRunState;
  /** Why the engine is not running, when it is not. */
  readonly reason?: string;
  readonly startedTsMs: number;
  /** Engine clock at its last heartbeat. */
  readonly lastHeartbeatTsMs: number;
  readonly heartbeatSeq: number;
  /** Messages the engine published over the last second (events, deltas, heartbeats). */
  readonly msgsPerSec: number;
  /** How many times the trader restarted the worker in this host's lifetime. */
  readonly restarts: number;
  readonly version: string;
}

export type VenueConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface VenueStatus {
  readonly venueId: string;
  readonly displayName: string;
  readonly state: VenueConnectionState;
  /** Human-readable detail for the status bar (why disconnected, what is configured). */
  readonly detail: string;
  readonly sinceTsMs: number;
}

export interface EngineState {
  readonly engine: EngineHealth;
  readonly venues: readonly VenueStatus[];
}

export type Topic = keyof EngineState;
export const TOPICS: readonly Topic[] = ['engine', 'venues'];

/** A coalesced change: the new value of each topic that changed since the previous delta. */
export type TopicChanges = { readonly [K in Topic]?: EngineState[K] };
