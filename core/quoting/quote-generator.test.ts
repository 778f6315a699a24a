import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Greeks, inverseOptionPriceCoin } from '../pricing/index.ts';
import { withinCollar } from './collar.ts';
import { NO_OVERRIDE } from './overrides.ts';
import type { EffectiveOverride } from './overrides.ts';
import { quoteOption } from './quote-generator.ts';
import type { OptionQuote, QuoteOptionInput, QuoteSide } from './quote-generator.ts';
import { DEFAULT_QUOTING_PARAMS } from './quoting-params.ts';
import { atmCallInput, normalisedRisk, quoteInputArbitrary, sideAmount, skewMarginalRiskUsd } from './test-support.ts';
import { isOnGrid } from './ticks.ts';

const F = 60_000;
const K = 60_000;
const T = 30 / 365;
const TICK = 0.0005;

function levels(side: QuoteSide) {
  if (!side.quoted) throw new Error(`side is off: ${side.reason}`);
  return side.levels;
}
const bid0 = (q: OptionQuote) => levels(q.bid)[0]!;
const ask0 = (q: OptionQuote) => levels(q.ask)[0]!;
const reason = (side: QuoteSide) => (side.quoted ? undefined : side.reason);
const override = (fields: Partial<EffectiveOverride>): EffectiveOverride => ({ ...NO_OVERRIDE, overrideIds: ['o1'], ...fields });

describe('quoteOption: hand-worked cases', () => {
  it('quotes 1 vol pt either side of theo, the bid rounded down and the ask up', () => {
    const q = quoteOption(atmCallInput());
    // theo = B(60000, 60000, 30/365, 0.5)/F; bid at 49 % = 0.055997 → 0.0555, ask at 51 % = 0.058279 → 0.0585.
    expect(q.theoPriceCoin).toBeCloseTo(0.0571377, 6);
    expect(q.theoPriceCoin).toBe(inverseOptionPriceCoin(F, K, T, 0.5, 'call'));
    expect(inverseOptionPriceCoin(F, K, T, 0.49, 'call')).toBeCloseTo(0.055997, 5);
    expect(bid0(q)).toMatchObject({ priceCoin: 0.0555, amountCoin: 1, targetVolAnnual: 0.49 });
    expect(ask0(q)).toMatchObject({ priceCoin: 0.0585, amountCoin: 1, targetVolAnnual: 0.51 });
    expect(q.halfWidthVolPts).toBe(1);
    expect(q.skewVolPts).toBe(0);
    expect(q.reservationVolAnnual).toBe(0.5);
    // Limits: one tick of edge from theo (114.3 ticks): bid ≤ 113 ticks, ask ≥ 116 ticks.
    expect(bid0(q).limitPriceCoin).toBe(0.0565);
    expect(ask0(q).limitPriceCoin).toBe(0.058);
    expect(bid0(q).volAnnual).toBeLessThan(0.49);
    expect(ask0(q).volAnnual).toBeGreaterThan(0.51);
  });

  it('widens with surface uncertainty and the override multiplier', () => {
    const q = quoteOption(atmCallInput({ uncertaintyVolPts: 2, params: { ...DEFAULT_QUOTING_PARAMS, uncertaintyWidthFactor: 0.5 }, override: override({ widthMultiplier: 1.5 }) }));
    // (1 + 0.5 × 2) × 1.5 = 3 vol pts.
    expect(q.halfWidthVolPts).toBe(3);
    expect(bid0(q).targetVolAnnual).toBeCloseTo(0.47, 12);
    expect(ask0(q).targetVolAnnual).toBeCloseTo(0.53, 12);
    expect(q.overrideIds).toEqual(['o1']);
  });

  it('skews by the marginal delta risk: 10 BTC long with γΔ = 5 lowers the call by 0.386 vol pt', () => {
    const q = quoteOption(atmCallInput({ risk: { deltaCoin: 10, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 } }));
    const g = black76Greeks(F, K, T, 0.5, 'call');
    // −5 × 10 × δ / ν = −5 × 10 × 0.52857 / 68.448 = −0.3861 vol pt.
    expect(q.skewVolPts).toBeCloseTo((-5 * 10 * g.delta) / g.vegaPerVolPt, 12);
    expect(q.skewVolPts).toBeCloseTo(-0.3861, 4);
    expect(q.reservationVolAnnual).toBeCloseTo(0.5 - 0.003861, 6);
    expect(q.reservationPriceCoin).toBeLessThan(q.theoPriceCoin);
    // The same delta raises the put of the strike (buying it sheds delta).
    const put = quoteOption(atmCallInput({ instrument: { instrumentName: 'P', strike: K, optionType: 'put', tickSize: TICK, minTradeAmount: 0.1 }, risk: { deltaCoin: 10, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 } }));
    expect(put.skewVolPts).toBeGreaterThan(0);
  });

  it('skews every option by the same vol for vega: γV·V + γB·VB', () => {
    const q = quoteOption(atmCallInput({ risk: { deltaCoin: 0, vegaUsdPerVolPt: 10_000, bucketVegaUsdPerVolPt: 5_000 } }));
    // −(1e-4 × 10,000 + 2e-4 × 5,000) = −2 vol pts.
    expect(q.skewVolPts).toBeCloseTo(-2, 12);
    const clamped = quoteOption(atmCallInput({ risk: { deltaCoin: 0, vegaUsdPerVolPt: 100_000, bucketVegaUsdPerVolPt: 0 } }));
    expect(clamped.skewVolPts).toBe(-DEFAULT_QUOTING_PARAMS.maxSkewVolPts);
    const manual = quoteOption(atmCallInput({ risk: { deltaCoin: 0, vegaUsdPerVolPt: 100_000, bucketVegaUsdPerVolPt: 0 }, override: override({ skewOffsetPts: 1.5 }) }));
    expect(manual.skewVolPts).toBe(-DEFAULT_QUOTING_PARAMS.maxSkewVolPts + 1.5);
  });

  it('lets skew push the reducing side up to the minimum edge, never through theo', () => {
    const q = quoteOption(atmCallInput({ risk: { deltaCoin: 0, vegaUsdPerVolPt: 40_000, bucketVegaUsdPerVolPt: 0 } }));
    // −4 vol pts of skew: the ask would be at 47 %, under theo; it stops one tick above theo.
    expect(q.skewVolPts).toBeCloseTo(-4, 12);
    expect(ask0(q).priceCoin).toBe(0.058);
    expect(ask0(q).priceCoin).toBeGreaterThan(q.theoPriceCoin);
    expect(bid0(q).priceCoin).toBeLessThan(0.0555);
  });

  it('shifts theo by the override vol offset', () => {
    const q = quoteOption(atmCallInput({ override: override({ volOffsetPts: 2 }) }));
    expect(q.theoVolAnnual).toBeCloseTo(0.52, 12);
    expect(q.theoPriceCoin).toBe(inverseOptionPriceCoin(F, K, T, 0.52, 'call'));
  });

  it('keeps a minimum edge on an option cheaper than a tick, and drops a bid under one tick', () => {
    const input = atmCallInput({
      instrument: { instrumentName: 'W', strike: 90_000, optionType: 'call', tickSize: TICK, minTradeAmount: 0.1 },
      expiryYears: 7 / 365,
      params: { ...DEFAULT_QUOTING_PARAMS, minAbsDelta: 0 },
    });
    const q = quoteOption(input);
    expect(q.theoPriceCoin).toBeLessThan(TICK);
    expect(reason(q.bid)).toBe('below-one-tick');
    // θ < 1 tick: ask ≥ ceil(θ + 1) = 2 ticks.
    expect(ask0(q).priceCoin).toBe(0.001);
  });

  it('quotes strictly off theo with zero minimum edge when theo is on a tick', () => {
    const theo = inverseOptionPriceCoin(F, K, T, 0.5, 'call');
    const params = { ...DEFAULT_QUOTING_PARAMS, minEdgeTicks: 0, baseHalfWidthVolPts: 0 };
    // A forward that puts theo exactly on a tick is hard to hit; a fixed tick of theo/114 does it.
    const tickSize = theo / 114;
    const q = quoteOption(atmCallInput({ params, instrument: { instrumentName: 'X', strike: K, optionType: 'call', tickSize, minTradeAmount: 0.1 } }));
    expect(bid0(q).priceCoin).toBeLessThan(theo);
    expect(ask0(q).priceCoin).toBeGreaterThan(theo);
  });

  it('keeps post-only quotes a tick inside the opposite best price', () => {
    const q = quoteOption(atmCallInput({ market: { askPriceCoin: 0.0555, bidPriceCoin: 0.0585 - 0.0005 } }));
    expect(bid0(q).priceCoin).toBe(0.055);
    expect(ask0(q).priceCoin).toBe(0.0585);
    expect(bid0(q).limitPriceCoin).toBe(0.055);
    const taking = quoteOption(atmCallInput({ market: { askPriceCoin: 0.0555 }, params: { ...DEFAULT_QUOTING_PARAMS, postOnly: false } }));
    expect(bid0(taking).priceCoin).toBe(0.0555);
  });

  it('clamps a side too aggressive for the collar and drops one too passive', () => {
    // Band around a mark of 0.045: max(20 ticks, 20 % × 0.045) = 0.01 → [0.035, 0.055].
    const q = quoteOption(atmCallInput({ market: { markPriceCoin: 0.045 } }));
    expect(bid0(q).priceCoin).toBe(0.055);
    expect(reason(q.ask)).toBe('outside-collar');
    // A narrow band around theo only: 2 ticks, no fraction → the 1-vol-pt quotes are too passive.
    const narrow = quoteOption(atmCallInput({ collar: { maxTicksFromReference: 2, maxFractionFromReference: 0 } }));
    expect(reason(narrow.bid)).toBe('outside-collar');
    expect(reason(narrow.ask)).toBe('outside-collar');
    // Disjoint bands (theo 0.057, mark 0.03, 5 % each) leave nothing.
    const disjoint = quoteOption(atmCallInput({ market: { markPriceCoin: 0.03 }, collar: { maxTicksFromReference: 0, maxFractionFromReference: 0.05 } }));
    expect(reason(disjoint.bid)).toBe('outside-collar');
    expect(reason(disjoint.ask)).toBe('outside-collar');
  });

  it('shrinks the risk-adding side: 25 of 50 BTC of delta halves the call bid', () => {
    const q = quoteOption(atmCallInput({ risk: { deltaCoin: 25, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 } }));
    expect(bid0(q).amountCoin).toBe(0.5);
    expect(ask0(q).amountCoin).toBe(1);
    const atReference = quoteOption(atmCallInput({ risk: { deltaCoin: 50, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 } }));
    expect(reason(atReference.bid)).toBe('size-zero');
  });

  it('quotes in REDUCING mode only the side that lowers risk, capped at the risk-minimising amount', () => {
    const input = atmCallInput({ mode: 'reducing', risk: { deltaCoin: 2, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 }, params: { ...DEFAULT_QUOTING_PARAMS, levels: 3 } });
    const q = quoteOption(input);
    expect(reason(q.bid)).toBe('reducing-mode');
    // ρ(q) minimum at q* = −g/h: g = 2δ/50², h = δ²/50² + ν²(1/50,000² + 1/25,000²) + 1/100².
    const { delta, vegaPerVolPt: vega } = black76Greeks(F, K, T, 0.5, 'call');
    const g = (2 * delta) / 2500;
    const h = (delta * delta) / 2500 + vega * vega * (1 / 50_000 ** 2 + 1 / 25_000 ** 2) + 1 / 100 ** 2;
    const cap = g / h;
    expect(sideAmount(q.ask)).toBeLessThanOrEqual(cap);
    expect(sideAmount(q.ask)).toBeGreaterThan(cap - 0.1 - 1e-9);
    expect(normalisedRisk(input, -sideAmount(q.ask))).toBeLessThan(normalisedRisk(input, 0));
  });

  it('reduces a position in the option itself when the portfolio is flat', () => {
    const q = quoteOption(atmCallInput({ mode: 'reducing', positionCoin: 3 }));
    expect(reason(q.bid)).toBe('reducing-mode');
    expect(sideAmount(q.ask)).toBeGreaterThan(0);
  });

  it('applies overrides: side off, size, fixed prices, lock', () => {
    expect(reason(quoteOption(atmCallInput({ override: override({ bidOff: true }) })).bid)).toBe('override');
    expect(bid0(quoteOption(atmCallInput({ override: override({ sizeCoin: 2.35 }) }))).amountCoin).toBe(2.3);
    const fixed = quoteOption(atmCallInput({ override: override({ fixedBidPriceCoin: 0.05712 }), params: { ...DEFAULT_QUOTING_PARAMS, levels: 2 } }));
    // The trader's bid, rounded down, above the model's minimum edge; a single level.
    expect(levels(fixed.bid)).toHaveLength(1);
    expect(bid0(fixed).priceCoin).toBe(0.057);
    expect(levels(fixed.ask)).toHaveLength(2);
    const crossing = quoteOption(atmCallInput({ override: override({ fixedBidPriceCoin: 0.06 }) }));
    expect(bid0(crossing).priceCoin).toBe(0.06);
    expect(reason(crossing.ask)).toBe('crossed');
    const locked = quoteOption(atmCallInput({ override: override({ locked: true }) }));
    expect(locked.locked).toBe(true);
    expect(locked.bid.quoted).toBe(true);
  });

  it('quotes nothing on a stale book, an unselected strike or bad inputs', () => {
    expect(reason(quoteOption(atmCallInput({ market: { stale: true } })).bid)).toBe('stale-market');
    expect(reason(quoteOption(atmCallInput({ expirySelected: false })).ask)).toBe('not-selected');
    expect(reason(quoteOption(atmCallInput({ params: { ...DEFAULT_QUOTING_PARAMS, minAbsDelta: 0.6, maxAbsDelta: 0.9 } })).bid)).toBe('not-selected');
    expect(reason(quoteOption(atmCallInput({ params: { ...DEFAULT_QUOTING_PARAMS, minDaysToExpiry: 31 } })).bid)).toBe('not-selected');
    for (const bad of [{ theoVolAnnual: NaN }, { forwardUsd: 0 }, { expiryYears: 0 }, { uncertaintyVolPts: -1 }, { positionCoin: NaN }, { risk: { deltaCoin: Infinity, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 } }, { override: override({ volOffsetPts: -60 }) }]) {
      const q = quoteOption(atmCallInput(bad));
      expect(reason(q.bid)).toBe('invalid-input');
      expect(reason(q.ask)).toBe('invalid-input');
    }
    const future = quoteOption(atmCallInput({ instrument: { instrumentName: 'BTC-PERPETUAL', tickSize: 0.5, minTradeAmount: 10 } }));
    expect(reason(future.bid)).toBe('invalid-input');
  });

  it('spaces levels by vol and by at least one tick, sizes by factor', () => {
    const params = { ...DEFAULT_QUOTING_PARAMS, levels: 3, levelSpacingVolPts: 0, levelSizeFactors: [1, 2, 3] as const };
    const q = quoteOption(atmCallInput({ params }));
    expect(levels(q.bid).map((l) => l.priceCoin)).toEqual([0.0555, 0.055, 0.0545]);
    expect(levels(q.ask).map((l) => l.priceCoin)).toEqual([0.0585, 0.059, 0.0595]);
    expect(levels(q.ask).map((l) => l.amountCoin)).toEqual([1, 2, 3]);
  });
});

/** Every level of a side, with its price and amount. */
const allLevels = (side: QuoteSide) => (side.quoted ? side.levels : []);

describe('quoteOption: properties', () => {
  const runs = { seed: 42, numRuns: 2000 };

  it('never quotes bid ≥ ask, and keeps levels strictly behind each other', () => {
    fc.assert(
      fc.property(quoteInputArbitrary, (input) => {
        const q = quoteOption(input);
        const bids = allLevels(q.bid).map((l) => l.priceCoin);
        const asks = allLevels(q.ask).map((l) => l.priceCoin);
        for (let l = 1; l < bids.length; l++) expect(bids[l]).toBeLessThan(bids[l - 1]!);
        for (let l = 1; l < asks.length; l++) expect(asks[l]).toBeGreaterThan(asks[l - 1]!);
        if (bids.length > 0 && asks.length > 0) expect(bids[0]).toBeLessThan(asks[0]!);
        if (bids.length > 0) expect(bids[0]).toBeLessThan(q.theoPriceCoin);
        if (asks.length > 0) expect(asks[0]).toBeGreaterThan(q.theoPriceCoin);
      }),
      runs,
    );
  });

  it('puts every price on tick (at least one tick) and every amount on whole lots', () => {
    fc.assert(
      fc.property(quoteInputArbitrary, (input) => {
        const q = quoteOption(input);
        for (const level of [...allLevels(q.bid), ...allLevels(q.ask)]) {
          expect(isOnGrid(level.priceCoin, input.instrument.tickSize)).toBe(true);
          expect(level.priceCoin).toBeGreaterThanOrEqual(input.instrument.tickSize);
          expect(isOnGrid(level.amountCoin, input.instrument.minTradeAmount)).toBe(true);
          expect(level.amountCoin).toBeGreaterThanOrEqual(input.instrument.minTradeAmount);
        }
      }),
      runs,
    );
  });

  it('never quotes outside the collar around theo or around the mark', () => {
    fc.assert(
      fc.property(quoteInputArbitrary, (input) => {
        const q = quoteOption(input);
        for (const level of [...allLevels(q.bid), ...allLevels(q.ask)]) {
          expect(withinCollar(level.priceCoin, q.theoPriceCoin, input.instrument.tickSize, input.collar)).toBe(true);
          const mark = input.market.markPriceCoin;
          if (mark !== undefined) expect(withinCollar(level.priceCoin, mark, input.instrument.tickSize, input.collar)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('never crosses the market with post-only quotes', () => {
    fc.assert(
      fc.property(quoteInputArbitrary, (input) => {
        const q = quoteOption(input);
        if (!input.params.postOnly) return;
        const { bidPriceCoin, askPriceCoin } = input.market;
        if (askPriceCoin !== undefined) for (const level of allLevels(q.bid)) expect(level.priceCoin).toBeLessThan(askPriceCoin);
        if (bidPriceCoin !== undefined) for (const level of allLevels(q.ask)) expect(level.priceCoin).toBeGreaterThan(bidPriceCoin);
      }),
      runs,
    );
  });

  it('in REDUCING mode never quotes a side whose complete fill would increase risk', () => {
    fc.assert(
      fc.property(quoteInputArbitrary, (generated) => {
        const input: QuoteOptionInput = { ...generated, mode: 'reducing' };
        const q = quoteOption(input);
        const before = normalisedRisk(input, 0);
        const bought = sideAmount(q.bid);
        const sold = sideAmount(q.ask);
        expect(bought === 0 || sold === 0).toBe(true);
        if (bought > 0) expect(normalisedRisk(input, bought)).toBeLessThanOrEqual(before * (1 + 1e-9));
        if (sold > 0) expect(normalisedRisk(input, -sold)).toBeLessThanOrEqual(before * (1 + 1e-9));
        // Every partial fill too (ρ is convex along the trade, so its ends suffice), and one lot reduces it.
        if (bought > 0) expect(normalisedRisk(input, input.instrument.minTradeAmount)).toBeLessThan(before);
        if (sold > 0) expect(normalisedRisk(input, -input.instrument.minTradeAmount)).toBeLessThan(before);
      }),
      runs,
    );
  });

  it('skews to reduce risk: the risk-adding side never more aggressive than flat, the other never less', () => {
    fc.assert(
      fc.property(quoteInputArbitrary, (generated) => {
        const input: QuoteOptionInput = { ...generated, mode: 'active' };
        const flat = quoteOption({ ...input, risk: { deltaCoin: 0, vegaUsdPerVolPt: 0, bucketVegaUsdPerVolPt: 0 }, positionCoin: 0 });
        const skewed = quoteOption(input);
        const marginal = skewMarginalRiskUsd(input);
        // Buying adds risk when the marginal risk is positive: the bid is the risk-adding side.
        const adding = marginal > 0 ? 'bid' : marginal < 0 ? 'ask' : undefined;
        for (const sideName of ['bid', 'ask'] as const) {
          const sign = sideName === 'bid' ? 1 : -1;
          const f = flat[sideName];
          const s = skewed[sideName];
          // Sizes never grow with inventory.
          if (f.quoted && s.quoted) for (let l = 0; l < Math.min(f.levels.length, s.levels.length); l++) expect(s.levels[l]!.amountCoin).toBeLessThanOrEqual(f.levels[l]!.amountCoin);
          if (adding === undefined) continue;
          if (sideName === adding) {
            if (f.quoted && s.quoted) expect(sign * s.levels[0]!.priceCoin).toBeLessThanOrEqual(sign * f.levels[0]!.priceCoin + 1e-12);
            if (!f.quoted) expect(s.quoted).toBe(false);
          } else {
            if (f.quoted && s.quoted) expect(sign * s.levels[0]!.priceCoin).toBeGreaterThanOrEqual(sign * f.levels[0]!.priceCoin - 1e-12);
            // Only the size shrink (the side adds to the limits' risk ρ) may take it off.
            if (f.quoted && !s.quoted) expect(s.reason).toBe('size-zero');
          }
        }
      }),
      runs,
    );
  });
});
