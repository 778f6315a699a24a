/**
 * Which options of a chain are quoted: the nearest expiries past a minimum time to expiry, and in
 * each the strikes inside a call-delta and log-moneyness range. Expiry selection depends on the
 * clock and the list of expiries, so the engine runs it when either changes; strike selection
 * depends on the forward and the surface, so the quote kernel applies it on every requote.
 */
import type { QuotingParams } from './quoting-params.ts';

const MS_PER_DAY = 86_400_000;

/**
 * The expiries to quote at nowMs: distinct, at least minDaysToExpiry away, the nearest
 * maxExpiries of them, ascending.
 */
export function selectExpiries(
  expiriesMs: readonly number[],
  nowMs: number,
  params: Pick<QuotingParams, 'minDaysToExpiry' | 'maxExpiries'>,
): readonly number[] {
  const earliest = nowMs + params.minDaysToExpiry * MS_PER_DAY;
  const eligible = [...new Set(expiriesMs)].filter((expiryMs) => expiryMs >= earliest).sort((a, b) => a - b);
  return eligible.slice(0, params.maxExpiries);
}

/**
 * Whether a strike is quoted: its call delta (Black, at theo vol) in [minAbsDelta, maxAbsDelta]
 * and |ln(K/F)| ≤ maxAbsLogMoneyness. False for NaN inputs.
 */
export function isStrikeSelected(
  callDelta: number,
  logMoneyness: number,
  params: Pick<QuotingParams, 'minAbsDelta' | 'maxAbsDelta' | 'maxAbsLogMoneyness'>,
): boolean {
  return callDelta >= params.minAbsDelta && callDelta <= params.maxAbsDelta && Math.abs(logMoneyness) <= params.maxAbsLogMoneyness;
}
