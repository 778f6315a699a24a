import { L2Book } from '../marketdata/l2-book.ts';
import { tickSizeAt } from '../model/ticks.ts';
import type { InstrumentRow } from '../protocol/index.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import type { MarketTrade } from './frame-decoder.ts';

/**
 * Calibration of the quoting inputs from a recording (pure: events in, estimates out; the file
 * reading is in calibrate.ts).
 *
 * 1. Order-arrival intensity against distance from mid (Avellaneda–Stoikov, Guéant):
 *
 *      λ(δ) = A·exp(−k·δ)   = the rate (per second, all options of the recording together) of
 *                              taker orders that reach at least δ away from the option's mid.
 *
 *    δ is measured in **vol points**: |worst price of the taker order − book mid| / vega per vol
 *    point (coin), the unit of the quoter's width (`baseHalfWidthVolPts`, `levelSpacingVolPts`),
 *    so one k serves every strike and expiry. Vega in coin is the ticker's USD vega over its
 *    underlying_price, the forward that converts the option's USD value into its coin premium
 *    (over the index instead, every depth would shrink by e^{carry·T}: 1.5 % at 90 days). The
 *    same fit is also done in price ticks (what a tick-constrained wing quote sees). One taker
 *    order that sweeps several levels prints several trades with one timestamp: they are grouped
 *    (instrument, side, timestamp) and the order's depth is its furthest print. The mid is the
 *    book's as of the last update strictly before the trade (a book update stamped with the
 *    trade's own time already shows the trade's effect).
 *
 *    Estimator: maximum likelihood on binned depths. With bins of width h from δmin, the last one
 *    open, a depth's bin index is a right-censored geometric variable with q = e^{−kh}; the
 *    likelihood S·ln q + M·ln(1−q) (S = Σ bin indices, M = orders not in the open bin) has the
 *    closed form q̂ = S/(S+M), k̂ = −ln q̂ / h, observed information S/q² + M/(1−q)². The order
 *    count N is Poisson and independent of the depths, so Â = (N/T)·e^{k̂·δmin} with
 *    var(ln Â) = 1/N + δmin²·var(k̂). A χ² of the binned counts against the fit says whether the
 *    exponential shape holds.
 *
 *    Depths on the price grid: a print says only that the order reached to within half a grid step
 *    of it (the step at the print, in vol points: tick / vega), so in the vol-point fit each order
 *    counts spread evenly over that step (its share beyond δmin in each bin). Counted as a point,
 *    the depths form a lattice — (j + ½)·step from a mid between two grid prices, as on a one-tick
 *    market — and where that lattice lines up with the bin edges (near the money every option's
 *    step is about the same number of vol points) the fit's threshold and edges move by a fraction
 *    of a step all in one direction: on the simulator's depth ladder, ATM steps of 0.25–0.28 vol pt
 *    against bins of 0.5 from 1.25 put Â 1.5 % and k̂ 0.6 % low. Spread, what is left is of second
 *    order: an exponential falls within a step, so spreading evenly moves depths out by about
 *    k·step²/12 and Â up by (k·step)²/12 (0.15 % there, 2 % at k·step = 0.5). Spread counts are
 *    smoother than Poisson ones, so the χ² runs below its degrees of freedom (about two thirds of
 *    them there): read it as a bound on a bad shape. The fit in ticks counts points: its bins are
 *    whole ticks.
 *
 *    How it maps to quoting: a risk-neutral quoter (γ → 0) facing λ(δ) earns δ·A·e^{−kδ} per
 *    second per side, maximised at δ* = 1/k; with risk aversion γ (per vol point) Guéant's
 *    half-width is (1/γ)·ln(1 + γ/k) + an inventory term. So `baseHalfWidthVolPts` ≈ 1/k before
 *    adverse selection, and A·e^{−k·h} is the fill rate to expect at half-width h.
 *
 * 2. Realised vol of the index: log returns on a regular grid (last value in each interval),
 *    annualised, σ̂ = √(Σr²/T) with standard error σ̂/√(2n).
 *
 * 3. Vol-of-vol: changes of ATM implied vol (the mark IV of the call whose delta is nearest 0.5,
 *    in the expiry nearest `atmTargetDays`), sampled on a grid, annualised, in vol points per
 *    √year. The uncertainty input of the quoting width over a horizon τ years is
 *    volOfVolPtsAnnual·√τ (`uncertaintyWidthFactor` × that adds to the half-width).
 */

const MS_PER_YEAR = 365.25 * 86_400_000;

export interface CalibrationOptions {
  /** Bin width of the depth histogram, vol points. */
  readonly binVolPts: number;
  /** Bin width in ticks. */
  readonly binTicks: number;
  /** Number of bins (the last is open). */
  readonly bins: number;
  /** Depths below this are left out of the fit (vol points; ticks use 0). */
  readonly minDepthVolPts: number;
  /** Grid of the realised-vol returns. */
  readonly rvSampleMs: number;
  /** Grid of the ATM IV changes. */
  readonly volOfVolSampleMs: number;
  readonly atmTargetDays: number;
  /** Options with less vega than this (USD per vol pt) are skipped: δ in vol points is ill-defined. */
  readonly minVegaUsd: number;
}

export const DEFAULT_CALIBRATION_OPTIONS: CalibrationOptions = {
  binVolPts: 0.25,
  binTicks: 1,
  bins: 40,
  minDepthVolPts: 0,
  rvSampleMs: 1_000,
  volOfVolSampleMs: 10_000,
  atmTargetDays: 30,
  minVegaUsd: 1,
};

export interface IntensityFit {
  /** Orders per second reaching at least δ = 0 (the fit extrapolated from δmin). */
  readonly a: number;
  readonly aStdErr: number;
  /** Decay per unit of δ (per vol point, or per tick). */
  readonly k: number;
  readonly kStdErr: number;
  /** Orders in the fit (rounded: an order spread over its grid step counts its share beyond minDepth) and the observation time. */
  readonly orders: number;
  readonly durationSec: number;
  readonly minDepth: number;
  readonly binWidth: number;
  /** λ̂(δⱼ) = orders reaching δⱼ per second, its Poisson standard error, and the fit there. */
  readonly curve: readonly { readonly depth: number; readonly ratePerSec: number; readonly stdErr: number; readonly fitted: number }[];
  /** χ² of the binned counts (bins with expected ≥ 5) and its degrees of freedom. */
  readonly chiSquare: number;
  readonly degreesOfFreedom: number;
}

/**
 * Fits λ(δ) = A·e^{−kδ} to the depths of `durationSec` seconds of orders (module comment). With
 * `steps`, depth i is known to within steps[i]/2 (a grid step) and counts spread evenly over
 * [max(0, depth − step/2), depth + step/2]. Undefined when there is nothing to fit (no orders, or
 * every order in the first or the open bin).
 */
export function fitIntensity(depths: readonly number[], durationSec: number, binWidth: number, bins: number, minDepth = 0, steps?: readonly number[]): IntensityFit | undefined {
  if (!(durationSec > 0) || !(binWidth > 0) || bins < 2) return undefined;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < depths.length; i++) {
    const d = depths[i]!;
    const step = steps?.[i] ?? 0;
    if (step > 0 && Number.isFinite(step)) spreadOverBins(counts, Math.max(0, d - step / 2), d + step / 2, binWidth, minDepth);
    else if (d >= minDepth) counts[Math.min(bins - 1, Math.floor((d - minDepth) / binWidth + 1e-9))]! += 1;
  }
  const n = counts.reduce((a, b) => a + b, 0);
  const open = counts[bins - 1]!;
  let s = 0;
  for (let j = 0; j < bins; j++) s += j * counts[j]!;
  const m = n - open;
  if (!(n > 0) || !(s > 0) || !(m > 0)) return undefined;
  const q = s / (s + m);
  const k = -Math.log(q) / binWidth;
  const infoQ = s / (q * q) + m / ((1 - q) * (1 - q));
  const kStdErr = Math.sqrt(1 / infoQ) / (binWidth * q);
  const a = (n / durationSec) * Math.exp(k * minDepth);
  const aStdErr = a * Math.sqrt(1 / n + minDepth * minDepth * kStdErr * kStdErr);
  const curve = [];
  let reaching = n;
  let chiSquare = 0;
  let used = 0;
  for (let j = 0; j < bins; j++) {
    const depth = minDepth + j * binWidth;
    const fitted = a * Math.exp(-k * depth);
    curve.push({ depth, ratePerSec: reaching / durationSec, stdErr: Math.sqrt(reaching) / durationSec, fitted });
    const expected = j === bins - 1 ? fitted * durationSec : (fitted - a * Math.exp(-k * (depth + binWidth))) * durationSec;
    if (expected >= 5) {
      chiSquare += (counts[j]! - expected) ** 2 / expected;
      used += 1;
    }
    reaching -= counts[j]!;
  }
  return { a, aStdErr, k, kStdErr, orders: Math.round(n), durationSec, minDepth, binWidth, curve, chiSquare, degreesOfFreedom: Math.max(0, used - 2) };
}

/** Adds one order spread evenly over [lo, hi) to the bins (width binWidth from minDepth, the last open). */
function spreadOverBins(counts: number[], lo: number, hi: number, binWidth: number, minDepth: number): void {
  if (!(hi > lo) || !(hi > minDepth)) return;
  const last = counts.length - 1;
  for (let j = Math.min(last, Math.max(0, Math.floor((lo - minDepth) / binWidth))); j <= last; j++) {
    const from = minDepth + j * binWidth;
    const to = j === last ? Infinity : from + binWidth;
    const overlap = Math.min(hi, to) - Math.max(lo, from);
    if (overlap > 0) counts[j]! += overlap / (hi - lo);
    if (to >= hi) return;
  }
}

export interface VolEstimate {
  readonly value: number;
  readonly stdErr: number;
  readonly samples: number;
  readonly sampleMs: number;
}

/** Annualised realised vol of a series sampled on a regular grid of `sampleMs` (last value per cell). */
export function realisedVol(series: readonly { readonly tsMs: number; readonly value: number }[], sampleMs: number): VolEstimate | undefined {
  const grid = onGrid(series, sampleMs);
  let sum = 0;
  let n = 0;
  for (let i = 1; i < grid.length; i++) {
    const a = grid[i - 1]!;
    const b = grid[i]!;
    if (!(a > 0) || !(b > 0)) continue;
    const r = Math.log(b / a);
    sum += r * r;
    n += 1;
  }
  if (n < 2) return undefined;
  const value = Math.sqrt(sum / (n * (sampleMs / MS_PER_YEAR)));
  return { value, stdErr: value / Math.sqrt(2 * n), samples: n, sampleMs };
}

/** Annualised standard deviation of the changes of a series (in the series' own units per √year). */
export function changeVol(series: readonly { readonly tsMs: number; readonly value: number }[], sampleMs: number): VolEstimate | undefined {
  const grid = onGrid(series, sampleMs);
  const changes: number[] = [];
  for (let i = 1; i < grid.length; i++) {
    const a = grid[i - 1]!;
    const b = grid[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) changes.push(b - a);
  }
  if (changes.length < 2) return undefined;
  // Driftless over a short sample: the root mean square, like realisedVol.
  const value = Math.sqrt(changes.reduce((acc, c) => acc + c * c, 0) / changes.length / (sampleMs / MS_PER_YEAR));
  return { value, stdErr: value / Math.sqrt(2 * changes.length), samples: changes.length, sampleMs };
}

/** The last value in each `sampleMs` cell from the first point; NaN for an empty cell before any value. */
function onGrid(series: readonly { readonly tsMs: number; readonly value: number }[], sampleMs: number): number[] {
  if (series.length === 0 || !(sampleMs > 0)) return [];
  const t0 = series[0]!.tsMs;
  const cells = Math.floor((series[series.length - 1]!.tsMs - t0) / sampleMs) + 1;
  const grid = new Array<number>(cells).fill(NaN);
  for (const p of series) grid[Math.floor((p.tsMs - t0) / sampleMs)] = p.value;
  for (let i = 1; i < cells; i++) if (Number.isNaN(grid[i]!)) grid[i] = grid[i - 1]!;
  // The last cell is usually partial: leave it out.
  return grid.slice(0, cells - 1);
}

export interface TakerOrderDepth {
  readonly instrumentName: string;
  readonly direction: 'buy' | 'sell';
  readonly tsMs: number;
  readonly depthVolPts: number;
  /** The price grid's step at the furthest print, vol points: the order reached to within half of it of that print. */
  readonly stepVolPts: number;
  readonly depthTicks: number;
}

export interface CalibrationResult {
  readonly firstTsMs: number;
  readonly lastTsMs: number;
  readonly durationSec: number;
  readonly intensityVolPts?: IntensityFit;
  readonly intensityTicks?: IntensityFit;
  /** 1/k: the risk-neutral half-width, vol points (module comment). */
  readonly suggestedHalfWidthVolPts?: number;
  readonly realisedVol?: VolEstimate & { readonly currency: string };
  readonly volOfVolPtsAnnual?: VolEstimate & { readonly instrumentExpiryDays: number };
  readonly counts: {
    readonly optionTrades: number;
    readonly takerOrders: number;
    /** Orders skipped: no two-sided book, no ticker, or too little vega. */
    readonly skippedNoBook: number;
    readonly skippedNoVega: number;
  };
}

interface Mids {
  prev: number;
  cur: number;
  curTsMs: number;
}

/**
 * Collects what calibration needs from decoded events and public trades, in recording order.
 * No I/O: calibrate.ts feeds it from disk, tests feed it by hand.
 */
export class CalibrationCollector {
  readonly #options: CalibrationOptions;
  readonly #instruments = new Map<string, InstrumentRow>();
  readonly #books = new Map<string, L2Book>();
  readonly #mids = new Map<string, Mids>();
  /** USD per vol point and coin per vol point (module comment). */
  readonly #vega = new Map<string, { readonly usd: number; readonly coin: number }>();
  readonly #calls = new Map<string, { iv: number; delta: number; expiryMs: number }>();
  readonly #index: { tsMs: number; value: number }[] = [];
  readonly #atmIv: { tsMs: number; value: number }[] = [];
  #indexCurrency: string | undefined;
  #atmExpiryMs: number | undefined;
  readonly #orders = new Map<string, TakerOrderDepth>();
  #firstTsMs = Infinity;
  #lastTsMs = -Infinity;
  #lastAtmSampleMs = -Infinity;
  #optionTrades = 0;
  #skippedNoBook = 0;
  #skippedNoVega = 0;

  constructor(options: Partial<CalibrationOptions> = {}) {
    this.#options = { ...DEFAULT_CALIBRATION_OPTIONS, ...options };
  }

  #seen(tsMs: number): void {
    if (tsMs < this.#firstTsMs) this.#firstTsMs = tsMs;
    if (tsMs > this.#lastTsMs) this.#lastTsMs = tsMs;
  }

  event(event: VenueEvent): void {
    switch (event.type) {
      case 'InstrumentsListed':
        for (const row of event.instruments) this.#instruments.set(row.instrumentName, row);
        return;
      case 'BookSnapshot':
      case 'BookChanged': {
        let book = this.#books.get(event.instrumentName);
        if (!book) this.#books.set(event.instrumentName, (book = new L2Book(event.instrumentName)));
        if (event.type === 'BookSnapshot') book.applySnapshot(event.changeId, event.bids, event.asks, event.tsMs);
        else book.applyChange(event.prevChangeId, event.changeId, event.bids, event.asks, event.tsMs);
        this.#seen(event.tsMs);
        const bid = book.bestBidTicks();
        const ask = book.bestAskTicks();
        const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : NaN;
        const mids = this.#mids.get(event.instrumentName);
        if (!mids) this.#mids.set(event.instrumentName, { prev: NaN, cur: mid, curTsMs: event.tsMs });
        else {
          if (event.tsMs > mids.curTsMs) mids.prev = mids.cur;
          mids.cur = mid;
          mids.curTsMs = event.tsMs;
        }
        return;
      }
      case 'TickerUpdated': {
        const t = event.ticker;
        this.#seen(t.tsMs);
        if (t.vegaUsd !== undefined && t.underlyingPrice !== undefined && t.underlyingPrice > 0) this.#vega.set(t.instrumentName, { usd: t.vegaUsd, coin: t.vegaUsd / t.underlyingPrice });
        const row = this.#instruments.get(t.instrumentName);
        if (row?.kind === 'option' && row.optionType === 'call' && t.markIv !== undefined && t.delta !== undefined && row.expiryMs > 0) {
          this.#calls.set(t.instrumentName, { iv: t.markIv, delta: t.delta, expiryMs: row.expiryMs });
        }
        if (t.tsMs - this.#lastAtmSampleMs >= this.#options.volOfVolSampleMs / 10) this.#sampleAtm(t.tsMs);
        return;
      }
      case 'IndexUpdated': {
        const { currency, price, tsMs } = event.index;
        this.#indexCurrency ??= currency;
        if (currency === this.#indexCurrency && price > 0) {
          this.#index.push({ tsMs, value: price });
          this.#seen(tsMs);
        }
        return;
      }
      default:
        return;
    }
  }

  /** ATM IV now: the call with delta nearest 0.5 in the expiry fixed at the first sample. */
  #sampleAtm(tsMs: number): void {
    this.#lastAtmSampleMs = tsMs;
    if (this.#atmExpiryMs === undefined) {
      const target = tsMs + this.#options.atmTargetDays * 86_400_000;
      let best: number | undefined;
      for (const c of this.#calls.values()) if (c.expiryMs > tsMs + 86_400_000 && (best === undefined || Math.abs(c.expiryMs - target) < Math.abs(best - target))) best = c.expiryMs;
      this.#atmExpiryMs = best;
      if (best === undefined) return;
    }
    let iv: number | undefined;
    let distance = Infinity;
    for (const c of this.#calls.values()) {
      if (c.expiryMs !== this.#atmExpiryMs) continue;
      const d = Math.abs(c.delta - 0.5);
      if (d < distance) {
        distance = d;
        iv = c.iv;
      }
    }
    if (iv !== undefined && iv > 0) this.#atmIv.push({ tsMs, value: iv });
  }

  trade(trade: MarketTrade): void {
    const row = this.#instruments.get(trade.instrumentName);
    if (row?.kind !== 'option') return;
    this.#optionTrades += 1;
    this.#seen(trade.tsMs);
    const mids = this.#mids.get(trade.instrumentName);
    const midTicks = mids === undefined ? NaN : mids.curTsMs < trade.tsMs ? mids.cur : mids.prev;
    const key = `${trade.instrumentName}|${trade.direction}|${trade.tsMs}`;
    if (Number.isNaN(midTicks)) {
      if (!this.#orders.has(key)) this.#skippedNoBook += 1;
      return;
    }
    const vega = this.#vega.get(trade.instrumentName);
    if (vega === undefined || !(vega.usd >= this.#options.minVegaUsd)) {
      if (!this.#orders.has(key)) this.#skippedNoVega += 1;
      return;
    }
    // Signed the taker's way: a buy above the mid, a sell below it, is positive depth.
    const depthTicks = Math.max(0, trade.direction === 'buy' ? trade.priceTicks - midTicks : midTicks - trade.priceTicks);
    const depthVolPts = (depthTicks * row.tickSize) / vega.coin;
    const stepVolPts = tickSizeAt(row, trade.price) / vega.coin;
    const previous = this.#orders.get(key);
    if (!previous || depthTicks > previous.depthTicks) this.#orders.set(key, { instrumentName: trade.instrumentName, direction: trade.direction, tsMs: trade.tsMs, depthVolPts, stepVolPts, depthTicks });
  }

  get orders(): readonly TakerOrderDepth[] {
    return [...this.#orders.values()];
  }

  result(): CalibrationResult {
    const o = this.#options;
    const durationSec = Number.isFinite(this.#firstTsMs) ? (this.#lastTsMs - this.#firstTsMs) / 1000 : 0;
    const orders = this.orders;
    const intensityVolPts = fitIntensity(
      orders.map((x) => x.depthVolPts),
      durationSec,
      o.binVolPts,
      o.bins,
      o.minDepthVolPts,
      orders.map((x) => x.stepVolPts),
    );
    const intensityTicks = fitIntensity(
      orders.map((x) => x.depthTicks),
      durationSec,
      o.binTicks,
      o.bins,
      0,
    );
    const rv = realisedVol(this.#index, o.rvSampleMs);
    const vov = changeVol(
      this.#atmIv.map((p) => ({ tsMs: p.tsMs, value: p.value * 100 })),
      o.volOfVolSampleMs,
    );
    return {
      firstTsMs: this.#firstTsMs,
      lastTsMs: this.#lastTsMs,
      durationSec,
      ...(intensityVolPts && { intensityVolPts, suggestedHalfWidthVolPts: 1 / intensityVolPts.k }),
      ...(intensityTicks && { intensityTicks }),
      ...(rv && { realisedVol: { ...rv, currency: this.#indexCurrency ?? '' } }),
      ...(vov && this.#atmExpiryMs !== undefined && { volOfVolPtsAnnual: { ...vov, instrumentExpiryDays: (this.#atmExpiryMs - this.#firstTsMs) / 86_400_000 } }),
      counts: { optionTrades: this.#optionTrades, takerOrders: orders.length, skippedNoBook: this.#skippedNoBook, skippedNoVega: this.#skippedNoVega },
    };
  }
}
