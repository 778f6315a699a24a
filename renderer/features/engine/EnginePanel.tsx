import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { rttPercentileMs } from '../../stores/engine-view.ts';
import { formatClock, formatDurationMs, formatRate } from '../../ui/format.ts';
import { useNow } from '../../ui/use-now.ts';
import { heartbeatAgeMs } from './engine-health.ts';

/** Engine health in detail, and a ping that measures the engine-link round trip. */
export function EnginePanel() {
  const engine = useEngineStore((view) => view.state?.engine);
  const clockOffsetMs = useEngineStore((view) => view.clockOffsetMs);
  const rttSamplesMs = useEngineStore((view) => view.rttSamplesMs);
  const linkOpen = useEngineStore((view) => view.link.state === 'open');
  const nowMs = useNow(250);

  if (!engine) return <div className="panel-empty">Waiting for the engine’s first snapshot…</div>;
  const rows: ReadonlyArray<readonly [string, string, string?]> = [
    ['State', engine.runState + (engine.reason ? ` (${engine.reason})` : ''), 'engine-run-state'],
    ['Heartbeat', `#${engine.heartbeatSeq}, ${formatDurationMs(heartbeatAgeMs(engine, nowMs, clockOffsetMs))} ago`, 'engine-heartbeat'],
    ['Published', formatRate(engine.msgsPerSec)],
    ['Up since', `${formatClock(engine.startedTsMs)} (${formatDurationMs(nowMs + clockOffsetMs - engine.startedTsMs)})`],
    ['Restarts', String(engine.restarts)],
    ['Engine version', engine.version],
    ['Link round trip', `p50 ${formatDurationMs(rttPercentileMs(rttSamplesMs, 0.5))} · p99 ${formatDurationMs(rttPercentileMs(rttSamplesMs, 0.99))} (${rttSamplesMs.length} pings)`, 'engine-rtt'],
  ];
  return (
    <div className="panel-body">
      <table className="kv-table">
        <tbody>
          {rows.map(([label, value, testId]) => (
            <tr key={label}>
              <th>{label}</th>
              <td data-testid={testId}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" disabled={!linkOpen} data-testid="ping-button" onClick={() => sendCommand({ type: 'Ping', clientTsMs: Date.now() })}>
        Ping engine
      </button>
    </div>
  );
}
