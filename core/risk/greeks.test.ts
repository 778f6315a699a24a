import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price, inverseGreeks } from '../pricing/index.ts';
import type { OrderRow } from '../protocol/state.ts';
import type { RiskGreeks, RiskPosition } from './greeks.ts';
import { ZERO_RISK_GREEKS, addGreeks, aggregateGreeks, expiryBucketId, inCoinAndUsd, positionGreeks, workingOrdersFrom, workingQuotesWorstCase } from './greeks.ts';
import { BTC_DEC_50P, BTC_DEC_60C, BTC_DEC_FUT, BTC_MAR_45P, BTC_MAR_70C, BTC_PERP, DEC26_MS, ETH_DEC_3000C, ETH_PERP, INDEX_USD, INSTRUMENTS, INSTRUMENT_MAP, MAR27_MS, PRICING } from './test-fixtures.ts';

const GREEK_FIELDS: readonly (keyof RiskGreeks)[] = Object.keys(ZERO_RISK_GREEKS) as (keyof RiskGreeks)[];

function expectGreeksClose(actual: RiskGreeks, expected: RiskGreeks, rel = 1e-9): void {
  for (const f of GREEK_FIELDS) {
    const a = actual[f];
    const e = expected[f];
    expect(Math.abs(a - e), f).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(a), Math.abs(e)));
  }
}

describe('position Greeks', () => {
  it("a long 1 BTC call's delta is its Black delta, and its other Greeks are Deribit's", () => {
    const p = PRICING[BTC_DEC_60C.instrumentName]!;
    const g = positionGreeks({ instrument: BTC_DEC_60C, size: 1 }, p)!;
    const ref = inverseGreeks(p.forwardUsd, 60_000, p.expiryYears!, p.volAnnual!, 'call');
    expect(g.deltaCoin).toBe(ref.deltaBlack);
    expect(g.gammaCoinPerUsd).toBe(ref.gammaUsdPerUsd);
    expect(g.vegaUsdPerVolPt).toBe(ref.vegaUsdPerVolPt);
    expect(g.thetaUsdPerDay).toBe(ref.thetaUsdPerDay);
    expect(g.deltaPremiumAdjustedCoin).toBe(ref.deltaBlack - ref.priceCoin);
    expect(g.deltaPremiumAdjustedCoin).toBeLessThan(g.deltaCoin);
  });

  it('scales with signed size', () => {
    const p = PRICING[BTC_DEC_50P.instrumentName]!;
    const one = positionGreeks({ instrument: BTC_DEC_50P, size: 1 }, p)!;
    const short = positionGreeks({ instrument: BTC_DEC_50P, size: -2.5 }, p)!;
    for (const f of GREEK_FIELDS) expect(short[f]).toBeCloseTo(-2.5 * one[f], 12);
    expect(short.deltaCoin).toBeGreaterThan(0); // short put: long delta
  });

  it('a short 10,000 USD perpetual at 50,000 has deltaCoin −0.2 and nothing else', () => {
    const g = positionGreeks({ instrument: BTC_PERP, size: -10_000 }, { forwardUsd: 50_000 })!;
    expect(g.deltaCoin).toBeCloseTo(-0.2, 15);
    expect(g.deltaPremiumAdjustedCoin).toBeCloseTo(-0.2, 15);
    expect(g.gammaCoinPerUsd).toBe(0);
    expect(g.vegaUsdPerVolPt).toBe(0);
    expect(g.thetaUsdPerDay).toBe(0);
  });

  it("an inverse future's N/F delta is the derivative of its USD value and of its coin value (module derivation)", () => {
    const n = 250_000;
    const f = 48_000;
    const h = 1e-3;
    const usdValue = (x: number) => n * (x / f - 1); // coin PnL N(1/F − 1/x) valued at x
    const coinValue = (x: number) => n * (1 / f - 1 / x);
    const g = positionGreeks({ instrument: BTC_DEC_FUT, size: n }, { forwardUsd: f })!;
    expect((usdValue(f + h) - usdValue(f - h)) / (2 * h)).toBeCloseTo(g.deltaCoin, 6);
    expect((f * (coinValue(f + h) - coinValue(f - h))) / (2 * h)).toBeCloseTo(g.deltaPremiumAdjustedCoin, 6);
  });

  it("an option's premium-adjusted delta is the relative sensitivity of its coin value", () => {
    const p = PRICING[BTC_MAR_70C.instrumentName]!;
    const q = 3;
    const coinValue = (f: number) => (q * black76Price(f, 70_000, p.expiryYears!, p.volAnnual!, 'call')) / f;
    const h = 0.5;
    const g = positionGreeks({ instrument: BTC_MAR_70C, size: q }, p)!;
    const numeric = (p.forwardUsd * (coinValue(p.forwardUsd + h) - coinValue(p.forwardUsd - h))) / (2 * h);
    expect(numeric).toBeCloseTo(g.deltaPremiumAdjustedCoin, 6);
  });

  it('is undefined for an instrument it cannot price', () => {
    expect(positionGreeks({ instrument: BTC_DEC_60C, size: 1 }, undefined)).toBeUndefined();
    expect(positionGreeks({ instrument: BTC_DEC_60C, size: 1 }, { forwardUsd: 50_000 })).toBeUndefined();
    expect(positionGreeks({ instrument: BTC_DEC_60C, size: 1 }, { forwardUsd: 0, volAnnual: 0.5, expiryYears: 0.1 })).toBeUndefined();
    expect(positionGreeks({ instrument: BTC_PERP, size: 1 }, { forwardUsd: Number.NaN })).toBeUndefined();
  });
});

describe('expiry buckets', () => {
  it('are named by date at 08:00 UTC, by date and time otherwise, and PERPETUAL', () => {
    expect(expiryBucketId(BTC_DEC_60C)).toBe('2026-12-25');
    expect(expiryBucketId({ isPerpetual: false, expiryMs: Date.UTC(2026, 11, 25, 10, 30) })).toBe('2026-12-25T10:30Z');
    expect(expiryBucketId(BTC_PERP)).toBe('PERPETUAL');
  });
});

describe('aggregation', () => {
  const book: RiskPosition[] = [
    { instrument: BTC_DEC_60C, size: 2 },
    { instrument: BTC_DEC_50P, size: -1.5 },
    { instrument: BTC_MAR_70C, size: -4 },
    { instrument: BTC_DEC_FUT, size: 20_000 },
    { instrument: BTC_PERP, size: -30_000 },
    { instrument: ETH_PERP, size: 5_000 },
    { instrument: ETH_DEC_3000C, size: 10 },
  ];
  const g = (p: RiskPosition) => positionGreeks(p, PRICING[p.instrument.instrumentName])!;

  it('sums by underlying, by expiry bucket (perpetual last) and by kind', () => {
    const risk = aggregateGreeks(book, PRICING, INDEX_USD);
    expect(risk.unpriced).toEqual([]);
    expect(risk.byUnderlying.map((u) => u.currency)).toEqual(['BTC', 'ETH']);
    const btc = risk.byUnderlying[0]!;
    expect(btc.byExpiry.map((b) => [b.bucketId, b.expiryMs, b.positionCount])).toEqual([
      ['2026-12-25', DEC26_MS, 3],
      ['2027-03-26', MAR27_MS, 1],
      ['PERPETUAL', BTC_PERP.expiryMs, 1],
    ]);
    const dec = book.slice(0, 2).map(g).concat(g(book[3]!)).reduce(addGreeks, ZERO_RISK_GREEKS);
    expectGreeksClose(btc.byExpiry[0]!.greeks, dec);
    expectGreeksClose(btc.greeks, book.slice(0, 5).map(g).reduce(addGreeks, ZERO_RISK_GREEKS));
    expectGreeksClose(btc.byKind.option, book.slice(0, 3).map(g).reduce(addGreeks, ZERO_RISK_GREEKS));
    expect(btc.byKind.future.deltaCoin).toBeCloseTo(20_000 / 51_000, 14);
    expect(btc.byKind.perpetual.deltaCoin).toBeCloseTo(-30_000 / 50_010, 14);
    expect(btc.byExpiry[2]!.greeks.vegaUsdPerVolPt).toBe(0);
    expect(btc.grossNotionalUsd).toBeCloseTo((2 + 1.5) * 51_000 + 4 * 52_000 + 20_000 + 30_000, 6);
  });

  it('converts to coin and USD at the index, and leaves conversions out without one', () => {
    const risk = aggregateGreeks(book, PRICING, { BTC: 50_000 });
    const btc = risk.byUnderlying[0]!;
    expect(btc.converted).toEqual(inCoinAndUsd(btc.greeks, 50_000));
    expect(btc.converted!.deltaUsd).toBeCloseTo(btc.greeks.deltaCoin * 50_000, 9);
    expect(btc.converted!.vegaCoinPerVolPt).toBeCloseTo(btc.greeks.vegaUsdPerVolPt / 50_000, 15);
    expect(btc.converted!.gammaCoinPerPct).toBeCloseTo(btc.greeks.gammaCoinPerUsd * 500, 15);
    expect(btc.byExpiry[0]!.converted).toBeDefined();
    expect(risk.byUnderlying[1]!.indexUsd).toBeUndefined();
    expect(risk.byUnderlying[1]!.converted).toBeUndefined();
  });

  it('lists positions it cannot price instead of counting them as zero, and skips flat ones', () => {
    const { [BTC_MAR_70C.instrumentName]: _gone, ...partial } = PRICING;
    const risk = aggregateGreeks([...book, { instrument: BTC_MAR_45P, size: 0 }], partial, INDEX_USD);
    expect(risk.unpriced).toEqual([BTC_MAR_70C.instrumentName]);
    expect(risk.byUnderlying[0]!.byExpiry.map((b) => b.bucketId)).toEqual(['2026-12-25', 'PERPETUAL']);
  });

  it('is additive: the Greeks of a union are the sum of the Greeks (property)', () => {
    const positionArb = fc.record({ i: fc.integer({ min: 0, max: INSTRUMENTS.length - 1 }), size: fc.double({ min: -50, max: 50, noNaN: true }) }).map(({ i, size }) => {
      const instrument = INSTRUMENTS[i]!;
      return { instrument, size: instrument.kind === 'future' ? Math.round(size * 10_000) : size };
    });
    fc.assert(
      fc.property(fc.array(positionArb, { maxLength: 12 }), fc.array(positionArb, { maxLength: 12 }), (a, b) => {
        const ra = aggregateGreeks(a, PRICING, INDEX_USD);
        const rb = aggregateGreeks(b, PRICING, INDEX_USD);
        const ru = aggregateGreeks([...a, ...b], PRICING, INDEX_USD);
        for (const u of ru.byUnderlying) {
          const ua = ra.byUnderlying.find((x) => x.currency === u.currency);
          const ub = rb.byUnderlying.find((x) => x.currency === u.currency);
          expectGreeksClose(u.greeks, addGreeks(ua?.greeks ?? ZERO_RISK_GREEKS, ub?.greeks ?? ZERO_RISK_GREEKS), 1e-9);
          expect(u.grossNotionalUsd).toBeCloseTo((ua?.grossNotionalUsd ?? 0) + (ub?.grossNotionalUsd ?? 0), 3);
          for (const bucket of u.byExpiry) {
            const ba = ua?.byExpiry.find((x) => x.bucketId === bucket.bucketId)?.greeks ?? ZERO_RISK_GREEKS;
            const bb = ub?.byExpiry.find((x) => x.bucketId === bucket.bucketId)?.greeks ?? ZERO_RISK_GREEKS;
            expectGreeksClose(bucket.greeks, addGreeks(ba, bb), 1e-9);
          }
          // The buckets partition the underlying.
          expectGreeksClose(u.byExpiry.map((x) => x.greeks).reduce(addGreeks, ZERO_RISK_GREEKS), u.greeks, 1e-9);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('working quotes worst case', () => {
  const positions: RiskPosition[] = [{ instrument: BTC_DEC_60C, size: 1 }];
  const orders = [
    { instrumentName: BTC_DEC_60C.instrumentName, side: 'buy' as const, price: 0.05, amount: 2 },
    { instrumentName: BTC_PERP.instrumentName, side: 'sell' as const, price: 50_100, amount: 200_000 },
    { instrumentName: BTC_MAR_45P.instrumentName, side: 'sell' as const, price: 0.08, amount: 3 },
  ];
  const unit = (name: string) => positionGreeks({ instrument: INSTRUMENT_MAP[name]!, size: 1 }, PRICING[name])!;

  it('adds every bid to the book on one side and every ask on the other', () => {
    const [btc] = workingQuotesWorstCase(positions, orders, INSTRUMENT_MAP, PRICING).byUnderlying;
    const call = unit(BTC_DEC_60C.instrumentName);
    expectGreeksClose(btc!.current, call);
    expectGreeksClose(btc!.ifBidsFilled, { ...call, ...Object.fromEntries(GREEK_FIELDS.map((f) => [f, 3 * call[f]])) } as RiskGreeks);
    const perp = unit(BTC_PERP.instrumentName);
    const put = unit(BTC_MAR_45P.instrumentName);
    expect(btc!.ifAsksFilled.deltaCoin).toBeCloseTo(call.deltaCoin - 200_000 * perp.deltaCoin - 3 * put.deltaCoin, 12);
    expect(btc!.ifAsksFilled.vegaUsdPerVolPt).toBeCloseTo(call.vegaUsdPerVolPt - 3 * put.vegaUsdPerVolPt, 9);
  });

  it('takes, per Greek, the side with the larger magnitude', () => {
    const [btc] = workingQuotesWorstCase(positions, orders, INSTRUMENT_MAP, PRICING).byUnderlying;
    for (const f of GREEK_FIELDS) {
      const a = btc!.ifBidsFilled[f];
      const b = btc!.ifAsksFilled[f];
      expect(btc!.worst[f]).toBe(Math.abs(b) > Math.abs(a) ? b : a);
    }
    // Selling 4 BTC of perpetual dominates delta; buying calls dominates vega: worst mixes sides.
    expect(btc!.worst.deltaCoin).toBe(btc!.ifAsksFilled.deltaCoin);
    expect(btc!.worst.vegaUsdPerVolPt).toBe(btc!.ifBidsFilled.vegaUsdPerVolPt);
  });

  it('reports orders on unknown instruments', () => {
    const r = workingQuotesWorstCase(positions, [{ instrumentName: 'BTC-XYZ', side: 'buy', price: 1, amount: 1 }], INSTRUMENT_MAP, PRICING);
    expect(r.unpriced).toEqual(['BTC-XYZ']);
  });

  it('takes what is left of live orders from the blotter', () => {
    const row = (id: string, state: OrderRow['state'], amount: number, filledAmount: number): OrderRow => ({
      clientOrderId: id,
      venueId: 'deribit',
      instrumentName: BTC_PERP.instrumentName,
      side: 'buy',
      price: 50_000,
      amount,
      filledAmount,
      averagePrice: 0,
      postOnly: true,
      reduceOnly: false,
      origin: 'strategy',
      state,
      createdTsMs: 0,
      updatedTsMs: 0,
    });
    const working = workingOrdersFrom([row('a', 'open', 100, 0), row('b', 'partially-filled', 100, 40), row('c', 'filled', 100, 100), row('d', 'cancelled', 100, 0), row('e', 'pending-cancel', 50, 0)]);
    expect(working.map((o) => o.amount)).toEqual([100, 60, 50]);
  });
});
