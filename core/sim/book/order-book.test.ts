import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill, SelfTradePrevention, Side } from './order-book.ts';
import { OrderBook } from './order-book.ts';

/** The obviously-correct model: a flat list, sorted on every query. */
interface ModelOrder {
  orderId: string;
  ownerId: string;
  side: Side;
  priceTicks: number;
  lots: number;
  seq: number;
}

class ModelBook {
  orders: ModelOrder[] = [];
  seq = 0;
  private sorted(side: Side): ModelOrder[] {
    return this.orders.filter((o) => o.side === side).sort((a, b) => (a.priceTicks !== b.priceTicks ? (side === 'buy' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks) : a.seq - b.seq));
  }
  add(order: Omit<ModelOrder, 'seq'>): void {
    this.orders.push({ ...order, seq: ++this.seq });
  }
  cancel(orderId: string): void {
    this.orders = this.orders.filter((o) => o.orderId !== orderId);
  }
  match(ownerId: string, side: Side, limitTicks: number | undefined, lots: number, selfTrade: SelfTradePrevention) {
    const fills: Array<{ orderId: string; priceTicks: number; lots: number }> = [];
    let left = lots;
    for (const maker of this.sorted(side === 'buy' ? 'sell' : 'buy')) {
      if (left === 0) break;
      if (limitTicks !== undefined && (side === 'buy' ? maker.priceTicks > limitTicks : maker.priceTicks < limitTicks)) break;
      if (maker.ownerId === ownerId) {
        if (selfTrade === 'reject_taker') break;
        this.cancel(maker.orderId);
        continue;
      }
      const take = Math.min(left, maker.lots);
      maker.lots -= take;
      left -= take;
      fills.push({ orderId: maker.orderId, priceTicks: maker.priceTicks, lots: take });
      if (maker.lots === 0) this.cancel(maker.orderId);
    }
    return { fills, left };
  }
  depth(side: Side) {
    const levels: Array<{ priceTicks: number; lots: number; orders: number }> = [];
    for (const order of this.sorted(side)) {
      const last = levels.at(-1);
      if (last && last.priceTicks === order.priceTicks) {
        last.lots += order.lots;
        last.orders += 1;
      } else levels.push({ priceTicks: order.priceTicks, lots: order.lots, orders: 1 });
    }
    return levels;
  }
}

type Op =
  | { kind: 'limit'; ownerId: string; side: Side; priceTicks: number; lots: number; selfTrade: SelfTradePrevention }
  | { kind: 'market'; ownerId: string; side: Side; lots: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'reduce'; pick: number; lots: number };

const owner = fc.constantFrom('a', 'b', 'c');
const side = fc.constantFrom<Side>('buy', 'sell');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('limit' as const), ownerId: owner, side, priceTicks: fc.integer({ min: 90, max: 110 }), lots: fc.integer({ min: 1, max: 20 }), selfTrade: fc.constantFrom<SelfTradePrevention>('cancel_maker', 'reject_taker') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('market' as const), ownerId: owner, side, lots: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reduce' as const), pick: fc.nat(), lots: fc.integer({ min: 1, max: 19 }) }) },
);

describe('OrderBook', () => {
  it('matches exactly like the reference model for any sequence of orders, cancels and reductions', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const book = new OrderBook();
        const model = new ModelBook();
        let nextId = 0;
        for (const step of ops) {
          if (step.kind === 'cancel' || step.kind === 'reduce') {
            if (model.orders.length === 0) continue;
            const target = model.orders[step.pick % model.orders.length]!;
            if (step.kind === 'cancel') {
              expect(book.cancel(target.orderId)?.orderId).toBe(target.orderId);
              model.cancel(target.orderId);
            } else {
              const reduced = book.reduce(target.orderId, step.lots);
              expect(reduced).toBe(step.lots < target.lots);
              if (reduced) target.lots = step.lots;
            }
            continue;
          }
          const limit = step.kind === 'limit' ? step.priceTicks : undefined;
          const selfTrade = step.kind === 'limit' ? step.selfTrade : 'cancel_maker';
          const got = book.match({ ownerId: step.ownerId, side: step.side, limitTicks: limit, lots: step.lots, selfTrade });
          const want = model.match(step.ownerId, step.side, limit, step.lots, selfTrade);
          expect(got.fills.map((f: Fill) => ({ orderId: f.maker.orderId, priceTicks: f.priceTicks, lots: f.lots }))).toEqual(want.fills);
          expect(got.lotsLeft).toBe(want.left);
          expect(got.fills.reduce((sum, f) => sum + f.lots, 0) + got.lotsLeft).toBe(step.lots);
          if (step.kind === 'limit' && got.lotsLeft > 0 && !got.stoppedBySelfTrade) {
            const order = { orderId: `o${nextId++}`, ownerId: step.ownerId, side: step.side, priceTicks: step.priceTicks, lots: got.lotsLeft };
            book.add(order);
            model.add(order);
          }
          // Remainders rest only when nothing crosses them, so the book is never crossed.
          const bid = book.bestBidTicks();
          const ask = book.bestAskTicks();
          if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
        }
        expect(book.depth('buy')).toEqual(model.depth('buy'));
        expect(book.depth('sell')).toEqual(model.depth('sell'));
        expect(book.size).toBe(model.orders.length);
      }),
      { seed: 424242, numRuns: 400 },
    );
  });

  it('gives time priority within a level and reports queue position', () => {
    const book = new OrderBook();
    book.add({ orderId: 'first', ownerId: 'a', side: 'sell', priceTicks: 100, lots: 5 });
    book.add({ orderId: 'second', ownerId: 'b', side: 'sell', priceTicks: 100, lots: 5 });
    book.add({ orderId: 'better', ownerId: 'c', side: 'sell', priceTicks: 99, lots: 1 });
    expect(book.lotsAhead('second')).toBe(5);
    const result = book.match({ ownerId: 'taker', side: 'buy', limitTicks: 100, lots: 4, selfTrade: 'cancel_maker' });
    expect(result.fills.map((f) => [f.maker.orderId, f.priceTicks, f.lots])).toEqual([
      ['better', 99, 1],
      ['first', 100, 3],
    ]);
    expect(book.lotsAhead('second')).toBe(2);
  });

  it('keeps priority when an order is reduced', () => {
    const book = new OrderBook();
    book.add({ orderId: 'a1', ownerId: 'a', side: 'buy', priceTicks: 50, lots: 10 });
    book.add({ orderId: 'b1', ownerId: 'b', side: 'buy', priceTicks: 50, lots: 10 });
    expect(book.reduce('a1', 4)).toBe(true);
    expect(book.reduce('a1', 4)).toBe(false);
    const result = book.match({ ownerId: 'z', side: 'sell', limitTicks: undefined, lots: 5, selfTrade: 'cancel_maker' });
    expect(result.fills.map((f) => [f.maker.orderId, f.lots])).toEqual([
      ['a1', 4],
      ['b1', 1],
    ]);
  });

  it('prevents self-trades either way', () => {
    const book = new OrderBook();
    book.add({ orderId: 'own', ownerId: 'me', side: 'sell', priceTicks: 10, lots: 2 });
    book.add({ orderId: 'other', ownerId: 'x', side: 'sell', priceTicks: 11, lots: 2 });
    const rejected = book.match({ ownerId: 'me', side: 'buy', limitTicks: 11, lots: 3, selfTrade: 'reject_taker' });
    expect(rejected).toMatchObject({ fills: [], lotsLeft: 3, stoppedBySelfTrade: true });
    expect(book.size).toBe(2);
    const cancelled = book.match({ ownerId: 'me', side: 'buy', limitTicks: 11, lots: 3, selfTrade: 'cancel_maker' });
    expect(cancelled.cancelledOwn.map((o) => o.orderId)).toEqual(['own']);
    expect(cancelled.fills.map((f) => [f.maker.orderId, f.lots])).toEqual([['other', 2]]);
    expect(cancelled.lotsLeft).toBe(1);
    expect(book.availableLots('buy', undefined, 'me')).toBe(0);
  });

  it('refuses malformed orders', () => {
    const book = new OrderBook();
    book.add({ orderId: 'x', ownerId: 'a', side: 'buy', priceTicks: 1, lots: 1 });
    expect(() => book.add({ orderId: 'x', ownerId: 'a', side: 'buy', priceTicks: 1, lots: 1 })).toThrow(/duplicate/);
    expect(() => book.add({ orderId: 'y', ownerId: 'a', side: 'buy', priceTicks: 1, lots: 0.5 })).toThrow(/lots/);
    expect(() => book.add({ orderId: 'z', ownerId: 'a', side: 'buy', priceTicks: 1.5, lots: 1 })).toThrow(/tick/);
  });
});
