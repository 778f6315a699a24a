import type { Clock } from '../../model/clock.ts';
import type { Fill, VenueAccount, VenuePosition } from '../../model/trading.ts';
import type { InstrumentRow, VenueConnectionState, VenueStatus } from '../../protocol/index.ts';
import { parseMmpConfig, usdIndexOf } from '../mmp-config.ts';
import type {
  CancelQuotesRequest,
  MassQuoteRequest,
  MmpConfig,
  MmpRequestKind,
  OrderRequestKind,
  PlaceOrderRequest,
  QuoteEntry,
  ReplaceOrderRequest,
  VenueAdapter,
  VenueCapabilities,
  VenueEvent,
  VenueOrderReport,
} from '../venue-adapter.ts';
import type { DeribitRateLimits, RequestClass } from './credit-limiter.ts';
import { chargesFor, CreditLimiter, DERIBIT_DEFAULT_LIMITS, poolLimitsFor, poolOf } from './credit-limiter.ts';
import { channelFamily, MessageRates } from './message-rates.ts';
import type { BookMessage } from './parse.ts';
import { parseBook, parseIndex, parseInstruments, parseTicker, scanBookFrame, scanTickerFrame } from './parse.ts';
import { parseAccount, parsePosition, parseUserTrades } from './parse-account.ts';
import { parsePublicTrades } from './parse-trades.ts';
import { mmpConfigParams, parseMmpConfigs, parseMmpStatuses, parseMmpTrigger, sameMmpConfig } from './parse-mmp.ts';
import { parseOrderReport } from './parse-orders.ts';
import { cancelledQuoteOrders, cancelQuotesParams, chunkQuoteEntries, massQuoteParams, parseMassQuoteResult } from './parse-quotes.ts';
import type { WireProbe } from './rpc-connection.ts';
import { RpcConnection, RpcError, RpcTimeout } from './rpc-connection.ts';
import { SafeMode } from './safe-mode.ts';
import type { FetchTrades, TradeWatermark } from './trade-recovery.ts';
import { advance, merge, newestWatermark, recoverTrades } from './trade-recovery.ts';

/**
 * The Deribit API v2 adapter (the embedded simulator, testnet or production: only the URL and
 * keys differ). Connects, authenticates and keeps the token fresh, asks the venue to cancel our
 * orders if we vanish, lists instruments, subscribes books, tickers and indices in batches, and
 * turns notifications into VenueEvents. Any loss (socket closed, silent feed, failed sync)
 * reports FeedLost and reconnects with exponential backoff and jitter; every reconnect starts
 * from fresh snapshots.
 *
 * Trading state: our fills (user.trades) and account summaries (user.portfolio) stream as they
 * happen; on every (re)connect, before reporting connected, the adapter reports our open orders,
 * then the fills missed since the last one seen, then the venue's positions and accounts.
 *
 * Market maker protection: configureMmp keeps the last configuration of each index and makes sure
 * the venue holds it on every (re)connect before reporting connected; the adapter then asks the
 * venue whether MMP is frozen and reports it (MmpTriggered), as it reports live triggers from
 * user.mmp_trigger.{index}. Quotes opt in with PlaceOrderRequest.mmp. Mass-quote MMP groups are
 * configurations like the others, keyed by index and group.
 *
 * Mass quotes (where the account is granted them: `massQuote`). The kernel asks for them as
 * orders: placeOrder with `quote`, and replaceOrder / cancelOrder of a quote order (known by its
 * venue order id from the reports that carried its quote fields). Those asked in one turn of the
 * event loop are sent together at its end, per MMP group and quote set, as private/mass_quote
 * requests of at most 100 instruments (Deribit's limit), detailed: an amend is the quote sent
 * again, a cancel is amount 0. Every entry's outcome is reported under its label: the venue's
 * orders (which carry no label, only their quote fields: the OMS knows them by slot), its
 * per-side errors, or the request's loss. Every cancel-all also cancels our quotes
 * (private/cancel_quotes) and freezes new ones for the venue's second, so that none still in
 * flight lands behind it; quote cancels asked in the same turn ride on it. A venue that answers
 * mass_quotes_disabled turns mass quotes off (VenueStatus.massQuote) until the next connection.
 *
 * Every request waits for rate-limit credits in a client-side model of Deribit's credit pools
 * (credit-limiter.ts), cancels first. Should the venue still answer too_many_requests, the adapter
 * sends only cancels for a backoff period (safe-mode.ts).
 */

export interface DeribitCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface DeribitAdapterOptions {
  readonly venueId: string;
  readonly displayName: string;
  readonly url: string;
  readonly credentials?: DeribitCredentials;
  readonly currencies: readonly string[];
  readonly clock: Clock;
  /** Uniform [0, 1): the jitter in reconnect delays. */
  readonly random: () => number;
  readonly requestTimeoutMs?: number;
  /** No frame for this long while live means a silent feed (the issue asks for detection within 2 s). */
  readonly dataTimeoutMs?: number;
  readonly heartbeatSec?: number;
  /**
   * Channels per subscribe request (default 500). Deribit limits subscribe requests, not channels
   * (a burst of 10, then ~3.3 a second): a full BTC + ETH chain (~3,300 channels) in batches of
   * 200 waited ~5 s for credits on every reconnect, in batches of 500 it fits in the burst.
   */
  readonly subscribeBatch?: number;
  readonly bookInterval?: '100ms' | 'raw';
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** The venue's credit pools (Deribit's lowest tier by default; the simulator's CreditConfig fits). */
  readonly rateLimits?: DeribitRateLimits;
  /** Requests waiting for credits beyond which new orders are refused at once. */
  readonly maxQueuedRequests?: number;
  /** Safe mode after a too_many_requests: first backoff, and its ceiling for repeats. */
  readonly safeModeMs?: number;
  readonly safeModeMaxMs?: number;
  /**
   * Venue time from which the first connection recovers our fills (the journal's last fill). When
   * omitted, the first connection reports only fills after the venue's newest trade at that time
   * (the positions it reports include the rest).
   */
  readonly fillsSinceMs?: number;
  /** Least interval between two StatusChanged events that only refresh figures (credits, rates, round trip). */
  readonly statusIntervalMs?: number;
  /** Timing hooks on every connection's frames and requests (benchmarks); none by default. */
  readonly probe?: WireProbe;
  /** The account is granted mass quotes (Deribit: on request to its support; the simulator: always). Needs credentials. */
  readonly massQuote?: boolean;
  /**
   * Sent as a mass quote's valid_until (venue time, ms after it was asked for): a quote that waited
   * longer for credits is refused (timed_out) instead of resting stale. Off by default: it needs
   * our clock to agree with the venue's.
   */
  readonly quoteValidityMs?: number;
}

type Phase = 'idle' | 'connecting' | 'syncing' | 'live' | 'waiting' | 'closed';

/** A request waiting for credits. */
interface Outgoing {
  readonly connection: RpcConnection;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The request never left: it certainly did not take effect. */
class NotSent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSent';
  }
}

const TOO_MANY_REQUESTS = 10028;
const TOO_MANY_QUOTES = 13903;
const MASS_QUOTES_DISABLED = 13902;
/** Deribit: at most 100 quotes (instruments, each with a bid and an ask) in one mass quote. */
const MAX_QUOTES_PER_REQUEST = 100;
/** Where a resting quote of ours is amended or cancelled: its slot and quote set. */
interface QuoteRoute {
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly mmpGroup: string;
  readonly quoteSetId: string;
  readonly postOnly: boolean;
}

/** The order request a quote entry stands for, in the terms the OMS folds outcomes in. */
const requestKind = (entry: QuoteEntry): OrderRequestKind => (entry.kind === 'new' ? 'place' : entry.kind === 'amend' ? 'replace' : 'cancel');
/** An MMP configuration's key: the index's own, or one of its mass-quote groups. */
const mmpKey = (indexName: string, mmpGroup: string | undefined): string => (mmpGroup === undefined ? indexName : `${indexName}\u0000${mmpGroup}`);
/** Trade ids remembered so that a fill reported live and recovered again is emitted once. */
const SEEN_TRADES = 20_000;

export class DeribitAdapter implements VenueAdapter {
  readonly venueId: string;
  /** MMP needs a private session: an adapter without credentials has none. */
  readonly capabilities: VenueCapabilities;
  readonly #options: DeribitAdapterOptions;
  readonly #listeners = new Set<(event: VenueEvent) => void>();
  readonly #tickSizes = new Map<string, number>();
  readonly #currencyOf = new Map<string, string>();
  readonly #tickSizeOf = (instrumentName: string): number | undefined => this.#tickSizes.get(instrumentName);
  /** Book and ticker frames in the compact shapes skip generic JSON parsing (see scanBookFrame, scanTickerFrame). */
  readonly #onText = (text: string): boolean => {
    const book = scanBookFrame(text, this.#tickSizeOf);
    if (book) {
      this.#rates.count('book', this.#lastFrameMs);
      this.#emitBook(book);
      return true;
    }
    const ticker = scanTickerFrame(text);
    if (!ticker) return false;
    this.#rates.count('ticker', this.#lastFrameMs);
    this.#emit({ type: 'TickerUpdated', ticker });
    return true;
  };
  readonly #limits: DeribitRateLimits;
  readonly #limiter: CreditLimiter<Outgoing>;
  readonly #safeMode: SafeMode;
  readonly #rates = new MessageRates();
  /** Per currency: the newest fill seen (what a reconnect recovers from). */
  readonly #watermarks = new Map<string, TradeWatermark>();
  readonly #seenTrades = new Set<string>();
  /** The last MMP configuration asked for, per index (and group, mmpKey): what every (re)connect makes sure the venue holds. */
  readonly #mmpConfigs = new Map<string, MmpConfig>();
  /** Indices and groups (mmpKey) last reported frozen (MmpTriggered) and not since reported reset, with the venue's end of the freeze. */
  readonly #mmpFrozen = new Map<string, { readonly indexName: string; readonly mmpGroup: string | undefined; readonly untilMs: number }>();
  /** The venue answered mass_quotes_disabled on this connection. */
  #massQuoteRefused = false;
  /** Our quotes resting at the venue, by venue order id: where a replace or cancel of one goes. */
  readonly #quoteRoutes = new Map<string, QuoteRoute>();
  /** Quote entries asked for in this turn, per group and quote set: sent together at its end. */
  readonly #pendingQuotes = new Map<string, { readonly mmpGroup: string; readonly quoteSetId: string; readonly entries: QuoteEntry[] }>();
  #quoteFlushScheduled = false;
  /** Our mass quote ids (`q.<adapter start>.<n>`): a quote's fill carries the one that last set it. */
  readonly #quoteSession: string;
  #quoteSeq = 0;
  /** The connection whose sync has taken the MMP configurations in hand: a later configureMmp applies at once. */
  #mmpSynced: RpcConnection | undefined;
  #connection: RpcConnection | undefined;
  #phase: Phase = 'idle';
  #attempt = 0;
  #lastFrameMs = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #statusTimer: ReturnType<typeof setInterval> | undefined;
  #pumpTimer: ReturnType<typeof setTimeout> | undefined;
  #pumpAtMs = Number.POSITIVE_INFINITY;
  #safeModeTimer: ReturnType<typeof setTimeout> | undefined;
  #protocolErrors = 0;
  #messages = 0;
  #tooManyRequests = 0;
  #rttMs: number | undefined;
  #base: Pick<VenueStatus, 'state' | 'detail' | 'sinceTsMs'>;
  /** The figures of the last StatusChanged, to skip one that would say nothing new. */
  #lastFigures = '';

  constructor(options: DeribitAdapterOptions) {
    this.venueId = options.venueId;
    this.capabilities = { mmp: options.credentials !== undefined, massQuote: options.credentials !== undefined && options.massQuote === true, maxQuotesPerRequest: MAX_QUOTES_PER_REQUEST };
    this.#options = options;
    this.#quoteSession = Math.max(0, Math.floor(options.clock.nowMs())).toString(36);
    this.#limits = options.rateLimits ?? DERIBIT_DEFAULT_LIMITS;
    this.#limiter = new CreditLimiter<Outgoing>(poolLimitsFor(this.#limits), options.clock.nowMs());
    this.#safeMode = new SafeMode({ baseMs: options.safeModeMs ?? 5_000, maxMs: options.safeModeMaxMs ?? 60_000 });
    this.#base = { state: 'disconnected', detail: 'not started', sinceTsMs: options.clock.nowMs() };
  }

  /** Frames that were not valid JSON-RPC, and venue messages refused, since start (for diagnostics and tests). */
  get protocolErrors(): number {
    return this.#protocolErrors;
  }

  get messages(): number {
    return this.#messages;
  }

  /** Requests the venue refused with too_many_requests since start (zero in normal operation). */
  get tooManyRequests(): number {
    return this.#tooManyRequests;
  }

  /** Requests waiting for rate-limit credits. */
  get queuedRequests(): number {
    return this.#limiter.queued;
  }

  onEvent(listener: (event: VenueEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#phase !== 'idle') return;
    const dataTimeoutMs = this.#options.dataTimeoutMs ?? 2000;
    this.#watchdog = setInterval(() => this.#checkSilence(dataTimeoutMs), Math.max(50, dataTimeoutMs / 4));
    this.#statusTimer = setInterval(() => this.#refreshStatus(), this.#options.statusIntervalMs ?? 500);
    void this.#connect();
  }

  async close(): Promise<void> {
    this.#phase = 'closed';
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    if (this.#watchdog) clearInterval(this.#watchdog);
    if (this.#statusTimer) clearInterval(this.#statusTimer);
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    if (this.#safeModeTimer) clearTimeout(this.#safeModeTimer);
    for (const outgoing of this.#limiter.remove(() => true)) outgoing.reject(new NotSent(`${outgoing.method}: the adapter closed before sending it`));
    this.#connection?.close();
    this.#connection = undefined;
    this.#status('disconnected', 'closed by the workstation');
  }

  resnapshot(instrumentName: string): void {
    const connection = this.#connection;
    if (!connection?.isOpen || this.#phase !== 'live') return;
    const channel = `book.${instrumentName}.${this.#options.bookInterval ?? '100ms'}`;
    // Deribit sends a snapshot to every new subscription: unsubscribe, then subscribe again.
    void this.#call(connection, this.#subscribeMethod('unsubscribe'), { channels: [channel] }, 'query')
      .then(() => this.#call(connection, this.#subscribeMethod('subscribe'), { channels: [channel] }, 'query'))
      .catch(() => undefined);
  }

  placeOrder(request: PlaceOrderRequest): void {
    if (request.quote) {
      return this.#queueQuote(request.quote.mmpGroup, request.quote.quoteSetId, {
        label: request.label,
        instrumentName: request.instrumentName,
        side: request.side,
        kind: 'new',
        price: request.price,
        amount: request.amount,
        postOnly: request.postOnly,
        ...(request.priority !== undefined && { priority: request.priority }),
      });
    }
    this.#orderRequest(
      'place',
      request.label,
      `private/${request.side}`,
      {
        instrument_name: request.instrumentName,
        amount: request.amount,
        type: 'limit',
        price: request.price,
        label: request.label,
        post_only: request.postOnly,
        reduce_only: request.reduceOnly,
        ...(request.timeInForce && request.timeInForce !== 'good_til_cancelled' && { time_in_force: request.timeInForce }),
        ...(request.mmp === true && { mmp: true }),
      },
      request.priority,
    );
  }

  replaceOrder(request: ReplaceOrderRequest): void {
    const route = this.#quoteRoutes.get(request.venueOrderId);
    if (route) {
      const entry: QuoteEntry = { label: request.label, instrumentName: route.instrumentName, side: route.side, kind: 'amend', price: request.price, amount: request.amount, postOnly: route.postOnly, ...(request.priority !== undefined && { priority: request.priority }) };
      return this.#queueQuote(route.mmpGroup, route.quoteSetId, entry);
    }
    this.#orderRequest('replace', request.label, 'private/edit', { order_id: request.venueOrderId, price: request.price, amount: request.amount }, request.priority);
  }

  cancelOrder(request: { readonly label: string; readonly venueOrderId: string }): void {
    const route = this.#quoteRoutes.get(request.venueOrderId);
    // Where the venue stopped taking mass quotes, a quote left resting is cancelled by its id.
    if (route && this.#massQuoteUsable()) return this.#queueQuote(route.mmpGroup, route.quoteSetId, { label: request.label, instrumentName: route.instrumentName, side: route.side, kind: 'cancel', price: 0, amount: 0, postOnly: route.postOnly });
    this.#orderRequest('cancel', request.label, 'private/cancel', { order_id: request.venueOrderId });
  }

  queryOrder(request: { readonly label: string; readonly venueOrderId: string }): void {
    this.#orderRequest('query', request.label, 'private/get_order_state', { order_id: request.venueOrderId });
  }

  cancelAll(instrumentName?: string): void {
    const connection = this.#connection;
    if (!connection?.isOpen) return;
    // Reports of each cancelled order arrive on user.orders; the count needs no handling.
    const request = instrumentName
      ? this.#call(connection, 'private/cancel_all_by_instrument', { instrument_name: instrumentName }, 'cancel')
      : this.#call(connection, 'private/cancel_all', { ...(this.#massQuoteUsable() && { freeze_quotes: true }) }, 'cancel');
    request.catch(() => undefined);
    // cancel_all pulls quotes with the orders; cancel_quotes (frozen) also answers for the quote cancels of this turn.
    this.#pullQuotes(instrumentName ? { kind: 'instrument', instrumentName } : { kind: 'all' }, (entry) => instrumentName === undefined || entry.instrumentName === instrumentName);
  }

  cancelAllByCurrency(currency: string): void {
    const connection = this.#connection;
    if (!connection?.isOpen) return;
    this.#call(connection, 'private/cancel_all_by_currency', { currency }, 'cancel').catch(() => undefined);
    this.#pullQuotes({ kind: 'currency', currency }, (entry) => this.#currencyOf.get(entry.instrumentName) === currency);
  }

  massQuote(request: MassQuoteRequest): void {
    const entries = request.entries;
    if (entries.length === 0) return;
    const connection = this.#connection;
    const refuse = (refused: readonly QuoteEntry[], reason: string, code = 0): void => {
      if (refused.length > 0) queueMicrotask(() => this.#failEntries(refused, code, reason));
    };
    if (!this.capabilities.massQuote) return refuse(entries, `venue ${this.venueId} has no mass quotes for this account`);
    if (this.#massQuoteRefused) return refuse(entries, `venue ${this.venueId} refused mass quotes (mass_quotes_disabled)`, MASS_QUOTES_DISABLED);
    if (!connection?.isOpen || this.#phase !== 'live') return refuse(entries, `venue ${this.venueId} is not connected`);
    const nowMs = this.#options.clock.nowMs();
    let sendable = entries;
    if (this.#safeMode.isActive(nowMs)) {
      // Only cancels go in safe mode.
      sendable = entries.filter((entry) => entry.kind === 'cancel');
      refuse(
        entries.filter((entry) => entry.kind !== 'cancel'),
        `safe mode after too_many_requests: only cancels are sent for ${Math.ceil(this.#safeMode.untilMs - nowMs)} ms more`,
      );
    } else if (this.#limiter.queued >= (this.#options.maxQueuedRequests ?? 2_000)) {
      sendable = entries.filter((entry) => entry.kind !== 'new');
      refuse(
        entries.filter((entry) => entry.kind === 'new'),
        `rate limit: ${this.#limiter.queued} requests already wait for credits`,
      );
    }
    const validityMs = this.#options.quoteValidityMs;
    chunkQuoteEntries(sendable, this.capabilities.maxQuotesPerRequest).forEach((chunk, i) => {
      // Each request its own quote_id: a fill names the request that last set its quote.
      const quoteId = i === 0 ? request.quoteId : `${request.quoteId}.${i}`;
      const params = massQuoteParams(request.mmpGroup, quoteId, request.quoteSetId, chunk, validityMs === undefined ? undefined : nowMs + validityMs);
      const cls: RequestClass = chunk.every((entry) => entry.kind === 'cancel') ? 'cancel' : chunk.some((entry) => entry.kind === 'amend') ? 'replace' : 'place';
      const priority = Math.min(...chunk.map((entry) => entry.priority ?? 0));
      const instruments = new Set(chunk.map((entry) => entry.instrumentName)).size;
      this.#call<unknown>(connection, 'private/mass_quote', params, cls, priority, instruments).then(
        (result) => this.#onMassQuoteResult(chunk, result),
        (error: Error) => {
          if (error instanceof RpcError && error.code === MASS_QUOTES_DISABLED) this.#refuseMassQuotes(error.message);
          for (const entry of chunk) this.#requestFailed(error, entry.label, requestKind(entry));
        },
      );
    });
  }

  cancelQuotes(request: CancelQuotesRequest): void {
    const connection = this.#connection;
    const fail = (code: number, reason: string): void => {
      for (const label of request.labels) this.#emit({ type: 'OrderRequestFailed', label, request: 'cancel', code, reason });
    };
    if (!this.capabilities.massQuote) return void queueMicrotask(() => fail(0, `venue ${this.venueId} has no mass quotes for this account`));
    if (!connection?.isOpen || this.#phase !== 'live') return void queueMicrotask(() => fail(0, `venue ${this.venueId} is not connected`));
    this.#call<unknown>(connection, 'private/cancel_quotes', cancelQuotesParams(request.scope, request.freeze ?? false), 'cancel').then(
      (result) => this.#reportOrders(cancelledQuoteOrders(result)),
      (error: Error) => {
        for (const label of request.labels) this.#requestFailed(error, label, 'cancel');
      },
    );
  }

  /** Mass quotes granted and not refused on this connection. */
  #massQuoteUsable(): boolean {
    return this.capabilities.massQuote && !this.#massQuoteRefused;
  }

  /**
   * A bulk cancel's quotes: pulled too, and frozen so that none in flight lands behind the cancel.
   * Quote cancels waiting for the end of this turn that it covers go with it instead (a mass
   * quote behind the freeze would be refused).
   */
  #pullQuotes(scope: Parameters<typeof cancelQuotesParams>[0], covers: (entry: QuoteEntry) => boolean): void {
    if (!this.#massQuoteUsable()) return;
    const labels: string[] = [];
    for (const batch of this.#pendingQuotes.values()) {
      for (let i = batch.entries.length - 1; i >= 0; i--) {
        const entry = batch.entries[i]!;
        if (entry.kind === 'cancel' && covers(entry)) {
          labels.unshift(entry.label);
          batch.entries.splice(i, 1);
        }
      }
    }
    this.cancelQuotes({ scope, freeze: true, labels });
  }

  /** Queues a quote entry for the end of this turn, when the turn's entries go out together. */
  #queueQuote(mmpGroup: string, quoteSetId: string, entry: QuoteEntry): void {
    const key = `${mmpGroup}\u0000${quoteSetId}`;
    let batch = this.#pendingQuotes.get(key);
    if (!batch) this.#pendingQuotes.set(key, (batch = { mmpGroup, quoteSetId, entries: [] }));
    batch.entries.push(entry);
    if (this.#quoteFlushScheduled) return;
    this.#quoteFlushScheduled = true;
    queueMicrotask(() => {
      this.#quoteFlushScheduled = false;
      const batches = [...this.#pendingQuotes.values()];
      this.#pendingQuotes.clear();
      for (const { mmpGroup: group, quoteSetId: set, entries } of batches) {
        if (entries.length === 0) continue;
        // Pulling every quote of a set (a pause, a trigger) is one bulk cancel rather than a mass quote of zeros.
        if (entries.length > 1 && this.#cancelsWholeSet(set, entries)) this.cancelQuotes({ scope: { kind: 'quoteSet', quoteSetId: set }, labels: entries.map((e) => e.label) });
        else this.massQuote({ mmpGroup: group, quoteId: this.#nextQuoteId(), quoteSetId: set, entries });
      }
    });
  }

  /** The entries are all cancels, of every quote of ours resting in the set. */
  #cancelsWholeSet(quoteSetId: string, entries: readonly QuoteEntry[]): boolean {
    if (!entries.every((entry) => entry.kind === 'cancel')) return false;
    const slots = new Set(entries.map((entry) => `${entry.instrumentName}\u0000${entry.side}`));
    for (const route of this.#quoteRoutes.values()) if (route.quoteSetId === quoteSetId && !slots.has(`${route.instrumentName}\u0000${route.side}`)) return false;
    return true;
  }

  #nextQuoteId(): string {
    return `q.${this.#quoteSession}.${++this.#quoteSeq}`;
  }

  /** Where replaces and cancels of our quotes go: learnt from every report that carries quote fields. */
  #noteQuote(report: VenueOrderReport): void {
    if (!report.quote) return;
    if (report.venueState === 'open') {
      this.#quoteRoutes.set(report.venueOrderId, { instrumentName: report.instrumentName, side: report.side, mmpGroup: report.quote.mmpGroup, quoteSetId: report.quote.quoteSetId, postOnly: report.postOnly });
    } else this.#quoteRoutes.delete(report.venueOrderId);
  }

  #refuseMassQuotes(reason: string): void {
    if (this.#massQuoteRefused) return;
    this.#massQuoteRefused = true;
    this.#warn('private/mass_quote', `mass quotes refused by the venue (${reason}); quoting goes on with regular orders`);
    this.#publishStatus();
  }

  /**
   * An order request that came back with an error, reported under a label it carried: refused
   * (never sent, or answered with an error: OrderRequestFailed with its code) or lost (timed out,
   * or the connection dropped before the answer: OrderRequestLost, for reconciliation).
   */
  #requestFailed(error: Error, label: string, request: OrderRequestKind): void {
    if (error instanceof RpcError || error instanceof NotSent) this.#emit({ type: 'OrderRequestFailed', label, request, code: error instanceof RpcError ? error.code : 0, reason: error.message });
    else this.#emit({ type: 'OrderRequestLost', label, request, reason: error instanceof RpcTimeout ? error.message : `connection lost: ${error.message}` });
  }

  #failEntries(entries: readonly QuoteEntry[], code: number, reason: string): void {
    for (const entry of entries) this.#emit({ type: 'OrderRequestFailed', label: entry.label, request: requestKind(entry), code, reason });
  }

  /** Reports the venue's order objects; `amended` says which answer an amend of ours. */
  #reportOrders(orders: readonly unknown[], amended: (report: VenueOrderReport) => boolean = () => false): VenueOrderReport[] {
    const reports: VenueOrderReport[] = [];
    for (const order of orders) {
      const parsed = parseOrderReport(this.venueId, order);
      if (!parsed) {
        this.#protocolErrors += 1;
        continue;
      }
      const report = amended(parsed) ? { ...parsed, answersReplace: true } : parsed;
      reports.push(report);
      this.#emit({ type: 'OrderReported', report });
    }
    return reports;
  }

  /**
   * One mass quote's answer, entry by entry: the venue's order for its slot (reported as it is),
   * the venue's error for its side, or — a cancel answered with neither — the quote was no longer
   * there (reported refused, so the OMS asks after it). An answer that cannot be read leaves every
   * entry lost: reconciliation finds out what rests.
   */
  #onMassQuoteResult(entries: readonly QuoteEntry[], result: unknown): void {
    const parsed = parseMassQuoteResult(result);
    if (!parsed.ok) {
      this.#warn('private/mass_quote', parsed.reason);
      for (const entry of entries) this.#emit({ type: 'OrderRequestLost', label: entry.label, request: requestKind(entry), reason: parsed.reason });
      return;
    }
    const slot = (instrumentName: string, side: 'buy' | 'sell'): string => `${instrumentName}\u0000${side}`;
    const amends = new Set(entries.flatMap((entry) => (entry.kind === 'amend' ? [slot(entry.instrumentName, entry.side)] : [])));
    const answered = new Set<string>();
    for (const report of this.#reportOrders(parsed.orders, (r) => r.venueState === 'open' && amends.has(slot(r.instrumentName, r.side)))) answered.add(slot(report.instrumentName, report.side));
    const { fills, refused } = parseUserTrades(this.venueId, parsed.trades);
    for (const reason of refused) this.#warn('private/mass_quote', reason);
    for (const fill of fills) this.#reportFill(fill);
    const errors = new Map(parsed.errors.map((e) => [slot(e.instrumentName, e.side), e]));
    for (const entry of entries) {
      const key = slot(entry.instrumentName, entry.side);
      const error = errors.get(key);
      if (error) this.#emit({ type: 'OrderRequestFailed', label: entry.label, request: requestKind(entry), code: error.code, reason: error.reason });
      else if (answered.has(key)) continue;
      else if (entry.kind === 'cancel') this.#emit({ type: 'OrderRequestFailed', label: entry.label, request: 'cancel', code: 10004, reason: 'no quote rested on this side' });
      else this.#emit({ type: 'OrderRequestLost', label: entry.label, request: requestKind(entry), reason: 'the venue answered without this quote' });
    }
  }

  configureMmp(config: MmpConfig): void {
    const indexName = typeof config?.indexName === 'string' ? config.indexName : '';
    if (!this.capabilities.mmp) return this.#mmpRefused(indexName, 'configure', `venue ${this.venueId} has no market maker protection without credentials`);
    const parsed = parseMmpConfig(config);
    if (!parsed.ok) return this.#mmpRefused(indexName, 'configure', `invalid MMP configuration: ${parsed.reason}`);
    const key = mmpKey(indexName, parsed.config.mmpGroup);
    if (parsed.config.intervalSec === 0) this.#mmpConfigs.delete(key);
    else this.#mmpConfigs.set(key, parsed.config);
    // Before this connection's sync reaches MMP (or while disconnected), the sync applies it.
    const connection = this.#connection;
    if (!connection?.isOpen || this.#mmpSynced !== connection) return;
    this.#applyMmp(connection, parsed.config).catch(() => undefined);
  }

  resetMmp(indexName: string, mmpGroup?: string): void {
    if (mmpGroup === undefined) {
      // The index's own protection, then every group of the index we configured or saw frozen.
      const groups = new Set<string>();
      for (const config of this.#mmpConfigs.values()) if (config.indexName === indexName && config.mmpGroup !== undefined) groups.add(config.mmpGroup);
      for (const frozen of this.#mmpFrozen.values()) if (frozen.indexName === indexName && frozen.mmpGroup !== undefined) groups.add(frozen.mmpGroup);
      for (const group of groups) this.#resetMmp(indexName, group);
    }
    this.#resetMmp(indexName, mmpGroup);
  }

  #resetMmp(indexName: string, mmpGroup: string | undefined): void {
    if (!this.capabilities.mmp) return this.#mmpRefused(indexName, 'reset', `venue ${this.venueId} has no market maker protection without credentials`, mmpGroup);
    const connection = this.#connection;
    if (!connection?.isOpen || this.#phase !== 'live') return this.#mmpRefused(indexName, 'reset', `venue ${this.venueId} is not connected`, mmpGroup);
    const group = mmpGroup === undefined ? {} : { mmpGroup };
    this.#call(connection, 'private/reset_mmp', { index_name: indexName, ...(mmpGroup !== undefined && { mmp_group: mmpGroup }) }, 'control').then(
      () => {
        this.#mmpFrozen.delete(mmpKey(indexName, mmpGroup));
        this.#emit({ type: 'MmpReset', venueId: this.venueId, indexName, ...group, tsMs: this.#options.clock.nowMs() });
      },
      (error: Error) => this.#emit({ type: 'MmpRequestFailed', venueId: this.venueId, indexName, ...group, request: 'reset', code: error instanceof RpcError ? error.code : 0, reason: error.message }),
    );
  }

  /** Refused before anything was sent: reported asynchronously, like every outcome, so a caller is never re-entered. */
  #mmpRefused(indexName: string, request: MmpRequestKind, reason: string, mmpGroup?: string): void {
    queueMicrotask(() => this.#emit({ type: 'MmpRequestFailed', venueId: this.venueId, indexName, ...(mmpGroup !== undefined && { mmpGroup }), request, code: 0, reason }));
  }

  /**
   * Sends one configuration; MmpConfigured when the venue takes it. A refusal is reported and the
   * configuration forgotten (a reconnect would only be refused again); any other failure (lost
   * connection, no answer) is reported and thrown, and the next connect applies it again.
   */
  async #applyMmp(connection: RpcConnection, config: MmpConfig): Promise<void> {
    const { indexName, mmpGroup } = config;
    const key = mmpKey(indexName, mmpGroup);
    try {
      await this.#call(connection, 'private/set_mmp_config', mmpConfigParams(config), 'control');
    } catch (error) {
      const refused = error instanceof RpcError;
      if (refused && this.#mmpConfigs.get(key) === config) this.#mmpConfigs.delete(key);
      const reason = refused ? error.message : `${(error as Error).message}; applied again on the next connect`;
      this.#emit({ type: 'MmpRequestFailed', venueId: this.venueId, indexName, ...(mmpGroup !== undefined && { mmpGroup }), request: 'configure', code: refused ? error.code : 0, reason });
      if (!refused) throw error;
      return;
    }
    this.#emit({ type: 'MmpConfigured', venueId: this.venueId, config, tsMs: this.#options.clock.nowMs() });
  }

  /**
   * On a fresh connection, before it is reported connected: the venue holds our configurations
   * (re-applied where it does not), and whether MMP is frozen is reported — MmpTriggered for each
   * frozen index, MmpReset for one last reported frozen that no longer is.
   */
  async #syncMmp(connection: RpcConnection): Promise<void> {
    this.#mmpSynced = connection;
    const wanted = [...this.#mmpConfigs.values()];
    if (wanted.length === 0 && this.#mmpFrozen.size === 0) return;
    const call = <T>(method: string): Promise<T | undefined> =>
      this.#call<T>(connection, method, {}, 'control').catch((error: Error) => {
        // A venue that refuses (no MMP on the account, an older API) costs a warning, not the connection.
        if (!(error instanceof RpcError)) throw error;
        this.#warn(method, error.message);
        return undefined;
      });
    if (wanted.length > 0) {
      const held = parseMmpConfigs((await call<unknown>('private/get_mmp_config')) ?? []);
      if (!held.ok) this.#warn('private/get_mmp_config', held.reason);
      for (const config of wanted) {
        const venue = held.ok ? held.value.find((c) => c.indexName === config.indexName && c.mmpGroup === config.mmpGroup) : undefined;
        if (venue && sameMmpConfig(config, venue)) this.#emit({ type: 'MmpConfigured', venueId: this.venueId, config, tsMs: this.#options.clock.nowMs() });
        else await this.#applyMmp(connection, config);
      }
    }
    const result = await call<unknown>('private/get_mmp_status');
    if (result === undefined) return;
    const statuses = parseMmpStatuses(result);
    if (!statuses.ok) return this.#warn('private/get_mmp_status', statuses.reason);
    const nowMs = this.#options.clock.nowMs();
    const frozen = new Map(statuses.value.map((s) => [mmpKey(s.indexName, s.mmpGroup), s]));
    for (const [key, { indexName, mmpGroup, untilMs }] of this.#mmpFrozen) {
      if (frozen.has(key)) continue;
      this.#mmpFrozen.delete(key);
      // A timed freeze that is over by now needs no word: it ended by itself.
      if (untilMs > nowMs) this.#emit({ type: 'MmpReset', venueId: this.venueId, indexName, ...(mmpGroup !== undefined && { mmpGroup }), tsMs: nowMs });
    }
    for (const status of frozen.values()) this.#reportMmpFrozen(status.indexName, status.mmpGroup, status.frozenUntilMs, nowMs);
  }

  #reportMmpFrozen(indexName: string, mmpGroup: string | undefined, frozenUntilMs: number, tsMs: number): void {
    this.#mmpFrozen.set(mmpKey(indexName, mmpGroup), { indexName, mmpGroup, untilMs: frozenUntilMs });
    this.#emit({ type: 'MmpTriggered', venueId: this.venueId, indexName, ...(mmpGroup !== undefined && { mmpGroup }), frozenUntilMs, tsMs });
  }

  /**
   * Sends an order request and reports its outcome: the order object of a success, the venue's
   * error, or — when no answer comes in time — a lost request whose effect is unknown.
   */
  #orderRequest(kind: OrderRequestKind, label: string, method: string, params: Record<string, unknown>, priority?: number): void {
    const connection = this.#connection;
    // Queries are how reconciliation completes, so they may go out while syncing; nothing else may.
    const usable = connection?.isOpen && (this.#phase === 'live' || (kind === 'query' && this.#phase === 'syncing'));
    if (!connection || !usable) return this.#refuse(label, kind, `venue ${this.venueId} is not connected`);
    const nowMs = this.#options.clock.nowMs();
    if ((kind === 'place' || kind === 'replace') && this.#safeMode.isActive(nowMs)) {
      return this.#refuse(label, kind, `safe mode after too_many_requests: only cancels are sent for ${Math.ceil(this.#safeMode.untilMs - nowMs)} ms more`);
    }
    if (kind === 'place' && this.#limiter.queued >= (this.#options.maxQueuedRequests ?? 2_000)) return this.#refuse(label, kind, `rate limit: ${this.#limiter.queued} requests already wait for credits`);
    const cls: RequestClass = kind;
    this.#call<unknown>(connection, method, params, cls, priority)
      .then((result) => {
        const order = kind === 'cancel' || kind === 'query' ? result : (result as { order?: unknown } | undefined)?.order;
        const report = parseOrderReport(this.venueId, order);
        if (report) this.#emit({ type: 'OrderReported', report });
        else this.#protocolErrors += 1;
      })
      .catch((error: Error) => this.#requestFailed(error, label, kind));
  }

  /** An order request not sent, reported asynchronously like every other outcome, so a caller is never re-entered. */
  #refuse(label: string, kind: OrderRequestKind, reason: string): void {
    queueMicrotask(() => this.#emit({ type: 'OrderRequestFailed', label, request: kind, code: 0, reason }));
  }

  // ------------------------------------------------------------------------------------------
  // Requests through the credit limiter.

  /** Queues a request for credits; it is sent on `connection` when they suffice, if the connection is still ours. */
  #call<T>(connection: RpcConnection, method: string, params: Record<string, unknown>, cls: RequestClass, priority?: number, quotes = 0): Promise<T> {
    if (!connection.isOpen) return Promise.reject(new NotSent(`${method}: connection is closed`));
    return new Promise<T>((resolve, reject) => {
      this.#limiter.enqueue({ connection, method, params, resolve: resolve as (result: unknown) => void, reject }, { cls, ...(priority !== undefined && { priority }), charges: chargesFor(method, this.#limits, quotes) });
      this.#pump();
    });
  }

  /** Sends what the credits allow now and sets a timer for the rest. */
  #pump(): void {
    const nowMs = this.#options.clock.nowMs();
    for (const outgoing of this.#limiter.release(nowMs)) this.#send(outgoing, nowMs);
    const nextMs = this.#limiter.nextReleaseMs(nowMs);
    if (nextMs === undefined || this.#phase === 'closed') return;
    if (this.#pumpTimer && this.#pumpAtMs <= nextMs) return;
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    this.#pumpAtMs = nextMs;
    this.#pumpTimer = setTimeout(
      () => {
        this.#pumpTimer = undefined;
        this.#pumpAtMs = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      Math.max(1, nextMs - nowMs),
    );
  }

  #send(outgoing: Outgoing, nowMs: number): void {
    const { connection, method } = outgoing;
    if (connection !== this.#connection || !connection.isOpen) {
      outgoing.reject(new NotSent(`${method}: the connection was lost before it was sent`));
      return;
    }
    connection.request(method, outgoing.params).then(
      (result) => {
        this.#rttMs = this.#options.clock.nowMs() - nowMs;
        outgoing.resolve(result);
      },
      (error: Error) => {
        if (error instanceof RpcError && error.code === TOO_MANY_REQUESTS) this.#onTooManyRequests(method);
        if (error instanceof RpcError && error.code === TOO_MANY_QUOTES) this.#onTooManyQuotes();
        outgoing.reject(error);
      },
    );
  }

  /** The venue refused for lack of credits (and Deribit ends the session): our model was optimistic. */
  #onTooManyRequests(method: string): void {
    const nowMs = this.#options.clock.nowMs();
    this.#tooManyRequests += 1;
    this.#limiter.exhausted(poolOf(method), nowMs);
    const untilMs = this.#safeMode.enter(nowMs);
    const reason = `safe mode after too_many_requests on ${method}: only cancels are sent for ${untilMs - nowMs} ms`;
    for (const outgoing of this.#limiter.remove((_, cls) => cls === 'place' || cls === 'replace')) outgoing.reject(new NotSent(reason));
    this.#emit({ type: 'VenueWarning', venueId: this.venueId, source: method, reason });
    if (this.#safeModeTimer) clearTimeout(this.#safeModeTimer);
    this.#safeModeTimer = setTimeout(() => {
      this.#safeModeTimer = undefined;
      this.#publishStatus();
    }, untilMs - nowMs);
    this.#publishStatus();
  }

  /** The venue's quote limits ran out before ours (Deribit keeps the session): our pools start again from empty. */
  #onTooManyQuotes(): void {
    const nowMs = this.#options.clock.nowMs();
    this.#tooManyRequests += 1;
    this.#limiter.exhausted('massQuotes', nowMs);
    this.#limiter.exhausted('quotes', nowMs);
    this.#warn('private/mass_quote', 'too_many_quotes: the venue’s mass-quote limit was reached before ours; waiting for it to refill');
  }

  // ------------------------------------------------------------------------------------------
  // Events and status.

  #emit(event: VenueEvent): void {
    if (event.type === 'OrderReported') this.#noteQuote(event.report);
    else if (event.type === 'OrdersReconciled') {
      this.#quoteRoutes.clear();
      for (const report of event.open) this.#noteQuote(report);
    }
    for (const listener of this.#listeners) listener(event);
  }

  #warn(source: string, reason: string): void {
    this.#protocolErrors += 1;
    this.#emit({ type: 'VenueWarning', venueId: this.venueId, source, reason });
  }

  #status(state: VenueConnectionState, detail: string): void {
    this.#base = { state, detail, sinceTsMs: this.#options.clock.nowMs() };
    this.#publishStatus();
  }

  #figures(nowMs: number): Pick<VenueStatus, 'rttMs' | 'creditsAvailable' | 'creditsMax' | 'safeMode' | 'messagesPerSec' | 'massQuote'> {
    return {
      ...(this.capabilities.massQuote && { massQuote: !this.#massQuoteRefused }),
      ...(this.#rttMs !== undefined && { rttMs: this.#rttMs }),
      // The matching-engine pool: the one quoting spends and the trader needs to see.
      creditsAvailable: Math.floor(this.#limiter.available('matching', nowMs)),
      creditsMax: this.#limiter.maxCredits('matching'),
      safeMode: this.#safeMode.isActive(nowMs),
      messagesPerSec: this.#rates.perSecond(nowMs),
    };
  }

  #publishStatus(): void {
    const nowMs = this.#options.clock.nowMs();
    const figures = this.#figures(nowMs);
    this.#lastFigures = JSON.stringify(figures);
    const status: VenueStatus = { venueId: this.venueId, displayName: this.#options.displayName, ...this.#base, ...figures };
    this.#emit({ type: 'StatusChanged', status });
  }

  /** Figures-only refresh while live, throttled by the status timer and skipped when nothing changed. */
  #refreshStatus(): void {
    if (this.#phase !== 'live') return;
    if (JSON.stringify(this.#figures(this.#options.clock.nowMs())) === this.#lastFigures) return;
    this.#publishStatus();
  }

  #subscribeMethod(verb: 'subscribe' | 'unsubscribe'): string {
    return this.#options.credentials ? `private/${verb}` : `public/${verb}`;
  }

  // ------------------------------------------------------------------------------------------
  // Connection life cycle.

  async #connect(): Promise<void> {
    if (this.#phase === 'closed') return;
    this.#phase = 'connecting';
    this.#status(this.#attempt === 0 ? 'connecting' : 'reconnecting', `connecting to ${this.#options.url}${this.#attempt > 0 ? ` (attempt ${this.#attempt + 1})` : ''}`);
    let connection: RpcConnection;
    try {
      connection = await RpcConnection.open({
        url: this.#options.url,
        requestTimeoutMs: this.#options.requestTimeoutMs ?? 5000,
        onNotification: (channel, data) => this.#onNotification(channel, data),
        onFrame: () => {
          this.#lastFrameMs = this.#options.clock.nowMs();
          this.#messages += 1;
          this.#rates.count('total', this.#lastFrameMs);
        },
        onText: this.#onText,
        onTestRequest: () => {
          // The venue closes a connection that leaves a test_request unanswered: a control request, first in line.
          if (this.#connection === connection) this.#call(connection, 'public/test', {}, 'control').catch(() => undefined);
        },
        onProtocolError: () => {
          this.#protocolErrors += 1;
        },
        onClose: (reason) => this.#onLost(connection, reason),
        ...(this.#options.probe && { probe: this.#options.probe }),
      });
    } catch (error) {
      this.#scheduleReconnect(`cannot connect: ${(error as Error).message}`);
      return;
    }
    // close() may have run while the socket was opening.
    if ((this.#phase as Phase) === 'closed') {
      connection.close();
      return;
    }
    this.#connection = connection;
    // A refusal of mass quotes holds for the connection it came on: a new one tries again.
    this.#massQuoteRefused = false;
    this.#lastFrameMs = this.#options.clock.nowMs();
    try {
      await this.#sync(connection);
    } catch (error) {
      if (this.#connection === connection) connection.terminate(`sync failed: ${(error as Error).message}`);
      return;
    }
    if (this.#connection !== connection || !connection.isOpen) return;
    this.#phase = 'live';
    this.#attempt = 0;
    this.#status('connected', `${this.#tickSizes.size} instruments, books via book.*.${this.#options.bookInterval ?? '100ms'}`);
  }

  /** Everything a fresh connection needs before its data can be trusted. */
  async #sync(connection: RpcConnection): Promise<void> {
    this.#phase = 'syncing';
    const call = <T>(method: string, params: Record<string, unknown>): Promise<T> => this.#call<T>(connection, method, params, 'control');
    const credentials = this.#options.credentials;
    if (credentials) {
      const auth = await call<{ expires_in: number; refresh_token: string }>('public/auth', {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      });
      this.#scheduleRefresh(connection, auth);
      // If the workstation dies, the venue pulls whatever this connection left resting.
      await call('private/enable_cancel_on_disconnect', { scope: 'connection' });
    }
    await call('public/set_heartbeat', { interval: this.#options.heartbeatSec ?? 10 });
    const instruments: InstrumentRow[] = [];
    for (const currency of this.#options.currencies) {
      const result = await call('public/get_instruments', { currency, expired: false });
      instruments.push(...parseInstruments(this.venueId, result).instruments);
    }
    this.#tickSizes.clear();
    for (const instrument of instruments) {
      this.#tickSizes.set(instrument.instrumentName, instrument.tickSize);
      this.#currencyOf.set(instrument.instrumentName, instrument.currency);
    }
    this.#emit({ type: 'InstrumentsListed', instruments });
    const batch = this.#options.subscribeBatch ?? 500;
    // Every batch at once: the venue answers them in turn, and waiting for each before asking the
    // next would add a round trip per batch (17 for a full BTC + ETH chain) to every resync.
    const subscribe = async (channels: readonly string[]): Promise<void> => {
      const batches: Promise<unknown>[] = [];
      for (let i = 0; i < channels.length; i += batch) batches.push(call(this.#subscribeMethod('subscribe'), { channels: channels.slice(i, i + batch) }));
      await Promise.all(batches);
    };
    if (credentials) {
      // Our own streams first: whatever happens from here on is reported live, so what the
      // reconciliation below fetches leaves no gap behind it.
      await subscribe(
        this.#options.currencies.flatMap((currency) => [
          `user.orders.any.${currency}.raw`,
          `user.trades.any.${currency}.raw`,
          `user.portfolio.${currency.toLowerCase()}`,
          `user.mmp_trigger.${usdIndexOf(currency)}`,
        ]),
      );
      await this.#syncMmp(connection);
      await this.#reconcileOrders(connection);
      await this.#recoverFills(connection);
      await this.#reconcilePositions(connection);
    }
    const interval = this.#options.bookInterval ?? '100ms';
    await subscribe([
      ...this.#options.currencies.map((currency) => `deribit_price_index.${currency.toLowerCase()}_usd`),
      ...this.#options.currencies.map((currency) => `trades.any.${currency}.${interval}`),
      ...instruments.flatMap((instrument) => [`book.${instrument.instrumentName}.${interval}`, `ticker.${instrument.instrumentName}.100ms`]),
    ]);
  }

  /** Our open orders at the venue, before anything new is sent on this connection. */
  async #reconcileOrders(connection: RpcConnection): Promise<void> {
    const open: VenueOrderReport[] = [];
    for (const currency of this.#options.currencies) {
      const orders = await this.#call<unknown[]>(connection, 'private/get_open_orders_by_currency', { currency }, 'control');
      for (const order of Array.isArray(orders) ? orders : []) {
        const report = parseOrderReport(this.venueId, order);
        if (report) open.push(report);
        else this.#protocolErrors += 1;
      }
    }
    this.#emit({ type: 'OrdersReconciled', venueId: this.venueId, open });
  }

  /** The fills made while we were away, from the last one seen (or, the first time, the baseline). */
  async #recoverFills(connection: RpcConnection): Promise<void> {
    const fetch: FetchTrades = (params) => this.#call(connection, 'private/get_user_trades_by_currency', params, 'control');
    for (const currency of this.#options.currencies) {
      const source = `private/get_user_trades_by_currency ${currency}`;
      let since = this.#watermarks.get(currency);
      if (!since && this.#options.fillsSinceMs !== undefined) since = { tsMs: this.#options.fillsSinceMs, tradeIds: new Set() };
      if (!since) {
        const baseline = await newestWatermark(this.venueId, currency, fetch);
        for (const reason of baseline.refused) this.#warn(source, reason);
        // Live fills may have come in meanwhile: whichever is newer, and at the same time both.
        this.#watermarks.set(currency, merge(this.#watermarks.get(currency), baseline.watermark));
        continue;
      }
      const recovery = await recoverTrades(this.venueId, currency, since, fetch);
      for (const reason of recovery.refused) this.#warn(source, reason);
      if (!recovery.complete) this.#warn(source, `fill recovery since ${since.tsMs} may be incomplete: the venue's pages did not reach back to it; positions will be adopted from the venue`);
      for (const fill of recovery.fills) this.#reportFill(fill);
    }
  }

  /** The venue's positions (every kind) and account summaries: what the position book reconciles with. */
  async #reconcilePositions(connection: RpcConnection): Promise<void> {
    const positions: VenuePosition[] = [];
    const accounts: VenueAccount[] = [];
    for (const currency of this.#options.currencies) {
      const result = await this.#call<unknown>(connection, 'private/get_positions', { currency }, 'control');
      const tsMs = this.#options.clock.nowMs();
      if (!Array.isArray(result)) this.#warn(`private/get_positions ${currency}`, 'positions: not an array');
      for (const entry of Array.isArray(result) ? result : []) {
        const parsed = parsePosition(this.venueId, entry, tsMs);
        if (parsed.ok) positions.push(parsed.value);
        else this.#warn(`private/get_positions ${currency}`, parsed.reason);
      }
      const summary = await this.#call<unknown>(connection, 'private/get_account_summary', { currency }, 'control');
      const account = parseAccount(this.venueId, summary, this.#options.clock.nowMs());
      if (account.ok) accounts.push(account.value);
      else this.#warn(`private/get_account_summary ${currency}`, account.reason);
    }
    this.#emit({ type: 'PositionsReconciled', venueId: this.venueId, positions, accounts });
  }

  /** Emits a fill once, however many times it is delivered, and moves its currency's watermark. */
  #reportFill(fill: Fill): void {
    if (this.#seenTrades.has(fill.tradeId)) return;
    this.#seenTrades.add(fill.tradeId);
    // Insertion order is age: forget the oldest (their watermark is long past them).
    if (this.#seenTrades.size > SEEN_TRADES) this.#seenTrades.delete(this.#seenTrades.values().next().value!);
    const currency = this.#currencyOf.get(fill.instrumentName) ?? fill.instrumentName.split(/[-_]/)[0]!;
    this.#watermarks.set(currency, advance(this.#watermarks.get(currency), fill));
    this.#emit({ type: 'FillReported', fill });
  }

  #scheduleRefresh(connection: RpcConnection, grant: { expires_in: number; refresh_token: string }): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    // Refresh at 80 % of the lifetime so a slow answer never leaves us with an expired token.
    const delayMs = Math.max(1000, grant.expires_in * 1000 * 0.8);
    this.#refreshTimer = setTimeout(() => {
      if (this.#connection !== connection || !connection.isOpen) return;
      this.#call<{ expires_in: number; refresh_token: string }>(connection, 'public/auth', { grant_type: 'refresh_token', refresh_token: grant.refresh_token }, 'control')
        .then((next) => this.#scheduleRefresh(connection, next))
        .catch((error: Error) => connection.terminate(`token refresh failed: ${error.message}`));
    }, delayMs);
  }

  #onNotification(channel: string, data: unknown): void {
    this.#rates.count(channelFamily(channel), this.#lastFrameMs);
    if (channel.startsWith('book.')) {
      const book = parseBook(data, this.#tickSizeOf);
      if (book) this.#emitBook(book);
      else this.#protocolErrors += 1;
      return;
    }
    if (channel.startsWith('ticker.')) {
      const ticker = parseTicker(data);
      if (ticker) this.#emit({ type: 'TickerUpdated', ticker });
      else this.#protocolErrors += 1;
      return;
    }
    if (channel.startsWith('trades.')) {
      const { trades, refused } = parsePublicTrades(data);
      this.#protocolErrors += refused;
      if (trades.length > 0) this.#emit({ type: 'PublicTrades', trades });
      return;
    }
    if (channel.startsWith('user.trades.')) {
      // One bad trade in a notification costs that trade (and a warning), not its neighbours.
      const { fills, refused } = parseUserTrades(this.venueId, data);
      for (const reason of refused) this.#warn(channel, reason);
      for (const fill of fills) this.#reportFill(fill);
      return;
    }
    if (channel.startsWith('user.orders.')) {
      const report = parseOrderReport(this.venueId, data);
      if (report) this.#emit({ type: 'OrderReported', report });
      else this.#protocolErrors += 1;
      return;
    }
    if (channel.startsWith('user.mmp_trigger.')) {
      const trigger = parseMmpTrigger(data);
      if (!trigger.ok) this.#warn(channel, trigger.reason);
      else if (trigger.freeze) this.#reportMmpFrozen(trigger.freeze.indexName, trigger.freeze.mmpGroup, trigger.freeze.frozenUntilMs, this.#options.clock.nowMs());
      return;
    }
    if (channel.startsWith('user.portfolio.')) {
      const account = parseAccount(this.venueId, data, this.#options.clock.nowMs());
      if (account.ok) this.#emit({ type: 'AccountUpdated', account: account.value });
      else this.#warn(channel, account.reason);
      return;
    }
    if (channel.startsWith('deribit_price_index.')) {
      const index = parseIndex(data);
      if (index) this.#emit({ type: 'IndexUpdated', index: { ...index, currency: index.indexName.split('_')[0]!.toUpperCase() } });
      else this.#protocolErrors += 1;
    }
  }

  #emitBook(book: BookMessage): void {
    if (book.type === 'snapshot') this.#emit({ type: 'BookSnapshot', instrumentName: book.instrumentName, changeId: book.changeId, bids: book.bids, asks: book.asks, tsMs: book.tsMs });
    else this.#emit({ type: 'BookChanged', instrumentName: book.instrumentName, prevChangeId: book.prevChangeId, changeId: book.changeId, bids: book.bids, asks: book.asks, tsMs: book.tsMs });
  }

  #checkSilence(dataTimeoutMs: number): void {
    if (this.#phase !== 'live' || !this.#connection) return;
    const silentMs = this.#options.clock.nowMs() - this.#lastFrameMs;
    if (silentMs > dataTimeoutMs) this.#connection.terminate(`no data for ${silentMs} ms`);
  }

  #onLost(connection: RpcConnection | undefined, reason: string): void {
    if (connection !== undefined && this.#connection !== connection) return;
    this.#connection = undefined;
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    // What still waits for credits never left: it failed, it was not lost.
    for (const outgoing of this.#limiter.remove((item) => item.connection === connection)) outgoing.reject(new NotSent(`${outgoing.method}: the connection was lost before it was sent (${reason})`));
    if (this.#phase === 'closed') return;
    this.#emit({ type: 'FeedLost', reason });
    this.#scheduleReconnect(reason);
  }

  #scheduleReconnect(reason: string): void {
    if (this.#phase === 'closed' || this.#phase === 'waiting') return;
    this.#phase = 'waiting';
    const baseMs = this.#options.reconnectBaseMs ?? 250;
    const maxMs = this.#options.reconnectMaxMs ?? 10_000;
    // Full jitter: many workstations restarting together do not reconnect in lockstep.
    const ceilingMs = Math.min(maxMs, baseMs * 2 ** this.#attempt);
    const delayMs = Math.round(ceilingMs / 2 + (this.#options.random() * ceilingMs) / 2);
    this.#attempt += 1;
    this.#status('reconnecting', `${reason}; retrying in ${delayMs} ms`);
    this.#retryTimer = setTimeout(() => void this.#connect(), delayMs);
  }
}
