import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawdownFromPeakUsd, GREEK_KEYS, greekTable, greekUnit, greekValue, greekValues, pickCurrency, pnlLines, riskCurrencies, sortBuckets } from './risk-view.ts';
import { greeks, riskRow } from './test-fixtures.ts';

const book = greeks({
  deltaCoin: 1.5,
  deltaUsd: 150_000,
  gammaCoinPerUsd: 0.00002,
  gammaCoinPer1Pct: 0.02,
  vegaUsdPerVolPt: -3_000,
  vegaCoinPerVolPt: -0.03,
  thetaUsdPerDay: 420,
  thetaCoinPerDay: 0.0042,
  vannaCoinPerVolPt: -0.01,
  volgaUsdPerVolPt: 250,
});

describe('Greeks in coin and in USD', () => {
  it('uses the engine figure where it reports both', () => {
    expect(greekValue(book, 'delta', 'coin', 100_000)).toBe(1.5);
    expect(greekValue(book, 'delta', 'usd', 100_000)).toBe(150_000);
    expect(greekValue(book, 'vega', 'coin', 100_000)).toBe(-0.03);
    expect(greekValue(book, 'vega', 'usd', 100_000)).toBe(-3_000);
    expect(greekValue(book, 'theta', 'coin', 100_000)).toBe(0.0042);
    expect(greekValue(book, 'theta', 'usd', 100_000)).toBe(420);
  });

  it('converts the others at the index price', () => {
    // Gamma: coin delta change per 1 % move, in USD it is worth coin × index.
    expect(greekValue(book, 'gamma', 'coin', 100_000)).toBe(0.02);
    expect(greekValue(book, 'gamma', 'usd', 100_000)).toBeCloseTo(2_000, 9);
    expect(greekValue(book, 'vanna', 'coin', 100_000)).toBe(-0.01);
    expect(greekValue(book, 'vanna', 'usd', 100_000)).toBeCloseTo(-1_000, 9);
    expect(greekValue(book, 'volga', 'usd', 100_000)).toBe(250);
    expect(greekValue(book, 'volga', 'coin', 100_000)).toBeCloseTo(0.0025, 12);
  });

  it('shows nothing rather than a wrong number without an index price', () => {
    for (const index of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(greekValue(book, 'gamma', 'usd', index)).toBeUndefined();
      expect(greekValue(book, 'vanna', 'usd', index)).toBeUndefined();
      expect(greekValue(book, 'volga', 'coin', index)).toBeUndefined();
      // The engine's own figures need no index.
      expect(greekValue(book, 'delta', 'usd', index)).toBe(150_000);
    }
    expect(greekValue(greeks({ deltaCoin: Number.NaN }), 'delta', 'coin', 100_000)).toBeUndefined();
  });

  it('converts coin to USD and back consistently for any index', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (index, x) => {
        const row = greeks({ gammaCoinPer1Pct: x, vannaCoinPerVolPt: x, volgaUsdPerVolPt: x * index });
        expect(greekValue(row, 'gamma', 'usd', index)! / index).toBeCloseTo(greekValue(row, 'gamma', 'coin', index)!, 6);
        expect(greekValue(row, 'vanna', 'usd', index)! / index).toBeCloseTo(greekValue(row, 'vanna', 'coin', index)!, 6);
        expect(greekValue(row, 'volga', 'coin', index)!).toBeCloseTo(x, 6);
      }),
    );
  });

  it('names units after the denomination', () => {
    expect(greekUnit('delta', 'coin', 'BTC')).toBe('BTC');
    expect(greekUnit('delta', 'usd', 'BTC')).toBe('USD');
    expect(greekUnit('gamma', 'coin', 'ETH')).toBe('ETH/1 %');
    expect(greekUnit('vega', 'usd', 'BTC')).toBe('USD/vol pt');
    expect(greekUnit('theta', 'coin', 'BTC')).toBe('BTC/day');
    expect(greekUnit('volga', 'usd', 'BTC')).toBe('USD/vol pt²');
    expect(Object.keys(greekValues(book, 'usd', 1))).toEqual([...GREEK_KEYS]);
  });
});

describe('bucket rows and the working quotes', () => {
  const risk = riskRow({
    greeks: book,
    buckets: [
      { expiryMs: 1_800_000_000_000, label: '26MAR27', greeks: greeks({ deltaCoin: 0.5 }) },
      { expiryMs: 32_503_680_000_000, label: 'perpetual', greeks: greeks({ deltaCoin: -1 }) },
      { expiryMs: 1_795_000_000_000, label: '25DEC26', greeks: greeks({ deltaCoin: 2 }) },
    ],
    workingBidsFilled: greeks({ deltaCoin: 3, vegaUsdPerVolPt: 1_000, thetaUsdPerDay: -50 }),
    workingAsksFilled: greeks({ deltaCoin: -4, vegaUsdPerVolPt: -1_000, thetaUsdPerDay: 60 }),
  });

  it('puts the perpetual first, then expiries nearest first', () => {
    expect(sortBuckets(risk.buckets).map((bucket) => bucket.label)).toEqual(['perpetual', '25DEC26', '26MAR27']);
    const table = greekTable(risk, 'coin');
    expect(table.total.values.delta).toBe(1.5);
    expect(table.buckets.map((line) => [line.label, line.values.delta])).toEqual([
      ['perpetual', -1],
      ['25DEC26', 2],
      ['26MAR27', 0.5],
    ]);
    expect(new Set(table.buckets.map((line) => line.id)).size).toBe(3);
  });

  it('marks the larger exposure of all bids filled and all asks filled, per Greek', () => {
    const { working } = greekTable(risk, 'usd');
    expect(working.bids.values.vega).toBe(1_000);
    expect(working.asks.values.delta).toBe(0);
    const coin = greekTable(risk, 'coin').working;
    expect(coin.worst.delta).toBe('asks');
    expect(coin.worst.theta).toBeUndefined();
    expect(working.worst.theta).toBe('asks');
    // Equal exposures: neither is worse.
    expect(working.worst.vega).toBeUndefined();
  });
});

describe('PnL lines', () => {
  const risk = riskRow({ indexPrice: 50_000, pnl: { realizedCoin: 0.1, unrealizedCoin: -0.04, feesCoin: 0.002, totalCoin: 0.058, totalUsd: 2_950, dayPeakUsd: 4_000 } });

  it('gives coin and USD, valuing components at the index and taking the engine total as is', () => {
    const lines = pnlLines(risk);
    expect(lines.map((line) => line.id)).toEqual(['realized', 'unrealized', 'fees', 'total']);
    expect(lines[0]).toMatchObject({ coin: 0.1, usdAtIndex: true });
    expect(lines[0]!.usd).toBeCloseTo(5_000, 9);
    expect(lines[1]!.usd).toBeCloseTo(-2_000, 9);
    expect(lines[2]!.usd).toBeCloseTo(100, 9);
    expect(lines[3]).toEqual({ id: 'total', label: 'Total', coin: 0.058, usd: 2_950, usdAtIndex: false });
    expect(pnlLines(riskRow({ indexPrice: 0, pnl: risk.pnl }))[0]!.usd).toBeUndefined();
  });

  it('measures the distance from the day peak', () => {
    expect(drawdownFromPeakUsd(risk)).toBe(-1_050);
    expect(drawdownFromPeakUsd(riskRow({ pnl: { ...risk.pnl, totalUsd: 4_100, dayPeakUsd: 4_000 } }))).toBe(0);
  });
});

describe('underlying choice', () => {
  it('lists underlyings and keeps the trader’s pick, else the chain’s, else the first', () => {
    expect(riskCurrencies({ ETH: riskRow({ currency: 'ETH' }), BTC: riskRow() })).toEqual(['BTC', 'ETH']);
    expect(riskCurrencies(undefined)).toEqual([]);
    expect(pickCurrency(['BTC', 'ETH'], 'ETH', 'BTC')).toBe('ETH');
    expect(pickCurrency(['BTC', 'ETH'], 'SOL', 'ETH')).toBe('ETH');
    expect(pickCurrency(['BTC', 'ETH'], undefined, 'SOL')).toBe('BTC');
    expect(pickCurrency([], 'BTC', 'BTC')).toBeUndefined();
  });
});
