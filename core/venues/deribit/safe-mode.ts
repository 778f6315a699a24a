/**
 * What the adapter does when the venue answers too_many_requests (10028) although the client-side
 * limiter should have prevented it: its model of the venue's credits is wrong (another session
 * of the same account, the web UI, a lower tier than configured). For a backoff period it sends
 * only cancels — pulling quotes must still work, adding load must not — then recovers. A repeat
 * soon after recovering doubles the backoff, up to a ceiling; a calm spell resets it. Pure: the
 * caller passes the time.
 */

export interface SafeModeOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export class SafeMode {
  readonly #options: SafeModeOptions;
  #untilMs = Number.NEGATIVE_INFINITY;
  #backoffMs = 0;
  #entries = 0;

  constructor(options: SafeModeOptions) {
    this.#options = options;
  }

  /** Times safe mode was entered (diagnostics, tests). */
  get entries(): number {
    return this.#entries;
  }

  get untilMs(): number {
    return this.#untilMs;
  }

  isActive(nowMs: number): boolean {
    return nowMs < this.#untilMs;
  }

  /** Enters (or extends) safe mode; returns when it ends. */
  enter(nowMs: number): number {
    const { baseMs, maxMs } = this.#options;
    // Hit again while in safe mode or within one ceiling of leaving it: the venue is still unhappy.
    const recent = nowMs < this.#untilMs + maxMs;
    this.#backoffMs = recent && this.#backoffMs > 0 ? Math.min(maxMs, this.#backoffMs * 2) : baseMs;
    this.#untilMs = nowMs + this.#backoffMs;
    this.#entries += 1;
    return this.#untilMs;
  }
}
