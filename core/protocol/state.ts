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
  /** Round trip of the last answered request (heartbeat or RPC), ms. */
  readonly rttMs?: number;
  /** Client-side rate-limit credits left and their ceiling (Deribit's credit model). */
  readonly creditsAvailable?: number;
  readonly creditsMax?: number;
  /** Set while the adapter holds back everything but cancels after the venue's rate limit was hit. */
  readonly safeMode?: boolean;
  /** Messages received per second, by channel family (book, ticker, trades, user, …). */
  readonly messagesPerSec?: Readonly<Record<string, number>>;
  /** The venue takes our mass quotes now (granted to the account and not refused since connecting). */
  readonly massQuote?: boolean;
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
  /** The smallest tick; above some prices a coarser one applies (tickSizeSteps). */
  readonly tickSize: number;
  /** Deribit's tick_size_steps: from above `abovePrice`, prices are multiples of `tickSize`. */
  readonly tickSizeSteps?: readonly { readonly abovePrice: number; readonly tickSize: number }[];
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
  /** Set on a mass quote (the blotter's "quote" tag): the venue's MMP group it quotes in. */
  readonly mmpGroup?: string;
}

/** Greeks of a book of positions, dollar-value sensitivities (see core/model/trading.ts GreekTotals). */
export interface GreeksRow {
  readonly deltaCoin: number;
  readonly deltaUsd: number;
  readonly gammaCoinPerUsd: number;
  /** Delta change for a 1 % move of the underlying, in coin. */
  readonly gammaCoinPer1Pct: number;
  readonly vegaUsdPerVolPt: number;
  readonly vegaCoinPerVolPt: number;
  readonly thetaUsdPerDay: number;
  readonly thetaCoinPerDay: number;
  readonly vannaCoinPerVolPt: number;
  readonly volgaUsdPerVolPt: number;
}

/** One of our positions, marked to the venue's mark price. Sizes: coin for options, USD for futures. */
export interface PositionRow {
  readonly instrumentName: string;
  readonly venueId: string;
  readonly currency: string;
  readonly size: number;
  readonly averagePrice: number;
  readonly markPrice?: number;
  readonly realizedPnlCoin: number;
  readonly unrealizedPnlCoin: number;
  readonly feesCoin: number;
  readonly deltaCoin: number;
  readonly vegaUsdPerVolPt: number;
  /** Set when our record and the venue's disagreed at the last reconciliation. */
  readonly discrepancy?: string;
  readonly updatedTsMs: number;
}

/** One execution of one of our orders (the fills blotter). */
export interface FillRow {
  readonly tradeId: string;
  readonly venueId: string;
  readonly clientOrderId: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly amount: number;
  readonly price: number;
  readonly feeCoin: number;
  readonly liquidity: 'maker' | 'taker';
  readonly origin: 'strategy' | 'manual' | 'hedge' | 'unknown';
  /** Theoretical value at the fill (coin), when the strategy had one: edge = (theo − price)·side. */
  readonly theoPrice?: number;
  readonly tsMs: number;
}

export type StrategyMode = 'ACTIVE' | 'REDUCING' | 'PAUSED' | 'HALTED';

/** The market-making strategy of one underlying. */
export interface StrategyRow {
  readonly currency: string;
  readonly mode: StrategyMode;
  /** Why the strategy is in this mode (trader, limit breach, MMP, kill switch…). */
  readonly reason: string;
  readonly sinceTsMs: number;
  /** Quoting parameters, as the engine validated them (names carry units). */
  readonly params: Readonly<Record<string, number | boolean | string>>;
  /** Options being quoted now, and why others are not (counts by reason). */
  readonly quotedInstruments: number;
  readonly suppressed: Readonly<Record<string, number>>;
  /** Surface fit of this underlying: expiries fitted and the worst fit error. */
  readonly surfaceExpiries: number;
  readonly surfaceRmseVolPts?: number;
  readonly autoHedge: { readonly enabled: boolean; readonly targetCoin: number; readonly bandCoin: number; readonly minIntervalMs: number; readonly instrumentName?: string };
}

/** What the strategy computes for one option: the chain's theo, our quotes and edge columns. */
export interface TheoRow {
  readonly instrumentName: string;
  readonly theoPrice: number;
  readonly theoIv: number;
  /** Our working quote (what the strategy wants; the orders topic has what is at the venue). */
  readonly bidPrice?: number;
  readonly bidAmount?: number;
  readonly bidIv?: number;
  readonly askPrice?: number;
  readonly askAmount?: number;
  readonly askIv?: number;
  /** Why a side is not quoted. */
  readonly bidOff?: string;
  readonly askOff?: string;
  /** Override ids in effect on this instrument. */
  readonly overrides?: readonly string[];
}

export type OverrideScope =
  | { readonly kind: 'instrument'; readonly instrumentName: string }
  | { readonly kind: 'expiry'; readonly currency: string; readonly expiryMs: number }
  | { readonly kind: 'underlying'; readonly currency: string };

/** A trader's manual override of the strategy, with its provenance. */
export interface OverrideRow {
  readonly id: string;
  readonly scope: OverrideScope;
  readonly volOffsetPts?: number;
  readonly widthMultiplier?: number;
  readonly skewOffsetPts?: number;
  readonly sizeCoin?: number;
  readonly sideOff?: 'bid' | 'ask';
  readonly fixedPrice?: { readonly bidPriceCoin?: number; readonly askPriceCoin?: number };
  readonly lock?: boolean;
  readonly by: string;
  readonly atMs: number;
  readonly reason: string;
  readonly expiresAtMs?: number;
}

export type LimitAction = 'warn' | 'reduce-only' | 'pause' | 'kill';

export interface LimitRow {
  readonly limitId: string;
  readonly currency: string;
  readonly label: string;
  readonly unit: string;
  readonly value: number;
  readonly limit: number;
  readonly utilization: number;
  readonly warnAtFraction: number;
  readonly state: 'ok' | 'warn' | 'breach';
  readonly action: LimitAction;
}

export interface RiskBucketRow {
  readonly expiryMs: number;
  /** 'perpetual' or the expiry as the venue names it (25DEC26). */
  readonly label: string;
  readonly greeks: GreeksRow;
}

export interface ScenarioGrid {
  readonly spotShocksPct: readonly number[];
  readonly volShocksPts: readonly number[];
  /** pnlUsd[spot][vol]. */
  readonly pnlUsd: readonly (readonly number[])[];
  readonly includesWorkingQuotes: boolean;
}

/** Risk of one underlying: Greeks total and by expiry, PnL, scenarios. */
export interface RiskRow {
  readonly currency: string;
  readonly indexPrice: number;
  readonly greeks: GreeksRow;
  readonly buckets: readonly RiskBucketRow[];
  /** Greeks if every working bid filled, and if every working ask filled. */
  readonly workingBidsFilled: GreeksRow;
  readonly workingAsksFilled: GreeksRow;
  readonly pnl: { readonly realizedCoin: number; readonly unrealizedCoin: number; readonly feesCoin: number; readonly totalCoin: number; readonly totalUsd: number; readonly dayPeakUsd: number };
  readonly scenarios: ScenarioGrid;
  /** The same grid with every working quote filled at its price first (the book's worst tail). */
  readonly scenariosWithQuotes: ScenarioGrid;
  readonly tsMs: number;
}

/** A delta hedge or a flatten in progress or just finished. */
export interface ExecutionRow {
  readonly id: string;
  readonly kind: 'hedge' | 'flatten';
  /** The command that started it (absent for an automatic hedge). */
  readonly commandId?: string;
  readonly currency: string;
  readonly state: 'working' | 'done' | 'failed' | 'cancelled';
  readonly detail: string;
  /** Fraction of the planned amount done, 0..1. */
  readonly progress: number;
  readonly startedTsMs: number;
  readonly updatedTsMs: number;
  /** The final report, when finished. */
  readonly report?: string;
}

/** A notable engine event for the event log: breaches, kill switch, strategy changes, fills, venue events. */
export interface ActivityRow {
  readonly id: string;
  readonly tsMs: number;
  readonly category: 'risk' | 'limit' | 'kill' | 'strategy' | 'override' | 'hedge' | 'fill' | 'venue' | 'journal' | 'order';
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** The strategy's fitted smile of one expiry (raw SVI in total variance, k = ln(K/F)). */
export interface SmileRow {
  readonly currency: string;
  readonly expiryMs: number;
  readonly forwardUsd: number;
  readonly params: { readonly a: number; readonly b: number; readonly rho: number; readonly m: number; readonly sigma: number };
  readonly rmseVolPts: number;
  /** Quotes the fit used. */
  readonly quotes: number;
  readonly fittedTsMs: number;
}

/** Depth of a book someone watches (the ladder): best first, [price, amount] per level. */
export interface BookRow {
  readonly instrumentName: string;
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
  /** The latest trades in the instrument (anyone's), newest first. */
  readonly lastTrades: readonly { readonly price: number; readonly amount: number; readonly takerSide: 'buy' | 'sell'; readonly tsMs: number }[];
  readonly stale: boolean;
  readonly tsMs: number;
}

/** One sample per second of what the charts plot. */
export interface HistoryRow {
  readonly tsMs: number;
  readonly indexUsd: Readonly<Record<string, number>>;
  readonly perpetualUsd: Readonly<Record<string, number>>;
  readonly pnlUsd: Readonly<Record<string, { readonly realized: number; readonly unrealized: number; readonly total: number }>>;
  readonly deltaCoin: Readonly<Record<string, number>>;
  readonly vegaUsdPerVolPt: Readonly<Record<string, number>>;
}

export interface EngineState {
  readonly engine: EngineHealth;
  readonly venues: readonly VenueStatus[];
  readonly instruments: Readonly<Record<string, InstrumentRow>>;
  readonly quotes: Readonly<Record<string, QuoteRow>>;
  readonly indices: Readonly<Record<string, IndexRow>>;
  readonly orders: Readonly<Record<string, OrderRow>>;
  readonly positions: Readonly<Record<string, PositionRow>>;
  readonly fills: Readonly<Record<string, FillRow>>;
  /** Keyed by currency. */
  readonly strategies: Readonly<Record<string, StrategyRow>>;
  readonly theos: Readonly<Record<string, TheoRow>>;
  readonly overrides: Readonly<Record<string, OverrideRow>>;
  readonly limits: Readonly<Record<string, LimitRow>>;
  /** Keyed by currency. */
  readonly risk: Readonly<Record<string, RiskRow>>;
  readonly executions: Readonly<Record<string, ExecutionRow>>;
  readonly activity: Readonly<Record<string, ActivityRow>>;
  /** Keyed by the sample's second (tsMs as a string); the last hour is kept. */
  readonly history: Readonly<Record<string, HistoryRow>>;
  /** Fitted smiles, keyed by `${currency}:${expiryMs}`. */
  readonly smiles: Readonly<Record<string, SmileRow>>;
  /** Depth of the books watched with WatchBook (a few at a time). */
  readonly books: Readonly<Record<string, BookRow>>;
  /** Whole: the kill switch latch. */
  readonly killSwitch: KillSwitchView;
}

export interface KillSwitchView {
  readonly state: 'armed' | 'triggered';
  readonly reason?: string;
  readonly source?: 'trader' | 'limit' | 'venue-disconnect' | 'engine';
  readonly tsMs?: number;
  /** Orders still live at the venue since the trigger. */
  readonly ordersLeft: number;
}

/** Topics replaced whole by a delta. */
export type WholeTopic = 'engine' | 'venues' | 'killSwitch';
/** Topics whose deltas upsert and remove entries by key. */
export type KeyedTopic =
  | 'instruments'
  | 'quotes'
  | 'indices'
  | 'orders'
  | 'positions'
  | 'fills'
  | 'strategies'
  | 'theos'
  | 'overrides'
  | 'limits'
  | 'risk'
  | 'executions'
  | 'activity'
  | 'history'
  | 'books'
  | 'smiles';
export type Topic = WholeTopic | KeyedTopic;
export const WHOLE_TOPICS: readonly WholeTopic[] = ['engine', 'venues', 'killSwitch'];
export const KEYED_TOPICS: readonly KeyedTopic[] = [
  'instruments',
  'quotes',
  'indices',
  'orders',
  'positions',
  'fills',
  'strategies',
  'theos',
  'overrides',
  'limits',
  'risk',
  'executions',
  'activity',
  'history',
  'books',
  'smiles',
];

export interface KeyedChanges<T> {
  readonly upsert?: Readonly<Record<string, T>>;
  readonly remove?: readonly string[];
}

type EntryOf<K extends KeyedTopic> = EngineState[K][string];

/** A coalesced change: whole topics' new values, keyed topics' changed entries. */
export type TopicChanges = { readonly [K in WholeTopic]?: EngineState[K] } & { readonly [K in KeyedTopic]?: KeyedChanges<EntryOf<K>> };

export const EMPTY_STATE_TOPICS = {
  instruments: {},
  quotes: {},
  indices: {},
  orders: {},
  positions: {},
  fills: {},
  strategies: {},
  theos: {},
  overrides: {},
  limits: {},
  risk: {},
  executions: {},
  activity: {},
  history: {},
  books: {},
  smiles: {},
  killSwitch: { state: 'armed', ordersLeft: 0 },
} as const satisfies Omit<EngineState, 'engine' | 'venues'>;

/**
 * Equal as data that crossed the link (JSON or structured clone): primitives by Object.is, arrays
 * and plain objects entry by entry. Anything else (a class instance) is equal only to itself.
 */
function samePlainData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const prototype: unknown = Object.getPrototypeOf(a);
  if (prototype !== Object.getPrototypeOf(b) || (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null)) return false;
  const left = a as Readonly<Record<string, unknown>>;
  const right = b as Readonly<Record<string, unknown>>;
  let keys = 0;
  for (const key in left) {
    if (!Object.hasOwn(right, key) || !samePlainData(left[key], right[key])) return false;
    keys++;
  }
  for (const _key in right) keys--;
  return keys === 0;
}

/** Sets an own property, also for the key `__proto__` (an assignment would set the prototype). */
function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/**
 * A keyed topic after its changes: `{ ...current, ...upsert }` less the removed keys, sharing all
 * it can. The record stays a plain object (it crosses structured clone and JSON, and consumers
 * read it as one), so a change copies its key table once; rows are never copied. An upserted row
 * equal to the one it replaces keeps the old reference (a re-sent row does not look changed to a
 * consumer comparing by reference, nor to a grid updating rows by id), and changes that change
 * nothing return `current` itself: no copy, and no new reference for selectors to react to.
 */
function applyKeyed<T>(current: Readonly<Record<string, T>>, changes: KeyedChanges<T> | undefined): Readonly<Record<string, T>> {
  if (!changes) return current;
  let next: Record<string, T> | undefined;
  const { upsert, remove } = changes;
  for (const key in upsert) {
    const row = upsert[key] as T;
    if (Object.hasOwn(current, key) && samePlainData(current[key], row)) continue;
    next ??= { ...current };
    setEntry(next, key, row);
  }
  for (const key of remove ?? []) {
    if (!Object.hasOwn(next ?? current, key)) continue;
    next ??= { ...current };
    delete next[key];
  }
  return next ?? current;
}

/**
 * The state after a delta: shared by the host's mirror, the renderer's store and replay. Topics
 * the delta leaves as they were keep their reference, and so does the state when all do.
 */
export function applyChanges(state: EngineState, changes: TopicChanges): EngineState {
  const next: Record<string, unknown> = {};
  let changed = false;
  for (const topic of WHOLE_TOPICS) {
    next[topic] = changes[topic] ?? state[topic];
    changed ||= next[topic] !== state[topic];
  }
  for (const topic of KEYED_TOPICS) {
    next[topic] = applyKeyed<unknown>(state[topic], changes[topic] as KeyedChanges<unknown> | undefined);
    changed ||= next[topic] !== state[topic];
  }
  return changed ? (next as unknown as EngineState) : state;
}

/** The whole state as one delta (a fresh worker's state replacing the host's mirror). */
export function stateAsChanges(state: EngineState, previous: EngineState): TopicChanges {
  const removed = (before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>) => Object.keys(before).filter((key) => !(key in after));
  const changes: Record<string, unknown> = {};
  for (const topic of WHOLE_TOPICS) changes[topic] = state[topic];
  for (const topic of KEYED_TOPICS) changes[topic] = { upsert: state[topic], remove: removed(previous[topic], state[topic]) };
  return changes as TopicChanges;
}
