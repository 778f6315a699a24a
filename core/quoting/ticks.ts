/**
 * Integer tick and lot arithmetic for quotes: prices are rounded to a whole number of ticks in
 * the passive direction (a bid down, an ask up) and amounts down to a whole number of lots
 * (minTradeAmount), then turned back into numbers that print as the venue expects.
 *
 * A price computed as p/tick lands a hair below or above an integer when p was itself on tick
 * (0.0015/0.0005 = 2.9999999999999996), so rounding allows TICK_EPSILON of a tick: a price within
 * a billionth of a tick of a grid point is on that point.
 */

/** Fraction of a tick (or lot) below which a value counts as on the grid. */
export const TICK_EPSILON = 1e-9;

/** Largest whole number of ticks whose price is ≤ priceCoin (a bid's rounding). */
export function floorTicks(priceCoin: number, tickSize: number): number {
  return Math.floor(priceCoin / tickSize + TICK_EPSILON);
}

/** Smallest whole number of ticks whose price is ≥ priceCoin (an ask's rounding). */
export function ceilTicks(priceCoin: number, tickSize: number): number {
  // + 0 turns the −0 of ceil(−ε) into 0.
  return Math.ceil(priceCoin / tickSize - TICK_EPSILON) + 0;
}

/**
 * Price of a whole number of ticks. When 1/tickSize is an integer (0.0005 → 2000), dividing by it
 * gives the double nearest the decimal price, so 3 ticks print as 0.0015 rather than
 * 0.0015000000000000000003; other tick sizes fall back to a product.
 */
export function priceFromTicks(ticks: number, tickSize: number): number {
  const perUnit = Math.round(1 / tickSize);
  return Math.abs(1 / tickSize - perUnit) <= TICK_EPSILON * perUnit ? ticks / perUnit : ticks * tickSize;
}

/** Amount of a whole number of lots, printed like priceFromTicks (0.1 × 3 → 0.3, not 0.30000000000000004). */
export function amountFromLots(lots: number, minTradeAmount: number): number {
  return priceFromTicks(lots, minTradeAmount);
}

/** Whether value is a whole number of steps (ticks or lots), within TICK_EPSILON of a step. */
export function isOnGrid(value: number, step: number): boolean {
  const steps = value / step;
  return Math.abs(steps - Math.round(steps)) <= TICK_EPSILON * Math.max(1, Math.abs(steps));
}

/** Largest whole number of lots (minTradeAmount) not above amountCoin; 0 for NaN or negative. */
export function floorLots(amountCoin: number, minTradeAmount: number): number {
  const lots = Math.floor(amountCoin / minTradeAmount + TICK_EPSILON);
  return lots > 0 ? lots : 0;
}
