import type { SmileQuote, SviParams } from '../pricing/index.ts';
import { fitSvi, sviImpliedVol, yearsBetween } from '../pricing/index.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/index.ts';

/**
 * The strategy's volatility surface, fitted from the market: one SVI smile per expiry, from the
 * out-of-the-money option at each strike (puts below the forward, calls at and above it — the
 * side market makers quote on; in-the-money IVs are noisy). The forward of an expiry is the
 * median of its options' `underlyingPrice` (Deribit's ticker gives the expiry's future or
 * synthetic forward there), refreshed on every read so theo follows the underlying between fits
 * (sticky moneyness). A failed fit keeps the previous smile and says why: quoting off a silently
 * altered smile is worse than quoting off a slightly old one.
 */

export interface ExpirySmile {
  readonly currency: string;
  readonly expiryMs: number;
  readonly params: SviParams;
  /** Forward at the fit. */
  readonly forwardUsd: number;
  readonly rmseVolPts: number;
  readonly quotes: number;
  readonly fittedTsMs: number;
}

export interface TheoInputs {
  readonly volAnnual: number;
  readonly forwardUsd: number;
  readonly expiryYears: number;
  /** How far the smile may be from the market: the fit's RMSE, in vol points. */
  readonly uncertaintyVolPts: number;
}

export type FitOutcome = { readonly ok: true; readonly smile: ExpirySmile } | { readonly ok: false; readonly reason: string };

/** Expiries closer than this are not fitted: their smiles are noise and quoting them is gamma roulette. */
const MIN_EXPIRY_MS = 60 * 60_000;

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** The forward of one expiry from its options' tickers (undefined while none has one). */
export function expiryForwardUsd(options: readonly { readonly quote: QuoteRow | undefined }[]): number | undefined {
  const prices: number[] = [];
  for (const { quote } of options) if (quote?.underlyingPrice !== undefined && quote.underlyingPrice > 0) prices.push(quote.underlyingPrice);
  return median(prices);
}

/** The smile's input: the OTM option's IVs at each strike (mid of bid/ask IVs, else mark IV). */
export function smileQuotes(options: readonly { readonly instrument: InstrumentRow; readonly quote: QuoteRow | undefined }[], forwardUsd: number): SmileQuote[] {
  const byStrike = new Map<number, SmileQuote>();
  for (const { instrument, quote } of options) {
    if (!quote || quote.stale || instrument.strike === undefined) continue;
    const otm = instrument.strike < forwardUsd ? 'put' : 'call';
    if (instrument.optionType !== otm) continue;
    const k = Math.log(instrument.strike / forwardUsd);
    const { bidIv, askIv, markIv } = quote;
    if (bidIv !== undefined && askIv !== undefined && bidIv > 0 && askIv >= bidIv) {
      byStrike.set(instrument.strike, { logMoneyness: k, midVolAnnual: (bidIv + askIv) / 2, bidVolAnnual: bidIv, askVolAnnual: askIv });
    } else if (markIv !== undefined && markIv > 0) {
      byStrike.set(instrument.strike, { logMoneyness: k, midVolAnnual: markIv });
    }
  }
  return [...byStrike.entries()].sort((a, b) => a[0] - b[0]).map(([, quote]) => quote);
}

export class SurfaceFeed {
  readonly #smiles = new Map<string, ExpirySmile>();
  /** The same smiles by currency and expiry: theo() runs on every quoted frame, and a composite key is a string built per call. */
  readonly #byCurrency = new Map<string, Map<number, ExpirySmile>>();
  readonly #problems = new Map<string, string>();

  static key(currency: string, expiryMs: number): string {
    return `${currency}:${expiryMs}`;
  }

  /** Refits one expiry from its options; on failure the previous smile stays. */
  refit(currency: string, expiryMs: number, options: readonly { readonly instrument: InstrumentRow; readonly quote: QuoteRow | undefined }[], nowMs: number): FitOutcome {
    const key = SurfaceFeed.key(currency, expiryMs);
    const outcome = this.#fit(currency, expiryMs, options, nowMs);
    if (outcome.ok) {
      this.#smiles.set(key, outcome.smile);
      let expiries = this.#byCurrency.get(currency);
      if (!expiries) this.#byCurrency.set(currency, (expiries = new Map()));
      expiries.set(expiryMs, outcome.smile);
      this.#problems.delete(key);
    } else {
      this.#problems.set(key, outcome.reason);
    }
    return outcome;
  }

  smile(currency: string, expiryMs: number): ExpirySmile | undefined {
    return this.#byCurrency.get(currency)?.get(expiryMs);
  }

  problem(currency: string, expiryMs: number): string | undefined {
    return this.#problems.get(SurfaceFeed.key(currency, expiryMs));
  }

  smilesOf(currency: string): ExpirySmile[] {
    return [...this.#smiles.values()].filter((smile) => smile.currency === currency);
  }

  /** Forgets expiries that are gone (settled or delisted). */
  retain(keep: (currency: string, expiryMs: number) => boolean): void {
    for (const [key, smile] of this.#smiles) {
      if (keep(smile.currency, smile.expiryMs)) continue;
      this.#smiles.delete(key);
      this.#byCurrency.get(smile.currency)?.delete(smile.expiryMs);
    }
  }

  /** Theo inputs of one option at the given forward, or undefined when its expiry has no smile. */
  theo(instrument: InstrumentRow, forwardUsd: number, nowMs: number): TheoInputs | undefined {
    if (instrument.strike === undefined) return undefined;
    const smile = this.smile(instrument.currency, instrument.expiryMs);
    if (!smile) return undefined;
    const expiryYears = yearsBetween(nowMs, instrument.expiryMs);
    if (!(expiryYears > 0)) return undefined;
    const volAnnual = sviImpliedVol(smile.params, Math.log(instrument.strike / forwardUsd), expiryYears);
    if (!(volAnnual > 0)) return undefined;
    return { volAnnual, forwardUsd, expiryYears, uncertaintyVolPts: smile.rmseVolPts };
  }

  #fit(currency: string, expiryMs: number, options: readonly { readonly instrument: InstrumentRow; readonly quote: QuoteRow | undefined }[], nowMs: number): FitOutcome {
    if (expiryMs - nowMs < MIN_EXPIRY_MS) return { ok: false, reason: 'expires within the hour: not fitted' };
    const forwardUsd = expiryForwardUsd(options);
    if (forwardUsd === undefined) return { ok: false, reason: 'no forward yet (no ticker with an underlying price)' };
    const quotes = smileQuotes(options, forwardUsd);
    const result = fitSvi(quotes, yearsBetween(nowMs, expiryMs));
    if (!result.ok) return { ok: false, reason: `${result.reason}: ${result.message}` };
    return { ok: true, smile: { currency, expiryMs, params: result.params, forwardUsd, rmseVolPts: result.rmseVolPts, quotes: quotes.length, fittedTsMs: nowMs } };
  }
}
