/**
 * Depth ladder: resting liquidity at every grid price from next to the theo out to a depth in vol
 * points, on both sides of each option. A background maker shows one level a side, so on its book
 * a sweeping taker prints at the touch however far it reached; on a ladder its furthest print is
 * the grid price nearest its reach (takers.ts, the exponential reach), which is what calibration
 * measures (core/backtest/calibration.ts). Off by default: the living market has no ladder; a venue
 * opts in (SimVenue's `depthLadder`, which core/backtest/sim-recording.ts sets for its recordings).
 *
 * Shape: the ladder's touch is the first grid price strictly beyond the theo on each side, so it
 * is the tightest market there is, the makers' quotes (at least a tick beyond the theo, rounded
 * outward) rest at or behind it and the mid stays within a tick of the theo. Every level is
 * `lotsPerLevel` lots; a side stops at `depthVolPts`·vega from the theo or after `maxLevels`, and
 * bids stop above zero.
 *
 * Upkeep (`update` for every option, `keep` for one): a side is rebuilt when the theo has crossed a
 * grid price (its touch moved) or when its nearest level is no longer whole. Price priority makes
 * the second test enough: no order reaches a deeper level without taking the nearest one first, so
 * a side whose nearest level is whole has not traded. Levels are placed post-only, so a stale order
 * of someone else's that the new ladder would cross refuses the level instead of trading with it.
 * A halted book is left as it is. The venue (core/sim/venue.ts, its `depthLadder` option) updates
 * the ladder before its makers requote and keeps an option's ladder right after each taker order
 * on it, so every taker meets a whole ladder and the book published at the end of a step is the
 * one the next step's takers meet.
 */
import { lotsToAmount } from '../instruments/ticks.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { ceilToGrid, floorToGrid, tickAbove, tickBelow } from './grid.ts';

export interface LadderParams {
  /** How far beyond the theo the ladder reaches, vol points. */
  readonly depthVolPts: number;
  readonly lotsPerLevel: number;
  /** At most this many levels a side: a cheap wing's vega is so small its depth would be thousands of ticks. */
  readonly maxLevels: number;
}

export const DEFAULT_LADDER_PARAMS: LadderParams = { depthVolPts: 10, lotsPerLevel: 1, maxLevels: 80 };

/** The first grid prices strictly beyond the theo: the ladder's touch (bid undefined when none is above zero). */
export function ladderTouch(instrument: SimInstrument, theoCoin: number): { readonly bid: number | undefined; readonly ask: number } {
  const up = ceilToGrid(instrument, theoCoin);
  const ask = up > theoCoin ? up : tickAbove(instrument, up);
  const down = floorToGrid(instrument, theoCoin);
  const bid = down < theoCoin ? down : tickBelow(instrument, down);
  return { bid: bid > 0 ? bid : undefined, ask: Math.max(ask, instrument.tickSize) };
}

/** The ladder's prices on each side, nearest the theo first (module comment). */
export function ladderPrices(instrument: SimInstrument, theoCoin: number, vegaCoinPerVolPt: number, params: LadderParams = DEFAULT_LADDER_PARAMS): { readonly bids: number[]; readonly asks: number[] } {
  const touch = ladderTouch(instrument, theoCoin);
  const reach = params.depthVolPts * Math.max(0, vegaCoinPerVolPt);
  const asks: number[] = [];
  for (let price = touch.ask; asks.length < params.maxLevels && (asks.length === 0 || price <= theoCoin + reach); price = tickAbove(instrument, price)) asks.push(price);
  const bids: number[] = [];
  for (let price = touch.bid ?? 0; price > 0 && bids.length < params.maxLevels && (bids.length === 0 || price >= theoCoin - reach); price = tickBelow(instrument, price)) bids.push(price);
  return { bids, asks };
}

/** The orders the ladder needs from an exchange. */
export interface LadderVenue {
  /** Rests a post-only limit order; its id, or undefined when it would have crossed or was refused. */
  place(instrumentName: string, direction: 'buy' | 'sell', price: number, amount: number): string | undefined;
  cancel(instrumentName: string, orderId: string): void;
  /** Lots of the order still resting (0 once filled or cancelled). */
  restingLots(instrumentName: string, orderId: string): number;
  /** A halted book's ladder is left as it is (none halted when omitted). */
  isHalted?(instrumentName: string): boolean;
}

/** An option to keep a ladder on: its theo (coin) and vega (coin per vol point). */
export interface LadderTheo {
  readonly instrument: SimInstrument;
  readonly theoCoin: number;
  readonly vegaCoinPerVolPt: number;
}

interface LadderSide {
  /** Price → order id, nearest first. */
  readonly levels: Map<number, string>;
  touch: number | undefined;
}

export class DepthLadder {
  readonly #venue: LadderVenue;
  readonly #params: LadderParams;
  readonly #ladders = new Map<string, { readonly bids: LadderSide; readonly asks: LadderSide }>();

  constructor(venue: LadderVenue, params: Partial<LadderParams> = {}) {
    this.#venue = venue;
    this.#params = { ...DEFAULT_LADDER_PARAMS, ...params };
  }

  /** Resting ladder orders (diagnostics). */
  get orders(): number {
    let n = 0;
    for (const ladder of this.#ladders.values()) n += ladder.bids.levels.size + ladder.asks.levels.size;
    return n;
  }

  /** Brings every option's ladder to its theo; options left out lose theirs (expired, delisted). */
  update(theos: Iterable<LadderTheo>): void {
    const seen = new Set<string>();
    for (const theo of theos) {
      seen.add(theo.instrument.instrumentName);
      this.keep(theo);
    }
    for (const [name, ladder] of this.#ladders) {
      if (seen.has(name)) continue;
      for (const orderId of [...ladder.bids.levels.values(), ...ladder.asks.levels.values()]) if (this.#venue.restingLots(name, orderId) > 0) this.#venue.cancel(name, orderId);
      this.#ladders.delete(name);
    }
  }

  /** Brings one option's ladder to its theo (refills what a taker took), leaving the others alone. */
  keep(theo: LadderTheo): void {
    const name = theo.instrument.instrumentName;
    if (this.#venue.isHalted?.(name)) return;
    let ladder = this.#ladders.get(name);
    if (!ladder) this.#ladders.set(name, (ladder = { bids: { levels: new Map(), touch: undefined }, asks: { levels: new Map(), touch: undefined } }));
    const touch = ladderTouch(theo.instrument, theo.theoCoin);
    if (this.#whole(theo.instrument, ladder.bids, touch.bid) && this.#whole(theo.instrument, ladder.asks, touch.ask)) return;
    const prices = ladderPrices(theo.instrument, theo.theoCoin, theo.vegaCoinPerVolPt, this.#params);
    this.#rebuild(theo.instrument, ladder.bids, 'buy', prices.bids, touch.bid);
    this.#rebuild(theo.instrument, ladder.asks, 'sell', prices.asks, touch.ask);
  }

  /** The side sits at this touch and its nearest level has not traded (module comment). */
  #whole(instrument: SimInstrument, side: LadderSide, touch: number | undefined): boolean {
    if (side.touch !== touch) return false;
    if (touch === undefined) return true;
    const nearest = side.levels.get(touch);
    return nearest !== undefined && this.#venue.restingLots(instrument.instrumentName, nearest) === this.#params.lotsPerLevel;
  }

  #rebuild(instrument: SimInstrument, side: LadderSide, direction: 'buy' | 'sell', prices: readonly number[], touch: number | undefined): void {
    const name = instrument.instrumentName;
    const amount = lotsToAmount(instrument, this.#params.lotsPerLevel);
    const wanted = new Set(prices);
    for (const [price, orderId] of side.levels) {
      const lots = this.#venue.restingLots(name, orderId);
      if (wanted.has(price) && lots === this.#params.lotsPerLevel) continue;
      if (lots > 0) this.#venue.cancel(name, orderId);
      side.levels.delete(price);
    }
    const levels = new Map<number, string>();
    for (const price of prices) {
      const orderId = side.levels.get(price) ?? this.#venue.place(name, direction, price, amount);
      if (orderId !== undefined) levels.set(price, orderId);
    }
    side.levels.clear();
    for (const [price, orderId] of levels) side.levels.set(price, orderId);
    // A refused touch level leaves the side not whole, so the next update tries again.
    side.touch = touch;
  }
}
