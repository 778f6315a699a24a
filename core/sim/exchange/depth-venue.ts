import type { DepthVenue } from '../market/future-depth.ts';
import type { SimExchange } from './exchange.ts';

/**
 * A depth ladder's orders on the exchange (the futures' depth, core/sim/market/future-depth.ts, and
 * the options' calibration ladder, core/sim/market/ladder.ts), in one background account each
 * (created here when missing): no margin, no positions, no order events. Every order is post-only
 * with reject, so a level that would cross someone else's stale order is refused rather than
 * trading. An account of its own, so its orders are never confused with the background maker's.
 */
export function exchangeDepthVenue(exchange: SimExchange, accountId: string): DepthVenue {
  if (!exchange.hasAccount(accountId)) exchange.addAccount(accountId, { balances: {}, background: true });
  return {
    place: (instrumentName, direction, price, amount) => {
      const placed = exchange.place(accountId, { instrumentName, direction, amount, type: 'limit', price, postOnly: true, rejectPostOnly: true });
      return placed.ok && placed.value.order.orderState === 'open' ? placed.value.order.orderId : undefined;
    },
    amend: (_instrumentName, orderId, price, amount) => {
      const edited = exchange.edit(accountId, { orderId, amount, price, postOnly: true, rejectPostOnly: true });
      return edited.ok && edited.value.order.orderState === 'open';
    },
    cancel: (_instrumentName, orderId) => {
      exchange.cancel(accountId, orderId);
    },
    restingLots: (instrumentName, orderId) => exchange.book(instrumentName)?.get(orderId)?.lots ?? 0,
    isHalted: (instrumentName) => exchange.isHalted(instrumentName),
  };
}
