import { create } from 'zustand';
import type { EngineEvent, HedgePreviewed } from '../../../core/protocol/index.ts';

/**
 * The engine's answers to hedge previews (HedgeDelta with execute false), kept by command id so
 * the dialog that asked can show the order, the delta before and after, the cost and warnings.
 * The engine store's reducer logs a preview as text only; this keeps the payload. It is filled by
 * `recordHedgePreview`, registered as a listener on the engine link beside the store's reducer.
 */

export interface ReceivedPreview {
  readonly preview: HedgePreviewed;
  /** Local clock when it arrived: a preview is a snapshot of a moving delta and goes stale. */
  readonly receivedTsMs: number;
}

export interface HedgePreviewState {
  readonly previews: Readonly<Record<string, ReceivedPreview>>;
  /** Command ids, oldest first, to bound the store. */
  readonly order: readonly string[];
}

export const PREVIEW_CAPACITY = 20;

export const initialHedgePreviewState: HedgePreviewState = { previews: {}, order: [] };

export function addHedgePreview(state: HedgePreviewState, preview: HedgePreviewed, nowMs: number): HedgePreviewState {
  const order = [...state.order.filter((id) => id !== preview.commandId), preview.commandId];
  const previews: Record<string, ReceivedPreview> = { ...state.previews, [preview.commandId]: { preview, receivedTsMs: nowMs } };
  while (order.length > PREVIEW_CAPACITY) delete previews[order.shift()!];
  return { previews, order };
}

export const useHedgePreviewStore = create<HedgePreviewState>(() => initialHedgePreviewState);

/** A link event listener: keeps HedgePreviewed payloads, ignores every other event. */
export function recordHedgePreview(event: EngineEvent): void {
  if (event.type !== 'HedgePreviewed') return;
  const nowMs = Date.now();
  useHedgePreviewStore.setState((state) => addHedgePreview(state, event, nowMs));
}
