import { describe, expect, it } from 'vitest';
import type { FillRow } from '../../../core/protocol/index.ts';
import { EXPIRY_A, instrumentsOf, option } from '../market/test-fixtures.ts';
import { fillEdge, fillTotals, fillViews, newestFirst, sameFillTotals } from './fill-rows.ts';

const call = option('BTC', EXPIRY_A, 95_000, 'call');
const instruments = instrumentsOf([call]);

function fill(tradeId: string, fields: Partial<FillRow> = {}): FillRow {
  return { tradeId, venueId: 'sim', clientOrderId: 'o1', instrumentName: call.instrumentName, side: 'buy', amount: 2, price: 0.02, feeCoin: 0.0001, liquidity: 'maker', origin: 'strategy', tsMs: 10, ...fields };
}

describe('fill rows', () => {
  it('signs edge against theo: buying below theo or selling above it is positive', () => {
    expect(fillEdge('buy', 0.02, 0.021)).toBeCloseTo(0.001);
    expect(fillEdge('sell', 0.02, 0.021)).toBeCloseTo(-0.001);
    expect(fillEdge('sell', 0.022, 0.021)).toBeCloseTo(0.001);
    expect(fillEdge('buy', 0.02, undefined)).toBeUndefined();
  });

  it('builds views with units, edge per unit and in coin', () => {
    const views = fillViews({ a: fill('a', { theoPrice: 0.021 }), b: fill('b', { instrumentName: 'ETH-PERPETUAL', amount: 1000, price: 3000, theoPrice: 3001, side: 'sell', origin: 'hedge' }) }, instruments);
    expect(views.get('a')).toMatchObject({ currency: 'BTC', kind: 'option', amountUnit: 'BTC', origin: 'strategy' });
    expect(views.get('a')!.edgeCoin).toBeCloseTo(0.002);
    expect(views.get('b')).toMatchObject({ currency: 'ETH', kind: 'future', amountUnit: 'USD', edgePerUnit: -1, edgeCoin: undefined, origin: 'hedge' });
  });

  it('builds each view once per engine row', () => {
    const row = fill('a');
    const first = fillViews({ a: row }, instruments).get('a');
    expect(fillViews({ a: row, b: fill('b') }, instruments).get('a')).toBe(first);
    expect(fillViews({ a: row }, undefined).get('a')).not.toBe(first);
  });

  it('lists newest first and sums per underlying', () => {
    const views = fillViews({ a: fill('a', { tsMs: 1, theoPrice: 0.021 }), b: fill('b', { tsMs: 3 }), c: fill('c', { tsMs: 2, instrumentName: 'ETH-PERPETUAL', feeCoin: -0.0001 }) }, instruments);
    expect(newestFirst(views.values()).map((view) => view.id)).toEqual(['b', 'c', 'a']);
    const totals = fillTotals(views.values());
    expect(totals.map((total) => [total.currency, total.count])).toEqual([
      ['BTC', 2],
      ['ETH', 1],
    ]);
    expect(totals[0]!.edgeCoin).toBeCloseTo(0.002);
    expect(totals[0]!.feeCoin).toBeCloseTo(0.0002);
    expect(sameFillTotals(totals, fillTotals(views.values()))).toBe(true);
    expect(sameFillTotals(totals, [])).toBe(false);
  });
});
