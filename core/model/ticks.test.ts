import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnTick, snapPassive, tickSizeAt } from './ticks.ts';

const option = { tickSize: 0.0001, tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] };

describe('tick steps', () => {
  it('uses the coarser tick above the step', () => {
    expect(tickSizeAt(option, 0.0049)).toBe(0.0001);
    expect(tickSizeAt(option, 0.005)).toBe(0.0001);
    expect(tickSizeAt(option, 0.0051)).toBe(0.0005);
    expect(isOnTick(option, 0.0052)).toBe(false);
    expect(isOnTick(option, 0.0055)).toBe(true);
    expect(snapPassive(option, 0.0052, 'buy')).toBe(0.005);
    expect(snapPassive(option, 0.0052, 'sell')).toBe(0.0055);
  });

  it('snaps onto the grid, never more aggressively', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.0001, max: 1, noNaN: true }), fc.constantFrom<'buy' | 'sell'>('buy', 'sell'), (price, side) => {
        const snapped = snapPassive(option, price, side);
        expect(isOnTick(option, snapped)).toBe(true);
        if (side === 'buy') expect(snapped).toBeLessThanOrEqual(price + 1e-12);
        else expect(snapped).toBeGreaterThanOrEqual(price - 1e-12);
      }),
      { seed: 3, numRuns: 2000 },
    );
  });
});
