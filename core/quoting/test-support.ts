/**
 * Test support for core/quoting (imported by *.test.ts only): a fast-check generator of realistic
 * single-option quoting inputs, and the risk measures the properties check against, computed
 * independently of the kernel from core/pricing's scalar Black-76.
 */
import fc from 'fast-check';
import { black76Greeks, inverseOptionPriceCoin } from '../pricing/index.ts';
import type { PriceCollar } from './collar.ts';
import type { QuoteOptionInput, QuoteSide } from './quote-types.ts';
import { DEFAULT_QUOTING_PARAMS } from './quoting-params.ts';
import type { QuotingParams } from './quoting-params.ts';

export const TEST_COLLAR: PriceCollar = { maxTicksFromReference: 20, maxFractionFromReference: 0.2 };

/** An at-the-money 30-day BTC call on a 60,000 USD forward, nothing else going on. */
export function atmCallInput(overrides: Partial<QuoteOptionInput> = {}): QuoteOptionInput {
  return {
    instrument: { instrumentName: 'BTC-30D-60000-C', strike: 60_000, optionType: 'call', tickSize: 0.0005, minTradeAmount: 0.1 },
    expiryYears: 30 / 365,
    forwardUsd: 60_000,
    theoVolAnnual: 0.5,
    uncertaintyVolPts: 0,
    market: {},
    risk: { deltaCoin: 0, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 },
    positionCoin: 0,
    mode: 'active',
    params: DEFAULT_QUOTING_PARAMS,
    collar: TEST_COLLAR,
    ...overrides,
  };
}

const paramsArbitrary: fc.Arbitrary<QuotingParams> = fc.record({
  baseHalfWidthVolPts: fc.double({ min: 0, max: 5, noNaN: true }),
  uncertaintyWidthFactor: fc.double({ min: 0, max: 2, noNaN: true }),
  minEdgeTicks: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 4, noNaN: true })),
  sizeCoin: fc.constantFrom(0.1, 0.5, 1, 2.5, 10),
  levels: fc.integer({ min: 1, max: 3 }),
  levelSpacingVolPts: fc.double({ min: 0, max: 2, noNaN: true }),
  levelSizeFactors: fc.tuple(fc.constantFrom(0.5, 1, 2), fc.constantFrom(0.5, 1, 2), fc.constantFrom(0.5, 1, 3)),
  riskAversionDelta: fc.double({ min: 0, max: 50, noNaN: true }),
  riskAversionVega: fc.double({ min: 0, max: 1e-3, noNaN: true }),
  riskAversionBucketVega: fc.double({ min: 0, max: 1e-3, noNaN: true }),
  maxSkewVolPts: fc.double({ min: 0, max: 10, noNaN: true }),
  sizeShrinkDeltaCoin: fc.double({ min: 5, max: 200, noNaN: true }),
  sizeShrinkVegaUsdPerVolPt: fc.double({ min: 1000, max: 100_000, noNaN: true }),
  sizeShrinkBucketVegaUsdPerVolPt: fc.double({ min: 1000, max: 100_000, noNaN: true }),
  sizeShrinkPositionCoin: fc.double({ min: 5, max: 200, noNaN: true }),
  refreshToleranceTicks: fc.constant(1),
  refreshToleranceVolPts: fc.constant(0.1),
  refreshToleranceSizeFraction: fc.constant(0),
  minDaysToExpiry: fc.constant(0),
  maxExpiries: fc.constant(8),
  minAbsDelta: fc.constant(0),
  maxAbsDelta: fc.constant(1),
  maxAbsLogMoneyness: fc.constant(10),
  postOnly: fc.boolean(),
  massQuotes: fc.boolean(),
});

const collarArbitrary: fc.Arbitrary<PriceCollar> = fc.record({
  maxTicksFromReference: fc.integer({ min: 0, max: 40 }),
  maxFractionFromReference: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

/**
 * Random but plausible inputs: ln(K/F) in [−1, 1], 1 day to 1 year, 20–150 % vol, market and mark
 * scattered around theo (sometimes absent), any portfolio risk and position, random parameters and
 * collar, active or reducing. Options are always selected (the selection ranges are wide open).
 */
export const quoteInputArbitrary: fc.Arbitrary<QuoteOptionInput> = fc
  .record({
    forward: fc.double({ min: 20_000, max: 100_000, noNaN: true }),
    logMoneyness: fc.double({ min: -1, max: 1, noNaN: true }),
    expiryYears: fc.double({ min: 1 / 365, max: 1, noNaN: true }),
    vol: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
    uncertainty: fc.double({ min: 0, max: 3, noNaN: true }),
    isCall: fc.boolean(),
    tick: fc.constantFrom(0.0005, 0.0001),
    lot: fc.constantFrom(0.1, 1),
    bidOffsetTicks: fc.option(fc.integer({ min: -30, max: 10 }), { nil: undefined }),
    askOffsetTicks: fc.option(fc.integer({ min: -10, max: 30 }), { nil: undefined }),
    markOffsetTicks: fc.option(fc.integer({ min: -40, max: 40 }), { nil: undefined }),
    deltaCoin: fc.double({ min: -80, max: 80, noNaN: true }),
    vegaUsdPerVolPt: fc.double({ min: -80_000, max: 80_000, noNaN: true }),
    bucketVegaUsdPerVolPt: fc.double({ min: -40_000, max: 40_000, noNaN: true }),
    positionCoin: fc.double({ min: -150, max: 150, noNaN: true }),
    mode: fc.constantFrom('active' as const, 'reducing' as const),
    params: paramsArbitrary,
    collar: collarArbitrary,
  })
  .map((r) => {
    const strike = Math.round(r.forward * Math.exp(r.logMoneyness));
    const kind = r.isCall ? 'call' : 'put';
    const theo = inverseOptionPriceCoin(r.forward, strike, r.expiryYears, r.vol, kind);
    const onTick = (offset: number | undefined) => {
      if (offset === undefined) return undefined;
      const ticks = Math.round(theo / r.tick) + offset;
      return ticks > 0 ? ticks * r.tick : undefined;
    };
    const bid = onTick(r.bidOffsetTicks);
    const ask = onTick(r.askOffsetTicks);
    const mark = r.markOffsetTicks === undefined ? undefined : theo * (1 + r.markOffsetTicks / 200);
    return {
      instrument: { instrumentName: `BTC-${strike}-${kind === 'call' ? 'C' : 'P'}`, strike, optionType: kind, tickSize: r.tick, minTradeAmount: r.lot },
      expiryYears: r.expiryYears,
      forwardUsd: r.forward,
      theoVolAnnual: r.vol,
      uncertaintyVolPts: r.uncertainty,
      market: {
        ...(bid !== undefined && { bidPriceCoin: bid }),
        // A crossed book is stale upstream; keep the generated one uncrossed.
        ...(ask !== undefined && (bid === undefined || ask > bid) && { askPriceCoin: ask }),
        ...(mark !== undefined && mark > 0 && { markPriceCoin: mark }),
      },
      risk: { deltaCoin: r.deltaCoin, vegaUsdPerVolPt: r.vegaUsdPerVolPt, bucketVegaUsdPerVolPt: r.bucketVegaUsdPerVolPt },
      positionCoin: r.positionCoin,
      mode: r.mode,
      params: r.params,
      collar: r.collar,
    } satisfies QuoteOptionInput;
  });

/** Black delta and vega (USD per vol pt) of one coin of the option at its theo vol. */
export function optionGreeks(input: QuoteOptionInput): { readonly delta: number; readonly vega: number } {
  const g = black76Greeks(input.forwardUsd, input.instrument.strike!, input.expiryYears, input.theoVolAnnual, input.instrument.optionType!);
  return { delta: g.delta, vega: g.vegaPerVolPt };
}

/** Normalised risk ρ (quote-generator.ts, step 5) after buying `boughtCoin` of the option. */
export function normalisedRisk(input: QuoteOptionInput, boughtCoin: number): number {
  const { delta, vega } = optionGreeks(input);
  const p = input.params;
  const z = [
    (input.risk.deltaCoin + boughtCoin * delta) / p.sizeShrinkDeltaCoin,
    (input.risk.vegaUsdPerVolPt + boughtCoin * vega) / p.sizeShrinkVegaUsdPerVolPt,
    (input.risk.bucketVegaUsdPerVolPt + boughtCoin * vega) / p.sizeShrinkBucketVegaUsdPerVolPt,
    (input.positionCoin + boughtCoin) / p.sizeShrinkPositionCoin,
  ];
  return z.reduce((sum, v) => sum + v * v, 0);
}

/** Marginal risk in USD of buying one coin under the skew's quadratic form (quote-generator.ts, step 2). */
export function skewMarginalRiskUsd(input: QuoteOptionInput): number {
  const { delta, vega } = optionGreeks(input);
  const p = input.params;
  return p.riskAversionDelta * input.risk.deltaCoin * delta + (p.riskAversionVega * input.risk.vegaUsdPerVolPt + p.riskAversionBucketVega * input.risk.bucketVegaUsdPerVolPt) * vega;
}

/** Total amount quoted on a side, coin. */
export function sideAmount(side: QuoteSide): number {
  return side.quoted ? side.levels.reduce((sum, level) => sum + level.amountCoin, 0) : 0;
}
