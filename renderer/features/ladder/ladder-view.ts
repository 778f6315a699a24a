import { isOnTick, snapPassive, tickSizeAt } from '../../../core/model/ticks.ts';
import type { BookRow, InstrumentRow, OrderRow, QuoteRow, TheoRow } from '../../../core/protocol/index.ts';

/**
 * The price ladder of one instrument: one row per valid price (tick steps included: Deribit's
 * options tick 0.0001 below 0.005 and 0.0005 above) around the touch, with the venue's top of
 * book, our working orders at their prices, and where our theo, the strategy's quotes, the mark
 * and the last trade fall. The engine publishes only the top of book today (`quotes`); a `books`
 * topic would fill the other levels' sizes.
 */

type Ticked = Pick<InstrumentRow, 'tickSize' | 'tickSizeSteps'>;

export type LadderMarker = 'theo' | 'mark' | 'last' | 'our-bid' | 'our-ask';

export interface LadderRow {
  /** The price as text at the instrument's precision: the row's key. */
  readonly key: string;
  readonly price: number;
  /** The venue's best bid / ask size, on the row at that price. */
  readonly bidAmount: number | undefined;
  readonly askAmount: number | undefined;
  /** Our live orders resting at this price: remaining amount and count, per side. */
  readonly ourBuyAmount: number;
  readonly ourBuyOrders: readonly string[];
  readonly ourSellAmount: number;
  readonly ourSellOrders: readonly string[];
  /** Reference prices that fall on this row (the nearest row to each). */
  readonly markers: readonly LadderMarker[];
  /** Below the mid: a click buys; above: sells. */
  readonly zone: 'bid' | 'ask';
}

export interface OffLadder {
  readonly buys: number;
  readonly sells: number;
}

export interface Ladder {
  readonly rows: readonly LadderRow[];
  readonly decimals: number;
  /** Our live orders priced above the top row and below the bottom one. */
  readonly above: OffLadder;
  readonly below: OffLadder;
  /** Prices the ladder's reference markers stand for (for the legend). */
  readonly references: Readonly<Partial<Record<LadderMarker, number>>>;
}

export interface LadderInput {
  readonly instrument: InstrumentRow;
  readonly quote: QuoteRow | undefined;
  readonly theo: TheoRow | undefined;
  /** Every order of ours (any instrument, any state): the ladder keeps the live ones on its instrument. */
  readonly orders: readonly OrderRow[];
  /** The book's depth when the engine publishes it (WatchBook); without it, only the touch shows sizes. */
  readonly book?: BookRow | undefined;
  /** Rows beyond the touch on each side. */
  readonly levels?: number;
  /** At most this many rows; a wider spread is shown around its mid. */
  readonly maxRows?: number;
}

/** Sizes per price key: the published depth when there is one (and it is live), else the touch alone. */
function depthByKey(book: BookRow | undefined, quote: QuoteRow | undefined, decimals: number): { readonly bids: Map<string, number>; readonly asks: Map<string, number> } {
  const bids = new Map<string, number>();
  const asks = new Map<string, number>();
  if (book && !book.stale) {
    for (const [price, amount] of book.bids) bids.set(price.toFixed(decimals), amount);
    for (const [price, amount] of book.asks) asks.set(price.toFixed(decimals), amount);
  } else {
    if (quote?.bidPrice !== undefined && quote.bidAmount !== undefined) bids.set(quote.bidPrice.toFixed(decimals), quote.bidAmount);
    if (quote?.askPrice !== undefined && quote.askAmount !== undefined) asks.set(quote.askPrice.toFixed(decimals), quote.askAmount);
  }
  return { bids, asks };
}

export const LIVE_ORDER_STATES: ReadonlySet<OrderRow['state']> = new Set(['pending-new', 'open', 'partially-filled', 'pending-replace', 'unknown']);

/** Decimals to print a price of this instrument with: its finest tick's. */
export function priceDecimals(instrument: Ticked): number {
  const ticks = [instrument.tickSize, ...(instrument.tickSizeSteps ?? []).map((step) => step.tickSize)];
  return Math.max(0, ...ticks.map((tick) => Math.max(0, Math.ceil(-Math.log10(tick) - 1e-9))));
}

function round(price: number, decimals: number): number {
  return Number(price.toFixed(decimals));
}

/** The next valid price above `price` (which is on the grid). */
export function tickUp(instrument: Ticked, price: number, decimals = priceDecimals(instrument)): number {
  return round(price + tickSizeAt(instrument, price + instrument.tickSize / 2), decimals);
}

/** The next valid price below `price` (which is on the grid); never below one tick. */
export function tickDown(instrument: Ticked, price: number, decimals = priceDecimals(instrument)): number {
  const below = round(price - tickSizeAt(instrument, price - instrument.tickSize / 2), decimals);
  return below > 0 ? below : price;
}

function stepped(instrument: Ticked, from: number, count: number, up: boolean, decimals: number): number {
  let price = from;
  for (let i = 0; i < count; i++) price = up ? tickUp(instrument, price, decimals) : tickDown(instrument, price, decimals);
  return price;
}

/** Valid prices from `top` down to `bottom` (both on the grid), at most `maxRows`. */
export function ladderPrices(instrument: Ticked, top: number, bottom: number, maxRows: number): number[] {
  const decimals = priceDecimals(instrument);
  const prices: number[] = [];
  let price = round(top, decimals);
  while (price >= bottom - instrument.tickSize / 2 && prices.length < maxRows) {
    prices.push(price);
    const next = tickDown(instrument, price, decimals);
    if (next === price) break;
    price = next;
  }
  return prices;
}

function referencePrices(quote: QuoteRow | undefined, theo: TheoRow | undefined): Partial<Record<LadderMarker, number>> {
  const references: Partial<Record<LadderMarker, number>> = {};
  const finite = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value > 0;
  if (finite(theo?.theoPrice)) references.theo = theo.theoPrice;
  if (finite(theo?.bidPrice)) references['our-bid'] = theo.bidPrice;
  if (finite(theo?.askPrice)) references['our-ask'] = theo.askPrice;
  if (finite(quote?.markPrice)) references.mark = quote.markPrice;
  if (finite(quote?.lastPrice)) references.last = quote.lastPrice;
  return references;
}

/** Where the ladder is centred when there is no two-sided book: the mid, else one side, else mark, theo, last. */
function anchors(quote: QuoteRow | undefined, references: Partial<Record<LadderMarker, number>>): { readonly high: number; readonly low: number } | undefined {
  const bid = quote?.bidPrice;
  const ask = quote?.askPrice;
  if (bid !== undefined && ask !== undefined) return { high: Math.max(bid, ask), low: Math.min(bid, ask) };
  const single = bid ?? ask ?? references.mark ?? references.theo ?? references.last;
  return single === undefined ? undefined : { high: single, low: single };
}

export function buildLadder(input: LadderInput): Ladder {
  const { instrument, quote, theo } = input;
  const levels = input.levels ?? 8;
  const maxRows = input.maxRows ?? 60;
  const decimals = priceDecimals(instrument);
  const references = referencePrices(quote, theo);
  const mine = input.orders.filter((order) => order.instrumentName === instrument.instrumentName && LIVE_ORDER_STATES.has(order.state));
  const around = anchors(quote, references);
  const empty: Ladder = { rows: [], decimals, above: { buys: 0, sells: 0 }, below: { buys: 0, sells: 0 }, references };
  if (!around) return empty;

  const low = snapPassive(instrument, around.low, 'buy');
  const high = snapPassive(instrument, around.high, 'sell');
  let top = stepped(instrument, high, levels, true, decimals);
  let bottom = stepped(instrument, low, levels, false, decimals);
  let prices = ladderPrices(instrument, top, bottom, Number.MAX_SAFE_INTEGER);
  if (prices.length > maxRows) {
    // A spread wider than the ladder: centre on its mid and let the touch fall off the edges.
    const mid = snapPassive(instrument, (around.low + around.high) / 2, 'buy');
    top = stepped(instrument, mid, Math.floor(maxRows / 2), true, decimals);
    bottom = stepped(instrument, mid, maxRows, false, decimals);
    prices = ladderPrices(instrument, top, bottom, maxRows);
  }
  if (prices.length === 0) return empty;

  const mid = (around.low + around.high) / 2;
  const byKey = new Map<string, { buy: number; buyIds: string[]; sell: number; sellIds: string[] }>();
  const above: { buys: number; sells: number } = { buys: 0, sells: 0 };
  const below: { buys: number; sells: number } = { buys: 0, sells: 0 };
  const highest = prices[0]!;
  const lowest = prices.at(-1)!;
  for (const order of mine) {
    const remaining = Math.max(0, order.amount - order.filledAmount);
    if (order.price > highest + instrument.tickSize / 2) {
      if (order.side === 'buy') above.buys++;
      else above.sells++;
      continue;
    }
    if (order.price < lowest - instrument.tickSize / 2) {
      if (order.side === 'buy') below.buys++;
      else below.sells++;
      continue;
    }
    const key = order.price.toFixed(decimals);
    const entry = byKey.get(key) ?? { buy: 0, buyIds: [], sell: 0, sellIds: [] };
    if (order.side === 'buy') {
      entry.buy += remaining;
      entry.buyIds.push(order.clientOrderId);
    } else {
      entry.sell += remaining;
      entry.sellIds.push(order.clientOrderId);
    }
    byKey.set(key, entry);
  }

  // Each reference marks the row nearest to it, if it lies within the ladder (half a tick of slack).
  const markersAt = new Map<number, LadderMarker[]>();
  for (const [marker, value] of Object.entries(references) as [LadderMarker, number][]) {
    if (value > highest + tickSizeAt(instrument, highest) / 2 || value < lowest - tickSizeAt(instrument, lowest) / 2) continue;
    let nearest = 0;
    for (let i = 1; i < prices.length; i++) if (Math.abs(prices[i]! - value) < Math.abs(prices[nearest]! - value)) nearest = i;
    markersAt.set(nearest, [...(markersAt.get(nearest) ?? []), marker]);
  }

  const depth = depthByKey(input.book, quote, decimals);
  const rows = prices.map((price, i): LadderRow => {
    const key = price.toFixed(decimals);
    const ours = byKey.get(key);
    return {
      key,
      price,
      bidAmount: depth.bids.get(key),
      askAmount: depth.asks.get(key),
      ourBuyAmount: ours?.buy ?? 0,
      ourBuyOrders: ours?.buyIds ?? [],
      ourSellAmount: ours?.sell ?? 0,
      ourSellOrders: ours?.sellIds ?? [],
      markers: markersAt.get(i) ?? [],
      zone: price <= mid ? 'bid' : 'ask',
    };
  });
  return { rows, decimals, above, below, references };
}

/** What a click on a ladder cell asks for: buy on the bid side, sell on the ask side, at the row's price. */
export interface LadderDraft {
  readonly side: 'buy' | 'sell';
  readonly price: number;
}

export type DraftCheck = { readonly ok: true; readonly amount: number } | { readonly ok: false; readonly reason: string };

/** The draft's amount and price, checked before anything is sent (the engine checks again). */
export function checkDraft(instrument: InstrumentRow, draft: LadderDraft, amountText: string): DraftCheck {
  const amount = Number(amountText);
  if (amountText.trim() === '' || !Number.isFinite(amount) || amount <= 0) return { ok: false, reason: 'amount must be a positive number' };
  const lots = amount / instrument.minTradeAmount;
  if (Math.abs(lots - Math.round(lots)) > 1e-6) return { ok: false, reason: `amount must be a multiple of ${instrument.minTradeAmount}` };
  if (!(draft.price > 0) || !isOnTick(instrument, draft.price)) return { ok: false, reason: `price must be a multiple of the tick ${tickSizeAt(instrument, draft.price)}` };
  return { ok: true, amount };
}

/** "3 of our orders above", "1 buy below": what lies beyond the ladder's edge. */
export function offLadderText(where: 'above' | 'below', off: OffLadder): string {
  const total = off.buys + off.sells;
  if (total === 0) return '';
  const parts = [off.buys > 0 ? `${off.buys} buy${off.buys === 1 ? '' : 's'}` : '', off.sells > 0 ? `${off.sells} sell${off.sells === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${where === 'above' ? '▲' : '▼'} ${parts.join(', ')} of ours ${where}`;
}
