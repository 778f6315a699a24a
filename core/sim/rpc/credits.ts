/**
 * Deribit's credit-based rate limit: each request costs credits from a pool that refills
 * continuously up to a cap. Matching-engine requests (orders) and the rest draw from separate
 * pools. Pure: the caller passes the time.
 */
export interface CreditPoolConfig {
  readonly maxCredits: number;
  readonly refillPerSec: number;
  readonly costPerRequest: number;
}

export interface CreditConfig {
  readonly nonMatching: CreditPoolConfig;
  readonly matching: CreditPoolConfig;
  /** Mass quotes' own limits (Deribit rate-limits them apart from orders); DEFAULT_MASS_QUOTE_LIMITS when absent. */
  readonly massQuotes?: MassQuoteLimits;
}

export interface RatePool {
  readonly burst: number;
  readonly perSec: number;
}

/**
 * Deribit's mass-quote limits (docs.deribit.com/articles/rate-limits: the `maximum_quotes`,
 * `maximum_mass_quotes` and `guaranteed_mass_quotes` of an account's limits; the mass quotes
 * article): a guaranteed rate of requests whatever their size, and a higher rate of requests
 * while the quotes they carry stay within a rate of quotes. How the venue combines them is not
 * published; the simulator lets a request through on the higher rate when both its request and
 * its quotes can be paid, else on the guaranteed rate, else refuses it with too_many_quotes.
 */
export interface MassQuoteLimits {
  readonly guaranteed: RatePool;
  readonly maximum: RatePool;
  /** Quotes (entries of the `quotes` array) per second across requests. */
  readonly quotes: RatePool;
}

/** The example limits of Deribit's rate-limits article. */
export const DEFAULT_MASS_QUOTE_LIMITS: MassQuoteLimits = {
  guaranteed: { burst: 2, perSec: 2 },
  maximum: { burst: 10, perSec: 10 },
  quotes: { burst: 500, perSec: 500 },
};

/** Deribit's documented defaults for the lowest tier. */
export const DEFAULT_CREDITS: CreditConfig = {
  nonMatching: { maxCredits: 50_000, refillPerSec: 10_000, costPerRequest: 500 },
  matching: { maxCredits: 20_000, refillPerSec: 5_000, costPerRequest: 1_000 },
};

export class CreditPool {
  #credits: number;
  #lastMs: number;
  /** Set by `exhaust`: the next request is refused whatever has refilled since. */
  #refuseNext = false;
  constructor(
    readonly config: CreditPoolConfig,
    nowMs: number,
  ) {
    this.#credits = config.maxCredits;
    this.#lastMs = nowMs;
  }

  #refill(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.#lastMs);
    this.#credits = Math.min(this.config.maxCredits, this.#credits + (elapsedMs * this.config.refillPerSec) / 1000);
    this.#lastMs = nowMs;
  }

  /** Takes the cost of one request; false (and nothing taken) when the pool cannot pay it. */
  take(nowMs: number): boolean {
    this.#refill(nowMs);
    if (this.#refuseNext) {
      this.#refuseNext = false;
      return false;
    }
    if (this.#credits < this.config.costPerRequest) return false;
    this.#credits -= this.config.costPerRequest;
    return true;
  }

  available(nowMs: number): number {
    this.#refill(nowMs);
    return this.#credits;
  }

  /**
   * Empties the pool (fault injection: "exhaust credits"): the next request is refused even if
   * simulated time has refilled some credits before it arrives; refilling then resumes as usual.
   */
  exhaust(nowMs: number): void {
    this.#refill(nowMs);
    this.#credits = 0;
    this.#refuseNext = true;
  }
}

class TokenBucket {
  #tokens: number;
  #lastMs: number;
  constructor(
    readonly pool: RatePool,
    nowMs: number,
  ) {
    this.#tokens = pool.burst;
    this.#lastMs = nowMs;
  }

  has(count: number, nowMs: number): boolean {
    this.#tokens = Math.min(this.pool.burst, this.#tokens + (Math.max(0, nowMs - this.#lastMs) * this.pool.perSec) / 1000);
    this.#lastMs = Math.max(this.#lastMs, nowMs);
    return this.#tokens >= count;
  }

  take(count: number): void {
    this.#tokens -= count;
  }
}

/** One session's mass-quote limits. Pure: the caller passes the time. */
export class MassQuoteLimiter {
  readonly #guaranteed: TokenBucket;
  readonly #maximum: TokenBucket;
  readonly #quotes: TokenBucket;

  constructor(limits: MassQuoteLimits, nowMs: number) {
    this.#guaranteed = new TokenBucket(limits.guaranteed, nowMs);
    this.#maximum = new TokenBucket(limits.maximum, nowMs);
    this.#quotes = new TokenBucket(limits.quotes, nowMs);
  }

  /** Takes one request of `quotes` quotes; false (nothing taken) when neither rate allows it. */
  take(quotes: number, nowMs: number): boolean {
    if (this.#maximum.has(1, nowMs) && this.#quotes.has(quotes, nowMs)) {
      this.#maximum.take(1);
      this.#quotes.take(quotes);
      return true;
    }
    if (this.#guaranteed.has(1, nowMs)) {
      this.#guaranteed.take(1);
      return true;
    }
    return false;
  }
}

/** Methods that go through the matching engine: order faults apply to them, and all but mass_quote draw from its pool. */
export const MATCHING_METHOD_NAMES = [
  'private/buy',
  'private/sell',
  'private/edit',
  'private/cancel',
  'private/cancel_all',
  'private/cancel_all_by_instrument',
  'private/cancel_all_by_currency',
  'private/mass_quote',
  'private/cancel_quotes',
] as const;

export type MatchingMethod = (typeof MATCHING_METHOD_NAMES)[number];

export const MATCHING_METHODS: ReadonlySet<string> = new Set(MATCHING_METHOD_NAMES);
