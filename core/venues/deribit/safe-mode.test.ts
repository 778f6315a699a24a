import { describe, expect, it } from 'vitest';
import { SafeMode } from './safe-mode.ts';

describe('safe mode after too_many_requests', () => {
  it('lasts the backoff, doubles on a repeat soon after, and resets after a calm spell', () => {
    const safe = new SafeMode({ baseMs: 1_000, maxMs: 8_000 });
    expect(safe.isActive(0)).toBe(false);
    expect(safe.enter(0)).toBe(1_000);
    expect(safe.isActive(999)).toBe(true);
    expect(safe.isActive(1_000)).toBe(false);
    // Hit again 2 s after recovering: 2 s this time, then 4, 8, and no more than 8.
    expect(safe.enter(3_000)).toBe(5_000);
    expect(safe.enter(5_000)).toBe(9_000);
    expect(safe.enter(9_000)).toBe(17_000);
    expect(safe.enter(17_000)).toBe(25_000);
    // A calm spell longer than the ceiling: back to the base.
    expect(safe.enter(40_000)).toBe(41_000);
    expect(safe.entries).toBe(6);
  });
});
