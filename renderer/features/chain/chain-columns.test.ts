import type { ColDef, ColGroupDef } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import type { ChainRow, ChainSide } from './chain-rows.ts';
import { cellTooltip, chainColumns, greeksTooltip, ivTooltip, premiumText, priceTooltip, sideOf, sizeTooltip } from './chain-columns.ts';

const side: ChainSide = {
  instrumentName: 'BTC-27NOV26-95000-C',
  quote: {
    instrumentName: 'BTC-27NOV26-95000-C',
    tsMs: 1,
    stale: false,
    bidPrice: 0.008,
    bidAmount: 0.6,
    askPrice: 0.0095,
    markPrice: 0.0087073,
    markIv: 0.5099,
    bidIv: 0.4683,
    askIv: 0.5565,
    underlyingPrice: 95_007.51,
    delta: 0.50578,
    gamma: 0.00019,
    vegaUsd: 16.15047,
    thetaUsd: -621.14798,
  },
  itm: false,
  selected: false,
};
const staleSide: ChainSide = { ...side, quote: { ...side.quote!, stale: true, staleReason: 'sequence gap' } };

function leaves(defs: (ColDef<ChainRow> | ColGroupDef<ChainRow>)[]): ColDef<ChainRow>[] {
  return defs.flatMap((def) => ('children' in def ? leaves(def.children) : [def]));
}

describe('chain columns', () => {
  const columns = leaves(chainColumns('BTC'));
  const ids = columns.map((column) => column.colId);

  it('lays out calls | strike | puts with the book next to the strike on both sides', () => {
    expect(ids).toEqual([
      'call.delta',
      'call.bidIv',
      'call.markIv',
      'call.askIv',
      'call.mark',
      'call.bidAmount',
      'call.bid',
      'call.ask',
      'call.askAmount',
      'strike',
      'put.bidAmount',
      'put.bid',
      'put.ask',
      'put.askAmount',
      'put.mark',
      'put.askIv',
      'put.markIv',
      'put.bidIv',
      'put.delta',
    ]);
    // Bid/ask IVs show when the side's group is expanded.
    expect(columns.filter((column) => column.columnGroupShow === 'open').map((column) => column.colId)).toEqual(['call.bidIv', 'call.askIv', 'put.askIv', 'put.bidIv']);
    expect(sideOf('call.bid')).toBe('call');
    expect(sideOf('put.delta')).toBe('put');
    expect(sideOf('strike')).toBeUndefined();
  });

  it('flashes a cell only when what it shows changes', () => {
    const mark = columns.find((column) => column.colId === 'call.mark')!;
    expect(mark.enableCellChangeFlash).toBe(true);
    expect(mark.equals?.(0.00871, 0.00874)).toBe(true);
    expect(mark.equals?.(0.00871, 0.00881)).toBe(false);
    const iv = columns.find((column) => column.colId === 'put.markIv')!;
    expect(iv.equals?.(0.51, 0.51004)).toBe(true);
    expect(iv.equals?.(0.51, undefined)).toBe(false);
  });

  it('says premiums in coin and USD, with IV and staleness, in tooltips', () => {
    expect(premiumText(0.008, side, 'BTC')).toBe('0.0080 BTC ≈ $760.06 (× underlying 95,007.51)');
    expect(priceTooltip('bid', 0.008, 0.4683, side, 'BTC')).toBe('BTC-27NOV26-95000-C bid\n0.0080 BTC ≈ $760.06 (× underlying 95,007.51)\nIV 46.8 %');
    expect(priceTooltip('ask', undefined, undefined, staleSide, 'BTC')).toBe('BTC-27NOV26-95000-C ask\nnone\nSTALE: sequence gap');
    expect(sizeTooltip('bid size', 0.6, side, 'BTC')).toBe('BTC-27NOV26-95000-C bid size\n0.6 BTC (contracts of 1 BTC)');
    expect(ivTooltip(side)).toBe('BTC-27NOV26-95000-C implied vol\nmark 51.0 % · bid 46.8 % · ask 55.7 %');
    expect(greeksTooltip(side)).toBe('BTC-27NOV26-95000-C Greeks (venue, Black)\ndelta 0.51 · gamma 0.000190\nvega $16.15 per vol pt · theta −$621.15 per day');
    expect(ivTooltip({ instrumentName: 'x', quote: undefined, itm: false, selected: false })).toBe('x implied vol\nmark — · bid — · ask —\nno quote yet');
  });

  it('finds the tooltip of any cell from its column and row', () => {
    const row: ChainRow = { id: '95000', strike: 95_000, atm: true, call: side, put: undefined };
    expect(cellTooltip('call.bid', row, 'BTC')).toBe(priceTooltip('bid', 0.008, 0.4683, side, 'BTC'));
    expect(cellTooltip('call.delta', row, 'BTC')).toBe(greeksTooltip(side));
    expect(cellTooltip('put.bid', row, 'BTC')).toBeUndefined();
    expect(cellTooltip('strike', row, 'BTC')).toBe('Strike 95,000 USD (ATM: nearest the forward)\nBTC-27NOV26-95000-C\nclick: select the out-of-the-money option');
    expect(cellTooltip('call.bid', undefined, 'BTC')).toBeUndefined();
  });
});
