import type { KeyboardEvent } from 'react';
import { useMemo, useState } from 'react';
import type { LimitAction, LimitRow } from '../../../core/protocol/index.ts';
import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { commandOutcome } from '../../stores/engine-view.ts';
import { formatFractionPct, formatLimitNumber, formatQuantity } from '../risk/risk-format.ts';
import type { LimitDraft } from './limit-edit.ts';
import { draftOf, LIMIT_ACTION_TITLES, LIMIT_ACTIONS, limitSubject, sortLimits, utilizationBar, validateLimitEdit } from './limit-edit.ts';
import './limits.css';

const COLUMNS = 9;

function UtilizationCell({ row }: { readonly row: LimitRow }) {
  const bar = utilizationBar(row);
  return (
    <td className="limit-util" title={`${bar.text} of the limit; warning from ${formatFractionPct(row.warnAtFraction)}`}>
      <span className={`limit-bar limit-bar-${row.state}`}>
        <span className="limit-bar-fill" style={{ width: `${bar.fillPct}%` }} />
        <span className="limit-bar-tick" style={{ left: `${bar.warnPct}%` }} />
      </span>
      <span className={`limit-util-text${bar.over ? ' limit-over' : ''}`}>{bar.text}</span>
    </td>
  );
}

/** The engine's answer to the last SetLimit sent from a row, in a word. Selects primitives only (a fresh object would re-render without end). */
function LimitOutcome({ commandId }: { readonly commandId: string | undefined }) {
  const state = useEngineStore((view) => commandOutcome(view, commandId).state);
  const text = useEngineStore((view) => commandOutcome(view, commandId).text);
  if (state === 'none') return null;
  return (
    <span className={`limit-outcome outcome-${state}`} data-testid="limit-outcome" data-outcome={state} title={text}>
      {state === 'pending' ? 'sending…' : state}
    </span>
  );
}

/** A rejection's reason, on its own line under the row so a long reason does not widen the table. */
function LimitRejection({ commandId, limitId }: { readonly commandId: string | undefined; readonly limitId: string }) {
  const state = useEngineStore((view) => commandOutcome(view, commandId).state);
  const text = useEngineStore((view) => commandOutcome(view, commandId).text);
  if (state !== 'rejected') return null;
  return (
    <tr className="limit-rejection-row" data-testid={`limit-rejection-${limitId}`}>
      <td colSpan={COLUMNS} className="outcome-rejected">
        {text ?? 'rejected'}
      </td>
    </tr>
  );
}

interface EditorProps {
  readonly row: LimitRow;
  readonly linkOpen: boolean;
  readonly onClose: () => void;
  readonly onSent: (commandId: string) => void;
}

/** Edits one limit in place: values, then a confirmation of exactly what changes, then SetLimit. */
function LimitEditor({ row, linkOpen, onClose, onSent }: EditorProps) {
  const [draft, setDraft] = useState<LimitDraft>(() => draftOf(row));
  const [confirming, setConfirming] = useState(false);
  const check = validateLimitEdit(row, draft);
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };
  const send = (): void => {
    if (!check.ok) return;
    onSent(sendCommand({ type: 'SetLimit', limitId: row.limitId, ...check.patch }));
    onClose();
  };

  return (
    <tr className="limit-editor-row" data-testid={`limit-editor-${row.limitId}`}>
      <td colSpan={COLUMNS} onKeyDown={onKeyDown}>
        {confirming && check.ok ? (
          <div className="limit-editor" role="alertdialog" aria-label="Confirm the limit change">
            <span className="limit-confirm-text" data-testid="limit-confirm-text">
              {check.confirmation}
            </span>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)} autoFocus>
              Back
            </button>
            <button type="button" className="button button-small limit-confirm" disabled={!linkOpen} title={linkOpen ? '' : 'no engine link'} onClick={send} data-testid="limit-confirm">
              Confirm
            </button>
          </div>
        ) : (
          <form
            className="limit-editor"
            onSubmit={(event) => {
              event.preventDefault();
              if (check.ok) setConfirming(true);
            }}
          >
            <label>
              Limit{' '}
              <input
                value={draft.limitText}
                onChange={(event) => setDraft({ ...draft, limitText: event.target.value })}
                inputMode="decimal"
                size={12}
                autoFocus
                data-testid="limit-edit-value"
              />{' '}
              <span className="muted">{row.unit}</span>
            </label>
            <label title="Fraction of the limit at which the limit warns: 0.8 = 80 %">
              Warn at{' '}
              <input value={draft.warnText} onChange={(event) => setDraft({ ...draft, warnText: event.target.value })} inputMode="decimal" size={5} data-testid="limit-edit-warn" />{' '}
              <span className="muted">of the limit</span>
            </label>
            <label>
              On breach{' '}
              <select value={draft.action} onChange={(event) => setDraft({ ...draft, action: event.target.value as LimitAction })} data-testid="limit-edit-action">
                {LIMIT_ACTIONS.map((action) => (
                  <option key={action} value={action} title={LIMIT_ACTION_TITLES[action]}>
                    {action}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button button-small" disabled={!check.ok} data-testid="limit-review">
              Review
            </button>
            <button type="button" className="button button-small button-quiet" onClick={onClose}>
              Cancel
            </button>
            <span className={check.ok ? 'muted' : 'outcome-rejected'} data-testid="limit-edit-check">
              {check.ok ? '' : check.reason}
            </span>
          </form>
        )}
      </td>
    </tr>
  );
}

/**
 * Every risk limit of the engine with its utilization, breaches first; each can be edited in place
 * (limit, warning fraction, breach action), confirmed, and sent as SetLimit.
 */
export function LimitsPanel() {
  const connected = useEngineStore((view) => view.state !== undefined);
  const limits = useEngineStore((view) => view.state?.limits);
  const linkOpen = useEngineStore((view) => view.link.state === 'open');
  const killState = useEngineStore((view) => view.state?.killSwitch.state);
  const killReason = useEngineStore((view) => view.state?.killSwitch.reason);
  const rows = useMemo(() => sortLimits(Object.values(limits ?? {})), [limits]);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<Readonly<Record<string, string>>>({});

  if (!connected) {
    return (
      <div className="panel-empty" data-testid="limits-panel">
        Waiting for the engine’s first snapshot…
      </div>
    );
  }
  if (rows.length === 0) {
    return (
      <div className="panel-empty" data-testid="limits-panel">
        <span data-testid="limits-empty">No limits yet — limits appear once the engine’s risk checks run.</span>
      </div>
    );
  }
  const breaches = rows.filter((row) => row.state === 'breach').length;
  const warnings = rows.filter((row) => row.state === 'warn').length;

  return (
    <div className="panel-column limits-panel" data-testid="limits-panel">
      <div className="limits-toolbar">
        <span className={breaches > 0 ? 'level-bad' : 'muted'} data-testid="limits-breaches">
          {breaches} {breaches === 1 ? 'breach' : 'breaches'}
        </span>
        <span className={warnings > 0 ? 'level-warn' : 'muted'}>
          {warnings} {warnings === 1 ? 'warning' : 'warnings'}
        </span>
        <span className="muted">{rows.length} limits</span>
        <span className="status-spacer" />
        {killState === 'triggered' ? (
          <span className="level-bad" data-testid="limits-kill">
            Kill switch triggered{killReason ? `: ${killReason}` : ''}
          </span>
        ) : null}
      </div>
      <div className="limits-body">
        <table className="limits-table">
          <thead>
            <tr>
              <th scope="col">Limit</th>
              <th scope="col" className="limit-num">
                Value
              </th>
              <th scope="col" className="limit-num">
                Limit
              </th>
              <th scope="col">Unit</th>
              <th scope="col">Utilization</th>
              <th scope="col" className="limit-num" title="Fraction of the limit from which the limit warns">
                Warn at
              </th>
              <th scope="col">State</th>
              <th scope="col" title="What the engine does on a breach">
                Action
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <LimitLine
                key={row.limitId}
                row={row}
                editing={editing === row.limitId}
                linkOpen={linkOpen}
                commandId={sent[row.limitId]}
                onEdit={() => setEditing(row.limitId)}
                onClose={() => setEditing((current) => (current === row.limitId ? undefined : current))}
                onSent={(commandId) => setSent((current) => ({ ...current, [row.limitId]: commandId }))}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

interface LineProps {
  readonly row: LimitRow;
  readonly editing: boolean;
  readonly linkOpen: boolean;
  readonly commandId: string | undefined;
  readonly onEdit: () => void;
  readonly onClose: () => void;
  readonly onSent: (commandId: string) => void;
}

function LimitLine({ row, editing, linkOpen, commandId, onEdit, onClose, onSent }: LineProps) {
  return (
    <>
      <tr className={`limit-row limit-${row.state}${editing ? ' limit-editing' : ''}`} data-testid={`limit-row-${row.limitId}`} data-state={row.state}>
        <th scope="row" title={row.limitId}>
          {limitSubject(row)}
        </th>
        <td className="limit-num">{formatQuantity(row.value)}</td>
        <td className="limit-num">{formatLimitNumber(row.limit)}</td>
        <td className="muted">{row.unit}</td>
        <UtilizationCell row={row} />
        <td className="limit-num">{formatFractionPct(row.warnAtFraction)}</td>
        <td>
          <span className={`limit-state limit-state-${row.state}`}>{row.state}</span>
        </td>
        <td title={LIMIT_ACTION_TITLES[row.action]}>{row.action}</td>
        <td>
          <div className="limit-actions">
            <button type="button" className="button button-small" onClick={onEdit} disabled={editing} data-testid="limit-edit">
              Edit
            </button>
            <LimitOutcome commandId={commandId} />
          </div>
        </td>
      </tr>
      {editing ? <LimitEditor row={row} linkOpen={linkOpen} onClose={onClose} onSent={onSent} /> : <LimitRejection commandId={commandId} limitId={row.limitId} />}
    </>
  );
}
