import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import { amountToLots, priceToTicks } from '../instruments/ticks.ts';
import { ceilToGrid, floorToGrid, nearestGrid } from './grid.ts';
import { Rng } from './rng.ts';
import type { TakerParams } from './takers.ts';
import { DEFAULT_TAKER_PARAMS, WeightedPicker, arrivalTimes, decideTakerOrder, informedEdge, optionFlowWeight, takerAmount, takerReachIntensity } from './takers.ts';
import { MS_PER_YEAR } from './units.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const catalog = buildCatalog({
  currency: 'BTC',
  nowMs: NOW,
  expiries: listedExpiries(NOW),
  strikeInputs: (e) => ({ forward: 95_000, atmVolAnnual: 0.5, expiryYears: (e - NOW) / MS_PER_YEAR }),
  firstInstrumentId: 1,
});
const options = catalog.filter((i) => i.kind === 'option');
const option = options[Math.floor(options.length / 2)]!;
const perpetual = catalog.find((i) => i.isPerpetual)!;

describe('taker arrivals', () => {
  it('arrive as a Poisson process at the configured rate, in order, within the interval', () => {
    const rng = new Rng(1);
    const times = arrivalTimes(0, 1_000_000, 5, rng, 100_000);
    // 5/s over 1,000 s: 5,000 expected, sd ≈ 71.
    expect(Math.abs(times.length - 5_000)).toBeLessThan(250);
    expect(times.every((t, i) => t > 0 && t <= 1_000_000 && (i === 0 || t >= times[i - 1]!))).toBe(true);
    // Counts per second: mean ≈ variance ≈ 5 (Poisson).
    const perSecond = new Array<number>(1000).fill(0);
    for (const t of times) perSecond[Math.min(999, Math.floor(t / 1000))]!++;
    const mean = perSecond.reduce((s, x) => s + x, 0) / 1000;
    const variance = perSecond.reduce((s, x) => s + (x - mean) ** 2, 0) / 999;
    expect(Math.abs(variance / mean - 1)).toBeLessThan(0.15);
    expect(arrivalTimes(0, 1_000_000, 5, new Rng(1), 10)).toHaveLength(10);
    expect(arrivalTimes(10, 10, 5, rng, 10)).toHaveLength(0);
    expect(arrivalTimes(0, 1000, 0, rng, 10)).toHaveLength(0);
  });

  it('favour near-the-money and short expiries', () => {
    expect(optionFlowWeight(0, 1 / 365)).toBeGreaterThan(optionFlowWeight(0, 90 / 365));
    expect(optionFlowWeight(0, 7 / 365)).toBeGreaterThan(optionFlowWeight(2, 7 / 365));
    expect(optionFlowWeight(-2, 7 / 365)).toBeCloseTo(optionFlowWeight(2, 7 / 365), 15);
    const picker = new WeightedPicker([1, 0, 3, Number.NaN, 6]);
    const rng = new Rng(2);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[picker.pick(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(counts[0]! / 20_000).toBeCloseTo(0.1, 1);
    expect(counts[4]! / 20_000).toBeCloseTo(0.6, 1);
    expect(new WeightedPicker([0, 0]).pick(rng)).toBe(-1);
  });

  it('size trades heavy-tailed in lots', () => {
    const rng = new Rng(3);
    const lots = Array.from({ length: 20_000 }, () => amountToLots(option, takerAmount(option, rng))!);
    const sorted = [...lots].sort((a, b) => a - b);
    expect(sorted[0]).toBe(1);
    expect(sorted[sorted.length - 1]!).toBeLessThanOrEqual(DEFAULT_TAKER_PARAMS.optionLotsMax);
    // Pareto(1.3) from 1 lot: median 2^(1/1.3) ≈ 1.7 lots; 1 % of trades above ~34 lots.
    expect(sorted[10_000]!).toBeLessThanOrEqual(2);
    const big = lots.filter((l) => l > 34).length / lots.length;
    expect(big).toBeGreaterThan(0.005);
    expect(big).toBeLessThan(0.02);
    const usd = Array.from({ length: 2_000 }, () => takerAmount(perpetual, rng));
    expect(usd.every((a) => amountToLots(perpetual, a)! >= 1)).toBe(true);
    expect(Math.max(...usd)).toBeGreaterThan(50_000);
  });
});

describe('taker decisions', () => {
  const theo = 0.0312;
  const edge = informedEdge(option, theo, 0.002); // 0.5 vol point of a 0.002 BTC vega
  const base = { instrument: option, theo, edge, amount: 0.1, tsMs: NOW };

  it('informed takers leave a fairly priced book alone and pick off mispriced quotes', () => {
    const rng = new Rng(4);
    expect(edge).toBeCloseTo(0.001, 12);
    // Never below one tick at the theo.
    expect(informedEdge(option, theo, 0.0001)).toBe(0.0005);
    expect(decideTakerOrder({ ...base, informed: true, touch: { bid: 0.03, ask: 0.0325 } }, rng)).toBeUndefined();
    expect(decideTakerOrder({ ...base, informed: true, touch: {} }, rng)).toBeUndefined();
    const buy = decideTakerOrder({ ...base, informed: true, touch: { bid: 0.028, ask: 0.0295 } }, rng)!;
    expect(buy).toMatchObject({ direction: 'buy', timeInForce: 'immediate_or_cancel', informed: true, amount: 0.1 });
    expect(buy.limitPrice).toBe(floorToGrid(option, theo - edge));
    expect(buy.limitPrice).toBeGreaterThanOrEqual(0.0295);
    const sell = decideTakerOrder({ ...base, informed: true, touch: { bid: 0.0335, ask: 0.035 } }, rng)!;
    expect(sell.direction).toBe('sell');
    expect(sell.limitPrice).toBe(ceilToGrid(option, theo + edge));
    expect(sell.limitPrice).toBeLessThanOrEqual(0.0335);
  });

  it('informed takers trade exactly when a touch is beyond theo ± edge, never against theo', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 800 }), fc.integer({ min: 1, max: 800 }), fc.integer({ min: 10, max: 600 }), (bidTicks, askTicks, theoTicks) => {
        const t = theoTicks * 0.0001;
        const bid = bidTicks * 0.0001;
        const ask = askTicks * 0.0001;
        if (bid >= ask) return;
        const touch = { bid: floorToGrid(option, bid), ask: ceilToGrid(option, ask) };
        const e = informedEdge(option, t, 0.0001);
        const order = decideTakerOrder({ instrument: option, theo: t, edge: e, amount: 0.1, tsMs: NOW, informed: true, touch }, new Rng(0));
        const mispriced = touch.ask < t - e || touch.bid > t + e;
        expect(order !== undefined).toBe(mispriced);
        if (!order) return;
        expect(priceToTicks(option, order.limitPrice)).toBeDefined();
        if (order.direction === 'buy') {
          expect(order.limitPrice).toBeGreaterThanOrEqual(touch.ask);
          expect(order.limitPrice).toBeLessThanOrEqual(t - e + 1e-12);
        } else {
          expect(order.limitPrice).toBeLessThanOrEqual(touch.bid);
          expect(order.limitPrice).toBeGreaterThanOrEqual(t + e - 1e-12);
        }
      }),
      { seed: 77, numRuns: 2_000 },
    );
  });

  it('uninformed takers cross the touch by a few ticks, half buying, half selling', () => {
    const rng = new Rng(5);
    let buys = 0;
    const n = 4_000;
    for (let i = 0; i < n; i++) {
      const order = decideTakerOrder({ ...base, informed: false, touch: { bid: 0.03, ask: 0.0325 } }, rng)!;
      expect(priceToTicks(option, order.limitPrice)).toBeDefined();
      if (order.direction === 'buy') {
        buys++;
        expect(order.limitPrice).toBeGreaterThanOrEqual(0.0325);
        expect(order.limitPrice).toBeLessThanOrEqual(0.0325 + 3 * 0.0005 + 1e-12);
      } else {
        expect(order.limitPrice).toBeLessThanOrEqual(0.03);
        expect(order.limitPrice).toBeGreaterThanOrEqual(0.03 - 3 * 0.0005 - 1e-12);
      }
    }
    expect(Math.abs(buys / n - 0.5)).toBeLessThan(0.03);
    // No touch on their side: no order. A bid of one tick is never undercut to zero.
    for (let i = 0; i < 50; i++) {
      const order = decideTakerOrder({ ...base, informed: false, touch: { bid: 0.0001 } }, rng);
      if (order) expect(order).toMatchObject({ direction: 'sell', limitPrice: 0.0001 });
    }
    expect(decideTakerOrder({ ...base, informed: false, touch: {} }, rng)).toBeUndefined();
  });

  it('uses a basis-point edge for futures', () => {
    expect(informedEdge(perpetual, 95_000, 0)).toBeCloseTo(9.5, 10);
    expect(informedEdge(perpetual, 1_000, 0)).toBe(perpetual.tickSize);
  });
});

describe('exponential reach', () => {
  const reach = { kind: 'exponential', kPerVolPt: 0.8, floorVolPts: 0.5, sweepLots: 1_000 } as const;
  const params: TakerParams = { ...DEFAULT_TAKER_PARAMS, reach };
  // A vega of 0.01 BTC per vol point against a 0.0005 tick: the grid is 0.05 vol pt, fine
  // enough that rounding to it does not show in the law.
  const vega = 0.01;
  const touch = { bid: 0.1, ask: 0.1005 };
  const mid = 0.10025;
  const input = { instrument: option, theo: mid, edge: 0.001, amount: 0.1, tsMs: NOW, informed: false, touch, vegaCoinPerVolPt: vega };

  it('reaches δ = floor + Exp(k) vol points from the mid on the nearest grid price, sweeping', () => {
    const rng = new Rng(9);
    const orders = Array.from({ length: 20_000 }, () => decideTakerOrder(input, rng, params)!);
    expect(orders.every((order) => order.amount === 100 && priceToTicks(option, order.limitPrice) !== undefined)).toBe(true);
    const depths = orders.map((order) => (order.direction === 'buy' ? order.limitPrice - mid : mid - order.limitPrice) / vega);
    // The nearest grid price: never short of the floor by more than half a tick.
    expect(Math.min(...depths)).toBeGreaterThanOrEqual(reach.floorVolPts - 0.0005 / 2 / vega - 1e-9);
    const buys = orders.filter((order) => order.direction === 'buy').length;
    expect(Math.abs(buys / orders.length - 0.5)).toBeLessThan(0.02);
    // Beyond the floor the reach is exponential: its mean excess is 1/k (± 1/(k√n)), and the
    // share reaching floor + 2/k is e^{−2}.
    const excess = depths.reduce((sum, d) => sum + d - reach.floorVolPts, 0) / depths.length;
    const se = 1 / reach.kPerVolPt / Math.sqrt(depths.length);
    expect(Math.abs(excess - 1 / reach.kPerVolPt)).toBeLessThan(4 * se);
    const far = depths.filter((d) => d >= reach.floorVolPts + 2 / reach.kPerVolPt).length / depths.length;
    expect(Math.abs(far - Math.exp(-2))).toBeLessThan(4 * Math.sqrt((Math.exp(-2) * (1 - Math.exp(-2))) / depths.length));
  });

  it('does not trade without a two-sided book, a vega, or a limit that crosses; sells never go under a tick', () => {
    const rng = new Rng(10);
    for (let i = 0; i < 100; i++) {
      expect(decideTakerOrder({ ...input, touch: { bid: 0.1 } }, rng, params)).toBeUndefined();
      expect(decideTakerOrder({ ...input, vegaCoinPerVolPt: 0 }, rng, params)).toBeUndefined();
    }
    // A spread far wider than any reach: nothing crosses.
    for (let i = 0; i < 100; i++) expect(decideTakerOrder({ ...input, touch: { bid: 0.01, ask: 0.5 } }, rng, params)).toBeUndefined();
    // A cheap option whose reach runs past zero: the sell sweeps every bid down to one tick.
    const cheap = { ...input, theo: 0.0003, touch: { bid: 0.0002, ask: 0.0004 }, vegaCoinPerVolPt: 0.001 };
    for (let i = 0; i < 200; i++) {
      const order = decideTakerOrder(cheap, rng, params);
      if (order?.direction === 'sell') expect(order.limitPrice).toBeGreaterThanOrEqual(option.tickSize);
    }
    expect(nearestGrid(option, 0.00004)).toBe(0);
  });

  it('leaves informed takers and futures to their own rules, and states the law it makes', () => {
    const rng = new Rng(11);
    expect(decideTakerOrder({ ...input, informed: true }, rng, params)).toBeUndefined();
    const future = decideTakerOrder({ instrument: perpetual, theo: 95_000, edge: 9.5, amount: 10, tsMs: NOW, informed: false, touch: { bid: 94_999.5, ask: 95_000.5 } }, rng, params)!;
    expect(future.amount).toBe(10);
    expect(takerReachIntensity(5, params)).toEqual({ a: 5 * 0.7 * Math.exp(0.8 * 0.5), k: 0.8, floorVolPts: 0.5 });
    expect(takerReachIntensity(5)).toBeUndefined();
  });
});
