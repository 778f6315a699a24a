import { describe, expect, it } from 'vitest';
import type { ExecutionRow } from '../../../core/protocol/index.ts';
import { executionsSince, executionTitle, isFinished, progressPct, recentExecutions } from './execution-view.ts';

function execution(id: string, fields: Partial<ExecutionRow> = {}): ExecutionRow {
  return { id, kind: 'flatten', currency: 'BTC', state: 'working', detail: '', progress: 0, startedTsMs: 100, updatedTsMs: 100, ...fields };
}

describe('execution view', () => {
  const executions = {
    old: execution('old', { startedTsMs: 10, updatedTsMs: 20, state: 'done' }),
    btc: execution('btc', { startedTsMs: 100, progress: 0.456 }),
    eth: execution('eth', { startedTsMs: 110, currency: 'ETH' }),
    hedge: execution('hedge', { kind: 'hedge', startedTsMs: 120 }),
  };

  it('finds the executions a click started', () => {
    expect(executionsSince(executions, 'flatten', 'BTC', 50).map((row) => row.id)).toEqual(['btc']);
    expect(executionsSince(executions, 'flatten', undefined, 50).map((row) => row.id)).toEqual(['eth', 'btc']);
    expect(executionsSince(executions, 'hedge', 'BTC', 0).map((row) => row.id)).toEqual(['hedge']);
    expect(executionsSince(undefined, 'hedge', 'BTC', 0)).toEqual([]);
  });

  it('lists working executions first, then those finished recently', () => {
    const rows = recentExecutions({ ...executions, done: execution('done', { state: 'failed', updatedTsMs: 150 }) }, 200, 60);
    expect(rows.map((row) => row.id)).toEqual(['hedge', 'eth', 'btc', 'done']);
    expect(recentExecutions(executions, 1_000, 60).some((row) => row.id === 'old')).toBe(false);
  });

  it('shows progress in whole percent, clamped', () => {
    expect(progressPct(executions.btc)).toBe(46);
    expect(progressPct(execution('x', { progress: 1.5 }))).toBe(100);
    expect(progressPct(execution('x', { progress: Number.NaN }))).toBe(0);
    expect(isFinished(executions.old)).toBe(true);
    expect(executionTitle(executions.btc)).toBe('flatten BTC · working 46 %');
    expect(executionTitle(execution('x', { currency: '', state: 'done' }))).toBe('flatten all · done');
  });
});
