import { describe, expect, it } from 'vitest';
import { RateMeter } from './rate-meter.ts';

describe('RateMeter', () => {
  it('counts events in the last second and forgets older ones', () => {
    const meter = new RateMeter(0);
    for (let tsMs = 0; tsMs < 1000; tsMs += 10) meter.record(tsMs);
    expect(meter.perSecond(999)).toBe(100);
    // At 1500 the window is the buckets [600, 1600): the current one and the nine before it.
    expect(meter.perSecond(1500)).toBe(40);
    expect(meter.perSecond(2100)).toBe(0);
  });

  it('survives long idle gaps', () => {
    const meter = new RateMeter(0);
    meter.record(0, 5);
    meter.record(60_000, 3);
    expect(meter.perSecond(60_050)).toBe(3);
  });
});
