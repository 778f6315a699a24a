import { useEngineStore } from '../../stores/engine-store.ts';
import { formatCoin } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { CommandOutcome } from '../strategy/CommandOutcome.tsx';
import { Dialog } from './Dialog.tsx';
import { ExecutionList } from './ExecutionList.tsx';
import { executionsSince } from './execution-view.ts';
import type { HedgeCommand } from './hedge-flow.ts';
import { canConfirm, previewLines } from './hedge-flow.ts';
import { useHedgePreviewStore } from './hedge-preview-store.ts';

export interface HedgeFlow {
  readonly request: HedgeCommand;
  readonly previewCommandId: string;
  /** Set once confirmed: the execution command and the engine time from which its progress counts. */
  readonly executeCommandId?: string;
  readonly executedSinceMs?: number;
}

interface HedgeDialogProps {
  readonly flow: HedgeFlow;
  readonly linkOpen: boolean;
  readonly onRefresh: () => void;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/** The delta-hedge preview: what would be sent, delta before → after, cost, warnings; then its progress. */
export function HedgeDialog({ flow, linkOpen, onRefresh, onConfirm, onClose }: HedgeDialogProps) {
  const { request } = flow;
  const received = useHedgePreviewStore((state) => state.previews[flow.previewCommandId]);
  const instrument = useEngineStore((view) => (received ? view.state?.instruments[received.preview.instrumentName] : undefined));
  const executions = useEngineStore((view) => view.state?.executions);
  const nowMs = useNow(1000);
  const confirm = canConfirm(received, request, nowMs);
  const lines = received ? previewLines(received.preview, instrument) : undefined;
  const executed = flow.executeCommandId !== undefined;
  const progress = executed ? executionsSince(executions, 'hedge', request.currency, flow.executedSinceMs ?? 0) : [];

  return (
    <Dialog title={`Hedge ${request.currency} delta`} testId="hedge-preview" onClose={onClose}>
      <p className="muted">
        Target {formatCoin(request.targetDeltaCoin, 3)} {request.currency} · {request.tactic.kind === 'immediate' ? 'immediate' : `passive, then cross after ${request.tactic.timeoutMs / 1000} s`} · max slippage {request.tactic.maxSlippageBps} bps
      </p>
      {lines ? (
        <table className="kv-table hedge-table" data-testid="hedge-preview-lines">
          <tbody>
            <tr>
              <th>Order</th>
              <td className={received?.preview.side === 'buy' ? 'side-buy' : 'side-sell'} data-testid="hedge-order">
                {lines.order}
              </td>
            </tr>
            <tr>
              <th>Delta</th>
              <td data-testid="hedge-delta">{lines.delta}</td>
            </tr>
            <tr>
              <th>Expected cost</th>
              <td data-testid="hedge-cost">{lines.cost}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p>
          <CommandOutcome commandId={flow.previewCommandId} idle="asking the engine…" testId="hedge-preview-outcome" />
        </p>
      )}
      {lines && lines.warnings.length > 0 ? (
        <ul className="hedge-warnings" data-testid="hedge-warnings">
          {lines.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      {executed ? (
        <>
          <CommandOutcome commandId={flow.executeCommandId} testId="hedge-outcome" />
          <ExecutionList rows={progress} linkOpen={linkOpen} testId="hedge-progress" />
        </>
      ) : null}
      <div className="dialog-actions">
        {!confirm.ok && received ? <span className="command-outcome outcome-rejected">{confirm.reason}</span> : null}
        <span className="status-spacer" />
        <button type="button" className="button" disabled={!linkOpen} onClick={onRefresh} data-testid="hedge-refresh">
          Refresh preview
        </button>
        {executed ? (
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        ) : (
          <button type="button" className="button button-primary" disabled={!linkOpen || !confirm.ok} onClick={onConfirm} data-testid="hedge-confirm" title={confirm.ok ? 'Send the hedge' : confirm.reason}>
            Confirm hedge
          </button>
        )}
      </div>
    </Dialog>
  );
}
