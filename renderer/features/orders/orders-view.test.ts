import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../../core/protocol/index.ts';
import { filterOrders, isLive, liveCounts } from './orders-view.ts';

function order(id: string, origin: OrderRow['origin'], state: OrderRow['state']): OrderRow {
  return { clientOrderId: id, venueId: 'sim', instrumentName: 'X', side: 'buy', price: 1, amount: 1, filledAmount: 0, averagePrice: 0, postOnly: true, reduceOnly: false, origin, state, createdTsMs: 1, updatedTsMs: 1 };
}

const orders = [order('a', 'strategy', 'open'), order('b', 'manual', 'open'), order('c', 'manual', 'cancelled'), order('d', 'hedge', 'partially-filled'), order('e', 'strategy', 'filled')];

describe('orders blotter filter', () => {
  it('keeps one origin, and only live orders when asked', () => {
    expect(filterOrders(orders, 'all', false).map((row) => row.clientOrderId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(filterOrders(orders, 'manual', false).map((row) => row.clientOrderId)).toEqual(['b', 'c']);
    expect(filterOrders(orders, 'manual', true).map((row) => row.clientOrderId)).toEqual(['b']);
    expect(filterOrders(orders, 'all', true).map((row) => row.clientOrderId)).toEqual(['a', 'b', 'd']);
  });

  it('counts live orders by origin', () => {
    expect(liveCounts(orders)).toEqual({ all: 3, manual: 1, hedge: 1, strategy: 1 });
    expect(isLive(order('x', 'manual', 'pending-cancel'))).toBe(true);
    expect(isLive(order('x', 'manual', 'rejected'))).toBe(false);
  });
});
