/**
 * Price-grid helpers on top of the instrument's tick rules (instruments/ticks.ts), returning
 * prices rather than tick indices. They respect tick_size_steps: above 0.005 BTC an option's grid
 * is 0.0005, so the price one tick above 0.005 is 0.0055, not 0.0051.
 */
import { roundPriceToTicks, ticksToPrice } from '../instruments/ticks.ts';
import type { SimInstrument } from '../instruments/types.ts';

/** The highest grid price at or below `price` (0 when price is below one tick). */
export function floorToGrid(instrument: SimInstrument, price: number): number {
  return ticksToPrice(instrument, roundPriceToTicks(instrument, price, 'buy'));
}

/** The lowest grid price at or above `price`. */
export function ceilToGrid(instrument: SimInstrument, price: number): number {
  return ticksToPrice(instrument, roundPriceToTicks(instrument, price, 'sell'));
}

/** The next grid price strictly above the grid price `price`. */
export function tickAbove(instrument: SimInstrument, price: number): number {
  return ceilToGrid(instrument, price + instrument.tickSize);
}

/** The next grid price strictly below the grid price `price` (0 below the first tick). */
export function tickBelow(instrument: SimInstrument, price: number): number {
  return floorToGrid(instrument, price - instrument.tickSize);
}

/** The grid price nearest `price` (the lower one on a tie; 0 when price is under half a tick). */
export function nearestGrid(instrument: SimInstrument, price: number): number {
  const below = floorToGrid(instrument, price);
  const above = ceilToGrid(instrument, price);
  return price - below <= above - price ? below : above;
}
