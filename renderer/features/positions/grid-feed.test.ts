import type { GridApi } from 'ag-grid-community';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineState } from '../../../core/protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import type { EngineView } from '../../stores/engine-view.ts';
import { initialEngineView } from '../../stores/engine-view.ts';
import { initialSelection, useSelectionStore } from '../../stores/selection-store.ts';
import { diffRows, followSelection, isEmptyDiff, startGridFeed } from './grid-feed.ts';

interface Row {
  readonly id: string;
  readonly value: number;
}

const state: EngineState = {
  ...EMPTY_STATE_TOPICS,
  engine: { runState: 'running', startedTsMs: 0, lastHeartbeatTsMs: 0, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version: 't' },
  venues: [],
};

function fakeGrid() {
  const api = { isDestroyed: vi.fn(() => false), setGridOption: vi.fn(), applyTransactionAsync: vi.fn(), redrawRows: vi.fn() };
  return { api, grid: api as unknown as GridApi<Row> };
}

/** Rows from the indices topic: one per index, value = price. */
const build = (view: EngineView): ReadonlyMap<string, Row> => new Map(Object.values(view.state?.indices ?? {}).map((index) => [index.indexName, { id: index.indexName, value: index.price }]));
const inputs = (view: EngineView): readonly unknown[] => [view.state?.indices];

function setIndex(name: string, price: number | undefined): void {
  useEngineStore.setState((view) => {
    const indices = { ...view.state!.indices };
    if (price === undefined) delete indices[name];
    else indices[name] = { indexName: name, currency: name.slice(0, 3).toUpperCase(), price, tsMs: 1 };
    return { ...view, state: { ...view.state!, indices } };
  });
}

describe('row diffs', () => {
  it('finds added, changed and removed rows by id', () => {
    const a = { id: 'a', value: 1 };
    const b = { id: 'b', value: 2 };
    const diff = diffRows(new Map([['a', a], ['b', b]]), new Map([['a', { id: 'a', value: 1 }], ['c', { id: 'c', value: 3 }]]));
    expect(diff).toEqual({ add: [{ id: 'c', value: 3 }], update: [], remove: [b] });
    expect(diffRows(new Map([['a', a]]), new Map([['a', { id: 'a', value: 5 }]])).update).toEqual([{ id: 'a', value: 5 }]);
    expect(isEmptyDiff(diffRows(new Map([['a', a]]), new Map([['a', a]])))).toBe(true);
  });
});

describe('grid feed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useEngineStore.setState({ ...initialEngineView, link: { state: 'open' }, state: { ...state, indices: { btc_usd: { indexName: 'btc_usd', currency: 'BTC', price: 1, tsMs: 1 } } } });
    useSelectionStore.setState(initialSelection);
  });
  afterEach(() => vi.useRealTimers());

  it('sets the rows once, then sends only what changed, coalesced per refresh period', () => {
    const { api, grid } = fakeGrid();
    const seen: number[] = [];
    const stop = startGridFeed(grid, { inputs, build, refreshMs: 250, onRows: (rows) => seen.push(rows.size) });
    expect(api.setGridOption).toHaveBeenCalledWith('rowData', [{ id: 'btc_usd', value: 1 }]);
    expect(seen).toEqual([1]);

    setIndex('btc_usd', 2);
    setIndex('eth_usd', 3);
    expect(api.applyTransactionAsync).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(api.applyTransactionAsync).toHaveBeenCalledTimes(1);
    expect(api.applyTransactionAsync).toHaveBeenCalledWith({ add: [{ id: 'eth_usd', value: 3 }], update: [{ id: 'btc_usd', value: 2 }], remove: [] });

    setIndex('eth_usd', undefined);
    vi.advanceTimersByTime(250);
    expect(api.applyTransactionAsync).toHaveBeenLastCalledWith({ add: [], update: [], remove: [{ id: 'eth_usd', value: 3 }] });
    expect(seen).toEqual([1, 2, 1]);
    stop();
  });

  it('ignores store changes that leave its inputs alone, and stops cleanly', () => {
    const { api, grid } = fakeGrid();
    const stop = startGridFeed(grid, { inputs, build, refreshMs: 250 });
    useEngineStore.setState({ lastReceivedTsMs: 99 });
    vi.advanceTimersByTime(1000);
    expect(api.applyTransactionAsync).not.toHaveBeenCalled();
    stop();
    setIndex('btc_usd', 5);
    vi.advanceTimersByTime(1000);
    expect(api.applyTransactionAsync).not.toHaveBeenCalled();
  });

  it('redraws rows when the selected instrument changes', () => {
    const { api, grid } = fakeGrid();
    const stop = followSelection(grid);
    useSelectionStore.getState().selectChain('BTC', 1);
    expect(api.redrawRows).not.toHaveBeenCalled();
    useSelectionStore.getState().selectInstrument('BTC-X', 'BTC', 1);
    expect(api.redrawRows).toHaveBeenCalledTimes(1);
    stop();
  });
});
