import { useEngineStore } from '../../stores/engine-store.ts';
import { rttPercentileMs } from '../../stores/engine-view.ts';
import { formatDurationMs, formatRate } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { healthLevel, heartbeatAgeMs } from '../engine/engine-health.ts';

/** Always visible: engine health, the link, and every venue's connection state. */
export function StatusBar() {
  const link = useEngineStore((view) => view.link);
  const engine = useEngineStore((view) => view.state?.engine);
  const venues = useEngineStore((view) => view.state?.venues);
  const clockOffsetMs = useEngineStore((view) => view.clockOffsetMs);
  const rttSamplesMs = useEngineStore((view) => view.rttSamplesMs);
  const nowMs = useNow(250);
  const linkOpen = link.state === 'open';
  const ageMs = engine ? heartbeatAgeMs(engine, nowMs, clockOffsetMs) : undefined;
  const level = healthLevel(engine, ageMs ?? Infinity, linkOpen);

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
      <span className="status-spacer" />
      {venues === undefined || venues.length === 0 ? (
        <span className="status-item level-warn" data-testid="venue-status">
          no venue connected
        </span>
      ) : (
        venues.map((venue) => (
          <span key={venue.venueId} className={`status-item level-${venue.state === 'connected' ? 'ok' : 'bad'}`} data-testid="venue-status" title={venue.detail}>
            {venue.displayName} {venue.state}
          </span>
        ))
      )}
    </footer>
  );
}
