/**
 * Black-76 prices of European options on a forward (a future, or Deribit's synthetic forward).
 *
 * Prices are computed as intrinsic value plus √(FK)·b(−|ln(F/K)|, σ√T), the normalised
 * out-of-the-money price (normalised-black.ts, evaluated by the chain kernel of chain.ts), so a
 * deep out-of-the-money option keeps full relative precision instead of being the difference of
 * two nearly equal numbers.
 */
import { priceOne } from './greeks.ts';
import type { OptionKind } from './types.ts';

/**
 * Undiscounted Black-76 price in the forward's units (USD for a BTC forward in USD):
 *   call = F·Φ(d₁) − K·Φ(d₂),  put = K·Φ(−d₂) − F·Φ(−d₁),
 *   d₁ = ln(F/K)/(σ√T) + σ√T/2,  d₂ = d₁ − σ√T.
 * expiryYears in years of 365 days, volAnnual annualised (0.55 = 55 %). Zero expiry or zero
 * volatility gives intrinsic value; infinite volatility gives the upper bound (F or K).
 * Returns NaN for non-positive forward or strike, negative expiry or volatility, or NaN input.
 */
export function black76Price(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): number {
  return priceOne(forward, strike, expiryYears, volAnnual, kind).price[0]!;
}

/**
 * Discounted Black-76 price e^{−rT}·black76Price(F, K, T, σ, kind), the premium paid today
 * for an option settled at expiry; rateAnnual continuously compounded (0.05 = 5 %).
 */
export function black76PriceDiscounted(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  rateAnnual: number,
  kind: OptionKind,
): number {
  return Math.exp(-rateAnnual * expiryYears) * black76Price(forward, strike, expiryYears, volAnnual, kind);
}

/** Intrinsic value on the forward: max(F − K, 0) for a call, max(K − F, 0) for a put. */
export function intrinsicValue(forward: number, strike: number, kind: OptionKind): number {
  return kind === 'call' ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
}
