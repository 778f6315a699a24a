import { useMemo } from 'react';
import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { breachSummary, limitAlerts } from '../status-bar/status-view.ts';

/**
 * Shown across the top whenever the engine is not running. Restart needs the trader's click:
 * the host never restarts a dead engine by itself.
 */
export function EngineBanner() {
  const engine = useEngineStore((view) => view.state?.engine);
  const link = useEngineStore((view) => view.link);
  const restartPending = useEngineStore((view) => Object.values(view.pending).some((pending) => pending.type === 'RestartEngine'));

  if (link.state === 'closed') {
    return (
      <div className="banner banner-bad" role="alert" data-testid="banner">
        Engine link lost: {link.reason}. {link.willRetry ? 'Reconnecting…' : 'Reload the window to reconnect.'}
      </div>
    );
  }
  if (!engine || (engine.runState !== 'stalled' && engine.runState !== 'exited')) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="banner">
      Engine {engine.runState}
      {engine.reason ? `: ${engine.reason}` : ''}. Nothing it owns is being updated.
      <button type="button" className="button button-danger" disabled={restartPending} onClick={() => sendCommand({ type: 'RestartEngine' })}>
        {restartPending ? 'Restarting…' : 'Acknowledge and restart engine'}
      </button>
    </div>
  );
}

/**
 * Shown across the top while any risk limit is in breach: the worst one (value, limit, what the
 * engine does about it) and how many more. The kill switch's halt has its own strip in the action
 * bar, with the acknowledgement.
 */
export function LimitBreachBanner() {
  const limits = useEngineStore((view) => view.state?.limits);
  const alerts = useMemo(() => limitAlerts(limits), [limits]);
  if (alerts.breaches.length === 0) return null;
  return (
    <div className="banner banner-breach" role="alert" data-testid="breach-banner">
      <strong>LIMIT BREACHED</strong>
      <span data-testid="breach-summary">{breachSummary(alerts)}</span>
    </div>
  );
}
