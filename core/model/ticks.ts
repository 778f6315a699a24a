import type { InstrumentRow } from '../protocol/state.ts';

/**
 * Tick arithmetic for prices sent to a venue. Deribit's options tick 0.0001 BTC below 0.005 and
 * 0.0005 above (tick_size_steps): a price must be a multiple of the tick that applies at it.
 */

const EPSILON = 1e-9;

type Ticked = Pick<InstrumentRow, 'tickSize' | 'tickSizeSteps'>;

/** The tick size that applies at `price`. */
export function tickSizeAt(instrument: Ticked, price: number): number {
  let tick = instrument.tickSize;
  for (const step of instrument.tickSizeSteps ?? []) if (price > step.abovePrice + EPSILON) tick = step.tickSize;
  return tick;
}

/** Whether `price` is on the tick grid that applies at it. */
export function isOnTick(instrument: Ticked, price: number): boolean {
  const ratio = price / tickSizeAt(instrument, price);
  return Math.abs(ratio - Math.round(ratio)) <= 1e-6;
}

/** The nearest valid price toward the passive side: bids down, asks up (never more aggressive). */
export function snapPassive(instrument: Ticked, price: number, side: 'buy' | 'sell'): number {
  const tick = tickSizeAt(instrument, price);
  const units = side === 'buy' ? Math.floor(price / tick + EPSILON) : Math.ceil(price / tick - EPSILON);
  const decimals = Math.max(0, -Math.floor(Math.log10(instrument.tickSize)) + 1);
  return Number((units * tick).toFixed(decimals));
}
