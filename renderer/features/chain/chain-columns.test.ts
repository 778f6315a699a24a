import type { ColDef, ColGroupDef } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import type { ChainRow, ChainSide } from './chain-rows.ts';
import {
  cellTooltip,
  CHAIN_VIEW_IDS,
  chainColumns,
  edgeTooltip,
  formatSignedAmount,
  formatSignedCoin,
  formatSignedUsd,
  greeksTooltip,
  isChainView,
  ivTooltip,
  ourQuoteTooltip,
  positionTooltip,
  premiumText,
  priceTooltip,
  sideOf,
  sizeTooltip,
  theoTooltip,
} from './chain-columns.ts';

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
  theo: undefined,
  position: undefined,
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
    expect(ivTooltip({ instrumentName: 'x', quote: undefined, theo: undefined, position: undefined, itm: false, selected: false })).toBe('x implied vol\nmark — · bid — · ask —\nno quote yet');
  });

  it('finds the tooltip of any cell from its column and row', () => {
    const row: ChainRow = { id: '95000', strike: 95_000, atm: true, call: side, put: undefined };
    expect(cellTooltip('call.bid', row, 'BTC')).toBe(priceTooltip('bid', 0.008, 0.4683, side, 'BTC'));
    expect(cellTooltip('call.delta', row, 'BTC')).toBe(greeksTooltip(side));
    expect(cellTooltip('put.bid', row, 'BTC')).toBeUndefined();
    expect(cellTooltip('strike', row, 'BTC')).toBe('Strike 95,000 USD (ATM: nearest the forward)\nBTC-27NOV26-95000-C\nclick: select the out-of-the-money option');
    expect(cellTooltip('call.bid', undefined, 'BTC')).toBeUndefined();
  });

  const ours: ChainSide = {
    ...side,
    theo: { instrumentName: side.instrumentName, theoPrice: 0.0089, theoIv: 0.5182, bidPrice: 0.0085, bidAmount: 1, bidIv: 0.5, askPrice: 0.0095, askAmount: 2, askIv: 0.54, overrides: ['o1'] },
    position: -0.3,
  };
  const row: ChainRow = { id: '95000', strike: 95_000, atm: true, call: ours, put: undefined };
  const cellOf = (defs: ColDef<ChainRow>[], colId: string) => defs.find((column) => column.colId === colId)!;
  const valueOf = (column: ColDef<ChainRow>) => (column.valueGetter as (params: { data: ChainRow }) => number | undefined)({ data: row });

  it('lays out the quoting view: our quotes around the market touch, theo, edge and position', () => {
    const quoting = leaves(chainColumns('BTC', 'quoting'));
    expect(quoting.map((column) => column.colId)).toEqual([
      'call.position',
      'call.edge',
      'call.theoIv',
      'call.markIv',
      'call.theo',
      'call.ourBidAmount',
      'call.ourBid',
      'call.bid',
      'call.ask',
      'call.ourAsk',
      'call.ourAskAmount',
      'strike',
      'put.ourBidAmount',
      'put.ourBid',
      'put.bid',
      'put.ask',
      'put.ourAsk',
      'put.ourAskAmount',
      'put.theo',
      'put.markIv',
      'put.theoIv',
      'put.edge',
      'put.position',
    ]);
    // Collapsed, the quoting view fits the chain's usual width: 8 columns a side.
    expect(quoting.filter((column) => column.colId?.startsWith('call.') && column.columnGroupShow !== 'open')).toHaveLength(7);
    const all = leaves(chainColumns('BTC', 'all')).map((column) => column.colId);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(2 * 17 + 1);
    expect(CHAIN_VIEW_IDS).toEqual(['market', 'quoting', 'all']);
    expect(isChainView('quoting')).toBe(true);
    expect(isChainView('nonsense')).toBe(false);
  });

  it('reads our quote, theo, edge and position off the side, each flashing on what it shows', () => {
    const all = leaves(chainColumns('BTC', 'all'));
    expect(valueOf(cellOf(all, 'call.ourBid'))).toBe(0.0085);
    expect(valueOf(cellOf(all, 'call.ourAskAmount'))).toBe(2);
    expect(valueOf(cellOf(all, 'call.theo'))).toBe(0.0089);
    expect(valueOf(cellOf(all, 'call.theoIv'))).toBe(0.5182);
    expect(valueOf(cellOf(all, 'call.position'))).toBe(-0.3);
    // Edge: theo 0.0089 − mid (0.008 + 0.0095) / 2 = 0.00015 BTC, × 95,007.51 = $14.25.
    expect(valueOf(cellOf(all, 'call.edge'))).toBeCloseTo(0.00015 * 95_007.51, 9);
    for (const column of all) if (column.colId !== 'strike') expect(column.enableCellChangeFlash).toBe(true);
    expect(cellOf(all, 'call.edge').equals?.(14.2, 13.6)).toBe(true);
    expect(cellOf(all, 'call.edge').equals?.(14.2, 15.1)).toBe(false);
  });

  it('colours edge and position by sign and outlines our quote at the touch', () => {
    const all = leaves(chainColumns('BTC', 'all'));
    const rules = (colId: string) => cellOf(all, colId).cellClassRules as Record<string, (params: unknown) => boolean>;
    expect(rules('call.position')['chain-negative']!({ data: row, value: -0.3 })).toBe(true);
    expect(rules('call.position')['chain-positive']!({ data: row, value: -0.3 })).toBe(false);
    expect(rules('call.edge')['chain-positive']!({ data: row, value: 0.4 })).toBe(false);
    expect(rules('call.edge')['chain-positive']!({ data: row, value: 0.6 })).toBe(true);
    // Our bid 0.0085 is above the best bid 0.008: at the touch. Our ask 0.0095 equals the best ask.
    expect(rules('call.ourBid')['chain-at-touch']!({ data: row })).toBe(true);
    expect(rules('call.ourAsk')['chain-at-touch']!({ data: row })).toBe(true);
    const behind = { ...row, call: { ...ours, theo: { ...ours.theo!, bidPrice: 0.0075 } } };
    expect(rules('call.ourBid')['chain-at-touch']!({ data: behind })).toBe(false);
  });

  it('formats signed figures with a real minus and no sign on zero', () => {
    expect(formatSignedAmount(0.3)).toBe('+0.3');
    expect(formatSignedAmount(-1.25)).toBe('−1.3');
    expect(formatSignedAmount(0.01)).toBe('0.0');
    expect(formatSignedAmount(undefined)).toBe('');
    expect(formatSignedCoin(0.00016)).toBe('+0.00016');
    expect(formatSignedCoin(-0.0004)).toBe('−0.00040');
    expect(formatSignedCoin(-0.000001)).toBe('0.00000');
    expect(formatSignedCoin(0.00016, 4)).toBe('+0.0002');
    expect(formatSignedUsd(14.25)).toBe('+14');
    expect(formatSignedUsd(-1234.5)).toBe('−1,235');
    expect(formatSignedUsd(0.4)).toBe('0');
    expect(formatSignedUsd(undefined)).toBe('');
  });

  it('explains our quotes, theo, edge and position in tooltips', () => {
    expect(positionTooltip(ours, 'BTC')).toBe('BTC-27NOV26-95000-C position\nshort 0.3 BTC');
    expect(positionTooltip(side, 'BTC')).toBe('BTC-27NOV26-95000-C position\nnone');
    expect(theoTooltip(ours, 'BTC')).toBe('BTC-27NOV26-95000-C theo\n0.0089 BTC ≈ $845.57 (× underlying 95,007.51)\nIV ours 51.8 % · mark 51.0 %\noverrides: o1');
    expect(theoTooltip(side, 'BTC')).toBe('BTC-27NOV26-95000-C theo\nnot priced by the strategy');
    expect(edgeTooltip(ours, 'BTC')).toBe(
      'BTC-27NOV26-95000-C edge\ntheo 0.0089 − mid 0.00875 = +0.00015 BTC ≈ +$14.25\nour bid earns +0.00040 BTC ≈ +$38.00 · our ask +0.00060 BTC ≈ +$57.00',
    );
    const bidOff = { ...ours, theo: { ...ours.theo!, bidPrice: undefined, bidOff: 'max position' } };
    expect(edgeTooltip(bidOff, 'BTC')).toContain('our bid earns off (max position)');
    expect(ourQuoteTooltip('bid', ours, 'BTC')).toBe('BTC-27NOV26-95000-C our bid\n0.0085 BTC ≈ $807.56 (× underlying 95,007.51) × 1.0 BTC\nIV 50.0 %\nbest bid 0.0080 (ours at the touch)');
    expect(ourQuoteTooltip('bid', bidOff, 'BTC')).toBe('BTC-27NOV26-95000-C our bid\nnot quoted: max position');
    expect(cellTooltip('call.edge', row, 'BTC')).toBe(edgeTooltip(ours, 'BTC'));
  });
});
