import { useEngineStore } from '../../stores/engine-store.ts';
import { CommandOutcome } from '../strategy/CommandOutcome.tsx';
import { Dialog } from './Dialog.tsx';
import { ExecutionList } from './ExecutionList.tsx';
import { executionsSince, isFinished } from './execution-view.ts';

export interface FlattenFlow {
  /** undefined: every underlying. */
  readonly currency: string | undefined;
  /** The underlying offered when the dialog opened. */
  readonly offered: string | undefined;
  readonly commandId?: string;
  readonly sinceMs?: number;
}

interface FlattenDialogProps {
  readonly flow: FlattenFlow;
  readonly linkOpen: boolean;
  readonly onScope: (currency: string | undefined) => void;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/** Confirms a flatten (pull quotes, close every position reduce-only), then follows it to its report. */
export function FlattenDialog({ flow, linkOpen, onScope, onConfirm, onClose }: FlattenDialogProps) {
  const executions = useEngineStore((view) => view.state?.executions);
  const started = flow.commandId !== undefined;
  const progress = started ? executionsSince(executions, 'flatten', flow.currency, flow.sinceMs ?? 0) : [];
  const done = progress.length > 0 && progress.every(isFinished);
  const scopeLabel = flow.currency === undefined ? 'every underlying' : flow.currency;

  return (
    <Dialog title={started ? `Flatten ${scopeLabel}` : 'Flatten?'} testId="flatten-dialog" tone="danger" onClose={onClose}>
      {started ? (
        <>
          <CommandOutcome commandId={flow.commandId} testId="flatten-outcome" />
          {progress.length === 0 ? <p className="muted">Waiting for the engine to start…</p> : null}
          <ExecutionList rows={progress} linkOpen={linkOpen} testId="flatten-progress" />
          {done ? <p data-testid="flatten-done">Finished: the report is above.</p> : null}
          <div className="dialog-actions">
            <span className="status-spacer" />
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <>
          <p>Pulls every quote, then closes every position with reduce-only orders.</p>
          <div className="segmented" role="radiogroup" aria-label="What to flatten">
            {flow.offered !== undefined ? (
              <button type="button" role="radio" aria-checked={flow.currency === flow.offered} className={flow.currency === flow.offered ? 'active' : ''} onClick={() => onScope(flow.offered)} data-testid="flatten-scope-currency">
                {flow.offered} only
              </button>
            ) : null}
            <button type="button" role="radio" aria-checked={flow.currency === undefined} className={flow.currency === undefined ? 'active' : ''} onClick={() => onScope(undefined)} data-testid="flatten-scope-all">
              Everything
            </button>
          </div>
          <div className="dialog-actions">
            <span className="status-spacer" />
            <button type="button" className="button" onClick={onClose} autoFocus>
              Cancel
            </button>
            <button type="button" className="button button-danger" disabled={!linkOpen} onClick={onConfirm} data-testid="flatten-confirm">
              Flatten {scopeLabel}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
