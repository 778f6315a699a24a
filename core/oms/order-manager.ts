import type { VenueOrderReport } from '../venues/venue-adapter.ts';
import type { Order, OrderEvent, OrderOrigin, Side, Transition } from './order-state.ts';
import { LIVE_STATES, TERMINAL_STATES, transition } from './order-state.ts';

/**
 * Every order the engine knows, keyed by the client order id it sends in Deribit's `label` so
 * that any venue report — a response, a user.orders notification, a reconciliation after a
 * restart — maps back to exactly one order. Ids are never reused, so an order cannot be sent
 * twice; an instrument with an order in `unknown` takes no new orders until reconciled.
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
}

export type Submitted = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly reason: string };

const ORIGIN_CODE: Readonly<Record<OrderOrigin, string>> = { manual: 'm', strategy: 's', hedge: 'h' };
const ORIGIN_OF: Readonly<Record<string, OrderOrigin>> = { m: 'manual', s: 'strategy', h: 'hedge' };
/** Terminal orders kept for the blotter; older ones are forgotten. */
const TERMINAL_HISTORY = 500;

/** The origin encoded in a label we made (`m.<session>.<n>`), or undefined for a foreign label. */
export function originOfLabel(label: string): OrderOrigin | undefined {
  const match = /^([msh])\.[0-9a-z]+\.\d+$/.exec(label);
  return match ? ORIGIN_OF[match[1]!] : undefined;
}

/** The order events a venue report implies for our record of the order. */
export function eventsForReport(order: Order, report: VenueOrderReport): OrderEvent[] {
  const tsMs = report.tsMs;
  const events: OrderEvent[] = [];
  if (order.state === 'unknown') {
    return [{ type: 'Reconciled', venueState: report.venueState, venueOrderId: report.venueOrderId, price: report.price, amount: report.amount, filledAmount: report.filledAmount, averagePrice: report.averagePrice, tsMs }];
  }
  if (order.state === 'pending-new' && report.venueState !== 'rejected') events.push({ type: 'Acknowledged', venueOrderId: report.venueOrderId, tsMs });
  if (order.state === 'pending-replace' && order.pendingReplace && report.venueState === 'open' && report.price === order.pendingReplace.price && report.amount === order.pendingReplace.amount) {
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
  /** Order ids by instrument: per-instrument reads (every requote of one option) touch only that instrument's orders. */
  readonly #byInstrument = new Map<string, Set<string>>();
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
    if (instrumentName !== undefined) {
      for (const id of this.#byInstrument.get(instrumentName) ?? []) {
        const order = this.#orders.get(id)!;
        if (LIVE_STATES.has(order.state)) out.push(order);
      }
      return out;
    }
    for (const order of this.#orders.values()) if (LIVE_STATES.has(order.state)) out.push(order);
    return out;
  }

  /** Instruments with an order whose state at the venue is unknown: nothing else is sent there. */
  isBlocked(instrumentName: string): boolean {
    for (const id of this.#byInstrument.get(instrumentName) ?? []) if (this.#orders.get(id)!.state === 'unknown') return true;
    return false;
  }

  submit(request: NewOrder, tsMs: number): Submitted {
    if (this.isBlocked(request.instrumentName)) return { ok: false, reason: `${request.instrumentName} has an order in an unknown state; waiting for reconciliation` };
    const clientOrderId = `${ORIGIN_CODE[request.origin]}.${this.sessionId}.${this.#next++}`;
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
    const known = this.#orders.get(report.label);
    if (!known) {
      const adopted: Order = {
        clientOrderId: report.label || `venue.${report.venueOrderId}`,
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
        origin: originOfLabel(report.label) ?? 'manual',
        state: report.venueState === 'open' ? (report.filledAmount > 0 ? 'partially-filled' : 'open') : report.venueState,
        createdTsMs: report.tsMs,
        updatedTsMs: report.tsMs,
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
    const toQuery: Order[] = [];
    for (const order of [...this.#orders.values()]) {
      if (order.venueId !== venueId || !LIVE_STATES.has(order.state) || open.has(order.clientOrderId)) continue;
      this.apply(order.clientOrderId, { type: 'ReconcileNeeded', tsMs });
      if (order.venueOrderId) toQuery.push(this.#orders.get(order.clientOrderId)!);
      else this.apply(order.clientOrderId, { type: 'Reconciled', venueState: 'missing', tsMs });
    }
    return toQuery;
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
    if (!before) {
      let ids = this.#byInstrument.get(order.instrumentName);
      if (!ids) this.#byInstrument.set(order.instrumentName, (ids = new Set()));
      ids.add(order.clientOrderId);
    }
    if (TERMINAL_STATES.has(order.state) && !(before && TERMINAL_STATES.has(before.state))) {
      this.#terminalOrder.push(order.clientOrderId);
      while (this.#terminalOrder.length > TERMINAL_HISTORY) {
        const oldest = this.#terminalOrder.shift()!;
        const forgotten = this.#orders.get(oldest);
        if (forgotten) {
          const ids = this.#byInstrument.get(forgotten.instrumentName);
          ids?.delete(oldest);
          if (ids?.size === 0) this.#byInstrument.delete(forgotten.instrumentName);
        }
        this.#orders.delete(oldest);
        this.#dirty.delete(oldest);
        this.#removed.add(oldest);
      }
    }
  }
}
