/**
 * Counts events over a sliding one-second window in 100 ms buckets: cheap enough to call per
 * message, and steady on screen (a plain per-second counter jumps every second).
 */
export class RateMeter {
  readonly #buckets = new Float64Array(10);
  #bucketStartMs: number;
  #index = 0;

  constructor(nowMs: number) {
    this.#bucketStartMs = nowMs;
  }

  #advance(nowMs: number): void {
    let steps = Math.floor((nowMs - this.#bucketStartMs) / 100);
    if (steps <= 0) return;
    if (steps > 10) steps = 10;
    for (let i = 0; i < steps; i++) {
      this.#index = (this.#index + 1) % 10;
      this.#buckets[this.#index] = 0;
    }
    this.#bucketStartMs += Math.floor((nowMs - this.#bucketStartMs) / 100) * 100;
  }

  record(nowMs: number, count = 1): void {
    this.#advance(nowMs);
    this.#buckets[this.#index] = (this.#buckets[this.#index] ?? 0) + count;
  }

  /** Events in the last second (the current partial bucket included). */
  perSecond(nowMs: number): number {
    this.#advance(nowMs);
    let total = 0;
    for (const count of this.#buckets) total += count;
    return total;
  }
}
