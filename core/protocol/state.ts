/**
 * The engine's published state, split into topics. A renderer that connects gets a `Snapshot` of
 * every topic, then `Delta`s. Small topics (engine health, venue status) are replaced whole; per-
 * entity topics (instruments, quotes, indices) are maps keyed by id whose deltas carry only the
 * entries that changed, so a ticking chain of 1,000 options costs what changed, not 1,000 rows.
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

/** An instrument as the workstation shows it, whatever venue lists it. */
export interface InstrumentRow {
  readonly instrumentName: string;
  readonly venueId: string;
  readonly currency: string;
  readonly kind: 'option' | 'future';
  readonly isPerpetual: boolean;
  readonly optionType?: 'call' | 'put';
  readonly strike?: number;
  readonly expiryMs: number;
  readonly tickSize: number;
  readonly minTradeAmount: number;
  readonly contractSize: number;
}

/**
 * Top of book and the venue's marks for one instrument. Prices in the instrument's quote units
 * (coin for inverse options, USD for futures); IVs as fractions (0.5 = 50 %); Greeks as the
 * venue reports them (Deribit: Black delta, vega and theta in USD).
 */
export interface QuoteRow {
  readonly instrumentName: string;
  readonly bidPrice?: number;
  readonly bidAmount?: number;
  readonly askPrice?: number;
  readonly askAmount?: number;
  readonly markPrice?: number;
  readonly markIv?: number;
  readonly bidIv?: number;
  readonly askIv?: number;
  readonly lastPrice?: number;
  readonly underlyingPrice?: number;
  readonly delta?: number;
  readonly gamma?: number;
  readonly vegaUsd?: number;
  readonly thetaUsd?: number;
  readonly fundingRate8h?: number;
  /** Venue time of the latest book or ticker update. */
  readonly tsMs: number;
  /** Set while the book is not known to be right (gap, crossed, silent feed): nothing may quote on it. */
  readonly stale: boolean;
  readonly staleReason?: string;
}

export interface IndexRow {
  readonly indexName: string;
  readonly currency: string;
  readonly price: number;
  readonly tsMs: number;
}

/** One of our orders as the blotter shows it (the OMS's record). */
export interface OrderRow {
  readonly clientOrderId: string;
  readonly venueOrderId?: string;
  readonly venueId: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly amount: number;
  readonly filledAmount: number;
  readonly averagePrice: number;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly origin: 'strategy' | 'manual' | 'hedge';
  readonly state: 'pending-new' | 'open' | 'partially-filled' | 'filled' | 'pending-cancel' | 'pending-replace' | 'cancelled' | 'rejected' | 'unknown';
  readonly reason?: string;
  readonly createdTsMs: number;
  readonly updatedTsMs: number;
}

export interface EngineState {
  readonly engine: EngineHealth;
  readonly venues: readonly VenueStatus[];
  readonly instruments: Readonly<Record<string, InstrumentRow>>;
  readonly quotes: Readonly<Record<string, QuoteRow>>;
  readonly indices: Readonly<Record<string, IndexRow>>;
  readonly orders: Readonly<Record<string, OrderRow>>;
}

/** Topics replaced whole by a delta. */
export type WholeTopic = 'engine' | 'venues';
/** Topics whose deltas upsert and remove entries by key. */
export type KeyedTopic = 'instruments' | 'quotes' | 'indices' | 'orders';
export type Topic = WholeTopic | KeyedTopic;
export const WHOLE_TOPICS: readonly WholeTopic[] = ['engine', 'venues'];
export const KEYED_TOPICS: readonly KeyedTopic[] = ['instruments', 'quotes', 'indices', 'orders'];

export interface KeyedChanges<T> {
  readonly upsert?: Readonly<Record<string, T>>;
  readonly remove?: readonly string[];
}

type EntryOf<K extends KeyedTopic> = EngineState[K][string];

/** A coalesced change: whole topics' new values, keyed topics' changed entries. */
export type TopicChanges = { readonly [K in WholeTopic]?: EngineState[K] } & { readonly [K in KeyedTopic]?: KeyedChanges<EntryOf<K>> };

export const EMPTY_STATE_TOPICS = { instruments: {}, quotes: {}, indices: {}, orders: {} } as const;

function applyKeyed<T>(current: Readonly<Record<string, T>>, changes: KeyedChanges<T> | undefined): Readonly<Record<string, T>> {
  if (!changes) return current;
  const next: Record<string, T> = { ...current, ...changes.upsert };
  for (const key of changes.remove ?? []) delete next[key];
  return next;
}

/** The state after a delta: shared by the host's mirror, the renderer's store and replay. */
export function applyChanges(state: EngineState, changes: TopicChanges): EngineState {
  return {
    engine: changes.engine ?? state.engine,
    venues: changes.venues ?? state.venues,
    instruments: applyKeyed(state.instruments, changes.instruments),
    quotes: applyKeyed(state.quotes, changes.quotes),
    indices: applyKeyed(state.indices, changes.indices),
    orders: applyKeyed(state.orders, changes.orders),
  };
}

/** The whole state as one delta (a fresh worker's state replacing the host's mirror). */
export function stateAsChanges(state: EngineState, previous: EngineState): TopicChanges {
  const removed = (before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>) => Object.keys(before).filter((key) => !(key in after));
  return {
    engine: state.engine,
    venues: state.venues,
    instruments: { upsert: state.instruments, remove: removed(previous.instruments, state.instruments) },
    quotes: { upsert: state.quotes, remove: removed(previous.quotes, state.quotes) },
    indices: { upsert: state.indices, remove: removed(previous.indices, state.indices) },
    orders: { upsert: state.orders, remove: removed(previous.orders, state.orders) },
  };
}
