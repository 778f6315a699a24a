import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GreekTotals } from '../model/trading.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/state.ts';
import type { HedgePlanInput, HedgePreview } from './hedge-plan.ts';
import { planDeltaHedge } from './hedge-plan.ts';

const PERP: InstrumentRow = {
  instrumentName: 'BTC-PERPETUAL',
  venueId: 'sim',
  currency: 'BTC',
  kind: 'future',
  isPerpetual: true,
  expiryMs: 32_503_680_000_000,
  tickSize: 0.5,
  minTradeAmount: 10,
  contractSize: 10,
};

const OPTION: InstrumentRow = { ...PERP, instrumentName: 'BTC-27DEC24-50000-C', kind: 'option', isPerpetual: false, optionType: 'call', strike: 50_000, expiryMs: 2_000_000, tickSize: 0.0005, minTradeAmount: 0.1, contractSize: 1 };

const GREEKS: GreekTotals = { deltaCoin: -0.2, gammaCoinPerUsd: 0.00002, vegaUsdPerVolPt: 1_250, thetaUsdPerDay: -340, vannaCoinPerVolPt: 0.01, volgaUsdPerVolPt: 15 };

const quote = (bid: number | undefined, ask: number | undefined, extra: Partial<QuoteRow> = {}): QuoteRow => ({
  instrumentName: 'BTC-PERPETUAL',
  ...(bid !== undefined && { bidPrice: bid, bidAmount: 500_000 }),
  ...(ask !== undefined && { askPrice: ask, askAmount: 500_000 }),
  markPrice: bid !== undefined && ask !== undefined ? (bid + ask) / 2 : (bid ?? ask ?? 50_000),
  tsMs: 1_000,
  stale: false,
  ...extra,
});

const input = (over: Partial<HedgePlanInput> = {}): HedgePlanInput => ({
  greeks: GREEKS,
  instrument: PERP,
  quote: quote(49_990, 50_000),
  indexPriceUsd: 50_000,
  fees: { takerRate: 0.0005, makerRate: 0 },
  tactic: { kind: 'immediate', maxSlippageBps: 10 },
  nowMs: 1_500,
  ...over,
});

function preview(over: Partial<HedgePlanInput> = {}): HedgePreview {
  const result = planDeltaHedge(input(over));
  if (!result.ok) throw new Error(`expected a preview, got ${result.error}: ${result.message}`);
  return result;
}

describe('planDeltaHedge: hand-worked cases', () => {
  it('hedges −0.2 BTC at 50,000 by buying 10,000 USD of perpetual, crossing for half the spread plus the taker fee', () => {
    const p = preview();
    expect(p.order).toEqual({
      instrumentName: 'BTC-PERPETUAL',
      side: 'buy',
      amountUsd: 10_000,
      lots: 1_000,
      // IOC limit: the ask plus 10 bps (50,050), on the 0.5 tick.
      limitPriceUsd: 50_050,
      postOnly: false,
      timeInForce: 'immediate_or_cancel',
      reduceOnly: false,
    });
    expect(p.expectedFillPriceUsd).toBe(50_000);
    expect(p.hedgeDeltaCoin).toBeCloseTo(0.2, 12);
    expect(p.deltaAfterCoin).toBeCloseTo(0, 12);
    expect(p.residualDeltaCoin).toBeCloseTo(0, 12);
    expect(p.lotDeltaCoin).toBeCloseTo(0.0002, 12);
    // Half spread: bought at 50,000 against a mid of 49,995: 10,000·5/(50,000·49,995) BTC ≈ 1.0001 USD.
    expect(p.referencePriceUsd).toBe(49_995);
    expect(p.expectedCost.spreadCoin).toBeCloseTo((10_000 * 5) / (50_000 * 49_995), 15);
    expect(p.expectedCost.spreadUsd).toBeCloseTo(1.0001, 4);
    // Taker fee 5 bps of 10,000 USD: 0.0001 BTC = 5 USD.
    expect(p.expectedCost.feeCoin).toBeCloseTo(0.0001, 15);
    expect(p.expectedCost.feeUsd).toBeCloseTo(5, 10);
    expect(p.expectedCost.totalUsd).toBeCloseTo(6.0001, 4);
    expect(p.warnings).toEqual([]);
  });

  it('rounds to whole 10 USD contracts, to the nearest, and reports the residual', () => {
    // 0.12345 BTC × 50,000 = 6,172.5 USD → 617 contracts = 6,170 USD; 0.00005 BTC left short.
    const down = preview({ greeks: { ...GREEKS, deltaCoin: -0.12345 } });
    expect(down.order.amountUsd).toBe(6_170);
    expect(down.residualDeltaCoin).toBeCloseTo(-0.00005, 12);
    // 0.12358 BTC → 6,179 USD → 618 contracts = 6,180 USD; 0.00002 BTC over.
    const up = preview({ greeks: { ...GREEKS, deltaCoin: -0.12358 } });
    expect(up.order.amountUsd).toBe(6_180);
    expect(up.residualDeltaCoin).toBeCloseTo(0.00002, 12);
  });

  it('sells into the bid to hedge long delta, and hedges to a non-zero target', () => {
    const sell = preview({ greeks: { ...GREEKS, deltaCoin: 0.5 } });
    expect(sell.order.side).toBe('sell');
    expect(sell.expectedFillPriceUsd).toBe(49_990);
    // 0.5 × 49,990 = 24,995 USD = 2,499.5 contracts: the half rounds up, leaving 0.0001 BTC over.
    expect(sell.order.amountUsd).toBe(25_000);
    expect(sell.residualDeltaCoin).toBeCloseTo(0.5 - 25_000 / 49_990, 12);
    expect(sell.order.limitPriceUsd).toBe(49_940.5); // 49,990 × (1 − 0.001) = 49,940.01, rounded up to the tick
    const toTarget = preview({ targetDeltaCoin: 0.1 });
    expect(toTarget.order.amountUsd).toBe(15_000);
    expect(toTarget.deltaAfterCoin).toBeCloseTo(0.1, 12);
  });

  it('changes delta only: every other Greek is carried over', () => {
    const p = preview();
    expect(p.greeksAfter).toEqual({ ...GREEKS, deltaCoin: p.deltaAfterCoin });
  });

  it('posts at the touch for passive-then-cross, costing the maker fee, and prices crossing as the fallback', () => {
    const p = preview({ tactic: { kind: 'passive-then-cross', timeoutMs: 10_000, maxSlippageBps: 10 }, fees: { takerRate: 0.0005, makerRate: -0.0001 } });
    expect(p.order).toMatchObject({ side: 'buy', limitPriceUsd: 49_990, postOnly: true, timeInForce: 'good_til_cancelled' });
    expect(p.order.amountUsd).toBe(10_000); // 0.2 × 49,990 = 9,998 → 999.8 lots → 1,000
    expect(p.expectedCost.spreadCoin).toBe(0);
    expect(p.expectedCost.feeUsd).toBeCloseTo((-0.0001 * 10_000 * 50_000) / 49_990, 10);
    // Crossing at the cap (50,050) with the taker fee.
    expect(p.ifCrossedCost.spreadUsd).toBeCloseTo(((10_000 * 55) / (50_050 * 49_995)) * 50_000, 8);
    expect(p.ifCrossedCost.feeUsd).toBeCloseTo(((0.0005 * 10_000) / 50_050) * 50_000, 8);
  });

  it('refuses what is not a hedge', () => {
    expect(planDeltaHedge(input({ instrument: OPTION }))).toMatchObject({ ok: false, error: 'not-a-future' });
    // 0.00005 BTC × 50,000 = 2.5 USD: a quarter of a contract.
    expect(planDeltaHedge(input({ greeks: { ...GREEKS, deltaCoin: 0.00005 } }))).toMatchObject({ ok: false, error: 'nothing-to-hedge' });
    expect(planDeltaHedge(input({ greeks: { ...GREEKS, deltaCoin: 0.3 }, targetDeltaCoin: 0.3 }))).toMatchObject({ ok: false, error: 'nothing-to-hedge' });
    // 0.55 of a contract rounds to one: it still brings delta closer.
    expect(preview({ greeks: { ...GREEKS, deltaCoin: 0.00011 } }).order.amountUsd).toBe(10);
    expect(planDeltaHedge(input({ quote: undefined }))).toMatchObject({ ok: false, error: 'no-market' });
    const empty: QuoteRow = { instrumentName: 'BTC-PERPETUAL', tsMs: 1_000, stale: false };
    expect(planDeltaHedge(input({ quote: empty }))).toMatchObject({ ok: false, error: 'no-market' });
    expect(planDeltaHedge(input({ instrument: { ...PERP, isPerpetual: false, expiryMs: 1_000 } }))).toMatchObject({ ok: false, error: 'expired' });
    expect(planDeltaHedge(input({ greeks: { ...GREEKS, deltaCoin: Number.NaN } }))).toMatchObject({ ok: false, error: 'invalid-input' });
    expect(planDeltaHedge(input({ indexPriceUsd: 0 }))).toMatchObject({ ok: false, error: 'invalid-input' });
  });

  it('warns about stale, old, wide, thin and one-sided quotes', () => {
    const codes = (over: Partial<HedgePlanInput>) => preview(over).warnings.map((w) => w.code);
    expect(codes({ quote: quote(49_990, 50_000, { stale: true, staleReason: 'sequence gap' }) })).toEqual(['stale']);
    expect(codes({ nowMs: 60_000 })).toEqual(['stale']);
    expect(codes({ quote: quote(49_000, 51_000) })).toEqual(['wide-spread']);
    expect(codes({ quote: quote(49_990, 50_000, { askAmount: 2_000 }) })).toEqual(['thin-touch']);
    const oneSided = preview({ quote: quote(49_990, undefined, { markPrice: 49_995 }) });
    expect(oneSided.warnings.map((w) => w.code)).toEqual(['no-quote']);
    expect(oneSided.expectedFillPriceUsd).toBe(49_995); // priced at the mark
    expect(codes({ quote: quote(50_010, 50_000, { markPrice: 50_005 }) })).toContain('crossed-book');
  });
});

describe('planDeltaHedge: properties', () => {
  const scenario = fc.record({
    deltaCoin: fc.oneof(fc.double({ min: -500, max: 500, noNaN: true }), fc.double({ min: -0.01, max: 0.01, noNaN: true })),
    targetDeltaCoin: fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true })),
    bidTicks: fc.integer({ min: 200, max: 400_000 }),
    spreadTicks: fc.integer({ min: 1, max: 40 }),
    lot: fc.constantFrom(1, 10),
    immediate: fc.boolean(),
  });

  it('never increases |delta − target|, and leaves less than one contract of delta', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const bid = s.bidTicks * 0.5;
        const instrument = { ...PERP, minTradeAmount: s.lot, contractSize: s.lot };
        const result = planDeltaHedge(
          input({
            instrument,
            greeks: { ...GREEKS, deltaCoin: s.deltaCoin },
            targetDeltaCoin: s.targetDeltaCoin,
            quote: quote(bid, bid + s.spreadTicks * 0.5),
            tactic: s.immediate ? { kind: 'immediate', maxSlippageBps: 5 } : { kind: 'passive-then-cross', timeoutMs: 1_000, maxSlippageBps: 5 },
          }),
        );
        const before = Math.abs(s.deltaCoin - s.targetDeltaCoin);
        if (!result.ok) {
          expect(result.error).toBe('nothing-to-hedge');
          // Nothing to hedge means less than one contract (at most half of one) away from target.
          expect(before).toBeLessThanOrEqual((s.lot / bid) * 0.5 * (1 + 1e-9));
          return;
        }
        const after = Math.abs(result.residualDeltaCoin);
        expect(after).toBeLessThanOrEqual(before + 1e-12);
        expect(after).toBeLessThan(result.lotDeltaCoin);
        expect(after).toBeLessThanOrEqual(result.lotDeltaCoin / 2 + 1e-12);
        expect(result.order.amountUsd / s.lot).toBe(Math.round(result.order.amountUsd / s.lot));
        expect(result.deltaAfterCoin).toBeCloseTo(s.deltaCoin + result.hedgeDeltaCoin, 9);
      }),
      { seed: 20_240_601, numRuns: 2_000 },
    );
  });
});
