import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountFromLots, ceilTicks, floorLots, floorTicks, isOnGrid, priceFromTicks } from './ticks.ts';

describe('ticks and lots', () => {
  it('rounds prices on or near the grid to the grid point, others passively', () => {
    expect(floorTicks(0.0015, 0.0005)).toBe(3);
    expect(ceilTicks(0.0015, 0.0005)).toBe(3);
    expect(floorTicks(0.00174, 0.0005)).toBe(3);
    expect(ceilTicks(0.00151, 0.0005)).toBe(4);
    expect(priceFromTicks(3, 0.0005)).toBe(0.0015);
    expect(priceFromTicks(7, 0.1)).toBe(0.7);
    expect(amountFromLots(3, 0.1)).toBe(0.3);
    expect(floorLots(0.29999999999, 0.1)).toBe(3);
    expect(floorLots(-1, 0.1)).toBe(0);
    expect(floorLots(NaN, 0.1)).toBe(0);
    expect(isOnGrid(0.0015, 0.0005)).toBe(true);
    expect(isOnGrid(0.0016, 0.0005)).toBe(false);
  });

  it('prints a whole number of ticks as the decimal price, which rounds back to the same ticks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.constantFrom(0.0001, 0.0005, 0.0025, 0.5, 1, 0.3), (ticks, tick) => {
        const price = priceFromTicks(ticks, tick);
        expect(floorTicks(price, tick)).toBe(ticks);
        expect(ceilTicks(price, tick)).toBe(ticks);
        expect(isOnGrid(price, tick)).toBe(true);
        if (Number.isInteger(1 / tick)) expect(price).toBe(Number((ticks * tick).toFixed(10)));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('never rounds a bid up or an ask down by more than float noise', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0.0001, 0.0005), (price, tick) => {
        expect(priceFromTicks(floorTicks(price, tick), tick)).toBeLessThanOrEqual(price + 1e-9 * tick);
        expect(priceFromTicks(ceilTicks(price, tick), tick)).toBeGreaterThanOrEqual(price - 1e-9 * tick);
        expect(ceilTicks(price, tick) - floorTicks(price, tick)).toBeLessThanOrEqual(1);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
