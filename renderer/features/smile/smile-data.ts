import type { QuoteRow, SmileRow, TheoRow } from '../../../core/protocol/index.ts';
import { sviImpliedVol } from '../../../core/pricing/svi.ts';
import { yearsBetween } from '../../../core/pricing/types.ts';
import type { ExpiryChain } from '../market/chain-index.ts';
import { atmStrike, expiryForward } from '../market/chain-index.ts';

/**
 * What the smile and term-structure charts plot, derived from the chain and the quotes. Vols are
 * in percent (the charts' unit); absent or zero vols (no bid, no ask) are undefined, never zero.
 *
 * Per strike the smile reads the out-of-the-money option (puts below the forward, calls at and
 * above it): its bid/ask IVs are the ones market makers quote on, while in-the-money IVs are
 * noisy (a small premium error is a large vol error). The engine's fitted SVI smile is drawn as
 * a curve sampled over the strike range, and our own quotes' IVs (the theos topic) as points.
 */

export type SmileSide = 'call' | 'put';

export interface SmilePoint {
  readonly strike: number;
  readonly side: SmileSide;
  readonly instrumentName: string;
  /** The quote the point was read from; points are redrawn when it is another object. */
  readonly quote: QuoteRow | undefined;
  readonly bidIvPct: number | undefined;
  readonly askIvPct: number | undefined;
  readonly markIvPct: number | undefined;
  /** Our working quote's IVs on this instrument (theos), when the strategy quotes it. */
  readonly ourBidIvPct: number | undefined;
  readonly ourAskIvPct: number | undefined;
  /** The theo the strategy prices from, as an IV. */
  readonly theoIvPct: number | undefined;
  readonly stale: boolean;
}

export function ivPct(iv: number | undefined): number | undefined {
  return iv !== undefined && Number.isFinite(iv) && iv > 0 ? iv * 100 : undefined;
}

export function smileSide(strike: number, forward: number | undefined): SmileSide {
  return forward !== undefined && strike < forward ? 'put' : 'call';
}

const NO_THEOS: Readonly<Record<string, TheoRow>> = {};

export function smilePoint(
  chain: ExpiryChain,
  strike: number,
  quotes: Readonly<Record<string, QuoteRow>>,
  forward: number | undefined,
  theos: Readonly<Record<string, TheoRow>> = NO_THEOS,
): SmilePoint | undefined {
  const pair = chain.pairs.get(strike);
  if (!pair) return undefined;
  const preferred = smileSide(strike, forward);
  const side: SmileSide = pair[preferred] !== undefined ? preferred : preferred === 'call' ? 'put' : 'call';
  const instrumentName = pair[side];
  if (instrumentName === undefined) return undefined;
  const quote = quotes[instrumentName];
  const theo = theos[instrumentName];
  return {
    strike,
    side,
    instrumentName,
    quote,
    bidIvPct: ivPct(quote?.bidIv),
    askIvPct: ivPct(quote?.askIv),
    markIvPct: ivPct(quote?.markIv),
    ourBidIvPct: ivPct(theo?.bidIv),
    ourAskIvPct: ivPct(theo?.askIv),
    theoIvPct: ivPct(theo?.theoIv),
    stale: quote?.stale ?? true,
  };
}

export interface Smile {
  readonly forward: number | undefined;
  readonly atmStrike: number | undefined;
  readonly points: readonly SmilePoint[];
}

export function smileOf(chain: ExpiryChain, quotes: Readonly<Record<string, QuoteRow>>, theos: Readonly<Record<string, TheoRow>> = NO_THEOS): Smile {
  const forward = expiryForward(chain, quotes);
  const points: SmilePoint[] = [];
  for (const strike of chain.strikes) {
    const point = smilePoint(chain, strike, quotes, forward, theos);
    if (point) points.push(point);
  }
  return { forward, atmStrike: atmStrike(chain.strikes, forward), points };
}

/** Key of an expiry's fitted smile in the smiles topic. */
export function smileKey(currency: string, expiryMs: number): string {
  return `${currency}:${expiryMs}`;
}

/**
 * The fitted SVI smile sampled at the given strikes, in IV percent: 100·√(w(k)/T) with
 * k = ln(K/F), F the fit's forward and T the years from `nowMs` to the expiry. Undefined where the
 * curve has no volatility (w < 0, a non-positive strike); empty once the expiry has passed.
 */
export function sviCurve(fit: SmileRow, strikes: readonly number[], nowMs: number): { readonly x: number; readonly value: number | undefined }[] {
  const expiryYears = yearsBetween(nowMs, fit.expiryMs);
  if (!(expiryYears > 0) || !(fit.forwardUsd > 0)) return [];
  return strikes.map((strike) => {
    const vol = strike > 0 ? sviImpliedVol(fit.params, Math.log(strike / fit.forwardUsd), expiryYears) : NaN;
    return { x: strike, value: Number.isFinite(vol) && vol > 0 ? vol * 100 : undefined };
  });
}

/** The fit's quality for the legend: "SVI RMSE 0.42 vol pts · 23 quotes". */
export function sviFitLabel(fit: SmileRow | undefined): string {
  if (!fit) return 'no SVI fit yet';
  return `SVI RMSE ${fit.rmseVolPts.toFixed(2)} vol pts · ${fit.quotes} quotes`;
}

export interface TermPoint {
  readonly expiryMs: number;
  readonly forward: number | undefined;
  readonly atmStrike: number | undefined;
  /** Mark IV of the option at the ATM strike (the call, or the put if no call is listed). */
  readonly atmIvPct: number | undefined;
}

export function termStructure(chains: readonly ExpiryChain[], quotes: Readonly<Record<string, QuoteRow>>, nowMs: number): TermPoint[] {
  const points: TermPoint[] = [];
  for (const chain of chains) {
    if (chain.expiryMs <= nowMs) continue;
    const forward = expiryForward(chain, quotes);
    const atm = atmStrike(chain.strikes, forward);
    const pair = atm === undefined ? undefined : chain.pairs.get(atm);
    const quote = pair ? quotes[pair.call ?? pair.put ?? ''] : undefined;
    points.push({ expiryMs: chain.expiryMs, forward, atmStrike: atm, atmIvPct: ivPct(quote?.markIv) });
  }
  return points;
}

/**
 * Strikes at which to put empty points so the chart's horizontal axis (which spaces points
 * evenly, like bars) is linear in strike: every multiple of the smallest strike gap between the
 * first and last strike that is not itself a strike. None when that would take too many points.
 */
export function linearStrikeGrid(strikes: readonly number[], maxPoints = 1500): number[] {
  if (strikes.length < 3) return [];
  let step = Infinity;
  for (let i = 1; i < strikes.length; i++) step = Math.min(step, strikes[i]! - strikes[i - 1]!);
  const first = strikes[0]!;
  const last = strikes.at(-1)!;
  if (!(step > 0) || (last - first) / step > maxPoints) return [];
  const listed = new Set(strikes);
  const grid: number[] = [];
  const count = Math.round((last - first) / step);
  for (let i = 1; i < count; i++) {
    const strike = Number((first + i * step).toPrecision(12));
    if (!listed.has(strike)) grid.push(strike);
  }
  return grid;
}

/** A round label step giving about `target` labels across the strikes: 1, 2, 2.5 or 5 × 10^n. */
export function strikeLabelStep(strikes: readonly number[], target = 7): number {
  const first = strikes[0];
  const last = strikes.at(-1);
  if (first === undefined || last === undefined || last <= first) return 1;
  const raw = (last - first) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 2.5, 5, 10].find((step) => step * magnitude >= raw) ?? 10;
  return nice * magnitude;
}

/**
 * Weight of a strike as an axis label, given the chain's label step: multiples of ten steps, then
 * of one step, then everything else. lightweight-charts (with uniform distribution) draws a whole
 * weight level or none of it, so the labels are evenly spaced round strikes.
 */
export function strikeWeight(strike: number, step: number): number {
  const multipleOf = (unit: number): boolean => Math.abs(strike / unit - Math.round(strike / unit)) < 1e-9;
  if (multipleOf(step * 10)) return 3;
  if (multipleOf(step)) return 2;
  return 0;
}

/** A value range widened symmetrically to at least `minSpan`, so noise does not fill the chart. */
export function withMinSpan(range: { readonly minValue: number; readonly maxValue: number } | null, minSpan: number): { minValue: number; maxValue: number } | null {
  if (!range) return null;
  const span = range.maxValue - range.minValue;
  if (span >= minSpan) return { minValue: range.minValue, maxValue: range.maxValue };
  const mid = (range.minValue + range.maxValue) / 2;
  return { minValue: mid - minSpan / 2, maxValue: mid + minSpan / 2 };
}

/** Axis weight of an expiry: quarterlies over monthlies over weeklies over dailies (Deribit's cycle). */
export function expiryWeight(expiryMs: number): number {
  const date = new Date(expiryMs);
  const friday = date.getUTCDay() === 5;
  if (!friday) return 0;
  const lastOfMonth = new Date(expiryMs + 7 * 86_400_000).getUTCMonth() !== date.getUTCMonth();
  if (!lastOfMonth) return 1;
  return date.getUTCMonth() % 3 === 2 ? 3 : 2;
}

/** Axis labels are short ("96k", "95.5k"); the crosshair label gives the whole strike. */
export function formatStrikeTick(strike: number): string {
  if (strike >= 10_000) return `${Number((strike / 1000).toFixed(1))}k`;
  return Number.isInteger(strike) ? String(strike) : strike.toFixed(1);
}
