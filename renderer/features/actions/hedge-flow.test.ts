import { describe, expect, it } from 'vitest';
import type { HedgePreviewed, InstrumentRow } from '../../../core/protocol/index.ts';
import { HedgeDeltaSchema } from '../../../core/protocol/index.ts';
import { canConfirm, DEFAULT_HEDGE_TACTIC, hedgeExecuteCommand, hedgePreviewCommand, PREVIEW_MAX_AGE_MS, previewLines } from './hedge-flow.ts';

const preview: HedgePreviewed = {
  type: 'HedgePreviewed',
  commandId: 'c1',
  currency: 'BTC',
  instrumentName: 'BTC-PERPETUAL',
  side: 'sell',
  amount: 12_340,
  limitPrice: 97_123.5,
  deltaBeforeCoin: 0.1274,
  deltaAfterCoin: -0.0003,
  expectedCostUsd: 12.3456,
  expectedCostCoin: 0.000127,
  warnings: ['spread is wide'],
};
const perpetual: InstrumentRow = { instrumentName: 'BTC-PERPETUAL', venueId: 'sim', currency: 'BTC', kind: 'future', isPerpetual: true, expiryMs: 9e15, tickSize: 0.5, minTradeAmount: 10, contractSize: 10 };

describe('hedge flow', () => {
  it('previews, then executes the same request on the previewed instrument', () => {
    const request = hedgePreviewCommand('BTC', 0.5);
    expect(request).toEqual({ type: 'HedgeDelta', currency: 'BTC', targetDeltaCoin: 0.5, tactic: DEFAULT_HEDGE_TACTIC, execute: false });
    const execute = hedgeExecuteCommand(request, preview);
    expect(execute).toEqual({ ...request, instrumentName: 'BTC-PERPETUAL', execute: true });
    for (const command of [request, execute]) expect(HedgeDeltaSchema.safeParse({ ...command, commandId: 'x' }).success).toBe(true);
    expect(HedgeDeltaSchema.parse({ type: 'HedgeDelta', commandId: 'x', currency: 'BTC', execute: false }).tactic).toEqual(DEFAULT_HEDGE_TACTIC);
  });

  it('confirms only a fresh preview of the same underlying with something to trade', () => {
    const request = hedgePreviewCommand('BTC');
    const received = { preview, receivedTsMs: 1_000 };
    expect(canConfirm(received, request, 2_000)).toEqual({ ok: true });
    expect(canConfirm(undefined, request, 2_000)).toMatchObject({ ok: false, reason: expect.stringContaining('waiting') });
    expect(canConfirm(received, hedgePreviewCommand('ETH'), 2_000)).toMatchObject({ ok: false, reason: expect.stringContaining('BTC') });
    expect(canConfirm({ preview: { ...preview, amount: 0 }, receivedTsMs: 1_000 }, request, 2_000)).toMatchObject({ ok: false, reason: expect.stringContaining('nothing to hedge') });
    expect(canConfirm(received, request, 1_000 + PREVIEW_MAX_AGE_MS + 1)).toMatchObject({ ok: false, reason: expect.stringContaining('refresh') });
  });

  it('prints the order, the delta before and after, and the cost', () => {
    expect(previewLines(preview, perpetual)).toEqual({
      order: 'SELL 12,340 USD BTC-PERPETUAL limit 97,123.5 USD',
      delta: '+0.127 → +0.000 BTC',
      cost: '$12.35 (0.000127 BTC)',
      warnings: ['spread is wide'],
    });
    expect(previewLines({ ...preview, deltaBeforeCoin: -1.5, deltaAfterCoin: -0.25 }).delta).toBe('−1.500 → −0.250 BTC');
    expect(previewLines(preview).order).toBe('SELL 12,340 BTC-PERPETUAL limit 97,123.5');
  });
});
