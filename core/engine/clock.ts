/** The engine's only source of time: injected so replay, backtest and tests control it. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that moves only when told to; for tests and replay. */
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
