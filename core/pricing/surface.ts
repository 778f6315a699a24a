/**
 * A volatility surface from SVI slices, interpolated in total variance.
 *
 * Interpolation choice: at FIXED forward log-moneyness k = ln(K/F_T), total variance is linear in
 * time between the two listed expiries around T:
 *   w(k, T) = w₁(k) + (T − T₁)/(T₂ − T₁)·(w₂(k) − w₁(k)),     σ(k, T) = √(w(k, T)/T).
 * Outside the listed range the implied volatility at fixed k is held flat: w(k, T) = wⱼ(k)·T/Tⱼ
 * with j the nearest slice. Both keep w non-decreasing in T wherever the slices are calendar
 * arbitrage free, because with deterministic carry a calendar spread at equal k is a calendar
 * spread at equal moneyness, and no calendar arbitrage means ∂w/∂T ≥ 0 at every k.
 *
 * Calendar arbitrage is checked on a k grid when the surface is built; a surface whose slices
 * cross (w_{i+1}(k) < w_i(k) somewhere) is rejected, like an arbitrageable SVI fit.
 */
import { sviParamsProblem, sviTotalVariance } from './svi.ts';
import type { SviParams } from './svi.ts';

/** One expiry of the surface: its SVI smile in total variance, and optionally its forward. */
export interface SurfaceSlice {
  readonly expiryYears: number;
  readonly params: SviParams;
  /** Forward of the expiry, for strike ↔ log-moneyness conversions by callers. */
  readonly forward?: number;
}

/** Slices sorted by strictly increasing expiry. Plain data. */
export interface VolSurface {
  readonly slices: readonly SurfaceSlice[];
}

export interface CalendarReport {
  readonly arbitrageFree: boolean;
  /** Smallest w_{i+1}(k) − w_i(k) over consecutive slices and the grid. */
  readonly minIncrease: number;
  /** Index of the later slice of the worst pair (0 when there is a single slice). */
  readonly worstSliceIndex: number;
  readonly worstLogMoneyness: number;
  readonly fromLogMoneyness: number;
  readonly toLogMoneyness: number;
  readonly gridPoints: number;
}

export type SurfaceBuildResult =
  | { readonly ok: true; readonly surface: VolSurface; readonly calendar: CalendarReport }
  | {
      readonly ok: false;
      readonly reason: 'invalid-input' | 'calendar-arbitrage';
      readonly message: string;
      readonly calendar?: CalendarReport;
    };

export interface SurfaceOptions {
  /** k range of the calendar check; default [−1, 1]. */
  readonly calendarRange?: readonly [number, number];
  /** Grid points of the check; default 201. */
  readonly gridPoints?: number;
}

/** Total variance may fall by rounding noise between identical slices. */
const CALENDAR_TOLERANCE = -1e-12;

/**
 * Checks w_{i+1}(k) ≥ w_i(k) for consecutive slices (sorted by expiry) on `gridPoints` equally
 * spaced k in [fromLogMoneyness, toLogMoneyness].
 */
export function checkCalendar(
  slices: readonly SurfaceSlice[],
  fromLogMoneyness: number,
  toLogMoneyness: number,
  gridPoints = 201,
): CalendarReport {
  const points = Math.max(2, Math.floor(gridPoints));
  let minIncrease = Infinity;
  let worstSlice = 0;
  let worstK = fromLogMoneyness;
  for (let i = 1; i < slices.length; i++) {
    const earlier = slices[i - 1]!.params;
    const later = slices[i]!.params;
    for (let j = 0; j < points; j++) {
      const k = fromLogMoneyness + ((toLogMoneyness - fromLogMoneyness) * j) / (points - 1);
      const increase = sviTotalVariance(later, k) - sviTotalVariance(earlier, k);
      if (!(increase >= minIncrease)) {
        minIncrease = increase;
        worstSlice = i;
        worstK = k;
      }
    }
  }
  return {
    arbitrageFree: slices.length < 2 || minIncrease >= CALENDAR_TOLERANCE,
    minIncrease: slices.length < 2 ? Infinity : minIncrease,
    worstSliceIndex: worstSlice,
    worstLogMoneyness: worstK,
    fromLogMoneyness,
    toLogMoneyness,
    gridPoints: points,
  };
}

/**
 * Builds a surface from SVI slices: validates them (positive finite distinct expiries, parameters
 * inside the SVI domain), sorts by expiry and checks calendar arbitrage. Never throws.
 */
export function buildSurface(slices: readonly SurfaceSlice[], options: SurfaceOptions = {}): SurfaceBuildResult {
  if (slices.length === 0) return { ok: false, reason: 'invalid-input', message: 'a surface needs at least one slice' };
  for (let i = 0; i < slices.length; i++) {
    const slice = slices[i]!;
    if (!(slice.expiryYears > 0 && slice.expiryYears < Infinity)) {
      return { ok: false, reason: 'invalid-input', message: `slice ${i}: expiryYears must be positive and finite` };
    }
    const problem = sviParamsProblem(slice.params);
    if (problem !== undefined) return { ok: false, reason: 'invalid-input', message: `slice ${i}: ${problem}` };
    if (slice.forward !== undefined && !(slice.forward > 0 && slice.forward < Infinity)) {
      return { ok: false, reason: 'invalid-input', message: `slice ${i}: forward must be positive and finite` };
    }
  }
  const sorted = slices.slice().sort((x, y) => x.expiryYears - y.expiryYears);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.expiryYears === sorted[i - 1]!.expiryYears) {
      return { ok: false, reason: 'invalid-input', message: `two slices expire at ${sorted[i]!.expiryYears} years` };
    }
  }
  const range = options.calendarRange ?? [-1, 1];
  const calendar = checkCalendar(sorted, range[0], range[1], options.gridPoints ?? 201);
  if (!calendar.arbitrageFree) {
    return {
      ok: false,
      reason: 'calendar-arbitrage',
      message: `total variance falls from expiry ${sorted[calendar.worstSliceIndex - 1]!.expiryYears} to ${
        sorted[calendar.worstSliceIndex]!.expiryYears
      } at k = ${calendar.worstLogMoneyness.toFixed(4)} (by ${(-calendar.minIncrease).toExponential(3)})`,
      calendar,
    };
  }
  return { ok: true, surface: { slices: sorted }, calendar };
}

/**
 * Total implied variance w(k, T) at forward log-moneyness k = ln(K/F_T) and expiry T (years):
 * linear in T between slices at fixed k, flat implied volatility outside (module comment).
 * NaN for T < 0 or an empty surface; 0 at T = 0.
 */
export function surfaceTotalVariance(surface: VolSurface, logMoneyness: number, expiryYears: number): number {
  const slices = surface.slices;
  const count = slices.length;
  if (count === 0 || !(expiryYears >= 0)) return NaN;
  if (expiryYears === 0) return 0;
  const first = slices[0]!;
  if (expiryYears <= first.expiryYears) return (sviTotalVariance(first.params, logMoneyness) * expiryYears) / first.expiryYears;
  const last = slices[count - 1]!;
  if (expiryYears >= last.expiryYears) return (sviTotalVariance(last.params, logMoneyness) * expiryYears) / last.expiryYears;
  let hi = 1;
  while (slices[hi]!.expiryYears < expiryYears) hi++;
  const left = slices[hi - 1]!;
  const right = slices[hi]!;
  const weight = (expiryYears - left.expiryYears) / (right.expiryYears - left.expiryYears);
  const w1 = sviTotalVariance(left.params, logMoneyness);
  const w2 = sviTotalVariance(right.params, logMoneyness);
  return w1 + weight * (w2 - w1);
}

/** Implied volatility √(w(k, T)/T) (annualised, 0.55 = 55 %) at k = ln(K/F_T); NaN for T ≤ 0. */
export function surfaceImpliedVol(surface: VolSurface, logMoneyness: number, expiryYears: number): number {
  if (!(expiryYears > 0)) return NaN;
  const w = surfaceTotalVariance(surface, logMoneyness, expiryYears);
  return w >= 0 ? Math.sqrt(w / expiryYears) : NaN;
}

/** Implied volatility at a strike, with k = ln(strike/forward) for the forward of that expiry. */
export function surfaceImpliedVolAtStrike(
  surface: VolSurface,
  strike: number,
  forward: number,
  expiryYears: number,
): number {
  if (!(strike > 0 && forward > 0)) return NaN;
  return surfaceImpliedVol(surface, Math.log(strike / forward), expiryYears);
}
