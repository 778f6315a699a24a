import type { ColDef, GridApi, GridOptions, RowClassParams, RowClassRules, RowClickedEvent, ValueFormatterParams } from 'ag-grid-community';
import { createGrid } from 'ag-grid-community';
import type { RefObject } from 'react';
import { useEffect, useRef } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { gridTheme } from '../../ui/ag-grid.ts';
import { formatPriceIn } from './blotter-format.ts';
import { selectionTarget } from './blotter-selection.ts';
import type { GridFeedOptions } from './grid-feed.ts';
import { followSelection, startGridFeed } from './grid-feed.ts';

/**
 * What the position and fill blotters share: a row per instrument event with its id, a grid that
 * highlights the selected instrument and selects a clicked row's instrument everywhere, and a feed
 * from the engine store (grid-feed.ts) rather than React.
 */

export interface BlotterRow {
  readonly id: string;
  readonly instrumentName: string;
  readonly currency: string;
  readonly priceDecimals: number;
  readonly priceUnit: string;
}

/** A price in the row's instrument's unit and precision. */
export function blotterPrice<R extends BlotterRow>(params: ValueFormatterParams<R>): string {
  return params.data ? formatPriceIn(params.value as number | undefined, params.data.priceDecimals, params.data.priceUnit) : '';
}

/** A click on a row selects its instrument in every panel. */
function selectClicked<R extends BlotterRow>(event: RowClickedEvent<R>): void {
  const row = event.data;
  if (!row) return;
  const selection = useSelectionStore.getState();
  const target = selectionTarget(row.instrumentName, useEngineStore.getState().state?.instruments[row.instrumentName], selection, row.currency);
  if (target) selection.selectInstrument(target.instrumentName, target.underlying, target.expiryMs);
}

function isSelected<R extends BlotterRow>(params: RowClassParams<R>): boolean {
  return params.data !== undefined && params.data.instrumentName === useSelectionStore.getState().instrumentName;
}

export interface BlotterSpec<R extends BlotterRow> {
  readonly columns: ColDef<R>[];
  /** Shown while there are no rows. */
  readonly emptyText: string;
  /** Row classes besides the selected instrument's highlight. */
  readonly rowClassRules?: RowClassRules<R>;
}

export function blotterGridOptions<R extends BlotterRow>({ columns, emptyText, rowClassRules }: BlotterSpec<R>): GridOptions<R> {
  return {
    theme: gridTheme,
    columnDefs: columns,
    defaultColDef: { sortable: true, resizable: true, suppressHeaderMenuButton: true },
    getRowId: (params) => params.data.id,
    rowClassRules: { 'blotter-selected': isSelected, ...rowClassRules },
    onRowClicked: selectClicked,
    suppressCellFocus: true,
    animateRows: false,
    asyncTransactionWaitMillis: 16,
    rowBuffer: 4,
    headerHeight: 24,
    tooltipShowDelay: 350,
    overlayNoRowsTemplate: `<span class="muted">${emptyText}</span>`,
  };
}

/**
 * A blotter in `host`: AG Grid's plain-DOM grid, created once with `options` (module constants:
 * it is not re-created when they change) and destroyed on unmount, fed by `feed` and following the
 * selection. A new `feed` restarts the feed (memoize it on what it depends on). Effects declared
 * after this hook in the same component find the grid in the returned ref.
 */
export function useBlotter<R extends BlotterRow>(host: RefObject<HTMLDivElement | null>, options: GridOptions<R>, feed: GridFeedOptions<R>): RefObject<GridApi<R> | undefined> {
  const grid = useRef<GridApi<R> | undefined>(undefined);
  useEffect(() => {
    if (!host.current) return undefined;
    const created = createGrid<R>(host.current, options);
    grid.current = created;
    return () => {
      grid.current = undefined;
      created.destroy();
    };
    // Created once: options are constants by contract.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const api = grid.current;
    if (!api) return undefined;
    const stop = startGridFeed(api, feed);
    const unfollow = followSelection(api);
    return () => {
      stop();
      unfollow();
    };
  }, [feed]);
  return grid;
}
