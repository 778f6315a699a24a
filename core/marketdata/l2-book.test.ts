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
});
