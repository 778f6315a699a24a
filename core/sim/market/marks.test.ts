import { describe, expect, it } from 'vitest';
import { deribitTickerGreeks, inverseOptionPriceCoin, sviImpliedVol } from '../../pricing/index.ts';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import { forwardPrice, perpetualFairPrice } from './carry.ts';
import type { CurrencyMarketView } from './marks.ts';
import { MarkCalculator, computeMarks } from './marks.ts';
import { DEFAULT_CURRENCY_PARAMS } from './params.ts';
import { surfaceShape, sviParamsAt } from './true-surface.ts';
import { MS_PER_YEAR } from './units.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const BTC = DEFAULT_CURRENCY_PARAMS.BTC;
const view: CurrencyMarketView = { indexPrice: 95_000, carryRate: 0.06, premium: 0.0004, shape: surfaceShape(0.3, BTC) };
const viewOf = (_currency: Currency): CurrencyMarketView => view;

const catalog = buildCatalog({
  currency: 'BTC',
  nowMs: NOW,
  expiries: listedExpiries(NOW),
  strikeInputs: (expiryMs) => {
    const expiryYears = (expiryMs - NOW) / MS_PER_YEAR;
    return { forward: forwardPrice(95_000, 0.06, expiryYears), atmVolAnnual: 0.55, expiryYears };
  },
  firstInstrumentId: 1,
});

describe('marks', () => {
  it('equal core/pricing’s direct computation for every option, and carry fair values for futures', () => {
    const marks = computeMarks(catalog, viewOf, NOW);
    expect(marks).toHaveLength(catalog.length);
    let options = 0;
    catalog.forEach((instrument, i) => {
      const mark = marks[i]!;
      const expiryYears = (instrument.expirationTimestamp - NOW) / MS_PER_YEAR;
      if (instrument.kind === 'future') {
        const fair = instrument.isPerpetual ? perpetualFairPrice(95_000, 0.0004) : forwardPrice(95_000, 0.06, expiryYears);
        expect(mark.markPrice).toBe(fair);
        expect(mark.markIv).toBeUndefined();
        return;
      }
      options++;
      const forward = forwardPrice(95_000, 0.06, expiryYears);
      const vol = sviImpliedVol(sviParamsAt(view.shape, expiryYears), Math.log(instrument.strike! / forward), expiryYears);
      const greeks = deribitTickerGreeks(forward, instrument.strike!, expiryYears, vol, instrument.optionType!);
      expect(mark.markIv).toBe(vol);
      expect(mark.markPrice).toBe(inverseOptionPriceCoin(forward, instrument.strike!, expiryYears, vol, instrument.optionType!));
      expect(mark.deltaCoin).toBe(greeks.deltaBlack);
      expect(mark.gammaCoin).toBe(greeks.gammaPerUsd);
      expect(mark.vegaUsd).toBe(greeks.vegaUsdPerVolPt);
      expect(mark.thetaUsd).toBe(greeks.thetaUsdPerDay);
    });
    expect(options).toBeGreaterThan(400);
  });

  it('caps theta under one day like Deribit and marks expired options at intrinsic on the index', () => {
    const option = catalog.find((i) => i.kind === 'option' && i.optionType === 'call')!;
    const put: SimInstrument = { ...option, instrumentName: 'P', optionType: 'put' };
    const hourBefore = option.expirationTimestamp - 3_600_000;
    const [near] = computeMarks([option], viewOf, hourBefore);
    const expiryYears = 3_600_000 / MS_PER_YEAR;
    const forward = forwardPrice(95_000, 0.06, expiryYears);
    const vol = sviImpliedVol(sviParamsAt(view.shape, expiryYears), Math.log(option.strike! / forward), expiryYears);
    expect(near!.thetaUsd).toBe(deribitTickerGreeks(forward, option.strike!, expiryYears, vol, 'call').thetaUsdPerDay);

    for (const at of [option.expirationTimestamp, option.expirationTimestamp + 1_000]) {
      const [call, putMark] = computeMarks([option, put], viewOf, at);
      const strike = option.strike!;
      expect(call!.markPrice).toBeCloseTo(Math.max(95_000 - strike, 0) / 95_000, 15);
      expect(putMark!.markPrice).toBeCloseTo(Math.max(strike - 95_000, 0) / 95_000, 15);
      expect(call!.vegaUsd).toBe(0);
      expect(call!.deltaCoin).toBe(95_000 > strike ? 1 : 0);
      expect(putMark!.deltaCoin).toBe(95_000 < strike ? -1 : 0);
    }
  });

  it('recomputes its cached layout when the instrument list changes', () => {
    const calculator = new MarkCalculator();
    const all = calculator.compute(catalog, viewOf, NOW);
    const subset = catalog.filter((_, i) => i % 7 === 3).reverse();
    const marks = calculator.compute(subset, viewOf, NOW);
    subset.forEach((instrument, i) => expect(marks[i]).toEqual(all[catalog.indexOf(instrument)]));
    // Same length, different members.
    const swapped = [...subset];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    const again = calculator.compute(swapped, viewOf, NOW);
    expect(again[0]).toEqual(marks[1]);
    expect(calculator.forward[0]).toBeGreaterThan(0);
    const bad: SimInstrument = { ...catalog.find((i) => i.kind === 'option')!, strike: undefined };
    expect(() => calculator.compute([bad], viewOf, NOW)).toThrow(/strike/);
  });
});
