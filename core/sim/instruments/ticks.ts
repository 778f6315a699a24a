import type { SimInstrument } from './types.ts';

/**
 * Prices are integer multiples of the instrument's smallest tick; amounts integer multiples of its
 * minimum trade amount ("lots"). Conversions tolerate float noise a client's decimal printing
 * introduces (0.1 + 0.2) but nothing coarser: an off-tick price is an error, never rounded.
 */
const EPSILON = 1e-9;

function toMultiple(value: number, step: number): number | undefined {
  const ratio = value / step;
  const rounded = Math.round(ratio);
  return Math.abs(ratio - rounded) <= EPSILON * Math.max(1, Math.abs(ratio)) ? rounded : undefined;
}

/** The tick size that applies at `price` (Deribit's tick_size_steps). */
export function tickSizeAt(instrument: SimInstrument, price: number): number {
  let tick = instrument.tickSize;
  for (const step of instrument.tickSizeSteps) if (price > step.abovePrice + EPSILON) tick = step.tickSize;
  return tick;
}

/** Integer tick index of `price`, or undefined when the price is not on the tick grid there. */
export function priceToTicks(instrument: SimInstrument, price: number): number | undefined {
  if (!Number.isFinite(price)) return undefined;
  if (toMultiple(price, tickSizeAt(instrument, price)) === undefined) return undefined;
  return toMultiple(price, instrument.tickSize);
}

export function ticksToPrice(instrument: SimInstrument, ticks: number): number {
  // Rounded to the tick's decimals so 0.0005 * 7 prints as 0.0035, not 0.0035000000000000005.
  const decimals = Math.max(0, -Math.floor(Math.log10(instrument.tickSize)) + 1);
  return Number((ticks * instrument.tickSize).toFixed(decimals));
}

/** Rounds a price to the nearest valid tick toward the passive side (bids down, asks up). */
export function roundPriceToTicks(instrument: SimInstrument, price: number, side: 'buy' | 'sell'): number {
  const tick = tickSizeAt(instrument, price);
  const units = side === 'buy' ? Math.floor(price / tick + EPSILON) : Math.ceil(price / tick - EPSILON);
  return Math.round((units * tick) / instrument.tickSize);
}

export function amountToLots(instrument: SimInstrument, amount: number): number | undefined {
  if (!Number.isFinite(amount) || amount <= 0) return undefined;
  return toMultiple(amount, instrument.minTradeAmount);
}

export function lotsToAmount(instrument: SimInstrument, lots: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(instrument.minTradeAmount)) + 1);
  return Number((lots * instrument.minTradeAmount).toFixed(decimals));
}
