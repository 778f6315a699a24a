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

/**
 * Price levels of one side as two parallel arrays sorted worst first, so the best level is the
 * last element: the updates a live book mostly gets (at or near the top) insert and remove at the
 * end of the arrays and shift little. No per-level objects, no hashing.
 */
class Side {
  /** Ticks sorted worst first: ascending for bids, descending for asks. */
  readonly ticks: number[] = [];
  readonly amounts: number[] = [];
  /** `descending`: the arrays' order, worst first (false for bids, true for asks). */
  constructor(private readonly descending: boolean) {}

  /** Best price in ticks, if any. */
  best(): number | undefined {
    return this.ticks[this.ticks.length - 1];
  }

  /** Index of `priceTicks`, or -(insertion point) - 1 when absent. Searches from the top, where updates land. */
  #find(priceTicks: number): number {
    const ticks = this.ticks;
    const descending = this.descending;
    let hi = ticks.length - 1;
    // Most updates touch the top few levels: look there before bisecting.
    for (let n = 0; n < 4 && hi >= 0; n++, hi--) {
      const t = ticks[hi]!;
      if (t === priceTicks) return hi;
      if (descending ? t > priceTicks : t < priceTicks) return -(hi + 1) - 1;
    }
    let lo = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = ticks[mid]!;
      if (t === priceTicks) return mid;
      if (descending ? t > priceTicks : t < priceTicks) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  amountAt(priceTicks: number): number | undefined {
    const index = this.#find(priceTicks);
    return index >= 0 ? this.amounts[index] : undefined;
  }

  set(priceTicks: number, amount: number): void {
    const index = this.#find(priceTicks);
    if (index >= 0) {
      this.amounts[index] = amount;
      return;
    }
    const at = -index - 1;
    const ticks = this.ticks;
    const amounts = this.amounts;
    let j = ticks.length;
    ticks.push(priceTicks);
    amounts.push(amount);
    for (; j > at; j--) {
      ticks[j] = ticks[j - 1]!;
      amounts[j] = amounts[j - 1]!;
    }
    ticks[at] = priceTicks;
    amounts[at] = amount;
  }

  delete(priceTicks: number): void {
    const index = this.#find(priceTicks);
    if (index < 0) return;
    const ticks = this.ticks;
    const amounts = this.amounts;
    const last = ticks.length - 1;
    for (let j = index; j < last; j++) {
      ticks[j] = ticks[j + 1]!;
      amounts[j] = amounts[j + 1]!;
    }
    ticks.pop();
    amounts.pop();
  }

  /**
   * Replaces the side with `levels` (amounts <= 0 skipped, a repeated price keeps its last amount).
   * Venues send snapshots best first: that order fills the arrays directly, anything else level by level.
   */
  replace(levels: readonly LevelUpdate[]): void {
    const ticks = this.ticks;
    const amounts = this.amounts;
    ticks.length = 0;
    amounts.length = 0;
    let count = 0;
    let previous = Number.NaN;
    let sorted = true;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      if (!(level.amount > 0)) continue;
      const t = level.priceTicks;
      // Best first means strictly worse each step: descending ticks for bids, ascending for asks.
      if (count > 0 && !(this.descending ? t > previous : t < previous)) {
        sorted = false;
        break;
      }
      previous = t;
      count++;
    }
    if (!sorted) {
      for (const level of levels) if (level.amount > 0) this.set(level.priceTicks, level.amount);
      return;
    }
    ticks.length = count;
    amounts.length = count;
    let j = count;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      if (!(level.amount > 0)) continue;
      j--;
      ticks[j] = level.priceTicks;
      amounts[j] = level.amount;
    }
  }

  /** Levels best first, as [priceTicks, amount]. */
  levels(maxLevels: number): Array<readonly [number, number]> {
    const out: Array<readonly [number, number]> = [];
    for (let i = this.ticks.length - 1; i >= 0 && out.length < maxLevels; i--) out.push([this.ticks[i]!, this.amounts[i]!]);
    return out;
  }
}

export class L2Book {
  readonly #bids = new Side(false);
  readonly #asks = new Side(true);
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
    this.#bids.replace(bids);
    this.#asks.replace(asks);
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
    for (let i = 0; i < bids.length; i++) this.#apply(this.#bids, bids[i]!);
    for (let i = 0; i < asks.length; i++) this.#apply(this.#asks, asks[i]!);
    this.#changeId = changeId;
    this.#updatedTsMs = tsMs;
    return this.#checkCrossed();
  }

  #apply(side: Side, level: LevelUpdate): void {
    if (level.action === 'delete' || level.amount <= 0) side.delete(level.priceTicks);
    else side.set(level.priceTicks, level.amount);
  }

  #checkCrossed(): BookStatus {
    const bid = this.#bids.best();
    const ask = this.#asks.best();
    if (bid !== undefined && ask !== undefined && bid >= ask) return this.markStale(`crossed book: bid ${bid} >= ask ${ask} ticks`);
    return this.#status;
  }

  markStale(reason: string): BookStatus {
    this.#status = { state: 'stale', reason };
    return this.#status;
  }

  /** Best bid in ticks, only while the book is live. */
  bestBidTicks(): number | undefined {
    return this.#status.state === 'live' ? this.#bids.best() : undefined;
  }

  bestAskTicks(): number | undefined {
    return this.#status.state === 'live' ? this.#asks.best() : undefined;
  }

  amountAt(side: 'bid' | 'ask', priceTicks: number): number | undefined {
    return (side === 'bid' ? this.#bids : this.#asks).amountAt(priceTicks);
  }

  /** Levels best first, as [priceTicks, amount], only while live. */
  levels(side: 'bid' | 'ask', maxLevels = Infinity): Array<readonly [number, number]> {
    if (this.#status.state !== 'live') return [];
    return (side === 'bid' ? this.#bids : this.#asks).levels(maxLevels);
  }
}
