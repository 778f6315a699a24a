import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LevelUpdate } from './l2-book.ts';
import { L2Book } from './l2-book.ts';

const level = (action: LevelUpdate['action'], priceTicks: number, amount: number): LevelUpdate => ({ action, priceTicks, amount });

describe('L2Book', () => {
  it('applies a snapshot and chained changes', () => {
    const book = new L2Book('X');
    book.applySnapshot(10, [level('new', 100, 5), level('new', 99, 3)], [level('new', 101, 2)], 1);
    expect(book.applyChange(10, 11, [level('change', 100, 4)], [level('new', 102, 7), level('delete', 101, 0)], 2)).toEqual({ state: 'live' });
    expect(book.levels('bid')).toEqual([
      [100, 4],
      [99, 3],
    ]);
    expect(book.levels('ask')).toEqual([[102, 7]]);
    expect(book.changeId).toBe(11);
  });

  it('goes stale on a change_id gap, ignores changes until a snapshot, and answers no prices meanwhile', () => {
    const book = new L2Book('X');
    book.applySnapshot(10, [level('new', 100, 5)], [level('new', 101, 2)], 1);
    expect(book.applyChange(12, 13, [], [], 2)).toMatchObject({ state: 'stale', reason: expect.stringContaining('gap') });
    expect(book.bestBidTicks()).toBeUndefined();
    expect(book.applyChange(13, 14, [level('new', 100, 9)], [], 3).state).toBe('stale');
    book.applySnapshot(20, [level('new', 100, 1)], [level('new', 105, 1)], 4);
    expect(book.bestBidTicks()).toBe(100);
    expect(book.bestAskTicks()).toBe(105);
  });

  it('goes stale when a change leaves the book crossed', () => {
    const book = new L2Book('X');
    book.applySnapshot(1, [level('new', 100, 5)], [level('new', 101, 2)], 1);
    expect(book.applyChange(1, 2, [level('new', 101, 1)], [], 2)).toMatchObject({ state: 'stale', reason: expect.stringContaining('crossed') });
  });

  it('agrees with a plain map model for any chained sequence of changes', () => {
    const update = fc.record({ side: fc.constantFrom('bid', 'ask'), action: fc.constantFrom<LevelUpdate['action']>('new', 'change', 'delete'), offset: fc.integer({ min: 1, max: 30 }), amount: fc.integer({ min: 1, max: 100 }) });
    fc.assert(
      fc.property(fc.array(fc.array(update, { maxLength: 6 }), { maxLength: 60 }), (batches) => {
        const book = new L2Book('X');
        const model = { bid: new Map<number, number>(), ask: new Map<number, number>() };
        book.applySnapshot(0, [], [], 0);
        let changeId = 0;
        for (const batch of batches) {
          // Bids below 1000, asks above: the generator never crosses the book.
          const bids = batch.filter((u) => u.side === 'bid').map((u) => level(u.action, 1000 - u.offset, u.amount));
          const asks = batch.filter((u) => u.side === 'ask').map((u) => level(u.action, 1000 + u.offset, u.amount));
          for (const [side, list] of [['bid', bids], ['ask', asks]] as const) {
            for (const u of list) {
              if (u.action === 'delete') model[side].delete(u.priceTicks);
              else model[side].set(u.priceTicks, u.amount);
            }
          }
          expect(book.applyChange(changeId, changeId + 1, bids, asks, changeId).state).toBe('live');
          changeId += 1;
        }
        expect(book.levels('bid')).toEqual([...model.bid].sort((a, b) => b[0] - a[0]));
        expect(book.levels('ask')).toEqual([...model.ask].sort((a, b) => a[0] - b[0]));
      }),
      { seed: 31, numRuns: 300 },
    );
  });

  it('agrees with a plain map model through snapshots in any order and changes of any kind, crossed or not', () => {
    // Bid and ask prices overlap a little: most books stay live, some changes cross them.
    const levelArb = (min: number, max: number) =>
      fc.record({ action: fc.constantFrom<LevelUpdate['action']>('new', 'change', 'delete'), priceTicks: fc.integer({ min, max }), amount: fc.constantFrom(0, -1, 0.1, 1, 2.5, 7, 100) });
    const bidArb = levelArb(90, 111);
    const askArb = levelArb(109, 130);
    const snapshotArb = fc.record({ kind: fc.constant('snapshot' as const), bids: fc.array(bidArb, { maxLength: 25 }), asks: fc.array(askArb, { maxLength: 25 }), sortBest: fc.boolean() });
    const changeArb = fc.record({ kind: fc.constant('change' as const), bids: fc.array(bidArb, { maxLength: 5 }), asks: fc.array(askArb, { maxLength: 5 }), gap: fc.constantFrom(false, false, false, false, false, false, true) });
    const stepArb = fc.oneof({ weight: 1, arbitrary: snapshotArb }, { weight: 8, arbitrary: changeArb });
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => {
        const book = new L2Book('X');
        const model = { bid: new Map<number, number>(), ask: new Map<number, number>(), state: 'empty' as 'empty' | 'live' | 'stale', changeId: 0 };
        const crossed = (): boolean => {
          const bid = Math.max(...model.bid.keys());
          const ask = Math.min(...model.ask.keys());
          return model.bid.size > 0 && model.ask.size > 0 && bid >= ask;
        };
        for (const step of steps) {
          if (step.kind === 'snapshot') {
            // Venues send best first; anything else must work too (repeated prices: the last wins).
            const order = (side: 'bid' | 'ask', levels: LevelUpdate[]): LevelUpdate[] =>
              step.sortBest ? [...levels].sort((a, b) => (side === 'bid' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks)) : levels;
            const bids = order('bid', step.bids);
            const asks = order('ask', step.asks);
            model.bid.clear();
            model.ask.clear();
            for (const l of bids) if (l.amount > 0) model.bid.set(l.priceTicks, l.amount);
            for (const l of asks) if (l.amount > 0) model.ask.set(l.priceTicks, l.amount);
            model.changeId += 10;
            model.state = crossed() ? 'stale' : 'live';
            expect(book.applySnapshot(model.changeId, bids, asks, 0).state).toBe(model.state);
          } else {
            const prev = step.gap ? model.changeId + 1 : model.changeId;
            const status = book.applyChange(prev, model.changeId + 2, step.bids, step.asks, 0);
            if (model.state === 'live') {
              if (step.gap) model.state = 'stale';
              else {
                for (const [side, levels] of [['bid', step.bids], ['ask', step.asks]] as const) {
                  for (const l of levels) {
                    if (l.action === 'delete' || l.amount <= 0) model[side].delete(l.priceTicks);
                    else model[side].set(l.priceTicks, l.amount);
                  }
                }
                model.changeId += 2;
                if (crossed()) model.state = 'stale';
              }
            }
            expect(status.state).toBe(model.state);
          }
          expect(book.status.state).toBe(model.state);
          if (model.state !== 'live') {
            expect(book.bestBidTicks()).toBeUndefined();
            expect(book.levels('ask')).toEqual([]);
            continue;
          }
          const bids = [...model.bid].sort((a, b) => b[0] - a[0]);
          const asks = [...model.ask].sort((a, b) => a[0] - b[0]);
          expect(book.levels('bid')).toEqual(bids);
          expect(book.levels('ask')).toEqual(asks);
          expect(book.levels('bid', 3)).toEqual(bids.slice(0, 3));
          expect(book.bestBidTicks()).toBe(bids[0]?.[0]);
          expect(book.bestAskTicks()).toBe(asks[0]?.[0]);
          expect(book.changeId).toBe(model.changeId);
          for (let t = 89; t <= 131; t++) {
            expect(book.amountAt('bid', t)).toBe(model.bid.get(t));
            expect(book.amountAt('ask', t)).toBe(model.ask.get(t));
          }
        }
      }),
      { seed: 32, numRuns: 400 },
    );
  });
});
