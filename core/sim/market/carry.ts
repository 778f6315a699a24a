/**
 * Carry of one currency: what dated futures and the perpetual trade at relative to the index.
 *
 * Dated futures: F(T) = index·e^{c·T}, with the carry rate c (per year, continuous) an
 * Ornstein–Uhlenbeck process that mean-reverts slowly around its long-run level (crypto basis is
 * persistent, positive, and drifts over weeks). The same F(T) is the forward of every option
 * expiring at T (Deribit's `underlying_price`), so futures and options agree by construction.
 *
 * Perpetual: fair = index·(1 + p), with the premium p a fast Ornstein–Uhlenbeck process (hours),
 * centred a little above zero so funding is usually non-zero and mostly paid by longs.
 *
 * Funding, as Deribit computes it (support.deribit.com, "Funding Specifications"): the premium
 * rate (mark − index)/index passes a damper of ±0.025 % and a cap, giving an 8-hour rate
 *   funding = clamp(max(damper, p) + min(−damper, p), −cap, cap).
 * Simplifications: Deribit measures the premium on the perpetual's mark price (itself an EMA of
 * the traded price) every millisecond; here the premium *is* the model's p, instantaneous. The
 * `funding8h` reported is an exponential average of that rate with an 8-hour time constant,
 * standing in for Deribit's trailing 8-hour average.
 *
 * Both OU processes are stepped exactly (their transition is Gaussian), so any dt is accurate.
 */
import type { Rng } from './rng.ts';
import { MS_PER_YEAR } from './units.ts';

export interface CarryParams {
  /** Long-run carry rate per year (0.06 = 6 %). */
  readonly carryRateMean: number;
  /** Mean-reversion speed of the carry rate, per year. */
  readonly carryRateKappa: number;
  /** Volatility of the carry rate, per √year. */
  readonly carryRateVol: number;
  /** Long-run perpetual premium (fraction of the index). */
  readonly premiumMean: number;
  /** Mean-reversion speed of the premium, per year. */
  readonly premiumKappa: number;
  /** Volatility of the premium, per √year. */
  readonly premiumVol: number;
  /** Deribit's funding damper (0.00025 = 0.025 %). */
  readonly fundingDamper: number;
  /** Cap on the 8-hour funding rate, both signs. */
  readonly fundingCap: number;
}

export interface CarryState {
  /** Carry rate per year, continuous. */
  readonly carryRate: number;
  /** Perpetual premium over the index, as a fraction. */
  readonly premium: number;
  /** Average 8-hour funding rate (EMA over 8 h of the instantaneous rate). */
  readonly funding8h: number;
}

const FUNDING_PERIOD_MS = 8 * 3_600_000;

/** One exact Ornstein–Uhlenbeck transition over dtYears. */
function stepOu(value: number, mean: number, kappa: number, vol: number, dtYears: number, z: number): number {
  if (!(kappa > 0)) return value + vol * Math.sqrt(dtYears) * z;
  const decay = Math.exp(-kappa * dtYears);
  const sd = vol * Math.sqrt(-Math.expm1(-2 * kappa * dtYears) / (2 * kappa));
  return mean + (value - mean) * decay + sd * z;
}

/** The instantaneous 8-hour funding rate for a premium rate (Deribit's damper and cap). */
export function fundingRate8h(premium: number, params: Pick<CarryParams, 'fundingDamper' | 'fundingCap'>): number {
  const undamped = Math.max(params.fundingDamper, premium) + Math.min(-params.fundingDamper, premium);
  return Math.min(params.fundingCap, Math.max(-params.fundingCap, undamped));
}

export function initialCarryState(params: CarryParams): CarryState {
  return { carryRate: params.carryRateMean, premium: params.premiumMean, funding8h: fundingRate8h(params.premiumMean, params) };
}

/** One step of dtMs: carry rate and premium move; funding8h averages the new instantaneous rate. */
export function stepCarry(state: CarryState, dtMs: number, rng: Rng, params: CarryParams): CarryState {
  const dtYears = dtMs / MS_PER_YEAR;
  const carryRate = stepOu(state.carryRate, params.carryRateMean, params.carryRateKappa, params.carryRateVol, dtYears, rng.normal());
  const premium = stepOu(state.premium, params.premiumMean, params.premiumKappa, params.premiumVol, dtYears, rng.normal());
  const weight = -Math.expm1(-dtMs / FUNDING_PERIOD_MS);
  const funding8h = state.funding8h + weight * (fundingRate8h(premium, params) - state.funding8h);
  return { carryRate, premium, funding8h };
}

/** Fair value of a future (and forward of an option) T years out: index·e^{c·T}; the index at T ≤ 0. */
export function forwardPrice(indexPrice: number, carryRate: number, expiryYears: number): number {
  return expiryYears > 0 ? indexPrice * Math.exp(carryRate * expiryYears) : indexPrice;
}

/** Fair value of the perpetual: index·(1 + premium). */
export function perpetualFairPrice(indexPrice: number, premium: number): number {
  return indexPrice * (1 + premium);
}
