import type { DepthVenue } from '../market/future-depth.ts';
import type { SimExchange } from './exchange.ts';

/**
 * The futures depth's orders (core/sim/market/future-depth.ts) on the exchange, in one background
 * account (created here when missing): no margin, no positions, no order events. Every order is
 * post-only with reject, so a level that would cross someone else's stale order is refused rather
 * than trading. Its own account, apart from the background maker's: the exchange caps an account's
 * open orders, and the maker's one quote a side on every option already uses most of that.
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
