import { beforeEach, describe, expect, it } from 'vitest';
import type { HedgePreviewed } from '../../../core/protocol/index.ts';
import { addHedgePreview, initialHedgePreviewState, PREVIEW_CAPACITY, recordHedgePreview, useHedgePreviewStore } from './hedge-preview-store.ts';

function preview(commandId: string): HedgePreviewed {
  return { type: 'HedgePreviewed', commandId, currency: 'BTC', instrumentName: 'BTC-PERPETUAL', side: 'buy', amount: 10, limitPrice: 1, deltaBeforeCoin: -1, deltaAfterCoin: 0, expectedCostUsd: 1, expectedCostCoin: 0, warnings: [] };
}

describe('hedge preview store', () => {
  beforeEach(() => useHedgePreviewStore.setState(initialHedgePreviewState));

  it('keeps each preview by command id with its arrival time', () => {
    const state = addHedgePreview(initialHedgePreviewState, preview('a'), 5);
    expect(state.previews.a).toEqual({ preview: preview('a'), receivedTsMs: 5 });
    expect(addHedgePreview(state, preview('a'), 9).order).toEqual(['a']);
  });

  it('forgets the oldest beyond its capacity', () => {
    let state = initialHedgePreviewState;
    for (let i = 0; i < PREVIEW_CAPACITY + 3; i++) state = addHedgePreview(state, preview(`c${i}`), i);
    expect(state.order).toHaveLength(PREVIEW_CAPACITY);
    expect(Object.keys(state.previews)).toHaveLength(PREVIEW_CAPACITY);
    expect(state.previews.c0).toBeUndefined();
    expect(state.previews[`c${PREVIEW_CAPACITY + 2}`]).toBeDefined();
  });

  it('records HedgePreviewed events from the link and ignores the rest', () => {
    recordHedgePreview({ type: 'CommandAccepted', commandId: 'x', commandType: 'HedgeDelta', tsMs: 1 });
    expect(useHedgePreviewStore.getState().order).toEqual([]);
    recordHedgePreview(preview('p1'));
    expect(useHedgePreviewStore.getState().previews.p1?.preview.amount).toBe(10);
  });
});
