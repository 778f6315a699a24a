/**
 * An exact sliding-window event counter, pure: time is passed in and every update returns a new
 * window. An event at t counts at time now while now − windowMs < t ≤ now. Exact (unlike a bucketed
 * meter) because a throttle decides at the boundary: the 21st order in a second must be refused
 * and the one a millisecond later accepted.
 *
 * Events older than the window are dropped when a newer one is recorded, so counts are exact for
 * any now at or after the latest recorded event (the engine clock does not go back).
 */

export interface RateWindow {
  readonly windowMs: number;
  /** Timestamps of the events still in the window, ascending. */
  readonly eventsTsMs: readonly number[];
}

export function emptyRateWindow(windowMs = 1000): RateWindow {
  if (!(windowMs > 0 && windowMs < Infinity)) throw new RangeError(`windowMs must be positive and finite, got ${windowMs}`);
  return { windowMs, eventsTsMs: [] };
}

/** First index whose timestamp is > tsMs (events ascending). */
function upperBound(events: readonly number[], tsMs: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]! <= tsMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The window with `count` events at tsMs added and the events it makes too old dropped. */
export function recordEvent(window: RateWindow, tsMs: number, count = 1): RateWindow {
  const events = window.eventsTsMs;
  const latest = events.length > 0 ? Math.max(events[events.length - 1]!, tsMs) : tsMs;
  const keepFrom = upperBound(events, latest - window.windowMs);
  const at = upperBound(events, tsMs);
  const next: number[] = events.slice(keepFrom, Math.max(keepFrom, at));
  if (tsMs > latest - window.windowMs) for (let i = 0; i < count; i++) next.push(tsMs);
  for (let i = Math.max(keepFrom, at); i < events.length; i++) next.push(events[i]!);
  return { windowMs: window.windowMs, eventsTsMs: next };
}

/** Events with nowMs − windowMs < t ≤ nowMs. */
export function countInWindow(window: RateWindow, nowMs: number): number {
  const events = window.eventsTsMs;
  return upperBound(events, nowMs) - upperBound(events, nowMs - window.windowMs);
}
