import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkButterfly, checkCalendar, sviImpliedVol, sviParamsProblem, sviTotalVariance } from '../../pricing/index.ts';
import { DEFAULT_CURRENCY_PARAMS } from './params.ts';
import type { IndexProcessParams } from './price-process.ts';
import { expectedIntegratedVariance, jumpVariancePerYear } from './price-process.ts';
import { atmTotalVariance, atmVolAnnual, impliedVolAt, surfaceShape, sviParamsAt } from './true-surface.ts';

const HOUR_YEARS = 1 / (365 * 24);

const processParams = fc.record({
  kappa: fc.double({ min: 0.2, max: 15, noNaN: true }),
  thetaVar: fc.double({ min: 0.02, max: 2, noNaN: true }),
  volOfVol: fc.double({ min: 0, max: 3, noNaN: true }),
  rho: fc.double({ min: -0.95, max: 0.95, noNaN: true }),
  jumpIntensityPerYear: fc.double({ min: 0, max: 30, noNaN: true }),
  jumpLogMean: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
  jumpLogSd: fc.double({ min: 0, max: 0.15, noNaN: true }),
});
// Variance from a crushed 3 % vol to a panicked 250 %, including the slightly negative raw values
// full truncation can leave.
const variance = fc.double({ min: -0.01, max: 6, noNaN: true });
const expiries = fc
  .uniqueArray(fc.double({ min: HOUR_YEARS, max: 3, noNaN: true }), { minLength: 2, maxLength: 12 })
  .map((ts) => [...ts].sort((a, b) => a - b));

describe('true surface', () => {
  it('is free of butterfly and calendar arbitrage across random states', () => {
    fc.assert(
      fc.property(processParams, variance, expiries, (params: IndexProcessParams, v: number, ts: number[]) => {
        const shape = surfaceShape(v, params);
        const slices = ts.map((expiryYears) => ({ expiryYears, params: sviParamsAt(shape, expiryYears) }));
        for (const slice of slices) {
          expect(sviParamsProblem(slice.params)).toBeUndefined();
          const butterfly = checkButterfly(slice.params, -3, 3, 241);
          expect(butterfly.arbitrageFree, `g = ${butterfly.minG} at k = ${butterfly.worstLogMoneyness}, T = ${slice.expiryYears}`).toBe(true);
        }
        const calendar = checkCalendar(slices, -3, 3, 241);
        expect(calendar.arbitrageFree, `w falls by ${-calendar.minIncrease}`).toBe(true);
      }),
      { seed: 20_251_121, numRuns: 400 },
    );
  });

  it('puts ATM total variance on the Heston expected integrated variance plus jumps', () => {
    const btc = DEFAULT_CURRENCY_PARAMS.BTC;
    for (const v of [0.1, 0.25, 0.8]) {
      const shape = surfaceShape(v, btc);
      for (const t of [HOUR_YEARS, 1 / 365, 0.1, 1]) {
        const expected = expectedIntegratedVariance(v, btc, t) + jumpVariancePerYear(btc) * t;
        expect(sviTotalVariance(sviParamsAt(shape, t), 0)).toBeCloseTo(expected, 14);
        expect(atmTotalVariance(shape, t)).toBeCloseTo(expected, 14);
        expect(atmVolAnnual(shape, t)).toBeCloseTo(Math.sqrt(expected / t), 12);
      }
    }
  });

  it('moves with the variance: a spike lifts the front more than the back', () => {
    const btc = DEFAULT_CURRENCY_PARAMS.BTC;
    const calm = surfaceShape(0.25, btc);
    const stressed = surfaceShape(1, btc);
    const front = atmVolAnnual(stressed, 7 / 365) - atmVolAnnual(calm, 7 / 365);
    const back = atmVolAnnual(stressed, 1) - atmVolAnnual(calm, 1);
    expect(front).toBeGreaterThan(0.3);
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThan(front / 2);
  });

  it('has a put skew for negative ρ that decays with expiry, and a mild smile', () => {
    const btc = DEFAULT_CURRENCY_PARAMS.BTC;
    const shape = surfaceShape(btc.thetaVar, btc);
    const riskReversal = (t: number): number => {
      const sd = 0.5 * Math.sqrt(t);
      return impliedVolAt(shape, 0.67 * sd, t) - impliedVolAt(shape, -0.67 * sd, t);
    };
    // 25-delta-ish risk reversal in vol points.
    expect(riskReversal(30 / 365)).toBeLessThan(-0.01);
    expect(riskReversal(30 / 365)).toBeGreaterThan(-0.06);
    const skewSlope = (t: number): number => (impliedVolAt(shape, 0.01, t) - impliedVolAt(shape, -0.01, t)) / 0.02;
    expect(Math.abs(skewSlope(1))).toBeLessThan(Math.abs(skewSlope(30 / 365)));
    // Smile: the ±2 SD strangle is over ATM by a vol point or so, and the put wing is above ATM.
    const t = 30 / 365;
    const sd = 0.5 * Math.sqrt(t);
    const atm = impliedVolAt(shape, 0, t);
    const strangle = (impliedVolAt(shape, -2 * sd, t) + impliedVolAt(shape, 2 * sd, t)) / 2 - atm;
    expect(strangle).toBeGreaterThan(0.003);
    expect(strangle).toBeLessThan(0.05);
    expect(impliedVolAt(shape, -2 * sd, t)).toBeGreaterThan(atm);
    expect(impliedVolAt(shape, 0.1, t)).toBeCloseTo(sviImpliedVol(sviParamsAt(shape, t), 0.1, t), 14);
  });

  it('is flat when there is no vol-of-vol and no jumps', () => {
    const params = { ...DEFAULT_CURRENCY_PARAMS.BTC, volOfVol: 0, jumpIntensityPerYear: 0 };
    const shape = surfaceShape(0.25, params);
    for (const k of [-1, 0, 0.5]) expect(impliedVolAt(shape, k, 0.5)).toBeCloseTo(0.5, 12);
  });
});
