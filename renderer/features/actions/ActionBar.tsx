import { useMemo, useState } from 'react';
import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { buildChainIndex } from '../market/chain-index.ts';
import { engineNowMs, useEngineClock } from '../market/use-chain-selection.ts';
import { CommandOutcome } from '../strategy/CommandOutcome.tsx';
import { modeReason, toggledMode } from '../strategy/strategy-view.ts';
import type { CurrencyPick } from './action-bar-view.ts';
import { actionCurrencies, KILL_REASON, pickCurrency } from './action-bar-view.ts';
import { ExecutionList } from './ExecutionList.tsx';
import { EXECUTION_CLOCK_SLACK_MS, recentExecutions } from './execution-view.ts';
import type { FlattenFlow } from './FlattenDialog.tsx';
import { FlattenDialog } from './FlattenDialog.tsx';
import { DEFAULT_SLIPPAGE_TEXT } from './flatten-form.ts';
import { HaltStrip } from './HaltStrip.tsx';
import type { HedgeFlow } from './HedgeDialog.tsx';
import { HedgeDialog } from './HedgeDialog.tsx';
import { hedgeExecuteCommand, hedgePreviewCommand } from './hedge-flow.ts';
import { useHedgePreviewStore } from './hedge-preview-store.ts';
import { HelpOverlay } from './HelpOverlay.tsx';
import type { ShortcutAction } from './keymap.ts';
import { useShortcuts } from './use-shortcuts.ts';
import '../strategy/strategy.css';
import './actions.css';

type ActionDialog = { readonly kind: 'hedge'; readonly flow: HedgeFlow } | { readonly kind: 'flatten'; readonly flow: FlattenFlow };

/** The outcome line: the engine's answer to the bar's last command, or a note of why nothing was sent. */
type LastAction = { readonly commandId: string } | { readonly notice: string } | undefined;

function signedDelta(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const text = Math.abs(value).toFixed(2);
  return `${value < 0 && text !== '0.00' ? '−' : '+'}${text}`;
}

/**
 * The trader's big buttons along the top of the window: hedge delta (preview, then confirm),
 * flatten (confirm, then progress and report), pause/resume, the kill switch (one click, no
 * confirmation) and, while it is latched, the halt and its acknowledgement. Keyboard shortcuts
 * reach the same actions (see keymap.ts; ? or F1 lists them).
 */
export function ActionBar() {
  const linkOpen = useEngineStore((view) => view.link.state === 'open');
  // Hedging and flattening send orders: with no venue connected they cannot work, so they wait.
  const venueUp = useEngineStore((view) => view.state?.venues.some((venue) => venue.state === 'connected') ?? false);
  const selectionUnderlying = useSelectionStore((selection) => selection.underlying);
  // Comma-joined strings: primitives, so the bar re-renders only when an underlying comes or goes.
  const strategyList = useEngineStore((view) => Object.keys(view.state?.strategies ?? {}).join(','));
  const chainList = useEngineStore((view) => buildChainIndex(view.state?.instruments).currencies.join(','));
  const offered = useMemo(() => actionCurrencies(strategyList, chainList), [strategyList, chainList]);
  const [picked, setPicked] = useState<CurrencyPick | undefined>(undefined);
  const currency = pickCurrency(picked, selectionUnderlying, offered);

  const mode = useEngineStore((view) => (currency === undefined ? undefined : view.state?.strategies[currency]?.mode));
  const deltaCoin = useEngineStore((view) => (currency === undefined ? undefined : view.state?.risk[currency]?.greeks.deltaCoin));
  const hedgeTarget = useEngineStore((view) => (currency === undefined ? undefined : view.state?.strategies[currency]?.autoHedge.targetCoin));
  const kill = useEngineStore((view) => view.state?.killSwitch);
  const halted = kill?.state === 'triggered';

  const [dialog, setDialog] = useState<ActionDialog | undefined>(undefined);
  const [helpOpen, setHelpOpen] = useState(false);
  const [last, setLast] = useState<LastAction>(undefined);

  const pullKill = (via: string): void => setLast({ commandId: sendCommand({ type: 'KillSwitch', reason: `${KILL_REASON}${via}` }) });

  const openHedge = (): void => {
    if (currency === undefined) return setLast({ notice: 'No underlying to hedge' });
    const request = hedgePreviewCommand(currency, hedgeTarget ?? 0);
    setDialog({ kind: 'hedge', flow: { request, previewCommandId: sendCommand(request) } });
  };

  const refreshHedge = (flow: HedgeFlow): void => setDialog({ kind: 'hedge', flow: { request: flow.request, previewCommandId: sendCommand(flow.request) } });

  const confirmHedge = (flow: HedgeFlow): void => {
    const received = useHedgePreviewStore.getState().previews[flow.previewCommandId];
    if (!received) return;
    const sinceMs = engineNowMs() - EXECUTION_CLOCK_SLACK_MS;
    setDialog({ kind: 'hedge', flow: { ...flow, executeCommandId: sendCommand(hedgeExecuteCommand(flow.request, received.preview)), executedSinceMs: sinceMs } });
  };

  const openFlatten = (): void => setDialog({ kind: 'flatten', flow: { currency, offered: currency, slippagePct: DEFAULT_SLIPPAGE_TEXT } });

  const confirmFlatten = (flow: FlattenFlow, optionSlippagePct: number): void => {
    const sinceMs = engineNowMs() - EXECUTION_CLOCK_SLACK_MS;
    const commandId = sendCommand({ type: 'Flatten', ...(flow.currency !== undefined && { currency: flow.currency }), optionSlippagePct });
    setDialog({ kind: 'flatten', flow: { ...flow, commandId, sinceMs } });
  };

  const togglePause = (): void => {
    if (currency === undefined || mode === undefined) return setLast({ notice: `No strategy for ${currency ?? 'any underlying'}` });
    const target = toggledMode(mode);
    if (target === undefined) return setLast({ notice: `${currency} is HALTED: acknowledge the halt first` });
    setLast({ commandId: sendCommand({ type: 'SetStrategyMode', currency, mode: target, reason: modeReason(target, 'the trader (action bar)') }) });
  };

  const onShortcut = (action: ShortcutAction): void => {
    switch (action) {
      case 'kill':
        return pullKill(' (keyboard)');
      case 'hedge-preview':
        return openHedge();
      case 'toggle-pause':
        return togglePause();
      case 'flatten':
        return openFlatten();
      case 'help':
        return setHelpOpen((open) => !open);
    }
  };
  useShortcuts(onShortcut, dialog !== undefined ? 'action' : helpOpen ? 'help' : 'none');

  const toggleTarget = mode === undefined ? undefined : toggledMode(mode);

  return (
    <div className={`action-bar${halted ? ' action-bar-halted' : ''}`} data-testid="action-bar" role="toolbar" aria-label="Trading actions">
      <div className="action-row">
        <label className="action-field">
          <span className="muted">Underlying</span>
          <select className="field-input" value={currency ?? ''} onChange={(event) => setPicked({ currency: event.target.value, selectionUnderlying })} data-testid="action-currency">
            {currency !== undefined && !offered.includes(currency) ? <option value={currency}>{currency}</option> : null}
            {offered.length === 0 && currency === undefined ? <option value="">—</option> : null}
            {offered.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <span className={`mode-badge mode-${mode ?? 'none'}`} data-testid="action-mode" title="The strategy's mode">
          {mode ?? 'no strategy'}
        </span>
        <button
          type="button"
          className="button"
          disabled={!linkOpen || toggleTarget === undefined}
          onClick={togglePause}
          title={mode === 'HALTED' ? 'Halted: acknowledge the halt first' : 'Ctrl+Shift+P'}
          data-testid="action-toggle-pause"
        >
          {toggleTarget === 'ACTIVE' ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="button action-hedge" disabled={!linkOpen || !venueUp || currency === undefined} onClick={openHedge} title={venueUp ? 'Preview a delta hedge, then confirm (Ctrl+Shift+H)' : 'No venue connected: nothing can be hedged'} data-testid="hedge-button">
          Hedge Δ {deltaCoin !== undefined ? <span className="action-delta">{signedDelta(deltaCoin)} {currency}</span> : null}
        </button>
        <button type="button" className="button action-flatten" disabled={!linkOpen || !venueUp} onClick={openFlatten} title={venueUp ? 'Close every position after confirming (Ctrl+Shift+F)' : 'No venue connected: nothing can be closed'} data-testid="flatten-button">
          Flatten…
        </button>
        <ExecutionsStrip linkOpen={linkOpen} />
        <span className="status-spacer" />
        {last && 'notice' in last ? (
          <span className="command-outcome outcome-rejected" data-testid="action-outcome">
            {last.notice}
          </span>
        ) : (
          <CommandOutcome commandId={last?.commandId} testId="action-outcome" />
        )}
        <button type="button" className="button button-quiet" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (? or F1)" data-testid="help-button">
          ?
        </button>
        <button type="button" className="kill-switch" onClick={() => pullKill('')} title="Pull every quote and order everywhere and latch HALTED. No confirmation. (Ctrl+Shift+K)" data-testid="kill-switch">
          KILL
        </button>
      </div>
      {halted && kill ? <HaltStrip kill={kill} linkOpen={linkOpen} /> : null}
      {dialog?.kind === 'hedge' ? <HedgeDialog flow={dialog.flow} linkOpen={linkOpen} onRefresh={() => refreshHedge(dialog.flow)} onConfirm={() => confirmHedge(dialog.flow)} onClose={() => setDialog(undefined)} /> : null}
      {dialog?.kind === 'flatten' ? (
        <FlattenDialog
          flow={dialog.flow}
          linkOpen={linkOpen}
          onScope={(scope) => setDialog({ kind: 'flatten', flow: { ...dialog.flow, currency: scope } })}
          onSlippage={(text) => setDialog({ kind: 'flatten', flow: { ...dialog.flow, slippagePct: text } })}
          onConfirm={(pct) => confirmFlatten(dialog.flow, pct)}
          onClose={() => setDialog(undefined)}
        />
      ) : null}
      {helpOpen ? <HelpOverlay onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}

/** Hedges and flattens working now or finished in the last minute, compact, in the bar. */
function ExecutionsStrip({ linkOpen }: { readonly linkOpen: boolean }) {
  const executions = useEngineStore((view) => view.state?.executions);
  const nowMs = useEngineClock(1000);
  const rows = useMemo(() => recentExecutions(executions, nowMs), [executions, nowMs]);
  return <ExecutionList rows={rows} linkOpen={linkOpen} testId="executions-strip" compact />;
}
