import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSurface,
  checkCalendar,
  surfaceImpliedVol,
  surfaceImpliedVolAtStrike,
  surfaceTotalVariance,
} from './surface.ts';
import type { SurfaceSlice, VolSurface } from './surface.ts';
import { sviTotalVariance } from './svi.ts';

// Three expiries whose total variance grows at every k.
const SLICES: readonly SurfaceSlice[] = [
  { expiryYears: 7 / 365, params: { a: 0.004, b: 0.03, rho: -0.2, m: 0, sigma: 0.05 } },
  { expiryYears: 0.25, params: { a: 0.03, b: 0.1, rho: -0.3, m: 0.02, sigma: 0.2 } },
  { expiryYears: 1, params: { a: 0.12, b: 0.2, rho: -0.35, m: 0.05, sigma: 0.3 } },
];

function surface(): VolSurface {
  const built = buildSurface(SLICES);
  if (!built.ok) throw new Error(built.message);
  return built.surface;
}

describe('volatility surface', () => {
  it('reproduces each slice at its expiry', () => {
    const s = surface();
    for (const slice of SLICES) {
      for (const k of [-1, -0.2, 0, 0.4, 1]) {
        expect(surfaceTotalVariance(s, k, slice.expiryYears)).toBeCloseTo(sviTotalVariance(slice.params, k), 14);
      }
    }
  });

  it('is linear in total variance along time at fixed log-moneyness', () => {
    const s = surface();
    const [t1, t2] = [SLICES[1]!.expiryYears, SLICES[2]!.expiryYears];
    for (const k of [-0.5, 0, 0.3]) {
      const w1 = sviTotalVariance(SLICES[1]!.params, k);
      const w2 = sviTotalVariance(SLICES[2]!.params, k);
      const t = t1 + 0.3 * (t2 - t1);
      expect(surfaceTotalVariance(s, k, t)).toBeCloseTo(w1 + 0.3 * (w2 - w1), 14);
      expect(surfaceImpliedVol(s, k, t)).toBeCloseTo(Math.sqrt((w1 + 0.3 * (w2 - w1)) / t), 14);
    }
  });

  it('holds implied volatility flat at fixed k outside the listed expiries', () => {
    const s = surface();
    const first = SLICES[0]!;
    const last = SLICES[2]!;
    expect(surfaceImpliedVol(s, 0.1, 1 / 365)).toBeCloseTo(Math.sqrt(sviTotalVariance(first.params, 0.1) / first.expiryYears), 14);
    expect(surfaceImpliedVol(s, 0.1, 3)).toBeCloseTo(Math.sqrt(sviTotalVariance(last.params, 0.1) / last.expiryYears), 14);
    expect(surfaceTotalVariance(s, 0.1, 0)).toBe(0);
    expect(surfaceImpliedVol(s, 0.1, 0)).toBeNaN();
    expect(surfaceImpliedVolAtStrike(s, 66_000, 60_000, 0.5)).toBe(surfaceImpliedVol(s, Math.log(1.1), 0.5));
  });

  it('keeps total variance non-decreasing in T at every k (property)', () => {
    const s = surface();
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 1e-4, max: 3, noNaN: true }),
        fc.double({ min: 1e-4, max: 3, noNaN: true }),
        (k, ta, tb) => {
          const [lo, hi] = ta < tb ? [ta, tb] : [tb, ta];
          expect(surfaceTotalVariance(s, k, hi)).toBeGreaterThanOrEqual(surfaceTotalVariance(s, k, lo) - 1e-15);
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('sorts slices by expiry', () => {
    const built = buildSurface([SLICES[2]!, SLICES[0]!, SLICES[1]!]);
    expect(built.ok).toBe(true);
    if (built.ok) expect(built.surface.slices.map((x) => x.expiryYears)).toEqual(SLICES.map((x) => x.expiryYears));
  });

  it('rejects a surface with calendar arbitrage, naming the expiries and k', () => {
    // The quarterly smile has a steep put wing that the yearly one does not: they cross at low k.
    const crossing: SurfaceSlice[] = [
      { expiryYears: 0.25, params: { a: 0.02, b: 0.4, rho: -0.9, m: 0, sigma: 0.1 } },
      { expiryYears: 1, params: { a: 0.1, b: 0.1, rho: 0, m: 0, sigma: 0.3 } },
    ];
    const report = checkCalendar(crossing, -1, 1);
    expect(report.arbitrageFree).toBe(false);
    expect(report.worstSliceIndex).toBe(1);
    expect(report.worstLogMoneyness).toBeLessThan(-0.3);
    const built = buildSurface(crossing);
    expect(built.ok).toBe(false);
    if (!built.ok) {
      expect(built.reason).toBe('calendar-arbitrage');
      expect(built.message).toContain('0.25');
    }
    expect(checkCalendar(SLICES, -1, 1).arbitrageFree).toBe(true);
    // Within a narrow range around the money the same pair is fine.
    expect(buildSurface(crossing, { calendarRange: [-0.05, 0.05] }).ok).toBe(true);
  });

  it('rejects invalid slices', () => {
    const reason = (slices: SurfaceSlice[]): string => {
      const built = buildSurface(slices);
      return built.ok ? 'ok' : built.reason;
    };
    expect(reason([])).toBe('invalid-input');
    expect(reason([{ ...SLICES[0]!, expiryYears: 0 }])).toBe('invalid-input');
    expect(reason([{ ...SLICES[0]!, params: { ...SLICES[0]!.params, rho: 1.2 } }])).toBe('invalid-input');
    expect(reason([SLICES[0]!, { ...SLICES[1]!, expiryYears: SLICES[0]!.expiryYears }])).toBe('invalid-input');
    expect(reason([{ ...SLICES[0]!, forward: -5 }])).toBe('invalid-input');
    expect(reason([SLICES[0]!])).toBe('ok');
  });
});
