import type { VenueOrderReport } from '../venues/venue-adapter.ts';
import type { Order, OrderEvent, OrderOrigin, Side, Transition } from './order-state.ts';
import { LIVE_STATES, TERMINAL_STATES, transition } from './order-state.ts';

/**
 * Every order the engine knows, keyed by the client order id it sends in Deribit's `label` so
 * that any venue report — a response, a user.orders notification, a reconciliation after a
 * restart — maps back to exactly one order. Ids are never reused, so an order cannot be sent
 * twice; an instrument with an order in `unknown` takes no new orders until reconciled.
 *
 * Mass quotes. The venue keeps one quote per slot — venue, MMP group, instrument, side — amends
 * it when the quote is sent again, and labels it with nothing: its reports name the slot (and a
 * venue order id), never our id. So:
 * - A slot's order is one OMS order for as long as the venue keeps one order there: its client id
 *   (`q.<session>.<n>`, origin strategy) is given when the engine quotes an empty slot, and every
 *   resend while it rests is a replace of that order (ReplaceRequested, then Replaced when the
 *   venue reports the new price and amount). When it fills or is cancelled, the slot is empty
 *   and the next quote there is a new order with a new id.
 * - A slot holds at most one live OMS order: `submit` refuses a second, so no quote is ever
 *   tracked twice.
 * - A report with no label of ours is matched by its venue order id, else by its slot: an open
 *   report on a slot whose order has no venue id yet is that order's acknowledgement (or, in
 *   `unknown`, its reconciliation). An open report of another venue order on a slot whose order
 *   has a venue id means the venue replaced it (it filled or was cancelled while a resend was in
 *   flight, and the resend placed a new quote): the old order goes to `unknown` and is asked
 *   after by id, and the new one is adopted with id `quote.<venue order id>`. Quotes found at
 *   the venue after a restart are adopted the same way. A terminal report of a venue order we do
 *   not know is recorded without touching the slot.
 * - Fills are booked from trades, not from here: a quote's fill carries the id of the mass quote
 *   that last set the quote (`q.<session>.<n>` too, so its origin is the strategy).
 */

export interface NewOrder {
  readonly venueId: string;
  readonly instrumentName: string;
  readonly side: Side;
  readonly price: number;
  readonly amount: number;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly origin: OrderOrigin;
  /** A mass quote in this MMP group (strategy quotes only): its slot must be free. */
  readonly mmpGroup?: string;
}

export type Submitted = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly reason: string };

const ORIGIN_CODE: Readonly<Record<OrderOrigin, string>> = { manual: 'm', strategy: 's', hedge: 'h' };
const ORIGIN_OF: Readonly<Record<string, OrderOrigin>> = { m: 'manual', s: 'strategy', h: 'hedge', q: 'strategy' };
/** Terminal orders kept for the blotter; older ones are forgotten. */
const TERMINAL_HISTORY = 500;

/**
 * The origin encoded in a label we made (`m.<session>.<n>`), or undefined for a foreign label.
 * Quotes (`q.…`, a quote order's id or the mass quote id on its fills, which may carry a part
 * number) are the strategy's.
 */
export function originOfLabel(label: string): OrderOrigin | undefined {
  const match = /^([msh])\.[0-9a-z]+\.\d+$/.exec(label) ?? /^(q)\.[0-9a-z]+\.\d+(?:\.\d+)?$/.exec(label);
  return match ? ORIGIN_OF[match[1]!] : undefined;
}

/** A quote slot's key: the venue keeps one quote per venue, MMP group, instrument and side. */
export function quoteSlotKey(venueId: string, mmpGroup: string, instrumentName: string, side: Side): string {
  return `${venueId}\u0000${mmpGroup}\u0000${instrumentName}\u0000${side}`;
}

/** The order events a venue report implies for our record of the order. */
export function eventsForReport(order: Order, report: VenueOrderReport): OrderEvent[] {
  const tsMs = report.tsMs;
  const events: OrderEvent[] = [];
  if (order.state === 'unknown') {
    return [{ type: 'Reconciled', venueState: report.venueState, venueOrderId: report.venueOrderId, price: report.price, amount: report.amount, filledAmount: report.filledAmount, averagePrice: report.averagePrice, tsMs }];
  }
  if (order.state === 'pending-new' && report.venueState !== 'rejected') {
    // The venue's price and amount are the order's from here on: a post-only order it re-priced, a reduce-only one it clamped.
    events.push({ type: 'Acknowledged', venueOrderId: report.venueOrderId, ...(report.price !== order.price && { price: report.price }), ...(report.amount !== order.amount && { amount: report.amount }), tsMs });
  }
  // The venue's answer to the amend settles it even where it adjusted the price (post-only); any other report must show what was asked.
  const asked = order.pendingReplace !== undefined && report.price === order.pendingReplace.price && report.amount === order.pendingReplace.amount;
  if (order.state === 'pending-replace' && order.pendingReplace && report.venueState === 'open' && (asked || report.answersReplace === true)) {
    events.push({ type: 'Replaced', price: report.price, amount: report.amount, tsMs });
  }
  if (report.filledAmount > order.filledAmount) events.push({ type: 'Filled', filledAmount: report.filledAmount, averagePrice: report.averagePrice, tsMs });
  if (report.venueState === 'cancelled') events.push({ type: 'Cancelled', reason: report.cancelReason ?? 'cancelled', tsMs });
  if (report.venueState === 'rejected') events.push({ type: 'Rejected', reason: report.cancelReason ?? 'rejected by the venue', tsMs });
  return events;
}

export class OrderManager {
  readonly #orders = new Map<string, Order>();
  readonly #terminalOrder: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();
  /**
   * The live orders of each instrument, as stored (replaced on every change): a per-instrument read
   * (every requote of one option) touches only that instrument's few live orders, without a lookup each.
   */
  readonly #liveByInstrument = new Map<string, Order[]>();
  /** Orders in the unknown state per instrument (present only while above 0): isBlocked runs on every quoted frame. */
  readonly #unknownByInstrument = new Map<string, number>();
  /** The live order of each quote slot (quoteSlotKey). */
  readonly #bySlot = new Map<string, string>();
  /** Quote orders by venue order id: their reports carry no label. */
  readonly #quoteByVenueId = new Map<string, string>();
  #superseded: Order[] = [];
  #next = 1;

  constructor(
    /** Distinguishes this engine run's ids from earlier runs' (base-36 start time). */
    private readonly sessionId: string,
  ) {}

  get(clientOrderId: string): Order | undefined {
    return this.#orders.get(clientOrderId);
  }

  all(): IterableIterator<Order> {
    return this.#orders.values();
  }

  live(instrumentName?: string): Order[] {
    const out: Order[] = [];
    if (instrumentName !== undefined) return this.liveOf(instrumentName, out);
    for (const order of this.#orders.values()) if (LIVE_STATES.has(order.state)) out.push(order);
    return out;
  }

  /** The live orders of one instrument, into `out` (emptied first): the per-frame requote reads them without allocating. */
  liveOf(instrumentName: string, out: Order[]): Order[] {
    out.length = 0;
    const live = this.#liveByInstrument.get(instrumentName);
    if (live) for (let k = 0; k < live.length; k++) out.push(live[k]!);
    return out;
  }

  /** Instruments with an order whose state at the venue is unknown: nothing else is sent there. */
  isBlocked(instrumentName: string): boolean {
    return this.#unknownByInstrument.has(instrumentName);
  }

  /** The live order of a quote slot, if any. */
  quoteAt(venueId: string, mmpGroup: string, instrumentName: string, side: Side): Order | undefined {
    const id = this.#bySlot.get(quoteSlotKey(venueId, mmpGroup, instrumentName, side));
    return id === undefined ? undefined : this.#orders.get(id);
  }

  /** A fresh id for a mass quote request (Deribit's quote_id), from the same sequence as order ids. */
  nextQuoteId(): string {
    return `q.${this.sessionId}.${this.#next++}`;
  }

  submit(request: NewOrder, tsMs: number): Submitted {
    if (this.isBlocked(request.instrumentName)) return { ok: false, reason: `${request.instrumentName} has an order in an unknown state; waiting for reconciliation` };
    if (request.mmpGroup !== undefined) {
      const holder = this.quoteAt(request.venueId, request.mmpGroup, request.instrumentName, request.side);
      if (holder) return { ok: false, reason: `the ${request.side} quote slot of ${request.instrumentName} in ${request.mmpGroup} already holds ${holder.clientOrderId}` };
      if (request.origin !== 'strategy') return { ok: false, reason: 'mass quotes are the strategy’s' };
    }
    const clientOrderId = `${request.mmpGroup !== undefined ? 'q' : ORIGIN_CODE[request.origin]}.${this.sessionId}.${this.#next++}`;
    const order: Order = { ...request, clientOrderId, filledAmount: 0, averagePrice: 0, state: 'pending-new', createdTsMs: tsMs, updatedTsMs: tsMs };
    this.#store(order);
    return { ok: true, order };
  }

  /** Applies one event to one order; refused transitions leave it unchanged. */
  apply(clientOrderId: string, event: OrderEvent): Transition | undefined {
    const order = this.#orders.get(clientOrderId);
    if (!order) return undefined;
    const result = transition(order, event);
    if (result.ok && result.order !== order) this.#store(result.order);
    return result;
  }

  /**
   * Folds a venue report in. A report for an order we do not know (placed before a restart, or
   * by hand at the venue) is adopted, so the engine's picture matches the venue's.
   */
  onReport(report: VenueOrderReport): Order {
    const known = (report.label ? this.#orders.get(report.label) : undefined) ?? (report.quote ? this.#matchQuote(report) : undefined);
    if (!known) {
      const adopted: Order = {
        clientOrderId: report.label || (report.quote ? `quote.${report.venueOrderId}` : `venue.${report.venueOrderId}`),
        venueOrderId: report.venueOrderId,
        venueId: report.venueId,
        instrumentName: report.instrumentName,
        side: report.side,
        price: report.price,
        amount: report.amount,
        filledAmount: report.filledAmount,
        averagePrice: report.averagePrice,
        postOnly: report.postOnly,
        reduceOnly: report.reduceOnly,
        origin: report.quote ? 'strategy' : (originOfLabel(report.label) ?? 'manual'),
        state: report.venueState === 'open' ? (report.filledAmount > 0 ? 'partially-filled' : 'open') : report.venueState,
        createdTsMs: report.tsMs,
        updatedTsMs: report.tsMs,
        ...(report.quote && { mmpGroup: report.quote.mmpGroup }),
      };
      this.#store(adopted);
      return adopted;
    }
    let order = known;
    for (const event of eventsForReport(order, report)) {
      const result = transition(order, event);
      if (result.ok) order = result.order;
    }
    if (order !== known) this.#store(order);
    return order;
  }

  /**
   * The order a quote's report (no label of ours) is about: by venue order id, else by slot (see
   * the header). Undefined: adopt it. A slot whose order the venue has replaced is freed first.
   */
  #matchQuote(report: VenueOrderReport): Order | undefined {
    const byId = this.#quoteByVenueId.get(report.venueOrderId);
    if (byId !== undefined) return this.#orders.get(byId);
    // A terminal report of an order we never knew says nothing of what the slot holds now.
    if (report.venueState !== 'open' || !report.quote) return undefined;
    const holder = this.quoteAt(report.venueId, report.quote.mmpGroup, report.instrumentName, report.side);
    if (!holder) return undefined;
    if (holder.venueOrderId === undefined) return holder;
    // The venue holds another order in the slot: ours is gone there; ask after it by its id.
    if (holder.state !== 'unknown') this.apply(holder.clientOrderId, { type: 'ReconcileNeeded', tsMs: report.tsMs });
    this.#superseded.push(this.#orders.get(holder.clientOrderId)!);
    this.#bySlot.delete(quoteSlotKey(report.venueId, report.quote.mmpGroup, report.instrumentName, report.side));
    return undefined;
  }

  /** Quote orders the venue replaced in their slot (moved to `unknown`): to be asked after by id. */
  takeSuperseded(): Order[] {
    const out = this.#superseded;
    this.#superseded = [];
    return out;
  }

  /**
   * After reconnecting, with the venue's list of our open orders: those are folded in as
   * reports; every other order we thought live is put in `unknown`. Returns the ones to ask the
   * venue about by id; an order the venue never acknowledged (no venue id) and that is not open
   * there never arrived, and is closed as such.
   */
  reconcile(venueId: string, openAtVenue: readonly VenueOrderReport[], tsMs: number): Order[] {
    const open = new Set<string>();
    for (const report of openAtVenue) {
      open.add(this.onReport(report).clientOrderId);
    }
    // Quotes the venue replaced in their slot are asked after too.
    const toQuery: Order[] = this.takeSuperseded();
    for (const order of [...this.#orders.values()]) {
      if (order.venueId !== venueId || !LIVE_STATES.has(order.state) || open.has(order.clientOrderId) || toQuery.some((o) => o.clientOrderId === order.clientOrderId)) continue;
      this.apply(order.clientOrderId, { type: 'ReconcileNeeded', tsMs });
      if (order.venueOrderId) toQuery.push(this.#orders.get(order.clientOrderId)!);
      else this.apply(order.clientOrderId, { type: 'Reconciled', venueState: 'missing', tsMs });
    }
    return toQuery;
  }

  #indexQuote(order: Order, before: Order | undefined): void {
    if (order.venueOrderId !== undefined && before?.venueOrderId !== order.venueOrderId) this.#quoteByVenueId.set(order.venueOrderId, order.clientOrderId);
    const key = quoteSlotKey(order.venueId, order.mmpGroup!, order.instrumentName, order.side);
    const holder = this.#bySlot.get(key);
    if (LIVE_STATES.has(order.state)) {
      // A slot taken by another order (the venue's replacement of this one) stays with it.
      if (holder === undefined && !before) this.#bySlot.set(key, order.clientOrderId);
    } else if (holder === order.clientOrderId) this.#bySlot.delete(key);
  }

  /** Ids changed and removed since the last call. */
  takeChanges(): { readonly changed: readonly Order[]; readonly removed: readonly string[] } {
    const changed: Order[] = [];
    for (const id of this.#dirty) {
      const order = this.#orders.get(id);
      if (order) changed.push(order);
    }
    const removed = [...this.#removed];
    this.#dirty.clear();
    this.#removed.clear();
    return { changed, removed };
  }

  #store(order: Order): void {
    const before = this.#orders.get(order.clientOrderId);
    this.#orders.set(order.clientOrderId, order);
    this.#dirty.add(order.clientOrderId);
    const wasUnknown = before?.state === 'unknown';
    if (wasUnknown !== (order.state === 'unknown')) {
      const count = (this.#unknownByInstrument.get(order.instrumentName) ?? 0) + (wasUnknown ? -1 : 1);
      if (count > 0) this.#unknownByInstrument.set(order.instrumentName, count);
      else this.#unknownByInstrument.delete(order.instrumentName);
    }
    if (order.mmpGroup !== undefined) this.#indexQuote(order, before);
    const live = LIVE_STATES.has(order.state);
    const wasLive = before !== undefined && LIVE_STATES.has(before.state);
    if (live || wasLive) {
      let orders = this.#liveByInstrument.get(order.instrumentName);
      if (!orders) this.#liveByInstrument.set(order.instrumentName, (orders = []));
      let at = -1;
      if (wasLive) for (let k = 0; k < orders.length && at < 0; k++) if (orders[k]!.clientOrderId === order.clientOrderId) at = k;
      if (live && at >= 0) orders[at] = order;
      else if (live) orders.push(order);
      else if (at >= 0) orders.splice(at, 1);
      if (orders.length === 0) this.#liveByInstrument.delete(order.instrumentName);
    }
    if (TERMINAL_STATES.has(order.state) && !(before && TERMINAL_STATES.has(before.state))) {
      this.#terminalOrder.push(order.clientOrderId);
      while (this.#terminalOrder.length > TERMINAL_HISTORY) {
        const oldest = this.#terminalOrder.shift()!;
        const forgotten = this.#orders.get(oldest);
        if (forgotten && LIVE_STATES.has(forgotten.state)) continue;
        this.#orders.delete(oldest);
        this.#dirty.delete(oldest);
        this.#removed.add(oldest);
        if (forgotten?.venueOrderId !== undefined && this.#quoteByVenueId.get(forgotten.venueOrderId) === oldest) this.#quoteByVenueId.delete(forgotten.venueOrderId);
      }
    }
  }
}
