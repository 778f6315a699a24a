import type { CellClassParams, ColDef, ColGroupDef, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import { formatAmount, formatCoin, formatCoinWithUnit, formatDelta, formatPrice, formatUsd, formatVolPct, formatVolPctWithUnit } from '../../ui/format.ts';
import type { ChainRow, ChainSide, OptionSide } from './chain-rows.ts';

/**
 * The chain's columns: one list of per-side column specs, laid out as calls | strike | puts with
 * the book next to the strike on both sides (bid left of ask on both, as traders read it).
 * Adding our quotes, theo, edge or position later is one more spec here reading one more field
 * of `ChainSide`.
 */

type CellKind = 'size' | 'bid' | 'ask' | 'mark' | 'iv' | 'greek';

export interface SideColumnSpec {
  readonly key: string;
  readonly header: string;
  readonly headerTooltip: string;
  readonly kind: CellKind;
  readonly minWidth: number;
  readonly value: (side: ChainSide) => number | undefined;
  readonly format: (value: number | undefined) => string;
  readonly tooltip: (side: ChainSide, currency: string) => string;
  /** Shown only while the side's column group is expanded. */
  readonly detail?: boolean;
}

function staleNote(side: ChainSide): string {
  if (!side.quote) return '\nno quote yet';
  return side.quote.stale ? `\nSTALE: ${side.quote.staleReason ?? 'book not known to be right'}` : '';
}

/** "0.0080 BTC ≈ $760.06 (at underlying 95,007.51)" */
export function premiumText(price: number | undefined, side: ChainSide, currency: string): string {
  if (price === undefined) return 'none';
  const underlying = side.quote?.underlyingPrice;
  const usd = underlying === undefined ? '' : ` ≈ ${formatUsd(price * underlying)} (× underlying ${formatPrice(underlying, 2)})`;
  return `${formatCoinWithUnit(price, currency)}${usd}`;
}

export function priceTooltip(label: string, price: number | undefined, iv: number | undefined, side: ChainSide, currency: string): string {
  const ivText = iv !== undefined && iv > 0 ? `\nIV ${formatVolPctWithUnit(iv)}` : '';
  return `${side.instrumentName} ${label}\n${premiumText(price, side, currency)}${ivText}${staleNote(side)}`;
}

export function sizeTooltip(label: string, amount: number | undefined, side: ChainSide, currency: string): string {
  const amountText = amount === undefined ? 'none' : `${formatAmount(amount)} ${currency} (contracts of 1 ${currency})`;
  return `${side.instrumentName} ${label}\n${amountText}${staleNote(side)}`;
}

export function ivTooltip(side: ChainSide): string {
  const quote = side.quote;
  return `${side.instrumentName} implied vol\nmark ${formatVolPctWithUnit(quote?.markIv)} · bid ${formatVolPctWithUnit(quote?.bidIv)} · ask ${formatVolPctWithUnit(quote?.askIv)}${staleNote(side)}`;
}

export function greeksTooltip(side: ChainSide): string {
  const quote = side.quote;
  const gamma = quote?.gamma === undefined ? '—' : quote.gamma.toPrecision(3);
  const vega = quote?.vegaUsd === undefined ? '—' : `${formatUsd(quote.vegaUsd)} per vol pt`;
  const theta = quote?.thetaUsd === undefined ? '—' : `${formatUsd(quote.thetaUsd)} per day`;
  return `${side.instrumentName} Greeks (venue, Black)\ndelta ${formatDelta(quote?.delta) || '—'} · gamma ${gamma}\nvega ${vega} · theta ${theta}${staleNote(side)}`;
}

export const SIDE_COLUMNS: readonly SideColumnSpec[] = [
  {
    key: 'delta',
    header: 'Δ',
    headerTooltip: 'Delta, Black (venue convention), per contract',
    kind: 'greek',
    minWidth: 46,
    value: (side) => side.quote?.delta,
    format: formatDelta,
    tooltip: greeksTooltip,
  },
  {
    key: 'bidIv',
    header: 'IV bid',
    headerTooltip: 'Implied vol of the best bid, %',
    kind: 'iv',
    minWidth: 50,
    detail: true,
    value: (side) => side.quote?.bidIv,
    format: formatVolPct,
    tooltip: ivTooltip,
  },
  {
    key: 'markIv',
    header: 'IV',
    headerTooltip: 'Mark implied vol, %',
    kind: 'iv',
    minWidth: 50,
    value: (side) => side.quote?.markIv,
    format: formatVolPct,
    tooltip: ivTooltip,
  },
  {
    key: 'askIv',
    header: 'IV ask',
    headerTooltip: 'Implied vol of the best ask, %',
    kind: 'iv',
    minWidth: 50,
    detail: true,
    value: (side) => side.quote?.askIv,
    format: formatVolPct,
    tooltip: ivTooltip,
  },
  {
    key: 'mark',
    header: 'Mark',
    headerTooltip: 'Venue mark price, coin per contract (USD in the tooltip)',
    kind: 'mark',
    minWidth: 60,
    value: (side) => side.quote?.markPrice,
    format: (value) => formatCoin(value),
    tooltip: (side, currency) => priceTooltip('mark', side.quote?.markPrice, side.quote?.markIv, side, currency),
  },
  {
    key: 'bidAmount',
    header: 'Size',
    headerTooltip: 'Amount at the best bid, contracts',
    kind: 'size',
    minWidth: 46,
    value: (side) => side.quote?.bidAmount,
    format: formatAmount,
    tooltip: (side, currency) => sizeTooltip('bid size', side.quote?.bidAmount, side, currency),
  },
  {
    key: 'bid',
    header: 'Bid',
    headerTooltip: 'Best bid, coin per contract (USD in the tooltip)',
    kind: 'bid',
    minWidth: 60,
    value: (side) => side.quote?.bidPrice,
    format: (value) => formatCoin(value),
    tooltip: (side, currency) => priceTooltip('bid', side.quote?.bidPrice, side.quote?.bidIv, side, currency),
  },
  {
    key: 'ask',
    header: 'Ask',
    headerTooltip: 'Best ask, coin per contract (USD in the tooltip)',
    kind: 'ask',
    minWidth: 60,
    value: (side) => side.quote?.askPrice,
    format: (value) => formatCoin(value),
    tooltip: (side, currency) => priceTooltip('ask', side.quote?.askPrice, side.quote?.askIv, side, currency),
  },
  {
    key: 'askAmount',
    header: 'Size',
    headerTooltip: 'Amount at the best ask, contracts',
    kind: 'size',
    minWidth: 46,
    value: (side) => side.quote?.askAmount,
    format: formatAmount,
    tooltip: (side, currency) => sizeTooltip('ask size', side.quote?.askAmount, side, currency),
  },
];

/** Column order of the book block (next to the strike) and the rest, per side. */
const BOOK_KEYS = ['bidAmount', 'bid', 'ask', 'askAmount'];

function specsFor(side: OptionSide): SideColumnSpec[] {
  const book = SIDE_COLUMNS.filter((spec) => BOOK_KEYS.includes(spec.key));
  const rest = SIDE_COLUMNS.filter((spec) => !BOOK_KEYS.includes(spec.key));
  // Calls: Δ, IVs, mark, then the book up to the strike. Puts: the book from the strike, then mark, IVs, Δ.
  return side === 'call' ? [...rest, ...book] : [...book, ...[...rest].reverse()];
}

export function sideOf(colId: string | undefined): OptionSide | undefined {
  if (colId?.startsWith('call.')) return 'call';
  if (colId?.startsWith('put.')) return 'put';
  return undefined;
}

function sideColumn(side: OptionSide, spec: SideColumnSpec): ColDef<ChainRow> {
  const read = (row: ChainRow | undefined): ChainSide | undefined => row?.[side];
  return {
    colId: `${side}.${spec.key}`,
    headerName: spec.header,
    headerTooltip: spec.headerTooltip,
    headerClass: `chain-header-${side}`,
    minWidth: spec.minWidth,
    flex: spec.minWidth,
    ...(spec.detail && { columnGroupShow: 'open' as const }),
    context: { side },
    valueGetter: (params: ValueGetterParams<ChainRow>) => {
      const cells = read(params.data);
      return cells ? spec.value(cells) : undefined;
    },
    valueFormatter: (params: ValueFormatterParams<ChainRow, number | undefined>) => spec.format(params.value ?? undefined),
    // A cell flashes when what it shows changes, not at every float wiggle below its precision.
    equals: (a: number | undefined, b: number | undefined) => a === b || spec.format(a ?? undefined) === spec.format(b ?? undefined),
    enableCellChangeFlash: true,
    cellClass: ['chain-num', `chain-${spec.kind}`],
    cellClassRules: {
      'chain-stale': (params: CellClassParams<ChainRow>) => read(params.data)?.quote?.stale ?? false,
      'chain-itm': (params: CellClassParams<ChainRow>) => read(params.data)?.itm ?? false,
      'chain-selected': (params: CellClassParams<ChainRow>) => read(params.data)?.selected ?? false,
    },
  };
}

/**
 * The tooltip text of a chain cell, from the row's current data. The panel shows it itself (see
 * chain-tooltip.ts) and keeps it live while it is open: AG Grid's own tooltip restarts its delay
 * whenever the cell refreshes, so on a ticking chain it would never appear.
 */
export function cellTooltip(colId: string, row: ChainRow | undefined, currency: string): string | undefined {
  if (!row) return undefined;
  if (colId === 'strike') {
    const names = [row.call?.instrumentName, row.put?.instrumentName].filter((name) => name !== undefined).join(' / ');
    return `Strike ${formatPrice(row.strike)} USD${row.atm ? ' (ATM: nearest the forward)' : ''}\n${names}\nclick: select the out-of-the-money option`;
  }
  const side = sideOf(colId);
  const cells = side ? row[side] : undefined;
  const spec = SIDE_COLUMNS.find((candidate) => `${side}.${candidate.key}` === colId);
  return cells && spec ? spec.tooltip(cells, currency) : undefined;
}

export function chainColumns(currency: string): (ColDef<ChainRow> | ColGroupDef<ChainRow>)[] {
  return [
    {
      groupId: 'calls',
      headerName: `Calls · ${currency}`,
      headerTooltip: `Calls: premiums in ${currency} per contract (USD in each cell's tooltip), vols in %; expand for bid/ask IV`,
      headerClass: 'chain-group-call',
      openByDefault: false,
      marryChildren: true,
      children: specsFor('call').map((spec) => sideColumn('call', spec)),
    },
    {
      colId: 'strike',
      headerName: 'Strike',
      headerTooltip: 'Strike, USD; the highlighted row is the strike nearest the expiry forward',
      headerClass: 'chain-header-strike',
      minWidth: 76,
      flex: 76,
      valueGetter: (params: ValueGetterParams<ChainRow>) => params.data?.strike,
      valueFormatter: (params: ValueFormatterParams<ChainRow, number>) => formatPrice(params.value ?? undefined),
      cellClass: 'chain-strike',
      cellClassRules: { 'chain-selected': (params: CellClassParams<ChainRow>) => (params.data?.call?.selected || params.data?.put?.selected) ?? false },
    },
    {
      groupId: 'puts',
      headerName: `Puts · ${currency}`,
      headerTooltip: `Puts: premiums in ${currency} per contract (USD in each cell's tooltip), vols in %; expand for bid/ask IV`,
      headerClass: 'chain-group-put',
      openByDefault: false,
      marryChildren: true,
      children: specsFor('put').map((spec) => sideColumn('put', spec)),
    },
  ];
}
