import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../protocol/state.ts';
import type { AutoHedgeInput } from './auto-hedge.ts';
import { AutoHedgeConfigSchema, autoHedgeDecision, resolveHedgeInstrument } from './auto-hedge.ts';

const BASE: AutoHedgeInput = {
  deltaCoin: -0.3,
  targetCoin: 0,
  bandCoin: 0.1,
  lastHedgeTsMs: undefined,
  nowMs: 100_000,
  minIntervalMs: 30_000,
  minSizeUsd: 100,
  hedgeInFlight: false,
  priceUsd: 50_000,
  lotUsd: 10,
};

const decide = (over: Partial<AutoHedgeInput>) => autoHedgeDecision({ ...BASE, ...over });

describe('autoHedgeDecision', () => {
  it('hedges back to the target, not to the band edge', () => {
    // −0.3 BTC with a ±0.1 band: buy the full 0.3 BTC (15,000 USD), not the 0.2 to the edge.
    expect(decide({})).toEqual({ hedge: true, side: 'buy', amountUsd: 15_000, hedgeDeltaCoin: 0.3, clipped: false });
    const toTarget = decide({ deltaCoin: 0.75, targetCoin: 0.25 });
    expect(toTarget).toMatchObject({ hedge: true, side: 'sell', amountUsd: 25_000 });
  });

  it('does nothing inside the band (edge included), in flight, too soon, too small or disabled', () => {
    expect(decide({ deltaCoin: -0.1 })).toMatchObject({ hedge: false, reason: 'inside-band' });
    expect(decide({ deltaCoin: 0.05 })).toMatchObject({ hedge: false, reason: 'inside-band' });
    expect(decide({ hedgeInFlight: true })).toMatchObject({ hedge: false, reason: 'in-flight' });
    expect(decide({ lastHedgeTsMs: 80_000 })).toMatchObject({ hedge: false, reason: 'too-soon' });
    expect(decide({ lastHedgeTsMs: 70_000 })).toMatchObject({ hedge: true });
    // 0.0011 BTC off with a 0.001 band: 55 USD, under the 100 USD minimum.
    expect(decide({ deltaCoin: 0.0011, bandCoin: 0.001 })).toMatchObject({ hedge: false, reason: 'below-min-size' });
    expect(decide({ enabled: false })).toMatchObject({ hedge: false, reason: 'disabled' });
    expect(decide({ priceUsd: 0 })).toMatchObject({ hedge: false, reason: 'invalid-input' });
  });

  it('clips a hedge to maxSizeUsd, leaving the rest for the next interval', () => {
    expect(decide({ maxSizeUsd: 5_005 })).toEqual({ hedge: true, side: 'buy', amountUsd: 5_000, hedgeDeltaCoin: 0.1, clipped: true });
  });

  const inputs = fc.record({
    deltaCoin: fc.double({ min: -100, max: 100, noNaN: true }),
    targetCoin: fc.double({ min: -10, max: 10, noNaN: true }),
    bandCoin: fc.double({ min: 0, max: 5, noNaN: true }),
    minSizeUsd: fc.integer({ min: 0, max: 50_000 }),
    priceUsd: fc.integer({ min: 100, max: 200_000 }),
    lotUsd: fc.constantFrom(1, 10),
  });

  it('never hedges inside the band, and never widens the distance to the target', () => {
    fc.assert(
      fc.property(inputs, (s) => {
        const decision = decide(s);
        const off = Math.abs(s.deltaCoin - s.targetCoin);
        if (off <= s.bandCoin) expect(decision.hedge).toBe(false);
        if (decision.hedge) {
          expect(off).toBeGreaterThan(s.bandCoin);
          expect(decision.amountUsd).toBeGreaterThanOrEqual(s.minSizeUsd);
          expect(Math.abs(s.deltaCoin + decision.hedgeDeltaCoin - s.targetCoin)).toBeLessThanOrEqual(off + 1e-12);
        }
      }),
      { seed: 77, numRuns: 3_000 },
    );
  });

  it('never hedges more often than minIntervalMs, nor while a hedge is in flight', () => {
    const path = fc.record({
      minIntervalMs: fc.integer({ min: 0, max: 60_000 }),
      steps: fc.array(fc.record({ dtMs: fc.integer({ min: 0, max: 20_000 }), deltaCoin: fc.double({ min: -2, max: 2, noNaN: true }), fillsAfterMs: fc.integer({ min: 0, max: 30_000 }) }), {
        maxLength: 60,
      }),
    });
    fc.assert(
      fc.property(path, ({ minIntervalMs, steps }) => {
        let nowMs = 0;
        let lastHedgeTsMs: number | undefined;
        let inFlightUntilMs = -1;
        const hedgeTimes: number[] = [];
        for (const s of steps) {
          nowMs += s.dtMs;
          const hedgeInFlight = nowMs < inFlightUntilMs;
          const decision = decide({ deltaCoin: s.deltaCoin, nowMs, lastHedgeTsMs, minIntervalMs, hedgeInFlight, minSizeUsd: 10 });
          if (!decision.hedge) continue;
          expect(hedgeInFlight).toBe(false);
          hedgeTimes.push(nowMs);
          lastHedgeTsMs = nowMs;
          inFlightUntilMs = nowMs + s.fillsAfterMs;
        }
        for (let i = 1; i < hedgeTimes.length; i++) expect((hedgeTimes[i] ?? 0) - (hedgeTimes[i - 1] ?? 0)).toBeGreaterThanOrEqual(minIntervalMs);
      }),
      { seed: 2_718, numRuns: 1_000 },
    );
  });
});

describe('auto-hedge config', () => {
  const valid = {
    enabled: true,
    targetCoin: 0,
    bandCoin: 0.5,
    minIntervalMs: 30_000,
    minSizeUsd: 1_000,
    instrument: { kind: 'perpetual' },
    tactic: { kind: 'passive-then-cross', timeoutMs: 10_000, maxSlippageBps: 5 },
  };

  it('accepts a well-formed config and a named future', () => {
    expect(AutoHedgeConfigSchema.safeParse(valid).success).toBe(true);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, instrument: { kind: 'future', instrumentName: 'BTC-27DEC24' }, tactic: { kind: 'immediate', maxSlippageBps: 20 } }).success).toBe(true);
  });

  it('rejects bad bands, tactics, unknown fields and inverted sizes', () => {
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, bandCoin: 0 }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, bandCoin: -1 }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, minIntervalMs: 1.5 }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, tactic: { kind: 'passive-then-cross', maxSlippageBps: 5 } }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, tactic: { kind: 'twap', maxSlippageBps: 5 } }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, instrument: 'perpetual' }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(AutoHedgeConfigSchema.safeParse({ ...valid, maxSizeUsd: 500 }).success).toBe(false);
  });
});

describe('resolveHedgeInstrument', () => {
  const row = (instrumentName: string, over: Partial<InstrumentRow> = {}): InstrumentRow => ({
    instrumentName,
    venueId: 'sim',
    currency: 'BTC',
    kind: 'future',
    isPerpetual: false,
    expiryMs: 10_000,
    tickSize: 2.5,
    minTradeAmount: 10,
    contractSize: 10,
    ...over,
  });
  const instruments = {
    'BTC_USDC-PERPETUAL': row('BTC_USDC-PERPETUAL', { isPerpetual: true, contractSize: 0.001, minTradeAmount: 0.001 }),
    'BTC-PERPETUAL': row('BTC-PERPETUAL', { isPerpetual: true }),
    'BTC-1JAN70': row('BTC-1JAN70'),
    'ETH-PERPETUAL': row('ETH-PERPETUAL', { currency: 'ETH', isPerpetual: true }),
  };

  it('finds the inverse perpetual, a listed live future, and nothing else', () => {
    expect(resolveHedgeInstrument({ kind: 'perpetual' }, 'BTC', instruments, 0)?.instrumentName).toBe('BTC-PERPETUAL');
    expect(resolveHedgeInstrument({ kind: 'perpetual' }, 'ETH', instruments, 0)?.instrumentName).toBe('ETH-PERPETUAL');
    expect(resolveHedgeInstrument({ kind: 'future', instrumentName: 'BTC-1JAN70' }, 'BTC', instruments, 0)?.instrumentName).toBe('BTC-1JAN70');
    expect(resolveHedgeInstrument({ kind: 'future', instrumentName: 'BTC-1JAN70' }, 'BTC', instruments, 20_000)).toBeUndefined();
    expect(resolveHedgeInstrument({ kind: 'future', instrumentName: 'BTC-1JAN70' }, 'ETH', instruments, 0)).toBeUndefined();
    expect(resolveHedgeInstrument({ kind: 'perpetual' }, 'SOL', instruments, 0)).toBeUndefined();
  });
});
