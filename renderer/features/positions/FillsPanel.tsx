import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatClock } from '../../ui/format.ts';
import { formatAmountIn, formatSigned, signClass } from './blotter-format.ts';
import { blotterGridOptions, blotterPrice as price, useBlotter } from './blotter-grid.ts';
import type { FillTotals, FillView } from './fill-rows.ts';
import { fillTotals, fillViews, sameFillTotals } from './fill-rows.ts';
import type { GridFeedOptions } from './grid-feed.ts';
import './positions.css';

type Format = ValueFormatterParams<FillView>;

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

const gridOptions = blotterGridOptions<FillView>({ columns, emptyText: 'No fills' });

/** Every execution of our orders, newest first, with who sent the order and the edge against theo. */
export function FillsPanel() {
  const host = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState('');
  const [totals, setTotals] = useState<readonly FillTotals[]>([]);
  const feed = useMemo<GridFeedOptions<FillView>>(
    () => ({
      inputs: (view) => [view.state?.fills, view.state?.instruments],
      build: (view) => fillViews(view.state?.fills, view.state?.instruments),
      onRows: (rows) => {
        const next = fillTotals(rows.values());
        setTotals((previous) => (sameFillTotals(previous, next) ? previous : next));
      },
    }),
    [],
  );
  const grid = useBlotter(host, gridOptions, feed);

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
