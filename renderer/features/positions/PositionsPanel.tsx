import type { ColDef, RowClassParams, ValueFormatterParams } from 'ag-grid-community';
import { useMemo, useRef, useState } from 'react';
import { formatClock } from '../../ui/format.ts';
import { formatAmountIn, formatSigned, formatSignedUsd, signClass } from './blotter-format.ts';
import { blotterGridOptions, blotterPrice as price, useBlotter } from './blotter-grid.ts';
import type { GridFeedOptions } from './grid-feed.ts';
import type { PositionTotals, PositionView } from './position-rows.ts';
import { positionTotals, positionViews, sameTotals } from './position-rows.ts';
import './positions.css';

type Format = ValueFormatterParams<PositionView>;

const coin = (p: Format): string => formatSigned(p.value as number | undefined, 4);
const usd = (p: Format): string => formatSignedUsd(p.value as number | undefined);

const columns: ColDef<PositionView>[] = [
  { field: 'instrumentName', headerName: 'Instrument', width: 185, pinned: 'left', sort: 'asc', cellClass: 'blotter-instrument' },
  {
    field: 'size',
    headerName: 'Size',
    width: 95,
    type: 'numericColumn',
    valueFormatter: (p: Format) => (p.data ? formatAmountIn(p.value as number, p.data.amountUnit) : ''),
    cellClass: (p) => (typeof p.value === 'number' && p.value < 0 ? 'num side-sell' : 'num side-buy'),
    headerTooltip: 'Options in coin, futures in USD; negative is short',
  },
  { colId: 'unit', headerName: '', width: 48, valueGetter: (p) => p.data?.amountUnit, cellClass: 'muted', sortable: false },
  { field: 'averagePrice', headerName: 'Avg', width: 95, type: 'numericColumn', valueFormatter: price, cellClass: 'num' },
  { field: 'markPrice', headerName: 'Mark', width: 95, type: 'numericColumn', valueFormatter: price, cellClass: 'num' },
  { field: 'unrealizedPnlCoin', headerName: 'uPnL coin', width: 95, type: 'numericColumn', valueFormatter: coin, cellClass: (p) => signClass(p.value), headerTooltip: 'Unrealized PnL in coin at the mark' },
  { field: 'unrealizedPnlUsd', headerName: 'uPnL $', width: 90, type: 'numericColumn', valueFormatter: usd, cellClass: (p) => signClass(p.value), headerTooltip: 'Unrealized PnL in USD at the current index' },
  { field: 'realizedPnlCoin', headerName: 'rPnL coin', width: 95, type: 'numericColumn', valueFormatter: coin, cellClass: (p) => signClass(p.value) },
  { field: 'realizedPnlUsd', headerName: 'rPnL $', width: 90, type: 'numericColumn', valueFormatter: usd, cellClass: (p) => signClass(p.value), headerTooltip: 'Realized PnL in USD at the current index' },
  { field: 'feesCoin', headerName: 'Fees', width: 85, type: 'numericColumn', valueFormatter: (p: Format) => formatSigned(p.value as number, 5), cellClass: 'num', headerTooltip: 'Fees paid, coin (negative: rebates)' },
  { field: 'deltaCoin', headerName: 'Δ coin', width: 80, type: 'numericColumn', valueFormatter: (p: Format) => formatSigned(p.value as number, 3), cellClass: (p) => signClass(p.value) },
  { field: 'vegaUsdPerVolPt', headerName: 'Vega $/pt', width: 90, type: 'numericColumn', valueFormatter: usd, cellClass: (p) => signClass(p.value) },
  {
    field: 'discrepancy',
    headerName: 'Check',
    width: 80,
    valueFormatter: (p: Format) => (p.value ? '⚠ mismatch' : 'ok'),
    cellClass: (p) => (p.value ? 'blotter-discrepancy' : 'muted'),
    tooltipValueGetter: (p) => (p.data?.discrepancy ? `Our record and the venue's disagree: ${p.data.discrepancy}` : 'Matches the venue at the last reconciliation'),
    headerTooltip: 'Reconciliation with the venue',
  },
  { field: 'updatedTsMs', headerName: 'Updated', width: 100, valueFormatter: (p: Format) => formatClock(p.value as number).slice(0, 8), cellClass: 'muted' },
];

const gridOptions = blotterGridOptions<PositionView>({
  columns,
  emptyText: 'No positions',
  rowClassRules: {
    'blotter-flat': (p: RowClassParams<PositionView>) => p.data?.flat === true,
    'blotter-row-discrepancy': (p: RowClassParams<PositionView>) => p.data?.discrepancy !== undefined,
  },
});

/**
 * Every position the engine holds, marked to the venue's mark: size, average and mark price, PnL
 * in coin and in USD at the index, Greeks, and whether it reconciles with the venue. A click
 * selects the instrument everywhere.
 */
export function PositionsPanel() {
  const host = useRef<HTMLDivElement>(null);
  const [hideFlat, setHideFlat] = useState(true);
  const [totals, setTotals] = useState<readonly PositionTotals[]>([]);
  const feed = useMemo<GridFeedOptions<PositionView>>(
    () => ({
      inputs: (view) => [view.state?.positions, view.state?.instruments, view.state?.indices],
      build: (view) => positionViews(view.state?.positions, view.state?.instruments, view.state?.indices, { hideFlat }),
      onRows: (rows) => {
        const next = positionTotals(rows.values());
        setTotals((previous) => (sameTotals(previous, next) ? previous : next));
      },
    }),
    [hideFlat],
  );
  useBlotter(host, gridOptions, feed);

  return (
    <div className="panel-column blotter-panel" data-testid="positions-panel">
      <div className="blotter-toolbar">
        {totals.length === 0 ? <span className="muted">No positions</span> : null}
        {totals.map((total) => (
          <span key={total.currency} className="blotter-total" data-testid={`positions-total-${total.currency}`}>
            <strong>{total.currency}</strong>
            <span className="muted">{total.count} open</span>
            <span title="Unrealized PnL">
              uPnL <span className={signClass(total.unrealizedPnlCoin)}>{formatSigned(total.unrealizedPnlCoin, 4)}</span>
              {total.unrealizedPnlUsd !== undefined ? <span className="muted"> ({formatSignedUsd(total.unrealizedPnlUsd)})</span> : null}
            </span>
            <span title="Realized PnL">
              rPnL <span className={signClass(total.realizedPnlCoin)}>{formatSigned(total.realizedPnlCoin, 4)}</span>
              {total.realizedPnlUsd !== undefined ? <span className="muted"> ({formatSignedUsd(total.realizedPnlUsd)})</span> : null}
            </span>
            <span title="Delta of these positions, coin">Δ {formatSigned(total.deltaCoin, 3)}</span>
            <span title="Vega, USD per vol point">vega {formatSignedUsd(total.vegaUsdPerVolPt)}/pt</span>
            {total.discrepancies > 0 ? (
              <span className="blotter-discrepancy" data-testid={`positions-discrepancies-${total.currency}`}>
                ⚠ {total.discrepancies} mismatch{total.discrepancies === 1 ? '' : 'es'}
              </span>
            ) : null}
          </span>
        ))}
        <span className="status-spacer" />
        <label className="muted">
          <input type="checkbox" checked={hideFlat} onChange={(event) => setHideFlat(event.target.checked)} data-testid="positions-hide-flat" /> Hide closed
        </label>
      </div>
      <div ref={host} className="grid-host blotter-grid" data-testid="positions-grid" />
    </div>
  );
}
