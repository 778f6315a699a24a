import { tickSizeAt } from '../model/ticks.ts';
import type { TradeSide } from '../model/trading.ts';
import type { InstrumentRow } from '../protocol/state.ts';

/**
 * Tick arithmetic for the prices the hedger sends. Prices are turned into integer tick counts,
 * decided on as integers, and turned back once, printed to the tick's decimals so 0.0005 × 7 is
 * 0.0035 and not 0.0035000000000000005 (DESIGN.md: integer tick arithmetic, no decimal library).
 *
 * Snapping always rounds toward the side that keeps a promise: a limit that must not exceed a cap
 * rounds down for a buy and up for a sell.
 */

/** Tolerance on price/tick ratios: absorbs float noise (0.1 + 0.2), nothing coarser. */
const RATIO_EPSILON = 1e-7;

function decimalsOf(tickSize: number): number {
  return Math.max(0, -Math.floor(Math.log10(tickSize)) + 1);
}

/** The price of `ticks` whole ticks, printed cleanly. */
export function priceOfTicks(ticks: number, tickSize: number): number {
  return Number((ticks * tickSize).toFixed(decimalsOf(tickSize)));
}

/** Whole ticks at or below `price`. */
export function ticksDown(price: number, tickSize: number): number {
  return Math.floor(price / tickSize + RATIO_EPSILON);
}

/** Whole ticks at or above `price`. */
export function ticksUp(price: number, tickSize: number): number {
  return Math.ceil(price / tickSize - RATIO_EPSILON);
}

/** True when `price` is a whole number of ticks (within float noise). */
export function isOnTick(price: number, tickSize: number): boolean {
  const ratio = price / tickSize;
  return Number.isFinite(ratio) && Math.abs(ratio - Math.round(ratio)) <= RATIO_EPSILON * Math.max(1, Math.abs(ratio));
}

/**
 * Ticks of a price that must not be worse than `price` for `side`: a buyer's limit rounds down,
 * a seller's up, so snapping never adds slippage.
 */
export function ticksNoWorseThan(side: TradeSide, price: number, tickSize: number): number {
  return side === 'buy' ? ticksDown(price, tickSize) : ticksUp(price, tickSize);
}

/** `n` ticks more aggressive for `side` (higher for a buy, lower for a sell); negative: less. */
export function moreAggressive(side: TradeSide, ticks: number, n: number): number {
  return side === 'buy' ? ticks + n : ticks - n;
}

/** True when price `a` (in ticks) is strictly worse for `side` than `b`. */
export function worseThan(side: TradeSide, a: number, b: number): boolean {
  return side === 'buy' ? a > b : a < b;
}

/**
 * Snaps a price in the instrument's smallest ticks onto the grid that applies there (Deribit
 * options tick 0.0001 up to 0.005 and 0.0005 above it), up or down, staying in smallest ticks.
 * Every step boundary is a multiple of the coarser tick, so a multiple of it is on the grid.
 */
export function snapToGrid(instrument: Pick<InstrumentRow, 'tickSize' | 'tickSizeSteps'>, ticks: number, direction: 'up' | 'down'): number {
  const base = instrument.tickSize;
  const step = Math.max(1, Math.round(tickSizeAt(instrument, priceOfTicks(ticks, base)) / base));
  return direction === 'up' ? Math.ceil(ticks / step) * step : Math.floor(ticks / step) * step;
}
