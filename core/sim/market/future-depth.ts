/**
 * Futures depth: a ladder of resting liquidity on both sides of every dated future and perpetual,
 * shaped like a real BTC-PERPETUAL book — a tight top, tens of thousands of USD within a few
 * ticks, more behind. Why: the background maker (makers.ts) shows one level a side, so a taker
 * that takes it leaves the side empty until the maker requotes, and a client crossing the spread
 * in between (a hedge) finds nothing to cross.
 *
 * Shape: level k rests on the offset_k-th grid price beyond the fair value (the mark), strictly
 * (so between offset_k − 1 and offset_k ticks away): every bid is below the fair and every ask
 * above, the ladder never crosses itself, and informed takers, who trade only mispriced levels,
 * leave it alone. offset_0 = firstLevelTicks and offset_k = max(offset_{k−1} + 1,
 * ⌈firstLevelTicks · spacingGrowth^k⌉). Level k holds firstLevelNotionalUsd · notionalGrowth^k USD
 * times a uniform draw in [1 − notionalNoise, 1 + notionalNoise], in whole contracts. Defaults: 8
 * levels a side at 1, 2, 3, 4, 6, 8, 12, 18 ticks holding 20k, 32k, 51k, 82k, 131k, 210k, 336k,
 * 537k USD (about 1.4M a side, at least 70 % of each after noise); a one-tick spread when the fair
 * value is off the grid, as on Deribit's perpetual. The background maker's quote (1–3 ticks out,
 * rounded outward) rests at or behind the ladder's top.
 *
 * Upkeep (`update`): a level that has traded (partly or wholly) is replaced whole at its target.
 * An untouched level stays where it rests while it is still strictly beyond the fair value and
 * within twice its offset of it — within offset_k − 1 ticks of its target — and is moved (amended)
 * to its target once the fair value carries it out of that band. Why that band: such a level can
 * neither be picked off nor meet a maker's fresh quote (every maker quote contains the fair value),
 * so moving it earlier buys nothing, and each move costs an exchange edit on every step the fair
 * value crosses a tick (the perpetual's crosses several a step). So the top level follows every
 * tick and keeps the spread tight, and deeper levels are sticky, as on a real book; they may meet
 * at a price, but never cross the fair value.
 *
 * The driver (the venue) calls `update` twice a step: before its makers requote (so their fresh,
 * non-post-only quotes never meet a level left behind the fair value: a trade between two
 * background participants) and after its takers trade (what they took is back before any client
 * can look). The market's takers reach at most a few ticks through the touch (takers.ts), so one of
 * them cannot empty a side even before the refill. Levels are post-only with reject: a resting
 * order of someone else's that a level would cross refuses the level (and an amend that would cross
 * drops it) instead of trading; the next update tries again. A halted book is left as it is, like
 * the makers leave it; an expired or delisted future loses its ladder.
 *
 * Deterministic: each instrument draws its sizes from its own Rng stream, only when a level is
 * placed whole.
 */
import { lotsToAmount, ticksToPrice } from '../instruments/ticks.ts';
import type { SimInstrument } from '../instruments/types.ts';
import type { LadderVenue } from './ladder.ts';
import type { Rng } from './rng.ts';

export interface FutureDepthParams {
  /** Levels a side; 0 keeps no depth. */
  readonly levels: number;
  /** Distance of the nearest level from the fair value, ticks (at least 1). */
  readonly firstLevelTicks: number;
  /** Level k's distance grows like firstLevelTicks · spacingGrowth^k (and by at least a tick a level). */
  readonly spacingGrowth: number;
  readonly firstLevelNotionalUsd: number;
  /** Each level holds this many times the nearer level's notional. */
  readonly notionalGrowth: number;
  /** A level's notional is scaled by a uniform draw in [1 − this, 1 + this]. */
  readonly notionalNoise: number;
}

export const DEFAULT_FUTURE_DEPTH_PARAMS: FutureDepthParams = {
  levels: 8,
  firstLevelTicks: 1,
  spacingGrowth: 1.5,
  firstLevelNotionalUsd: 20_000,
  notionalGrowth: 1.6,
  notionalNoise: 0.3,
};

/** What the depth needs from an exchange: post-only orders of one background account. */
export interface DepthVenue extends LadderVenue {
  /** Moves a resting order to `price` with `amount` (post-only with reject); false when refused (the order stays as it was). */
  amend(instrumentName: string, orderId: string, price: number, amount: number): boolean;
  /** Halted books are left alone. */
  isHalted(instrumentName: string): boolean;
}

/** Each level's distance from the fair value, ticks, nearest first (module comment). */
export function depthOffsetsTicks(params: FutureDepthParams = DEFAULT_FUTURE_DEPTH_PARAMS): number[] {
  const offsets: number[] = [];
  const first = Math.max(1, Math.round(params.firstLevelTicks));
  for (let k = 0; k < params.levels; k++) {
    const grown = Math.ceil(first * Math.pow(params.spacingGrowth, k) - 1e-9);
    offsets.push(k === 0 ? first : Math.max(offsets[k - 1]! + 1, grown));
  }
  return offsets;
}

/** Whether an untouched level resting at `restingTicks` may stay for its target `targetTicks` (module comment: within offset − 1 ticks). */
export function depthLevelStays(restingTicks: number, targetTicks: number, offsetTicks: number): boolean {
  return Math.abs(restingTicks - targetTicks) < offsetTicks;
}

/** Level k's notional before noise, USD. */
export function depthNotionalUsd(level: number, params: FutureDepthParams = DEFAULT_FUTURE_DEPTH_PARAMS): number {
  return params.firstLevelNotionalUsd * Math.pow(params.notionalGrowth, level);
}

/** A level's size in lots (contracts): its notional with one noise draw, at least one contract. */
export function depthLevelLots(instrument: SimInstrument, level: number, rng: Rng, params: FutureDepthParams = DEFAULT_FUTURE_DEPTH_PARAMS): number {
  const notionalUsd = depthNotionalUsd(level, params) * rng.uniform(1 - params.notionalNoise, 1 + params.notionalNoise);
  return Math.max(1, Math.round(notionalUsd / instrument.minTradeAmount));
}

/**
 * Where a level `offsetTicks` out rests, in integer ticks of the instrument (futures have one tick
 * size): the offsetTicks-th grid price strictly below the fair value for a bid, above it for an ask.
 * The fair value is in ticks; float noise within 1e-9 of a grid price counts as on it.
 */
export function depthLevelTicks(fairTicks: number, offsetTicks: number, direction: 'buy' | 'sell'): number {
  return direction === 'buy' ? Math.ceil(fairTicks - 1e-9) - offsetTicks : Math.floor(fairTicks + 1e-9) + offsetTicks;
}

interface DepthSide {
  readonly direction: 'buy' | 'sell';
  /** Per level: its resting order (undefined: none, to be placed), its price in ticks and the lots it was placed with. */
  readonly orderIds: Array<string | undefined>;
  readonly priceTicks: number[];
  readonly lots: number[];
}

interface InstrumentDepth {
  readonly instrument: SimInstrument;
  readonly rng: Rng;
  readonly bids: DepthSide;
  readonly asks: DepthSide;
  /** The update that last saw the instrument live (those not seen lose their ladder). */
  seenUpdate: number;
  /** The parameters' generation the ladder was built with. */
  generation: number;
  /** The fair value (ticks) it was last kept at. */
  fairTicks: number;
}

function newSide(direction: 'buy' | 'sell', levels: number): DepthSide {
  return { direction, orderIds: new Array<string | undefined>(levels).fill(undefined), priceTicks: new Array<number>(levels).fill(0), lots: new Array<number>(levels).fill(0) };
}

export class FutureDepth {
  readonly #rngFor: (instrumentName: string) => Rng;
  readonly #ladders = new Map<string, InstrumentDepth>();
  #params: FutureDepthParams;
  #offsets: readonly number[];
  #generation = 0;
  #updates = 0;

  /** `rngFor` gives each instrument its own stream (called once per instrument). */
  constructor(rngFor: (instrumentName: string) => Rng, params: Partial<FutureDepthParams> = {}) {
    this.#rngFor = rngFor;
    this.#params = { ...DEFAULT_FUTURE_DEPTH_PARAMS, ...params };
    this.#offsets = depthOffsetsTicks(this.#params);
  }

  /** New parameters merge into the current ones; every ladder is rebuilt at its next update. */
  configure(params: Partial<FutureDepthParams>): void {
    this.#params = { ...this.#params, ...params };
    this.#offsets = depthOffsetsTicks(this.#params);
    this.#generation += 1;
  }

  /**
   * Brings the ladder of every live future in `instruments` to its fair value on `venue`:
   * `fairUsd(i)` is instruments[i]'s, `live(i)` false at or past its expiry. Futures left out or
   * expired lose their ladders; options are skipped.
   */
  update(venue: DepthVenue, instruments: readonly SimInstrument[], fairUsd: (i: number) => number, live: (i: number) => boolean): void {
    const update = ++this.#updates;
    for (let i = 0; i < instruments.length; i++) {
      const instrument = instruments[i]!;
      if (instrument.kind !== 'future' || !live(i)) continue;
      const name = instrument.instrumentName;
      let ladder = this.#ladders.get(name);
      if (ladder && ladder.generation !== this.#generation) {
        this.#pull(venue, ladder);
        ladder = undefined;
      }
      if (!ladder) {
        const levels = this.#params.levels;
        ladder = { instrument, rng: this.#rngFor(name), bids: newSide('buy', levels), asks: newSide('sell', levels), seenUpdate: update, generation: this.#generation, fairTicks: Number.NaN };
        this.#ladders.set(name, ladder);
      }
      ladder.seenUpdate = update;
      const fair = fairUsd(i);
      if (!(fair > 0) || venue.isHalted(name)) continue;
      const fairTicks = fair / instrument.tickSize;
      // Moving up, the asks go first, so a bid never meets the ladder's own stale ask (and down, the bids first).
      const up = fairTicks > ladder.fairTicks;
      this.#keepSide(venue, ladder, up ? ladder.asks : ladder.bids, fairTicks);
      this.#keepSide(venue, ladder, up ? ladder.bids : ladder.asks, fairTicks);
      ladder.fairTicks = fairTicks;
    }
    for (const [name, ladder] of this.#ladders) {
      if (ladder.seenUpdate === update) continue;
      this.#pull(venue, ladder);
      this.#ladders.delete(name);
    }
  }

  #keepSide(venue: DepthVenue, ladder: InstrumentDepth, side: DepthSide, fairTicks: number): void {
    const { instrument } = ladder;
    const name = instrument.instrumentName;
    for (let k = 0; k < side.orderIds.length; k++) {
      const offset = this.#offsets[k]!;
      const target = depthLevelTicks(fairTicks, offset, side.direction);
      const orderId = side.orderIds[k];
      if (orderId !== undefined) {
        const resting = venue.restingLots(name, orderId);
        if (resting === side.lots[k]) {
          if (depthLevelStays(side.priceTicks[k]!, target, offset)) continue;
          if (target > 0 && venue.amend(name, orderId, ticksToPrice(instrument, target), lotsToAmount(instrument, resting))) {
            side.priceTicks[k] = target;
            continue;
          }
        }
        // Traded (replaced whole below), refused where it had to go, or gone.
        if (resting > 0) venue.cancel(name, orderId);
        side.orderIds[k] = undefined;
      }
      if (!(target > 0)) continue;
      const lots = depthLevelLots(instrument, k, ladder.rng, this.#params);
      const placed = venue.place(name, side.direction, ticksToPrice(instrument, target), lotsToAmount(instrument, lots));
      if (placed === undefined) continue;
      side.orderIds[k] = placed;
      side.priceTicks[k] = target;
      side.lots[k] = lots;
    }
  }

  #pull(venue: DepthVenue, ladder: InstrumentDepth): void {
    const name = ladder.instrument.instrumentName;
    for (const side of [ladder.bids, ladder.asks]) {
      for (let k = 0; k < side.orderIds.length; k++) {
        const orderId = side.orderIds[k];
        if (orderId !== undefined && venue.restingLots(name, orderId) > 0) venue.cancel(name, orderId);
        side.orderIds[k] = undefined;
      }
    }
  }
}
