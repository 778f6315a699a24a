import type { SimInstrument } from '../instruments/types.ts';
import type { Mark, SimPosition } from './types.ts';

/**
 * Position, PnL and margin arithmetic for Deribit's inverse products, in the settlement coin.
 * Options: size in coin (contracts of 1), price in coin; premium moves through the cash balance.
 * Futures: size in USD, price in USD; PnL = size × (1/entry − 1/exit) in coin.
 */

export interface PositionUpdate {
  readonly position: SimPosition;
  /** Coin added to the cash balance by this fill (premium, realized futures PnL). */
  readonly cashDelta: number;
  readonly realizedPnl: number;
}

/** Applies a fill of `signedAmount` (buy > 0) at `price` to a position. */
export function applyFill(instrument: SimInstrument, position: SimPosition, signedAmount: number, price: number): PositionUpdate {
  const size = position.size;
  const newSize = roundAmount(size + signedAmount);
  const increasing = size === 0 || Math.sign(size) === Math.sign(signedAmount);
  const closed = increasing ? 0 : Math.min(Math.abs(signedAmount), Math.abs(size));
  const option = instrument.kind === 'option';
  let realizedPnl = 0;
  if (closed > 0) {
    realizedPnl = option ? Math.sign(size) * closed * (price - position.averagePrice) : Math.sign(size) * closed * (1 / position.averagePrice - 1 / price);
  }
  let averagePrice: number;
  if (newSize === 0) averagePrice = 0;
  else if (increasing) {
    // Options average linearly in coin; inverse futures harmonically (by coin value).
    averagePrice = option
      ? (Math.abs(size) * position.averagePrice + Math.abs(signedAmount) * price) / Math.abs(newSize)
      : Math.abs(newSize) / ((size === 0 ? 0 : Math.abs(size) / position.averagePrice) + Math.abs(signedAmount) / price);
  } else if (Math.sign(newSize) === Math.sign(size)) averagePrice = position.averagePrice;
  else averagePrice = price; // flipped through zero: the remainder opened at this price
  const cashDelta = option ? -signedAmount * price : realizedPnl;
  return { position: { instrumentName: position.instrumentName, size: newSize, averagePrice, realizedPnl: position.realizedPnl + realizedPnl }, cashDelta, realizedPnl };
}

/** Fee in coin for a fill; Deribit caps option fees at 12.5 % of the premium. */
export function feeFor(instrument: SimInstrument, amount: number, price: number, maker: boolean): number {
  const rate = maker ? instrument.makerCommission : instrument.takerCommission;
  if (instrument.kind === 'option') return Math.min(rate * amount, 0.125 * price * amount);
  return (rate * amount) / price;
}

/** Value (options) or unrealized PnL (futures) of a position at the mark, in coin. */
export function markValue(instrument: SimInstrument, position: SimPosition, mark: Mark | undefined): number {
  if (position.size === 0 || !mark) return 0;
  if (instrument.kind === 'option') return position.size * mark.markPrice;
  return position.size * (1 / position.averagePrice - 1 / mark.markPrice);
}

/** Floating PnL against the average price, in coin (what Deribit's positions report). */
export function floatingPnl(instrument: SimInstrument, position: SimPosition, mark: Mark | undefined): number {
  if (position.size === 0 || !mark) return 0;
  if (instrument.kind === 'option') return position.size * (mark.markPrice - position.averagePrice);
  return markValue(instrument, position, mark);
}

export const FUTURE_INITIAL_MARGIN = 0.02;
export const FUTURE_MAINTENANCE_MARGIN = 0.01;

/** Initial margin in coin for a short option contract: max(0.15 − OTM/S, 0.1) + mark. */
export function shortOptionMargin(instrument: SimInstrument, indexPrice: number, markPrice: number): number {
  const strike = instrument.strike ?? indexPrice;
  const otm = instrument.optionType === 'call' ? Math.max(0, strike - indexPrice) : Math.max(0, indexPrice - strike);
  return Math.max(0.15 - otm / indexPrice, 0.1) + markPrice;
}

/** Initial and maintenance margin of a position, in coin. */
export function positionMargin(instrument: SimInstrument, position: SimPosition, mark: Mark | undefined, indexPrice: number): { initial: number; maintenance: number } {
  if (position.size === 0 || !mark) return { initial: 0, maintenance: 0 };
  if (instrument.kind === 'option') {
    if (position.size > 0) return { initial: 0, maintenance: 0 };
    const perContract = shortOptionMargin(instrument, indexPrice, mark.markPrice);
    return { initial: -position.size * perContract, maintenance: -position.size * (0.075 + mark.markPrice) };
  }
  const coin = Math.abs(position.size) / mark.markPrice;
  return { initial: coin * FUTURE_INITIAL_MARGIN, maintenance: coin * FUTURE_MAINTENANCE_MARGIN };
}

/** Margin an open order reserves, in coin (a buy option reserves its premium). */
export function orderMargin(instrument: SimInstrument, direction: 'buy' | 'sell', amount: number, price: number, mark: Mark | undefined, indexPrice: number): number {
  if (instrument.kind === 'option') {
    return direction === 'buy' ? amount * price : amount * shortOptionMargin(instrument, indexPrice, mark?.markPrice ?? price);
  }
  return (amount / price) * FUTURE_INITIAL_MARGIN;
}

/** Amounts are multiples of 0.1 coin or 1 USD at most 8 decimals; keep sums exact enough to compare with 0. */
export function roundAmount(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
