import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price, black76PriceDiscounted, intrinsicValue } from './black76.ts';
import { normalisedOtmCall } from './normalised-black.ts';
import { refBlack76Price, refNormalisedOtmCall } from './reference.ts';
import type { OptionKind } from './types.ts';

const kindArb = fc.constantFrom<OptionKind>('call', 'put');
const forwardArb = fc.double({ min: 1, max: 200_000, noNaN: true });
const logMoneynessArb = fc.double({ min: -3, max: 3, noNaN: true });
const expiryArb = fc.double({ min: 1 / 8760, max: 3, noNaN: true });
const volArb = fc.double({ min: 0.01, max: 5, noNaN: true });

describe('black76Price', () => {
  it('prices an at-the-money call: F·(2Φ(σ√T/2) − 1)', () => {
    // 100·erf(0.1/√2) = 7.965567455405798 (mpmath).
    expect(black76Price(100, 100, 1, 0.2, 'call')).toBeCloseTo(7.965567455405798, 13);
    expect(black76Price(100, 100, 1, 0.2, 'put')).toBeCloseTo(7.965567455405798, 13);
  });

  it('satisfies put–call parity C − P = F − K', () => {
    fc.assert(
      fc.property(forwardArb, logMoneynessArb, expiryArb, volArb, (f, k, t, v) => {
        const strike = f * Math.exp(k);
        const diff = black76Price(f, strike, t, v, 'call') - black76Price(f, strike, t, v, 'put');
        expect(Math.abs(diff - (f - strike))).toBeLessThanOrEqual(4e-16 * Math.max(f, strike));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('stays within its no-arbitrage bounds: intrinsic ≤ price ≤ F (call) or K (put)', () => {
    fc.assert(
      fc.property(forwardArb, logMoneynessArb, expiryArb, volArb, kindArb, (f, k, t, v, kind) => {
        const strike = f * Math.exp(k);
        const price = black76Price(f, strike, t, v, kind);
        expect(price).toBeGreaterThanOrEqual(intrinsicValue(f, strike, kind));
        expect(price).toBeLessThanOrEqual(kind === 'call' ? f : strike);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('decreases in strike for calls, increases for puts, and increases in volatility', () => {
    fc.assert(
      fc.property(
        forwardArb,
        logMoneynessArb,
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        expiryArb,
        volArb,
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        (f, k, dk, t, v, dv) => {
          const k1 = f * Math.exp(k);
          const k2 = f * Math.exp(k + dk);
          const slack = 1e-15 * f;
          expect(black76Price(f, k2, t, v, 'call')).toBeLessThanOrEqual(black76Price(f, k1, t, v, 'call') + slack);
          expect(black76Price(f, k2, t, v, 'put')).toBeGreaterThanOrEqual(black76Price(f, k1, t, v, 'put') - slack);
          for (const kind of ['call', 'put'] as const) {
            expect(black76Price(f, k1, t, v + dv, kind)).toBeGreaterThanOrEqual(black76Price(f, k1, t, v, kind) - slack);
          }
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('agrees with the textbook formula wherever that formula is well conditioned', () => {
    let worst = 0;
    for (let k = -2; k <= 2; k += 0.1) {
      for (const t of [1 / 365, 0.1, 1, 3]) {
        for (const v of [0.05, 0.3, 1, 3]) {
          for (const kind of ['call', 'put'] as const) {
            const strike = 100 * Math.exp(k);
            const ref = refBlack76Price(100, strike, t, v, kind);
            if (ref < 1e-3) continue;
            worst = Math.max(worst, Math.abs(black76Price(100, strike, t, v, kind) - ref) / ref);
          }
        }
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('keeps full relative precision far out of the money (vs quadrature of the vega)', () => {
    // The price's own condition number is ≈ x²/(2s²) + s²/8 (the exponent of its vega).
    let worstScaled = 0;
    for (const x of [0, -1e-9, -1e-4, -0.01, -0.3, -1, -2, -3, -6]) {
      for (let s = 1e-3; s < 12; s *= 1.6) {
        const fast = normalisedOtmCall(x, s);
        if (!(fast > 1e-290)) continue;
        const exponent = (x * x) / (2 * s * s) + (s * s) / 8;
        const ref = refNormalisedOtmCall(x, s);
        worstScaled = Math.max(worstScaled, Math.abs(fast - ref) / ref / (1 + exponent));
      }
    }
    expect(worstScaled).toBeLessThan(2e-14);
  });

  it('returns intrinsic value at zero expiry or volatility and the bound at infinite volatility', () => {
    expect(black76Price(100, 90, 0, 0.5, 'call')).toBe(10);
    expect(black76Price(100, 90, 1, 0, 'put')).toBe(0);
    expect(black76Price(100, 110, 0, 0.5, 'put')).toBe(10);
    expect(black76Price(100, 90, 1, Infinity, 'call')).toBeCloseTo(100, 12);
    expect(black76Price(100, 90, 1, Infinity, 'put')).toBeCloseTo(90, 12);
  });

  it('returns NaN for inputs outside its domain', () => {
    for (const args of [
      [0, 100, 1, 0.5],
      [100, 0, 1, 0.5],
      [-1, 100, 1, 0.5],
      [100, 100, -1, 0.5],
      [100, 100, 1, -0.5],
      [NaN, 100, 1, 0.5],
      [100, 100, NaN, 0.5],
      [100, 100, 1, NaN],
      [Infinity, 100, 1, 0.5],
    ] as const) {
      expect(black76Price(args[0], args[1], args[2], args[3], 'call')).toBeNaN();
    }
  });

  it('discounts with e^{−rT}', () => {
    const undiscounted = black76Price(100, 105, 0.5, 0.6, 'put');
    expect(black76PriceDiscounted(100, 105, 0.5, 0.6, 0.05, 'put')).toBeCloseTo(undiscounted * Math.exp(-0.025), 13);
    expect(black76PriceDiscounted(100, 105, 0.5, 0.6, 0, 'put')).toBe(undiscounted);
  });
});
