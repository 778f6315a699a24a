import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FetchTrades, TradeWatermark } from './trade-recovery.ts';
import { advance, isAfter, merge, newestWatermark, ORIGIN, recoverTrades } from './trade-recovery.ts';

interface Trade {
  readonly seq: number;
  readonly tsMs: number;
}

function wire(trade: Trade): Record<string, unknown> {
  return {
    trade_id: `T${trade.seq}`,
    order_id: 'O1',
    instrument_name: 'BTC-PERPETUAL',
    direction: 'buy',
    amount: 10,
    price: 95_000,
    fee: 0,
    index_price: 95_000,
    liquidity: 'M',
    timestamp: trade.tsMs,
  };
}

/** private/get_user_trades_by_currency as Deribit documents it (bounds inclusive, newest first), or as the simulator answers (bounds ignored). */
function venue(trades: readonly Trade[], honoursBounds: boolean): { fetch: FetchTrades; calls: Array<Record<string, unknown>> } {
  const calls: Array<Record<string, unknown>> = [];
  const fetch: FetchTrades = async (params) => {
    calls.push(params);
    const start = honoursBounds ? Number(params.start_timestamp ?? 0) : 0;
    const end = honoursBounds && params.end_timestamp !== undefined ? Number(params.end_timestamp) : Number.POSITIVE_INFINITY;
    const count = Number(params.count ?? 10);
    const matching = trades.filter((t) => t.tsMs >= start && t.tsMs <= end).sort((a, b) => b.tsMs - a.tsMs || b.seq - a.seq);
    return { trades: matching.slice(0, count).map(wire), has_more: matching.length > count };
  };
  return { fetch, calls };
}

const watermarkAfter = (trades: readonly Trade[]): TradeWatermark => trades.reduce<TradeWatermark>((w, t) => advance(w, { tsMs: t.tsMs, tradeId: `T${t.seq}` }), ORIGIN);

describe('fill recovery after a reconnect', () => {
  it('keeps the ids seen at the newest time, so trades sharing a millisecond are neither repeated nor skipped', () => {
    let w = advance(undefined, { tsMs: 100, tradeId: 'a' });
    w = advance(w, { tsMs: 100, tradeId: 'b' });
    w = advance(w, { tsMs: 90, tradeId: 'old' });
    expect([...w.tradeIds]).toEqual(['a', 'b']);
    expect(isAfter(w, { tsMs: 100, tradeId: 'a' })).toBe(false);
    expect(isAfter(w, { tsMs: 100, tradeId: 'c' })).toBe(true);
    expect(isAfter(w, { tsMs: 99, tradeId: 'd' })).toBe(false);
    expect(advance(w, { tsMs: 101, tradeId: 'e' })).toEqual({ tsMs: 101, tradeIds: new Set(['e']) });
    expect(merge(w, { tsMs: 100, tradeIds: new Set(['c']) })).toEqual({ tsMs: 100, tradeIds: new Set(['a', 'b', 'c']) });
    expect(merge(w, { tsMs: 90, tradeIds: new Set(['x']) })).toBe(w);
    expect(merge(undefined, w)).toBe(w);
  });

  it('pages back through Deribit’s answers to the watermark and returns the missed trades oldest first', async () => {
    const trades = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seq) => ({ seq, tsMs: 100 + Math.floor(seq / 3) * 100 }));
    const { fetch, calls } = venue(trades, true);
    const recovery = await recoverTrades('sim', 'BTC', watermarkAfter(trades.slice(0, 3)), fetch, { pageSize: 4 });
    expect(recovery.fills.map((f) => f.tradeId)).toEqual(['T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10']);
    expect(recovery.complete).toBe(true);
    expect(calls[0]).toMatchObject({ currency: 'BTC', kind: 'any', sorting: 'desc', count: 4, start_timestamp: 200 });
    expect(calls[1]).toMatchObject({ end_timestamp: 300 });
    expect(calls).toHaveLength(3);
  });

  it('works against a venue that ignores the time bounds while the missed trades fit in a page, and says when they may not', async () => {
    const trades = Array.from({ length: 12 }, (_, i) => ({ seq: i + 1, tsMs: 1_000 + i * 100 }));
    const fits = await recoverTrades('sim', 'BTC', watermarkAfter(trades.slice(0, 8)), venue(trades, false).fetch, { pageSize: 5 });
    expect(fits).toMatchObject({ complete: true });
    expect(fits.fills.map((f) => f.tradeId)).toEqual(['T9', 'T10', 'T11', 'T12']);
    const overflows = await recoverTrades('sim', 'BTC', watermarkAfter(trades.slice(0, 2)), venue(trades, false).fetch, { pageSize: 5 });
    expect(overflows.complete).toBe(false);
    expect(overflows.fills.map((f) => f.tradeId)).toEqual(['T8', 'T9', 'T10', 'T11', 'T12']);
  });

  it('reports refused trades and an unreadable page without losing the good ones', async () => {
    const bad: FetchTrades = async () => ({ trades: [wire({ seq: 1, tsMs: 5 }), { trade_id: 'broken' }], has_more: false });
    const recovery = await recoverTrades('sim', 'BTC', ORIGIN, bad);
    expect(recovery.fills.map((f) => f.tradeId)).toEqual(['T1']);
    expect(recovery.refused).toHaveLength(1);
    expect(await recoverTrades('sim', 'BTC', ORIGIN, async () => 'nonsense')).toMatchObject({ fills: [], complete: false });
  });

  it('starts a first connection after the venue’s newest trade', async () => {
    const trades = [
      { seq: 1, tsMs: 10 },
      { seq: 2, tsMs: 20 },
      { seq: 3, tsMs: 20 },
    ];
    const { watermark } = await newestWatermark('sim', 'BTC', venue(trades, true).fetch);
    expect(watermark).toEqual({ tsMs: 20, tradeIds: new Set(['T3', 'T2']) });
    expect((await newestWatermark('sim', 'BTC', venue([], true).fetch)).watermark).toEqual(ORIGIN);
  });

  it('recovers exactly the trades after any point of any history (Deribit paging, trades sharing milliseconds)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 60 }).chain((gaps) => fc.tuple(fc.constant(gaps), fc.nat({ max: gaps.length }), fc.integer({ min: 5, max: 20 }))),
        async ([gaps, cut, pageSize]) => {
          // Gaps of 0 put trades in the same millisecond; never more than 4 in one, fewer than a page
          // holds (a millisecond holding a whole page cannot be paged through by time).
          let tsMs = 1_000;
          let run = 0;
          const trades = gaps.map((gap, i) => {
            run = gap === 0 ? run + 1 : 0;
            tsMs += gap === 0 && run >= 4 ? 1 : gap;
            if (run >= 4) run = 0;
            return { seq: i + 1, tsMs };
          });
          const recovery = await recoverTrades('sim', 'BTC', watermarkAfter(trades.slice(0, cut)), venue(trades, true).fetch, { pageSize });
          expect(recovery.complete).toBe(true);
          expect(recovery.fills.map((f) => f.tradeId).sort()).toEqual(trades.slice(cut).map((t) => `T${t.seq}`).sort());
        },
      ),
      { seed: 99, numRuns: 200 },
    );
  });
});
