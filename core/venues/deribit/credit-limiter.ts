/**
 * Deribit's credit-based rate limit, modelled on our side so that requests wait for credits
 * instead of being refused (too_many_requests, 10028, which also ends the session). Pure: the
 * caller passes the time.
 *
 * Deribit's rules (docs.deribit.com/articles/rate-limits; test/fixtures/deribit/rate-limits.md):
 * every request costs credits from a per-sub-account pool that refills continuously up to a
 * maximum. Matching-engine requests (buy, sell, edit, cancel*, mass_quote…) draw from the
 * matching pool (tier 4: burst 20, 5 per second), everything else from the non-matching pool
 * (500 credits a request, 50,000 at most, 10,000 per second). Subscriptions (3,000 of a 30,000
 * pool) and get_instruments (10,000 of a 500,000 pool) have pools of their own; we also charge
 * them to the non-matching pool, as the simulator does, which only makes us more careful on
 * Deribit itself.
 *
 * Mass quotes are limited apart from orders (docs.deribit.com/articles/mass-quotes-specifications;
 * the account's `maximum_mass_quotes`, `maximum_quotes`, `guaranteed_mass_quotes`): a request
 * goes at the higher rate while the quotes it carries fit a rate of quotes, and at a small
 * guaranteed rate whatever its size. We model the higher rate only — a request costs one credit
 * of the mass-quote pool and one of the quote pool per instrument quoted — which never sends
 * what the venue would refuse, at the price of not using the guaranteed rate on top. Quote
 * cancels (cancel_quotes, also limited apart, figures unpublished) are charged to the matching
 * pool as cancels.
 *
 * Requests wait in one queue per pool, each served in priority order: cancels (and the control
 * requests a session needs to stay alive) first, then amends, then queries, then new orders;
 * among equals, the lower `priority` number (quoting passes distance from the money), then the
 * older request. A request never jumps ahead of a better one of its queue that cannot be paid
 * yet: otherwise a stream of cheap requests could starve it.
 */

export interface CreditPoolSpec {
  readonly maxCredits: number;
  readonly refillPerSec: number;
  readonly costPerRequest: number;
}

export interface RateSpec {
  readonly burst: number;
  readonly perSec: number;
}

/** Deribit's mass-quote limits, in its terms (requests, and quotes, per second with a burst). */
export interface MassQuoteRateLimits {
  readonly guaranteed: RateSpec;
  readonly maximum: RateSpec;
  readonly quotes: RateSpec;
}

/** A venue's limits in Deribit's terms (the simulator's CreditConfig has this shape). */
export interface DeribitRateLimits {
  readonly matching: CreditPoolSpec;
  readonly nonMatching: CreditPoolSpec;
  readonly subscribe?: CreditPoolSpec;
  readonly getInstruments?: CreditPoolSpec;
  readonly massQuotes?: MassQuoteRateLimits;
}

/** The example limits of Deribit's rate-limits article. */
export const DERIBIT_MASS_QUOTE_LIMITS: MassQuoteRateLimits = {
  guaranteed: { burst: 2, perSec: 2 },
  maximum: { burst: 10, perSec: 10 },
  quotes: { burst: 500, perSec: 500 },
};

/**
 * Deribit's documented defaults for the lowest tier. The matching pool's unit cost is not
 * published (the docs give requests per second and a burst); 1,000 credits a request is the
 * simulator's choice, and only the ratios matter.
 */
export const DERIBIT_DEFAULT_LIMITS: DeribitRateLimits = {
  matching: { maxCredits: 20_000, refillPerSec: 5_000, costPerRequest: 1_000 },
  nonMatching: { maxCredits: 50_000, refillPerSec: 10_000, costPerRequest: 500 },
  subscribe: { maxCredits: 30_000, refillPerSec: 10_000, costPerRequest: 3_000 },
  getInstruments: { maxCredits: 500_000, refillPerSec: 10_000, costPerRequest: 10_000 },
  massQuotes: DERIBIT_MASS_QUOTE_LIMITS,
};

export type PoolName = 'matching' | 'nonMatching' | 'subscribe' | 'getInstruments' | 'massQuotes' | 'quotes';

/** Matching-engine methods (Deribit's list, restricted to what a workstation sends). */
export const MATCHING_METHODS: ReadonlySet<string> = new Set([
  'private/buy',
  'private/sell',
  'private/edit',
  'private/edit_by_label',
  'private/cancel',
  'private/cancel_by_label',
  'private/cancel_all',
  'private/cancel_all_by_instrument',
  'private/cancel_all_by_currency',
  'private/cancel_all_by_kind_or_type',
  'private/close_position',
  'private/mass_quote',
  'private/cancel_quotes',
]);

export interface Charge {
  readonly pool: PoolName;
  readonly credits: number;
}

/** The pool a method's 10028 speaks of. */
export function poolOf(method: string): 'matching' | 'nonMatching' {
  return MATCHING_METHODS.has(method) ? 'matching' : 'nonMatching';
}

/** What a method costs, its main pool first (the queue it waits in); `quotes`: the instruments a mass quote carries. */
export function chargesFor(method: string, limits: DeribitRateLimits, quotes = 0): readonly Charge[] {
  if (method === 'private/mass_quote' && limits.massQuotes) return [{ pool: 'massQuotes', credits: 1 }, { pool: 'quotes', credits: quotes }];
  if (MATCHING_METHODS.has(method)) return [{ pool: 'matching', credits: limits.matching.costPerRequest }];
  const base: Charge = { pool: 'nonMatching', credits: limits.nonMatching.costPerRequest };
  if ((method === 'public/subscribe' || method === 'private/subscribe') && limits.subscribe) return [base, { pool: 'subscribe', credits: limits.subscribe.costPerRequest }];
  if (method === 'public/get_instruments' && limits.getInstruments) return [base, { pool: 'getInstruments', credits: limits.getInstruments.costPerRequest }];
  return [base];
}

export interface PoolLimits {
  readonly maxCredits: number;
  readonly refillPerSec: number;
  /**
   * Never spent: our estimate and the venue's pool drift apart (the venue refills on its own
   * clock — the simulator in 100 ms steps — and the network bunches requests together), and a
   * request the venue cannot pay costs the whole session.
   */
  readonly safetyCredits: number;
  /** Spent only by cancels and control requests, so that pulling quotes never waits behind quoting. */
  readonly cancelReserveCredits: number;
}

/**
 * The limiter's pools for a venue's limits: a quarter of a second of refill kept as a safety
 * margin (at least one request, at most half the pool, so a fast pool still allows a burst), and
 * two requests' worth of matching credits kept for cancels.
 */
export function poolLimitsFor(limits: DeribitRateLimits): Readonly<Record<PoolName, PoolLimits>> {
  const pool = (spec: CreditPoolSpec | undefined, cancelRequests: number): PoolLimits =>
    spec
      ? {
          maxCredits: spec.maxCredits,
          refillPerSec: spec.refillPerSec,
          safetyCredits: Math.max(spec.costPerRequest, Math.min(spec.refillPerSec / 4, spec.maxCredits / 2)),
          cancelReserveCredits: cancelRequests * spec.costPerRequest,
        }
      : { maxCredits: Number.POSITIVE_INFINITY, refillPerSec: Number.POSITIVE_INFINITY, safetyCredits: 0, cancelReserveCredits: 0 };
  const rate = (spec: RateSpec | undefined): CreditPoolSpec | undefined => spec && { maxCredits: spec.burst, refillPerSec: spec.perSec, costPerRequest: 1 };
  return {
    matching: pool(limits.matching, 2),
    nonMatching: pool(limits.nonMatching, 0),
    subscribe: pool(limits.subscribe, 0),
    getInstruments: pool(limits.getInstruments, 0),
    massQuotes: pool(rate(limits.massQuotes?.maximum), 0),
    quotes: pool(rate(limits.massQuotes?.quotes), 0),
  };
}

export type RequestClass = 'control' | 'cancel' | 'replace' | 'query' | 'place';

const RANK: Readonly<Record<RequestClass, number>> = { control: 0, cancel: 0, replace: 1, query: 2, place: 3 };

export interface RequestTerms {
  readonly cls: RequestClass;
  /** Lower first among requests of the same class. */
  readonly priority?: number;
  readonly charges: readonly Charge[];
}

interface Entry<T> {
  readonly item: T;
  readonly rank: number;
  readonly priority: number;
  readonly seq: number;
  readonly cls: RequestClass;
  readonly charges: readonly Charge[];
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

/** A binary min-heap on `before`. */
class Heap<T> {
  readonly #items: Entry<T>[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Entry<T> | undefined {
    return this.#items[0];
  }

  push(entry: Entry<T>): void {
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Entry<T> | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < items.length && before(items[left]!, items[best]!)) best = left;
      if (right < items.length && before(items[right]!, items[best]!)) best = right;
      if (best === i) break;
      [items[i], items[best]] = [items[best]!, items[i]!];
      i = best;
    }
    return top;
  }

  /** Removes and returns the entries `match` selects, keeping the others in order. */
  remove(match: (entry: Entry<T>) => boolean): Entry<T>[] {
    const removed = this.#items.filter(match);
    if (removed.length === 0) return removed;
    const kept = this.#items.filter((entry) => !match(entry));
    this.#items.length = 0;
    for (const entry of kept) this.push(entry);
    return removed;
  }
}

interface PoolState {
  credits: number;
  lastMs: number;
  readonly limits: PoolLimits;
}

export class CreditLimiter<T> {
  readonly #pools = new Map<PoolName, PoolState>();
  /** One queue per main pool. */
  readonly #queues = new Map<PoolName, Heap<T>>();
  #seq = 0;

  constructor(pools: Readonly<Record<PoolName, PoolLimits>>, nowMs: number) {
    for (const [name, limits] of Object.entries(pools) as Array<[PoolName, PoolLimits]>) {
      this.#pools.set(name, { credits: limits.maxCredits, lastMs: nowMs, limits });
    }
  }

  /** Requests waiting for credits. */
  get queued(): number {
    let total = 0;
    for (const queue of this.#queues.values()) total += queue.size;
    return total;
  }

  /** Credits our model says the pool holds now. */
  available(pool: PoolName, nowMs: number): number {
    const state = this.#pools.get(pool);
    if (!state) return Number.POSITIVE_INFINITY;
    this.#refill(state, nowMs);
    return state.credits;
  }

  maxCredits(pool: PoolName): number {
    return this.#pools.get(pool)?.limits.maxCredits ?? Number.POSITIVE_INFINITY;
  }

  enqueue(item: T, terms: RequestTerms): void {
    const main = terms.charges[0]?.pool ?? 'nonMatching';
    let queue = this.#queues.get(main);
    if (!queue) {
      queue = new Heap<T>();
      this.#queues.set(main, queue);
    }
    queue.push({ item, rank: RANK[terms.cls], priority: terms.priority ?? 0, seq: this.#seq++, cls: terms.cls, charges: terms.charges });
  }

  /** The requests that may go now, best first, their credits taken. */
  release(nowMs: number): T[] {
    for (const state of this.#pools.values()) this.#refill(state, nowMs);
    const out: Entry<T>[] = [];
    for (const queue of this.#queues.values()) {
      for (let head = queue.peek(); head && this.#waitMs(head) === 0; head = queue.peek()) {
        queue.pop();
        for (const charge of head.charges) {
          const state = this.#pools.get(charge.pool);
          if (state) state.credits -= charge.credits;
        }
        out.push(head);
      }
    }
    // Sent in this order within one turn: the venue sees cancels first.
    out.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return out.map((entry) => entry.item);
  }

  /** When `release` will next have something to give (venue time), or undefined when nothing waits. */
  nextReleaseMs(nowMs: number): number | undefined {
    let next: number | undefined;
    for (const state of this.#pools.values()) this.#refill(state, nowMs);
    for (const queue of this.#queues.values()) {
      const head = queue.peek();
      if (!head) continue;
      const at = nowMs + this.#waitMs(head);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** The venue refused a request of this pool: our estimate was optimistic; start again from empty. */
  exhausted(pool: PoolName, nowMs: number): void {
    const state = this.#pools.get(pool);
    if (!state) return;
    state.credits = 0;
    state.lastMs = nowMs;
  }

  /** Takes out the waiting requests `match` selects (a lost connection, safe mode), in queue order. */
  remove(match: (item: T, cls: RequestClass) => boolean): T[] {
    const removed: Entry<T>[] = [];
    for (const queue of this.#queues.values()) removed.push(...queue.remove((entry) => match(entry.item, entry.cls)));
    removed.sort((a, b) => (before(a, b) ? -1 : 1));
    return removed.map((entry) => entry.item);
  }

  #refill(state: PoolState, nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - state.lastMs);
    if (elapsedMs > 0 && state.credits < state.limits.maxCredits) state.credits = Math.min(state.limits.maxCredits, state.credits + (elapsedMs * state.limits.refillPerSec) / 1000);
    state.lastMs = Math.max(state.lastMs, nowMs);
  }

  /** Milliseconds until every pool the request draws from can pay it above its floor (pools already refilled). */
  #waitMs(entry: Entry<T>): number {
    let waitMs = 0;
    const urgent = entry.cls === 'cancel' || entry.cls === 'control';
    for (const charge of entry.charges) {
      const state = this.#pools.get(charge.pool);
      if (!state) continue;
      const { maxCredits, refillPerSec, safetyCredits, cancelReserveCredits } = state.limits;
      const floor = safetyCredits + (urgent ? 0 : cancelReserveCredits);
      // A cost above what the pool can ever hold over its floor waits for a full pool.
      const needed = Math.min(maxCredits, charge.credits + floor);
      const missing = needed - state.credits;
      if (missing > 0) waitMs = Math.max(waitMs, Math.ceil((missing * 1000) / refillPerSec));
    }
    return waitMs;
  }
}
