import type { GridApi } from 'ag-grid-community';
import type { PositionRow, QuoteRow, TheoRow } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import type { EngineView } from '../../stores/engine-view.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import type { ExpiryChain } from '../market/chain-index.ts';
import { buildChainIndex, findExpiry, indexFor } from '../market/chain-index.ts';
import type { ChainRow, ChainSources } from './chain-rows.ts';
import { deriveChainRows, rowId, rowsById } from './chain-rows.ts';

export interface ChainSummary {
  readonly forward: number | undefined;
  readonly atmStrike: number | undefined;
  readonly indexPrice: number | undefined;
}

/** How often market data reaches the grid: 5 Hz, faster than a trader reads a 30-row chain. */
export const CHAIN_REFRESH_MS = 200;

/** Most on-screen rows one frame redraws; the rest follow in the next frames. */
export const SHOWN_ROWS_PER_FRAME = 8;

function sameStrikes(a: ExpiryChain, b: ExpiryChain): boolean {
  return a.currency === b.currency && a.expiryMs === b.expiryMs && a.strikes.length === b.strikes.length && a.strikes.every((strike, i) => strike === b.strikes[i]);
}

/**
 * Feeds the chain grid from the stores without React: subscribes to the engine and selection
 * stores, derives the selected expiry's rows, and hands the grid only the rows that changed, by
 * row id, at most once per `refreshMs`, in animation frames that each redraw a bounded number of
 * rows on screen. The whole row set is replaced only when the expiry or its strikes change.
 * Returns the unsubscribe.
 */
export function startChainFeed(api: GridApi<ChainRow>, onSummary: (summary: ChainSummary) => void, refreshMs = CHAIN_REFRESH_MS): () => void {
  let chain: ExpiryChain | undefined;
  let rows = new Map<string, ChainRow>();
  let lastQuotes: Readonly<Record<string, QuoteRow>> | undefined;
  let lastTheos: Readonly<Record<string, TheoRow>> | undefined;
  let lastPositions: Readonly<Record<string, PositionRow>> | undefined;
  let lastSelected: string | undefined;
  let lastIndex: number | undefined;
  let lastSummary: ChainSummary = { forward: undefined, atmStrike: undefined, indexPrice: undefined };

  const publish = (summary: ChainSummary): void => {
    if (summary.forward === lastSummary.forward && summary.atmStrike === lastSummary.atmStrike && summary.indexPrice === lastSummary.indexPrice) return;
    lastSummary = summary;
    onSummary(summary);
  };

  // Updates not yet given to the grid, by row id (a later update of a row replaces the earlier).
  const pending = new Map<string, ChainRow>();
  let drainFrame: number | undefined;
  /**
   * Gives the grid the pending updates, at most SHOWN_ROWS_PER_FRAME of the rows on screen per
   * frame: a refresh that moves every visible row would otherwise restyle, lay out and paint
   * hundreds of cells in one frame. Rows off screen cost the grid no DOM and go at once.
   */
  const drain = (): void => {
    drainFrame = undefined;
    if (api.isDestroyed()) return;
    const shown = new Set(api.getRenderedNodes().map((node) => node.id));
    const batch: ChainRow[] = [];
    let shownInBatch = 0;
    for (const [id, row] of pending) {
      if (shown.has(id)) {
        if (shownInBatch === SHOWN_ROWS_PER_FRAME) continue;
        shownInBatch++;
      }
      batch.push(row);
      pending.delete(id);
    }
    if (batch.length > 0) api.applyTransaction({ update: batch });
    if (pending.size > 0) drainFrame = requestAnimationFrame(drain);
  };
  const enqueue = (changed: readonly ChainRow[]): void => {
    for (const row of changed) pending.set(row.id, row);
    drainFrame ??= requestAnimationFrame(drain);
  };

  let centreFrame: number | undefined;
  /** Scrolls the ATM row to the middle once the grid has laid out its viewport. */
  const centreRow = (id: string, attempts = 20): void => {
    if (centreFrame !== undefined) cancelAnimationFrame(centreFrame);
    centreFrame = requestAnimationFrame(() => {
      centreFrame = undefined;
      if (api.isDestroyed()) return;
      const range = api.getVerticalPixelRange();
      const node = api.getRowNode(id);
      if (node && range.bottom > range.top) api.ensureNodeVisible(node, 'middle');
      else if (attempts > 0) centreRow(id, attempts - 1);
    });
  };

  const sync = (): void => {
    if (api.isDestroyed()) return;
    const view = useEngineStore.getState();
    const selection = useSelectionStore.getState();
    const quotes = view.state?.quotes ?? {};
    const theos = view.state?.theos;
    const positions = view.state?.positions;
    const sources: ChainSources = { quotes, theos, positions };
    const next = findExpiry(buildChainIndex(view.state?.instruments), selection.underlying, selection.expiryMs);
    const indexPrice = indexFor(view.state?.indices, next?.currency)?.price;

    if (next !== chain) {
      const keepRows = chain !== undefined && next !== undefined && sameStrikes(chain, next);
      chain = next;
      if (!keepRows) {
        const derived = next ? deriveChainRows(next, sources, selection.instrumentName) : undefined;
        rows = rowsById(derived?.rows ?? []);
        lastQuotes = quotes;
        lastTheos = theos;
        lastPositions = positions;
        lastSelected = selection.instrumentName;
        lastIndex = indexPrice;
        // Pending updates name rows of the chain being replaced.
        pending.clear();
        api.setGridOption('rowData', derived ? [...derived.rows] : []);
        const atm = derived?.atmStrike;
        if (atm !== undefined) centreRow(rowId(atm));
        publish({ forward: derived?.forward, atmStrike: atm, indexPrice });
        return;
      }
    }
    if (!chain) return;
    if (quotes === lastQuotes && theos === lastTheos && positions === lastPositions && selection.instrumentName === lastSelected && indexPrice === lastIndex) return;
    lastQuotes = quotes;
    lastTheos = theos;
    lastPositions = positions;
    lastSelected = selection.instrumentName;
    lastIndex = indexPrice;
    const derived = deriveChainRows(chain, sources, selection.instrumentName, rows);
    if (derived.changed.length > 0) {
      rows = rowsById(derived.rows);
      enqueue(derived.changed);
    }
    publish({ forward: derived.forward, atmStrike: derived.atmStrike, indexPrice });
  };

  // Market data, theos and positions are coalesced to one grid update per refresh period
  // (trailing edge, so the last tick is always shown); the trader's own clicks and the listing
  // apply at once.
  let lastSyncMs = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const syncNow = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastSyncMs = performance.now();
    sync();
  };
  const onEngine = (view: EngineView, previous: EngineView): void => {
    if (view.state?.instruments !== previous.state?.instruments) return syncNow();
    if (timer !== undefined) return;
    const state = view.state;
    if (state?.quotes === lastQuotes && state?.theos === lastTheos && state?.positions === lastPositions && state?.indices === previous.state?.indices) return;
    timer = setTimeout(syncNow, Math.max(0, lastSyncMs + refreshMs - performance.now()));
  };

  syncNow();
  const unsubscribeEngine = useEngineStore.subscribe(onEngine);
  const unsubscribeSelection = useSelectionStore.subscribe(syncNow);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    if (centreFrame !== undefined) cancelAnimationFrame(centreFrame);
    if (drainFrame !== undefined) cancelAnimationFrame(drainFrame);
    unsubscribeEngine();
    unsubscribeSelection();
  };
}
