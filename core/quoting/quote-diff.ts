/**
 * From the quote we want to the orders we have: the smallest set of place / amend / cancel actions
 * that turns one instrument's working orders into its desired quote. Pure; the OMS sends them
 * (amend as Deribit private/edit, which keeps the order id and, for a price-unchanged size cut,
 * the queue position).
 *
 * Orders are matched to quote levels by (side, level): the engine records the level an order was
 * placed for. Per slot:
 *  - an order in a pending state (pending-new, pending-replace, pending-cancel, unknown) freezes
 *    the slot: nothing is placed, amended or cancelled there until the venue answers, so a request
 *    in flight is never raced by another one for the same quote;
 *  - terminal orders (filled, cancelled, rejected) are ignored;
 *  - no desired level (side off, fewer levels) cancels the slot's orders;
 *  - a desired level with no order places one; with one, amends it when it needs refreshing; any
 *    further orders in the slot (duplicates) are cancelled;
 *  - a locked instrument (lock override) produces nothing at all.
 *
 * Refreshing: an order is amended when its price is beyond the level's limit (more aggressive than
 * edge, post-only or collar allow: always, whatever the tolerance), when the desired price moved
 * more than max(ticks · tick, volPts · vega in coin), or when the open amount differs by at least
 * half a lot and by more than sizeFraction of the desired amount. An applied action leaves the
 * order equal to the desired level, so diffing again yields nothing (idempotent).
 *
 * Amounts are open (unfilled) amounts: WorkingOrder.amountCoin is what still rests, an amend's
 * amountCoin is what should rest. Deribit's edit takes the order's total size, so the OMS adds the
 * filled amount when it sends the request.
 */
import type { OrderRow } from '../protocol/index.ts';
import type { QuotingParams } from './quoting-params.ts';
import type { QuoteSide } from './quote-types.ts';

export type OrderSide = 'buy' | 'sell';

/** One of our resting quote orders, as the engine's working set records it. */
export interface WorkingOrder {
  readonly clientOrderId: string;
  readonly side: OrderSide;
  /** The quote level (0-based) the order was placed for. */
  readonly level: number;
  readonly priceCoin: number;
  /** Open (unfilled) amount. */
  readonly amountCoin: number;
  readonly state: OrderRow['state'];
}

export type QuoteAction =
  | {
      readonly kind: 'place';
      readonly instrumentName: string;
      readonly side: OrderSide;
      readonly level: number;
      readonly priceCoin: number;
      readonly amountCoin: number;
      readonly postOnly: boolean;
    }
  | {
      readonly kind: 'amend';
      readonly instrumentName: string;
      readonly clientOrderId: string;
      readonly side: OrderSide;
      readonly level: number;
      readonly priceCoin: number;
      readonly amountCoin: number;
      readonly postOnly: boolean;
    }
  | { readonly kind: 'cancel'; readonly instrumentName: string; readonly clientOrderId: string; readonly side: OrderSide; readonly level: number };

export interface RefreshTolerance {
  readonly ticks: number;
  readonly volPts: number;
  readonly sizeFraction: number;
}

export function refreshToleranceOf(params: QuotingParams): RefreshTolerance {
  return { ticks: params.refreshToleranceTicks, volPts: params.refreshToleranceVolPts, sizeFraction: params.refreshToleranceSizeFraction };
}

/** What the diff needs of a desired quote: OptionQuote satisfies it. */
export interface DesiredQuote {
  readonly instrumentName: string;
  readonly tickSize: number;
  readonly minTradeAmount: number;
  readonly vegaCoinPerVolPt: number;
  readonly postOnly: boolean;
  readonly locked: boolean;
  readonly bid: QuoteSide;
  readonly ask: QuoteSide;
}

/** 0 = bid (buy), 1 = ask (sell). */
export type SideIndex = 0 | 1;

/**
 * The desired quote read through accessors, so the chain kernel can diff straight from its arrays
 * without building objects.
 */
export interface DesiredQuoteSource {
  readonly instrumentName: string;
  readonly tickSize: number;
  readonly minTradeAmount: number;
  readonly vegaCoinPerVolPt: number;
  readonly postOnly: boolean;
  readonly locked: boolean;
  levelCount(side: SideIndex): number;
  priceCoin(side: SideIndex, level: number): number;
  amountCoin(side: SideIndex, level: number): number;
  limitPriceCoin(side: SideIndex, level: number): number;
}

/** States in which a request to the venue is in flight or the venue's view is unknown. */
export function isPendingState(state: WorkingOrder['state']): boolean {
  return state === 'pending-new' || state === 'pending-replace' || state === 'pending-cancel' || state === 'unknown';
}

/** States in which an order rests and can be amended or cancelled. */
export function isActionableState(state: WorkingOrder['state']): boolean {
  return state === 'open' || state === 'partially-filled';
}

const SIDE_NAMES: readonly [OrderSide, OrderSide] = ['buy', 'sell'];
/** Levels a slot scan looks at beyond the desired ones: orders of stray levels are cancelled. */
const MAX_SLOT_LEVEL = 16;

/** Whether a working order needs re-pricing or resizing to match the desired level (module comment). */
function needsRefresh(order: WorkingOrder, source: DesiredQuoteSource, side: SideIndex, level: number, tolerance: RefreshTolerance): boolean {
  const tick = source.tickSize;
  const epsilon = 1e-9 * tick;
  const price = source.priceCoin(side, level);
  const limit = source.limitPriceCoin(side, level);
  const sign = side === 0 ? 1 : -1;
  if (sign * (order.priceCoin - limit) > epsilon) return true;
  const priceTolerance = Math.max(tolerance.ticks * tick, tolerance.volPts * source.vegaCoinPerVolPt);
  if (!(Math.abs(order.priceCoin - price) <= priceTolerance + epsilon)) return true;
  const amount = source.amountCoin(side, level);
  const amountChange = Math.abs(order.amountCoin - amount);
  return amountChange >= 0.5 * source.minTradeAmount && amountChange > tolerance.sizeFraction * amount;
}

/** Appends to `out` the actions for one instrument (module comment). Allocates only the actions. */
export function diffQuoteInto(source: DesiredQuoteSource, working: readonly WorkingOrder[], tolerance: RefreshTolerance, out: QuoteAction[], cancelsOnly = false): void {
  if (source.locked) return;
  const instrumentName = source.instrumentName;
  for (let k = 0; k < working.length; k++) {
    // Orders of impossible levels belong to no slot: cancel them when they can be cancelled.
    const order = working[k]!;
    const stray = !(Number.isInteger(order.level) && order.level >= 0 && order.level < MAX_SLOT_LEVEL);
    if (stray && isActionableState(order.state)) {
      out.push({ kind: 'cancel', instrumentName, clientOrderId: order.clientOrderId, side: order.side, level: order.level });
    }
  }
  for (let s = 0; s < 2; s++) {
    const side = s as SideIndex;
    const sideName = SIDE_NAMES[side];
    const desiredLevels = source.levelCount(side);
    let slots = desiredLevels;
    for (let k = 0; k < working.length; k++) {
      const order = working[k]!;
      if (order.side === sideName && order.level + 1 > slots && order.level < MAX_SLOT_LEVEL) slots = order.level + 1;
    }
    for (let level = 0; level < slots; level++) {
      let pending = false;
      for (let k = 0; k < working.length; k++) {
        const order = working[k]!;
        if (order.side === sideName && order.level === level && isPendingState(order.state)) pending = true;
      }
      if (pending) continue;
      const wanted = level < desiredLevels;
      let kept = false;
      for (let k = 0; k < working.length; k++) {
        const order = working[k]!;
        if (order.side !== sideName || order.level !== level || !isActionableState(order.state)) continue;
        if (wanted && !kept) {
          kept = true;
          if (!cancelsOnly && needsRefresh(order, source, side, level, tolerance)) {
            out.push({
              kind: 'amend',
              instrumentName,
              clientOrderId: order.clientOrderId,
              side: sideName,
              level,
              priceCoin: source.priceCoin(side, level),
              amountCoin: source.amountCoin(side, level),
              postOnly: source.postOnly,
            });
          }
        } else {
          out.push({ kind: 'cancel', instrumentName, clientOrderId: order.clientOrderId, side: sideName, level });
        }
      }
      if (wanted && !kept && !cancelsOnly) {
        out.push({
          kind: 'place',
          instrumentName,
          side: sideName,
          level,
          priceCoin: source.priceCoin(side, level),
          amountCoin: source.amountCoin(side, level),
          postOnly: source.postOnly,
        });
      }
    }
  }
}

/** Reads a DesiredQuote (an OptionQuote) through the accessor interface. */
class ObjectSource implements DesiredQuoteSource {
  constructor(private readonly quote: DesiredQuote) {}
  get instrumentName(): string {
    return this.quote.instrumentName;
  }
  get tickSize(): number {
    return this.quote.tickSize;
  }
  get minTradeAmount(): number {
    return this.quote.minTradeAmount;
  }
  get vegaCoinPerVolPt(): number {
    return this.quote.vegaCoinPerVolPt;
  }
  get postOnly(): boolean {
    return this.quote.postOnly;
  }
  get locked(): boolean {
    return this.quote.locked;
  }
  private side(side: SideIndex): QuoteSide {
    return side === 0 ? this.quote.bid : this.quote.ask;
  }
  levelCount(side: SideIndex): number {
    const quoteSide = this.side(side);
    return quoteSide.quoted ? quoteSide.levels.length : 0;
  }
  private level(side: SideIndex, level: number) {
    const quoteSide = this.side(side);
    return quoteSide.quoted ? quoteSide.levels[level] : undefined;
  }
  priceCoin(side: SideIndex, level: number): number {
    return this.level(side, level)?.priceCoin ?? NaN;
  }
  amountCoin(side: SideIndex, level: number): number {
    return this.level(side, level)?.amountCoin ?? NaN;
  }
  limitPriceCoin(side: SideIndex, level: number): number {
    return this.level(side, level)?.limitPriceCoin ?? NaN;
  }
}

/** The actions that turn one instrument's working orders into its desired quote (module comment). */
export function diffQuotes(desired: DesiredQuote, working: readonly WorkingOrder[], tolerance: RefreshTolerance, cancelsOnly = false): readonly QuoteAction[] {
  const out: QuoteAction[] = [];
  diffQuoteInto(new ObjectSource(desired), working, tolerance, out, cancelsOnly);
  return out;
}
