import type { OrderRow } from '../protocol/index.ts';

/**
 * The order state machine as an explicit table. Every change to an order goes through
 * `transition`, which either moves it along an edge of the table or refuses, leaving the order
 * as it was; nothing else writes an order's state.
 *
 *   pending-new ──ack──▶ open ──fill──▶ partially-filled ──fill──▶ filled
 *        │                │  ▲               │  ▲
 *     reject         cancel│  │replaced  cancel│  │replaced
 *        ▼                ▼  │               ▼  │
 *    rejected      pending-cancel / pending-replace ──cancelled──▶ cancelled
 *
 * An acknowledgement that never comes moves the order to `unknown`; only the venue's own record
 * (reconciliation) takes it out of there.
 */

export type OrderState = OrderRow['state'];

export const TERMINAL_STATES: ReadonlySet<OrderState> = new Set(['filled', 'cancelled', 'rejected']);
/** States in which the order may be resting at the venue. */
export const LIVE_STATES: ReadonlySet<OrderState> = new Set(['pending-new', 'open', 'partially-filled', 'pending-cancel', 'pending-replace', 'unknown']);

export type Side = OrderRow['side'];
export type OrderOrigin = OrderRow['origin'];

/** The OMS's record: what the blotter shows, plus what is asked of the venue while replacing. */
export interface Order extends OrderRow {
  readonly pendingReplace?: { readonly price: number; readonly amount: number };
}

/** What the venue (or the lack of it) says about an order. */
export type OrderEvent =
  /** The venue took the order; with the price and amount it shows when they differ from ours (a post-only order re-priced, a reduce-only one clamped). */
  | { readonly type: 'Acknowledged'; readonly venueOrderId: string; readonly price?: number; readonly amount?: number; readonly tsMs: number }
  | { readonly type: 'Rejected'; readonly reason: string; readonly tsMs: number }
  | { readonly type: 'Filled'; readonly filledAmount: number; readonly averagePrice: number; readonly tsMs: number }
  | { readonly type: 'CancelRequested'; readonly tsMs: number }
  | { readonly type: 'CancelRejected'; readonly reason: string; readonly tsMs: number }
  | { readonly type: 'Cancelled'; readonly reason: string; readonly tsMs: number }
  | { readonly type: 'ReplaceRequested'; readonly price: number; readonly amount: number; readonly tsMs: number }
  | { readonly type: 'Replaced'; readonly price: number; readonly amount: number; readonly tsMs: number }
  | { readonly type: 'ReplaceRejected'; readonly reason: string; readonly tsMs: number }
  | { readonly type: 'AckLost'; readonly tsMs: number }
  /** The connection was lost and the order is not where we left it: ask the venue. */
  | { readonly type: 'ReconcileNeeded'; readonly tsMs: number }
  /** The venue's own record after reconciliation: the source of truth. */
  | {
      readonly type: 'Reconciled';
      readonly venueState: 'open' | 'filled' | 'cancelled' | 'rejected' | 'missing';
      readonly venueOrderId?: string;
      readonly price?: number;
      readonly amount?: number;
      readonly filledAmount?: number;
      readonly averagePrice?: number;
      readonly tsMs: number;
    };

export type OrderEventType = OrderEvent['type'];

export type Transition = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly order: Order; readonly reason: string };

type Rule = (order: Order, event: never) => Order;

const reconcileNeeded = ((o: Order, e: Extract<OrderEvent, { type: 'ReconcileNeeded' }>) => {
  const { pendingReplace: _unknown, ...rest } = o;
  return { ...rest, state: 'unknown', reason: 'not open at the venue after reconnecting; asking the venue', updatedTsMs: e.tsMs };
}) as Rule;

/** State after a fill: filled when the whole amount traded, else partially filled. */
function afterFill(order: Order, filledAmount: number): OrderState {
  return filledAmount >= order.amount - 1e-9 ? 'filled' : filledAmount > 0 ? 'partially-filled' : 'open';
}

/** Where a pending request returns when the venue refuses it. */
function resting(order: Order): OrderState {
  return order.filledAmount > 0 ? 'partially-filled' : 'open';
}

const fill = (order: Order, event: Extract<OrderEvent, { type: 'Filled' }>): Order => {
  // Fills only ever grow; a stale or duplicate report must not undo a later one.
  const filledAmount = Math.max(order.filledAmount, event.filledAmount);
  const state = order.state === 'pending-cancel' || order.state === 'pending-replace' ? (filledAmount >= order.amount - 1e-9 ? 'filled' : order.state) : afterFill(order, filledAmount);
  return { ...order, filledAmount, averagePrice: event.averagePrice, state, updatedTsMs: event.tsMs };
};

const reconcile = (order: Order, event: Extract<OrderEvent, { type: 'Reconciled' }>): Order => {
  const base = {
    ...order,
    ...(event.venueOrderId !== undefined && { venueOrderId: event.venueOrderId }),
    ...(event.price !== undefined && { price: event.price }),
    ...(event.amount !== undefined && { amount: event.amount }),
    filledAmount: Math.max(order.filledAmount, event.filledAmount ?? 0),
    averagePrice: event.averagePrice ?? order.averagePrice,
    updatedTsMs: event.tsMs,
  };
  const { pendingReplace: _dropped, ...rest } = base;
  switch (event.venueState) {
    case 'open':
      return { ...rest, state: afterFill(rest, rest.filledAmount) === 'filled' ? 'filled' : resting(rest) };
    case 'filled':
      // "Filled" means the whole amount traded, whatever partial figure came with it.
      return { ...rest, filledAmount: rest.amount, state: 'filled' };
    case 'cancelled':
      return { ...rest, state: 'cancelled', reason: 'cancelled at the venue (reconciled)' };
    case 'rejected':
      return { ...rest, state: 'rejected', reason: 'rejected at the venue (reconciled)' };
    case 'missing':
      // The venue never saw it (the request was lost before it arrived).
      return { ...rest, state: rest.filledAmount > 0 ? 'cancelled' : 'rejected', reason: 'unknown to the venue after reconciliation' };
  }
};

/** The table: for each state, the events it accepts and the order they produce. */
const TABLE: { readonly [S in OrderState]: { readonly [E in OrderEventType]?: Rule } } = {
  'pending-new': {
    ReconcileNeeded: reconcileNeeded,
    Acknowledged: ((o: Order, e: Extract<OrderEvent, { type: 'Acknowledged' }>) => ({ ...o, venueOrderId: e.venueOrderId, ...(e.price !== undefined && { price: e.price }), ...(e.amount !== undefined && { amount: e.amount }), state: 'open', updatedTsMs: e.tsMs })) as Rule,
    Rejected: ((o: Order, e: Extract<OrderEvent, { type: 'Rejected' }>) => ({ ...o, state: 'rejected', reason: e.reason, updatedTsMs: e.tsMs })) as Rule,
    Filled: fill as Rule,
    Cancelled: ((o: Order, e: Extract<OrderEvent, { type: 'Cancelled' }>) => ({ ...o, state: 'cancelled', reason: e.reason, updatedTsMs: e.tsMs })) as Rule,
    AckLost: ((o: Order, e: Extract<OrderEvent, { type: 'AckLost' }>) => ({ ...o, state: 'unknown', reason: 'acknowledgement lost', updatedTsMs: e.tsMs })) as Rule,
    Reconciled: reconcile as Rule,
  },
  open: {
    ReconcileNeeded: reconcileNeeded,
    Filled: fill as Rule,
    CancelRequested: ((o: Order, e: Extract<OrderEvent, { type: 'CancelRequested' }>) => ({ ...o, state: 'pending-cancel', updatedTsMs: e.tsMs })) as Rule,
    ReplaceRequested: ((o: Order, e: Extract<OrderEvent, { type: 'ReplaceRequested' }>) => ({ ...o, state: 'pending-replace', pendingReplace: { price: e.price, amount: e.amount }, updatedTsMs: e.tsMs })) as Rule,
    Cancelled: ((o: Order, e: Extract<OrderEvent, { type: 'Cancelled' }>) => ({ ...o, state: 'cancelled', reason: e.reason, updatedTsMs: e.tsMs })) as Rule,
    Acknowledged: ((o: Order) => o) as Rule,
    Reconciled: reconcile as Rule,
  },
  'partially-filled': {
    ReconcileNeeded: reconcileNeeded,
    Filled: fill as Rule,
    Acknowledged: ((o: Order) => o) as Rule,
    CancelRequested: ((o: Order, e: Extract<OrderEvent, { type: 'CancelRequested' }>) => ({ ...o, state: 'pending-cancel', updatedTsMs: e.tsMs })) as Rule,
    ReplaceRequested: ((o: Order, e: Extract<OrderEvent, { type: 'ReplaceRequested' }>) => ({ ...o, state: 'pending-replace', pendingReplace: { price: e.price, amount: e.amount }, updatedTsMs: e.tsMs })) as Rule,
    Cancelled: ((o: Order, e: Extract<OrderEvent, { type: 'Cancelled' }>) => ({ ...o, state: 'cancelled', reason: e.reason, updatedTsMs: e.tsMs })) as Rule,
    Reconciled: reconcile as Rule,
  },
  'pending-cancel': {
    ReconcileNeeded: reconcileNeeded,
    Filled: fill as Rule,
    Cancelled: ((o: Order, e: Extract<OrderEvent, { type: 'Cancelled' }>) => ({ ...o, state: 'cancelled', reason: e.reason, updatedTsMs: e.tsMs })) as Rule,
    // Refused cancels (already filled, not found) leave the truth to the venue: reconcile.
    CancelRejected: ((o: Order, e: Extract<OrderEvent, { type: 'CancelRejected' }>) => ({ ...o, state: 'unknown', reason: `cancel refused: ${e.reason}`, updatedTsMs: e.tsMs })) as Rule,
    AckLost: ((o: Order, e: Extract<OrderEvent, { type: 'AckLost' }>) => ({ ...o, state: 'unknown', reason: 'cancel acknowledgement lost', updatedTsMs: e.tsMs })) as Rule,
    Reconciled: reconcile as Rule,
  },
  'pending-replace': {
    ReconcileNeeded: reconcileNeeded,
    Filled: fill as Rule,
    // Pulling a quote must not wait for an amend in flight: the venue cancels whichever version rests.
    CancelRequested: ((o: Order, e: Extract<OrderEvent, { type: 'CancelRequested' }>) => {
      const { pendingReplace: _superseded, ...rest } = o;
      return { ...rest, state: 'pending-cancel', updatedTsMs: e.tsMs };
    }) as Rule,
    Replaced: ((o: Order, e: Extract<OrderEvent, { type: 'Replaced' }>) => {
      const { pendingReplace: _done, ...rest } = o;
      const next = { ...rest, price: e.price, amount: e.amount, updatedTsMs: e.tsMs };
      return { ...next, state: afterFill(next, next.filledAmount) };
    }) as Rule,
    ReplaceRejected: ((o: Order, e: Extract<OrderEvent, { type: 'ReplaceRejected' }>) => {
      const { pendingReplace: _dropped, ...rest } = o;
      return { ...rest, state: resting(rest), reason: `replace refused: ${e.reason}`, updatedTsMs: e.tsMs };
    }) as Rule,
    Cancelled: ((o: Order, e: Extract<OrderEvent, { type: 'Cancelled' }>) => {
      const { pendingReplace: _dropped, ...rest } = o;
      return { ...rest, state: 'cancelled', reason: e.reason, updatedTsMs: e.tsMs };
    }) as Rule,
    AckLost: ((o: Order, e: Extract<OrderEvent, { type: 'AckLost' }>) => {
      // Whether the venue applied the replace is now unknown: reconciliation reports the price and amount.
      const { pendingReplace: _unknown, ...rest } = o;
      return { ...rest, state: 'unknown', reason: 'replace acknowledgement lost', updatedTsMs: e.tsMs };
    }) as Rule,
    Reconciled: reconcile as Rule,
  },
  unknown: {
    Reconciled: reconcile as Rule,
    Filled: ((o: Order, e: Extract<OrderEvent, { type: 'Filled' }>) => ({ ...o, filledAmount: Math.max(o.filledAmount, e.filledAmount), averagePrice: e.averagePrice, updatedTsMs: e.tsMs })) as Rule,
  },
  filled: {
    // Late duplicates of what already happened are harmless.
    Filled: ((o: Order) => o) as Rule,
    Reconciled: ((o: Order) => o) as Rule,
  },
  cancelled: {
    Cancelled: ((o: Order) => o) as Rule,
    Reconciled: ((o: Order) => o) as Rule,
  },
  rejected: {
    Rejected: ((o: Order) => o) as Rule,
    Reconciled: ((o: Order) => o) as Rule,
  },
};

export function transition(order: Order, event: OrderEvent): Transition {
  const rule = TABLE[order.state][event.type];
  if (!rule) return { ok: false, order, reason: `${event.type} is not valid in state ${order.state}` };
  return { ok: true, order: (rule as (o: Order, e: OrderEvent) => Order)(order, event) };
}

export function acceptedEvents(state: OrderState): readonly OrderEventType[] {
  return Object.keys(TABLE[state]) as OrderEventType[];
}

export function isTerminal(order: Order): boolean {
  return TERMINAL_STATES.has(order.state);
}
