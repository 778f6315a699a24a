import type { CellClickedEvent, GetRowIdParams, GridApi, RowClassParams } from 'ag-grid-community';
import { createGrid } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { gridTheme } from '../../ui/ag-grid.ts';
import { formatPrice } from '../../ui/format.ts';
import { buildChainIndex, expiryLabel, findExpiry } from '../market/chain-index.ts';
import { feedStaleReason } from '../market/feed-health.ts';
import { useEngineClock, useValidChainSelection } from '../market/use-chain-selection.ts';
import type { ChainView } from './chain-columns.ts';
import { CHAIN_VIEW_IDS, CHAIN_VIEWS, chainColumns, sideOf } from './chain-columns.ts';
import type { ChainSummary } from './chain-feed.ts';
import { startChainFeed } from './chain-feed.ts';
import { ChainTooltip } from './chain-tooltip.ts';
import type { ChainRow, ChainSide } from './chain-rows.ts';
import { loadChainView, saveChainView } from './chain-view-storage.ts';
import './chain.css';

const getRowId = (params: GetRowIdParams<ChainRow>): string => params.data.id;
const rowClassRules = { 'chain-atm': (params: RowClassParams<ChainRow>) => params.data?.atm === true };
/**
 * A changed cell blinks, without a fade: a fading cell repaints every frame until it is done. Even
 * a 0 ms fade is a CSS transition per cell (see chain.css, which turns them off).
 */
const CELL_FLASH_MS = 300;
const CELL_FADE_MS = 0;
const defaultColDef = { sortable: false, resizable: true, suppressMovable: true, suppressHeaderMenuButton: true };

/** The side a click on the strike selects: the out-of-the-money option, as a trader would quote it. */
function otmSide(row: ChainRow): ChainSide | undefined {
  return row.call?.itm ? (row.put ?? row.call) : (row.call ?? row.put);
}

interface LiveFields {
  forward: HTMLElement | null;
  index: HTMLElement | null;
  basis: HTMLElement | null;
  atm: HTMLElement | null;
}

function writeSummary(fields: LiveFields, summary: ChainSummary): void {
  const { forward, indexPrice, atmStrike } = summary;
  if (fields.forward) fields.forward.textContent = formatPrice(forward, 2);
  if (fields.index) fields.index.textContent = formatPrice(indexPrice, 2);
  if (fields.atm) fields.atm.textContent = formatPrice(atmStrike);
  if (fields.basis) {
    if (forward === undefined || indexPrice === undefined) fields.basis.textContent = '—';
    else {
      const basis = forward - indexPrice;
      fields.basis.textContent = `${basis >= 0 ? '+' : '−'}${formatPrice(Math.abs(basis), 2)} (${((basis / indexPrice) * 100).toFixed(2)} %)`;
    }
  }
}

/**
 * The option chain of one underlying and expiry: calls | strike | puts. The toolbar re-renders
 * when the listing, the selection or the feed's health changes; prices reach the grid and the
 * toolbar's live figures without React (see chain-feed.ts).
 */
export function ChainPanel() {
  useValidChainSelection();
  const nowMs = useEngineClock(30_000);
  const instruments = useEngineStore((view) => view.state?.instruments);
  const index = useMemo(() => buildChainIndex(instruments), [instruments]);
  const underlying = useSelectionStore((selection) => selection.underlying);
  const expiryMs = useSelectionStore((selection) => selection.expiryMs);
  const selectedName = useSelectionStore((selection) => selection.instrumentName);
  const selectChain = useSelectionStore((selection) => selection.selectChain);
  const chain = findExpiry(index, underlying, expiryMs);
  const expiries = (underlying === undefined ? undefined : index.expiries.get(underlying)) ?? [];
  const staleReason = useEngineStore((view) => feedStaleReason(view.link, view.state, chain?.venueId));

  const [view, setView] = useState<ChainView>(() => loadChainView(window.localStorage));
  const chooseView = (next: ChainView): void => {
    setView(next);
    saveChainView(window.localStorage, next);
  };

  const fields = useRef<LiveFields>({ forward: null, index: null, basis: null, atm: null });
  const onSummary = useCallback((summary: ChainSummary) => writeSummary(fields.current, summary), []);

  return (
    <div className={`panel-column chain-panel${staleReason !== '' ? ' chain-panel-stale' : ''}`} data-testid="chain-panel">
      <div className="chain-toolbar">
        <label className="chain-field">
          <span className="muted">Underlying</span>
          <select
            className="chain-select"
            value={underlying ?? ''}
            onChange={(event) => {
              const first = index.expiries.get(event.target.value)?.find((candidate) => candidate.expiryMs > nowMs);
              if (first) selectChain(first.currency, first.expiryMs);
            }}
            data-testid="chain-underlying"
          >
            {index.currencies.map((currency) => (
              <option key={currency} value={currency}>
                {currency}
              </option>
            ))}
          </select>
        </label>
        <span className="chain-field" title="Forward: the venue's underlying price for this expiry (its future, or the synthetic one)">
          <span className="muted">Forward</span>
          <span className="chain-figure" data-testid="chain-forward" ref={(element) => void (fields.current.forward = element)}>
            —
          </span>
        </span>
        <span className="chain-field" title={`Spot index (${underlying?.toLowerCase() ?? ''}_usd)`}>
          <span className="muted">Index</span>
          <span className="chain-figure" data-testid="chain-index" ref={(element) => void (fields.current.index = element)}>
            —
          </span>
        </span>
        <span className="chain-field" title="Forward minus index, USD (and % of index)">
          <span className="muted">Basis</span>
          <span className="chain-figure" ref={(element) => void (fields.current.basis = element)}>
            —
          </span>
        </span>
        <span className="chain-field" title="The listed strike nearest the forward (highlighted row)">
          <span className="muted">ATM</span>
          <span className="chain-figure" data-testid="chain-atm" ref={(element) => void (fields.current.atm = element)}>
            —
          </span>
        </span>
        <span className="status-spacer" />
        <span className="chain-field" title="The selected instrument, shared with every panel">
          <span className="muted">Selected</span>
          <span className={selectedName ? 'chain-selection' : 'chain-selection muted'} data-testid="chain-selection">
            {selectedName ?? 'none: click a price'}
          </span>
        </span>
      </div>
      {staleReason !== '' ? (
        <div className="stale-strip" role="status" data-testid="chain-stale">
          STALE · {staleReason}. Prices shown are the last known.
        </div>
      ) : null}
      <div className="chain-expiry-bar">
        <div className="chain-expiries" role="tablist" aria-label="Expiry" data-testid="chain-expiries">
          {expiries.map((candidate) => (
            <button
              key={candidate.expiryMs}
              type="button"
              role="tab"
              aria-selected={candidate.expiryMs === expiryMs}
              className={`chain-expiry${candidate.expiryMs === expiryMs ? ' chain-expiry-active' : ''}${candidate.expiryMs <= nowMs ? ' muted' : ''}`}
              onClick={() => selectChain(candidate.currency, candidate.expiryMs)}
              data-expiry-ms={candidate.expiryMs}
              title={`${candidate.strikes.length} strikes`}
            >
              {expiryLabel(candidate.expiryMs, nowMs)}
            </button>
          ))}
        </div>
        <div className="segmented chain-view" role="radiogroup" aria-label="Columns" data-testid="chain-view">
          {CHAIN_VIEW_IDS.map((id) => (
            <button key={id} type="button" role="radio" aria-checked={view === id} className={view === id ? 'active' : ''} title={CHAIN_VIEWS[id].title} onClick={() => chooseView(id)} data-testid={`chain-view-${id}`}>
              {CHAIN_VIEWS[id].label}
            </button>
          ))}
        </div>
      </div>
      {chain ? (
        <ChainGrid currency={chain.currency} view={view} stale={staleReason !== ''} onSummary={onSummary} />
      ) : (
        <div className="panel-empty" data-testid="chain-empty">
          <h3>No options listed</h3>
          <p>{staleReason !== '' ? `Waiting: ${staleReason}.` : 'The connected venues list no options yet.'}</p>
        </div>
      )}
    </div>
  );
}

interface ChainGridProps {
  readonly currency: string;
  readonly view: ChainView;
  readonly stale: boolean;
  readonly onSummary: (summary: ChainSummary) => void;
}

/**
 * The grid itself is AG Grid's plain-DOM grid, not its React wrapper: cells are written by the
 * grid straight into the DOM, so a tick costs no React reconciliation at all.
 */
function ChainGrid({ currency, view, stale, onSummary }: ChainGridProps) {
  const host = useRef<HTMLDivElement>(null);
  const [api, setApi] = useState<GridApi<ChainRow> | undefined>(undefined);

  useEffect(() => {
    if (!host.current) return undefined;
    const created = createGrid<ChainRow>(host.current, {
      theme: gridTheme,
      defaultColDef,
      getRowId,
      rowClassRules,
      onCellClicked: selectClicked,
      suppressCellFocus: true,
      suppressColumnVirtualisation: true,
      // Rows beyond the viewport are not kept rendered: every rendered row is redrawn at each refresh.
      rowBuffer: 4,
      // Reserve the scrollbar's width up front so flexed columns fit without a horizontal scroll,
      // also where scrollbars overlay the content (macOS, headless Chromium) and would hide the
      // puts' last column.
      alwaysShowVerticalScroll: true,
      scrollbarWidth: 12,
      animateRows: false,
      cellFlashDuration: CELL_FLASH_MS,
      cellFadeDuration: CELL_FADE_MS,
      tooltipShowDelay: 350,
      headerHeight: 24,
      groupHeaderHeight: 24,
    });
    setApi(created);
    return () => {
      setApi(undefined);
      created.destroy();
    };
  }, []);

  const currencyRef = useRef(currency);
  useEffect(() => {
    currencyRef.current = currency;
    api?.setGridOption('columnDefs', chainColumns(currency, view));
  }, [api, currency, view]);
  useEffect(() => {
    if (!api) return undefined;
    const tooltip = new ChainTooltip(api, () => currencyRef.current);
    return () => tooltip.dispose();
  }, [api]);
  useEffect(() => (api ? startChainFeed(api, onSummary) : undefined), [api, onSummary]);

  return <div ref={host} className={`grid-host chain-grid${stale ? ' chain-grid-stale' : ''}`} data-testid="chain-grid" />;
}

/** A click on a side's cell selects that option; on the strike, the out-of-the-money one. */
function selectClicked(event: CellClickedEvent<ChainRow>): void {
  const row = event.data;
  const { underlying, expiryMs, selectInstrument } = useSelectionStore.getState();
  if (!row || underlying === undefined || expiryMs === undefined) return;
  const side = sideOf(event.column.getColId());
  const chosen = side ? row[side] : otmSide(row);
  if (chosen) selectInstrument(chosen.instrumentName, underlying, expiryMs);
}
