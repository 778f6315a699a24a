import type { MarketData } from '../marketdata/market-data.ts';
import { isOnTick, tickSizeAt } from '../model/ticks.ts';
import type { OrderManager } from '../oms/order-manager.ts';
import type { Order, OrderOrigin, Side } from '../oms/order-state.ts';
import type { VenueStatus } from '../protocol/index.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import type { VenueRequest } from './venue-request.ts';

/**
 * The one door every order goes through, whoever wants it (the trader, a strategy, the hedger):
 * sanity (instrument listed, venue connected, data fresh, price on tick, amount on lot), the kill
 * switch, then the risk layer's pre-trade checks, then the OMS. A refusal names the check and why.
 * Venue answers about orders come back through here too, so the OMS sees every change.
 *
 * Mass quotes go through the same door, side by side: `quote` runs every check on one side of a
 * quote slot and asks for a new quote or an amend of the slot's resting one; a quote order is
 * replaced and cancelled like any order. The venue adapter turns them into mass quote requests
 * (the requests of one turn together), so the kernel's requests stay the same few kinds.
 */

export interface OrderIntent {
  readonly instrumentName: string;
  readonly side: Side;
  readonly price: number;
  readonly amount: number;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly origin: OrderOrigin;
  readonly timeInForce?: 'good_til_cancelled' | 'immediate_or_cancel';
  /** Under the venue's market maker protection (strategy quotes only, while it is configured). */
  readonly mmp?: boolean;
  /** Rate-limiter priority at the venue: lower goes first (near-the-money quotes before wings). */
  readonly priority?: number;
  /**
   * The price collar the trader granted this order, as a fraction of the venue's mark (a flatten's
   * slippage cap): honoured on reduce-only orders only (core/risk/pre-trade's collarFraction).
   */
  readonly collarFraction?: number;
}

export interface Refusal {
  readonly ok: false;
  readonly check: string;
  readonly reason: string;
}
export type CheckResult = { readonly ok: true } | Refusal;

export type Placed = { readonly ok: true; readonly order: Order; readonly request: VenueRequest } | Refusal;



export interface GatewayDeps {
  readonly marketData: MarketData;
  readonly orders: OrderManager;
  venue(venueId: string): VenueStatus | undefined;
  /** Set while the kill switch is latched: only cancels go out. */
  halted(): boolean;
  /** The risk layer's answer for this order; amendments pass the order's new price and amount. */
  preTrade(intent: OrderIntent, replacing: Order | undefined): CheckResult;
  /**
   * Counts what goes out, for the rate limits, as soon as it is decided (a burst is counted as it
   * builds). Cancels are not counted: they only ever reduce risk, and nothing may hold them back.
   */
  sent(instrumentName: string, kind: 'order' | 'message'): void;
}

const EPS = 1e-6;

function refuse(check: string, reason: string): Refusal {
  return { ok: false, check, reason };
}

export class OrderGateway {
  constructor(private readonly deps: GatewayDeps) {}

  /** Why an order on this instrument at this price and amount cannot go out as it stands. */
  sanity(instrumentName: string, price: number, amount: number): CheckResult {
    const { marketData } = this.deps;
    const instrument = marketData.instrument(instrumentName);
    if (!instrument) return refuse('instrument', `unknown instrument ${instrumentName}`);
    const venue = this.deps.venue(instrument.venueId);
    if (venue?.state !== 'connected') return refuse('venue', `venue ${instrument.venueId} is ${venue?.state ?? 'not connected'}`);
    const stale = marketData.staleReason(instrumentName);
    if (stale !== undefined) return refuse('stale-data', `market data for ${instrumentName} is stale: ${stale}`);
    if (!isOnTick(instrument, price)) return refuse('tick', `price ${price} is not a multiple of the tick size ${tickSizeAt(instrument, price)}`);
    const lots = amount / instrument.minTradeAmount;
    if (Math.abs(lots - Math.round(lots)) > EPS) return refuse('lot', `amount ${amount} is not a multiple of the minimum ${instrument.minTradeAmount}`);
    if (this.deps.orders.isBlocked(instrumentName)) return refuse('reconciling', `${instrumentName} has an order in an unknown state; waiting for reconciliation`);
    return { ok: true };
  }

  /** Every check, without sending anything (the ladder's CheckOrder). */
  check(intent: OrderIntent): CheckResult {
    if (this.deps.halted()) return refuse('kill-switch', 'the kill switch is latched: acknowledge the halt first');
    const sane = this.sanity(intent.instrumentName, intent.price, intent.amount);
    if (!sane.ok) return sane;
    return this.deps.preTrade(intent, undefined);
  }

  place(intent: OrderIntent, tsMs: number): Placed {
    const checked = this.check(intent);
    if (!checked.ok) return checked;
    return this.#submit(intent, tsMs);
  }

  /** A new order in the OMS and its request, once every check passed; a quote when `quote` says in which slot. */
  #submit(intent: OrderIntent, tsMs: number, quote?: { readonly mmpGroup: string; readonly quoteSetId: string }): Placed {
    const instrument = this.deps.marketData.instrument(intent.instrumentName)!;
    const reduceOnly = quote ? false : intent.reduceOnly;
    const submitted = this.deps.orders.submit(
      { venueId: instrument.venueId, instrumentName: intent.instrumentName, side: intent.side, price: intent.price, amount: intent.amount, postOnly: intent.postOnly, reduceOnly, origin: intent.origin, ...(quote && { mmpGroup: quote.mmpGroup }) },
      tsMs,
    );
    if (!submitted.ok) return refuse('oms', submitted.reason);
    const order = submitted.order;
    this.deps.sent(order.instrumentName, 'order');
    return {
      ok: true,
      order,
      request: {
        type: 'PlaceOrder',
        venueId: order.venueId,
        request: {
          label: order.clientOrderId,
          instrumentName: order.instrumentName,
          side: order.side,
          price: order.price,
          amount: order.amount,
          postOnly: order.postOnly,
          reduceOnly: order.reduceOnly,
          ...(quote && { quote }),
          ...(intent.priority !== undefined && { priority: intent.priority }),
          ...(!quote && intent.timeInForce && { timeInForce: intent.timeInForce }),
          ...(!quote && intent.mmp && { mmp: true }),
        },
      },
    };
  }

  /**
   * Quotes one side of a slot (venue, `mmpGroup`, instrument, side) at the intent's price and open
   * amount: every check `place` runs, then a new quote order when the slot is empty (a PlaceOrder
   * with `quote`: the venue adapter sends it in its turn's mass quote), or an amend of its resting
   * quote (a ReplaceOrder of the total amount: the open amount asked plus what already filled). A
   * slot whose quote is still in flight (unacknowledged, or an amend or cancel unanswered) is
   * refused until it rests.
   */
  quote(intent: OrderIntent, mmpGroup: string, quoteSetId: string, tsMs: number): Placed {
    const { orders, marketData } = this.deps;
    if (this.deps.halted()) return refuse('kill-switch', 'the kill switch is latched: acknowledge the halt first');
    const instrument = marketData.instrument(intent.instrumentName);
    if (!instrument) return refuse('instrument', `unknown instrument ${intent.instrumentName}`);
    const resting = orders.quoteAt(instrument.venueId, mmpGroup, intent.instrumentName, intent.side);
    if (resting) {
      if (resting.state !== 'open' && resting.state !== 'partially-filled') return refuse('order-state', `quote ${resting.clientOrderId} is ${resting.state}; it is amended once it rests`);
      const request = this.replace(resting, intent.price, intent.amount + resting.filledAmount, tsMs, intent.priority !== undefined ? { priority: intent.priority } : {});
      if (isRefusal(request)) return request;
      return { ok: true, order: orders.get(resting.clientOrderId)!, request };
    }
    const checked = this.check(intent);
    if (!checked.ok) return checked;
    return this.#submit(intent, tsMs, { mmpGroup, quoteSetId });
  }

  /** Amends a resting order in place (Deribit private/edit keeps its queue priority when it shrinks; a quote is sent again). */
  replace(order: Order, price: number, amount: number, tsMs: number, extra: Pick<OrderIntent, 'priority' | 'collarFraction'> = {}): VenueRequest | Refusal {
    if (this.deps.halted()) return refuse('kill-switch', 'the kill switch is latched: only cancels are sent');
    if (order.state !== 'open' && order.state !== 'partially-filled') return refuse('order-state', `order ${order.clientOrderId} is ${order.state}; only a resting order can be amended`);
    if (!order.venueOrderId) return refuse('order-state', `order ${order.clientOrderId} is not acknowledged yet`);
    if (amount <= order.filledAmount + EPS) return refuse('amount', `amount ${amount} is not above the ${order.filledAmount} already filled`);
    const sane = this.sanity(order.instrumentName, price, amount);
    if (!sane.ok) return sane;
    const risk: CheckResult = this.deps.preTrade({ instrumentName: order.instrumentName, side: order.side, price, amount, postOnly: order.postOnly, reduceOnly: order.reduceOnly, origin: order.origin, ...extra }, order);
    if (!risk.ok) return risk;
    const result = this.deps.orders.apply(order.clientOrderId, { type: 'ReplaceRequested', price, amount, tsMs });
    if (!result?.ok) return refuse('order-state', result?.reason ?? 'cannot amend');
    this.deps.sent(order.instrumentName, 'message');
    return { type: 'ReplaceOrder', venueId: order.venueId, label: order.clientOrderId, venueOrderId: order.venueOrderId, price, amount, ...(extra.priority !== undefined && { priority: extra.priority }) };
  }

  cancel(order: Order, tsMs: number): VenueRequest | Refusal {
    if (order.state === 'filled' || order.state === 'cancelled' || order.state === 'rejected') return refuse('order-state', `order ${order.clientOrderId} is already ${order.state}`);
    if (order.state === 'pending-cancel') return refuse('order-state', `order ${order.clientOrderId} is already being cancelled`);
    if (!order.venueOrderId) return refuse('order-state', `order ${order.clientOrderId} is not acknowledged yet; cancel it once it is`);
    const result = this.deps.orders.apply(order.clientOrderId, { type: 'CancelRequested', tsMs });
    if (!result?.ok) return refuse('order-state', result?.reason ?? 'cannot cancel');
    return { type: 'CancelOrder', venueId: order.venueId, label: order.clientOrderId, venueOrderId: order.venueOrderId };
  }

  /** Folds a venue's answer about an order into the OMS; returns the queries reconciliation needs. */
  onOrderEvent(event: VenueEvent, tsMs: number): VenueRequest[] {
    const { orders } = this.deps;
    switch (event.type) {
      case 'OrderReported':
        orders.onReport(event.report);
        // A quote the venue replaced in its slot is asked after by id.
        return orders.takeSuperseded().flatMap(query);
      case 'OrderRequestFailed': {
        if (!orders.get(event.label)) return [];
        if (event.request === 'place') orders.apply(event.label, { type: 'Rejected', reason: event.reason, tsMs });
        else if (event.request === 'replace') orders.apply(event.label, { type: 'ReplaceRejected', reason: event.reason, tsMs });
        else if (event.request === 'cancel') orders.apply(event.label, { type: 'CancelRejected', reason: event.reason, tsMs });
        else if (event.code === 10004) orders.apply(event.label, { type: 'Reconciled', venueState: 'missing', tsMs });
        // A failed query is not retried here: the next reconnect reconciles again.
        return event.request === 'query' ? [] : query(orders.get(event.label));
      }
      case 'OrderRequestLost':
        orders.apply(event.label, { type: 'AckLost', tsMs });
        return query(orders.get(event.label));
      case 'OrdersReconciled':
        return orders.reconcile(event.venueId, event.open, tsMs).flatMap(query);
      default:
        return [];
    }
  }
}

/** The venue is asked about an order whose state is unknown (nothing for any other). */
function query(order: Order | undefined): VenueRequest[] {
  return order?.state === 'unknown' && order.venueOrderId ? [{ type: 'QueryOrder', venueId: order.venueId, label: order.clientOrderId, venueOrderId: order.venueOrderId }] : [];
}

export function isRefusal(value: VenueRequest | Refusal): value is Refusal {
  return 'ok' in value;
}
