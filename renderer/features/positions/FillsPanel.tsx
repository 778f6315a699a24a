import type { ColDef, GetRowIdParams, GridOptions, RowClassParams, RowClickedEvent, ValueFormatterParams } from 'ag-grid-community';
import { useEffect, useRef, useState } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { gridTheme } from '../../ui/ag-grid.ts';
import { formatClock } from '../../ui/format.ts';
import { formatAmountIn, formatPriceIn, formatSigned, signClass } from './blotter-format.ts';
import { selectionTarget } from './blotter-selection.ts';
import type { FillTotals, FillView } from './fill-rows.ts';
import { fillTotals, fillViews, sameFillTotals } from './fill-rows.ts';
import { followSelection, startGridFeed } from './grid-feed.ts';
import { useBlotterGrid } from './use-blotter-grid.ts';
import './positions.css';

type Format = ValueFormatterParams<FillView>;

const price = (p: Format): string => (p.data ? formatPriceIn(p.value as number | undefined, p.data.priceDecimals, p.data.priceUnit) : '');

const columns: ColDef<FillView>[] = [
  { field: 'tsMs', headerName: 'Time', width: 105, sort: 'desc', valueFormatter: (p: Format) => formatClock(p.value as number) },
  { field: 'instrumentName', headerName: 'Instrument', width: 185, cellClass: 'blotter-instrument' },
  { field: 'side', headerName: 'Side', width: 60, cellClass: (p) => (p.value === 'buy' ? 'side-buy' : 'side-sell') },
  { field: 'amount', headerName: 'Amount', width: 85, type: 'numericColumn', valueFormatter: (p: Format) => (p.data ? formatAmountIn(p.value as number, p.data.amountUnit) : ''), cellClass: 'num' },
  { colId: 'unit', headerName: '', width: 48, valueGetter: (p) => p.data?.amountUnit, cellClass: 'muted', sortable: false },
  { field: 'price', headerName: 'Price', width: 95, type: 'numericColumn', valueFormatter: price, cellClass: 'num' },
  { field: 'theoPrice', headerName: 'Theo', width: 95, type: 'numericColumn', valueFormatter: price, cellClass: 'num muted', headerTooltip: "The strategy's theoretical value at the fill" },
  {
    field: 'edgePerUnit',
    headerName: 'Edge',
    width: 85,
    type: 'numericColumn',
    valueFormatter: (p: Format) => (p.data ? formatSigned(p.value as number | undefined, p.data.priceDecimals) : ''),
    cellClass: (p) => signClass(p.value),
    headerTooltip: '(theo − price) for a buy, (price − theo) for a sell, per unit: positive is edge captured',
  },
  { field: 'edgeCoin', headerName: 'Edge coin', width: 90, type: 'numericColumn', valueFormatter: (p: Format) => formatSigned(p.value as number | undefined, 5), cellClass: (p) => signClass(p.value), headerTooltip: 'Edge of the whole fill, coin (options)' },
  { field: 'feeCoin', headerName: 'Fee', width: 85, type: 'numericColumn', valueFormatter: (p: Format) => formatSigned(p.value as number, 6), cellClass: 'num', headerTooltip: 'Fee paid, coin (negative: rebate)' },
  { field: 'liquidity', headerName: 'Liq', width: 65 },
  { field: 'origin', headerName: 'Origin', width: 80, cellClass: (p) => `fill-origin-${String(p.value)}` },
  { field: 'venueId', headerName: 'Venue', width: 75, cellClass: 'muted' },
  { field: 'clientOrderId', headerName: 'Order', flex: 1, minWidth: 120, cellClass: 'muted' },
];

const rowClassRules = {
  'blotter-selected': (p: RowClassParams<FillView>) => p.data !== undefined && p.data.instrumentName === useSelectionStore.getState().instrumentName,
};

function selectClicked(event: RowClickedEvent<FillView>): void {
  const row = event.data;
  if (!row) return;
  const selection = useSelectionStore.getState();
  const target = selectionTarget(row.instrumentName, useEngineStore.getState().state?.instruments[row.instrumentName], selection, row.currency);
  if (target) selection.selectInstrument(target.instrumentName, target.underlying, target.expiryMs);
}

const gridOptions: GridOptions<FillView> = {
  theme: gridTheme,
  columnDefs: columns,
  defaultColDef: { sortable: true, resizable: true, suppressHeaderMenuButton: true },
  getRowId: (params: GetRowIdParams<FillView>) => params.data.id,
  rowClassRules,
  onRowClicked: selectClicked,
  suppressCellFocus: true,
  animateRows: false,
  asyncTransactionWaitMillis: 16,
  rowBuffer: 4,
  headerHeight: 24,
  tooltipShowDelay: 350,
  overlayNoRowsTemplate: '<span class="muted">No fills</span>',
};

/** Every execution of our orders, newest first, with who sent the order and the edge against theo. */
export function FillsPanel() {
  const host = useRef<HTMLDivElement>(null);
  const grid = useBlotterGrid(host, gridOptions);
  const [filter, setFilter] = useState('');
  const [totals, setTotals] = useState<readonly FillTotals[]>([]);

  useEffect(() => {
    const api = grid.current;
    if (!api) return undefined;
    const stop = startGridFeed(api, {
      inputs: (view) => [view.state?.fills, view.state?.instruments],
      build: (view) => fillViews(view.state?.fills, view.state?.instruments),
      onRows: (rows) => {
        const next = fillTotals(rows.values());
        setTotals((previous) => (sameFillTotals(previous, next) ? previous : next));
      },
    });
    const unfollow = followSelection(api);
    return () => {
      stop();
      unfollow();
    };
  }, [grid]);

  useEffect(() => {
    grid.current?.setGridOption('quickFilterText', filter);
  }, [grid, filter]);

  return (
    <div className="panel-column blotter-panel" data-testid="fills-panel">
      <div className="blotter-toolbar">
        {totals.length === 0 ? <span className="muted">No fills</span> : null}
        {totals.map((total) => (
          <span key={total.currency} className="blotter-total" data-testid={`fills-total-${total.currency}`}>
            <strong>{total.currency}</strong>
            <span className="muted">
              {total.count} fill{total.count === 1 ? '' : 's'}
            </span>
            <span title="Edge captured against theo over the fills that had one, coin">
              edge <span className={signClass(total.edgeCoin)}>{formatSigned(total.edgeCoin, 5)}</span>
            </span>
            <span title="Fees paid, coin">fees {formatSigned(total.feeCoin, 5)}</span>
          </span>
        ))}
        <span className="status-spacer" />
        <input className="field-input blotter-search" placeholder="Filter fills…" value={filter} onChange={(event) => setFilter(event.target.value)} data-testid="fills-search" />
      </div>
      <div ref={host} className="grid-host blotter-grid" data-testid="fills-grid" />
    </div>
  );
}
