import type { TradeSide } from '../model/trading.ts';
import type { QuoteRow } from '../protocol/state.ts';
import { moreAggressive, priceOfTicks, ticksDown, ticksNoWorseThan, ticksUp, worseThan } from './ticks.ts';

/**
 * The top of book as the tactics and planners price from it, in integer ticks, and the three
 * prices they derive from it: the passive price (join our own side's touch), the crossing price
 * (the opposite touch) and the slippage cap (the opposite touch moved against us by a number of
 * basis points). One place, so the preview shows exactly what the tactic will send.
 */
export interface Touch {
  readonly bidTicks?: number;
  readonly askTicks?: number;
}

const BPS = 1e-4;

function positive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/**
 * The book's touch, or undefined when nothing may be priced on it: a stale quote (the book is not
 * known to be right), an empty book, or a crossed one (bid ≥ ask: a gap or a lagging side).
 */
export function usableTouch(quote: QuoteRow | undefined, tickSize: number): Touch | undefined {
  if (!quote || quote.stale) return undefined;
  // Bids snap down and asks up: an off-grid venue price never makes the book look tighter.
  const bidTicks = positive(quote.bidPrice) ? ticksDown(quote.bidPrice, tickSize) : undefined;
  const askTicks = positive(quote.askPrice) ? ticksUp(quote.askPrice, tickSize) : undefined;
  if (bidTicks === undefined && askTicks === undefined) return undefined;
  if (bidTicks !== undefined && askTicks !== undefined && bidTicks >= askTicks) return undefined;
  return { ...(bidTicks !== undefined && { bidTicks }), ...(askTicks !== undefined && { askTicks }) };
}

/** The touch on our own side: the best bid for a buy, the best ask for a sell. */
export function ownTouchTicks(side: TradeSide, touch: Touch): number | undefined {
  return side === 'buy' ? touch.bidTicks : touch.askTicks;
}

/** The touch we cross to trade at once: the best ask for a buy, the best bid for a sell. */
export function oppositeTouchTicks(side: TradeSide, touch: Touch): number | undefined {
  return side === 'buy' ? touch.askTicks : touch.bidTicks;
}

/**
 * Where a post-only order joins the book: at our own touch, or one tick off the opposite touch
 * when our side is empty. Never at or through the opposite touch (a post-only order there would
 * be rejected or repriced by the venue); never below one tick.
 */
export function passiveTicks(side: TradeSide, touch: Touch): number | undefined {
  const own = ownTouchTicks(side, touch);
  const opposite = oppositeTouchTicks(side, touch);
  const ticks = own ?? (opposite !== undefined ? moreAggressive(side, opposite, -1) : undefined);
  if (ticks === undefined || ticks < 1) return undefined;
  if (opposite !== undefined && !worseThan(side, opposite, ticks)) return undefined;
  return ticks;
}

/**
 * The worst limit a crossing order may carry: the opposite touch moved against us by
 * maxSlippageBps, snapped toward the touch (down for a buy, up for a sell) so the snap never adds
 * slippage. Never better than the touch itself, so a cap of 0 bps still crosses.
 */
export function slippageCapTicks(side: TradeSide, oppositeTicks: number, maxSlippageBps: number, tickSize: number): number {
  const touchPrice = priceOfTicks(oppositeTicks, tickSize);
  const capPrice = side === 'buy' ? touchPrice * (1 + maxSlippageBps * BPS) : touchPrice * (1 - maxSlippageBps * BPS);
  const cap = ticksNoWorseThan(side, capPrice, tickSize);
  const bounded = worseThan(side, oppositeTicks, cap) ? oppositeTicks : cap;
  return Math.max(1, bounded);
}

/** The mid in price units, or undefined for a one-sided book. */
export function midPrice(touch: Touch, tickSize: number): number | undefined {
  if (touch.bidTicks === undefined || touch.askTicks === undefined) return undefined;
  return (priceOfTicks(touch.bidTicks, tickSize) + priceOfTicks(touch.askTicks, tickSize)) / 2;
}
