/**
 * A venue's L2 order book for one instrument, as the engine keeps it: levels keyed by integer
 * tick index, applied from a snapshot and then change messages chained by change ids. Anything
 * that breaks the chain or leaves the book crossed marks it stale; a stale book answers no
 * prices until a fresh snapshot arrives, so nothing can quote on it.
 */

export type LevelAction = 'new' | 'change' | 'delete';

export interface LevelUpdate {
  readonly action: LevelAction;
  readonly priceTicks: number;
  readonly amount: number;
}

export type BookStatus = { readonly state: 'empty' } | { readonly state: 'live' } | { readonly state: 'stale'; readonly reason: string };

/** Price levels of one side, best first, as a sorted array of ticks plus amounts by tick. */
class Side {
  readonly amounts = new Map<number, number>();
  /** Sorted best first: descending for bids, ascending for asks. */
  readonly ticks: number[] = [];
  constructor(private readonly descending: boolean) {}

  #index(priceTicks: number): number {
    let lo = 0;
    let hi = this.ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.ticks[mid]!;
      if (this.descending ? t > priceTicks : t < priceTicks) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(priceTicks: number, amount: number): void {
    if (!this.amounts.has(priceTicks)) this.ticks.splice(this.#index(priceTicks), 0, priceTicks);
    this.amounts.set(priceTicks, amount);
  }

  delete(priceTicks: number): void {
    if (!this.amounts.delete(priceTicks)) return;
    const index = this.#index(priceTicks);
    if (this.ticks[index] === priceTicks) this.ticks.splice(index, 1);
  }

  clear(): void {
    this.amounts.clear();
    this.ticks.length = 0;
  }
}

export class L2Book {
  readonly #bids = new Side(true);
  readonly #asks = new Side(false);
  #changeId: number | undefined;
  #status: BookStatus = { state: 'empty' };
  #updatedTsMs = 0;

  constructor(readonly instrumentName: string) {}

  get status(): BookStatus {
    return this.#status;
  }

  get changeId(): number | undefined {
    return this.#changeId;
  }

  get updatedTsMs(): number {
    return this.#updatedTsMs;
  }

  /** Replaces the book; a snapshot is the only way out of stale. */
  applySnapshot(changeId: number, bids: readonly LevelUpdate[], asks: readonly LevelUpdate[], tsMs: number): BookStatus {
    this.#bids.clear();
    this.#asks.clear();
    for (const level of bids) if (level.amount > 0) this.#bids.set(level.priceTicks, level.amount);
    for (const level of asks) if (level.amount > 0) this.#asks.set(level.priceTicks, level.amount);
    this.#changeId = changeId;
    this.#updatedTsMs = tsMs;
    this.#status = { state: 'live' };
    return this.#checkCrossed();
  }

  /**
   * Applies a change message. A `prevChangeId` that does not follow the last applied change id
   * means a message was lost: the book goes stale and ignores changes until a snapshot.
   */
  applyChange(prevChangeId: number, changeId: number, bids: readonly LevelUpdate[], asks: readonly LevelUpdate[], tsMs: number): BookStatus {
    if (this.#status.state !== 'live') return this.#status;
    if (prevChangeId !== this.#changeId) return this.markStale(`change_id gap: expected prev ${this.#changeId}, got ${prevChangeId}`);
    for (const level of bids) this.#apply(this.#bids, level);
    for (const level of asks) this.#apply(this.#asks, level);
    this.#changeId = changeId;
    this.#updatedTsMs = tsMs;
    return this.#checkCrossed();
  }

  #apply(side: Side, level: LevelUpdate): void {
    if (level.action === 'delete' || level.amount <= 0) side.delete(level.priceTicks);
    else side.set(level.priceTicks, level.amount);
  }

  #checkCrossed(): BookStatus {
    const bid = this.#bids.ticks[0];
    const ask = this.#asks.ticks[0];
    if (bid !== undefined && ask !== undefined && bid >= ask) return this.markStale(`crossed book: bid ${bid} >= ask ${ask} ticks`);
    return this.#status;
  }

  markStale(reason: string): BookStatus {
    this.#status = { state: 'stale', reason };
    return this.#status;
  }

  /** Best bid in ticks, only while the book is live. */
  bestBidTicks(): number | undefined {
    return this.#status.state === 'live' ? this.#bids.ticks[0] : undefined;
  }

  bestAskTicks(): number | undefined {
    return this.#status.state === 'live' ? this.#asks.ticks[0] : undefined;
  }

  amountAt(side: 'bid' | 'ask', priceTicks: number): number | undefined {
    return (side === 'bid' ? this.#bids : this.#asks).amounts.get(priceTicks);
  }

  /** Levels best first, as [priceTicks, amount], only while live. */
  levels(side: 'bid' | 'ask', maxLevels = Infinity): Array<readonly [number, number]> {
    if (this.#status.state !== 'live') return [];
    const source = side === 'bid' ? this.#bids : this.#asks;
    const out: Array<readonly [number, number]> = [];
    for (let i = 0; i < source.ticks.length && i < maxLevels; i++) {
      const ticks = source.ticks[i]!;
      out.push([ticks, source.amounts.get(ticks)!]);
    }
    return out;
  }
}
