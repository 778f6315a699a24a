import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price, black76PriceDiscounted } from './black76.ts';
import { black76Greeks } from './greeks.ts';
import { refBlack76Greeks } from './reference.ts';
import type { OptionKind } from './types.ts';

const kindArb = fc.constantFrom<OptionKind>('call', 'put');
// Where central differences are well conditioned.
const kArb = fc.double({ min: -1, max: 1, noNaN: true });
const tArb = fc.double({ min: 0.02, max: 3, noNaN: true });
const vArb = fc.double({ min: 0.1, max: 2, noNaN: true });
const fArb = fc.double({ min: 10, max: 1e5, noNaN: true });

/** |a − b| within a relative tolerance of the larger magnitude or an absolute floor. */
function close(a: number, b: number, rel: number, abs: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b)) + abs);
}

describe('black76Greeks against finite differences of black76Price', () => {
  it('delta, gamma, vega, theta, vanna and volga', () => {
    fc.assert(
      fc.property(fArb, kArb, tArb, vArb, kindArb, (f, k, t, v, kind) => {
        const strike = f * Math.exp(k);
        const g = black76Greeks(f, strike, t, v, kind);
        const p = (ff: number, tt: number, vv: number): number => black76Price(ff, strike, tt, vv, kind);
        // Steps scale with the total deviation s = σ√T, the width of the price's curvature.
        const s = v * Math.sqrt(t);
        const hf = 1e-3 * f * s;
        const hv = 1e-3 * v;
        const ht = 1e-5 * t;
        const delta = (p(f + hf, t, v) - p(f - hf, t, v)) / (2 * hf);
        const gamma = (p(f + 3 * hf, t, v) - 2 * p(f, t, v) + p(f - 3 * hf, t, v)) / (9 * hf * hf);
        const vega = (p(f, t, v + hv) - p(f, t, v - hv)) / (2 * hv);
        const theta = -(p(f, t + ht, v) - p(f, t - ht, v)) / (2 * ht);
        const vanna = ((p(f + hf, t, v + hv) - p(f - hf, t, v + hv)) - (p(f + hf, t, v - hv) - p(f - hf, t, v - hv))) / (4 * hf * hv);
        const volga = (p(f, t, v + 10 * hv) - 2 * p(f, t, v) + p(f, t, v - 10 * hv)) / (100 * hv * hv);
        // Absolute floors: the rounding of the differenced prices, ≈ 16 ulp of the price over the step.
        const noise = 16 * Number.EPSILON * Math.max(g.price, 1e-3 * f);
        close(g.delta, delta, 1e-5, 1e-9 + noise / hf);
        close(g.gamma * f, gamma * f, 1e-4, 1e-8 + (noise * f) / (9 * hf * hf));
        close(g.vegaPerVolPt, 0.01 * vega, 1e-5, 1e-9 * f + (0.01 * noise) / hv);
        close(g.thetaPerDay, theta / 365, 1e-5, 1e-9 * f + noise / ht / 365);
        close(g.vannaPerVolPt, 0.01 * vanna, 1e-4, 1e-7 + (0.01 * noise) / (hf * hv));
        close(g.volgaPerVolPt, 1e-4 * volga, 1e-3, 1e-8 * f + (1e-4 * noise) / (100 * hv * hv));
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('discounted price, theta and rho against differences in time and rate', () => {
    fc.assert(
      fc.property(fArb, kArb, tArb, vArb, kindArb, fc.double({ min: -0.05, max: 0.2, noNaN: true }), (f, k, t, v, kind, r) => {
        const strike = f * Math.exp(k);
        const g = black76Greeks(f, strike, t, v, kind, r);
        const p = (tt: number, rr: number): number => black76PriceDiscounted(f, strike, tt, v, rr, kind);
        close(g.price, p(t, r), 1e-14, 0);
        const ht = 1e-5 * t;
        const hr = 1e-5;
        close(g.thetaPerDay, -(p(t + ht, r) - p(t - ht, r)) / (2 * ht) / 365, 1e-5, 1e-9 * f);
        close(g.rhoPerPct, (0.01 * (p(t, r + hr) - p(t, r - hr))) / (2 * hr), 1e-6, 1e-10 * f);
        const undiscounted = black76Greeks(f, strike, t, v, kind);
        const df = Math.exp(-r * t);
        close(g.delta, df * undiscounted.delta, 1e-14, 0);
        close(g.vegaPerVolPt, df * undiscounted.vegaPerVolPt, 1e-14, 0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('black76Greeks against the textbook formulas', () => {
  it('match on a grid to 1e-11 relative', () => {
    for (let k = -2; k <= 2; k += 0.25) {
      for (const t of [1 / 365, 0.1, 1, 3]) {
        for (const v of [0.05, 0.4, 1.5, 4]) {
          for (const kind of ['call', 'put'] as const) {
            const strike = 100 * Math.exp(k);
            const g = black76Greeks(100, strike, t, v, kind);
            const ref = refBlack76Greeks(100, strike, t, v, kind);
            close(g.delta, ref.delta, 1e-11, 1e-15);
            close(g.gamma, ref.gamma, 1e-11, 1e-300);
            close(g.vegaPerVolPt, 0.01 * ref.vega, 1e-11, 1e-300);
            close(g.thetaPerDay, ref.theta / 365, 1e-11, 1e-300);
            close(g.vannaPerVolPt, 0.01 * ref.vanna, 1e-10, 1e-300);
            close(g.volgaPerVolPt, 1e-4 * ref.volga, 1e-10, 1e-300);
          }
        }
      }
    }
  });

  it('keeps put and call deltas one apart, and gamma and vega equal', () => {
    fc.assert(
      fc.property(fArb, fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 1 / 8760, max: 3, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }), (f, k, t, v) => {
        const strike = f * Math.exp(k);
        const c = black76Greeks(f, strike, t, v, 'call');
        const p = black76Greeks(f, strike, t, v, 'put');
        expect(Math.abs(c.delta - p.delta - 1)).toBeLessThan(1e-15);
        expect(c.gamma).toBe(p.gamma);
        expect(c.vegaPerVolPt).toBe(p.vegaPerVolPt);
        expect(c.delta).toBeGreaterThanOrEqual(0);
        expect(c.delta).toBeLessThanOrEqual(1);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('handles expiry and volatility of zero with a step delta and no convexity', () => {
    const itm = black76Greeks(100, 90, 0, 0.5, 'call');
    expect(itm).toMatchObject({ price: 10, delta: 1, gamma: 0, vegaPerVolPt: 0, thetaPerDay: 0 });
    expect(black76Greeks(100, 100, 1, 0, 'put').delta).toBe(-0.5);
    expect(black76Greeks(100, 110, 1, 0, 'put').delta).toBe(-1);
    expect(black76Greeks(-1, 100, 1, 0.5, 'call').price).toBeNaN();
  });
});
