import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collarHalfWidthCoin, withinCollar } from './collar.ts';
import { ceilTicks, floorTicks, priceFromTicks } from './ticks.ts';

const collar = { maxTicksFromReference: 10, maxFractionFromReference: 0.1 };

describe('withinCollar', () => {
  it('allows max(ticks × tick, fraction × reference) either side of the reference', () => {
    // Cheap option: 10 ticks (0.005) beat 10 % of 0.002.
    expect(collarHalfWidthCoin(0.002, 0.0005, collar)).toBe(0.005);
    expect(withinCollar(0.007, 0.002, 0.0005, collar)).toBe(true);
    expect(withinCollar(0.0075, 0.002, 0.0005, collar)).toBe(false);
    // Expensive option: 10 % of 0.2 = 0.02 beats 10 ticks.
    expect(collarHalfWidthCoin(0.2, 0.0005, collar)).toBeCloseTo(0.02, 15);
    expect(withinCollar(0.18, 0.2, 0.0005, collar)).toBe(true);
    expect(withinCollar(0.2205, 0.2, 0.0005, collar)).toBe(false);
    expect(withinCollar(NaN, 0.2, 0.0005, collar)).toBe(false);
    expect(withinCollar(0.2, NaN, 0.0005, collar)).toBe(false);
  });

  it('contains the band edges snapped inward to ticks, and is symmetric', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-5, max: 2, noNaN: true }),
        fc.constantFrom(0.0001, 0.0005),
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (reference, tick, maxTicksFromReference, maxFractionFromReference) => {
          const c = { maxTicksFromReference, maxFractionFromReference };
          const band = collarHalfWidthCoin(reference, tick, c);
          const upper = priceFromTicks(floorTicks(reference + band, tick), tick);
          const lower = priceFromTicks(ceilTicks(reference - band, tick), tick);
          // A band narrower than a tick may hold no tick at all.
          if (upper >= reference - band) expect(withinCollar(upper, reference, tick, c)).toBe(true);
          if (lower <= reference + band) expect(withinCollar(lower, reference, tick, c)).toBe(true);
          expect(withinCollar(upper + tick, reference, tick, c)).toBe(false);
          expect(withinCollar(reference + 0.3 * band, reference, tick, c)).toBe(withinCollar(reference - 0.3 * band, reference, tick, c));
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('accepts a price exactly at the band edge on both sides', () => {
    const collar = { maxTicksFromReference: 4, maxFractionFromReference: 0 };
    const ref = 0.0123;
    const tick = 0.0005;
    expect(withinCollar(ref + 4 * tick, ref, tick, collar)).toBe(true);
    expect(withinCollar(ref - 4 * tick, ref, tick, collar)).toBe(true);
    expect(withinCollar(ref + 5 * tick, ref, tick, collar)).toBe(false);
    expect(withinCollar(110, 100, 0.5, { maxTicksFromReference: 1, maxFractionFromReference: 0.1 })).toBe(true);
    expect(withinCollar(110.5, 100, 0.5, { maxTicksFromReference: 1, maxFractionFromReference: 0.1 })).toBe(false);
  });

  const collarArb = fc.record({ maxTicksFromReference: fc.integer({ min: 0, max: 50 }), maxFractionFromReference: fc.double({ min: 0, max: 0.5, noNaN: true }) });
  const tickArb = fc.constantFrom(0.0001, 0.0005, 0.5, 0.05, 2.5);
  const refArb = fc.double({ min: 1e-4, max: 100_000, noNaN: true });

  it('is symmetric around the reference (property)', () => {
    fc.assert(
      fc.property(refArb, tickArb, collarArb, fc.integer({ min: 0, max: 200 }), (ref, t, collar, ticks) => {
        const d = ticks * t;
        return withinCollar(ref + d, ref, t, collar) === withinCollar(ref - d, ref, t, collar);
      }),
      { seed: 42, numRuns: 5_000 },
    );
  });

  it('is monotone: nearer prices and wider collars never leave the band (property)', () => {
    fc.assert(
      fc.property(refArb, tickArb, collarArb, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.boolean(), fc.integer({ min: 0, max: 10 }), (ref, t, collar, a, b, up, extra) => {
        const [near, far] = a <= b ? [a, b] : [b, a];
        const sign = up ? 1 : -1;
        const wider = { maxTicksFromReference: collar.maxTicksFromReference + extra, maxFractionFromReference: collar.maxFractionFromReference * (1 + extra / 10) };
        if (withinCollar(ref + sign * far * t, ref, t, collar) && !withinCollar(ref + sign * near * t, ref, t, collar)) return false;
        return !withinCollar(ref + sign * far * t, ref, t, collar) || withinCollar(ref + sign * far * t, ref, t, wider);
      }),
      { seed: 42, numRuns: 5_000 },
    );
  });
});
