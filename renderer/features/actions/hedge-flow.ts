import type { Command, HedgePreviewed, HedgeTactic, InstrumentRow } from '../../../core/protocol/index.ts';
import { formatUsd } from '../../ui/format.ts';
import type { ReceivedPreview } from './hedge-preview-store.ts';

/**
 * The one-click delta hedge: ask the engine for a preview (HedgeDelta, execute false), show what
 * it would send and what it should cost, and on the trader's confirmation execute the same request
 * on the instrument the preview named. The engine recomputes at execution; a preview is a guide.
 */

export type HedgeCommand = Omit<Extract<Command, { type: 'HedgeDelta' }>, 'commandId'>;

/** The protocol's default: rest passively, cross after 5 s, never more than 20 bps away. */
export const DEFAULT_HEDGE_TACTIC: HedgeTactic = { kind: 'passive-then-cross', timeoutMs: 5000, maxSlippageBps: 20 };

/** A preview older than this must be refreshed before it is confirmed. */
export const PREVIEW_MAX_AGE_MS = 30_000;

export function hedgePreviewCommand(currency: string, targetDeltaCoin = 0, tactic: HedgeTactic = DEFAULT_HEDGE_TACTIC): HedgeCommand {
  return { type: 'HedgeDelta', currency, targetDeltaCoin, tactic, execute: false };
}

export function hedgeExecuteCommand(request: HedgeCommand, preview: HedgePreviewed): HedgeCommand {
  return { ...request, instrumentName: preview.instrumentName, execute: true };
}

export type Confirmability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function canConfirm(received: ReceivedPreview | undefined, request: HedgeCommand, nowMs: number): Confirmability {
  if (!received) return { ok: false, reason: 'waiting for the engine’s preview' };
  const { preview } = received;
  if (preview.currency !== request.currency) return { ok: false, reason: `the preview is for ${preview.currency}, not ${request.currency}` };
  if (!Number.isFinite(preview.amount) || preview.amount <= 0) return { ok: false, reason: 'nothing to hedge: delta is already at the target' };
  const ageMs = nowMs - received.receivedTsMs;
  if (ageMs > PREVIEW_MAX_AGE_MS) return { ok: false, reason: `the preview is ${Math.round(ageMs / 1000)} s old: refresh it` };
  return { ok: true };
}

function plain(value: number, maxDecimals: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: maxDecimals });
}

function signed(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals);
  return `${value < 0 && Number(text) !== 0 ? '−' : '+'}${text}`;
}

export interface PreviewLines {
  readonly order: string;
  readonly delta: string;
  readonly cost: string;
  readonly warnings: readonly string[];
}

/** The preview as the dialog prints it; `instrument` supplies the units (futures trade in USD). */
export function previewLines(preview: HedgePreviewed, instrument?: InstrumentRow): PreviewLines {
  const amountUnit = instrument ? (instrument.kind === 'option' ? instrument.currency : 'USD') : '';
  const priceUnit = instrument ? (instrument.kind === 'option' ? ` ${instrument.currency}` : ' USD') : '';
  const amount = `${plain(preview.amount, 4)}${amountUnit ? ` ${amountUnit}` : ''}`;
  return {
    order: `${preview.side.toUpperCase()} ${amount} ${preview.instrumentName} limit ${plain(preview.limitPrice, 4)}${priceUnit}`,
    delta: `${signed(preview.deltaBeforeCoin, 3)} → ${signed(preview.deltaAfterCoin, 3)} ${preview.currency}`,
    cost: `${formatUsd(preview.expectedCostUsd)} (${preview.expectedCostCoin.toFixed(6)} ${preview.currency})`,
    warnings: preview.warnings,
  };
}
