import type { ExecutionRow } from '../../../core/protocol/index.ts';

/** Hedges and flattens in progress and just finished, as the action bar and its dialogs show them. */

export function isFinished(row: ExecutionRow): boolean {
  return row.state !== 'working';
}

/** 0–100, whole percent. */
export function progressPct(row: ExecutionRow): number {
  const fraction = Number.isFinite(row.progress) ? Math.min(1, Math.max(0, row.progress)) : 0;
  return Math.round(fraction * 100);
}

/**
 * The executions of one kind started since `sinceTsMs` (engine clock), newest first; of one
 * currency, or of any when `currency` is undefined (a flatten of everything).
 */
export function executionsSince(executions: Readonly<Record<string, ExecutionRow>> | undefined, kind: ExecutionRow['kind'], currency: string | undefined, sinceTsMs: number): readonly ExecutionRow[] {
  if (!executions) return [];
  return Object.values(executions)
    .filter((row) => row.kind === kind && row.startedTsMs >= sinceTsMs && (currency === undefined || row.currency === currency))
    .sort((a, b) => b.startedTsMs - a.startedTsMs || a.id.localeCompare(b.id));
}

/** Working executions, then those finished in the last `keepFinishedMs`, latest started first within each. */
export function recentExecutions(executions: Readonly<Record<string, ExecutionRow>> | undefined, nowMs: number, keepFinishedMs = 60_000): readonly ExecutionRow[] {
  if (!executions) return [];
  const rows = Object.values(executions).filter((row) => !isFinished(row) || nowMs - row.updatedTsMs <= keepFinishedMs);
  // By start, not by update: rows keep their place while their progress moves.
  return rows.sort((a, b) => Number(isFinished(a)) - Number(isFinished(b)) || b.startedTsMs - a.startedTsMs || a.id.localeCompare(b.id));
}

/** "flatten BTC · working 45 %". */
export function executionTitle(row: ExecutionRow): string {
  return `${row.kind} ${row.currency || 'all'} · ${row.state}${row.state === 'working' ? ` ${progressPct(row)} %` : ''}`;
}

/**
 * How far before the trader's click an execution may have started and still be the one the click
 * started: the engine stamps it on its clock, the renderer estimates that clock from pings.
 */
export const EXECUTION_CLOCK_SLACK_MS = 2_000;
