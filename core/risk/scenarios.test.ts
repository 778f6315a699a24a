import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from '../pricing/index.ts';
import type { InstrumentRow } from '../protocol/state.ts';
import type { PricingInput, RiskPosition } from './greeks.ts';
import { aggregateGreeks } from './greeks.ts';
import { DEFAULT_SPOT_SHOCKS, DEFAULT_VOL_SHOCKS_PTS, scenarioGrid, symmetricShocks } from './scenarios.ts';
import { BTC_DEC_50P, BTC_DEC_60C, BTC_DEC_FUT, BTC_MAR_45P, BTC_MAR_70C, BTC_PERP, ETH_DEC_3000C, ETH_PERP, INSTRUMENT_MAP, PRICING } from './test-fixtures.ts';

const mixedBook: RiskPosition[] = [
  { instrument: BTC_DEC_60C, size: 2 },
  { instrument: BTC_DEC_50P, size: -1.5 },
  { instrument: BTC_MAR_70C, size: -4 },
  { instrument: BTC_MAR_45P, size: 3 },
  { instrument: BTC_DEC_FUT, size: 20_000 },
  { instrument: BTC_PERP, size: -30_000 },
  { instrument: ETH_PERP, size: 5_000 },
  { instrument: ETH_DEC_3000C, size: 10 },
];

describe('scenario grid', () => {
  it('defaults to −20 %…+20 % spot by 5 % and −20…+20 vol points by 5, with an exact zero', () => {
    expect(DEFAULT_SPOT_SHOCKS).toHaveLength(9);
    expect(DEFAULT_SPOT_SHOCKS[0]).toBeCloseTo(-0.2, 15);
    expect(DEFAULT_SPOT_SHOCKS[4]).toBe(0);
    expect(DEFAULT_VOL_SHOCKS_PTS).toEqual([-20, -15, -10, -5, 0, 5, 10, 15, 20]);
    expect(symmetricShocks(0.1, 2)).toEqual([-0.1, -0.05, 0, 0.05, 0.1]);
  });

  it('has exactly zero PnL at zero shock', () => {
    const { grids, unpriced } = scenarioGrid(mixedBook, PRICING);
    expect(unpriced).toEqual([]);
    expect(grids.map((g) => g.currency)).toEqual(['BTC', 'ETH']);
    for (const g of grids) {
      expect(g.pnlUsd[4]![4]).toBe(0);
      expect(g.pnlCoin[4]![4]).toBe(0);
      expect(g.pnlUsd).toHaveLength(9);
      for (const row of g.pnlUsd) expect(row).toHaveLength(9);
    }
  });

  it('revalues an inverse perpetual exactly: long 10,000 USD at 50,000, spot +10 %', () => {
    const { grids } = scenarioGrid([{ instrument: BTC_PERP, size: 10_000 }], { [BTC_PERP.instrumentName]: { forwardUsd: 50_000 } }, { spotShocks: [0.1], volShocksPts: [0] });
    expect(grids[0]!.pnlUsd[0]![0]).toBeCloseTo(1_000, 9);
    expect(grids[0]!.pnlCoin[0]![0]).toBeCloseTo(10_000 * (1 / 50_000 - 1 / 55_000), 15);
  });

  it('revalues an option by full Black-76, not by its Greeks', () => {
    const p = PRICING[BTC_DEC_60C.instrumentName]!;
    const { grids } = scenarioGrid([{ instrument: BTC_DEC_60C, size: -2 }], PRICING, { spotShocks: [-0.2, 0.15], volShocksPts: [-10, 20] });
    const b0 = black76Price(p.forwardUsd, 60_000, p.expiryYears!, p.volAnnual!, 'call');
    for (const [i, s] of [-0.2, 0.15].entries()) {
      for (const [j, v] of [-10, 20].entries()) {
        const f = p.forwardUsd * (1 + s);
        const b = black76Price(f, 60_000, p.expiryYears!, p.volAnnual! + v / 100, 'call');
        expect(grids[0]!.pnlUsd[i]![j]).toBeCloseTo(-2 * (b - b0), 6);
        expect(grids[0]!.pnlCoin[i]![j]).toBeCloseTo(-2 * (b / f - b0 / p.forwardUsd), 12);
      }
    }
  });

  it('agrees with the Greeks for small moves: USD with the Black delta and vega, coin with the premium-adjusted delta', () => {
    const btc = mixedBook.filter((p) => p.instrument.currency === 'BTC');
    const g = aggregateGreeks(btc, PRICING, {}).byUnderlying[0]!.greeks;
    const { grids } = scenarioGrid(btc, PRICING, { spotShocks: [-1e-4, 0, 1e-4], volShocksPts: [-0.01, 0, 0.01] });
    const grid = grids[0]!;
    // Every instrument's forward moves by the same factor: the USD move of each is F_i·1e-4.
    const dUsd = btc.reduce((sum, p) => sum + (aggregateGreeks([p], PRICING, {}).byUnderlying[0]!.greeks.deltaCoin * PRICING[p.instrument.instrumentName]!.forwardUsd * 1e-4), 0);
    expect((grid.pnlUsd[2]![1]! - grid.pnlUsd[0]![1]!) / 2).toBeCloseTo(dUsd, 4);
    expect((grid.pnlCoin[2]![1]! - grid.pnlCoin[0]![1]!) / 2 / 1e-4).toBeCloseTo(g.deltaPremiumAdjustedCoin, 4);
    expect((grid.pnlUsd[1]![2]! - grid.pnlUsd[1]![0]!) / 2 / 0.01).toBeCloseTo(g.vegaUsdPerVolPt, 2);
  });

  it('lets time pass over a horizon: the zero-shock cell is about a day of theta', () => {
    const book = [{ instrument: BTC_DEC_60C, size: 1 }];
    const theta = aggregateGreeks(book, PRICING, {}).byUnderlying[0]!.greeks.thetaUsdPerDay;
    const { grids } = scenarioGrid(book, PRICING, { spotShocks: [0], volShocksPts: [0], horizonDays: 1 });
    expect(grids[0]!.pnlUsd[0]![0]).toBeLessThan(0);
    expect(grids[0]!.pnlUsd[0]![0]! / theta).toBeCloseTo(1, 2);
  });

  it('floors shocked volatility at zero instead of producing NaN', () => {
    const { grids } = scenarioGrid(mixedBook, PRICING, { spotShocks: [0.1], volShocksPts: [-100] });
    for (const g of grids) expect(Number.isFinite(g.pnlUsd[0]![0])).toBe(true);
  });

  it('includes working orders filled at their prices: the zero-shock cell is their edge', () => {
    const p = PRICING[BTC_DEC_60C.instrumentName]!;
    const theoCoin = black76Price(p.forwardUsd, 60_000, p.expiryYears!, p.volAnnual!, 'call') / p.forwardUsd;
    const orders = [
      { instrumentName: BTC_DEC_60C.instrumentName, side: 'buy' as const, price: theoCoin - 0.001, amount: 2 },
      { instrumentName: BTC_PERP.instrumentName, side: 'sell' as const, price: 50_100, amount: 10_000 },
    ];
    const zero = { spotShocks: [0], volShocksPts: [0] };
    const bids = scenarioGrid([], PRICING, { ...zero, working: { orders, instruments: INSTRUMENT_MAP, sides: 'bids' } }).grids[0]!;
    expect(bids.pnlCoin[0]![0]).toBeCloseTo(2 * 0.001, 12);
    expect(bids.pnlUsd[0]![0]).toBeCloseTo(2 * 0.001 * p.forwardUsd, 6);
    const asks = scenarioGrid([], PRICING, { ...zero, working: { orders, instruments: INSTRUMENT_MAP, sides: 'asks' } }).grids[0]!;
    const perpMark = PRICING[BTC_PERP.instrumentName]!.forwardUsd;
    expect(asks.pnlCoin[0]![0]).toBeCloseTo(-10_000 * (1 / 50_100 - 1 / perpMark), 14);
    const both = scenarioGrid([], PRICING, { ...zero, working: { orders, instruments: INSTRUMENT_MAP, sides: 'both' } }).grids[0]!;
    expect(both.pnlCoin[0]![0]).toBeCloseTo(bids.pnlCoin[0]![0]! + asks.pnlCoin[0]![0]!, 14);
  });

  it('reports what it cannot price and refuses impossible shocks', () => {
    const { grids, unpriced } = scenarioGrid(mixedBook, { ...PRICING, [BTC_MAR_45P.instrumentName]: { forwardUsd: 52_000 } });
    expect(unpriced).toEqual([BTC_MAR_45P.instrumentName]);
    expect(grids[0]!.pnlUsd[4]![4]).toBe(0);
    expect(() => scenarioGrid(mixedBook, PRICING, { spotShocks: [-1] })).toThrow(RangeError);
    expect(() => scenarioGrid(mixedBook, PRICING, { volShocksPts: [Number.NaN] })).toThrow(RangeError);
  });

  it('is monotone in spot for a long-delta futures book, whatever the vol shock (property)', () => {
    const futures = [BTC_DEC_FUT, BTC_PERP];
    fc.assert(
      fc.property(
        fc.array(fc.record({ which: fc.integer({ min: 0, max: 1 }), sizeUsd: fc.integer({ min: 1, max: 100_000 }).map((n) => n * 10), forwardUsd: fc.double({ min: 1_000, max: 200_000, noNaN: true }) }), { minLength: 1, maxLength: 6 }),
        (legs) => {
          const positions = legs.map((l, k) => ({ instrument: { ...futures[l.which]!, instrumentName: `F${k}` }, size: l.sizeUsd }));
          const pricing = Object.fromEntries(legs.map((l, k) => [`F${k}`, { forwardUsd: l.forwardUsd }]));
          const grid = scenarioGrid(positions, pricing).grids[0]!;
          for (let j = 0; j < grid.volShocksPts.length; j++) {
            for (let i = 1; i < grid.spotShocks.length; i++) {
              if (!(grid.pnlUsd[i]![j]! > grid.pnlUsd[i - 1]![j]!)) return false;
              if (!(grid.pnlCoin[i]![j]! > grid.pnlCoin[i - 1]![j]!)) return false;
              if (grid.pnlUsd[i]![j] !== grid.pnlUsd[i]![0]) return false;
            }
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('revalues ~1,000 positions on a 9×9 grid in a few milliseconds (timing logged, not asserted)', () => {
    const positions: RiskPosition[] = [];
    const pricing: Record<string, PricingInput> = {};
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let k = 0; k < 1_000; k++) {
      const isFuture = k % 50 === 0;
      const base = isFuture ? BTC_DEC_FUT : next() < 0.5 ? BTC_DEC_60C : BTC_DEC_50P;
      const strike = 20_000 + Math.round(next() * 80) * 1_000;
      const instrument: InstrumentRow = { ...base, instrumentName: `X${k}`, strike: isFuture ? undefined : strike };
      positions.push({ instrument, size: isFuture ? 10_000 * (next() - 0.5) : 20 * (next() - 0.5) });
      pricing[`X${k}`] = { forwardUsd: 50_000 * (1 + 0.02 * next()), volAnnual: 0.4 + 0.4 * next(), expiryYears: 0.01 + next() };
    }
    scenarioGrid(positions, pricing); // warm-up: let V8 optimise the kernel first
    const runs = 20;
    const start = performance.now();
    for (let r = 0; r < runs; r++) scenarioGrid(positions, pricing);
    const ms = (performance.now() - start) / runs;
    console.log(`scenario grid: ${positions.length} positions × 9×9 cells in ${ms.toFixed(2)} ms per grid`);
    expect(scenarioGrid(positions, pricing).grids[0]!.pnlUsd[4]![4]).toBe(0);
  });
});
