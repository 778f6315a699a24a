/**
 * Background market makers: two-sided quotes around the true theo, the liquidity the trader's
 * own quotes compete with.
 *
 * Width rule (options), in implied-vol points, then converted to price through vega:
 *   halfWidthVolPts = min(max, base + wing·|z| + short·e^{−days/decayDays}) ± noise
 * with z = ln(K/F)/(σ√T) the strike's distance in standard deviations (wings are wider: their
 * vega is small and their risk is in jumps) and the short-expiry term widening dailies, whose
 * gamma makes a vol point cheap but a stale quote dangerous. Defaults: base 1, wing 0.5 per SD,
 * short 1 decaying over 3 days, max 2.5, noise ±0.25 per side independently. The half-width in
 * price is halfWidthVolPts × vegaCoinPerVolPt but never less than one tick at the theo. Bids are
 * rounded down and asks up to the tick grid, so the quote always contains the theo; the bid is
 * omitted when the theo is under `minTheoTicksForBid` ticks (nobody bids for a worthless wing)
 * or would be zero.
 * Futures and perpetuals: 1–3 ticks each side of the fair value (drawn per side).
 * Sizes: truncated Pareto, in lots of the instrument's minTradeAmount (options) or in USD
 * notional rounded to contracts (futures): a few large quotes among many small ones.
 *
 * Requote rule: a maker requotes when its theo has moved by more than `requoteFraction` of its
 * tighter half-width since it quoted (the quote is about to be picked off), or at a random
 * refresh time (exponential, mean `refreshMeanMs`, at least `minRefreshMs`) so the book keeps
 * changing even when the market is quiet.
 */
import { lotsToAmount, tickSizeAt } from '../instruments/ticks.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { ceilToGrid, floorToGrid, tickBelow } from './grid.ts';
import type { Rng } from './rng.ts';
import { MS_PER_YEAR } from './units.ts';

export interface QuoteSide {
  readonly price: number;
  readonly amount: number;
}

/** A maker's desired two-sided quote. Neither side present means: pull the quotes. */
export interface QuoteIntent {
  readonly instrumentName: string;
  readonly bid?: QuoteSide;
  readonly ask?: QuoteSide;
}

export interface MakerParams {
  readonly baseHalfWidthVolPts: number;
  /** Added per standard deviation of moneyness. */
  readonly wingHalfWidthVolPtsPerSd: number;
  /** Added at zero time to expiry, decaying with e^{−days/shortExpiryDecayDays}. */
  readonly shortExpiryHalfWidthVolPts: number;
  readonly shortExpiryDecayDays: number;
  readonly maxHalfWidthVolPts: number;
  /** Each side's half-width moves uniformly within ± this. */
  readonly noiseVolPts: number;
  readonly minHalfWidthVolPts: number;
  /** Below this many smallest ticks of theo, no bid. */
  readonly minTheoTicksForBid: number;
  readonly optionLotsMin: number;
  readonly optionLotsMax: number;
  /** Pareto shape of quote sizes (smaller = heavier tail). */
  readonly sizeAlphaShape: number;
  readonly futureHalfSpreadTicksMax: number;
  readonly futureNotionalUsdMin: number;
  readonly futureNotionalUsdMax: number;
  /** Requote when theo moved by more than this fraction of the half-width. */
  readonly requoteFraction: number;
  readonly refreshMeanMs: number;
  readonly minRefreshMs: number;
}

export const DEFAULT_MAKER_PARAMS: MakerParams = {
  baseHalfWidthVolPts: 1,
  wingHalfWidthVolPtsPerSd: 0.5,
  shortExpiryHalfWidthVolPts: 1,
  shortExpiryDecayDays: 3,
  maxHalfWidthVolPts: 2.5,
  noiseVolPts: 0.25,
  minHalfWidthVolPts: 0.5,
  minTheoTicksForBid: 2,
  optionLotsMin: 5,
  optionLotsMax: 200,
  sizeAlphaShape: 1.5,
  futureHalfSpreadTicksMax: 3,
  futureNotionalUsdMin: 2_000,
  futureNotionalUsdMax: 250_000,
  requoteFraction: 0.25,
  refreshMeanMs: 10_000,
  minRefreshMs: 1_000,
};

/** What an option maker needs to know about its theo. */
export interface OptionTheo {
  /** Mark price in coin. */
  readonly priceCoin: number;
  /** Coin per vol point (vegaUsd / forward). */
  readonly vegaCoinPerVolPt: number;
  readonly expiryYears: number;
  /** ln(K/F)/(σ√T): distance from the forward in standard deviations. */
  readonly stdMoneyness: number;
}

/** A quote and what the requote rule remembers of it. */
export interface MakerQuote {
  readonly intent: QuoteIntent;
  /** Theo quoted around (coin for options, USD for futures). */
  readonly theo: number;
  /** The tighter side's distance from theo, in price. */
  readonly halfWidth: number;
}

export interface MakerRecord {
  readonly theo: number;
  readonly halfWidth: number;
  readonly refreshAtMs: number;
}

/** The option half-width in vol points before noise (the width rule of the module comment). */
export function optionHalfWidthVolPts(stdMoneyness: number, expiryYears: number, params: MakerParams): number {
  const days = Math.max(0, expiryYears) * (MS_PER_YEAR / 86_400_000);
  const raw =
    params.baseHalfWidthVolPts +
    params.wingHalfWidthVolPtsPerSd * Math.abs(stdMoneyness) +
    params.shortExpiryHalfWidthVolPts * Math.exp(-days / params.shortExpiryDecayDays);
  return Math.min(params.maxHalfWidthVolPts, raw);
}

function sizeLots(rng: Rng, alphaShape: number, minLots: number, maxLots: number): number {
  return Math.max(1, Math.round(rng.pareto(alphaShape, minLots, maxLots)));
}

/** A two-sided option quote around theo (prices in coin on the tick grid, amounts in lots). */
export function makeOptionQuote(instrument: SimInstrument, theo: OptionTheo, rng: Rng, params: MakerParams = DEFAULT_MAKER_PARAMS): MakerQuote {
  const halfVolPts = optionHalfWidthVolPts(theo.stdMoneyness, theo.expiryYears, params);
  const price = Math.max(0, theo.priceCoin);
  const minHalf = tickSizeAt(instrument, price);
  const sideHalf = (): number => {
    const volPts = Math.max(params.minHalfWidthVolPts, halfVolPts + params.noiseVolPts * (2 * rng.next() - 1));
    return Math.max(volPts * theo.vegaCoinPerVolPt, minHalf);
  };
  const bidHalf = sideHalf();
  const askHalf = sideHalf();
  const askPrice = Math.max(instrument.tickSize, ceilToGrid(instrument, price + askHalf));
  let bidPrice = floorToGrid(instrument, price - bidHalf);
  if (bidPrice >= askPrice) bidPrice = tickBelow(instrument, askPrice);
  const bidAllowed = price >= params.minTheoTicksForBid * instrument.tickSize && bidPrice > 0;
  const ask: QuoteSide = { price: askPrice, amount: lotsToAmount(instrument, sizeLots(rng, params.sizeAlphaShape, params.optionLotsMin, params.optionLotsMax)) };
  const bidAmount = lotsToAmount(instrument, sizeLots(rng, params.sizeAlphaShape, params.optionLotsMin, params.optionLotsMax));
  const intent: QuoteIntent = bidAllowed
    ? { instrumentName: instrument.instrumentName, bid: { price: bidPrice, amount: bidAmount }, ask }
    : { instrumentName: instrument.instrumentName, ask };
  return { intent, theo: price, halfWidth: Math.min(bidHalf, askHalf) };
}

/** A two-sided future/perpetual quote: 1–futureHalfSpreadTicksMax ticks each side of fair (USD). */
export function makeFutureQuote(instrument: SimInstrument, fairUsd: number, rng: Rng, params: MakerParams = DEFAULT_MAKER_PARAMS): MakerQuote {
  const tick = instrument.tickSize;
  const bidTicks = 1 + rng.int(params.futureHalfSpreadTicksMax);
  const askTicks = 1 + rng.int(params.futureHalfSpreadTicksMax);
  const askPrice = ceilToGrid(instrument, fairUsd + askTicks * tick);
  let bidPrice = floorToGrid(instrument, fairUsd - bidTicks * tick);
  if (bidPrice >= askPrice) bidPrice = tickBelow(instrument, askPrice);
  const lots = (): number =>
    Math.max(1, Math.round(rng.pareto(params.sizeAlphaShape, params.futureNotionalUsdMin, params.futureNotionalUsdMax) / instrument.minTradeAmount));
  const ask: QuoteSide = { price: askPrice, amount: lotsToAmount(instrument, lots()) };
  const bidAmount = lotsToAmount(instrument, lots());
  const intent: QuoteIntent =
    bidPrice > 0 ? { instrumentName: instrument.instrumentName, bid: { price: bidPrice, amount: bidAmount }, ask } : { instrumentName: instrument.instrumentName, ask };
  return { intent, theo: fairUsd, halfWidth: Math.min(bidTicks, askTicks) * tick };
}

/** The requote rule of the module comment. */
export function needsRequote(record: MakerRecord | undefined, theo: number, nowMs: number, params: MakerParams = DEFAULT_MAKER_PARAMS): boolean {
  if (record === undefined) return true;
  if (nowMs >= record.refreshAtMs) return true;
  return Math.abs(theo - record.theo) > params.requoteFraction * record.halfWidth;
}

/** What to remember of a quote just sent, with its random refresh time. */
export function recordQuote(quote: MakerQuote, nowMs: number, rng: Rng, params: MakerParams = DEFAULT_MAKER_PARAMS): MakerRecord {
  const refreshInMs = Math.max(params.minRefreshMs, rng.exponential(1 / params.refreshMeanMs));
  return { theo: quote.theo, halfWidth: quote.halfWidth, refreshAtMs: nowMs + refreshInMs };
}
