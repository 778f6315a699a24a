import type { VenueRequest } from '../engine/venue-request.ts';
import { L2Book } from '../marketdata/l2-book.ts';
import type { LevelUpdate } from '../marketdata/l2-book.ts';
import type { Fill } from '../model/trading.ts';
import type { InstrumentRow } from '../protocol/index.ts';
import type { VenueEvent, VenueOrderReport } from '../venues/venue-adapter.ts';
import type { FeeSchedule } from './fees.ts';
import { DERIBIT_FEES, feeCoin } from './fees.ts';
import type { MarketTrade } from './frame-decoder.ts';

/**
 * The venue side of a backtest: our orders rest in a shadow of the recorded books, where they
 * never show, never move the market, and fill only as the recorded trades allow. Deterministic:
 * a function of the market events, the requests (with their arrival times) and the injected
 * random source. Nothing here knows about latency: the replay driver delivers requests when they
 * reach the venue and delays what comes back.
 *
 * Queue position: an order joining a level queues behind the size shown there when it arrives;
 * a price change or a size increase sends it to the back. Trades at our price by aggressors on
 * the other side consume the queue ahead of us first, then us. A trade through our price (a sell
 * below our bid) means the level was swept: it fills us up to its size. Book moves alone never
 * fill us, and we are never filled at a price the market did not trade. The queue ahead can never
 * exceed the size the level shows (who left, left from somewhere).
 *
 *  - conservative: only trades move us up;
 *  - probabilistic: in addition, size leaving our level without a trade (cancellations) was ahead
 *    of us with probability ahead / (ahead + behind), drawn from the seeded random source.
 *
 * Crossing orders: post-only ones are rejected (Deribit's reject_post_only behaviour); others
 * take the shown levels up to their limit price as taker (what they take is not shown again
 * until the book next changes), and an IOC's rest is cancelled.
 */

export type QueueModel = 'conservative' | 'probabilistic';

export interface FillModelOptions {
  readonly venueId: string;
  readonly queue: QueueModel;
  readonly fees?: FeeSchedule;
  /** Uniform [0, 1), seeded: the probabilistic queue's draws. */
  readonly random: () => number;
}

interface ShadowOrder {
  readonly venueOrderId: string;
  readonly label: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  price: number;
  priceTicks: number;
  amount: number;
  filled: number;
  notional: number;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  state: 'open' | 'filled' | 'cancelled' | 'rejected';
  /** Size ahead of us at our level. */
  ahead: number;
  /** Traded at our level since the book last showed the level shrink (not cancellations). */
  tradedUnseen: number;
  cancelReason?: string;
}

/** Tick index of a price on the instrument's smallest tick grid, snapped. */
function ticksOf(instrument: InstrumentRow, price: number): number {
  return Math.round(price / instrument.tickSize);
}

export class FillModel {
  readonly #options: FillModelOptions;
  readonly #fees: FeeSchedule;
  readonly #instruments = new Map<string, InstrumentRow>();
  readonly #books = new Map<string, L2Book>();
  /** Size taken from a shown level by our crossing orders since the instrument's book last changed. */
  readonly #taken = new Map<string, Map<string, number>>();
  readonly #orders = new Map<string, ShadowOrder>();
  /** Open orders per instrument, in time priority. */
  readonly #open = new Map<string, ShadowOrder[]>();
  readonly #index = new Map<string, number>();
  #nextOrderId = 1;
  #nextTradeId = 1;

  constructor(options: FillModelOptions) {
    this.#options = options;
    this.#fees = options.fees ?? DERIBIT_FEES;
  }

  /** Open orders (for reports and tests). */
  openOrders(): readonly VenueOrderReport[] {
    const out: VenueOrderReport[] = [];
    for (const list of this.#open.values()) for (const order of list) out.push(this.#report(order, 0));
    return out;
  }

  /** Size ahead of an order in its queue, undefined when it is not open. */
  queueAhead(venueOrderId: string): number | undefined {
    const order = this.#orders.get(venueOrderId);
    return order?.state === 'open' ? order.ahead : undefined;
  }

  book(instrumentName: string): L2Book | undefined {
    return this.#books.get(instrumentName);
  }

  /** A market event, at venue time: books, instruments and indices are tracked; nothing here fills. */
  onMarket(event: VenueEvent): void {
    switch (event.type) {
      case 'InstrumentsListed':
        for (const row of event.instruments) {
          this.#instruments.set(row.instrumentName, row);
          if (!this.#books.has(row.instrumentName)) this.#books.set(row.instrumentName, new L2Book(row.instrumentName));
        }
        return;
      case 'IndexUpdated':
        this.#index.set(event.index.currency, event.index.price);
        return;
      case 'BookSnapshot': {
        const book = this.#books.get(event.instrumentName);
        if (!book) return;
        this.#taken.delete(event.instrumentName);
        book.applySnapshot(event.changeId, event.bids, event.asks, event.tsMs);
        this.#clampQueues(event.instrumentName, undefined, undefined);
        return;
      }
      case 'BookChanged': {
        const book = this.#books.get(event.instrumentName);
        if (!book) return;
        this.#taken.delete(event.instrumentName);
        const resting = this.#open.get(event.instrumentName);
        if (resting && resting.length > 0) this.#beforeChange(book, resting, event.bids, event.asks);
        book.applyChange(event.prevChangeId, event.changeId, event.bids, event.asks, event.tsMs);
        this.#clampQueues(event.instrumentName, event.bids, event.asks);
        return;
      }
      default:
        return;
    }
  }

  /** The recorded book of an instrument as a snapshot (answering the engine's Resnapshot). */
  snapshot(instrumentName: string, tsMs: number): VenueEvent | undefined {
    const book = this.#books.get(instrumentName);
    if (!book || book.status.state !== 'live' || book.changeId === undefined) return undefined;
    const level = ([priceTicks, amount]: readonly [number, number]): LevelUpdate => ({ action: 'new', priceTicks, amount });
    return { type: 'BookSnapshot', instrumentName, changeId: book.changeId, bids: book.levels('bid').map(level), asks: book.levels('ask').map(level), tsMs };
  }

  /** A public trade, at venue time: our resting orders it reaches fill. */
  onTrade(trade: MarketTrade, tsMs: number): VenueEvent[] {
    const resting = this.#open.get(trade.instrumentName);
    if (!resting || resting.length === 0) return [];
    // The aggressor's opposite side is the one it trades against.
    const passive: 'buy' | 'sell' = trade.direction === 'sell' ? 'buy' : 'sell';
    let left = trade.amount;
    const events: VenueEvent[] = [];
    // Through our price first (those levels were swept before the print's price), then at it, in time priority.
    for (const through of [true, false]) {
      for (const order of resting) {
        if (left <= 0) break;
        if (order.side !== passive || order.state !== 'open') continue;
        const better = passive === 'buy' ? trade.priceTicks < order.priceTicks : trade.priceTicks > order.priceTicks;
        const at = trade.priceTicks === order.priceTicks;
        if (through ? !better : !at) continue;
        let available = left;
        if (at) {
          const used = Math.min(order.ahead, available);
          order.ahead -= used;
          order.tradedUnseen += available;
          available -= used;
          left -= used;
        }
        const size = Math.min(available, order.amount - order.filled);
        if (size <= 0) continue;
        left -= size;
        events.push(...this.#fill(order, size, order.price, 'maker', tsMs));
      }
    }
    this.#prune(trade.instrumentName);
    return events;
  }

  /** A request reaching the venue at `tsMs`: what the venue answers. */
  onRequest(request: VenueRequest, tsMs: number): VenueEvent[] {
    switch (request.type) {
      case 'PlaceOrder':
        return this.#place(request.request, tsMs);
      case 'ReplaceOrder':
        return this.#replace(request, tsMs);
      case 'CancelOrder': {
        const order = this.#orders.get(request.venueOrderId);
        if (!order || order.state !== 'open') return [{ type: 'OrderRequestFailed', label: request.label, request: 'cancel', code: 11044, reason: 'not_open_order' }];
        return [this.#cancel(order, 'user_request', tsMs)];
      }
      case 'QueryOrder': {
        const order = this.#orders.get(request.venueOrderId);
        if (!order) return [{ type: 'OrderRequestFailed', label: request.label, request: 'query', code: 10004, reason: 'order_not_found' }];
        return [{ type: 'OrderReported', report: this.#report(order, tsMs) }];
      }
      case 'CancelAll': {
        const events: VenueEvent[] = [];
        for (const [instrumentName, list] of this.#open) {
          if (request.instrumentName !== undefined && request.instrumentName !== instrumentName) continue;
          if (request.currency !== undefined && this.#instruments.get(instrumentName)?.currency !== request.currency) continue;
          for (const order of [...list]) if (order.state === 'open') events.push(this.#cancel(order, 'user_request', tsMs));
        }
        return events;
      }
      case 'Resnapshot': {
        const snapshot = this.snapshot(request.instrumentName, tsMs);
        return snapshot ? [snapshot] : [];
      }
      case 'ConfigureMmp':
      case 'ResetMmp':
        // The recorded venue's protection cannot be replayed: it would have acted on fills the recording never saw.
        return [{ type: 'MmpRequestFailed', venueId: request.venueId, indexName: request.type === 'ConfigureMmp' ? request.config.indexName : request.indexName, request: request.type === 'ConfigureMmp' ? 'configure' : 'reset', code: 0, reason: 'no market maker protection in a backtest' }];
    }
  }

  #place(request: Extract<VenueRequest, { type: 'PlaceOrder' }>['request'], tsMs: number): VenueEvent[] {
    const instrument = this.#instruments.get(request.instrumentName);
    const book = this.#books.get(request.instrumentName);
    if (!instrument || !book) return [{ type: 'OrderRequestFailed', label: request.label, request: 'place', code: 10009, reason: 'instrument_not_found' }];
    if (!(request.amount > 0) || !(request.price > 0)) return [{ type: 'OrderRequestFailed', label: request.label, request: 'place', code: 11050, reason: 'bad_request' }];
    const priceTicks = ticksOf(instrument, request.price);
    const crosses = this.#crosses(book, request.instrumentName, request.side, priceTicks);
    if (crosses && request.postOnly) return [{ type: 'OrderRequestFailed', label: request.label, request: 'place', code: 11054, reason: 'post_only_reject' }];
    const order: ShadowOrder = {
      venueOrderId: `bt-${this.#nextOrderId++}`,
      label: request.label,
      instrumentName: request.instrumentName,
      side: request.side,
      price: request.price,
      priceTicks,
      amount: request.amount,
      filled: 0,
      notional: 0,
      postOnly: request.postOnly,
      reduceOnly: request.reduceOnly,
      state: 'open',
      ahead: 0,
      tradedUnseen: 0,
    };
    this.#orders.set(order.venueOrderId, order);
    const fills = crosses ? this.#take(order, book, tsMs) : [];
    if (order.state === 'open' && request.timeInForce === 'immediate_or_cancel') {
      order.state = 'cancelled';
      order.cancelReason = 'immediate_or_cancel';
    }
    if (order.state === 'open') this.#rest(order, book);
    // The answer to the request, then the executions (as Deribit's response and user.trades).
    return [{ type: 'OrderReported', report: this.#report(order, tsMs) }, ...fills.filter((event) => event.type === 'FillReported')];
  }

  #replace(request: Extract<VenueRequest, { type: 'ReplaceOrder' }>, tsMs: number): VenueEvent[] {
    const order = this.#orders.get(request.venueOrderId);
    if (!order || order.state !== 'open') return [{ type: 'OrderRequestFailed', label: request.label, request: 'replace', code: 11044, reason: 'not_open_order' }];
    const instrument = this.#instruments.get(order.instrumentName)!;
    const book = this.#books.get(order.instrumentName)!;
    const priceTicks = ticksOf(instrument, request.price);
    if (!(request.amount > 0)) return [{ type: 'OrderRequestFailed', label: request.label, request: 'replace', code: 11050, reason: 'bad_request' }];
    const crosses = priceTicks !== order.priceTicks && this.#crosses(book, order.instrumentName, order.side, priceTicks);
    if (crosses && order.postOnly) return [{ type: 'OrderRequestFailed', label: request.label, request: 'replace', code: 11054, reason: 'post_only_reject' }];
    const requeue = priceTicks !== order.priceTicks || request.amount > order.amount;
    order.price = request.price;
    order.priceTicks = priceTicks;
    order.amount = request.amount;
    if (order.amount <= order.filled) {
      order.amount = order.filled;
      order.state = 'filled';
      this.#prune(order.instrumentName);
      return [{ type: 'OrderReported', report: this.#report(order, tsMs) }];
    }
    const fills = crosses ? this.#take(order, book, tsMs) : [];
    if (order.state === 'open' && requeue) {
      order.ahead = book.amountAt(order.side === 'buy' ? 'bid' : 'ask', priceTicks) ?? 0;
      order.tradedUnseen = 0;
    }
    this.#prune(order.instrumentName);
    return [{ type: 'OrderReported', report: this.#report(order, tsMs) }, ...fills.filter((event) => event.type === 'FillReported')];
  }

  #crosses(book: L2Book, instrumentName: string, side: 'buy' | 'sell', priceTicks: number): boolean {
    const opposite = side === 'buy' ? 'ask' : 'bid';
    for (const [ticks, amount] of book.levels(opposite)) {
      const reachable = side === 'buy' ? ticks <= priceTicks : ticks >= priceTicks;
      if (!reachable) return false;
      if (amount - this.#takenAt(instrumentName, opposite, ticks) > 0) return true;
    }
    return false;
  }

  #takenAt(instrumentName: string, side: 'bid' | 'ask', ticks: number): number {
    return this.#taken.get(instrumentName)?.get(`${side}${ticks}`) ?? 0;
  }

  /** Takes shown liquidity up to the order's limit, best level first, as taker. */
  #take(order: ShadowOrder, book: L2Book, tsMs: number): VenueEvent[] {
    const opposite = order.side === 'buy' ? 'ask' : 'bid';
    const events: VenueEvent[] = [];
    let taken = this.#taken.get(order.instrumentName);
    if (!taken) this.#taken.set(order.instrumentName, (taken = new Map()));
    const instrument = this.#instruments.get(order.instrumentName)!;
    for (const [ticks, amount] of book.levels(opposite)) {
      const reachable = order.side === 'buy' ? ticks <= order.priceTicks : ticks >= order.priceTicks;
      if (!reachable || order.filled >= order.amount) break;
      const key = `${opposite}${ticks}`;
      const available = amount - (taken.get(key) ?? 0);
      const size = Math.min(available, order.amount - order.filled);
      if (size <= 0) continue;
      taken.set(key, (taken.get(key) ?? 0) + size);
      events.push(...this.#fill(order, size, ticks * instrument.tickSize, 'taker', tsMs));
    }
    return events;
  }

  #rest(order: ShadowOrder, book: L2Book): void {
    order.ahead = book.amountAt(order.side === 'buy' ? 'bid' : 'ask', order.priceTicks) ?? 0;
    let list = this.#open.get(order.instrumentName);
    if (!list) this.#open.set(order.instrumentName, (list = []));
    list.push(order);
  }

  #fill(order: ShadowOrder, size: number, price: number, liquidity: 'maker' | 'taker', tsMs: number): VenueEvent[] {
    const instrument = this.#instruments.get(order.instrumentName)!;
    order.filled += size;
    order.notional += size * price;
    if (order.filled >= order.amount - 1e-12) order.state = 'filled';
    const fill: Fill = {
      venueId: this.#options.venueId,
      tradeId: `bt-t${this.#nextTradeId++}`,
      venueOrderId: order.venueOrderId,
      label: order.label,
      instrumentName: order.instrumentName,
      side: order.side,
      amount: size,
      price,
      feeCoin: feeCoin(this.#fees, instrument, liquidity, size, price),
      indexPrice: this.#index.get(instrument.currency) ?? 0,
      liquidity,
      tsMs,
    };
    // A resting order's fill comes with its updated record (user.orders); a taking one's record is the request's answer.
    const events: VenueEvent[] = [{ type: 'FillReported', fill }];
    if (liquidity === 'maker') events.unshift({ type: 'OrderReported', report: this.#report(order, tsMs) });
    return events;
  }

  #cancel(order: ShadowOrder, reason: string, tsMs: number): VenueEvent {
    order.state = 'cancelled';
    order.cancelReason = reason;
    this.#prune(order.instrumentName);
    return { type: 'OrderReported', report: this.#report(order, tsMs) };
  }

  #prune(instrumentName: string): void {
    const list = this.#open.get(instrumentName);
    if (!list) return;
    const open = list.filter((order) => order.state === 'open');
    if (open.length === 0) this.#open.delete(instrumentName);
    else if (open.length !== list.length) this.#open.set(instrumentName, open);
  }

  /** Probabilistic model: size leaving our level beyond what traded there was cancelled, ahead of us or behind. */
  #beforeChange(book: L2Book, resting: readonly ShadowOrder[], bids: readonly LevelUpdate[], asks: readonly LevelUpdate[]): void {
    if (this.#options.queue !== 'probabilistic') return;
    for (const order of resting) {
      const updates = order.side === 'buy' ? bids : asks;
      for (const update of updates) {
        if (update.priceTicks !== order.priceTicks) continue;
        const before = book.amountAt(order.side === 'buy' ? 'bid' : 'ask', order.priceTicks) ?? 0;
        const after = update.action === 'delete' ? 0 : update.amount;
        const decrease = before - after;
        if (decrease <= 0) continue;
        const explained = Math.min(decrease, order.tradedUnseen);
        order.tradedUnseen -= explained;
        const cancelled = decrease - explained;
        if (cancelled <= 0 || order.ahead <= 0) continue;
        const behind = Math.max(0, before - order.ahead);
        if (this.#options.random() < order.ahead / (order.ahead + behind)) order.ahead = Math.max(0, order.ahead - cancelled);
      }
    }
  }

  /** Whatever the model, the queue ahead cannot exceed what the level shows. */
  #clampQueues(instrumentName: string, bids: readonly LevelUpdate[] | undefined, asks: readonly LevelUpdate[] | undefined): void {
    const resting = this.#open.get(instrumentName);
    if (!resting) return;
    const book = this.#books.get(instrumentName)!;
    for (const order of resting) {
      const updates = order.side === 'buy' ? bids : asks;
      if (updates && !updates.some((update) => update.priceTicks === order.priceTicks)) continue;
      const shown = book.amountAt(order.side === 'buy' ? 'bid' : 'ask', order.priceTicks) ?? 0;
      if (order.ahead > shown) order.ahead = shown;
      if (this.#options.queue === 'conservative') order.tradedUnseen = 0;
    }
  }

  #report(order: ShadowOrder, tsMs: number): VenueOrderReport {
    return {
      venueId: this.#options.venueId,
      venueOrderId: order.venueOrderId,
      label: order.label,
      instrumentName: order.instrumentName,
      side: order.side,
      price: order.price,
      amount: order.amount,
      filledAmount: order.filled,
      averagePrice: order.filled > 0 ? order.notional / order.filled : 0,
      venueState: order.state,
      ...(order.cancelReason !== undefined && { cancelReason: order.cancelReason }),
      postOnly: order.postOnly,
      reduceOnly: order.reduceOnly,
      tsMs,
    };
  }
}
