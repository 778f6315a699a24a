import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from './black76.ts';
import { impliedVol, impliedVolDiscounted, lastImpliedVolIterations, normalisedImpliedStdDev } from './implied-vol.ts';
import { normalisedOtmCall } from './normalised-black.ts';
import { refImpliedVol } from './reference.ts';
import type { OptionKind } from './types.ts';

const HOUR = 1 / 8760;
const EXPIRIES = [HOUR, 4 * HOUR, 1 / 365, 7 / 365, 30 / 365, 0.25, 0.5, 1, 2, 3];
const VOLS = Array.from({ length: 41 }, (_, i) => 0.01 * Math.pow(500, i / 40));
const F = 65_000;

/** Undiscounted vega per unit volatility: F·φ(d₁)·√T. */
function vega(f: number, strike: number, t: number, v: number): number {
  const s = v * Math.sqrt(t);
  const d1 = Math.log(f / strike) / s + s / 2;
  return (f * Math.exp(-0.5 * d1 * d1) * Math.sqrt(t)) / Math.sqrt(2 * Math.PI);
}

describe('impliedVol round trip over the accuracy grid', () => {
  // ln(K/F) ∈ [−3, 3], expiry 1 hour to 3 years, volatility 1 % to 500 %, calls and puts.
  it('reprices to 1e-12 relative and recovers σ to 1e-9 where vega matters, in ≤ 2 iterations almost always', () => {
    let worstPrice = 0;
    let worstVol = 0;
    let solves = 0;
    let slow = 0;
    let maxIterations = 0;
    for (let i = 0; i <= 60; i++) {
      const strike = F * Math.exp(-3 + 0.1 * i);
      for (const t of EXPIRIES) {
        for (const v of VOLS) {
          for (const kind of ['call', 'put'] as const) {
            const price = black76Price(F, strike, t, v, kind);
            const implied = impliedVol(price, F, strike, t, kind);
            expect(implied).toBeDefined();
            const iterations = lastImpliedVolIterations();
            const repriced = black76Price(F, strike, t, implied!, kind);
            if (price > 1e-12 * F) {
              solves++;
              if (iterations > 2) slow++;
              maxIterations = Math.max(maxIterations, iterations);
              worstPrice = Math.max(worstPrice, Math.abs(repriced - price) / price);
              // "Vega not negligible": a 1e-9 vol move shifts the price by ≥ 1e-15 of max(F, price).
              if (vega(F, strike, t, v) >= 1e-6 * Math.max(F, price)) worstVol = Math.max(worstVol, Math.abs(implied! - v));
            } else {
              // Tiny or underflowed prices still give a volatility that reproduces them.
              expect(Math.abs(repriced - price)).toBeLessThanOrEqual(1e-12 * F);
            }
          }
        }
      }
    }
    expect(solves).toBeGreaterThan(20_000);
    expect(worstPrice).toBeLessThan(1e-12);
    expect(worstVol).toBeLessThan(1e-9);
    expect(slow / solves).toBeLessThan(0.01);
    expect(maxIterations).toBeLessThanOrEqual(4);
  });

  it('holds for random points of the domain (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: HOUR, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.constantFrom<OptionKind>('call', 'put'),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (k, t, v, kind, f) => {
          const strike = f * Math.exp(k);
          const price = black76Price(f, strike, t, v, kind);
          const implied = impliedVol(price, f, strike, t, kind);
          expect(implied).toBeDefined();
          const repriced = black76Price(f, strike, t, implied!, kind);
          if (price > 1e-12 * f) expect(Math.abs(repriced - price)).toBeLessThanOrEqual(1e-12 * price);
          else expect(Math.abs(repriced - price)).toBeLessThanOrEqual(1e-12 * f);
          if (price > 1e-12 * f && vega(f, strike, t, v) >= 1e-6 * Math.max(f, price)) {
            expect(Math.abs(implied! - v)).toBeLessThan(1e-9);
          }
        },
      ),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('agrees with bisection on the textbook formula', () => {
    for (const k of [-1.5, -0.4, 0, 0.3, 1.2]) {
      for (const t of [7 / 365, 0.5, 2]) {
        for (const v of [0.15, 0.6, 1.8]) {
          for (const kind of ['call', 'put'] as const) {
            const strike = 100 * Math.exp(k);
            const price = black76Price(100, strike, t, v, kind);
            if (vega(100, strike, t, v) < 1e-3 * price) continue;
            expect(Math.abs(impliedVol(price, 100, strike, t, kind)! - refImpliedVol(price, 100, strike, t, kind)!)).toBeLessThan(1e-9);
          }
        }
      }
    }
  });
});

describe('impliedVol at the edges', () => {
  it('returns undefined where no volatility reproduces the price', () => {
    const cases: [number, number, number, number, OptionKind][] = [
      [9.99, 100, 90, 1, 'call'], // below intrinsic 10
      [100, 100, 90, 1, 'call'], // at the upper bound F
      [101, 100, 90, 1, 'call'], // above it
      [90, 100, 90, 1, 'put'], // at the upper bound K
      [-1, 100, 100, 1, 'call'],
      [NaN, 100, 100, 1, 'call'],
      [5, NaN, 100, 1, 'call'],
      [5, 100, NaN, 1, 'call'],
      [5, 100, 100, NaN, 'call'],
      [Infinity, 100, 100, 1, 'call'],
      [5, Infinity, 100, 1, 'call'],
      [5, 100, 100, Infinity, 'call'],
      [5, 100, 100, 0, 'call'], // zero expiry
      [5, 100, 100, -1, 'call'],
      [5, 0, 100, 1, 'call'],
      [5, 100, 0, 1, 'put'],
      [5, -100, 100, 1, 'call'],
    ];
    for (const [price, f, strike, t, kind] of cases) expect(impliedVol(price, f, strike, t, kind)).toBeUndefined();
  });

  it('returns 0 at intrinsic value', () => {
    expect(impliedVol(10, 100, 90, 1, 'call')).toBe(0);
    expect(impliedVol(0, 100, 110, 1, 'call')).toBe(0);
    expect(impliedVol(0, 100, 100, 1, 'put')).toBe(0);
  });

  it('gives a value or undefined, never a wrong number or an exception, for prices hugging the bounds', () => {
    const strikes = [1e-3, 1, 50, 99.999999, 100, 100.000001, 150, 1e4, 1e7];
    const expiries = [1e-12, HOUR, 1, 30, 1e4];
    for (const strike of strikes) {
      for (const t of expiries) {
        for (const kind of ['call', 'put'] as const) {
          const intrinsic = kind === 'call' ? Math.max(100 - strike, 0) : Math.max(strike - 100, 0);
          const upper = kind === 'call' ? 100 : strike;
          const prices = [
            intrinsic,
            intrinsic + Number.MIN_VALUE,
            intrinsic + 1e-300,
            intrinsic + 1e-200 * upper,
            intrinsic + 1e-15 * upper,
            upper * (1 - 1e-15),
            upper * (1 - 4 * Number.EPSILON),
            upper - Number.EPSILON * upper,
            upper,
          ];
          for (const price of prices) {
            let implied: number | undefined;
            expect(() => (implied = impliedVol(price, 100, strike, t, kind))).not.toThrow();
            if (implied === undefined) continue;
            expect(implied).toBeGreaterThanOrEqual(0);
            expect(Number.isFinite(implied)).toBe(true);
            const repriced = black76Price(100, strike, t, implied, kind);
            // Reprices the time value within a few ulp of the price's own scale.
            expect(Math.abs(repriced - price)).toBeLessThanOrEqual(1e-12 * Math.max(price, 1e-300) + 8 * Number.EPSILON * upper);
          }
        }
      }
    }
  });

  it('solves normalised prices down to the smallest subnormal', () => {
    for (const x of [0, -0.01, -1, -5, -20]) {
      for (const beta of [Number.MIN_VALUE, 1e-310, 1e-200, 1e-50, 1e-10]) {
        const s = normalisedImpliedStdDev(beta, x);
        expect(s).toBeGreaterThan(0);
        const back = normalisedOtmCall(x, s);
        if (beta > 1e-300) expect(Math.abs(back - beta) / beta).toBeLessThan(1e-12);
      }
    }
    expect(normalisedImpliedStdDev(0.5, 0.1)).toBeNaN();
    expect(normalisedImpliedStdDev(Math.exp(-0.5), -1)).toBeNaN();
  });

  it('solves discounted prices by undoing the discount factor', () => {
    const price = black76Price(100, 95, 0.75, 0.8, 'put') * Math.exp(-0.04 * 0.75);
    expect(impliedVolDiscounted(price, 100, 95, 0.75, 0.04, 'put')).toBeCloseTo(0.8, 12);
    expect(impliedVolDiscounted(price, 100, 95, 0.75, NaN, 'put')).toBeUndefined();
  });
});
