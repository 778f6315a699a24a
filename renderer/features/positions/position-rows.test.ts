import { describe, expect, it } from 'vitest';
import type { IndexRow, InstrumentRow, PositionRow } from '../../../core/protocol/index.ts';
import { EXPIRY_A, instrumentsOf, option } from '../market/test-fixtures.ts';
import { positionTotals, positionViews, sameTotals, shallowEqual } from './position-rows.ts';

const call = option('BTC', EXPIRY_A, 95_000, 'call');
const perpetual: InstrumentRow = { instrumentName: 'BTC-PERPETUAL', venueId: 'sim', currency: 'BTC', kind: 'future', isPerpetual: true, expiryMs: 9e15, tickSize: 0.5, minTradeAmount: 10, contractSize: 10 };
const instruments = instrumentsOf([call, perpetual]);
const indices: Record<string, IndexRow> = { btc_usd: { indexName: 'btc_usd', currency: 'BTC', price: 100_000, tsMs: 1 } };

function position(instrumentName: string, fields: Partial<PositionRow> = {}): PositionRow {
  return { instrumentName, venueId: 'sim', currency: instrumentName.split('-')[0]!, size: 1, averagePrice: 0.02, markPrice: 0.025, realizedPnlCoin: 0, unrealizedPnlCoin: 0.005, feesCoin: 0.0003, deltaCoin: 0.5, vegaUsdPerVolPt: 40, updatedTsMs: 5, ...fields };
}

describe('position rows', () => {
  const positions = {
    [call.instrumentName]: position(call.instrumentName, { size: -2, realizedPnlCoin: 0.001 }),
    'BTC-PERPETUAL': position('BTC-PERPETUAL', { size: 10_000, averagePrice: 99_000, markPrice: 100_000, unrealizedPnlCoin: 0.001, deltaCoin: 0.1, vegaUsdPerVolPt: 0, discrepancy: 'venue says 9,990' }),
    'ETH-PERPETUAL': position('ETH-PERPETUAL', { size: 0, realizedPnlCoin: -0.02, unrealizedPnlCoin: 0, deltaCoin: 0, vegaUsdPerVolPt: 0 }),
  };

  it('converts PnL to USD at the underlying index, with units per kind', () => {
    const views = positionViews(positions, instruments, indices, { hideFlat: false });
    expect(views.get(call.instrumentName)).toMatchObject({ kind: 'option', amountUnit: 'BTC', priceUnit: 'BTC', priceDecimals: 4, unrealizedPnlUsd: 500, realizedPnlUsd: 100, flat: false, discrepancy: undefined });
    expect(views.get('BTC-PERPETUAL')).toMatchObject({ kind: 'future', amountUnit: 'USD', priceDecimals: 1, unrealizedPnlUsd: 100, discrepancy: 'venue says 9,990' });
    expect(views.get('ETH-PERPETUAL')).toMatchObject({ flat: true, unrealizedPnlUsd: undefined, realizedPnlUsd: undefined });
  });

  it('hides closed positions on request, unless they disagree with the venue', () => {
    const withClosedMismatch = { ...positions, 'BTC-27NOV26': position('BTC-27NOV26', { size: 0, discrepancy: 'venue has 10' }) };
    expect([...positionViews(withClosedMismatch, instruments, indices, { hideFlat: true }).keys()]).toEqual([call.instrumentName, 'BTC-PERPETUAL', 'BTC-27NOV26']);
    expect(positionViews(undefined, instruments, indices, { hideFlat: true }).size).toBe(0);
  });

  it('sums per underlying', () => {
    const totals = positionTotals(positionViews(positions, instruments, indices, { hideFlat: false }).values());
    expect(totals.map((total) => total.currency)).toEqual(['BTC', 'ETH']);
    expect(totals[0]).toMatchObject({ count: 2, deltaCoin: 0.6, vegaUsdPerVolPt: 40, unrealizedPnlUsd: 600, discrepancies: 1 });
    expect(totals[0]!.unrealizedPnlCoin).toBeCloseTo(0.006);
    expect(totals[1]).toMatchObject({ count: 0, realizedPnlCoin: -0.02, realizedPnlUsd: undefined });
    expect(sameTotals(totals, positionTotals(positionViews(positions, instruments, indices, { hideFlat: false }).values()))).toBe(true);
    expect(sameTotals(totals, totals.slice(1))).toBe(false);
  });

  it('compares flat rows by value', () => {
    expect(shallowEqual({ a: 1, b: undefined }, { a: 1, b: undefined })).toBe(true);
    expect(shallowEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(shallowEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(shallowEqual({ a: Number.NaN }, { a: Number.NaN })).toBe(true);
  });
});
