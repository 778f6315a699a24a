import type { Clock } from '../../model/clock.ts';
import type { MatchResult, Side } from '../book/order-book.ts';
import { OrderBook } from '../book/order-book.ts';
import { amountToLots, lotsToAmount, priceToTicks, ticksToPrice, tickSizeAt } from '../instruments/ticks.ts';
import type { Currency, InstrumentKind, SimInstrument } from '../instruments/types.ts';
import type { Result, SimError } from './errors.ts';
import { ERRORS, fail, ok, TOO_MANY_OPEN_ORDERS, withData } from './errors.ts';
import type { MmpState } from './mmp.ts';
import { isFrozen, newMmpState, quoteFitsGroup, quoteLimitText, recordMmpFill, resetMmp } from './mmp.ts';
import { applyFill, feeFor, floatingPnl, markValue, orderMargin, positionMargin, roundAmount } from './position-math.ts';
import type { CancelReason, ExchangeEvent, Mark, MmpConfig, OrderType, QuoteTag, SimOrder, SimPosition, SimTrade, TimeInForce } from './types.ts';

/**
 * The simulator's matching engine and accounts: Deribit's order semantics (limit/market,
 * post-only with or without reject, reduce-only, GTC/IOC/FOK, edit in place), price-time
 * priority with self-trade prevention, inverse positions and fees, a simplified margin check,
 * MMP, mass quotes with their MMP groups, and settlement at expiry. Deterministic: time comes from the injected clock, ids from
 * counters, and every change is recorded as an event for the RPC layer to publish.
 */

export interface PlaceOrderParams {
  readonly instrumentName: string;
  readonly direction: Side;
  readonly amount: number;
  readonly type: OrderType;
  readonly price?: number;
  readonly timeInForce?: TimeInForce;
  readonly postOnly?: boolean;
  readonly rejectPostOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly label?: string;
  readonly mmp?: boolean;
}

export interface EditOrderParams {
  readonly orderId: string;
  readonly amount: number;
  readonly price?: number;
  readonly postOnly?: boolean;
  readonly rejectPostOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly mmp?: boolean;
}

export interface OrderOutcome {
  readonly order: SimOrder;
  readonly trades: readonly SimTrade[];
}

export interface AccountOptions {
  /** Starting cash per currency, in coin. */
  readonly balances: Readonly<Partial<Record<Currency, number>>>;
  /**
   * Background participants (the simulator's own makers and takers): no margin checks, no
   * positions, and no order events — they exist to make a market, not to be accounted for.
   */
  readonly background?: boolean;
  /** Deribit grants mass quotes on request; the simulator grants them unless told otherwise. */
  readonly massQuotes?: boolean;
}

/** One side of a mass quote entry: price or amount alone amends only that (Deribit's rule). */
export interface QuoteSideParams {
  readonly price?: number;
  /** The quote's (total) amount; 0 cancels the side. */
  readonly amount?: number;
  readonly postOnly?: boolean;
  readonly rejectPostOnly?: boolean;
}

export interface QuoteEntryParams {
  readonly instrumentName: string;
  readonly quoteSetId: string;
  readonly bid?: QuoteSideParams;
  readonly ask?: QuoteSideParams;
}

export interface MassQuoteParams {
  readonly mmpGroup: string;
  readonly quoteId: string;
  readonly quotes: readonly QuoteEntryParams[];
}

export interface QuoteSideError {
  readonly instrumentName: string;
  readonly side: 'bid' | 'ask';
  readonly error: SimError;
}

export interface MassQuoteOutcome {
  /** Every order the request changed (placed, amended, cancelled), in processing order. */
  readonly orders: readonly SimOrder[];
  readonly trades: readonly SimTrade[];
  readonly errors: readonly QuoteSideError[];
}

/** private/cancel_quotes' criteria (one of them). */
export type QuoteCancelFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'instrument'; readonly instrumentName: string }
  | { readonly kind: 'instrument_kind'; readonly instrumentKind: InstrumentKind }
  | { readonly kind: 'currency'; readonly currency: Currency }
  | { readonly kind: 'currency_pair'; readonly indexName: string }
  | { readonly kind: 'quote_set_id'; readonly quoteSetId: string }
  | { readonly kind: 'delta'; readonly minDelta: number; readonly maxDelta: number };

export interface CancelFilter {
  readonly currency?: Currency;
  readonly kind?: InstrumentKind;
  readonly instrumentName?: string;
  readonly label?: string;
  readonly onlyMmp?: boolean;
}

export interface AccountSummary {
  readonly currency: Currency;
  readonly balance: number;
  readonly equity: number;
  readonly availableFunds: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
  readonly totalPl: number;
  readonly sessionRpl: number;
  readonly sessionUpl: number;
  readonly optionsValue: number;
  readonly futuresPl: number;
  readonly deltaTotal: number;
  readonly feesPaid: number;
}

interface Account {
  readonly id: string;
  readonly background: boolean;
  readonly balances: Map<Currency, number>;
  readonly fees: Map<Currency, number>;
  readonly positions: Map<string, SimPosition>;
  readonly openOrders: Map<string, SimOrder>;
  /** Recent closed orders for get_order_state; bounded. */
  readonly closedOrders: Map<string, SimOrder>;
  readonly trades: SimTrade[];
  readonly mmp: Map<string, MmpState>;
  readonly massQuotes: boolean;
  /** Mass-quote MMP groups by name (each tied to one index). */
  readonly mmpGroups: Map<string, MmpState>;
  /** The open quote of each slot (group, instrument, direction); entries of closed orders are dropped on sight. */
  readonly quoteSlots: Map<string, string>;
  /** private/cancel_quotes or cancel_all with freeze_quotes: new quotes are refused until then. */
  quotesFrozenUntilMs: number;
}

interface Market {
  readonly instrument: SimInstrument;
  readonly book: OrderBook;
  lastPrice: number | undefined;
  tickDirection: 0 | 1 | 2 | 3;
  settled: boolean;
  /** Trading halted (fault injection): new orders and edits get book_closed; cancels still work. */
  halted: boolean;
}

const CLOSED_ORDER_HISTORY = 10_000;
const TRADE_HISTORY = 10_000;
const MAX_OPEN_ORDERS = 2_000;
const LABEL_MAX = 64;
const RECENT_TRADES = 1_000;
/** Deribit: up to 16 MMP groups per (sub)account. */
const MAX_MMP_GROUPS = 16;
/** Deribit: after a mass cancel with freeze_quotes, quotes are refused for a second. */
const QUOTE_FREEZE_MS = 1_000;

function slotKey(mmpGroup: string, instrumentName: string, direction: Side): string {
  return `${mmpGroup}\u0000${instrumentName}\u0000${direction}`;
}

export class SimExchange {
  readonly #clock: Clock;
  readonly #markets = new Map<string, Market>();
  readonly #accounts = new Map<string, Account>();
  readonly #indexPrices = new Map<Currency, number>();
  readonly #marks = new Map<string, Mark>();
  #events: ExchangeEvent[] = [];
  /** The latest public trades, oldest first (bounded). */
  readonly #recentTrades: SimTrade[] = [];
  #nextOrder = 1;
  #nextTrade = 1;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  // ── set-up and market data ────────────────────────────────────────────────

  listInstruments(instruments: readonly SimInstrument[]): void {
    for (const instrument of instruments) {
      if (this.#markets.has(instrument.instrumentName)) continue;
      this.#markets.set(instrument.instrumentName, { instrument, book: new OrderBook(), lastPrice: undefined, tickDirection: 0, settled: false, halted: false });
    }
  }

  addAccount(accountId: string, options: AccountOptions): void {
    if (this.#accounts.has(accountId)) throw new Error(`account ${accountId} exists`);
    this.#accounts.set(accountId, {
      id: accountId,
      background: options.background ?? false,
      balances: new Map(Object.entries(options.balances) as Array<[Currency, number]>),
      fees: new Map(),
      positions: new Map(),
      openOrders: new Map(),
      closedOrders: new Map(),
      trades: [],
      mmp: new Map(),
      massQuotes: options.massQuotes ?? true,
      mmpGroups: new Map(),
      quoteSlots: new Map(),
      quotesFrozenUntilMs: 0,
    });
  }

  hasAccount(accountId: string): boolean {
    return this.#accounts.has(accountId);
  }

  setIndexPrice(currency: Currency, price: number): void {
    this.#indexPrices.set(currency, price);
  }

  indexPrice(currency: Currency): number | undefined {
    return this.#indexPrices.get(currency);
  }

  setMark(instrumentName: string, mark: Mark): void {
    this.#marks.set(instrumentName, mark);
  }

  mark(instrumentName: string): Mark | undefined {
    return this.#marks.get(instrumentName);
  }

  instrument(instrumentName: string): SimInstrument | undefined {
    return this.#markets.get(instrumentName)?.instrument;
  }

  /** Active (unsettled) instruments, optionally of one currency and kind. */
  instruments(currency?: Currency, kind?: InstrumentKind): SimInstrument[] {
    const out: SimInstrument[] = [];
    for (const market of this.#markets.values()) {
      if (market.settled) continue;
      if (currency && market.instrument.currency !== currency) continue;
      if (kind && market.instrument.kind !== kind) continue;
      out.push(market.instrument);
    }
    return out;
  }

  book(instrumentName: string): OrderBook | undefined {
    return this.#markets.get(instrumentName)?.book;
  }

  lastPrice(instrumentName: string): number | undefined {
    return this.#markets.get(instrumentName)?.lastPrice;
  }

  isActive(instrumentName: string): boolean {
    const market = this.#markets.get(instrumentName);
    return !!market && !market.settled;
  }

  /**
   * Halts trading in an instrument: new orders and edits are refused with book_closed (10012),
   * resting orders stay on the book, frozen (nothing can reach them), and may still be
   * cancelled. False when the instrument is unknown or settled.
   */
  halt(instrumentName: string): boolean {
    const market = this.#markets.get(instrumentName);
    if (!market || market.settled) return false;
    market.halted = true;
    return true;
  }

  /** Ends a halt; false when the instrument was not halted. */
  resume(instrumentName: string): boolean {
    const market = this.#markets.get(instrumentName);
    if (!market?.halted) return false;
    market.halted = false;
    return true;
  }

  isHalted(instrumentName: string): boolean {
    return this.#markets.get(instrumentName)?.halted ?? false;
  }

  /** The latest public trades across all instruments, oldest first. */
  recentTrades(instrumentName?: string): SimTrade[] {
    return instrumentName ? this.#recentTrades.filter((trade) => trade.instrumentName === instrumentName) : [...this.#recentTrades];
  }

  /** Events since the last call, in the order they happened. */
  drainEvents(): ExchangeEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  // ── orders ────────────────────────────────────────────────────────────────

  place(accountId: string, params: PlaceOrderParams): Result<OrderOutcome> {
    return this.#place(accountId, params, undefined);
  }

  /** A quote (`quote` set) skips the funds check (its MMP group reserves the margin) and the index MMP (its group has its own). */
  #place(accountId: string, params: PlaceOrderParams, quote: QuoteTag | undefined): Result<OrderOutcome> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    const market = this.#markets.get(params.instrumentName);
    if (!market) return fail(withData(ERRORS.invalidInstrument, { param: 'instrument_name', value: params.instrumentName }));
    if (market.settled || market.halted) return fail(ERRORS.bookClosed);
    const instrument = market.instrument;
    const nowMs = this.#clock.nowMs();

    let lots = amountToLots(instrument, params.amount);
    if (lots === undefined) {
      return fail(withData(ERRORS.invalidAmount, { param: 'amount', reason: `must be a positive multiple of ${instrument.minTradeAmount}` }));
    }
    const label = params.label ?? '';
    if (label.length > LABEL_MAX) return fail(withData(ERRORS.badArgument, { param: 'label', reason: `at most ${LABEL_MAX} characters` }));
    const postOnly = params.postOnly ?? false;
    const timeInForce = params.timeInForce ?? 'good_til_cancelled';
    if (params.type === 'market' && postOnly) return fail(withData(ERRORS.badArgument, { param: 'post_only', reason: 'not allowed with market orders' }));
    if (postOnly && (timeInForce === 'immediate_or_cancel' || timeInForce === 'fill_or_kill')) {
      return fail(withData(ERRORS.badArgument, { param: 'post_only', reason: `not allowed with ${timeInForce}` }));
    }
    // A client's cap: the background accounts are the market itself (a maker quotes every option of every currency).
    if (!account.background && account.openOrders.size >= MAX_OPEN_ORDERS) return fail(TOO_MANY_OPEN_ORDERS);

    let priceTicks: number | undefined;
    if (params.type === 'limit') {
      if (params.price === undefined || !Number.isFinite(params.price) || params.price <= 0) return fail(withData(ERRORS.invalidPrice, { param: 'price' }));
      priceTicks = priceToTicks(instrument, params.price);
      if (priceTicks === undefined) return fail(withData(ERRORS.priceWrongTick, { param: 'price', tick_size: tickSizeAt(instrument, params.price) }));
    }

    const mmp = quote !== undefined || (params.mmp ?? false);
    if (mmp && !quote) {
      const state = account.mmp.get(instrument.priceIndex);
      if (state && isFrozen(state, nowMs)) return fail(ERRORS.mmpTrigger);
    }

    const reduceOnly = params.reduceOnly ?? false;
    if (reduceOnly && !account.background) {
      const reducible = this.#reducibleLots(account, instrument, params.direction);
      if (reducible <= 0) return fail(withData(ERRORS.otherReject, { reason: 'reduce_only: no position to reduce' }));
      lots = Math.min(lots, reducible);
    }

    const book = market.book;
    if (postOnly && priceTicks !== undefined && book.wouldCross(params.direction, priceTicks)) {
      if (params.rejectPostOnly) return fail(ERRORS.postOnlyReject);
      // Deribit reprices a crossing post-only order one tick inside the opposite touch.
      const touch = params.direction === 'buy' ? book.bestAskTicks()! : book.bestBidTicks()!;
      priceTicks = this.#oneTickInside(instrument, touch, params.direction);
      if (priceTicks <= 0) return fail(ERRORS.postOnlyReject);
    }

    if (!account.background && !quote) {
      const price = priceTicks !== undefined ? ticksToPrice(instrument, priceTicks) : this.#marketOrderReference(market, params.direction);
      const funds = this.#checkFunds(account, instrument, params.direction, lotsToAmount(instrument, lots), price, reduceOnly);
      if (funds) return fail(funds);
    }

    const orderId = `${instrument.currency}-${this.#nextOrder++}`;
    let order: SimOrder = {
      orderId,
      accountId,
      instrumentName: instrument.instrumentName,
      direction: params.direction,
      orderType: params.type,
      timeInForce,
      postOnly,
      rejectPostOnly: params.rejectPostOnly ?? false,
      reduceOnly,
      mmp,
      label,
      price: priceTicks !== undefined ? ticksToPrice(instrument, priceTicks) : undefined,
      amount: lotsToAmount(instrument, lots),
      filledAmount: 0,
      averagePrice: 0,
      orderState: 'open',
      commission: 0,
      replaced: false,
      creationTimestamp: nowMs,
      lastUpdateTimestamp: nowMs,
      ...(quote && { quote }),
    };

    if (timeInForce === 'fill_or_kill' && book.availableLots(params.direction, priceTicks, accountId) < lots) {
      order = { ...order, orderState: 'cancelled', cancelReason: 'immediate_or_cancel' };
      this.#recordClosed(account, order);
      return ok({ order, trades: [] });
    }

    const trades: SimTrade[] = [];
    if (!postOnly) {
      const result = book.match({ ownerId: accountId, side: params.direction, limitTicks: priceTicks, lots, selfTrade: 'cancel_maker' });
      order = this.#applyMatch(market, account, order, result, trades);
    }
    const remaining = amountToLots(instrument, roundAmount(order.amount - order.filledAmount)) ?? 0;
    if (remaining > 0 && params.type === 'limit' && (timeInForce === 'good_til_cancelled' || timeInForce === 'good_til_day')) {
      book.add({ orderId, ownerId: accountId, side: params.direction, priceTicks: priceTicks!, lots: remaining });
      account.openOrders.set(orderId, order);
      if (quote) account.quoteSlots.set(slotKey(quote.mmpGroup, order.instrumentName, order.direction), orderId);
      this.#events.push({ type: 'book', instrumentName: instrument.instrumentName });
    } else if (remaining > 0) {
      order = { ...order, orderState: 'cancelled', cancelReason: 'immediate_or_cancel' };
      this.#recordClosed(account, order);
    } else {
      this.#recordClosed(account, order);
    }
    this.#emitOrder(account, order);
    return ok({ order, trades });
  }

  edit(accountId: string, params: EditOrderParams): Result<OrderOutcome> {
    // Deribit: private/edit does not apply to quotes; they are amended by resending them.
    if (this.#accounts.get(accountId)?.openOrders.get(params.orderId)?.quote) return fail(withData(ERRORS.otherReject, { reason: 'quotes are amended with private/mass_quote' }));
    return this.#edit(accountId, params, undefined);
  }

  /** `quote` (a quote's amendment): no funds check, and the order takes the request's quote ids. */
  #edit(accountId: string, params: EditOrderParams, quote: QuoteTag | undefined): Result<OrderOutcome> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    const current = account.openOrders.get(params.orderId);
    if (!current) {
      const owner = this.#ownerOf(params.orderId);
      if (owner !== undefined && owner !== accountId) return fail(ERRORS.notOwnerOfOrder);
      return fail(owner === accountId ? ERRORS.notOpenOrder : ERRORS.orderNotFound);
    }
    const market = this.#markets.get(current.instrumentName)!;
    if (market.halted) return fail(ERRORS.bookClosed);
    const instrument = market.instrument;
    const book = market.book;
    const nowMs = this.#clock.nowMs();
    const totalLots = amountToLots(instrument, params.amount);
    const filledLots = amountToLots(instrument, current.filledAmount) ?? 0;
    if (totalLots === undefined || totalLots <= filledLots) {
      return fail(withData(ERRORS.invalidAmount, { param: 'amount', reason: 'must exceed the filled amount and be a multiple of the minimum' }));
    }
    const price = params.price ?? current.price!;
    let priceTicks = priceToTicks(instrument, price);
    if (priceTicks === undefined) return fail(withData(ERRORS.priceWrongTick, { param: 'price', tick_size: tickSizeAt(instrument, price) }));
    const postOnly = params.postOnly ?? current.postOnly;
    const rejectPostOnly = params.rejectPostOnly ?? current.rejectPostOnly;
    const remainingLots = totalLots - filledLots;
    const resting = book.get(current.orderId)!;

    // Same price and a smaller amount keeps time priority; anything else re-queues.
    if (priceTicks === resting.priceTicks && remainingLots < resting.lots) {
      book.reduce(current.orderId, remainingLots);
      const order: SimOrder = { ...current, amount: lotsToAmount(instrument, totalLots), replaced: true, lastUpdateTimestamp: nowMs, ...(params.mmp !== undefined && { mmp: params.mmp }), ...(quote && { quote }) };
      account.openOrders.set(order.orderId, order);
      this.#events.push({ type: 'book', instrumentName: instrument.instrumentName });
      this.#emitOrder(account, order);
      return ok({ order, trades: [] });
    }

    if (postOnly && book.wouldCross(current.direction, priceTicks)) {
      // The order's own resting quantity never crosses itself: it is removed below first.
      book.cancel(current.orderId);
      if (book.wouldCross(current.direction, priceTicks)) {
        if (rejectPostOnly) {
          book.add({ orderId: current.orderId, ownerId: accountId, side: current.direction, priceTicks: resting.priceTicks, lots: resting.lots });
          return fail(ERRORS.postOnlyReject);
        }
        const touch = current.direction === 'buy' ? book.bestAskTicks()! : book.bestBidTicks()!;
        priceTicks = this.#oneTickInside(instrument, touch, current.direction);
      }
    } else {
      book.cancel(current.orderId);
    }

    if (!account.background && !quote) {
      const funds = this.#checkFunds(account, instrument, current.direction, lotsToAmount(instrument, remainingLots), ticksToPrice(instrument, priceTicks), current.reduceOnly, current.orderId);
      if (funds) {
        book.add({ orderId: current.orderId, ownerId: accountId, side: current.direction, priceTicks: resting.priceTicks, lots: resting.lots });
        return fail(funds);
      }
    }

    let order: SimOrder = {
      ...current,
      price: ticksToPrice(instrument, priceTicks),
      amount: lotsToAmount(instrument, totalLots),
      postOnly,
      rejectPostOnly,
      reduceOnly: params.reduceOnly ?? current.reduceOnly,
      mmp: params.mmp ?? current.mmp,
      replaced: true,
      lastUpdateTimestamp: nowMs,
      ...(quote && { quote }),
    };
    const trades: SimTrade[] = [];
    if (!postOnly) {
      const result = book.match({ ownerId: accountId, side: order.direction, limitTicks: priceTicks, lots: remainingLots, selfTrade: 'cancel_maker' });
      order = this.#applyMatch(market, account, order, result, trades);
    }
    const left = amountToLots(instrument, roundAmount(order.amount - order.filledAmount)) ?? 0;
    if (left > 0) {
      book.add({ orderId: order.orderId, ownerId: accountId, side: order.direction, priceTicks, lots: left });
      account.openOrders.set(order.orderId, order);
    } else {
      account.openOrders.delete(order.orderId);
      this.#recordClosed(account, order);
    }
    this.#events.push({ type: 'book', instrumentName: instrument.instrumentName });
    this.#emitOrder(account, order);
    return ok({ order, trades });
  }

  cancel(accountId: string, orderId: string, reason: CancelReason = 'user_request'): Result<SimOrder> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    if (!account.openOrders.has(orderId)) {
      const owner = this.#ownerOf(orderId);
      if (owner !== undefined && owner !== accountId) return fail(ERRORS.notOwnerOfOrder);
      return fail(owner === accountId ? ERRORS.alreadyClosed : ERRORS.orderNotFound);
    }
    return ok(this.#cancelOpen(account, orderId, reason));
  }

  /** Cancels every open order of the account that matches; returns how many. */
  cancelAll(accountId: string, filter: CancelFilter = {}, reason: CancelReason = 'user_request'): number {
    const account = this.#accounts.get(accountId);
    if (!account) return 0;
    let count = 0;
    for (const order of [...account.openOrders.values()]) {
      if (!this.#matchesFilter(order, filter)) continue;
      this.#cancelOpen(account, order.orderId, reason);
      count += 1;
    }
    return count;
  }

  openOrders(accountId: string, filter: CancelFilter = {}): SimOrder[] {
    const account = this.#accounts.get(accountId);
    if (!account) return [];
    return [...account.openOrders.values()].filter((order) => this.#matchesFilter(order, filter));
  }

  orderState(accountId: string, orderId: string): Result<SimOrder> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    const order = account.openOrders.get(orderId) ?? account.closedOrders.get(orderId);
    if (order) return ok(order);
    return fail(this.#ownerOf(orderId) !== undefined ? ERRORS.notOwnerOfOrder : ERRORS.orderNotFound);
  }

  // ── mass quotes ───────────────────────────────────────────────────────────

  /**
   * Deribit's private/mass_quote (docs.deribit.com/articles/mass-quotes-specifications): every
   * quote joins the request's MMP group, which must exist and be on the index of every quote's
   * instrument, and must not be frozen, or the whole request is refused. Then each side on its
   * own: a slot (group, instrument, side) holds one quote, which a resend amends in place (a
   * smaller amount at the same price, or only a new quote_set_id, keeps its queue priority; an
   * identical resend loses it); amount 0 cancels it; an omitted side is left as it is. A side
   * that fails is reported in `errors`, and the quote it would have amended is cancelled. Quotes
   * skip the funds check (the group reserves margin) and are always MMP orders of their group.
   */
  massQuote(accountId: string, params: MassQuoteParams): Result<MassQuoteOutcome> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    if (!account.massQuotes) return fail(ERRORS.massQuotesDisabled);
    const nowMs = this.#clock.nowMs();
    if (account.quotesFrozenUntilMs > nowMs) return fail(ERRORS.quotesFrozen);
    const group = account.mmpGroups.get(params.mmpGroup);
    if (!group) return fail(withData(ERRORS.badArgument, { param: 'mmp_group', reason: `no MMP group ${params.mmpGroup}: create it with private/set_mmp_config` }));
    if (isFrozen(group, nowMs)) return fail(withData(ERRORS.mmpTrigger, { mmp_group: params.mmpGroup }));
    for (const entry of params.quotes) {
      const instrument = this.#markets.get(entry.instrumentName)?.instrument;
      if (instrument && instrument.priceIndex !== group.config.indexName) {
        return fail(withData(ERRORS.badArgument, { param: 'quotes', reason: `every quote must be on the MMP group's index ${group.config.indexName}; ${entry.instrumentName} is not` }));
      }
    }
    const orders: SimOrder[] = [];
    const trades: SimTrade[] = [];
    const errors: QuoteSideError[] = [];
    const tag = (entry: QuoteEntryParams): QuoteTag => ({ mmpGroup: params.mmpGroup, quoteSetId: entry.quoteSetId, quoteId: params.quoteId });
    for (const entry of params.quotes) {
      const refuse = (side: 'bid' | 'ask', error: SimError): void => {
        errors.push({ instrumentName: entry.instrumentName, side, error });
        // Deribit: an errored amendment cancels the resting quote on that side.
        const resting = this.#liveQuote(account, params.mmpGroup, entry.instrumentName, side === 'bid' ? 'buy' : 'sell');
        if (resting) orders.push(this.#cancelOpen(account, resting.orderId, 'user_request'));
      };
      if (!this.#markets.has(entry.instrumentName)) {
        if (entry.bid) refuse('bid', withData(ERRORS.invalidInstrument, { param: 'instrument_name' }));
        if (entry.ask) refuse('ask', withData(ERRORS.invalidInstrument, { param: 'instrument_name' }));
        continue;
      }
      const restingBid = this.#liveQuote(account, params.mmpGroup, entry.instrumentName, 'buy');
      const restingAsk = this.#liveQuote(account, params.mmpGroup, entry.instrumentName, 'sell');
      // Where each side will stand: a crossed pair (our own bid at or above our own ask) is refused.
      const bidPrice = entry.bid?.amount === 0 ? undefined : (entry.bid?.price ?? restingBid?.price);
      const askPrice = entry.ask?.amount === 0 ? undefined : (entry.ask?.price ?? restingAsk?.price);
      if (bidPrice !== undefined && askPrice !== undefined && bidPrice >= askPrice && (entry.bid || entry.ask)) {
        const crossing = withData(ERRORS.otherReject, { reason: `quote crossing: bid ${bidPrice} is not below ask ${askPrice}` });
        if (entry.bid) refuse('bid', crossing);
        if (entry.ask) refuse('ask', crossing);
        continue;
      }
      // Deribit moves the pair without crossing itself on the way: up, the ask first; down, the bid first.
      const movingUp = restingBid !== undefined && restingAsk !== undefined && bidPrice !== undefined && askPrice !== undefined && bidPrice > restingBid.price! && askPrice > restingAsk.price!;
      const sides: Array<'bid' | 'ask'> = movingUp ? ['ask', 'bid'] : ['bid', 'ask'];
      for (const side of sides) {
        const leg = entry[side];
        if (!leg) continue;
        const outcome = this.#quoteSide(account, group, entry.instrumentName, side === 'bid' ? 'buy' : 'sell', leg, tag(entry));
        if (!outcome.ok) refuse(side, outcome.error);
        else if (outcome.value) {
          orders.push(outcome.value.order);
          trades.push(...outcome.value.trades);
        }
      }
    }
    return ok({ orders, trades, errors });
  }

  /** Deribit's private/cancel_quotes: cancels the account's quotes that match; `freeze` refuses new quotes for a second. */
  cancelQuotes(accountId: string, filter: QuoteCancelFilter, freeze = false): SimOrder[] {
    const account = this.#accounts.get(accountId);
    if (!account) return [];
    const cancelled: SimOrder[] = [];
    for (const order of [...account.openOrders.values()]) {
      if (order.quote && this.#matchesQuoteFilter(order, order.quote, filter)) cancelled.push(this.#cancelOpen(account, order.orderId, 'user_request'));
    }
    if (freeze) this.freezeQuotes(accountId);
    return cancelled;
  }

  /** Refuses the account's new quotes for Deribit's second (freeze_quotes of cancel_all and cancel_quotes). */
  freezeQuotes(accountId: string): void {
    const account = this.#accounts.get(accountId);
    if (account) account.quotesFrozenUntilMs = this.#clock.nowMs() + QUOTE_FREEZE_MS;
  }

  /** One side of a quote entry: placed, amended, cancelled (amount 0: `undefined` when nothing rested), or refused. */
  #quoteSide(account: Account, group: MmpState, instrumentName: string, direction: Side, leg: QuoteSideParams, quote: QuoteTag): Result<OrderOutcome | undefined> {
    const resting = this.#liveQuote(account, quote.mmpGroup, instrumentName, direction);
    if (leg.amount === 0) return ok(resting ? { order: this.#cancelOpen(account, resting.orderId, 'user_request'), trades: [] } : undefined);
    const market = this.#markets.get(instrumentName)!;
    if (market.settled || market.halted) return fail(ERRORS.bookClosed);
    const instrument = market.instrument;
    if (leg.amount !== undefined) {
      if (amountToLots(instrument, leg.amount) === undefined) return fail(withData(ERRORS.invalidAmount, { param: 'amount', reason: `must be a positive multiple of ${instrument.minTradeAmount}` }));
      // Deribit: each quote's size (base coin) within its group's limit: max_quote_quantity, else below quantity_limit (mmp.ts).
      const price = leg.price ?? resting?.price ?? this.#marks.get(instrumentName)?.markPrice ?? 0;
      const sizeCoin = instrument.kind === 'option' ? leg.amount : price > 0 ? leg.amount / price : Number.POSITIVE_INFINITY;
      if (!quoteFitsGroup(group.config, sizeCoin)) return fail(withData(ERRORS.invalidAmount, { param: 'amount', reason: `a quote must be ${quoteLimitText(group.config)}` }));
    }
    if (leg.price !== undefined && priceToTicks(instrument, leg.price) === undefined) return fail(withData(ERRORS.priceWrongTick, { param: 'price', tick_size: tickSizeAt(instrument, leg.price) }));
    const postOnly = leg.postOnly ?? false;
    const rejectPostOnly = postOnly && (leg.rejectPostOnly ?? false);
    if (!resting) {
      if (leg.amount === undefined) return fail(withData(ERRORS.orderNotFound, { reason: 'no quote to amend on this side' }));
      if (leg.price === undefined) return fail(withData(ERRORS.invalidPrice, { param: 'price', reason: 'a new quote needs a price' }));
      return this.#place(account.id, { instrumentName, direction, amount: leg.amount, type: 'limit', price: leg.price, postOnly, rejectPostOnly, label: '' }, quote);
    }
    const amount = leg.amount ?? resting.amount;
    const price = leg.price ?? resting.price!;
    if (amount === resting.amount && price === resting.price && quote.quoteSetId !== resting.quote?.quoteSetId) {
      // Deribit: changing only the quote_set_id keeps the quote's priority.
      const order: SimOrder = { ...resting, quote, lastUpdateTimestamp: this.#clock.nowMs() };
      account.openOrders.set(order.orderId, order);
      this.#emitOrder(account, order);
      return ok({ order, trades: [] });
    }
    return this.#edit(account.id, { orderId: resting.orderId, amount, price, postOnly, rejectPostOnly }, quote);
  }

  /** The open quote of a slot, if any. */
  #liveQuote(account: Account, mmpGroup: string, instrumentName: string, direction: Side): SimOrder | undefined {
    const key = slotKey(mmpGroup, instrumentName, direction);
    const orderId = account.quoteSlots.get(key);
    if (orderId === undefined) return undefined;
    const order = account.openOrders.get(orderId);
    if (order) return order;
    account.quoteSlots.delete(key);
    return undefined;
  }

  #matchesQuoteFilter(order: SimOrder, quote: QuoteTag, filter: QuoteCancelFilter): boolean {
    const instrument = this.#markets.get(order.instrumentName)!.instrument;
    switch (filter.kind) {
      case 'all':
        return true;
      case 'instrument':
        return order.instrumentName === filter.instrumentName;
      case 'instrument_kind':
        return instrument.kind === filter.instrumentKind;
      case 'currency':
        return instrument.currency === filter.currency;
      case 'currency_pair':
        return instrument.priceIndex === filter.indexName;
      case 'quote_set_id':
        return quote.quoteSetId === filter.quoteSetId;
      case 'delta': {
        // Deribit: by delta for options only.
        const delta = this.#marks.get(order.instrumentName)?.deltaCoin;
        return instrument.kind === 'option' && delta !== undefined && delta >= filter.minDelta && delta <= filter.maxDelta;
      }
    }
  }

  // ── accounts ──────────────────────────────────────────────────────────────

  positions(accountId: string, currency?: Currency, kind?: InstrumentKind): SimPosition[] {
    const account = this.#accounts.get(accountId);
    if (!account) return [];
    return [...account.positions.values()].filter((position) => {
      const instrument = this.#markets.get(position.instrumentName)?.instrument;
      return !!instrument && (!currency || instrument.currency === currency) && (!kind || instrument.kind === kind);
    });
  }

  userTrades(accountId: string, currency?: Currency, count = 10): SimTrade[] {
    const account = this.#accounts.get(accountId);
    if (!account) return [];
    const out: SimTrade[] = [];
    for (let i = account.trades.length - 1; i >= 0 && out.length < count; i--) {
      const trade = account.trades[i]!;
      if (!currency || this.#markets.get(trade.instrumentName)?.instrument.currency === currency) out.push(trade);
    }
    return out;
  }

  accountSummary(accountId: string, currency: Currency): AccountSummary | undefined {
    const account = this.#accounts.get(accountId);
    if (!account) return undefined;
    const indexPrice = this.#indexPrices.get(currency) ?? 0;
    const balance = account.balances.get(currency) ?? 0;
    let optionsValue = 0;
    let futuresPl = 0;
    let initialMargin = 0;
    let maintenanceMargin = 0;
    let sessionUpl = 0;
    let sessionRpl = 0;
    let deltaTotal = 0;
    for (const position of account.positions.values()) {
      const instrument = this.#markets.get(position.instrumentName)?.instrument;
      if (!instrument || instrument.currency !== currency) continue;
      const mark = this.#marks.get(position.instrumentName);
      const value = markValue(instrument, position, mark);
      if (instrument.kind === 'option') optionsValue += value;
      else futuresPl += value;
      sessionUpl += floatingPnl(instrument, position, mark);
      sessionRpl += position.realizedPnl;
      const margin = positionMargin(instrument, position, mark, indexPrice);
      initialMargin += margin.initial;
      maintenanceMargin += margin.maintenance;
      deltaTotal += instrument.kind === 'option' ? position.size * (mark?.deltaCoin ?? 0) : mark ? position.size / mark.markPrice : 0;
    }
    for (const order of account.openOrders.values()) {
      const instrument = this.#markets.get(order.instrumentName)!.instrument;
      if (instrument.currency !== currency || order.reduceOnly) continue;
      initialMargin += orderMargin(instrument, order.direction, roundAmount(order.amount - order.filledAmount), order.price!, this.#marks.get(order.instrumentName), indexPrice);
    }
    const equity = balance + optionsValue + futuresPl;
    return {
      currency,
      balance,
      equity,
      availableFunds: equity - initialMargin,
      initialMargin,
      maintenanceMargin,
      totalPl: sessionUpl + sessionRpl,
      sessionRpl,
      sessionUpl,
      optionsValue,
      futuresPl,
      deltaTotal,
      feesPaid: account.fees.get(currency) ?? 0,
    };
  }

  // ── market maker protection ───────────────────────────────────────────────

  setMmpConfig(accountId: string, config: MmpConfig): Result<MmpConfig> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    if (!(config.intervalSec >= 0) || !(config.frozenTimeSec >= 0) || !(config.quantityLimit >= 0) || !((config.maxQuoteQuantity ?? 0) >= 0)) return fail(withData(ERRORS.badArgument, { reason: 'MMP limits must be non-negative' }));
    if (config.mmpGroup !== undefined) return this.#setMmpGroup(account, config.mmpGroup, config);
    if (config.intervalSec === 0) {
      // Deribit: interval 0 removes the configuration.
      account.mmp.delete(config.indexName);
      return ok(config);
    }
    const previous = account.mmp.get(config.indexName);
    account.mmp.set(config.indexName, previous ? { ...previous, config } : newMmpState(config));
    return ok(config);
  }

  /**
   * A mass-quote MMP group (Deribit's rules): interval 0 removes it (and its quotes); it needs a
   * quantity_limit (the margin it reserves) above any delta_limit; at most 16 per account; a lower
   * limit (max_quote_quantity, else quantity_limit) cancels the quotes it no longer admits.
   */
  #setMmpGroup(account: Account, name: string, config: MmpConfig): Result<MmpConfig> {
    const previous = account.mmpGroups.get(name);
    const curtail = (keep: (order: SimOrder) => boolean): void => {
      for (const order of [...account.openOrders.values()]) if (order.quote?.mmpGroup === name && !keep(order)) this.#cancelOpen(account, order.orderId, 'mmp_config_curtailment');
    };
    if (config.intervalSec === 0) {
      account.mmpGroups.delete(name);
      curtail(() => false);
      return ok(config);
    }
    if (!(config.quantityLimit > 0)) return fail(withData(ERRORS.badArgument, { param: 'quantity_limit', reason: 'an MMP group needs a quantity_limit' }));
    if (config.deltaLimit !== undefined && config.deltaLimit >= config.quantityLimit) return fail(withData(ERRORS.badArgument, { param: 'delta_limit', reason: 'delta_limit must be below quantity_limit' }));
    if (!previous && account.mmpGroups.size >= MAX_MMP_GROUPS) return fail(withData(ERRORS.badArgument, { param: 'mmp_group', reason: `at most ${MAX_MMP_GROUPS} MMP groups` }));
    account.mmpGroups.set(name, previous ? { ...previous, config } : newMmpState(config));
    curtail((order) => {
      const instrument = this.#markets.get(order.instrumentName)!.instrument;
      const sizeCoin = instrument.kind === 'option' ? order.amount : order.amount / order.price!;
      return quoteFitsGroup(config, sizeCoin) && instrument.priceIndex === config.indexName;
    });
    return ok(config);
  }

  /** The account's configurations: the orders' protection per index, then the mass-quote groups. */
  mmpConfigs(accountId: string): MmpConfig[] {
    const account = this.#accounts.get(accountId);
    return account ? [...account.mmp.values(), ...account.mmpGroups.values()].map((state) => state.config) : [];
  }

  mmpFrozenUntil(accountId: string, indexName: string): number {
    return this.#accounts.get(accountId)?.mmp.get(indexName)?.frozenUntilMs ?? 0;
  }

  /** The account's frozen MMP indices and groups now (Infinity: until a reset). */
  mmpStatuses(accountId: string): { indexName: string; frozenUntilMs: number; mmpGroup?: string }[] {
    const account = this.#accounts.get(accountId);
    if (!account) return [];
    const nowMs = this.#clock.nowMs();
    return [...account.mmp.values(), ...account.mmpGroups.values()]
      .filter((state) => isFrozen(state, nowMs))
      .map((state) => ({ indexName: state.config.indexName, frozenUntilMs: state.frozenUntilMs, ...(state.config.mmpGroup !== undefined && { mmpGroup: state.config.mmpGroup }) }));
  }

  /** Unfreezes the orders' protection of an index, or (with `mmpGroup`) a mass-quote group. */
  resetMmp(accountId: string, indexName: string, mmpGroup?: string): Result<true> {
    const account = this.#accounts.get(accountId);
    if (!account) return fail(ERRORS.unauthorized);
    const states = mmpGroup === undefined ? account.mmp : account.mmpGroups;
    const key = mmpGroup ?? indexName;
    const state = states.get(key);
    if (state && state.config.indexName === indexName) states.set(key, resetMmp(state));
    return ok(true);
  }

  /** Triggers MMP as if a limit had been hit (fault injection and tests); false without such a configuration. */
  triggerMmp(accountId: string, indexName: string, mmpGroup?: string): boolean {
    const account = this.#accounts.get(accountId);
    const states = mmpGroup === undefined ? account?.mmp : account?.mmpGroups;
    const key = mmpGroup ?? indexName;
    const state = states?.get(key);
    if (!account || !states || !state || state.config.indexName !== indexName) return false;
    const nowMs = this.#clock.nowMs();
    const frozenUntilMs = state.config.frozenTimeSec > 0 ? nowMs + state.config.frozenTimeSec * 1000 : Number.POSITIVE_INFINITY;
    states.set(key, { ...state, fills: [], frozenUntilMs });
    this.#onMmpTriggered(account, indexName, frozenUntilMs, mmpGroup);
    return true;
  }

  // ── settlement ────────────────────────────────────────────────────────────

  /**
   * Settles every instrument expired by `nowMs` at its currency's index price: options pay their
   * intrinsic value in coin, futures realize PnL at the delivery price; open orders are cancelled.
   */
  settleExpired(): string[] {
    const nowMs = this.#clock.nowMs();
    const settled: string[] = [];
    for (const market of this.#markets.values()) {
      const instrument = market.instrument;
      if (market.settled || instrument.isPerpetual || instrument.expirationTimestamp > nowMs) continue;
      const deliveryPrice = this.#indexPrices.get(instrument.currency);
      if (deliveryPrice === undefined) continue;
      for (const account of this.#accounts.values()) {
        for (const order of [...account.openOrders.values()]) {
          if (order.instrumentName === instrument.instrumentName) this.#cancelOpen(account, order.orderId, 'settlement');
        }
        const position = account.positions.get(instrument.instrumentName);
        if (!position || position.size === 0) continue;
        const settlementPrice = instrument.kind === 'option' ? intrinsicCoin(instrument, deliveryPrice) : deliveryPrice;
        const update = applyFill(instrument, position, -position.size, settlementPrice);
        account.positions.delete(instrument.instrumentName);
        this.#credit(account, instrument.currency, update.cashDelta);
        this.#events.push({ type: 'portfolio', accountId: account.id, currency: instrument.currency });
      }
      market.settled = true;
      settled.push(instrument.instrumentName);
      this.#events.push({ type: 'instrumentExpired', instrumentName: instrument.instrumentName, deliveryPrice });
    }
    return settled;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  #applyMatch(market: Market, taker: Account, order: SimOrder, result: MatchResult, trades: SimTrade[]): SimOrder {
    const instrument = market.instrument;
    for (const own of result.cancelledOwn) this.#cancelOpen(taker, own.orderId, 'self_trade', false);
    let filledAmount = order.filledAmount;
    let notional = order.averagePrice * order.filledAmount;
    let commission = order.commission;
    const nowMs = this.#clock.nowMs();
    for (const fill of result.fills) {
      const price = ticksToPrice(instrument, fill.priceTicks);
      const amount = lotsToAmount(instrument, fill.lots);
      const maker = this.#accounts.get(fill.maker.ownerId)!;
      const makerFee = feeFor(instrument, amount, price, true);
      const takerFee = feeFor(instrument, amount, price, false);
      const previous = market.lastPrice;
      market.tickDirection = previous === undefined || price > previous ? 0 : price < previous ? 2 : market.tickDirection === 0 || market.tickDirection === 1 ? 1 : 3;
      market.lastPrice = price;
      const mark = this.#marks.get(instrument.instrumentName);
      const trade: SimTrade = {
        tradeId: `${instrument.currency}-T${this.#nextTrade}`,
        tradeSeq: this.#nextTrade++,
        timestamp: nowMs,
        instrumentName: instrument.instrumentName,
        price,
        amount,
        direction: order.direction,
        makerOrderId: fill.maker.orderId,
        takerOrderId: order.orderId,
        makerAccountId: maker.id,
        takerAccountId: taker.id,
        makerFee,
        takerFee,
        indexPrice: this.#indexPrices.get(instrument.currency) ?? 0,
        markPrice: mark?.markPrice ?? price,
        ...(mark?.markIv !== undefined && { iv: mark.markIv }),
        tickDirection: market.tickDirection,
      };
      trades.push(trade);
      this.#recentTrades.push(trade);
      if (this.#recentTrades.length > RECENT_TRADES) this.#recentTrades.splice(0, this.#recentTrades.length - RECENT_TRADES);
      this.#events.push({ type: 'trade', trade });
      this.#settleFill(maker, instrument, fill.maker.side, amount, price, makerFee, trade);
      this.#settleFill(taker, instrument, order.direction, amount, price, takerFee, trade);
      this.#updateMakerOrder(maker, fill.maker.orderId, amount, price, makerFee, fill.makerLotsLeft === 0);
      filledAmount = roundAmount(filledAmount + amount);
      notional += price * amount;
      commission += takerFee;
      this.#recordMmpFill(taker, instrument, order, order.direction, amount);
      const makerOrder = maker.openOrders.get(fill.maker.orderId) ?? maker.closedOrders.get(fill.maker.orderId);
      if (makerOrder) this.#recordMmpFill(maker, instrument, makerOrder, fill.maker.side, amount);
    }
    if (result.fills.length > 0 || result.cancelledOwn.length > 0) this.#events.push({ type: 'book', instrumentName: instrument.instrumentName });
    if (result.fills.length === 0) return order;
    const filled = filledAmount >= order.amount;
    return {
      ...order,
      filledAmount,
      averagePrice: notional / filledAmount,
      commission,
      orderState: filled ? 'filled' : order.orderState,
      lastUpdateTimestamp: nowMs,
      ...(order.orderType === 'market' && { price: notional / filledAmount }),
    };
  }

  #settleFill(account: Account, instrument: SimInstrument, direction: Side, amount: number, price: number, fee: number, trade: SimTrade): void {
    if (account.background) return;
    const position = account.positions.get(instrument.instrumentName) ?? { instrumentName: instrument.instrumentName, size: 0, averagePrice: 0, realizedPnl: 0 };
    const update = applyFill(instrument, position, direction === 'buy' ? amount : -amount, price);
    account.positions.set(instrument.instrumentName, update.position);
    this.#credit(account, instrument.currency, update.cashDelta - fee);
    account.fees.set(instrument.currency, (account.fees.get(instrument.currency) ?? 0) + fee);
    account.trades.push(trade);
    if (account.trades.length > TRADE_HISTORY) account.trades.splice(0, account.trades.length - TRADE_HISTORY);
    this.#events.push({ type: 'userTrade', accountId: account.id, trade });
    this.#events.push({ type: 'portfolio', accountId: account.id, currency: instrument.currency });
    this.#trimReduceOnly(account, instrument);
  }

  #updateMakerOrder(account: Account, orderId: string, amount: number, price: number, fee: number, done: boolean): void {
    const order = account.openOrders.get(orderId);
    if (!order) return;
    const filledAmount = roundAmount(order.filledAmount + amount);
    const updated: SimOrder = {
      ...order,
      filledAmount,
      averagePrice: (order.averagePrice * order.filledAmount + price * amount) / filledAmount,
      commission: order.commission + fee,
      orderState: done ? 'filled' : 'open',
      lastUpdateTimestamp: this.#clock.nowMs(),
    };
    if (done) {
      account.openOrders.delete(orderId);
      this.#recordClosed(account, updated);
    } else {
      account.openOrders.set(orderId, updated);
    }
    this.#emitOrder(account, updated);
  }

  #cancelOpen(account: Account, orderId: string, reason: CancelReason, removeFromBook = true): SimOrder {
    const order = account.openOrders.get(orderId)!;
    const market = this.#markets.get(order.instrumentName)!;
    if (removeFromBook) market.book.cancel(orderId);
    account.openOrders.delete(orderId);
    const cancelled: SimOrder = { ...order, orderState: 'cancelled', cancelReason: reason, lastUpdateTimestamp: this.#clock.nowMs() };
    this.#recordClosed(account, cancelled);
    this.#events.push({ type: 'book', instrumentName: order.instrumentName });
    this.#emitOrder(account, cancelled);
    return cancelled;
  }

  #recordClosed(account: Account, order: SimOrder): void {
    if (account.background) return;
    account.closedOrders.set(order.orderId, order);
    if (account.closedOrders.size > CLOSED_ORDER_HISTORY) {
      const oldest = account.closedOrders.keys().next().value as string;
      account.closedOrders.delete(oldest);
    }
  }

  /** The trading account that owns an order, open or recently closed (background accounts excluded). */
  #ownerOf(orderId: string): string | undefined {
    for (const account of this.#accounts.values()) {
      if (!account.background && (account.openOrders.has(orderId) || account.closedOrders.has(orderId))) return account.id;
    }
    return undefined;
  }

  #emitOrder(account: Account, order: SimOrder): void {
    if (!account.background) this.#events.push({ type: 'order', order });
  }

  #credit(account: Account, currency: Currency, amount: number): void {
    account.balances.set(currency, (account.balances.get(currency) ?? 0) + amount);
  }

  #matchesFilter(order: SimOrder, filter: CancelFilter): boolean {
    if (filter.instrumentName && order.instrumentName !== filter.instrumentName) return false;
    if (filter.label !== undefined && order.label !== filter.label) return false;
    if (filter.onlyMmp && !order.mmp) return false;
    if (filter.currency || filter.kind) {
      const instrument = this.#markets.get(order.instrumentName)!.instrument;
      if (filter.currency && instrument.currency !== filter.currency) return false;
      if (filter.kind && instrument.kind !== filter.kind) return false;
    }
    return true;
  }

  #oneTickInside(instrument: SimInstrument, touchTicks: number, direction: Side): number {
    const touchPrice = ticksToPrice(instrument, touchTicks);
    const stepTicks = Math.round(tickSizeAt(instrument, direction === 'buy' ? touchPrice - instrument.tickSize / 2 : touchPrice) / instrument.tickSize);
    return direction === 'buy' ? touchTicks - stepTicks : touchTicks + stepTicks;
  }

  /** A market order's funds are checked at the worst price it may reach: the far side's touch or the mark. */
  #marketOrderReference(market: Market, direction: Side): number {
    const touch = direction === 'buy' ? market.book.bestAskTicks() : market.book.bestBidTicks();
    if (touch !== undefined) return ticksToPrice(market.instrument, touch);
    return this.#marks.get(market.instrument.instrumentName)?.markPrice ?? market.lastPrice ?? market.instrument.tickSize;
  }

  /** Lots of a position a reduce-only order in `direction` may still close. */
  #reducibleLots(account: Account, instrument: SimInstrument, direction: Side): number {
    const size = account.positions.get(instrument.instrumentName)?.size ?? 0;
    const reducible = direction === 'buy' ? Math.max(0, -size) : Math.max(0, size);
    let pending = 0;
    for (const order of account.openOrders.values()) {
      if (order.instrumentName === instrument.instrumentName && order.reduceOnly && order.direction === direction) pending += order.amount - order.filledAmount;
    }
    return amountToLots(instrument, roundAmount(Math.max(0, reducible - pending))) ?? 0;
  }

  /** After a fill, resting reduce-only orders may exceed what is left to reduce: shrink or cancel them. */
  #trimReduceOnly(account: Account, instrument: SimInstrument): void {
    const size = account.positions.get(instrument.instrumentName)?.size ?? 0;
    for (const direction of ['buy', 'sell'] as const) {
      let allowed = direction === 'buy' ? Math.max(0, -size) : Math.max(0, size);
      for (const order of [...account.openOrders.values()]) {
        if (order.instrumentName !== instrument.instrumentName || !order.reduceOnly || order.direction !== direction) continue;
        const remaining = roundAmount(order.amount - order.filledAmount);
        if (remaining <= allowed) {
          allowed = roundAmount(allowed - remaining);
          continue;
        }
        const keepLots = amountToLots(instrument, allowed) ?? 0;
        if (keepLots === 0) {
          this.#cancelOpen(account, order.orderId, 'reduce_only');
        } else {
          this.#markets.get(instrument.instrumentName)!.book.reduce(order.orderId, keepLots);
          const updated = { ...order, amount: roundAmount(order.filledAmount + allowed), lastUpdateTimestamp: this.#clock.nowMs() };
          account.openOrders.set(order.orderId, updated);
          this.#emitOrder(account, updated);
        }
        allowed = 0;
      }
    }
  }

  #checkFunds(account: Account, instrument: SimInstrument, direction: Side, amount: number, price: number, reduceOnly: boolean, replacingOrderId?: string): SimError | undefined {
    if (reduceOnly) return undefined;
    const summary = this.accountSummary(account.id, instrument.currency);
    if (!summary) return ERRORS.unauthorized;
    const indexPrice = this.#indexPrices.get(instrument.currency) ?? price;
    const mark = this.#marks.get(instrument.instrumentName);
    let required = orderMargin(instrument, direction, amount, price, mark, indexPrice);
    if (replacingOrderId) {
      const replaced = account.openOrders.get(replacingOrderId);
      if (replaced) required -= orderMargin(instrument, replaced.direction, roundAmount(replaced.amount - replaced.filledAmount), replaced.price!, mark, indexPrice);
    }
    if (required > 0 && summary.availableFunds - required < 0) {
      return withData(ERRORS.notEnoughFunds, { available_funds: summary.availableFunds, required_margin: required });
    }
    return undefined;
  }

  /** Counts a fill of an MMP order against its protection: its group's for a quote, else its index's. */
  #recordMmpFill(account: Account, instrument: SimInstrument, order: SimOrder, direction: Side, amount: number): void {
    if (!order.mmp || account.background) return;
    const group = order.quote?.mmpGroup;
    const states = group === undefined ? account.mmp : account.mmpGroups;
    const key = group ?? instrument.priceIndex;
    const state = states.get(key);
    if (!state) return;
    const sign = direction === 'buy' ? 1 : -1;
    const mark = this.#marks.get(instrument.instrumentName);
    const delta = instrument.kind === 'option' ? sign * amount * (mark?.deltaCoin ?? 0) : sign * (mark ? amount / mark.markPrice : 0);
    const vega = instrument.kind === 'option' ? sign * amount * (mark?.vegaUsd ?? 0) : 0;
    // Deribit counts quantity in the base coin: a future's amount is USD.
    const quantity = instrument.kind === 'option' ? amount : mark ? amount / mark.markPrice : 0;
    const outcome = recordMmpFill(state, { tsMs: this.#clock.nowMs(), quantity, delta, vega });
    states.set(key, outcome.state);
    if (outcome.triggered) this.#onMmpTriggered(account, instrument.priceIndex, outcome.state.frozenUntilMs, group);
  }

  /** A group's trigger cancels that group's quotes; the index's trigger, its MMP orders (not quotes: groups stand apart). */
  #onMmpTriggered(account: Account, indexName: string, frozenUntilMs: number, mmpGroup?: string): void {
    for (const order of [...account.openOrders.values()]) {
      const hit = mmpGroup === undefined ? order.mmp && !order.quote && this.#markets.get(order.instrumentName)!.instrument.priceIndex === indexName : order.quote?.mmpGroup === mmpGroup;
      if (hit) this.#cancelOpen(account, order.orderId, 'mmp_trigger');
    }
    this.#events.push({ type: 'mmpTriggered', accountId: account.id, indexName, frozenUntilMs, ...(mmpGroup !== undefined && { mmpGroup }) });
  }
}

/** An option's value at expiry in coin: intrinsic value in USD divided by the delivery price. */
export function intrinsicCoin(instrument: SimInstrument, deliveryPrice: number): number {
  const strike = instrument.strike ?? deliveryPrice;
  const usd = instrument.optionType === 'call' ? Math.max(0, deliveryPrice - strike) : Math.max(0, strike - deliveryPrice);
  return usd / deliveryPrice;
}
