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
import type { SviParams } from '../../pricing/index.ts';
import { ChainPricer, DAYS_PER_YEAR, sviTotalVariance } from '../../pricing/index.ts';
import type { Mark } from '../exchange/types.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import { forwardPrice, perpetualFairPrice } from './carry.ts';
import type { SurfaceShape } from './true-surface.ts';
import { sviParamsAt } from './true-surface.ts';
import { MS_PER_YEAR } from './units.ts';

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

/**
 * Reusable mark computation. Besides the marks, it leaves per-instrument inputs in parallel
 * arrays (index i ↔ instruments[i]) for callers that need them, such as the makers.
 */
export class MarkCalculator {
  #pricer = new ChainPricer(64);
  #slot = new Int32Array(64);
  /** Forward (options, futures) or perpetual fair price used, USD. */
  forward = new Float64Array(64);
  /** Years to expiry (Infinity for the perpetual). */
  expiryYears = new Float64Array(64);
  /** Options: the true surface's vol (NaN at or past expiry); futures: NaN. */
  volAnnual = new Float64Array(64);

  #ensure(count: number): void {
    if (this.#slot.length < count) {
      const size = Math.max(count, 2 * this.#slot.length);
      this.#slot = new Int32Array(size);
      this.forward = new Float64Array(size);
      this.expiryYears = new Float64Array(size);
      this.volAnnual = new Float64Array(size);
    }
    if (this.#pricer.capacity < count) this.#pricer = new ChainPricer(Math.max(count, 2 * this.#pricer.capacity));
  }

  /** marks[i] is the mark of instruments[i] at nowMs. */
  compute(instruments: readonly SimInstrument[], viewOf: MarketViewOf, nowMs: number): Mark[] {
    const n = instruments.length;
    this.#ensure(n);
    const pricer = this.#pricer;
    const slot = this.#slot;
    const forwardOut = this.forward;
    const expiryOut = this.expiryYears;
    const volOut = this.volAnnual;
    const marks: Mark[] = new Array<Mark>(n);

    let viewCurrency: Currency | undefined;
    let view: CurrencyMarketView | undefined;
    let smileCurrency: Currency | undefined;
    let smileExpiryMs = NaN;
    let smile: SviParams | undefined;
    let count = 0;

    for (let i = 0; i < n; i++) {
      const instrument = instruments[i]!;
      if (instrument.currency !== viewCurrency) {
        viewCurrency = instrument.currency;
        view = viewOf(viewCurrency);
      }
      const v = view!;
      slot[i] = -1;
      volOut[i] = NaN;
      if (instrument.kind === 'future') {
        if (instrument.isPerpetual) {
          expiryOut[i] = Infinity;
          forwardOut[i] = perpetualFairPrice(v.indexPrice, v.premium);
        } else {
          const expiryYears = (instrument.expirationTimestamp - nowMs) / MS_PER_YEAR;
          expiryOut[i] = expiryYears;
          forwardOut[i] = forwardPrice(v.indexPrice, v.carryRate, expiryYears);
        }
        marks[i] = { markPrice: forwardOut[i]! };
        continue;
      }

      const strike = instrument.strike;
      if (strike === undefined || instrument.optionType === undefined) throw new Error(`option ${instrument.instrumentName} has no strike or type`);
      const expiryYears = (instrument.expirationTimestamp - nowMs) / MS_PER_YEAR;
      const forward = forwardPrice(v.indexPrice, v.carryRate, expiryYears);
      expiryOut[i] = expiryYears;
      forwardOut[i] = forward;
      if (!(expiryYears > 0)) {
        marks[i] = expiredOptionMark(forward, strike, instrument.optionType === 'call');
        continue;
      }
      if (smileCurrency !== instrument.currency || smileExpiryMs !== instrument.expirationTimestamp) {
        smileCurrency = instrument.currency;
        smileExpiryMs = instrument.expirationTimestamp;
        smile = sviParamsAt(v.shape, expiryYears);
      }
      const vol = Math.sqrt(sviTotalVariance(smile!, Math.log(strike / forward)) / expiryYears);
      volOut[i] = vol;
      pricer.forward[count] = forward;
      pricer.strike[count] = strike;
      pricer.expiryYears[count] = expiryYears;
      pricer.volAnnual[count] = vol;
      pricer.isCall[count] = instrument.optionType === 'call' ? 1 : 0;
      slot[i] = count++;
    }

    pricer.reprice(count);
    const oneDayYears = 1 / DAYS_PER_YEAR;
    for (let i = 0; i < n; i++) {
      const j = slot[i]!;
      if (j < 0) continue;
      let theta = pricer.thetaPerDay[j]!;
      if (expiryOut[i]! < oneDayYears) {
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
export function computeMarks(instruments: readonly SimInstrument[], viewOf: MarketViewOf, nowMs: number): Mark[] {
  return new MarkCalculator().compute(instruments, viewOf, nowMs);
}
