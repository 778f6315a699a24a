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

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * `Number(value.toFixed(decimals))`, without the string round trip on the hot paths (tickers,
 * book levels). Exact: away from a tie, value·10^d computed in floating point (relative error
 * ≤ 2⁻⁵³, so < 1e-7 absolute below 1e9) has the same nearest integer n as the exact product
 * toFixed rounds, and n / 10^d is correctly rounded, like parsing toFixed's decimal string. Near
 * a tie, for large magnitudes and for more than 15 decimals it defers to toFixed itself.
 */
export function roundDecimals(value: number, decimals: number): number {
  const scale = POWERS_OF_TEN[decimals];
  if (scale !== undefined) {
    const scaled = value * scale;
    if (Math.abs(scaled) < 1e9 && Math.abs(Math.abs(scaled - Math.trunc(scaled)) - 0.5) > 1e-6) return Math.round(scaled) / scale;
  }
  return Number(value.toFixed(decimals));
}

/** Decimals that print a multiple of `step` cleanly: one more than the step's own. */
function decimalsOf(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step)) + 1);
}

export function ticksToPrice(instrument: SimInstrument, ticks: number): number {
  // Rounded to the tick's decimals so 0.0005 * 7 prints as 0.0035, not 0.0035000000000000005.
  return roundDecimals(ticks * instrument.tickSize, decimalsOf(instrument.tickSize));
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
  return roundDecimals(lots * instrument.minTradeAmount, decimalsOf(instrument.minTradeAmount));
}
