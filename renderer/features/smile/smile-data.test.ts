import { describe, expect, it } from 'vitest';
import type { QuoteRow, SmileRow } from '../../../core/protocol/index.ts';
import { buildChainIndex, findExpiry } from '../market/chain-index.ts';
import { chainInstruments, EXPIRY_A, EXPIRY_B, instrumentsOf, option, quote } from '../market/test-fixtures.ts';
import { expiryWeight, formatStrikeTick, ivPct, linearStrikeGrid, smileKey, smileOf, smileSide, strikeLabelStep, strikeWeight, sviCurve, sviFitLabel, termStructure, withMinSpan } from './smile-data.ts';

const index = buildChainIndex(
  instrumentsOf([...chainInstruments('BTC', EXPIRY_A, [94_000, 95_000, 96_000]), option('BTC', EXPIRY_A, 97_000, 'put'), ...chainInstruments('BTC', EXPIRY_B, [90_000, 100_000])]),
);
const nov = findExpiry(index, 'BTC', EXPIRY_A)!;

function quotes(forward: number, forwardB = forward): Record<string, QuoteRow> {
  const out: Record<string, QuoteRow> = {};
  for (const chain of index.expiries.get('BTC')!) {
    for (const name of chain.names) {
      const put = name.endsWith('-P');
      out[name] = quote(name, { underlyingPrice: chain === nov ? forward : forwardB, bidIv: put ? 0.45 : 0.46, askIv: put ? 0.55 : 0, markIv: chain === nov ? 0.5 : 0.6 });
    }
  }
  return out;
}

describe('smile data', () => {
  it('reads each strike from its out-of-the-money option', () => {
    expect(smileSide(94_000, 95_300)).toBe('put');
    expect(smileSide(96_000, 95_300)).toBe('call');
    expect(smileSide(95_300, 95_300)).toBe('call');
    expect(smileSide(94_000, undefined)).toBe('call');

    const smile = smileOf(nov, quotes(95_300));
    expect(smile.forward).toBe(95_300);
    expect(smile.atmStrike).toBe(95_000);
    expect(smile.points.map((point) => [point.strike, point.side])).toEqual([
      [94_000, 'put'],
      [95_000, 'put'],
      [96_000, 'call'],
      // Only a put is listed: it is used although it is in the money.
      [97_000, 'put'],
    ]);
    expect(smile.points[0]).toMatchObject({ instrumentName: 'BTC-27NOV26-94000-P', bidIvPct: 45, markIvPct: 50, stale: false });
    expect(smile.points[0]!.askIvPct).toBeCloseTo(55, 10);
    // A zero IV (no ask) is absent, not 0 %.
    expect(smile.points[2]!.askIvPct).toBeUndefined();
  });

  it('treats missing quotes as stale and vols of zero as absent', () => {
    const smile = smileOf(nov, {});
    expect(smile.points.every((point) => point.stale && point.markIvPct === undefined)).toBe(true);
    expect(ivPct(0)).toBeUndefined();
    expect(ivPct(Number.NaN)).toBeUndefined();
    expect(ivPct(0.5099)).toBeCloseTo(50.99, 10);
  });

  it('builds the ATM term structure from unexpired expiries', () => {
    const points = termStructure(index.expiries.get('BTC')!, quotes(95_300, 99_000), EXPIRY_A - 1);
    expect(points).toEqual([
      { expiryMs: EXPIRY_A, forward: 95_300, atmStrike: 95_000, atmIvPct: 50 },
      { expiryMs: EXPIRY_B, forward: 99_000, atmStrike: 100_000, atmIvPct: 60 },
    ]);
    expect(termStructure(index.expiries.get('BTC')!, quotes(95_300), EXPIRY_A + 1).map((point) => point.expiryMs)).toEqual([EXPIRY_B]);
  });

  it('fills strike gaps with empty points so the axis is linear in strike', () => {
    expect(linearStrikeGrid([90_000, 95_000, 96_000, 97_000, 100_000])).toEqual([91_000, 92_000, 93_000, 94_000, 98_000, 99_000]);
    expect(linearStrikeGrid([1, 2, 3])).toEqual([]);
    expect(linearStrikeGrid([0.5, 1, 2])).toEqual([1.5]);
    expect(linearStrikeGrid([1, 2, 1_000_000])).toEqual([]);
  });

  it('labels about seven evenly spaced round strikes', () => {
    expect(strikeLabelStep([91_000, 99_000])).toBe(2000);
    expect(strikeLabelStep([84_000, 108_000])).toBe(5000);
    expect(strikeLabelStep([55_000, 250_000])).toBe(50_000);
    expect(strikeLabelStep([2000, 2600])).toBe(100);
    expect(strikeLabelStep([95_000])).toBe(1);
    expect(strikeWeight(100_000, 5000)).toBe(3);
    expect(strikeWeight(95_000, 5000)).toBe(2);
    expect(strikeWeight(96_000, 5000)).toBe(0);
  });

  it('labels strikes on the axis briefly', () => {
    expect(formatStrikeTick(96_000)).toBe('96k');
    expect(formatStrikeTick(95_500)).toBe('95.5k');
    expect(formatStrikeTick(3200)).toBe('3200');
    expect(formatStrikeTick(2.5)).toBe('2.5');
  });

  it('widens a flat vol range to a minimum span', () => {
    const widened = withMinSpan({ minValue: 50.8, maxValue: 51.4 }, 4)!;
    expect(widened.minValue).toBeCloseTo(49.1, 10);
    expect(widened.maxValue).toBeCloseTo(53.1, 10);
    expect(withMinSpan({ minValue: 40, maxValue: 60 }, 4)).toEqual({ minValue: 40, maxValue: 60 });
    expect(withMinSpan(null, 4)).toBeNull();
  });

  it('weights expiries quarterly > monthly > weekly > daily', () => {
    expect(expiryWeight(EXPIRY_B)).toBe(3); // 25 DEC 26: last Friday of a quarter month
    expect(expiryWeight(EXPIRY_A)).toBe(2); // 27 NOV 26: last Friday of the month
    expect(expiryWeight(Date.UTC(2026, 11, 4, 8))).toBe(1); // a Friday weekly
    expect(expiryWeight(Date.UTC(2026, 10, 23, 8))).toBe(0); // a Monday daily
  });
});

describe('SVI curve', () => {
  const params = { a: 0.01, b: 0.1, rho: -0.3, m: 0.02, sigma: 0.2 };
  const nowMs = EXPIRY_A - 73 * 86_400_000; // T = 0.2 years
  const fit: SmileRow = { currency: 'BTC', expiryMs: EXPIRY_A, forwardUsd: 100_000, params, rmseVolPts: 0.4213, quotes: 23, fittedTsMs: nowMs };

  it('samples 100·√(w(k)/T) at k = ln(K/F) over the given strikes', () => {
    const curve = sviCurve(fit, [80_000, 100_000, 125_000], nowMs);
    expect(curve.map((point) => point.x)).toEqual([80_000, 100_000, 125_000]);
    for (const point of curve) {
      const u = Math.log(point.x / 100_000) - params.m;
      const w = params.a + params.b * (params.rho * u + Math.sqrt(u * u + params.sigma ** 2));
      expect(point.value).toBeCloseTo(100 * Math.sqrt(w / 0.2), 10);
    }
    // Negative skew: the low strike has the higher vol.
    expect(curve[0]!.value!).toBeGreaterThan(curve[2]!.value!);
  });

  it('leaves no value where the curve has none, and nothing once the expiry has passed', () => {
    const negative = { ...fit, params: { ...params, a: -0.05 } };
    const curve = sviCurve(negative, [0, 100_000], nowMs);
    expect(curve).toEqual([
      { x: 0, value: undefined },
      { x: 100_000, value: undefined },
    ]);
    expect(sviCurve(fit, [100_000], EXPIRY_A)).toEqual([]);
    expect(sviCurve({ ...fit, forwardUsd: 0 }, [100_000], nowMs)).toEqual([]);
  });

  it('keys fits like the engine and labels their quality', () => {
    expect(smileKey('BTC', EXPIRY_A)).toBe(`BTC:${EXPIRY_A}`);
    expect(sviFitLabel(fit)).toBe('SVI RMSE 0.42 vol pts · 23 quotes');
    expect(sviFitLabel(undefined)).toBe('no SVI fit yet');
  });

  it('reads our quote IVs from the theos', () => {
    const theos = { 'BTC-27NOV26-94000-P': { instrumentName: 'BTC-27NOV26-94000-P', theoPrice: 0.01, theoIv: 0.5, bidIv: 0.48, askIv: 0.52 } };
    const smile = smileOf(nov, quotes(95_300), theos);
    expect(smile.points[0]).toMatchObject({ ourBidIvPct: 48, ourAskIvPct: 52, theoIvPct: 50 });
    expect(smile.points[1]).toMatchObject({ ourBidIvPct: undefined, ourAskIvPct: undefined });
  });
});
