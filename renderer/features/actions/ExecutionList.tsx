import type { ExecutionRow } from '../../../core/protocol/index.ts';
import { sendCommand } from '../../link/connection.ts';
import { executionTitle, progressPct } from './execution-view.ts';

/** Hedges and flattens with their progress, detail, final report and a Cancel for those working. */
export function ExecutionList({ rows, linkOpen, testId, compact = false }: { readonly rows: readonly ExecutionRow[]; readonly linkOpen: boolean; readonly testId: string; readonly compact?: boolean }) {
  if (rows.length === 0) return null;
  return (
    <ul className={`execution-list${compact ? ' execution-list-compact' : ''}`} data-testid={testId}>
      {rows.map((row) => (
        <li key={row.id} className={`execution execution-${row.state}`} data-testid={`execution-${row.id}`} title={row.report ?? row.detail}>
          <span className="execution-title">{executionTitle(row)}</span>
          <progress max={100} value={progressPct(row)} />
          {compact ? null : <span className="execution-detail">{row.detail}</span>}
          {row.state === 'working' ? (
            <button type="button" className="button button-small" disabled={!linkOpen} onClick={() => sendCommand({ type: 'CancelExecution', executionId: row.id })} data-testid={`cancel-execution-${row.id}`}>
              Stop
            </button>
          ) : null}
          {!compact && row.report ? (
            <pre className="execution-report" data-testid={`execution-report-${row.id}`}>
              {row.report}
            </pre>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
