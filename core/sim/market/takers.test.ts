import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import { amountToLots, priceToTicks } from '../instruments/ticks.ts';
import { ceilToGrid, floorToGrid } from './grid.ts';
import { Rng } from './rng.ts';
import { DEFAULT_TAKER_PARAMS, WeightedPicker, arrivalTimes, decideTakerOrder, informedEdge, optionFlowWeight, takerAmount } from './takers.ts';
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
