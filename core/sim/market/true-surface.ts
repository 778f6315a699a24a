/**
 * The "true" implied volatility surface of the simulated market: what the background makers
 * quote around and what the exchange marks at. It moves with the index process' state.
 *
 * Parametrisation: SSVI (Gatheral & Jacquier 2014, "Arbitrage-free SVI volatility surfaces"),
 * a one-parameter family of raw SVI smiles indexed by the ATM total variance θ_T:
 *   w(k, θ) = θ/2·(1 + ρφk + √((φk + ρ)² + 1 − ρ²)),   k = ln(K/F_T),
 * which is raw SVI with a = θ(1 − ρ²)/2, b = θφ/2, ρ_svi = ρ, m = −ρ/φ, σ = √(1 − ρ²)/φ.
 *
 * Term structure: θ_T = E[∫₀ᵀ v dt] + λ_J·E[J²]·T, the Heston expected integrated variance from
 * the current variance (θ̄T + (v − θ̄)(1 − e^{−κT})/κ) plus the jumps' variance. It follows v: a
 * variance spike lifts the front of the curve most, and it is strictly increasing in T.
 *
 * Skew and smile: the "Heston-like" φ of Gatheral & Jacquier,
 *   φ(θ) = c·H(λθ),   H(x) = (1 − (1 − e^{−x})/x)/x,
 * chosen so the ATM skew matches Heston's to first order in ξ: Heston's ATM total-variance skew
 * is ∂w/∂k = (ρξ/κ′)(1 − (1 − e^{−κ′T})/(κ′T)) with κ′ = κ − ρξ/2, and SSVI's is ρθφ/2, so with
 * θ ≈ v̄T: c = 2ξ/v̄ and λ = κ′/v̄. The implied-vol skew is then ≈ ρξ/(4√v̄) at short expiries
 * (flat in T, like Heston's) and decays like 1/T beyond 1/κ′. v̄ is the average of the current
 * and long-run variance, so the smile responds to the state without whipsawing.
 * The smile's ρ is the process' ρ tilted by the jumps' mean (λ_J·μ_J: negative jumps steepen the
 * put wing), clamped to ±0.9.
 *
 * No-arbitrage, guaranteed rather than hoped for:
 * - calendar: θ_T is non-decreasing in T and θφ(θ) = (c/λ)·xH(x) is non-decreasing with
 *   (θφ)′ ≤ φ ≤ φ·(1 + √(1 − ρ²))/ρ², which is Gatheral–Jacquier's Theorem 4.1;
 * - butterfly: their Theorem 4.2 needs θφ(1 + |ρ|) < 4 and θφ²(1 + |ρ|) ≤ 4 for all θ. Since
 *   xH(x) < 1 and max xH(x)² < 0.1614 (at x ≈ 2.15), c is capped at
 *   min(0.9·4λ/(1 + |ρ|), √(0.9·4λ/(0.1614·(1 + |ρ|)))) — a cap that binds only when the
 *   vol-of-vol is large against the variance, and then flattens the smile instead of breaking it.
 * Tests check both with checkButterfly over k ∈ [−3, 3] and checkCalendar across random states.
 */
import type { SviParams } from '../../pricing/index.ts';
import { sviTotalVariance } from '../../pricing/index.ts';
import type { IndexProcessParams } from './price-process.ts';
import { expectedIntegratedVariance, jumpVariancePerYear } from './price-process.ts';

/** What one snapshot of the surface needs; computed once per state, evaluated per expiry. */
export interface SurfaceShape {
  /** Current variance, floored (annual). */
  readonly variance: number;
  readonly process: IndexProcessParams;
  /** SSVI correlation (the smile's skew direction). */
  readonly rho: number;
  /** φ(θ) = phiScale·H(phiDecay·θ). */
  readonly phiScale: number;
  readonly phiDecay: number;
  /** Annual variance added by jumps. */
  readonly jumpVarPerYear: number;
}

/** A floor of 1 % vol keeps θ_T positive even when the simulated variance touches zero. */
const MIN_VARIANCE = 1e-4;
const MAX_RHO = 0.9;
const MAX_JUMP_TILT = 0.3;
/** Fraction of Gatheral–Jacquier's butterfly bound actually used. */
const BUTTERFLY_SAFETY = 0.9;
/** An upper bound of max over x of x·H(x)² (≈ 0.16139 at x ≈ 2.149). */
const MAX_X_H_SQUARED = 0.1614;
/** Below this φ scale the skew is invisible and σ = √(1 − ρ²)/φ would overflow: flat smile. */
const MIN_PHI_SCALE = 1e-10;

/** H(x) = (1 − (1 − e^{−x})/x)/x, with its series below 10⁻⁴ where the difference cancels. */
function heston(x: number): number {
  if (x < 1e-4) return 0.5 - x / 6 + (x * x) / 24;
  return (1 + Math.expm1(-x) / x) / x;
}

/** The surface's shape for the current variance (annual, raw: negative values are floored). */
export function surfaceShape(variance: number, process: IndexProcessParams): SurfaceShape {
  const v = Math.max(variance, MIN_VARIANCE);
  const jumpTilt = Math.max(-MAX_JUMP_TILT, Math.min(MAX_JUMP_TILT, process.jumpIntensityPerYear * process.jumpLogMean));
  const rho = Math.max(-MAX_RHO, Math.min(MAX_RHO, process.rho + jumpTilt));
  const xi = Math.max(0, process.volOfVol);
  const vRef = Math.max(0.5 * (v + process.thetaVar), MIN_VARIANCE);
  // κ′ = κ − ρξ/2 is Heston's effective reversion speed under the share measure; kept positive.
  const kappaEff = Math.max(process.kappa - (process.rho * xi) / 2, 0.1);
  const phiDecay = kappaEff / vRef;
  const onePlusRho = 1 + Math.abs(rho);
  const cap1 = (BUTTERFLY_SAFETY * 4 * phiDecay) / onePlusRho;
  const cap2 = Math.sqrt((BUTTERFLY_SAFETY * 4 * phiDecay) / (MAX_X_H_SQUARED * onePlusRho));
  const phiScale = Math.min((2 * xi) / vRef, cap1, cap2);
  return { variance: v, process, rho, phiScale, phiDecay, jumpVarPerYear: jumpVariancePerYear(process) };
}

/** ATM (k = 0) total implied variance θ_T for an expiry T years out; 0 at T ≤ 0. */
export function atmTotalVariance(shape: SurfaceShape, expiryYears: number): number {
  if (!(expiryYears > 0)) return 0;
  return expectedIntegratedVariance(shape.variance, shape.process, expiryYears) + shape.jumpVarPerYear * expiryYears;
}

/** ATM implied vol √(θ_T/T); the instantaneous vol (with jumps) as T → 0. */
export function atmVolAnnual(shape: SurfaceShape, expiryYears: number): number {
  if (!(expiryYears > 0)) return Math.sqrt(shape.variance + shape.jumpVarPerYear);
  return Math.sqrt(atmTotalVariance(shape, expiryYears) / expiryYears);
}

/**
 * Raw SVI parameters of the smile T years out (in total variance, k = ln(K/F_T)), for
 * core/pricing's sviTotalVariance / sviImpliedVol. T must be positive.
 */
export function sviParamsAt(shape: SurfaceShape, expiryYears: number): SviParams {
  const theta = atmTotalVariance(shape, expiryYears);
  const phi = shape.phiScale * heston(shape.phiDecay * theta);
  const rho = shape.rho;
  const rootOneMinusRho2 = Math.sqrt(1 - rho * rho);
  // Without vol-of-vol the smile is flat (the SSVI limit φ → 0): a = θ, b = 0. Decided per
  // snapshot, not per slice, so slices never mix the two forms.
  if (!(shape.phiScale >= MIN_PHI_SCALE)) return { a: theta, b: 0, rho: 0, m: 0, sigma: 1 };
  return {
    a: 0.5 * theta * (1 - rho * rho),
    b: 0.5 * theta * phi,
    rho,
    m: -rho / phi,
    sigma: rootOneMinusRho2 / phi,
  };
}

/** Implied vol at log-moneyness k = ln(K/F_T) and T > 0 years (annualised). */
export function impliedVolAt(shape: SurfaceShape, logMoneyness: number, expiryYears: number): number {
  if (!(expiryYears > 0)) return NaN;
  return Math.sqrt(sviTotalVariance(sviParamsAt(shape, expiryYears), logMoneyness) / expiryYears);
}
