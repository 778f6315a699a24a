import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countInWindow, emptyRateWindow, recordEvent } from './rate-window.ts';

describe('rate window', () => {
  it('counts events in (now − window, now]', () => {
    let w = emptyRateWindow(1000);
    for (const t of [0, 100, 999, 1000]) w = recordEvent(w, t);
    expect(countInWindow(w, 1000)).toBe(3); // 0 has left: 1000 − 1000 is not inside
    expect(countInWindow(w, 1099)).toBe(3);
    expect(countInWindow(w, 1100)).toBe(2);
    expect(countInWindow(w, 1999)).toBe(1);
    expect(countInWindow(w, 2000)).toBe(0);
  });

  it('records several events at once and drops the old ones', () => {
    let w = recordEvent(emptyRateWindow(1000), 5, 3);
    expect(countInWindow(w, 5)).toBe(3);
    w = recordEvent(w, 5_000);
    expect(w.eventsTsMs).toEqual([5_000]);
  });

  it('leaves the window it was given untouched', () => {
    const w = recordEvent(emptyRateWindow(), 10);
    recordEvent(w, 20);
    expect(w.eventsTsMs).toEqual([10]);
  });

  it('refuses a window that is not a positive duration', () => {
    expect(() => emptyRateWindow(0)).toThrow(RangeError);
    expect(() => emptyRateWindow(Number.NaN)).toThrow(RangeError);
  });

  it('counts exactly like a brute-force filter over all events (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 400 }), count: fc.integer({ min: 1, max: 3 }), queryAheadMs: fc.integer({ min: 0, max: 2_500 }) }), { maxLength: 200 }),
        (windowMs, steps) => {
          let w = emptyRateWindow(windowMs);
          const all: number[] = [];
          let t = 1_000_000;
          for (const step of steps) {
            t += step.gapMs;
            w = recordEvent(w, t, step.count);
            for (let i = 0; i < step.count; i++) all.push(t);
            const now = t + step.queryAheadMs;
            const expected = all.filter((e) => now - windowMs < e && e <= now).length;
            if (countInWindow(w, now) !== expected) return false;
            if (countInWindow(w, t) !== all.filter((e) => t - windowMs < e && e <= t).length) return false;
          }
          return w.eventsTsMs.every((e) => e > t - windowMs);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
