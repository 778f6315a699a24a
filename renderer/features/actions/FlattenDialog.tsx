import { useEngineStore } from '../../stores/engine-store.ts';
import { CommandOutcome } from '../strategy/CommandOutcome.tsx';
import { Dialog } from './Dialog.tsx';
import { ExecutionList } from './ExecutionList.tsx';
import { executionsSince, isFinished } from './execution-view.ts';
import { parseSlippagePct } from './flatten-form.ts';

export interface FlattenFlow {
  /** undefined: every underlying. */
  readonly currency: string | undefined;
  /** The underlying offered when the dialog opened. */
  readonly offered: string | undefined;
  /** The option slippage cap as typed, percent of the mark. */
  readonly slippagePct: string;
  readonly commandId?: string;
  readonly sinceMs?: number;
}

interface FlattenDialogProps {
  readonly flow: FlattenFlow;
  readonly linkOpen: boolean;
  readonly onScope: (currency: string | undefined) => void;
  readonly onSlippage: (text: string) => void;
  readonly onConfirm: (slippagePct: number) => void;
  readonly onClose: () => void;
}

/** Confirms a flatten (pull quotes, close every position reduce-only), then follows it to its report. */
export function FlattenDialog({ flow, linkOpen, onScope, onSlippage, onConfirm, onClose }: FlattenDialogProps) {
  const executions = useEngineStore((view) => view.state?.executions);
  const started = flow.commandId !== undefined;
  const progress = started ? executionsSince(executions, 'flatten', flow.currency, flow.sinceMs ?? 0) : [];
  const done = progress.length > 0 && progress.every(isFinished);
  const scopeLabel = flow.currency === undefined ? 'every underlying' : flow.currency;
  const slippage = parseSlippagePct(flow.slippagePct);

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
          <label className="action-field" title="How far from its mark an option close may trade: the protection against closing a wing into an empty book. 100 % takes whatever the book offers.">
            <span className="muted">Option slippage cap (% of mark, at least 2 ticks)</span>
            <input className="field-input" inputMode="decimal" value={flow.slippagePct} onChange={(event) => onSlippage(event.target.value)} aria-invalid={!slippage.ok} data-testid="flatten-slippage" />
          </label>
          {!slippage.ok ? (
            <p className="param-message outcome-rejected" data-testid="flatten-slippage-error">
              {slippage.error}
            </p>
          ) : null}
          <div className="dialog-actions">
            <span className="status-spacer" />
            <button type="button" className="button" onClick={onClose} autoFocus>
              Cancel
            </button>
            <button type="button" className="button button-danger" disabled={!linkOpen || !slippage.ok} onClick={() => slippage.ok && onConfirm(slippage.pct)} data-testid="flatten-confirm">
              Flatten {scopeLabel}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
