import type { ColDef, GetRowIdParams, ICellRendererParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useMemo, useState } from 'react';
import type { OrderRow } from '../../../core/protocol/index.ts';
import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { commandOutcome } from '../../stores/engine-view.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { gridTheme } from '../../ui/ag-grid.ts';
import { formatClock } from '../../ui/format.ts';
import { amountUnit, checkTicket, priceUnit } from './order-ticket.ts';
import type { OriginFilter } from './orders-view.ts';
import { filterOrders, isLive, liveCounts, ORIGIN_FILTERS } from './orders-view.ts';

function CancelCell(params: ICellRendererParams<OrderRow>) {
  const order = params.data;
  if (!order || !isLive(order) || order.state === 'pending-cancel') return null;
  return (
    <button type="button" className="button button-small" onClick={() => sendCommand({ type: 'CancelOrder', clientOrderId: order.clientOrderId })}>
      Cancel
    </button>
  );
}

const columns: ColDef<OrderRow>[] = [
  { field: 'updatedTsMs', headerName: 'Updated', width: 105, valueFormatter: (p) => formatClock(p.value as number), sort: 'desc' },
  { field: 'instrumentName', headerName: 'Instrument', width: 190 },
  { field: 'side', headerName: 'Side', width: 65, cellClass: (p) => (p.value === 'buy' ? 'side-buy' : 'side-sell') },
  { field: 'price', headerName: 'Price', width: 95, type: 'numericColumn' },
  { field: 'amount', headerName: 'Amount', width: 90, type: 'numericColumn' },
  { field: 'filledAmount', headerName: 'Filled', width: 80, type: 'numericColumn' },
  { field: 'averagePrice', headerName: 'Avg', width: 95, type: 'numericColumn', valueFormatter: (p) => ((p.value as number) > 0 ? String(p.value) : '') },
  { field: 'state', headerName: 'State', width: 120, cellClass: (p) => `order-${String(p.value)}` },
  { field: 'origin', headerName: 'Origin', width: 80 },
  { field: 'reason', headerName: 'Reason', flex: 1, minWidth: 140 },
  { headerName: '', width: 90, cellRenderer: CancelCell, sortable: false },
];

const getRowId = (params: GetRowIdParams<OrderRow>): string => params.data.clientOrderId;

/** The trader's order ticket and the blotter of every order the engine knows. */
export function OrdersPanel() {
  const orders = useEngineStore((view) => view.state?.orders);
  const instrumentName = useSelectionStore((selection) => selection.instrumentName);
  const instrument = useEngineStore((view) => (instrumentName ? view.state?.instruments[instrumentName] : undefined));
  const quote = useEngineStore((view) => (instrumentName ? view.state?.quotes[instrumentName] : undefined));
  const linkOpen = useEngineStore((view) => view.link.state === 'open');
  const [side, setSide] = useState<'buy' | 'sell'>('buy');
  const [priceText, setPriceText] = useState('');
  const [amountText, setAmountText] = useState('');
  const [postOnly, setPostOnly] = useState(true);
  const [lastCommandId, setLastCommandId] = useState<string | undefined>(undefined);
  // Selected as primitives: a selector returning a fresh object would re-render without end.
  const outcomeState = useEngineStore((view) => commandOutcome(view, lastCommandId).state);
  const outcomeText = useEngineStore((view) => commandOutcome(view, lastCommandId).text);
  const [origin, setOrigin] = useState<OriginFilter>('all');
  const [liveOnly, setLiveOnly] = useState(false);
  const all = useMemo(() => (orders ? Object.values(orders) : []), [orders]);
  const rows = useMemo(() => filterOrders(all, origin, liveOnly), [all, origin, liveOnly]);
  const counts = useMemo(() => liveCounts(all), [all]);
  const liveCount = counts.all;
  const check = checkTicket(instrument, { priceText, amountText });

  const submit = (): void => {
    if (!check.ok || !instrumentName) return;
    setLastCommandId(sendCommand({ type: 'PlaceOrder', instrumentName, side, price: check.price, amount: check.amount, postOnly, reduceOnly: false }));
  };

  return (
    <div className="panel-column">
      <form
        className="ticket"
        data-testid="order-ticket"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <span className="ticket-instrument" data-testid="ticket-instrument">
          {instrumentName ?? 'No instrument selected'}
        </span>
        {quote && !quote.stale ? (
          <span className="muted">
            {quote.bidPrice ?? '—'} / {quote.askPrice ?? '—'}
          </span>
        ) : null}
        <div className="segmented" role="group" aria-label="Side">
          <button type="button" className={side === 'buy' ? 'active side-buy' : ''} onClick={() => setSide('buy')}>
            Buy
          </button>
          <button type="button" className={side === 'sell' ? 'active side-sell' : ''} onClick={() => setSide('sell')}>
            Sell
          </button>
        </div>
        <label>
          Price <input value={priceText} onChange={(e) => setPriceText(e.target.value)} inputMode="decimal" size={9} data-testid="ticket-price" /> {priceUnit(instrument)}
        </label>
        <label>
          Amount <input value={amountText} onChange={(e) => setAmountText(e.target.value)} inputMode="decimal" size={7} data-testid="ticket-amount" /> {amountUnit(instrument)}
        </label>
        <label>
          <input type="checkbox" checked={postOnly} onChange={(e) => setPostOnly(e.target.checked)} /> Post-only
        </label>
        <button type="submit" className="button" disabled={!linkOpen || !check.ok} data-testid="ticket-submit" title={check.ok ? '' : check.reason}>
          {side === 'buy' ? 'Buy' : 'Sell'}
        </button>
        <span className={`ticket-outcome outcome-${outcomeState}`} data-testid="ticket-outcome">
          {!check.ok && (priceText || amountText) ? check.reason : outcomeState === 'pending' ? 'sending…' : (outcomeText ?? '')}
        </span>
        <span className="status-spacer" />
        {instrumentName ? (
          <button type="button" className="button" disabled={!linkOpen} onClick={() => sendCommand({ type: 'CancelAllOrders', instrumentName })} title={`Cancel every order of ours on ${instrumentName}, strategy and manual`} data-testid="cancel-all-instrument">
            Cancel all on {instrumentName}
          </button>
        ) : null}
        <button type="button" className="button button-danger" disabled={!linkOpen} onClick={() => sendCommand({ type: 'CancelAllOrders' })} data-testid="cancel-all">
          Cancel all ({liveCount})
        </button>
      </form>
      <div className="blotter-filter">
        <div className="segmented" role="radiogroup" aria-label="Origin" data-testid="orders-origin">
          {ORIGIN_FILTERS.map((filter) => (
            <button key={filter.id} type="button" role="radio" aria-checked={origin === filter.id} className={origin === filter.id ? 'active' : ''} onClick={() => setOrigin(filter.id)} data-testid={`orders-origin-${filter.id}`}>
              {filter.label} <span className="muted">{counts[filter.id]}</span>
            </button>
          ))}
        </div>
        <label title="Hide filled, cancelled and rejected orders">
          <input type="checkbox" checked={liveOnly} onChange={(event) => setLiveOnly(event.target.checked)} data-testid="orders-live-only" /> Live only
        </label>
        <span className="muted">
          {rows.length} of {all.length} orders · counts are live orders
        </span>
      </div>
      <div className="grid-host" data-testid="orders-blotter">
        {/* No row animation: with the strategy amending hundreds of orders, rows would be forever in flight. */}
        <AgGridReact<OrderRow> theme={gridTheme} rowData={rows} columnDefs={columns} getRowId={getRowId} animateRows={false} suppressCellFocus />
      </div>
    </div>
  );
}
