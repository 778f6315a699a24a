/** Time as every part of the engine and simulator sees it: injected, so replay and tests control it. */
export interface Clock {
  nowMs(): number;
}

/** A clock that moves only when told to; for tests, replay and the accelerated simulator. */
export class ManualClock implements Clock {
  #nowMs: number;
  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }
  nowMs(): number {
    return this.#nowMs;
  }
  advance(ms: number): void {
    this.#nowMs += ms;
  }
  set(tsMs: number): void {
    this.#nowMs = tsMs;
  }
}
