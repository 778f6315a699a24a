import type { CellClassParams, ColDef, ColGroupDef, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import { formatAmount, formatCoin, formatCoinWithUnit, formatDelta, formatPrice, formatUsd, formatVolPct, formatVolPctWithUnit } from '../../ui/format.ts';
import type { ChainRow, ChainSide, OptionSide } from './chain-rows.ts';
import { marketEdgeUsd, marketMid, quoteEdges } from './chain-rows.ts';

/**
 * The chain's columns: one list of per-side column specs, laid out as calls | strike | puts with
 * the book next to the strike on both sides (bid left of ask on both, as traders read it). Which
 * specs show, and in what order, is a view (`CHAIN_VIEWS`): the venue's market, our quoting (our
 * quotes around the market's, theo, edge, position), or everything.
 */

type CellKind = 'size' | 'bid' | 'ask' | 'mark' | 'iv' | 'greek' | 'theo' | 'iv-ours' | 'edge' | 'position' | 'ours-bid' | 'ours-ask' | 'ours-size';

export interface SideColumnSpec {
  readonly key: string;
  readonly header: string;
  readonly headerTooltip: string;
  readonly kind: CellKind;
  readonly minWidth: number;
  readonly value: (side: ChainSide) => number | undefined;
  readonly format: (value: number | undefined) => string;
  readonly tooltip: (side: ChainSide, currency: string) => string;
  /** Coloured by sign (above 0 green, below 0 red). */
  readonly signed?: boolean;
  /** Our quote is at (or through) the market's touch on its side. */
  readonly atTouch?: (side: ChainSide) => boolean;
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

/** "+0.3", "−1.2": a signed amount of contracts ('' for none). */
export function formatSignedAmount(value: number | undefined): string {
  const text = formatAmount(value);
  if (text === '' || value === undefined || !/[1-9]/.test(text)) return text;
  return value < 0 ? `−${text.slice(1)}` : `+${text}`;
}

/** "+14", "−3", "0": whole USD with a sign ('' for none). */
export function formatSignedUsd(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const whole = Math.round(Math.abs(value));
  return whole === 0 ? '0' : `${value < 0 ? '−' : '+'}${formatPrice(whole)}`;
}

/** Edge is finer than a premium tick (0.0001 BTC): one more decimal. */
export const EDGE_DECIMALS = 5;

/** "+0.00030", "−0.00004": a signed amount of coin ('' for none). */
export function formatSignedCoin(value: number | undefined, decimals = EDGE_DECIMALS): string {
  const text = formatCoin(value, decimals);
  if (text === '' || value === undefined || !/[1-9]/.test(text)) return text.replace(/^-/, '');
  return value < 0 ? `−${text.slice(1)}` : `+${text}`;
}

function coinAndUsd(value: number | undefined, side: ChainSide, currency: string): string {
  if (value === undefined) return '—';
  const underlying = side.quote?.underlyingPrice;
  const sign = value < 0 ? '−' : '+';
  return `${sign}${formatCoinWithUnit(Math.abs(value), currency, EDGE_DECIMALS)}${underlying === undefined ? '' : ` ≈ ${sign}${formatUsd(Math.abs(value) * underlying)}`}`;
}

export function positionTooltip(side: ChainSide, currency: string): string {
  const size = side.position;
  return `${side.instrumentName} position
${size === undefined ? 'none' : `${size > 0 ? 'long' : 'short'} ${formatAmount(Math.abs(size))} ${currency}`}`;
}

export function theoTooltip(side: ChainSide, currency: string): string {
  const theo = side.theo;
  if (!theo) return `${side.instrumentName} theo
not priced by the strategy${staleNote(side)}`;
  const overrides = theo.overrides && theo.overrides.length > 0 ? `
overrides: ${theo.overrides.join(', ')}` : '';
  return `${side.instrumentName} theo
${premiumText(theo.theoPrice, side, currency)}
IV ours ${formatVolPctWithUnit(theo.theoIv)} · mark ${formatVolPctWithUnit(side.quote?.markIv)}${overrides}`;
}

export function edgeTooltip(side: ChainSide, currency: string): string {
  const mid = marketMid(side.quote);
  const theo = side.theo?.theoPrice;
  const market =
    mid === undefined || theo === undefined
      ? `market edge: ${theo === undefined ? 'no theo' : 'no two-sided market'}`
      : `theo ${formatCoin(theo)} − mid ${formatCoin(mid, 5)} = ${coinAndUsd(theo - mid, side, currency)}`;
  const ours = quoteEdges(side.theo);
  const edgeOf = (value: number | undefined, off: string | undefined): string => (value === undefined ? (off ? `off (${off})` : 'none') : coinAndUsd(value, side, currency));
  return `${side.instrumentName} edge
${market}
our bid earns ${edgeOf(ours.bid, side.theo?.bidOff)} · our ask ${edgeOf(ours.ask, side.theo?.askOff)}`;
}

type BookSide = 'bid' | 'ask';

/** The fields of one side of the book, in the venue's quote and in our own (the theo row). */
const BOOK_FIELDS = {
  bid: { price: 'bidPrice', amount: 'bidAmount', iv: 'bidIv', off: 'bidOff' },
  ask: { price: 'askPrice', amount: 'askAmount', iv: 'askIv', off: 'askOff' },
} as const;

/** Our quote is at (or through) the market's touch: at or above the best bid, at or below the best ask. */
function ourQuoteAtTouch(which: BookSide, side: ChainSide): boolean {
  const ours = side.theo?.[BOOK_FIELDS[which].price];
  const best = side.quote?.[BOOK_FIELDS[which].price];
  if (ours === undefined || best === undefined) return false;
  return which === 'bid' ? ours >= best : ours <= best;
}

export function ourQuoteTooltip(which: BookSide, side: ChainSide, currency: string): string {
  const fields = BOOK_FIELDS[which];
  const theo = side.theo;
  const price = theo?.[fields.price];
  const amount = theo?.[fields.amount];
  const iv = theo?.[fields.iv];
  const off = theo?.[fields.off];
  if (price === undefined) return `${side.instrumentName} our ${which}
${off ? `not quoted: ${off}` : theo ? 'not quoted' : 'not priced by the strategy'}${staleNote(side)}`;
  const best = side.quote?.[fields.price];
  const touch = best === undefined ? '' : `
best ${which} ${formatCoin(best)}${ourQuoteAtTouch(which, side) ? ' (ours at the touch)' : ''}`;
  const size = amount === undefined ? '' : ` × ${formatAmount(amount)} ${currency}`;
  const ivText = iv !== undefined && iv > 0 ? `
IV ${formatVolPctWithUnit(iv)}` : '';
  return `${side.instrumentName} our ${which}
${premiumText(price, side, currency)}${size}${ivText}${touch}`;
}

/**
 * The columns of one side of the book: the market's IV, size and price there, and our quote's
 * size and price. Bid and ask columns differ only in which side they read.
 */
function bookSideColumns(which: BookSide): SideColumnSpec[] {
  const { price, amount, iv } = BOOK_FIELDS[which];
  const title = which === 'bid' ? 'Bid' : 'Ask';
  return [
    {
      key: iv,
      header: `IV ${which}`,
      headerTooltip: `Implied vol of the best ${which}, %`,
      kind: 'iv',
      minWidth: 50,
      value: (side) => side.quote?.[iv],
      format: formatVolPct,
      tooltip: ivTooltip,
    },
    {
      key: amount,
      header: 'Size',
      headerTooltip: `Amount at the best ${which}, contracts`,
      kind: 'size',
      minWidth: 46,
      value: (side) => side.quote?.[amount],
      format: formatAmount,
      tooltip: (side, currency) => sizeTooltip(`${which} size`, side.quote?.[amount], side, currency),
    },
    {
      key: which,
      header: title,
      headerTooltip: `Best ${which}, coin per contract (USD in the tooltip)`,
      kind: which,
      minWidth: 60,
      value: (side) => side.quote?.[price],
      format: (value) => formatCoin(value),
      tooltip: (side, currency) => priceTooltip(which, side.quote?.[price], side.quote?.[iv], side, currency),
    },
    {
      key: `our${title}Amount`,
      header: 'Our sz',
      headerTooltip: `Size of our ${which}, contracts`,
      kind: 'ours-size',
      minWidth: 48,
      value: (side) => side.theo?.[amount],
      format: formatAmount,
      tooltip: (side, currency) => ourQuoteTooltip(which, side, currency),
    },
    {
      key: `our${title}`,
      header: `Our ${which}`,
      headerTooltip: `Our ${which} (the strategy’s working quote), coin per contract; outlined when at the best ${which}`,
      kind: `ours-${which}`,
      minWidth: 58,
      value: (side) => side.theo?.[price],
      format: (value) => formatCoin(value),
      tooltip: (side, currency) => ourQuoteTooltip(which, side, currency),
      atTouch: (side) => ourQuoteAtTouch(which, side),
    },
  ];
}

/** Every per-side column a view can show, by key (a view picks and orders them: CHAIN_VIEWS). */
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
    key: 'mark',
    header: 'Mark',
    headerTooltip: 'Venue mark price, coin per contract (USD in the tooltip)',
    kind: 'mark',
    minWidth: 60,
    value: (side) => side.quote?.markPrice,
    format: (value) => formatCoin(value),
    tooltip: (side, currency) => priceTooltip('mark', side.quote?.markPrice, side.quote?.markIv, side, currency),
  },
  ...bookSideColumns('bid'),
  ...bookSideColumns('ask'),
  {
    key: 'position',
    header: 'Pos',
    headerTooltip: 'Our position, contracts (+ long, − short)',
    kind: 'position',
    minWidth: 42,
    signed: true,
    value: (side) => side.position,
    format: formatSignedAmount,
    tooltip: positionTooltip,
  },
  {
    key: 'edge',
    header: 'Edge',
    headerTooltip: 'Theo − market mid, USD per contract: above 0 the market is cheap against our theo, below 0 rich (in coin, and our own quotes’ edge, in the tooltip)',
    kind: 'edge',
    minWidth: 44,
    signed: true,
    value: marketEdgeUsd,
    format: formatSignedUsd,
    tooltip: edgeTooltip,
  },
  {
    key: 'theoIv',
    header: 'IV ours',
    headerTooltip: 'Our theo’s implied vol (the strategy’s fitted surface), %',
    kind: 'iv-ours',
    minWidth: 50,
    value: (side) => side.theo?.theoIv,
    format: formatVolPct,
    tooltip: theoTooltip,
  },
  {
    key: 'theo',
    header: 'Theo',
    headerTooltip: 'Our theoretical value, coin per contract (USD in the tooltip)',
    kind: 'theo',
    minWidth: 58,
    value: (side) => side.theo?.theoPrice,
    format: (value) => formatCoin(value),
    tooltip: theoTooltip,
  },
];

export type ChainView = 'market' | 'quoting' | 'all';

interface ViewColumn {
  readonly key: string;
  /** Shown only while the side's column group is expanded. */
  readonly detail?: boolean;
}

/**
 * Each view's columns for one side: `outer` runs from the outside of the grid to the book (calls
 * left to right; puts mirror it), `book` is next to the strike, bid left of ask on both sides.
 */
export interface ChainViewLayout {
  readonly label: string;
  readonly title: string;
  readonly outer: readonly ViewColumn[];
  readonly book: readonly ViewColumn[];
}

export const CHAIN_VIEWS: Readonly<Record<ChainView, ChainViewLayout>> = {
  market: {
    label: 'Market',
    title: 'The venue’s book, marks, vols and Greeks',
    outer: [{ key: 'delta' }, { key: 'bidIv', detail: true }, { key: 'markIv' }, { key: 'askIv', detail: true }, { key: 'mark' }],
    book: [{ key: 'bidAmount' }, { key: 'bid' }, { key: 'ask' }, { key: 'askAmount' }],
  },
  quoting: {
    label: 'Quoting',
    title: 'Our quotes around the market’s best bid and ask, theo, edge and position; expand a side for sizes and our vol',
    outer: [{ key: 'position' }, { key: 'edge' }, { key: 'theoIv', detail: true }, { key: 'markIv', detail: true }, { key: 'theo' }],
    book: [{ key: 'ourBidAmount', detail: true }, { key: 'ourBid' }, { key: 'bid' }, { key: 'ask' }, { key: 'ourAsk' }, { key: 'ourAskAmount', detail: true }],
  },
  all: {
    label: 'All',
    title: 'Every column (wide: maximise the panel)',
    outer: [
      { key: 'delta' },
      { key: 'position' },
      { key: 'edge' },
      { key: 'bidIv', detail: true },
      { key: 'markIv' },
      { key: 'askIv', detail: true },
      { key: 'theoIv' },
      { key: 'theo' },
      { key: 'mark' },
    ],
    book: [{ key: 'ourBidAmount' }, { key: 'ourBid' }, { key: 'bidAmount' }, { key: 'bid' }, { key: 'ask' }, { key: 'askAmount' }, { key: 'ourAsk' }, { key: 'ourAskAmount' }],
  },
};

export const CHAIN_VIEW_IDS = Object.keys(CHAIN_VIEWS) as readonly ChainView[];

export function isChainView(value: unknown): value is ChainView {
  return typeof value === 'string' && value in CHAIN_VIEWS;
}

const SPECS = new Map(SIDE_COLUMNS.map((spec) => [spec.key, spec]));

interface PlacedSpec {
  readonly spec: SideColumnSpec;
  readonly detail: boolean;
}

function specsFor(side: OptionSide, view: ChainView): PlacedSpec[] {
  const place = (columns: readonly ViewColumn[]): PlacedSpec[] =>
    columns.flatMap((column) => {
      const spec = SPECS.get(column.key);
      return spec ? [{ spec, detail: column.detail ?? false }] : [];
    });
  const { outer, book } = CHAIN_VIEWS[view];
  // Calls: the outer columns, then the book up to the strike. Puts: the book from the strike, then the outer ones mirrored.
  return side === 'call' ? [...place(outer), ...place(book)] : [...place(book), ...place(outer).reverse()];
}

export function sideOf(colId: string | undefined): OptionSide | undefined {
  if (colId?.startsWith('call.')) return 'call';
  if (colId?.startsWith('put.')) return 'put';
  return undefined;
}

function sideColumn(side: OptionSide, { spec, detail }: PlacedSpec): ColDef<ChainRow> {
  const read = (row: ChainRow | undefined): ChainSide | undefined => row?.[side];
  const shown = (value: unknown): number => {
    // The sign of what the cell shows: a value that rounds to zero is neither.
    if (typeof value !== 'number') return 0;
    const text = spec.format(value);
    return /[1-9]/.test(text) ? Math.sign(value) : 0;
  };
  const { atTouch } = spec;
  return {
    colId: `${side}.${spec.key}`,
    headerName: spec.header,
    headerTooltip: spec.headerTooltip,
    headerClass: `chain-header-${side}`,
    minWidth: spec.minWidth,
    flex: spec.minWidth,
    ...(detail && { columnGroupShow: 'open' as const }),
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
      ...(spec.signed && {
        'chain-positive': (params: CellClassParams<ChainRow>) => shown(params.value) > 0,
        'chain-negative': (params: CellClassParams<ChainRow>) => shown(params.value) < 0,
      }),
      ...(atTouch && {
        'chain-at-touch': (params: CellClassParams<ChainRow>) => {
          const cells = read(params.data);
          return cells ? atTouch(cells) : false;
        },
      }),
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

/** One side's column group, calls or puts: the view's columns for that side, laid out towards the strike. */
function sideGroup(side: OptionSide, currency: string, view: ChainView): ColGroupDef<ChainRow> {
  const title = side === 'call' ? 'Calls' : 'Puts';
  return {
    groupId: `${side}s`,
    headerName: `${title} · ${currency}`,
    headerTooltip: `${title}: premiums in ${currency} per contract (USD in each cell's tooltip), vols in %; expand for bid/ask IV`,
    headerClass: `chain-group-${side}`,
    openByDefault: false,
    marryChildren: true,
    children: specsFor(side, view).map((placed) => sideColumn(side, placed)),
  };
}

export function chainColumns(currency: string, view: ChainView = 'market'): (ColDef<ChainRow> | ColGroupDef<ChainRow>)[] {
  return [
    sideGroup('call', currency, view),
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
    sideGroup('put', currency, view),
  ];
}
