import { useMemo } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import { rttPercentileMs } from '../../stores/engine-view.ts';
import { formatDurationMs, formatRate } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { healthLevel, heartbeatAgeMs } from '../engine/engine-health.ts';
import { haltText, limitAlerts, strategyBadges, venueFigures } from './status-view.ts';
import '../strategy/strategy.css';

/**
 * Always visible: engine health and the link; the kill switch and limits in breach; each
 * underlying's strategy mode; every venue's connection with its round trip, message rate,
 * rate-limit credits and safe mode.
 */
export function StatusBar() {
  const link = useEngineStore((view) => view.link);
  const engine = useEngineStore((view) => view.state?.engine);
  const venues = useEngineStore((view) => view.state?.venues);
  const strategies = useEngineStore((view) => view.state?.strategies);
  const limits = useEngineStore((view) => view.state?.limits);
  const kill = useEngineStore((view) => view.state?.killSwitch);
  const clockOffsetMs = useEngineStore((view) => view.clockOffsetMs);
  const rttSamplesMs = useEngineStore((view) => view.rttSamplesMs);
  const nowMs = useNow(250);
  const linkOpen = link.state === 'open';
  const ageMs = engine ? heartbeatAgeMs(engine, nowMs, clockOffsetMs) : undefined;
  const level = healthLevel(engine, ageMs ?? Infinity, linkOpen);
  const badges = useMemo(() => strategyBadges(strategies), [strategies]);
  const alerts = useMemo(() => limitAlerts(limits), [limits]);
  const figures = useMemo(() => (venues ?? []).map(venueFigures), [venues]);
  const halted = haltText(kill);

  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item level-${level}`} data-testid="engine-status">
        <span className="dot" />
        Engine {engine?.runState ?? 'unknown'}
      </span>
      <span className="status-item" data-testid="heartbeat-age" title="Time since the engine's last heartbeat">
        heartbeat {formatDurationMs(ageMs)}
        {engine ? <span className="muted"> #{engine.heartbeatSeq}</span> : null}
      </span>
      <span className="status-item" data-testid="engine-rate" title="Messages the engine published over the last second">
        {engine ? formatRate(engine.msgsPerSec) : '—'}
      </span>
      <span className={`status-item level-${linkOpen ? 'ok' : 'bad'}`} data-testid="link-status">
        link {link.state}
        {link.state === 'closed' ? <span className="muted"> ({link.reason})</span> : null}
      </span>
      <span className="status-item" title="Engine-link round trip, median of recent pings">
        rtt {formatDurationMs(rttPercentileMs(rttSamplesMs, 0.5))}
      </span>
      {halted !== '' ? (
        <span className="status-item status-halted" title={halted} data-testid="status-halted">
          {halted}
        </span>
      ) : null}
      {alerts.breaches.length > 0 || alerts.warnings > 0 ? (
        <span
          className={`status-item level-${alerts.breaches.length > 0 ? 'bad' : 'warn'}`}
          title={alerts.breaches.length > 0 ? alerts.breaches.map((row) => row.label).join(', ') : 'Limits above their warning level'}
          data-testid="status-limits"
        >
          <span className="dot" />
          {alerts.breaches.length > 0 ? `${alerts.breaches.length} limit${alerts.breaches.length === 1 ? '' : 's'} breached` : ''}
          {alerts.breaches.length > 0 && alerts.warnings > 0 ? ', ' : ''}
          {alerts.warnings > 0 ? `${alerts.warnings} warning${alerts.warnings === 1 ? '' : 's'}` : ''}
        </span>
      ) : null}
      {badges.map((badge) => (
        <span key={badge.currency} className="status-item" title={`${badge.currency} strategy: ${badge.reason}`} data-testid={`status-strategy-${badge.currency}`}>
          {badge.currency} <span className={`mode-badge mode-${badge.mode}`}>{badge.mode}</span>
        </span>
      ))}
      <span className="status-spacer" />
      {figures.length === 0 ? (
        <span className="status-item level-warn" data-testid="venue-status">
          no venue connected
        </span>
      ) : (
        figures.map((venue) => (
          <span key={venue.venueId} className="status-venue" data-testid={`venue-${venue.venueId}`}>
            {venue.safeMode ? (
              <span className="status-item status-safe-mode" title="The venue's rate limit was hit: everything but cancels is held back" data-testid="venue-safe-mode">
                SAFE MODE
              </span>
            ) : null}
            {venue.rtt !== '' ? (
              <span className="status-item muted" title="Round trip of the venue's last answered request" data-testid="venue-rtt">
                {venue.rtt}
              </span>
            ) : null}
            {venue.rate !== '' ? (
              <span className="status-item muted" title={venue.rateTitle} data-testid="venue-rate">
                {venue.rate}
              </span>
            ) : null}
            {venue.credits !== '' ? (
              <span className={`status-item${venue.creditsLevel === 'ok' ? ' muted' : ` level-${venue.creditsLevel}`}`} title="Rate-limit credits left of the ceiling (matching engine)" data-testid="venue-credits">
                {venue.credits}
              </span>
            ) : null}
            <span className={`status-item level-${venue.level}`} data-testid="venue-status" title={venue.title}>
              {venue.label}
            </span>
          </span>
        ))
      )}
    </footer>
  );
}
