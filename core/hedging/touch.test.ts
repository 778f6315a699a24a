import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuoteRow } from '../protocol/state.ts';
import { isOnTick, priceOfTicks, ticksDown, ticksUp } from './ticks.ts';
import { passiveTicks, slippageCapTicks, usableTouch } from './touch.ts';

const quote = (q: Partial<QuoteRow>): QuoteRow => ({ instrumentName: 'X', tsMs: 0, stale: false, ...q });

describe('ticks', () => {
  it('prints tick multiples cleanly and snaps without float noise', () => {
    expect(priceOfTicks(7, 0.0005)).toBe(0.0035);
    expect(priceOfTicks(100_001, 0.5)).toBe(50_000.5);
    expect(ticksDown(0.1 + 0.2, 0.1)).toBe(3);
    expect(ticksUp(0.1 + 0.2, 0.1)).toBe(3);
    expect(ticksDown(50_000.7, 0.5)).toBe(100_001);
    expect(ticksUp(50_000.7, 0.5)).toBe(100_002);
    expect(isOnTick(0.0035, 0.0005)).toBe(true);
    expect(isOnTick(0.0036, 0.0005)).toBe(false);
  });
});

describe('touch', () => {
  it('ignores stale, empty and crossed books', () => {
    expect(usableTouch(quote({ bidPrice: 1, askPrice: 2, stale: true }), 0.5)).toBeUndefined();
    expect(usableTouch(quote({}), 0.5)).toBeUndefined();
    expect(usableTouch(quote({ bidPrice: 2, askPrice: 2 }), 0.5)).toBeUndefined();
    expect(usableTouch(quote({ bidPrice: 1, askPrice: 2 }), 0.5)).toEqual({ bidTicks: 2, askTicks: 4 });
    expect(usableTouch(quote({ askPrice: 2 }), 0.5)).toEqual({ askTicks: 4 });
  });

  it('posts at the own touch, or a tick off the far one, never through it', () => {
    expect(passiveTicks('buy', { bidTicks: 10, askTicks: 12 })).toBe(10);
    expect(passiveTicks('sell', { bidTicks: 10, askTicks: 12 })).toBe(12);
    expect(passiveTicks('buy', { askTicks: 12 })).toBe(11);
    expect(passiveTicks('sell', { bidTicks: 10 })).toBe(11);
    expect(passiveTicks('buy', { askTicks: 1 })).toBeUndefined();
  });

  it('caps crossing at the touch moved by the slippage, snapped toward the touch, never better than it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 500 }), fc.constantFrom(0.5, 2.5, 0.0005, 0.05), (touch, bps, tick) => {
        const buyCap = slippageCapTicks('buy', touch, bps, tick);
        expect(buyCap).toBeGreaterThanOrEqual(touch);
        expect(priceOfTicks(buyCap, tick)).toBeLessThanOrEqual(priceOfTicks(touch, tick) * (1 + bps / 1e4) + 1e-9);
        const sellCap = slippageCapTicks('sell', touch, bps, tick);
        expect(sellCap).toBeLessThanOrEqual(touch);
        expect(sellCap).toBeGreaterThanOrEqual(1);
        if (sellCap > 1) expect(priceOfTicks(sellCap, tick)).toBeGreaterThanOrEqual(priceOfTicks(touch, tick) * (1 - bps / 1e4) - 1e-9);
      }),
      { seed: 99, numRuns: 2_000 },
    );
  });
});
