/**
 * Scenario grid: the book's PnL, per underlying, over spot shocks × parallel vol shocks, by full
 * revaluation (Black-76 for options, exact inverse payoff for futures), not by Greeks. Pure.
 *
 * A spot shock s moves every forward of the underlying (and the perpetual's price) by the same
 * factor 1 + s; a vol shock of v points adds v/100 to every option's volatility (floored at 0). An
 * optional horizon lets time pass too (theta included); the default is an instantaneous shock.
 *
 * PnL is measured from the current mark in two numeraires, which are not conversions of each other:
 *   pnlUsd   change of the positions' USD value: q·(B′ − B) for q coin of an option (B the Black
 *            USD price), N·(F′/F − 1) for N USD of an inverse future (its coin PnL valued at F′);
 *            consistent with the Black delta of greeks.ts.
 *   pnlCoin  change of their coin value: q·(B′/F′ − B/F) for options, N·(1/F − 1/F′) for futures;
 *            consistent with the premium-adjusted delta (a coin-margined account's view).
 * Working orders, when included, fill at their prices before the shock: an option bought at p coin
 * costs p coin (p·F USD at today's forward), a future bought at P gains N·(1/P − 1/F′) coin, so the
 * zero-shock cell then shows the edge of those fills against the current mark.
 *
 * Speed: a cell costs one exp and two rational functions per option (blackUsd); ~1,000 options on
 * a 9×9 grid take a few milliseconds (scenarios.test.ts logs the time).
 */
import { erfc, erfcx } from '../pricing/index.ts';
import type { InstrumentRow } from '../protocol/state.ts';
import type { PricingInputs, RiskPosition, WorkingOrder } from './greeks.ts';
import { canPrice } from './greeks.ts';

/** k·maxAbs/steps for k = −steps … steps: symmetric, with an exact 0 in the middle. */
export function symmetricShocks(maxAbs: number, stepsEachSide: number): number[] {
  const out: number[] = [];
  for (let k = -stepsEachSide; k <= stepsEachSide; k++) out.push((k * maxAbs) / stepsEachSide);
  return out;
}

/** −20 % … +20 % in steps of 5 %. */
export const DEFAULT_SPOT_SHOCKS: readonly number[] = symmetricShocks(0.2, 4);
/** −20 … +20 vol points in steps of 5. */
export const DEFAULT_VOL_SHOCKS_PTS: readonly number[] = symmetricShocks(20, 4);

export interface ScenarioOptions {
  /** Relative moves of the underlying, −0.2 = −20 % (each > −1). */
  readonly spotShocks?: readonly number[];
  /** Parallel volatility moves in vol points, 5 = +5 % (0.55 → 0.60). */
  readonly volShocksPts?: readonly number[];
  /** Calendar days to let pass before revaluing (default 0). */
  readonly horizonDays?: number;
  /** Working orders to fill at their prices first: every bid, every ask, or both. */
  readonly working?: {
    readonly orders: readonly WorkingOrder[];
    readonly instruments: Readonly<Record<string, InstrumentRow>>;
    readonly sides: 'bids' | 'asks' | 'both';
  };
}

export interface ScenarioGrid {
  readonly currency: string;
  readonly spotShocks: readonly number[];
  readonly volShocksPts: readonly number[];
  /** pnlUsd[i][j]: spot shock i, vol shock j. */
  readonly pnlUsd: readonly (readonly number[])[];
  /** In the underlying's coin. */
  readonly pnlCoin: readonly (readonly number[])[];
}

export interface ScenarioResult {
  /** One grid per underlying with something to revalue, sorted by currency. */
  readonly grids: readonly ScenarioGrid[];
  /** Instruments (positions or included orders) that could not be priced and are left out. */
  readonly unpriced: readonly string[];
}

interface OptionLeg {
  readonly size: number;
  readonly forwardUsd: number;
  readonly strike: number;
  readonly expiryYears: number;
  readonly volAnnual: number;
  readonly isCall: boolean;
  /** Fill price in coin; undefined for a position (valued at the current mark). */
  readonly fillPriceCoin: number | undefined;
}

interface FutureLeg {
  readonly sizeUsd: number;
  readonly forwardUsd: number;
  /** The price the PnL runs from: the current mark for a position, the fill price for an order. */
  readonly entryUsd: number;
}

interface Book {
  readonly options: OptionLeg[];
  readonly futures: FutureLeg[];
}

function validate(spot: readonly number[], vol: readonly number[], horizonDays: number): void {
  for (const s of spot) if (!(s > -1 && s < Infinity)) throw new RangeError(`spot shock ${s} must be a finite number above −1`);
  for (const v of vol) if (!Number.isFinite(v)) throw new RangeError(`vol shock ${v} must be finite`);
  if (!(horizonDays >= 0 && horizonDays < Infinity)) throw new RangeError(`horizonDays ${horizonDays} must be non-negative`);
}

export function scenarioGrid(positions: readonly RiskPosition[], pricing: PricingInputs, options: ScenarioOptions = {}): ScenarioResult {
  const spotShocks = options.spotShocks ?? DEFAULT_SPOT_SHOCKS;
  const volShocksPts = options.volShocksPts ?? DEFAULT_VOL_SHOCKS_PTS;
  const horizonDays = options.horizonDays ?? 0;
  validate(spotShocks, volShocksPts, horizonDays);

  const books = new Map<string, Book>();
  const unpriced = new Set<string>();
  const add = (instrument: InstrumentRow, size: number, fillPrice: number | undefined) => {
    if (size === 0) return;
    const input = pricing[instrument.instrumentName];
    if (!canPrice(instrument, input)) {
      unpriced.add(instrument.instrumentName);
      return;
    }
    let book = books.get(instrument.currency);
    if (!book) books.set(instrument.currency, (book = { options: [], futures: [] }));
    if (instrument.kind === 'future') {
      book.futures.push({ sizeUsd: size, forwardUsd: input.forwardUsd, entryUsd: fillPrice ?? input.forwardUsd });
    } else {
      book.options.push({
        size,
        forwardUsd: input.forwardUsd,
        strike: instrument.strike!,
        expiryYears: input.expiryYears!,
        volAnnual: input.volAnnual!,
        isCall: instrument.optionType === 'call',
        fillPriceCoin: fillPrice,
      });
    }
  };
  for (const p of positions) add(p.instrument, p.size, undefined);
  const working = options.working;
  if (working) {
    for (const order of working.orders) {
      const wanted = working.sides === 'both' || (working.sides === 'bids') === (order.side === 'buy');
      if (!wanted) continue;
      const instrument = working.instruments[order.instrumentName];
      if (!instrument) unpriced.add(order.instrumentName);
      else add(instrument, order.side === 'buy' ? order.amount : -order.amount, order.price);
    }
  }

  const grids: ScenarioGrid[] = [];
  for (const currency of [...books.keys()].sort()) {
    const { pnlUsd, pnlCoin } = revalue(books.get(currency)!, spotShocks, volShocksPts, horizonDays);
    grids.push({ currency, spotShocks: [...spotShocks], volShocksPts: [...volShocksPts], pnlUsd, pnlCoin });
  }
  return { grids, unpriced: [...unpriced].sort() };
}

// Below this |u| erfc needs no exp, above it erfcx needs none (core/pricing/normal.ts
// ERF_SMALL_LIMIT); another value would only be slower, not wrong.
const ERF_SMALL_LIMIT = 0.46875;

/** Φ(z) given e = exp(−z²/2): the tail is e·erfcx(|z|/√2)/2, so Black's two Φ share one exp. */
function normCdfGivenPdf(z: number, expHalfSquare: number): number {
  const u = -z * Math.SQRT1_2;
  if (Math.abs(u) <= ERF_SMALL_LIMIT) return 0.5 * erfc(u);
  const tail = 0.5 * expHalfSquare * erfcx(Math.abs(u));
  return u > 0 ? tail : 1 - tail;
}

/**
 * Undiscounted Black-76 in USD from ln(F/K) and the total deviation σ√T, hoisted out of the grid
 * loops by the caller. exp(−d₂²/2) = exp(−d₁²/2)·F/K (as F·φ(d₁) = K·φ(d₂)), so a cell costs one
 * exp and two rational functions. Zero deviation (expired, or vol shocked to zero) is intrinsic.
 */
function blackUsd(forward: number, strike: number, lnForwardOverStrike: number, stdDev: number, isCall: boolean): number {
  if (!(stdDev > 0)) return isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  const d1 = lnForwardOverStrike / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  const e1 = Math.exp(-0.5 * d1 * d1);
  const e2 = (e1 * forward) / strike;
  return isCall
    ? forward * normCdfGivenPdf(d1, e1) - strike * normCdfGivenPdf(d2, e2)
    : strike * normCdfGivenPdf(-d2, e2) - forward * normCdfGivenPdf(-d1, e1);
}

function revalue(book: Book, spotShocks: readonly number[], volShocksPts: readonly number[], horizonDays: number): { pnlUsd: number[][]; pnlCoin: number[][] } {
  const legs = book.options;
  const n = legs.length;
  // Flat typed arrays: the cell loop below runs n × cells times and reads nothing else.
  const size = new Float64Array(n);
  const forward = new Float64Array(n);
  const strike = new Float64Array(n);
  const vol = new Float64Array(n);
  const isCall = new Uint8Array(n);
  const lnFk = new Float64Array(n);
  const sqrtT = new Float64Array(n);
  const stdDev = new Float64Array(n);
  const baseUsd = new Float64Array(n);
  const baseCoin = new Float64Array(n);
  const horizonYears = horizonDays / 365;
  for (let k = 0; k < n; k++) {
    const leg = legs[k]!;
    size[k] = leg.size;
    forward[k] = leg.forwardUsd;
    strike[k] = leg.strike;
    vol[k] = leg.volAnnual;
    isCall[k] = leg.isCall ? 1 : 0;
    lnFk[k] = Math.log(leg.forwardUsd / leg.strike);
    // Today's value through the same arithmetic as the cells, so the zero-shock cell of a
    // position is exactly zero.
    const today = blackUsd(leg.forwardUsd, leg.strike, lnFk[k]!, Math.max(0, leg.volAnnual + 0) * Math.sqrt(leg.expiryYears), leg.isCall);
    baseUsd[k] = leg.fillPriceCoin === undefined ? today : leg.fillPriceCoin * leg.forwardUsd;
    baseCoin[k] = leg.fillPriceCoin === undefined ? today / leg.forwardUsd : leg.fillPriceCoin;
    sqrtT[k] = Math.sqrt(Math.max(0, leg.expiryYears - horizonYears));
  }
  const lnShift = spotShocks.map((s) => Math.log(1 + s));

  // Futures do not depend on vol: one value per spot shock.
  const futUsd = spotShocks.map(() => 0);
  const futCoin = spotShocks.map(() => 0);
  for (const leg of book.futures) {
    spotShocks.forEach((s, i) => {
      const shocked = leg.forwardUsd * (1 + s);
      futUsd[i]! += leg.sizeUsd * (shocked / leg.entryUsd - 1);
      futCoin[i]! += leg.sizeUsd * (1 / leg.entryUsd - 1 / shocked);
    });
  }

  const pnlUsd = spotShocks.map(() => new Array<number>(volShocksPts.length).fill(0));
  const pnlCoin = spotShocks.map(() => new Array<number>(volShocksPts.length).fill(0));
  for (let j = 0; j < volShocksPts.length; j++) {
    const dv = volShocksPts[j]! / 100;
    for (let k = 0; k < n; k++) stdDev[k] = Math.max(0, vol[k]! + dv) * sqrtT[k]!;
    for (let i = 0; i < spotShocks.length; i++) {
      const factor = 1 + spotShocks[i]!;
      const shift = lnShift[i]!;
      let usd = 0;
      let coin = 0;
      for (let k = 0; k < n; k++) {
        const shocked = forward[k]! * factor;
        const value = blackUsd(shocked, strike[k]!, lnFk[k]! + shift, stdDev[k]!, isCall[k] === 1);
        usd += size[k]! * (value - baseUsd[k]!);
        coin += size[k]! * (value / shocked - baseCoin[k]!);
      }
      pnlUsd[i]![j] = usd + futUsd[i]!;
      pnlCoin[i]![j] = coin + futCoin[i]!;
    }
  }
  return { pnlUsd, pnlCoin };
}
