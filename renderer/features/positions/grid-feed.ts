import type { GridApi } from 'ag-grid-community';
import { useEngineStore } from '../../stores/engine-store.ts';
import type { EngineView } from '../../stores/engine-view.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { shallowEqual } from './position-rows.ts';

/**
 * Feeds a blotter grid from the engine store without React, as the chain does: the rows are
 * derived when the store slices they depend on change (by reference), at most once per
 * `refreshMs` (trailing, so the last change always shows), and the grid gets only what changed,
 * by row id, as an async transaction.
 */

export interface RowDiff<R> {
  readonly add: R[];
  readonly update: R[];
  readonly remove: R[];
}

/** Rows added, changed (a new object with different fields) and removed between two sets. */
export function diffRows<R extends object>(previous: ReadonlyMap<string, R>, next: ReadonlyMap<string, R>): RowDiff<R> {
  const diff: RowDiff<R> = { add: [], update: [], remove: [] };
  for (const [id, row] of next) {
    const before = previous.get(id);
    if (before === undefined) diff.add.push(row);
    else if (before !== row && !shallowEqual(before, row)) diff.update.push(row);
  }
  for (const [id, row] of previous) if (!next.has(id)) diff.remove.push(row);
  return diff;
}

export function isEmptyDiff(diff: RowDiff<unknown>): boolean {
  return diff.add.length === 0 && diff.update.length === 0 && diff.remove.length === 0;
}

export interface GridFeedOptions<R> {
  /** The store slices the rows derive from; nothing is rebuilt while they keep their identity. */
  readonly inputs: (view: EngineView) => readonly unknown[];
  readonly build: (view: EngineView) => ReadonlyMap<string, R>;
  readonly refreshMs?: number;
  /** Called after each change reached the grid, with every row. */
  readonly onRows?: (rows: ReadonlyMap<string, R>) => void;
}

/** Blotters refresh at 4 Hz: fast enough to follow marks, slow enough to read. */
export const BLOTTER_REFRESH_MS = 250;

function sameInputs(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return a !== undefined && a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Starts the feed; returns its stop. */
export function startGridFeed<R extends object>(api: GridApi<R>, options: GridFeedOptions<R>): () => void {
  const refreshMs = options.refreshMs ?? BLOTTER_REFRESH_MS;
  let rows: ReadonlyMap<string, R> | undefined;
  let lastInputs: readonly unknown[] | undefined;

  const sync = (): void => {
    if (api.isDestroyed()) return;
    const view = useEngineStore.getState();
    lastInputs = options.inputs(view);
    const next = options.build(view);
    if (rows === undefined) {
      api.setGridOption('rowData', [...next.values()]);
    } else {
      const diff = diffRows(rows, next);
      if (isEmptyDiff(diff)) {
        rows = next;
        return;
      }
      api.applyTransactionAsync(diff);
    }
    rows = next;
    options.onRows?.(next);
  };

  let lastSyncMs = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const syncNow = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastSyncMs = performance.now();
    sync();
  };
  const onEngine = (view: EngineView): void => {
    if (timer !== undefined || sameInputs(lastInputs, options.inputs(view))) return;
    timer = setTimeout(syncNow, Math.max(0, lastSyncMs + refreshMs - performance.now()));
  };

  syncNow();
  const unsubscribe = useEngineStore.subscribe(onEngine);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    unsubscribe();
  };
}

/** Redraws the grid's rendered rows when the selected instrument changes (for the highlight). */
export function followSelection<R>(api: GridApi<R>): () => void {
  return useSelectionStore.subscribe((selection, previous) => {
    if (selection.instrumentName !== previous.instrumentName && !api.isDestroyed()) api.redrawRows();
  });
}
