import { useMemo, useState } from 'react';
import type { StrategyRow } from '../../../core/protocol/index.ts';
import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { formatCoin } from '../../ui/format.ts';
import { engineNowMs, useEngineClock } from '../market/use-chain-selection.ts';
import type { AutoHedgeDraft } from './auto-hedge-form.ts';
import { autoHedgeDraftFrom, autoHedgeEdited, checkAutoHedge, hedgeInstruments, toggleAutoHedge } from './auto-hedge-form.ts';
import { CommandOutcome } from './CommandOutcome.tsx';
import type { OverrideDraft, ScopeKind } from './override-form.ts';
import { appliesTo, checkOverride, describeExpiry, describeOverride, describeScope, EMPTY_OVERRIDE_DRAFT, isBlankDraft, OVERRIDE_LIMITS, scopeContext, scopeFor, sortedOverrides } from './override-form.ts';
import type { ParamDrafts } from './quoting-params.ts';
import { checkParams, editDraft } from './quoting-params.ts';
import { formatSince, HALTED_EXPLANATION, modeButtons, sortedStrategies, suppressedEntries, suppressedTotal } from './strategy-view.ts';
import './strategy.css';

/** Who the engine records as the author of a trader's change (the workstation has one trader). */
const AUTHOR = 'trader';

/**
 * The trader's controls over the market-making strategy: per underlying its mode (pause, resume,
 * reduce only), why options are not quoted, auto-hedge and the quoting parameters; then the
 * override editor for the selected instrument, its expiry or its underlying, and every override
 * in effect with who set it, when, why and until when.
 */
export function StrategyPanel() {
  const strategies = useEngineStore((view) => view.state?.strategies);
  const linkOpen = useEngineStore((view) => view.link.state === 'open');
  const nowMs = useEngineClock(1000);
  const rows = useMemo(() => sortedStrategies(strategies), [strategies]);

  return (
    <div className="panel-body strategy-panel" data-testid="strategy-panel">
      {rows.length === 0 ? (
        <p className="muted strategy-empty" data-testid="strategy-empty">
          No strategy yet: the engine publishes one per underlying it quotes.
        </p>
      ) : (
        rows.map((row) => <StrategyCard key={row.currency} row={row} nowMs={nowMs} linkOpen={linkOpen} />)
      )}
      <OverrideEditor nowMs={nowMs} linkOpen={linkOpen} />
      <OverrideList nowMs={nowMs} linkOpen={linkOpen} />
    </div>
  );
}

interface CardProps {
  readonly row: StrategyRow;
  readonly nowMs: number;
  readonly linkOpen: boolean;
}

function StrategyCard({ row, nowMs, linkOpen }: CardProps) {
  const [modeCommandId, setModeCommandId] = useState<string | undefined>(undefined);
  const currency = row.currency;
  const suppressed = suppressedEntries(row.suppressed);
  const paramCount = Object.keys(row.params).length;

  return (
    <article className={`strategy-card strategy-card-${row.mode}`} data-testid={`strategy-${currency}`}>
      <header className="strategy-head">
        <span className="strategy-currency">{currency}</span>
        <span className={`mode-badge mode-${row.mode}`} data-testid={`strategy-mode-${currency}`}>
          {row.mode}
        </span>
        <span className="strategy-reason" title={row.reason} data-testid={`strategy-reason-${currency}`}>
          {row.reason}
        </span>
        <span className="muted">since {formatSince(row.sinceTsMs, nowMs)}</span>
        <span className="status-spacer" />
        <span className="strategy-mode-buttons">
          {modeButtons(row.mode).map((button) => (
            <button
              key={button.id}
              type="button"
              className={`button button-small mode-button-${button.id}`}
              disabled={!linkOpen || !button.enabled}
              title={linkOpen ? button.title : 'No engine link'}
              data-testid={`${button.id}-${currency}`}
              onClick={() => setModeCommandId(sendCommand({ type: 'SetStrategyMode', currency, mode: button.target, reason: button.reason }))}
            >
              {button.label}
            </button>
          ))}
        </span>
      </header>
      {row.mode === 'HALTED' ? (
        <p className="strategy-halted" role="note" data-testid={`strategy-halted-${currency}`}>
          {HALTED_EXPLANATION}
        </p>
      ) : null}
      <CommandOutcome commandId={modeCommandId} testId={`mode-outcome-${currency}`} />
      <div className="strategy-stats">
        <span>
          Quoting <strong>{row.quotedInstruments}</strong> options
        </span>
        <span data-testid={`suppressed-${currency}`} title="Options not quoted, by reason">
          {suppressed.length === 0 ? (
            <span className="muted">none suppressed</span>
          ) : (
            <>
              <strong>{suppressedTotal(row.suppressed)}</strong> not quoted:{' '}
              {suppressed.map((entry, i) => (
                <span key={entry.reason} className="suppressed-entry" title={entry.reason}>
                  {i > 0 ? ', ' : ''}
                  {entry.label} {entry.count}
                </span>
              ))}
            </>
          )}
        </span>
        <span className="muted" title="Surface fit: expiries fitted and the worst fit error">
          surface {row.surfaceExpiries} expiries{row.surfaceRmseVolPts !== undefined ? `, worst RMSE ${row.surfaceRmseVolPts.toFixed(2)} vol pts` : ''}
        </span>
      </div>
      <AutoHedgeForm row={row} linkOpen={linkOpen} />
      <details className="strategy-params">
        <summary>Quoting parameters ({paramCount})</summary>
        <ParamsForm row={row} linkOpen={linkOpen} />
      </details>
    </article>
  );
}

function AutoHedgeForm({ row, linkOpen }: { readonly row: StrategyRow; readonly linkOpen: boolean }) {
  const currency = row.currency;
  const instruments = useEngineStore((view) => view.state?.instruments);
  const choices = useMemo(() => hedgeInstruments(instruments, currency), [instruments, currency]);
  const [edits, setEdits] = useState<Partial<AutoHedgeDraft>>({});
  const [commandId, setCommandId] = useState<string | undefined>(undefined);
  const draft: AutoHedgeDraft = { ...autoHedgeDraftFrom(row.autoHedge), ...edits };
  const check = checkAutoHedge(currency, row.autoHedge.enabled, draft);
  const edited = autoHedgeEdited(row.autoHedge, draft);

  const toggle = toggleAutoHedge(currency, row.autoHedge, draft, !row.autoHedge.enabled);
  const send = (checked: typeof check): void => {
    if (checked.ok) setCommandId(sendCommand(checked.command));
  };

  return (
    <div className={`autohedge${row.autoHedge.enabled ? ' autohedge-on' : ''}`} data-testid={`autohedge-${currency}`}>
      <label className="autohedge-toggle" title={toggle.ok ? 'Hedge delta automatically when it leaves the band around the target' : toggle.reason}>
        <input type="checkbox" checked={row.autoHedge.enabled} disabled={!linkOpen || !toggle.ok} onChange={() => send(toggle)} data-testid={`autohedge-toggle-${currency}`} />
        Auto-hedge {row.autoHedge.enabled ? 'on' : 'off'}
      </label>
      <label>
        target <input className="field-input" size={6} inputMode="decimal" value={draft.targetText} onChange={(event) => setEdits((current) => ({ ...current, targetText: event.target.value }))} />
      </label>
      <label>
        band ± <input className="field-input" size={6} inputMode="decimal" value={draft.bandText} onChange={(event) => setEdits((current) => ({ ...current, bandText: event.target.value }))} data-testid={`autohedge-band-${currency}`} /> {currency}
      </label>
      <label title="The least time between two automatic hedges">
        every ≥ <input className="field-input" size={5} inputMode="decimal" value={draft.minIntervalText} onChange={(event) => setEdits((current) => ({ ...current, minIntervalText: event.target.value }))} data-testid={`autohedge-interval-${currency}`} /> s
      </label>
      <label>
        with{' '}
        <select className="field-input" value={draft.instrumentName} onChange={(event) => setEdits((current) => ({ ...current, instrumentName: event.target.value }))}>
          <option value="">engine's choice</option>
          {choices.map((instrument) => (
            <option key={instrument.instrumentName} value={instrument.instrumentName}>
              {instrument.instrumentName}
            </option>
          ))}
          {draft.instrumentName !== '' && !choices.some((instrument) => instrument.instrumentName === draft.instrumentName) ? <option value={draft.instrumentName}>{draft.instrumentName}</option> : null}
        </select>
      </label>
      <button type="button" className="button button-small" disabled={!linkOpen || !check.ok || !edited} onClick={() => send(check)}>
        Apply
      </button>
      {edited ? (
        <button type="button" className="button button-small button-quiet" onClick={() => setEdits({})}>
          Revert
        </button>
      ) : null}
      {check.ok ? <CommandOutcome commandId={commandId} /> : <span className="command-outcome outcome-rejected">{check.reason}</span>}
    </div>
  );
}

function ParamsForm({ row, linkOpen }: { readonly row: StrategyRow; readonly linkOpen: boolean }) {
  const currency = row.currency;
  const [drafts, setDrafts] = useState<ParamDrafts>({});
  const [commandId, setCommandId] = useState<string | undefined>(undefined);
  const check = checkParams(row.params, drafts);
  if (check.fields.length === 0) return <p className="muted">The engine publishes no quoting parameters for {currency} yet.</p>;

  return (
    <form
      className="params-form"
      data-testid={`params-${currency}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (check.ok && check.changedCount > 0) setCommandId(sendCommand({ type: 'SetQuotingParams', currency, patch: { ...check.patch } }));
      }}
    >
      <div className="param-grid">
        {check.fields.map((field) => (
          <label key={field.key} className={`param-field${field.changed ? ' param-changed' : ''}${field.error ? ' param-error' : ''}`} title={`${field.key} (engine: ${String(field.current)})`}>
            <span className="param-label">{field.label}</span>
            {field.kind === 'boolean' ? (
              <input type="checkbox" checked={field.input === true} onChange={(event) => setDrafts((current) => editDraft(current, field.key, event.target.checked, field.current))} data-testid={`param-${currency}-${field.key}`} />
            ) : (
              <input
                className="field-input"
                size={8}
                inputMode={field.kind === 'number' ? 'decimal' : undefined}
                value={String(field.input)}
                onChange={(event) => setDrafts((current) => editDraft(current, field.key, event.target.value, field.current))}
                data-testid={`param-${currency}-${field.key}`}
              />
            )}
            <span className="param-unit">{field.unit}</span>
            {field.error ? <span className="param-message outcome-rejected">{field.error}</span> : field.warning ? <span className="param-message level-warn">{field.warning}</span> : null}
          </label>
        ))}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-small" disabled={!linkOpen || !check.ok || check.changedCount === 0} data-testid={`params-apply-${currency}`}>
          Apply {check.changedCount} change{check.changedCount === 1 ? '' : 's'}
        </button>
        <button type="button" className="button button-small button-quiet" disabled={Object.keys(drafts).length === 0} onClick={() => setDrafts({})}>
          Revert
        </button>
        {check.errorCount > 0 ? (
          <span className="command-outcome outcome-rejected">
            {check.errorCount} field{check.errorCount === 1 ? '' : 's'} to fix
          </span>
        ) : (
          <CommandOutcome commandId={commandId} testId={`params-outcome-${currency}`} />
        )}
      </div>
    </form>
  );
}

const SCOPES: readonly { readonly kind: ScopeKind; readonly label: string }[] = [
  { kind: 'instrument', label: 'Instrument' },
  { kind: 'expiry', label: 'Expiry' },
  { kind: 'underlying', label: 'Underlying' },
];

function OverrideEditor({ nowMs, linkOpen }: { readonly nowMs: number; readonly linkOpen: boolean }) {
  const underlying = useSelectionStore((selection) => selection.underlying);
  const expiryMs = useSelectionStore((selection) => selection.expiryMs);
  const instrumentName = useSelectionStore((selection) => selection.instrumentName);
  const instrument = useEngineStore((view) => (instrumentName ? view.state?.instruments[instrumentName] : undefined));
  const theoPrice = useEngineStore((view) => (instrumentName ? view.state?.theos[instrumentName]?.theoPrice : undefined));
  const ourBid = useEngineStore((view) => (instrumentName ? view.state?.theos[instrumentName]?.bidPrice : undefined));
  const ourAsk = useEngineStore((view) => (instrumentName ? view.state?.theos[instrumentName]?.askPrice : undefined));
  const [draft, setDraft] = useState<OverrideDraft>(EMPTY_OVERRIDE_DRAFT);
  const [commandId, setCommandId] = useState<string | undefined>(undefined);
  const context = scopeContext({ underlying, expiryMs, instrumentName }, instrument);
  const check = checkOverride(draft, context, nowMs, AUTHOR);
  const touched = !isBlankDraft(draft);
  const fixedAllowed = draft.scopeKind === 'instrument';
  const set = (fields: Partial<OverrideDraft>): void => setDraft((current) => ({ ...current, ...fields }));
  const text = (key: 'volOffsetText' | 'widthText' | 'skewText' | 'sizeText' | 'fixedBidText' | 'fixedAskText' | 'expiresInMinText', testId: string, disabled = false) => (
    <input className="field-input" size={7} inputMode="decimal" value={draft[key]} disabled={disabled} onChange={(event) => set({ [key]: event.target.value })} data-testid={testId} />
  );

  const submit = (): void => {
    // Expiry is an absolute engine time: take the clock at the click, not at the last render.
    const fresh = checkOverride(draft, context, engineNowMs(), AUTHOR);
    if (fresh.ok) setCommandId(sendCommand(fresh.command));
  };

  return (
    <form
      className="override-editor"
      data-testid="override-editor"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h4 className="section-title">Override</h4>
      <div className="segmented override-scope" role="radiogroup" aria-label="Scope">
        {SCOPES.map((scope) => {
          const target = scopeFor(scope.kind, context);
          return (
            <button
              key={scope.kind}
              type="button"
              role="radio"
              aria-checked={draft.scopeKind === scope.kind}
              className={draft.scopeKind === scope.kind ? 'active' : ''}
              title={target.ok ? describeScope(target.scope) : target.reason}
              onClick={() => set({ scopeKind: scope.kind, ...(scope.kind === 'instrument' ? {} : { fixedBidText: '', fixedAskText: '' }) })}
              data-testid={`override-scope-${scope.kind}`}
            >
              {scope.label}: {target.ok ? describeScope(target.scope) : <span className="muted">none</span>}
            </button>
          );
        })}
      </div>
      {instrumentName && draft.scopeKind === 'instrument' ? (
        <div className="muted override-context">
          theo {formatCoin(theoPrice) || '—'} · our quote {formatCoin(ourBid) || '—'} / {formatCoin(ourAsk) || '—'}
        </div>
      ) : null}
      <div className="override-fields">
        <label title={`Vol points added to theo vol (moves fair value), ${OVERRIDE_LIMITS.volOffsetPts.min} to ${OVERRIDE_LIMITS.volOffsetPts.max}; offsets of several overrides add up`}>
          vol offset {text('volOffsetText', 'override-vol')} vol pts
        </label>
        <label title={`Multiplies the half-width (0.5 halves it, 2 doubles it), ${OVERRIDE_LIMITS.widthMultiplier.min} to ${OVERRIDE_LIMITS.widthMultiplier.max}; the minimum edge still applies`}>
          width × {text('widthText', 'override-width')}
        </label>
        <label title="Vol points added to the reservation vol: both sides move, theo does not (a manual lean)">skew offset {text('skewText', 'override-skew')} vol pts</label>
        <label title={`Replaces the quote size per side (level 0), coin, above 0 and at most ${OVERRIDE_LIMITS.sizeCoin.max}; the narrowest scope wins`}>size {text('sizeText', 'override-size')} coin</label>
        <label>
          side off{' '}
          <select className="field-input" value={draft.sideOff} onChange={(event) => set({ sideOff: event.target.value as OverrideDraft['sideOff'] })} data-testid="override-side-off">
            <option value="">none</option>
            <option value="bid">bid</option>
            <option value="ask">ask</option>
          </select>
        </label>
        <label title={fixedAllowed ? 'Quote this bid whatever the theo (coin)' : 'Fixed prices apply to one instrument only'}>
          fixed bid {text('fixedBidText', 'override-fixed-bid', !fixedAllowed)}
        </label>
        <label title={fixedAllowed ? 'Quote this ask whatever the theo (coin)' : 'Fixed prices apply to one instrument only'}>
          fixed ask {text('fixedAskText', 'override-fixed-ask', !fixedAllowed)}
        </label>
        <label title="Lock freezes the working quotes as they are (no place, amend or cancel); exempt keeps this scope quoting under a broader lock">
          lock{' '}
          <select className="field-input" value={draft.lock} onChange={(event) => set({ lock: event.target.value as OverrideDraft['lock'] })} data-testid="override-lock">
            <option value="">unchanged</option>
            <option value="lock">lock quotes</option>
            <option value="unlock">exempt from a lock</option>
          </select>
        </label>
      </div>
      <div className="override-fields">
        <label className="override-reason">
          reason <input className="field-input" value={draft.reason} maxLength={OVERRIDE_LIMITS.reasonMaxChars} placeholder="required: why" onChange={(event) => set({ reason: event.target.value })} data-testid="override-reason" />
        </label>
        <label title="Leave empty for an override that stays until cleared">expires in {text('expiresInMinText', 'override-expires')} min</label>
        <button type="submit" className="button button-small" disabled={!linkOpen || !check.ok} title={check.ok ? '' : check.reason} data-testid="override-submit">
          Set override
        </button>
        <button type="button" className="button button-small button-quiet" disabled={!touched} onClick={() => setDraft((current) => ({ ...EMPTY_OVERRIDE_DRAFT, scopeKind: current.scopeKind }))}>
          Reset
        </button>
        {!check.ok ? (
          <span className={`command-outcome ${touched ? 'outcome-rejected' : 'muted'}`} data-testid="override-check">
            {check.reason}
          </span>
        ) : (
          <CommandOutcome commandId={commandId} testId="override-outcome" />
        )}
      </div>
    </form>
  );
}

function OverrideList({ nowMs, linkOpen }: { readonly nowMs: number; readonly linkOpen: boolean }) {
  const overrides = useEngineStore((view) => view.state?.overrides);
  const underlying = useSelectionStore((selection) => selection.underlying);
  const expiryMs = useSelectionStore((selection) => selection.expiryMs);
  const instrumentName = useSelectionStore((selection) => selection.instrumentName);
  const instrument = useEngineStore((view) => (instrumentName ? view.state?.instruments[instrumentName] : undefined));
  const rows = useMemo(() => sortedOverrides(overrides), [overrides]);
  const [clearCommandId, setClearCommandId] = useState<string | undefined>(undefined);
  const context = scopeContext({ underlying, expiryMs, instrumentName }, instrument);

  return (
    <section className="override-list" data-testid="override-list">
      <h4 className="section-title">
        Active overrides <span className="muted">({rows.length})</span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted">None: every option is quoted from the surface and the parameters.</p>
      ) : (
        <table className="override-table">
          <thead>
            <tr>
              <th>Scope</th>
              <th>Override</th>
              <th>By</th>
              <th>Set</th>
              <th>Reason</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={appliesTo(row.scope, context) ? 'override-applies' : undefined} data-testid={`override-${row.id}`} title={appliesTo(row.scope, context) ? 'Acts on the selection' : undefined}>
                <td>{describeScope(row.scope)}</td>
                <td>{describeOverride(row)}</td>
                <td>{row.by}</td>
                <td>{formatSince(row.atMs, nowMs)}</td>
                <td className="override-why">{row.reason}</td>
                <td>{describeExpiry(row.expiresAtMs, nowMs)}</td>
                <td>
                  <button type="button" className="button button-small" disabled={!linkOpen} onClick={() => setClearCommandId(sendCommand({ type: 'ClearOverride', overrideId: row.id }))} data-testid={`clear-override-${row.id}`}>
                    Clear
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CommandOutcome commandId={clearCommandId} testId="override-clear-outcome" />
    </section>
  );
}
