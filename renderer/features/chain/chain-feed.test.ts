import type { GridApi } from 'ag-grid-community';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineState, QuoteRow } from '../../../core/protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { initialEngineView } from '../../stores/engine-view.ts';
import { initialSelection, useSelectionStore } from '../../stores/selection-store.ts';
import { chainInstruments, EXPIRY_A, EXPIRY_B, instrumentsOf, quote } from '../market/test-fixtures.ts';
import type { ChainSummary } from './chain-feed.ts';
import { SHOWN_ROWS_PER_FRAME, startChainFeed } from './chain-feed.ts';
import type { ChainRow } from './chain-rows.ts';

const instruments = instrumentsOf([...chainInstruments('BTC', EXPIRY_A, [94_000, 95_000, 96_000]), ...chainInstruments('BTC', EXPIRY_B, [90_000, 100_000])]);
const quotes: Record<string, QuoteRow> = Object.fromEntries(Object.keys(instruments).map((name) => [name, quote(name, { underlyingPrice: 95_300, bidPrice: 0.01 })]));
const state: EngineState = {
  ...EMPTY_STATE_TOPICS,
  engine: { runState: 'running', startedTsMs: 0, lastHeartbeatTsMs: 0, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version: 't' },
  venues: [],
  instruments,
  quotes,
  indices: { btc_usd: { indexName: 'btc_usd', currency: 'BTC', price: 95_000, tsMs: 1 } },
};

/** A grid whose rendered rows (those on screen) are `shown`. */
function fakeGrid(shown: readonly string[] = []) {
  const api = {
    isDestroyed: () => false,
    setGridOption: vi.fn(),
    applyTransaction: vi.fn(),
    getRenderedNodes: () => shown.map((id) => ({ id })),
    getRowNode: vi.fn(() => undefined),
    getVerticalPixelRange: () => ({ top: 0, bottom: 0 }),
    ensureNodeVisible: vi.fn(),
  };
  return { api, grid: api as unknown as GridApi<ChainRow> };
}

const FRAME_MS = 16;
const updated = (call: unknown[] | undefined): string[] => (call![0] as { update: ChainRow[] }).update.map((row) => row.id);

/** A delta touching one quote, as the link's reducer applies it. */
function tick(name: string, fields: Partial<QuoteRow>): void {
  useEngineStore.setState((view) => {
    const current = view.state!;
    return { ...view, state: { ...current, quotes: { ...current.quotes, [name]: { ...current.quotes[name]!, ...fields } } } };
  });
}

describe('chain feed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => setTimeout(callback, FRAME_MS));
    vi.stubGlobal('cancelAnimationFrame', (id: ReturnType<typeof setTimeout>) => clearTimeout(id));
    useEngineStore.setState({ ...initialEngineView, link: { state: 'open' }, state });
    useSelectionStore.setState({ ...initialSelection, underlying: 'BTC', expiryMs: EXPIRY_A });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('sets the rows once, then sends only changed rows, coalesced per refresh period', () => {
    const { api, grid } = fakeGrid();
    const summaries: ChainSummary[] = [];
    const stop = startChainFeed(grid, (summary) => summaries.push(summary), 200);
    expect(api.setGridOption).toHaveBeenCalledTimes(1);
    expect((api.setGridOption.mock.calls[0]![1] as ChainRow[]).map((row) => row.id)).toEqual(['94000', '95000', '96000']);
    expect(summaries.at(-1)).toEqual({ forward: 95_300, atmStrike: 95_000, indexPrice: 95_000 });

    tick('BTC-27NOV26-96000-P', { bidPrice: 0.02 });
    tick('BTC-27NOV26-96000-C', { bidPrice: 0.02 });
    tick('BTC-27NOV26-94000-C', { bidPrice: 0.02 });
    expect(api.applyTransaction).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200 + FRAME_MS);
    expect(api.applyTransaction).toHaveBeenCalledTimes(1);
    expect(updated(api.applyTransaction.mock.calls[0])).toEqual(['94000', '96000']);

    // Another expiry's quotes do not reach this grid.
    tick('BTC-25DEC26-90000-C', { bidPrice: 0.5 });
    vi.advanceTimersByTime(200 + FRAME_MS);
    expect(api.applyTransaction).toHaveBeenCalledTimes(1);
    stop();
  });

  it('replaces the rows on another expiry and marks a selection at once', () => {
    const { api, grid } = fakeGrid();
    const stop = startChainFeed(grid, () => {}, 200);
    useSelectionStore.getState().selectInstrument('BTC-27NOV26-95000-P', 'BTC', EXPIRY_A);
    vi.advanceTimersByTime(FRAME_MS);
    expect(api.applyTransaction).toHaveBeenCalledTimes(1);
    const [row] = (api.applyTransaction.mock.calls[0]![0] as { update: ChainRow[] }).update;
    expect(row?.put?.selected).toBe(true);

    // An update still waiting for its frame names a row of the chain being replaced: it is dropped.
    useSelectionStore.getState().selectInstrument('BTC-27NOV26-94000-C', 'BTC', EXPIRY_A);
    useSelectionStore.getState().selectChain('BTC', EXPIRY_B);
    expect((api.setGridOption.mock.calls.at(-1)![1] as ChainRow[]).map((r) => r.id)).toEqual(['90000', '100000']);
    vi.advanceTimersByTime(FRAME_MS);
    expect(api.applyTransaction).toHaveBeenCalledTimes(1);
    stop();
    tick('BTC-25DEC26-90000-C', { bidPrice: 0.5 });
    vi.advanceTimersByTime(1000);
    expect(api.applyTransaction).toHaveBeenCalledTimes(1);
  });

  it('sends rows whose theo, our quotes or position changed, coalesced like the quotes', () => {
    const { api, grid } = fakeGrid();
    const stop = startChainFeed(grid, () => {}, 200);
    useEngineStore.setState((view) => ({
      ...view,
      state: {
        ...view.state!,
        theos: { 'BTC-27NOV26-95000-C': { instrumentName: 'BTC-27NOV26-95000-C', theoPrice: 0.011, theoIv: 0.5, bidPrice: 0.0105, askPrice: 0.0115 } },
        positions: {
          'BTC-27NOV26-94000-P': { instrumentName: 'BTC-27NOV26-94000-P', venueId: 'sim', currency: 'BTC', size: 0.3, averagePrice: 0.002, realizedPnlCoin: 0, unrealizedPnlCoin: 0, feesCoin: 0, deltaCoin: 0, vegaUsdPerVolPt: 0, updatedTsMs: 1 },
        },
      },
    }));
    expect(api.applyTransaction).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200 + FRAME_MS);
    expect(api.applyTransaction).toHaveBeenCalledTimes(1);
    const update = (api.applyTransaction.mock.calls[0]![0] as { update: ChainRow[] }).update;
    expect(update.map((row) => row.id)).toEqual(['94000', '95000']);
    expect(update[0]?.put?.position).toBe(0.3);
    expect(update[1]?.call?.theo?.bidPrice).toBe(0.0105);
    stop();
  });

  it('redraws a bounded number of rows on screen per frame, and rows off screen at once', () => {
    const strikes = Array.from({ length: SHOWN_ROWS_PER_FRAME * 2 + 10 }, (_, i) => 80_000 + i * 1000);
    const wide = instrumentsOf(chainInstruments('BTC', EXPIRY_A, strikes));
    useEngineStore.setState((view) => ({ ...view, state: { ...view.state!, instruments: wide, quotes: Object.fromEntries(Object.keys(wide).map((name) => [name, quote(name, { underlyingPrice: 95_300, bidPrice: 0.01 })])) } }));
    const shown = strikes.slice(0, SHOWN_ROWS_PER_FRAME * 2 + 1).map(String);
    const { api, grid } = fakeGrid(shown);
    const stop = startChainFeed(grid, () => {}, 200);
    useEngineStore.setState((view) => ({ ...view, state: { ...view.state!, quotes: Object.fromEntries(Object.entries(view.state!.quotes).map(([name, row]) => [name, { ...row, bidPrice: 0.02 }])) } }));
    vi.advanceTimersByTime(200 + FRAME_MS);
    const first = updated(api.applyTransaction.mock.calls[0]);
    expect(first.filter((id) => shown.includes(id))).toHaveLength(SHOWN_ROWS_PER_FRAME);
    expect(first.filter((id) => !shown.includes(id))).toHaveLength(strikes.length - shown.length);
    vi.advanceTimersByTime(FRAME_MS);
    expect(updated(api.applyTransaction.mock.calls[1])).toHaveLength(SHOWN_ROWS_PER_FRAME);
    vi.advanceTimersByTime(FRAME_MS);
    expect(updated(api.applyTransaction.mock.calls[2])).toEqual([shown.at(-1)]);
    vi.advanceTimersByTime(10 * FRAME_MS);
    expect(api.applyTransaction).toHaveBeenCalledTimes(3);
    // Every row reached the grid once, with its latest quote.
    const all = api.applyTransaction.mock.calls.flatMap((call) => (call[0] as { update: ChainRow[] }).update);
    expect(all.map((row) => row.id).sort()).toEqual(strikes.map(String).sort());
    expect(all.every((row) => row.call?.quote?.bidPrice === 0.02)).toBe(true);
    stop();
  });
});
