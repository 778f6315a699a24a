/**
 * Forwards per expiry: from listed futures and the perpetual, or from put–call parity.
 *
 * Futures curve. Knots are the perpetual (taken as the forward for T = 0: its funding keeps it at
 * the index plus a premium that is paid continuously, not at expiry) and each dated future at
 * its expiry. Between knots ln F is linear in T, i.e. a constant implied carry rate
 * r = ln(F₂/F₁)/(T₂ − T₁) over each interval. Outside the knots the curve extrapolates with the
 * flat average carry of the whole listed curve, r̄ = ln(F_last/F_first)/(T_last − T_first), which
 * one mispriced future moves less than the last interval's rate; a single knot gives a flat forward.
 *
 * Put–call parity. Undiscounted prices in the forward's units satisfy C − P = DF·(F − K); inverse
 * (coin-quoted, Deribit) prices satisfy C − P = (F − K)/F, so F = K/(1 − (C − P)). Each strike gives
 * an implied forward; the estimate is the median of those from the strikes nearest the money (a
 * first median over all strikes locates the money), so one bad strike cannot move it.
 */

export interface FuturePoint {
  readonly expiryYears: number;
  /** Futures price in USD per coin. */
  readonly price: number;
}

/** Knots of ln F linear in T; plain data. */
export interface ForwardCurve {
  readonly expiriesYears: readonly number[];
  readonly forwards: readonly number[];
}

export type ForwardCurveResult =
  | { readonly ok: true; readonly curve: ForwardCurve }
  | { readonly ok: false; readonly reason: 'invalid-input' | 'insufficient-data'; readonly message: string };

/**
 * Builds the forward curve from the perpetual's price (or undefined when there is none) and dated
 * futures. Rejects non-positive or non-finite prices and expiries, and two futures with the same
 * expiry. Never throws.
 */
export function buildForwardCurve(perpetualPrice: number | undefined, futures: readonly FuturePoint[]): ForwardCurveResult {
  const knots: { t: number; f: number }[] = [];
  if (perpetualPrice !== undefined) {
    if (!(perpetualPrice > 0 && perpetualPrice < Infinity)) {
      return { ok: false, reason: 'invalid-input', message: `perpetual price must be positive and finite, got ${perpetualPrice}` };
    }
    knots.push({ t: 0, f: perpetualPrice });
  }
  for (let i = 0; i < futures.length; i++) {
    const fut = futures[i]!;
    if (!(fut.expiryYears > 0 && fut.expiryYears < Infinity)) {
      return { ok: false, reason: 'invalid-input', message: `future ${i}: expiryYears must be positive and finite` };
    }
    if (!(fut.price > 0 && fut.price < Infinity)) {
      return { ok: false, reason: 'invalid-input', message: `future ${i}: price must be positive and finite` };
    }
    knots.push({ t: fut.expiryYears, f: fut.price });
  }
  if (knots.length === 0) return { ok: false, reason: 'insufficient-data', message: 'no perpetual and no futures' };
  knots.sort((x, y) => x.t - y.t);
  for (let i = 1; i < knots.length; i++) {
    if (knots[i]!.t === knots[i - 1]!.t) {
      return { ok: false, reason: 'invalid-input', message: `two futures expire at ${knots[i]!.t} years` };
    }
  }
  return { ok: true, curve: { expiriesYears: knots.map((k) => k.t), forwards: knots.map((k) => k.f) } };
}

/**
 * Forward for an expiry in years: ln F linear in T between knots, flat average carry rate
 * ln(F_last/F_first)/(T_last − T_first) outside them (module comment). NaN for T < 0.
 */
export function forwardAt(curve: ForwardCurve, expiryYears: number): number {
  const ts = curve.expiriesYears;
  const fs = curve.forwards;
  const n = ts.length;
  if (n === 0 || !(expiryYears >= 0)) return NaN;
  if (n === 1) return fs[0]!;
  const tFirst = ts[0]!;
  const tLast = ts[n - 1]!;
  if (expiryYears <= tFirst || expiryYears >= tLast) {
    const rate = Math.log(fs[n - 1]! / fs[0]!) / (tLast - tFirst);
    return expiryYears <= tFirst
      ? fs[0]! * Math.exp(rate * (expiryYears - tFirst))
      : fs[n - 1]! * Math.exp(rate * (expiryYears - tLast));
  }
  let hi = 1;
  while (ts[hi]! < expiryYears) hi++;
  const t1 = ts[hi - 1]!;
  const t2 = ts[hi]!;
  const weight = (expiryYears - t1) / (t2 - t1);
  // F₁·(F₂/F₁)^w: exact at the left knot and monotone in T whenever F₂ ≥ F₁.
  return fs[hi - 1]! * Math.exp(weight * Math.log(fs[hi]! / fs[hi - 1]!));
}

/** Annualised carry rate implied between now (the first knot) and an expiry: ln(F(T)/F(0))/T. */
export function impliedCarryRate(curve: ForwardCurve, expiryYears: number): number {
  if (!(expiryYears > 0)) return NaN;
  return Math.log(forwardAt(curve, expiryYears) / forwardAt(curve, 0)) / expiryYears;
}

/** Call and put prices at one strike of one expiry. */
export interface ParityQuote {
  readonly strike: number;
  readonly callPrice: number;
  readonly putPrice: number;
}

export interface ParityOptions {
  /**
   * 'forward-units': prices in the forward's currency (USD, USDC), C − P = DF·(F − K).
   * 'coin': inverse prices in coin (Deribit BTC options), C − P = (F − K)/F.
   */
  readonly premium: 'forward-units' | 'coin';
  /** Discount factor for 'forward-units' (default 1, undiscounted). */
  readonly discountFactor?: number;
  /** Strikes nearest the money whose implied forwards are medianed (default 5). */
  readonly nearMoneyCount?: number;
}

export type ParityForwardResult =
  | {
      readonly ok: true;
      readonly forward: number;
      /** Strikes that entered the final median. */
      readonly strikesUsed: number;
      /** Strikes skipped as invalid (non-positive strike, negative or non-finite price). */
      readonly strikesRejected: number;
      /** Largest relative distance of a used strike's implied forward from the estimate. */
      readonly dispersion: number;
    }
  | { readonly ok: false; readonly reason: 'invalid-input' | 'insufficient-data'; readonly message: string };

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}

/**
 * Forward of one expiry from call and put mid prices at common strikes (module comment):
 * per strike F = K + (C − P)/DF, or F = K/(1 − (C − P)) for coin prices; the median over the
 * nearMoneyCount strikes closest (in |ln(K/F₀)|) to the all-strike median F₀. Never throws.
 */
export function forwardFromParity(quotes: readonly ParityQuote[], options: ParityOptions): ParityForwardResult {
  const df = options.discountFactor ?? 1;
  if (!(df > 0 && df < Infinity)) return { ok: false, reason: 'invalid-input', message: 'discountFactor must be positive and finite' };
  const nearCount = Math.max(1, Math.floor(options.nearMoneyCount ?? 5));
  const implied: { strike: number; forward: number }[] = [];
  let rejected = 0;
  for (const q of quotes) {
    const valid = q.strike > 0 && q.strike < Infinity && q.callPrice >= 0 && q.putPrice >= 0 && q.callPrice < Infinity && q.putPrice < Infinity;
    if (!valid) {
      rejected++;
      continue;
    }
    const diff = q.callPrice - q.putPrice;
    const forward = options.premium === 'coin' ? q.strike / (1 - diff) : q.strike + diff / df;
    if (!(forward > 0 && forward < Infinity)) {
      rejected++;
      continue;
    }
    implied.push({ strike: q.strike, forward });
  }
  if (implied.length === 0) return { ok: false, reason: 'insufficient-data', message: 'no strike with valid call and put prices' };
  const f0 = median(implied.map((p) => p.forward).sort((x, y) => x - y));
  const nearest = implied
    .slice()
    .sort((x, y) => Math.abs(Math.log(x.strike / f0)) - Math.abs(Math.log(y.strike / f0)) || x.strike - y.strike)
    .slice(0, nearCount);
  const forward = median(nearest.map((p) => p.forward).sort((x, y) => x - y));
  let dispersion = 0;
  for (const p of nearest) dispersion = Math.max(dispersion, Math.abs(p.forward / forward - 1));
  return { ok: true, forward, strikesUsed: nearest.length, strikesRejected: rejected, dispersion };
}
