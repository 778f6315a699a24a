/**
 * Exchange marks from the true market: what the simulated Deribit reports as mark price, mark IV
 * and ticker Greeks, and uses for margin, MMP and settlement previews.
 *
 * Options (inverse, premium in coin): mark = B(F, K, T, σ)/F, the undiscounted Black-76 USD
 * price on the expiry's forward F divided by that same forward. The divisor is the forward, not
 * the index: Deribit converts with its `underlying_price` (the future or synthetic forward of the
 * expiry), which is also the forward its mark IV is quoted against; core/pricing's
 * inverseOptionPriceCoin is exactly this. σ is the true surface's vol at k = ln(K/F).
 * Greeks are Deribit's ticker Greeks (core/pricing deribitTickerGreeks): Black delta (not premium
 * adjusted) as deltaCoin, gamma per 1 USD as gammaCoin, vega in USD per vol point, theta in USD per
 * calendar day (capped by the remaining time value under one day). markIv is a fraction (0.5 =
 * 50 %); Deribit's wire format is in percent, converted by the RPC layer.
 * Futures: the carry model's fair value F(T) = index·e^{cT}; the perpetual: index·(1 + premium).
 * Both in USD.
 * At or past expiry: options mark at intrinsic on the index, divided by the index (what they
 * settle at), with delta 1/0/−1 and no gamma, vega or theta; futures at the index.
 *
 * Speed: all live options go through one ChainPricer (core/pricing's vectorised kernel, which is
 * the same code as the scalar functions, bit for bit); smile parameters are computed once per
 * expiry (the catalog lists options grouped by expiry, so a one-entry cache suffices).
 */
import { ChainPricer, DAYS_PER_YEAR } from '../../pricing/index.ts';
import type { Mark } from '../exchange/types.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import { forwardPrice, perpetualFairPrice } from './carry.ts';
import type { SurfaceShape } from './true-surface.ts';
import { sviParamsAt } from './true-surface.ts';
import { MS_PER_YEAR } from './units.ts';

// Local copies read once per call: a bundler's or test runner's import shim can cost a getter
// call per use of a module binding, which a per-option loop should not pay.
const YEAR_MS = MS_PER_YEAR;
const ONE_DAY_YEARS = 1 / DAYS_PER_YEAR;

/** The state of one currency's market that marks depend on. */
export interface CurrencyMarketView {
  readonly indexPrice: number;
  /** Futures carry per year, continuous. */
  readonly carryRate: number;
  /** Perpetual premium over the index. */
  readonly premium: number;
  readonly shape: SurfaceShape;
}

export type MarketViewOf = (currency: Currency) => CurrencyMarketView;

/** Per-instrument kind codes of the cached layout. */
const CALL = 0;
const PUT = 1;
const FUTURE = 2;
const PERPETUAL = 3;

/**
 * What compute() needs of each instrument, copied into flat arrays once per instrument list.
 * Reading the same fields off the instrument objects every call is slower than it looks: objects
 * built with a spread (`{...common, …}`) can each get their own hidden class, which makes every
 * property read in the loop megamorphic.
 */
class ChainLayout {
  readonly instruments: SimInstrument[];
  readonly currency: Currency[];
  readonly kind: Uint8Array;
  readonly strike: Float64Array;
  readonly expiryMs: Float64Array;

  constructor(instruments: readonly SimInstrument[]) {
    const n = instruments.length;
    this.instruments = instruments.slice();
    this.currency = new Array<Currency>(n);
    this.kind = new Uint8Array(n);
    this.strike = new Float64Array(n);
    this.expiryMs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const instrument = instruments[i]!;
      this.currency[i] = instrument.currency;
      this.expiryMs[i] = instrument.expirationTimestamp;
      if (instrument.kind === 'future') {
        this.kind[i] = instrument.isPerpetual ? PERPETUAL : FUTURE;
        this.strike[i] = NaN;
        continue;
      }
      if (instrument.strike === undefined || instrument.optionType === undefined) {
        throw new Error(`option ${instrument.instrumentName} has no strike or option type`);
      }
      this.kind[i] = instrument.optionType === 'call' ? CALL : PUT;
      this.strike[i] = instrument.strike;
    }
  }

  /** Same instruments in the same order (identity, not contents: instruments are immutable). */
  matches(instruments: readonly SimInstrument[]): boolean {
    const mine = this.instruments;
    if (mine.length !== instruments.length) return false;
    for (let i = 0; i < mine.length; i++) if (mine[i] !== instruments[i]) return false;
    return true;
  }
}

/**
 * Reusable mark computation. Besides the marks, it leaves per-instrument inputs in parallel
 * arrays (index i ↔ instruments[i]) for callers that need them, such as the makers. Keeps a
 * flat copy of the last instrument list's static fields, rebuilt when the list changes.
 */
export class MarkCalculator {
  #pricer = new ChainPricer(64);
  #slot = new Int32Array(64);
  #layout: ChainLayout | undefined;
  #forward = new Float64Array(64);
  #expiryYears = new Float64Array(64);
  #volAnnual = new Float64Array(64);

  /** Per instrument of the last compute: the forward (perpetual: its fair price) used, USD. Read only. */
  get forward(): Float64Array {
    return this.#forward;
  }

  /** Per instrument of the last compute: years to expiry (Infinity for the perpetual). Read only. */
  get expiryYears(): Float64Array {
    return this.#expiryYears;
  }

  /** Per instrument of the last compute: options' true vol (NaN at or past expiry, and for futures). Read only. */
  get volAnnual(): Float64Array {
    return this.#volAnnual;
  }

  #ensure(count: number): void {
    if (this.#slot.length < count) {
      const size = Math.max(count, 2 * this.#slot.length);
      this.#slot = new Int32Array(size);
      this.#forward = new Float64Array(size);
      this.#expiryYears = new Float64Array(size);
      this.#volAnnual = new Float64Array(size);
    }
    if (this.#pricer.capacity < count) this.#pricer = new ChainPricer(Math.max(count, 2 * this.#pricer.capacity));
  }

  #layoutFor(instruments: readonly SimInstrument[]): ChainLayout {
    let layout = this.#layout;
    if (layout === undefined || !layout.matches(instruments)) {
      layout = new ChainLayout(instruments);
      this.#layout = layout;
    }
    return layout;
  }

  /** marks[i] is the mark of instruments[i] at nowMs. Throws for an option without strike or type. */
  compute(instruments: readonly SimInstrument[], viewOf: MarketViewOf, nowMs: number): readonly Mark[] {
    const n = instruments.length;
    this.#ensure(n);
    const layout = this.#layoutFor(instruments);
    const currencyOf = layout.currency;
    const kindOf = layout.kind;
    const strikeOf = layout.strike;
    const expiryMsOf = layout.expiryMs;
    const pricer = this.#pricer;
    const slot = this.#slot;
    const forwardOut = this.#forward;
    const expiryOut = this.#expiryYears;
    const volOut = this.#volAnnual;
    const marks: Mark[] = new Array<Mark>(n);

    let viewCurrency: Currency | undefined;
    let view: CurrencyMarketView | undefined;
    let smileCurrency: Currency | undefined;
    let smileExpiryMs = NaN;
    // The smile of the current expiry, raw SVI, and its forward, unpacked into locals.
    let sviA = 0;
    let sviB = 0;
    let sviRho = 0;
    let sviM = 0;
    let sviSigma2 = 0;
    let forward = NaN;
    let count = 0;

    for (let i = 0; i < n; i++) {
      const currency = currencyOf[i]!;
      if (currency !== viewCurrency) {
        viewCurrency = currency;
        view = viewOf(currency);
      }
      const v = view!;
      const kind = kindOf[i]!;
      const expiryMs = expiryMsOf[i]!;
      slot[i] = -1;
      volOut[i] = NaN;
      if (kind === PERPETUAL) {
        expiryOut[i] = Infinity;
        forwardOut[i] = perpetualFairPrice(v.indexPrice, v.premium);
        marks[i] = { markPrice: forwardOut[i]! };
        continue;
      }
      const expiryYears = (expiryMs - nowMs) / YEAR_MS;
      expiryOut[i] = expiryYears;
      if (kind === FUTURE) {
        forwardOut[i] = forwardPrice(v.indexPrice, v.carryRate, expiryYears);
        marks[i] = { markPrice: forwardOut[i]! };
        continue;
      }
      const strike = strikeOf[i]!;
      if (!(expiryYears > 0)) {
        forwardOut[i] = v.indexPrice;
        marks[i] = expiredOptionMark(v.indexPrice, strike, kind === CALL);
        continue;
      }
      if (smileCurrency !== currency || smileExpiryMs !== expiryMs) {
        smileCurrency = currency;
        smileExpiryMs = expiryMs;
        const smile = sviParamsAt(v.shape, expiryYears);
        sviA = smile.a;
        sviB = smile.b;
        sviRho = smile.rho;
        sviM = smile.m;
        sviSigma2 = smile.sigma * smile.sigma;
        forward = forwardPrice(v.indexPrice, v.carryRate, expiryYears);
      }
      forwardOut[i] = forward;
      // core/pricing's sviTotalVariance, written out (same operations, same result to the bit).
      const u = Math.log(strike / forward) - sviM;
      const vol = Math.sqrt((sviA + sviB * (sviRho * u + Math.sqrt(u * u + sviSigma2))) / expiryYears);
      volOut[i] = vol;
      pricer.forward[count] = forward;
      pricer.strike[count] = strike;
      pricer.expiryYears[count] = expiryYears;
      pricer.volAnnual[count] = vol;
      pricer.isCall[count] = kind === CALL ? 1 : 0;
      slot[i] = count++;
    }

    pricer.reprice(count);
    for (let i = 0; i < n; i++) {
      const j = slot[i]!;
      if (j < 0) continue;
      let theta = pricer.thetaPerDay[j]!;
      if (expiryOut[i]! < ONE_DAY_YEARS) {
        // Deribit's cap under one day, as deribitTickerGreeks applies it: never more than the time value left.
        const forward = pricer.forward[j]!;
        const strike = pricer.strike[j]!;
        const intrinsic = pricer.isCall[j] === 1 ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
        theta = Math.max(theta, -(pricer.price[j]! - intrinsic));
      }
      marks[i] = {
        markPrice: pricer.priceCoin[j]!,
        markIv: volOut[i]!,
        deltaCoin: pricer.delta[j]!,
        gammaCoin: pricer.gamma[j]!,
        vegaUsd: pricer.vegaPerVolPt[j]!,
        thetaUsd: theta,
      };
    }
    return marks;
  }
}

/** Settlement value: intrinsic on the index (the forward at T = 0) in coin. */
function expiredOptionMark(indexPrice: number, strike: number, isCall: boolean): Mark {
  const intrinsicUsd = isCall ? Math.max(indexPrice - strike, 0) : Math.max(strike - indexPrice, 0);
  const deltaCoin = isCall ? (indexPrice > strike ? 1 : 0) : indexPrice < strike ? -1 : 0;
  return { markPrice: intrinsicUsd / indexPrice, deltaCoin, gammaCoin: 0, vegaUsd: 0, thetaUsd: 0 };
}

/** One-off convenience: marks of `instruments` at nowMs (allocates a calculator). */
export function computeMarks(instruments: readonly SimInstrument[], viewOf: MarketViewOf, nowMs: number): readonly Mark[] {
  return new MarkCalculator().compute(instruments, viewOf, nowMs);
}
