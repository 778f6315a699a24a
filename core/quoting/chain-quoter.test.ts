import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSurface, surfaceImpliedVolAtStrike } from '../pricing/index.ts';
import { ChainQuoter } from './chain-quoter.ts';
import type { ChainQuoteContext } from './chain-quoter.ts';
import { NO_OVERRIDE } from './overrides.ts';
import type { EffectiveOverride } from './overrides.ts';
import { diffQuotes, refreshToleranceOf } from './quote-diff.ts';
import type { QuoteAction, WorkingOrder } from './quote-diff.ts';
import { quoteOption } from './quote-generator.ts';
import type { OptionQuote, QuoteOptionInput } from './quote-generator.ts';
import { DEFAULT_QUOTING_PARAMS } from './quoting-params.ts';
import { quoteInputArbitrary, TEST_COLLAR } from './test-support.ts';

const OVERRIDES: readonly (EffectiveOverride | undefined)[] = [
  undefined,
  { ...NO_OVERRIDE, volOffsetPts: 1, widthMultiplier: 2, overrideIds: ['a'] },
  { ...NO_OVERRIDE, askOff: true, skewOffsetPts: -0.5, overrideIds: ['b'] },
  { ...NO_OVERRIDE, locked: true, sizeCoin: 3, overrideIds: ['c'] },
];

/** Seeded single-option inputs sharing what a chain shares: parameters, collar, mode, portfolio. */
function chainInputs(count: number, seed: number, context: ChainQuoteContext): QuoteOptionInput[] {
  return fc.sample(quoteInputArbitrary, { seed, numRuns: count }).map((input, i) => ({
    ...input,
    instrument: { ...input.instrument, instrumentName: `${input.instrument.instrumentName}-${i}` },
    params: context.params,
    collar: context.collar,
    mode: context.mode,
    risk: { ...context.portfolio, bucketVegaUsdPerVolPt: input.risk.bucketVegaUsdPerVolPt },
    ...(i % 5 === 0 && { override: OVERRIDES[(i / 5) % OVERRIDES.length] }),
    ...(i % 17 === 0 && { market: { ...input.market, stale: true } }),
  }));
}

function load(chain: ChainQuoter, inputs: readonly QuoteOptionInput[]): void {
  inputs.forEach((input, i) => {
    chain.setInstrument(i, input.instrument);
    chain.expiryYears[i] = input.expiryYears;
    chain.forwardUsd[i] = input.forwardUsd;
    chain.theoVolAnnual[i] = input.theoVolAnnual;
    chain.uncertaintyVolPts[i] = input.uncertaintyVolPts;
    chain.marketBidCoin[i] = input.market.bidPriceCoin ?? NaN;
    chain.marketAskCoin[i] = input.market.askPriceCoin ?? NaN;
    chain.markCoin[i] = input.market.markPriceCoin ?? NaN;
    chain.stale[i] = input.market.stale === true ? 1 : 0;
    chain.positionCoin[i] = input.positionCoin;
    chain.bucketVegaUsdPerVolPt[i] = input.risk.bucketVegaUsdPerVolPt;
    chain.overrides[i] = input.override;
  });
}

/** Every resting order of the quote, as acknowledged orders. */
function restingOrders(quote: OptionQuote, prefix: string): WorkingOrder[] {
  const orders: WorkingOrder[] = [];
  for (const [side, quoteSide] of [['buy', quote.bid], ['sell', quote.ask]] as const) {
    if (!quoteSide.quoted) continue;
    quoteSide.levels.forEach((level, l) => orders.push({ clientOrderId: `${prefix}-${side}-${l}`, side, level: l, priceCoin: level.priceCoin, amountCoin: level.amountCoin, state: 'open' }));
  }
  return orders;
}

const CONTEXTS: readonly ChainQuoteContext[] = [
  { params: DEFAULT_QUOTING_PARAMS, portfolio: { deltaCoin: 12, vegaUsdPerVolPt: -8000 }, mode: 'active', collar: TEST_COLLAR },
  {
    params: { ...DEFAULT_QUOTING_PARAMS, levels: 3, minAbsDelta: 0, maxAbsDelta: 1, maxAbsLogMoneyness: 5, postOnly: false },
    portfolio: { deltaCoin: -30, vegaUsdPerVolPt: 20_000 },
    mode: 'reducing',
    collar: { maxTicksFromReference: 8, maxFractionFromReference: 0.05 },
  },
];

describe('ChainQuoter', () => {
  it('quotes every option exactly as quoteOption does', () => {
    for (const [c, context] of CONTEXTS.entries()) {
      const inputs = chainInputs(300, 11 + c, context);
      const chain = new ChainQuoter(320);
      load(chain, inputs);
      chain.quote(inputs.length, context);
      const quoted = inputs.filter((_, i) => chain.levelCount[2 * i]! + chain.levelCount[2 * i + 1]! > 0).length;
      expect(quoted).toBeGreaterThan(30);
      inputs.forEach((input, i) => expect(chain.quoteAt(i)).toEqual(quoteOption(input)));
    }
  });

  it('diffs the chain exactly as diffQuotes does option by option', () => {
    const context = CONTEXTS[0]!;
    const inputs = chainInputs(200, 5, context);
    const chain = new ChainQuoter(200);
    load(chain, inputs);
    chain.quote(inputs.length, context);
    // Working orders from a requote at another forward, some pending.
    const before = inputs.map((input) => quoteOption({ ...input, forwardUsd: input.forwardUsd * 0.995 }));
    const working = before.map((quote, i) => restingOrders(quote, `o${i}`).map((o, k) => (k === 1 && i % 3 === 0 ? { ...o, state: 'pending-replace' as const } : o)));
    const tolerance = refreshToleranceOf(context.params);
    const actions: QuoteAction[] = [];
    chain.diff(inputs.length, working, tolerance, actions);
    const expected = inputs.flatMap((_, i) => diffQuotes(chain.quoteAt(i), working[i]!, tolerance));
    expect(actions).toEqual(expected);
    expect(actions.some((a) => a.kind === 'amend')).toBe(true);
  });

  it('after an underlying move, a requote and its actions leave nothing more to do', () => {
    const context = CONTEXTS[0]!;
    const surface = buildSurface([
      { expiryYears: 7 / 365, params: { a: 0.002, b: 0.02, rho: -0.3, m: 0, sigma: 0.1 } },
      { expiryYears: 30 / 365, params: { a: 0.01, b: 0.05, rho: -0.3, m: 0, sigma: 0.15 } },
    ]);
    if (!surface.ok) throw new Error(surface.message);
    const chain = new ChainQuoter(100);
    for (let i = 0; i < 100; i++) {
      const strike = 40_000 + 500 * Math.floor(i / 2);
      chain.setInstrument(i, { instrumentName: `BTC-${strike}-${i % 2 ? 'P' : 'C'}`, strike, optionType: i % 2 ? 'put' : 'call', tickSize: 0.0005, minTradeAmount: 0.1 });
      chain.expiryYears[i] = i < 50 ? 7 / 365 : 30 / 365;
      chain.forwardUsd[i] = 60_000;
    }
    chain.fillTheoFromSurface(surface.surface, 100);
    expect(chain.theoVolAnnual[10]).toBe(surfaceImpliedVolAtStrike(surface.surface, chain.strike[10]!, 60_000, 7 / 365));
    chain.quote(100, context);
    const working = Array.from({ length: 100 }, (_, i) => restingOrders(chain.quoteAt(i), `o${i}`));
    const placedBefore = working.reduce((n, orders) => n + orders.length, 0);
    expect(placedBefore).toBeGreaterThan(50);

    chain.forwardUsd.fill(60_600);
    chain.fillTheoFromSurface(surface.surface, 100);
    chain.quote(100, context);
    const tolerance = refreshToleranceOf(context.params);
    const actions: QuoteAction[] = [];
    chain.diff(100, working, tolerance, actions);
    expect(actions.filter((a) => a.kind === 'amend').length).toBeGreaterThan(placedBefore / 2);
    const after = working.map((orders, i) => {
      let next = orders;
      for (const a of actions.filter((x) => x.instrumentName === chain.instrumentName[i])) {
        if (a.kind === 'amend') next = next.map((o) => (o.clientOrderId === a.clientOrderId ? { ...o, priceCoin: a.priceCoin, amountCoin: a.amountCoin } : o));
        else if (a.kind === 'cancel') next = next.filter((o) => o.clientOrderId !== a.clientOrderId);
        else next = [...next, { clientOrderId: `n${i}-${a.side}-${a.level}`, side: a.side, level: a.level, priceCoin: a.priceCoin, amountCoin: a.amountCoin, state: 'open' }];
      }
      return next;
    });
    const again: QuoteAction[] = [];
    chain.diff(100, after, tolerance, again);
    expect(again).toEqual([]);
  });

  it('quoteOne requotes one option as quote() would and leaves the others alone', () => {
    for (const [c, context] of CONTEXTS.entries()) {
      const inputs = chainInputs(120, 31 + c, context);
      const chain = new ChainQuoter(120);
      load(chain, inputs);
      chain.quote(inputs.length, context);
      const before = inputs.map((_, i) => chain.quoteAt(i));
      // The market of every seventh option moves; each is requoted alone on its frame.
      const moved = inputs.map((input, i) => (i % 7 === 3 ? { ...input, forwardUsd: input.forwardUsd * 1.004, theoVolAnnual: input.theoVolAnnual + 0.01 } : input));
      for (const [i, input] of moved.entries()) {
        if (input === inputs[i]) continue;
        chain.forwardUsd[i] = input.forwardUsd;
        chain.theoVolAnnual[i] = input.theoVolAnnual;
        chain.quoteOne(i, context);
      }
      moved.forEach((input, i) => expect(chain.quoteAt(i)).toEqual(input === inputs[i] ? before[i] : quoteOption(input)));
      const tolerance = refreshToleranceOf(context.params);
      const one: QuoteAction[] = [];
      chain.diffOne(3, restingOrders(before[3]!, 'o3'), tolerance, one);
      expect(one).toEqual(diffQuotes(chain.quoteAt(3), restingOrders(before[3]!, 'o3'), tolerance));
    }
  });

  it('quotes only the first `count` options and rejects a bad capacity', () => {
    const context = CONTEXTS[0]!;
    const inputs = chainInputs(10, 3, context);
    const chain = new ChainQuoter(10);
    load(chain, inputs);
    chain.quote(4, context);
    expect(chain.quoteAt(3)).toEqual(quoteOption(inputs[3]!));
    expect(chain.theo.priceCoin[4]).toBe(0);
    expect(() => new ChainQuoter(-1)).toThrow(RangeError);
    expect(ChainQuoter.slot(2, 1, 2)).toBe(17);
  });
});
