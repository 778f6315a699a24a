/**
 * Greeks of positions and their aggregation by underlying and by expiry bucket. Pure.
 *
 * Sizes follow core/model/trading.ts: an option position is signed coin (1 contract = 1 coin), a
 * future or perpetual position is signed USD (inverse contracts). Greeks are GreekTotals: USD-value
 * sensitivities, so options and futures of one underlying add up.
 *
 * Options: q coin of an inverse option is worth q·B(F, K, T, σ) USD (Black-76 on the expiry's
 * forward), so its Greeks are q times the Black Greeks Deribit's ticker shows (inverseGreeks:
 * deltaBlack, gamma per USD, vega per vol point, theta per day). Its coin exposure differs: the
 * premium itself is coin, whose USD value moves with the underlying, so the position's value in
 * coin moves as q·(deltaBlack − priceCoin) per unit relative move. That premium-adjusted delta is
 * what Deribit sums into delta_total, and it is kept beside the Black delta, never mixed into it.
 *
 * Inverse futures and perpetuals: N USD bought at F pays N·(1/F − 1/F′) coin when the price moves
 * to F′. In USD at F′ that is N·(F′/F − 1), whose derivative in F′ is N/F: the position behaves like
 * N/F coin held outright, so deltaCoin = N/F. Its USD value is linear in F′, so gamma, vega, theta
 * and the rest are zero in this (USD-value) convention. In coin the same position has
 * F′·∂/∂F′ [N·(1/F − 1/F′)] = N/F′, which is N/F at the current price: the premium-adjusted delta
 * of a future equals its delta. (Funding of the perpetual is not a Greek and is left out.)
 */
import type { GreekTotals } from '../model/trading.ts';
import { inverseGreeks } from '../pricing/index.ts';
import type { InstrumentRow, OrderRow } from '../protocol/state.ts';
import { LIVE_STATES } from '../oms/order-state.ts';

/** A position: signed size, coin for options, USD for futures and perpetuals. */
export interface RiskPosition {
  readonly instrument: InstrumentRow;
  readonly size: number;
}

/** What pricing an instrument needs, from the surface and forward curve of the moment. */
export interface PricingInput {
  /** The forward of the instrument's expiry in USD; for a future or perpetual its own (mark) price. */
  readonly forwardUsd: number;
  /** Options only: the volatility to price at (the surface at the strike), 0.55 = 55 %. */
  readonly volAnnual?: number;
  /** Options only: time to expiry in years of 365 days. */
  readonly expiryYears?: number;
}

export type PricingInputs = Readonly<Record<string, PricingInput>>;

/** GreekTotals plus the coin exposure of inverse options (see the module comment). */
export interface RiskGreeks extends GreekTotals {
  /** Black delta − premium in coin for options (Deribit's delta_total convention); N/F for futures. */
  readonly deltaPremiumAdjustedCoin: number;
}

export const ZERO_RISK_GREEKS: RiskGreeks = {
  deltaCoin: 0,
  deltaPremiumAdjustedCoin: 0,
  gammaCoinPerUsd: 0,
  vegaUsdPerVolPt: 0,
  thetaUsdPerDay: 0,
  vannaCoinPerVolPt: 0,
  volgaUsdPerVolPt: 0,
};

export function addGreeks(a: RiskGreeks, b: RiskGreeks): RiskGreeks {
  return {
    deltaCoin: a.deltaCoin + b.deltaCoin,
    deltaPremiumAdjustedCoin: a.deltaPremiumAdjustedCoin + b.deltaPremiumAdjustedCoin,
    gammaCoinPerUsd: a.gammaCoinPerUsd + b.gammaCoinPerUsd,
    vegaUsdPerVolPt: a.vegaUsdPerVolPt + b.vegaUsdPerVolPt,
    thetaUsdPerDay: a.thetaUsdPerDay + b.thetaUsdPerDay,
    vannaCoinPerVolPt: a.vannaCoinPerVolPt + b.vannaCoinPerVolPt,
    volgaUsdPerVolPt: a.volgaUsdPerVolPt + b.volgaUsdPerVolPt,
  };
}

// `+ 0` turns −0 (a zero Greek of a short position) into 0, which displays and compares as zero.
export function scaleGreeks(g: RiskGreeks, factor: number): RiskGreeks {
  return {
    deltaCoin: g.deltaCoin * factor + 0,
    deltaPremiumAdjustedCoin: g.deltaPremiumAdjustedCoin * factor + 0,
    gammaCoinPerUsd: g.gammaCoinPerUsd * factor + 0,
    vegaUsdPerVolPt: g.vegaUsdPerVolPt * factor + 0,
    thetaUsdPerDay: g.thetaUsdPerDay * factor + 0,
    vannaCoinPerVolPt: g.vannaCoinPerVolPt * factor + 0,
    volgaUsdPerVolPt: g.volgaUsdPerVolPt * factor + 0,
  };
}

const positiveFinite = (x: number | undefined): x is number => x !== undefined && x > 0 && x < Infinity;
const nonNegativeFinite = (x: number | undefined): x is number => x !== undefined && x >= 0 && x < Infinity;

/** Whether the pricing input can price the instrument (a bad input must not become a zero Greek). */
export function canPrice(instrument: InstrumentRow, pricing: PricingInput | undefined): pricing is PricingInput {
  if (!pricing || !positiveFinite(pricing.forwardUsd)) return false;
  if (instrument.kind === 'future') return true;
  return positiveFinite(instrument.strike) && instrument.optionType !== undefined && nonNegativeFinite(pricing.volAnnual) && nonNegativeFinite(pricing.expiryYears);
}

/**
 * Greeks of a size of 1 (1 coin of an option, 1 USD of a future), or undefined when the pricing
 * input cannot price the instrument.
 */
export function unitGreeks(instrument: InstrumentRow, pricing: PricingInput | undefined): RiskGreeks | undefined {
  if (!canPrice(instrument, pricing)) return undefined;
  if (instrument.kind === 'future') {
    const deltaCoin = 1 / pricing.forwardUsd;
    return { ...ZERO_RISK_GREEKS, deltaCoin, deltaPremiumAdjustedCoin: deltaCoin };
  }
  const g = inverseGreeks(pricing.forwardUsd, instrument.strike!, pricing.expiryYears!, pricing.volAnnual!, instrument.optionType!);
  return {
    deltaCoin: g.deltaBlack,
    deltaPremiumAdjustedCoin: g.deltaPremiumAdjustedCoin,
    gammaCoinPerUsd: g.gammaUsdPerUsd,
    vegaUsdPerVolPt: g.vegaUsdPerVolPt,
    thetaUsdPerDay: g.thetaUsdPerDay,
    vannaCoinPerVolPt: g.vannaPerVolPt,
    volgaUsdPerVolPt: g.volgaUsdPerVolPt,
  };
}

/** Greeks of one position, or undefined when it cannot be priced. */
export function positionGreeks(position: RiskPosition, pricing: PricingInput | undefined): RiskGreeks | undefined {
  const unit = unitGreeks(position.instrument, pricing);
  return unit && scaleGreeks(unit, position.size);
}

/**
 * Gross USD notional of a position: |size| for futures (already USD), |size|·forward for options
 * (the underlying's value at the option's expiry). Premium is not notional.
 */
export function positionNotionalUsd(instrument: InstrumentRow, size: number, pricing: PricingInput): number {
  return instrument.kind === 'future' ? Math.abs(size) : Math.abs(size) * pricing.forwardUsd;
}

export const PERPETUAL_BUCKET = 'PERPETUAL';
// Deribit's standard expiry time: buckets at it are named by date alone.
const STANDARD_EXPIRY_SUFFIX = 'T08:00:00.000Z';

const BUCKET_IDS = new Map<number, string>();
/** Far more expiries than any venue lists at once; past it the memo starts again (bounded memory). */
const MAX_BUCKET_IDS = 4_096;

/**
 * Stable name of an instrument's expiry bucket, used in limit ids: the UTC date ('2026-12-25') for
 * an expiry at 08:00 UTC, the date and time ('2026-12-25T10:00Z') otherwise, 'PERPETUAL' for one.
 */
export function expiryBucketId(instrument: Pick<InstrumentRow, 'isPerpetual' | 'expiryMs'>): string {
  if (instrument.isPerpetual) return PERPETUAL_BUCKET;
  if (!Number.isFinite(instrument.expiryMs)) return `expiry-${instrument.expiryMs}`;
  // Asked on every pre-trade check, for a few dozen expiries: formatted once each.
  let id = BUCKET_IDS.get(instrument.expiryMs);
  if (id === undefined) {
    // Formats the given instant; the clock is not read.
    const iso = new Date(instrument.expiryMs).toISOString();
    id = iso.endsWith(STANDARD_EXPIRY_SUFFIX) ? iso.slice(0, 10) : `${iso.slice(0, 16)}Z`;
    if (BUCKET_IDS.size >= MAX_BUCKET_IDS) BUCKET_IDS.clear();
    BUCKET_IDS.set(instrument.expiryMs, id);
  }
  return id;
}

/** The totals re-expressed in the other currency at the underlying's index (USD per coin). */
export interface GreeksInCoinAndUsd {
  readonly indexUsd: number;
  /** deltaCoin·index: the exposure in USD (100 × the USD value change for a 1 % move). */
  readonly deltaUsd: number;
  readonly deltaPremiumAdjustedUsd: number;
  /** Change of deltaCoin for a 1 % move of the underlying: gamma·index/100. */
  readonly gammaCoinPerPct: number;
  /** Change of deltaUsd for a 1 % move ("dollar gamma"): gamma·index²/100. */
  readonly gammaUsdPerPct: number;
  readonly vegaCoinPerVolPt: number;
  readonly thetaCoinPerDay: number;
  readonly vannaUsdPerVolPt: number;
  readonly volgaCoinPerVolPt: number;
}

export function inCoinAndUsd(g: RiskGreeks, indexUsd: number): GreeksInCoinAndUsd {
  return {
    indexUsd,
    deltaUsd: g.deltaCoin * indexUsd,
    deltaPremiumAdjustedUsd: g.deltaPremiumAdjustedCoin * indexUsd,
    gammaCoinPerPct: gammaCoinPerPct(g.gammaCoinPerUsd, indexUsd),
    gammaUsdPerPct: (g.gammaCoinPerUsd * indexUsd * indexUsd) / 100,
    vegaCoinPerVolPt: g.vegaUsdPerVolPt / indexUsd,
    thetaCoinPerDay: g.thetaUsdPerDay / indexUsd,
    vannaUsdPerVolPt: g.vannaCoinPerVolPt * indexUsd,
    volgaCoinPerVolPt: g.volgaUsdPerVolPt / indexUsd,
  };
}

/** gamma·index/100; a zero gamma stays zero when the index is unknown (NaN). */
export function gammaCoinPerPct(gammaCoinPerUsd: number, indexUsd: number): number {
  return gammaCoinPerUsd === 0 ? 0 : (gammaCoinPerUsd * indexUsd) / 100;
}

export interface BucketRisk {
  /** expiryBucketId of the bucket's instruments. */
  readonly bucketId: string;
  readonly expiryMs: number;
  readonly isPerpetual: boolean;
  readonly greeks: RiskGreeks;
  /** Undefined while the underlying's index is unknown. */
  readonly converted: GreeksInCoinAndUsd | undefined;
  readonly grossNotionalUsd: number;
  readonly positionCount: number;
}

export interface UnderlyingRisk {
  readonly currency: string;
  readonly indexUsd: number | undefined;
  /** Options + futures + perpetual. */
  readonly greeks: RiskGreeks;
  readonly converted: GreeksInCoinAndUsd | undefined;
  readonly byKind: { readonly option: RiskGreeks; readonly future: RiskGreeks; readonly perpetual: RiskGreeks };
  /** Ascending expiry, the perpetual bucket last. */
  readonly byExpiry: readonly BucketRisk[];
  readonly grossNotionalUsd: number;
  readonly positionCount: number;
}

export interface PortfolioRisk {
  /** Sorted by currency. */
  readonly byUnderlying: readonly UnderlyingRisk[];
  /**
   * Instruments with a non-zero position that could not be priced (no or invalid pricing input):
   * their Greeks are missing from the totals, which are then understated.
   */
  readonly unpriced: readonly string[];
}

interface BucketAcc {
  expiryMs: number;
  isPerpetual: boolean;
  greeks: RiskGreeks;
  notional: number;
  count: number;
}

interface UnderlyingAcc {
  greeks: RiskGreeks;
  option: RiskGreeks;
  future: RiskGreeks;
  perpetual: RiskGreeks;
  notional: number;
  count: number;
  buckets: Map<string, BucketAcc>;
}

/**
 * Greeks by underlying and by expiry bucket. Positions are summed as given (net them per
 * instrument first if the notional should be net); zero sizes are skipped. indexUsd (USD per coin,
 * by currency) only converts units: a missing index leaves `converted` undefined.
 */
export function aggregateGreeks(positions: readonly RiskPosition[], pricing: PricingInputs, indexUsd: Readonly<Record<string, number>>): PortfolioRisk {
  const byCurrency = new Map<string, UnderlyingAcc>();
  const unpriced: string[] = [];
  for (const position of positions) {
    if (position.size === 0) continue;
    const { instrument } = position;
    const input = pricing[instrument.instrumentName];
    const greeks = positionGreeks(position, input);
    if (!greeks || !input) {
      unpriced.push(instrument.instrumentName);
      continue;
    }
    const notional = positionNotionalUsd(instrument, position.size, input);
    let acc = byCurrency.get(instrument.currency);
    if (!acc) {
      acc = { greeks: ZERO_RISK_GREEKS, option: ZERO_RISK_GREEKS, future: ZERO_RISK_GREEKS, perpetual: ZERO_RISK_GREEKS, notional: 0, count: 0, buckets: new Map() };
      byCurrency.set(instrument.currency, acc);
    }
    acc.greeks = addGreeks(acc.greeks, greeks);
    if (instrument.kind === 'option') acc.option = addGreeks(acc.option, greeks);
    else if (instrument.isPerpetual) acc.perpetual = addGreeks(acc.perpetual, greeks);
    else acc.future = addGreeks(acc.future, greeks);
    acc.notional += notional;
    acc.count += 1;
    const bucketId = expiryBucketId(instrument);
    let bucket = acc.buckets.get(bucketId);
    if (!bucket) {
      bucket = { expiryMs: instrument.expiryMs, isPerpetual: instrument.isPerpetual, greeks: ZERO_RISK_GREEKS, notional: 0, count: 0 };
      acc.buckets.set(bucketId, bucket);
    }
    bucket.greeks = addGreeks(bucket.greeks, greeks);
    bucket.notional += notional;
    bucket.count += 1;
  }
  const byUnderlying: UnderlyingRisk[] = [];
  for (const currency of [...byCurrency.keys()].sort()) {
    const acc = byCurrency.get(currency)!;
    const index = indexUsd[currency];
    const known = positiveFinite(index) ? index : undefined;
    const byExpiry: BucketRisk[] = [...acc.buckets.entries()]
      .map(([bucketId, b]) => ({
        bucketId,
        expiryMs: b.expiryMs,
        isPerpetual: b.isPerpetual,
        greeks: b.greeks,
        converted: known === undefined ? undefined : inCoinAndUsd(b.greeks, known),
        grossNotionalUsd: b.notional,
        positionCount: b.count,
      }))
      .sort(compareBuckets);
    byUnderlying.push({
      currency,
      indexUsd: known,
      greeks: acc.greeks,
      converted: known === undefined ? undefined : inCoinAndUsd(acc.greeks, known),
      byKind: { option: acc.option, future: acc.future, perpetual: acc.perpetual },
      byExpiry,
      grossNotionalUsd: acc.notional,
      positionCount: acc.count,
    });
  }
  return { byUnderlying, unpriced };
}

function compareBuckets(a: BucketRisk, b: BucketRisk): number {
  if (a.isPerpetual !== b.isPerpetual) return a.isPerpetual ? 1 : -1;
  return a.expiryMs - b.expiryMs || (a.bucketId < b.bucketId ? -1 : a.bucketId > b.bucketId ? 1 : 0);
}

/** A working order as risk sees it: what is left to fill. */
export interface WorkingOrder {
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  /** Instrument's price units: coin for options, USD for futures. */
  readonly price: number;
  /** Remaining amount: coin for options, USD for futures. */
  readonly amount: number;
}

/** The live orders of a blotter with something left to fill. */
export function workingOrdersFrom(rows: readonly OrderRow[]): WorkingOrder[] {
  const out: WorkingOrder[] = [];
  for (const row of rows) {
    const remaining = row.amount - row.filledAmount;
    if (LIVE_STATES.has(row.state) && remaining > 0) out.push({ instrumentName: row.instrumentName, side: row.side, price: row.price, amount: remaining });
  }
  return out;
}

export interface QuotesWorstCase {
  readonly currency: string;
  readonly current: RiskGreeks;
  /** Positions plus every working bid filled (asks untouched). */
  readonly ifBidsFilled: RiskGreeks;
  /** Positions plus every working ask filled (bids untouched). */
  readonly ifAsksFilled: RiskGreeks;
  /**
   * Per Greek, whichever of ifBidsFilled and ifAsksFilled is larger in magnitude (signed). A bound,
   * not a state the book can be in: its delta may come from one side and its vega from the other.
   */
  readonly worst: RiskGreeks;
}

export interface WorkingQuotesRisk {
  readonly byUnderlying: readonly QuotesWorstCase[];
  /** Instruments of positions or orders that could not be priced, or orders on unknown instruments. */
  readonly unpriced: readonly string[];
}

/**
 * The Greeks if all working bids filled, and separately if all working asks filled: a market
 * maker's two one-sided tails (both sides filling together mostly nets out, so it is not shown).
 * Greeks are linear in size at fixed market inputs, so each side is the current totals plus that
 * side's orders priced as positions; order prices do not enter Greeks.
 */
export function workingQuotesWorstCase(
  positions: readonly RiskPosition[],
  orders: readonly WorkingOrder[],
  instruments: Readonly<Record<string, InstrumentRow>>,
  pricing: PricingInputs,
): WorkingQuotesRisk {
  const bids: RiskPosition[] = [];
  const asks: RiskPosition[] = [];
  const unknown: string[] = [];
  for (const order of orders) {
    const instrument = instruments[order.instrumentName];
    if (!instrument) {
      unknown.push(order.instrumentName);
      continue;
    }
    if (order.side === 'buy') bids.push({ instrument, size: order.amount });
    else asks.push({ instrument, size: -order.amount });
  }
  const noIndex = {};
  const current = aggregateGreeks(positions, pricing, noIndex);
  const bidRisk = aggregateGreeks(bids, pricing, noIndex);
  const askRisk = aggregateGreeks(asks, pricing, noIndex);
  const totals = (risk: PortfolioRisk) => new Map(risk.byUnderlying.map((u) => [u.currency, u.greeks]));
  const [cur, bid, ask] = [totals(current), totals(bidRisk), totals(askRisk)];
  const currencies = [...new Set([...cur.keys(), ...bid.keys(), ...ask.keys()])].sort();
  const byUnderlying = currencies.map((currency): QuotesWorstCase => {
    const base = cur.get(currency) ?? ZERO_RISK_GREEKS;
    const ifBidsFilled = addGreeks(base, bid.get(currency) ?? ZERO_RISK_GREEKS);
    const ifAsksFilled = addGreeks(base, ask.get(currency) ?? ZERO_RISK_GREEKS);
    return { currency, current: base, ifBidsFilled, ifAsksFilled, worst: largerMagnitude(ifBidsFilled, ifAsksFilled) };
  });
  const unpriced = [...new Set([...current.unpriced, ...bidRisk.unpriced, ...askRisk.unpriced, ...unknown])].sort();
  return { byUnderlying, unpriced };
}

const bigger = (a: number, b: number): number => (Math.abs(b) > Math.abs(a) ? b : a);

function largerMagnitude(a: RiskGreeks, b: RiskGreeks): RiskGreeks {
  return {
    deltaCoin: bigger(a.deltaCoin, b.deltaCoin),
    deltaPremiumAdjustedCoin: bigger(a.deltaPremiumAdjustedCoin, b.deltaPremiumAdjustedCoin),
    gammaCoinPerUsd: bigger(a.gammaCoinPerUsd, b.gammaCoinPerUsd),
    vegaUsdPerVolPt: bigger(a.vegaUsdPerVolPt, b.vegaUsdPerVolPt),
    thetaUsdPerDay: bigger(a.thetaUsdPerDay, b.thetaUsdPerDay),
    vannaCoinPerVolPt: bigger(a.vannaCoinPerVolPt, b.vannaCoinPerVolPt),
    volgaUsdPerVolPt: bigger(a.volgaUsdPerVolPt, b.volgaUsdPerVolPt),
  };
}
