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
}

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

/** Methods that go through the matching engine and draw from its pool. */
export const MATCHING_METHOD_NAMES = [
  'private/buy',
  'private/sell',
  'private/edit',
  'private/cancel',
  'private/cancel_all',
  'private/cancel_all_by_instrument',
  'private/cancel_all_by_currency',
  'private/mass_quote',
] as const;

export type MatchingMethod = (typeof MATCHING_METHOD_NAMES)[number];

export const MATCHING_METHODS: ReadonlySet<string> = new Set(MATCHING_METHOD_NAMES);
