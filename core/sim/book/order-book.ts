/**
 * A price-time priority limit order book for one instrument. Prices are integer tick indices
 * and amounts integer lots (the instrument's minimum amount step), so matching does exact
 * arithmetic; conversion to Deribit's decimal prices and amounts happens at the edge.
 *
 * Each side keeps its price levels in a sorted array (best first) with a FIFO queue per level.
 * Market makers' books have few levels, so binary-search insertion into an array beats a tree.
 */

export type Side = 'buy' | 'sell';

export interface RestingOrder {
  readonly orderId: string;
  readonly ownerId: string;
  readonly side: Side;
  readonly priceTicks: number;
  /** Remaining lots; the book decrements it as the order fills. */
  lots: number;
  /** Arrival sequence: time priority within a level. */
  readonly seq: number;
}

export interface Fill {
  readonly maker: RestingOrder;
  readonly priceTicks: number;
  readonly lots: number;
  /** Lots the maker still has after this fill (0 = filled and removed). */
  readonly makerLotsLeft: number;
}

export interface Level {
  readonly priceTicks: number;
  readonly lots: number;
  readonly orders: number;
}

interface PriceLevel {
  readonly priceTicks: number;
  readonly queue: RestingOrder[];
  lots: number;
}

/** What to do when a taker would trade against its own owner's resting order. */
export type SelfTradePrevention = 'cancel_maker' | 'reject_taker';

export interface MatchRequest {
  readonly ownerId: string;
  readonly side: Side;
  /** Worst price the taker accepts; undefined for a market order. */
  readonly limitTicks: number | undefined;
  readonly lots: number;
  readonly selfTrade: SelfTradePrevention;
}

export interface MatchResult {
  readonly fills: readonly Fill[];
  readonly lotsLeft: number;
  /** Own resting orders removed by self-trade prevention. */
  readonly cancelledOwn: readonly RestingOrder[];
  /** True when matching stopped at an own order under 'reject_taker'. */
  readonly stoppedBySelfTrade: boolean;
}

class BookSide {
  /** Best first: descending prices for bids, ascending for asks. */
  readonly levels: PriceLevel[] = [];
  constructor(private readonly isBid: boolean) {}

  better(a: number, b: number): boolean {
    return this.isBid ? a > b : a < b;
  }

  /** Index of the level at `priceTicks`, or where it would be inserted. */
  find(priceTicks: number): { index: number; found: boolean } {
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const price = this.levels[mid]!.priceTicks;
      if (price === priceTicks) return { index: mid, found: true };
      if (this.better(price, priceTicks)) lo = mid + 1;
      else hi = mid;
    }
    return { index: lo, found: false };
  }

  add(order: RestingOrder): void {
    const { index, found } = this.find(order.priceTicks);
    if (found) {
      const level = this.levels[index]!;
      level.queue.push(order);
      level.lots += order.lots;
    } else {
      this.levels.splice(index, 0, { priceTicks: order.priceTicks, queue: [order], lots: order.lots });
    }
  }

  remove(order: RestingOrder): boolean {
    const { index, found } = this.find(order.priceTicks);
    if (!found) return false;
    const level = this.levels[index]!;
    const position = level.queue.indexOf(order);
    if (position < 0) return false;
    level.queue.splice(position, 1);
    level.lots -= order.lots;
    if (level.queue.length === 0) this.levels.splice(index, 1);
    return true;
  }
}

export class OrderBook {
  readonly #bids = new BookSide(true);
  readonly #asks = new BookSide(false);
  readonly #orders = new Map<string, RestingOrder>();
  #nextSeq = 1;

  #side(side: Side): BookSide {
    return side === 'buy' ? this.#bids : this.#asks;
  }

  get size(): number {
    return this.#orders.size;
  }

  get(orderId: string): RestingOrder | undefined {
    return this.#orders.get(orderId);
  }

  bestBidTicks(): number | undefined {
    return this.#bids.levels[0]?.priceTicks;
  }

  bestAskTicks(): number | undefined {
    return this.#asks.levels[0]?.priceTicks;
  }

  /** Lots at the best level of a side (0 when the side is empty). */
  bestLots(side: Side): number {
    return this.#side(side).levels[0]?.lots ?? 0;
  }

  /** Adds a resting order at the back of its level's queue. The caller ensures it does not cross. */
  add(order: Omit<RestingOrder, 'seq'>): RestingOrder {
    if (this.#orders.has(order.orderId)) throw new Error(`duplicate order id ${order.orderId}`);
    if (!Number.isInteger(order.lots) || order.lots <= 0) throw new Error(`order ${order.orderId}: lots must be a positive integer`);
    if (!Number.isInteger(order.priceTicks)) throw new Error(`order ${order.orderId}: price must be an integer tick index`);
    const resting: RestingOrder = { ...order, seq: this.#nextSeq++ };
    this.#side(order.side).add(resting);
    this.#orders.set(order.orderId, resting);
    return resting;
  }

  cancel(orderId: string): RestingOrder | undefined {
    const order = this.#orders.get(orderId);
    if (!order) return undefined;
    this.#side(order.side).remove(order);
    this.#orders.delete(orderId);
    return order;
  }

  /**
   * Changes an order's amount in place. Reducing keeps time priority (Deribit, like most venues,
   * lets an order shrink without losing its place); anything else goes through cancel + add.
   */
  reduce(orderId: string, lots: number): boolean {
    const order = this.#orders.get(orderId);
    if (!order || lots <= 0 || lots >= order.lots) return false;
    const { index } = this.#side(order.side).find(order.priceTicks);
    const level = this.#side(order.side).levels[index]!;
    level.lots -= order.lots - lots;
    order.lots = lots;
    return true;
  }

  /** Would a taker on `side` at `limitTicks` trade immediately (against anyone)? */
  wouldCross(side: Side, limitTicks: number): boolean {
    const best = side === 'buy' ? this.bestAskTicks() : this.bestBidTicks();
    return best !== undefined && (side === 'buy' ? best <= limitTicks : best >= limitTicks);
  }

  /** Lots available to a taker up to its limit, not counting its owner's own orders. */
  availableLots(side: Side, limitTicks: number | undefined, ownerId: string): number {
    const opposite = this.#side(side === 'buy' ? 'sell' : 'buy');
    let total = 0;
    for (const level of opposite.levels) {
      if (limitTicks !== undefined && (side === 'buy' ? level.priceTicks > limitTicks : level.priceTicks < limitTicks)) break;
      for (const order of level.queue) if (order.ownerId !== ownerId) total += order.lots;
    }
    return total;
  }

  /** Takes liquidity in price-time priority; the taker's remainder is the caller's to rest or cancel. */
  match(request: MatchRequest): MatchResult {
    const opposite = this.#side(request.side === 'buy' ? 'sell' : 'buy');
    const fills: Fill[] = [];
    const cancelledOwn: RestingOrder[] = [];
    let lotsLeft = request.lots;
    let stoppedBySelfTrade = false;
    outer: while (lotsLeft > 0 && opposite.levels.length > 0) {
      const level = opposite.levels[0]!;
      if (request.limitTicks !== undefined && (request.side === 'buy' ? level.priceTicks > request.limitTicks : level.priceTicks < request.limitTicks)) break;
      while (level.queue.length > 0 && lotsLeft > 0) {
        const maker = level.queue[0]!;
        if (maker.ownerId === request.ownerId) {
          if (request.selfTrade === 'reject_taker') {
            stoppedBySelfTrade = true;
            break outer;
          }
          level.queue.shift();
          level.lots -= maker.lots;
          this.#orders.delete(maker.orderId);
          cancelledOwn.push(maker);
          continue;
        }
        const lots = Math.min(lotsLeft, maker.lots);
        maker.lots -= lots;
        level.lots -= lots;
        lotsLeft -= lots;
        fills.push({ maker, priceTicks: level.priceTicks, lots, makerLotsLeft: maker.lots });
        if (maker.lots === 0) {
          level.queue.shift();
          this.#orders.delete(maker.orderId);
        }
      }
      if (level.queue.length === 0) opposite.levels.shift();
    }
    return { fills, lotsLeft, cancelledOwn, stoppedBySelfTrade };
  }

  /** Aggregated depth, best first. */
  depth(side: Side, maxLevels = Infinity): Level[] {
    const levels = this.#side(side).levels;
    const out: Level[] = [];
    for (let i = 0; i < levels.length && i < maxLevels; i++) {
      const level = levels[i]!;
      out.push({ priceTicks: level.priceTicks, lots: level.lots, orders: level.queue.length });
    }
    return out;
  }

  /** Every resting order of an owner (for cancel-all and reconciliation). */
  ordersOf(ownerId: string): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const order of this.#orders.values()) if (order.ownerId === ownerId) out.push(order);
    return out;
  }

  /** Lots queued ahead of an order at its level (queue position, for fill realism checks). */
  lotsAhead(orderId: string): number | undefined {
    const order = this.#orders.get(orderId);
    if (!order) return undefined;
    const side = this.#side(order.side);
    const level = side.levels[side.find(order.priceTicks).index]!;
    let ahead = 0;
    for (const queued of level.queue) {
      if (queued === order) break;
      ahead += queued.lots;
    }
    return ahead;
  }
}
