import type { GridApi } from 'ag-grid-community';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineState, QuoteRow } from '../../../core/protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { initialEngineView } from '../../stores/engine-view.ts';
import { initialSelection, useSelectionStore } from '../../stores/selection-store.ts';
import { chainInstruments, EXPIRY_A, EXPIRY_B, instrumentsOf, quote } from '../market/test-fixtures.ts';
import type { ChainSummary } from './chain-feed.ts';
import { startChainFeed } from './chain-feed.ts';
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

function fakeGrid() {
  const api = {
    isDestroyed: () => false,
    flushAsyncTransactions: vi.fn(),
    setGridOption: vi.fn(),
    applyTransactionAsync: vi.fn(),
    getRowNode: vi.fn(() => undefined),
    getVerticalPixelRange: () => ({ top: 0, bottom: 0 }),
    ensureNodeVisible: vi.fn(),
  };
  return { api, grid: api as unknown as GridApi<ChainRow> };
}

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
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => setTimeout(callback, 16));
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
    expect(api.applyTransactionAsync).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(api.applyTransactionAsync).toHaveBeenCalledTimes(1);
    expect((api.applyTransactionAsync.mock.calls[0]![0] as { update: ChainRow[] }).update.map((row) => row.id)).toEqual(['94000', '96000']);

    // Another expiry's quotes do not reach this grid.
    tick('BTC-25DEC26-90000-C', { bidPrice: 0.5 });
    vi.advanceTimersByTime(200);
    expect(api.applyTransactionAsync).toHaveBeenCalledTimes(1);
    stop();
  });

  it('replaces the rows on another expiry and marks a selection at once', () => {
    const { api, grid } = fakeGrid();
    const stop = startChainFeed(grid, () => {}, 200);
    useSelectionStore.getState().selectInstrument('BTC-27NOV26-95000-P', 'BTC', EXPIRY_A);
    expect(api.applyTransactionAsync).toHaveBeenCalledTimes(1);
    const [row] = (api.applyTransactionAsync.mock.calls[0]![0] as { update: ChainRow[] }).update;
    expect(row?.put?.selected).toBe(true);
    useSelectionStore.getState().selectChain('BTC', EXPIRY_B);
    expect(api.flushAsyncTransactions).toHaveBeenCalled();
    expect((api.setGridOption.mock.calls.at(-1)![1] as ChainRow[]).map((r) => r.id)).toEqual(['90000', '100000']);
    stop();
    tick('BTC-25DEC26-90000-C', { bidPrice: 0.5 });
    vi.advanceTimersByTime(1000);
    expect(api.applyTransactionAsync).toHaveBeenCalledTimes(1);
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
    expect(api.applyTransactionAsync).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(api.applyTransactionAsync).toHaveBeenCalledTimes(1);
    const update = (api.applyTransactionAsync.mock.calls[0]![0] as { update: ChainRow[] }).update;
    expect(update.map((row) => row.id)).toEqual(['94000', '95000']);
    expect(update[0]?.put?.position).toBe(0.3);
    expect(update[1]?.call?.theo?.bidPrice).toBe(0.0105);
    stop();
  });
});
