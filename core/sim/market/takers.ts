/**
 * Background taker flow: who crosses the spread, when, how much, and how well informed.
 *
 * Arrivals: a Poisson process per stream (options of a currency, its perpetual, its dated
 * futures), generated as exponential gaps so each order has its own arrival time.
 * Which option: weighted toward the money and toward short expiries,
 *   weight = exp(−z²/(2·moneynessWidthSd²)) / (1 + days/expiryScaleDays),   z = ln(K/F)/(σ√T),
 * the shape of real crypto option volume (ATM dailies and weeklies dominate).
 * Size: truncated Pareto in lots (options) or in USD notional rounded to contracts (futures):
 * most trades are a lot or two, a few are hundreds.
 *
 * Informed-taker rule: with probability informedShare the taker knows the true theo and trades
 * only against a resting price that is wrong by more than an edge threshold: buy when
 * bestAsk < theo − edge, sell when bestBid > theo + edge, with a limit of theo ∓ edge on the grid,
 * so it sweeps every mispriced level and nothing else. edge is informedEdgeVolPts × vega for
 * options, informedEdgeBps of fair value for futures, and at least informedMinEdgeTicks ticks.
 * A fairly priced book sees nothing from them; a stale quoter gets picked off — adverse
 * selection, the cost a market maker's width must pay for.
 * Uninformed takers: buy or sell with equal odds. How far they reach into the book (`reach`):
 *  - 'touch' (the default): an IOC limit a few ticks through the touch (0–uninformedMaxTicksThrough);
 *    with no touch on their side they do nothing. Where prints land is then set by the makers'
 *    width, not by the takers.
 *  - 'exponential' (options): the order reaches δ = floorVolPts + Exp(kPerVolPt) vol points from
 *    the book mid, i.e. orders reaching at least δ ≥ floor arrive at A·e^{−kδ} per second with
 *    A = uninformed rate·e^{k·floor} — the law core/backtest/calibration.ts fits, so a recording
 *    made with it has a known answer. The limit is mid ± δ·vega (coin per vol pt: vegaUsd over the
 *    forward, as the mark is the USD price over the forward) on the nearest grid price, and the
 *    order sweeps everything resting up to it (sweepLots, an IOC size no book here reaches), so
 *    its furthest print is at the grid price nearest its reach whenever the book has liquidity
 *    at every price out to there (a depth ladder, ladder.ts); on a one-level book it prints at
 *    the touch. It needs a two-sided book (no mid, no order). Why the nearest grid price: a grid
 *    price x is then reached with probability e^{−k(x − s/2 − floor)} (s the grid step), and as
 *    the grid's offset from the mid varies that half step averages out of A; rounding toward the
 *    mid would lower every depth by a step's worth, A by about e^{−ks/2}. Neither changes k.
 *    Futures keep the touch rule (a vol point means nothing there).
 *
 * The order book is reached only through `touch(instrumentName)`, so this module does not depend
 * on it.
 */
import { lotsToAmount, tickSizeAt } from '../instruments/ticks.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { ceilToGrid, floorToGrid, nearestGrid, tickAbove, tickBelow } from './grid.ts';
import type { Rng } from './rng.ts';
import { MS_PER_YEAR } from './units.ts';

export type TakerDirection = 'buy' | 'sell';

export interface TakerOrder {
  readonly instrumentName: string;
  readonly direction: TakerDirection;
  readonly amount: number;
  readonly limitPrice: number;
  readonly timeInForce: 'immediate_or_cancel';
  /** When the order arrived (within the interval the caller asked about). */
  readonly tsMs: number;
  /** True when the taker knew the theo (diagnostics; the exchange does not need it). */
  readonly informed: boolean;
}

/** The best bid and ask resting on an instrument's book. */
export interface Touch {
  readonly bid?: number;
  readonly ask?: number;
}

export type TouchOf = (instrumentName: string) => Touch;

/** How far uninformed option takers reach into the book (module comment). */
export type TakerReach =
  | { readonly kind: 'touch' }
  | {
      readonly kind: 'exponential';
      /** Decay of the reach distribution, per vol point (calibration's k). */
      readonly kPerVolPt: number;
      /** Every order reaches at least this far from the mid, vol points. */
      readonly floorVolPts: number;
      /** IOC size of a sweeping order, in lots. */
      readonly sweepLots: number;
    };

export interface TakerParams {
  readonly informedShare: number;
  readonly informedEdgeVolPts: number;
  readonly informedEdgeBps: number;
  readonly informedMinEdgeTicks: number;
  readonly uninformedMaxTicksThrough: number;
  /** Pareto shape of trade sizes (smaller = heavier tail). */
  readonly sizeAlphaShape: number;
  readonly optionLotsMax: number;
  readonly futureNotionalUsdMin: number;
  readonly futureNotionalUsdMax: number;
  readonly moneynessWidthSd: number;
  readonly expiryScaleDays: number;
  /** Arrivals per stream and call beyond this are dropped (a caller that slept for hours). */
  readonly maxArrivalsPerCall: number;
  readonly reach: TakerReach;
}

export const DEFAULT_TAKER_PARAMS: TakerParams = {
  informedShare: 0.3,
  informedEdgeVolPts: 0.5,
  informedEdgeBps: 1,
  informedMinEdgeTicks: 1,
  uninformedMaxTicksThrough: 3,
  sizeAlphaShape: 1.3,
  optionLotsMax: 500,
  futureNotionalUsdMin: 1_000,
  futureNotionalUsdMax: 2_000_000,
  moneynessWidthSd: 1,
  expiryScaleDays: 7,
  maxArrivalsPerCall: 2_000,
  reach: { kind: 'touch' },
};

/**
 * The intensity λ(δ) = A·e^{−kδ} (δ in vol points from the mid, δ ≥ the floor) of option orders
 * that the exponential reach model produces at `optionTradesPerSec` arrivals: only the uninformed
 * reach. Undefined under the touch model, which has no such law.
 */
export function takerReachIntensity(optionTradesPerSec: number, params: TakerParams = DEFAULT_TAKER_PARAMS): { readonly a: number; readonly k: number; readonly floorVolPts: number } | undefined {
  const reach = params.reach;
  if (reach.kind !== 'exponential') return undefined;
  return { a: optionTradesPerSec * (1 - params.informedShare) * Math.exp(reach.kPerVolPt * reach.floorVolPts), k: reach.kPerVolPt, floorVolPts: reach.floorVolPts };
}

/** Arrival times in (fromMs, toMs] of a Poisson process with ratePerSec, at most maxCount. */
export function arrivalTimes(fromMs: number, toMs: number, ratePerSec: number, rng: Rng, maxCount: number): number[] {
  const times: number[] = [];
  if (!(ratePerSec > 0) || !(toMs > fromMs)) return times;
  const ratePerMs = ratePerSec / 1000;
  let t = fromMs + rng.exponential(ratePerMs);
  while (t <= toMs && times.length < maxCount) {
    times.push(t);
    t += rng.exponential(ratePerMs);
  }
  return times;
}

/** Relative arrival weight of an option (module comment). */
export function optionFlowWeight(stdMoneyness: number, expiryYears: number, params: TakerParams = DEFAULT_TAKER_PARAMS): number {
  const z = stdMoneyness / params.moneynessWidthSd;
  const days = (expiryYears * MS_PER_YEAR) / 86_400_000;
  return Math.exp(-0.5 * z * z) / (1 + Math.max(0, days) / params.expiryScaleDays);
}

/** Draws indices in proportion to non-negative weights (binary search on the cumulative sum). */
export class WeightedPicker {
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(weights: ArrayLike<number>) {
    this.#cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      total += w > 0 && Number.isFinite(w) ? w : 0;
      this.#cumulative[i] = total;
    }
    this.#total = total;
  }

  get empty(): boolean {
    return !(this.#total > 0);
  }

  /** An index with probability weight/total; -1 when every weight is zero. */
  pick(rng: Rng): number {
    if (this.empty) return -1;
    const target = rng.next() * this.#total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** A taker's size: options in lots of minTradeAmount, futures from a USD notional. */
export function takerAmount(instrument: SimInstrument, rng: Rng, params: TakerParams = DEFAULT_TAKER_PARAMS): number {
  const lots =
    instrument.kind === 'option'
      ? Math.round(rng.pareto(params.sizeAlphaShape, 1, params.optionLotsMax))
      : Math.round(rng.pareto(params.sizeAlphaShape, params.futureNotionalUsdMin, params.futureNotionalUsdMax) / instrument.minTradeAmount);
  return lotsToAmount(instrument, Math.max(1, lots));
}

/** The informed taker's edge threshold, in price (module comment). */
export function informedEdge(instrument: SimInstrument, theo: number, vegaCoinPerVolPt: number, params: TakerParams = DEFAULT_TAKER_PARAMS): number {
  const minEdge = params.informedMinEdgeTicks * tickSizeAt(instrument, Math.max(theo, 0));
  const modelEdge = instrument.kind === 'option' ? params.informedEdgeVolPts * vegaCoinPerVolPt : (params.informedEdgeBps * theo) / 10_000;
  return Math.max(minEdge, modelEdge);
}

export interface TakerDecisionInput {
  readonly instrument: SimInstrument;
  /** True theo: coin for options, USD for futures. */
  readonly theo: number;
  /** Edge threshold in price (informedEdge). */
  readonly edge: number;
  readonly touch: Touch;
  readonly informed: boolean;
  readonly amount: number;
  readonly tsMs: number;
  /** Options: coin per vol point (vegaUsd / forward); the exponential reach needs it. */
  readonly vegaCoinPerVolPt?: number;
}

/**
 * The order one arriving taker sends, or undefined when it does not trade. Draws from rng only
 * for the uninformed (direction, then how far through the touch or how far it reaches).
 */
export function decideTakerOrder(input: TakerDecisionInput, rng: Rng, params: TakerParams = DEFAULT_TAKER_PARAMS): TakerOrder | undefined {
  const { instrument, theo, edge, touch, informed, amount, tsMs } = input;
  const order = (direction: TakerDirection, limitPrice: number, size = amount): TakerOrder => ({
    instrumentName: instrument.instrumentName,
    direction,
    amount: size,
    limitPrice,
    timeInForce: 'immediate_or_cancel',
    tsMs,
    informed,
  });

  if (informed) {
    const buyEdge = touch.ask !== undefined ? theo - edge - touch.ask : -Infinity;
    const sellEdge = touch.bid !== undefined ? touch.bid - (theo + edge) : -Infinity;
    if (buyEdge > 0 && buyEdge >= sellEdge) return order('buy', floorToGrid(instrument, theo - edge));
    if (sellEdge > 0) return order('sell', ceilToGrid(instrument, theo + edge));
    return undefined;
  }

  const direction: TakerDirection = rng.next() < 0.5 ? 'buy' : 'sell';
  const reach = params.reach;
  if (reach.kind === 'exponential' && instrument.kind === 'option') return reachOrder(input, direction, reach, rng, order);
  const through = rng.int(params.uninformedMaxTicksThrough + 1);
  if (direction === 'buy') {
    if (touch.ask === undefined) return undefined;
    let limit = ceilToGrid(instrument, touch.ask);
    for (let i = 0; i < through; i++) limit = tickAbove(instrument, limit);
    return order('buy', limit);
  }
  if (touch.bid === undefined) return undefined;
  let limit = floorToGrid(instrument, touch.bid);
  for (let i = 0; i < through; i++) {
    const lower = tickBelow(instrument, limit);
    if (!(lower > 0)) break;
    limit = lower;
  }
  if (!(limit > 0)) return undefined;
  return order('sell', limit);
}

/** The exponential reach model's order (module comment); undefined when its limit does not cross. */
function reachOrder(
  input: TakerDecisionInput,
  direction: TakerDirection,
  reach: Extract<TakerReach, { kind: 'exponential' }>,
  rng: Rng,
  order: (direction: TakerDirection, limitPrice: number, amount?: number) => TakerOrder,
): TakerOrder | undefined {
  const { instrument, touch } = input;
  // Drawn before looking at the book, so the reaches do not depend on the book's state.
  const depthVolPts = reach.floorVolPts + rng.exponential(reach.kPerVolPt);
  const vega = input.vegaCoinPerVolPt ?? 0;
  if (touch.bid === undefined || touch.ask === undefined || !(vega > 0)) return undefined;
  const mid = (touch.bid + touch.ask) / 2;
  const amount = lotsToAmount(instrument, reach.sweepLots);
  if (direction === 'buy') {
    const limit = nearestGrid(instrument, mid + depthVolPts * vega);
    return limit >= touch.ask ? order('buy', limit, amount) : undefined;
  }
  // Reaching below zero sweeps every bid: the lowest price there is.
  const limit = Math.max(instrument.tickSize, nearestGrid(instrument, mid - depthVolPts * vega));
  return limit <= touch.bid ? order('sell', limit, amount) : undefined;
}
