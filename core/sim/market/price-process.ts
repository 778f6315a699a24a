/**
 * The index of one currency: a Heston stochastic-volatility diffusion with Merton log-normal jumps
 * (Bates' model), stepped by full-truncation Euler on the log price.
 *
 *   d ln S = −(½v⁺ + λ·k̄) dt + √v⁺ dW₁ + J dN,    k̄ = E[e^J − 1] = e^{μ_J + σ_J²/2} − 1
 *   dv     = κ(θ − v⁺) dt + ξ√v⁺ dW₂,           d⟨W₁, W₂⟩ = ρ dt
 *   N Poisson with intensity λ per year, J ~ Normal(μ_J, σ_J²) per jump.
 *
 * The drift makes the index a martingale (no trend: the simulator's market has no view). Full
 * truncation (Lord, Koekkoek & van Dijk 2010) keeps the raw variance as the state, possibly a
 * little negative, and uses v⁺ = max(v, 0) in drift and diffusion; it is the least biased of the
 * simple Euler fixes, and at the simulator's 100 ms steps (3·10⁻⁹ years) the bias is nil anyway.
 * Consumers should read `effectiveVariance(state)`, never the raw variance.
 */
import type { Rng } from './rng.ts';
import { MS_PER_YEAR } from './units.ts';

export interface IndexProcessParams {
  /** Mean-reversion speed of the variance, per year. */
  readonly kappa: number;
  /** Long-run annual variance (0.25 = 50 % vol). */
  readonly thetaVar: number;
  /** Volatility of variance (Heston's ξ), per √year. */
  readonly volOfVol: number;
  /** Correlation of index and variance shocks. */
  readonly rho: number;
  /** Expected jumps per year. */
  readonly jumpIntensityPerYear: number;
  /** Mean of the log jump size. */
  readonly jumpLogMean: number;
  /** Standard deviation of the log jump size. */
  readonly jumpLogSd: number;
}

export interface IndexState {
  readonly tsMs: number;
  readonly indexPrice: number;
  /** Raw Heston variance (annual); see effectiveVariance. */
  readonly variance: number;
  /** Jumps since the start, for diagnostics and tests. */
  readonly jumpCount: number;
}

/** The variance the process is actually using: max(v, 0). */
export function effectiveVariance(state: IndexState): number {
  return state.variance > 0 ? state.variance : 0;
}

/** Annual variance contributed by jumps: λ·E[J²] = λ(μ_J² + σ_J²). */
export function jumpVariancePerYear(params: IndexProcessParams): number {
  return params.jumpIntensityPerYear * (params.jumpLogMean * params.jumpLogMean + params.jumpLogSd * params.jumpLogSd);
}

/**
 * One step of `dtMs` milliseconds (the state's clock advances by exactly dtMs, so a path does not
 * drift from the millisecond grid through rounding of years). Draws two normals and one Poisson
 * count, plus one normal per jump.
 */
export function stepIndex(state: IndexState, dtMs: number, rng: Rng, params: IndexProcessParams): IndexState {
  const dtYears = dtMs / MS_PER_YEAR;
  const v = state.variance > 0 ? state.variance : 0;
  const sqrtVdt = Math.sqrt(v * dtYears);
  const z1 = rng.normal();
  const z2 = params.rho * z1 + Math.sqrt(1 - params.rho * params.rho) * rng.normal();

  const jumpCompensator = Math.expm1(params.jumpLogMean + 0.5 * params.jumpLogSd * params.jumpLogSd);
  let logReturn = -(0.5 * v + params.jumpIntensityPerYear * jumpCompensator) * dtYears + sqrtVdt * z1;
  const jumps = rng.poisson(params.jumpIntensityPerYear * dtYears);
  for (let i = 0; i < jumps; i++) logReturn += params.jumpLogMean + params.jumpLogSd * rng.normal();

  const variance = state.variance + params.kappa * (params.thetaVar - v) * dtYears + params.volOfVol * sqrtVdt * z2;
  return {
    tsMs: state.tsMs + dtMs,
    indexPrice: state.indexPrice * Math.exp(logReturn),
    variance,
    jumpCount: state.jumpCount + jumps,
  };
}

/**
 * Expected integrated variance E[∫₀ᵀ v dt] of the diffusion from variance v today:
 *   θT + (v − θ)(1 − e^{−κT})/κ
 * (the Heston term structure of ATM total variance). T in years.
 */
export function expectedIntegratedVariance(variance: number, params: IndexProcessParams, expiryYears: number): number {
  if (!(expiryYears > 0)) return 0;
  const decay = params.kappa > 0 ? -Math.expm1(-params.kappa * expiryYears) / params.kappa : expiryYears;
  return params.thetaVar * expiryYears + (variance - params.thetaVar) * decay;
}
