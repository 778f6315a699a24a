import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSimulator } from './sim-recording.ts';
import { formatRanking, parseSweepGrid, rankSweep } from './sweep.ts';
import type { SweepOutcome } from './sweep.ts';
import { runSweep } from './sweep-pool.ts';

describe('sweep grid', () => {
  it('expands the Cartesian product, quoting keys into one SetQuotingParams command', () => {
    const parsed = parseSweepGrid({ name: 'w', base: { seed: 3, commands: [], latency: { orderEntry: { kind: 'constant', ms: 1 } } }, vary: { 'quoting.baseHalfWidthVolPts': [0.5, 2], 'latency.orderEntry.ms': [5, 50], queue: ['probabilistic'] }, rankBy: 'pnlOverDrawdown' });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.sets).toHaveLength(4);
    expect(parsed.sets.map((s) => s.values)).toEqual([
      { 'quoting.baseHalfWidthVolPts': 0.5, 'latency.orderEntry.ms': 5, queue: 'probabilistic' },
      { 'quoting.baseHalfWidthVolPts': 0.5, 'latency.orderEntry.ms': 50, queue: 'probabilistic' },
      { 'quoting.baseHalfWidthVolPts': 2, 'latency.orderEntry.ms': 5, queue: 'probabilistic' },
      { 'quoting.baseHalfWidthVolPts': 2, 'latency.orderEntry.ms': 50, queue: 'probabilistic' },
    ]);
    const set = parsed.sets[3]!.raw;
    expect(set.latency).toEqual({ orderEntry: { kind: 'constant', ms: 50 } });
    expect(set.commands).toEqual([{ type: 'SetQuotingParams', commandId: 'sweep-3', currency: 'BTC', patch: { baseHalfWidthVolPts: 2 } }]);
    expect(set.seed).toBe(3);
  });

  it('refuses bad grids and bad sets, saying which', () => {
    expect(parseSweepGrid({ vary: {} }).ok).toBe(false);
    expect(parseSweepGrid({ vary: { queue: [] } }).ok).toBe(false);
    expect(parseSweepGrid({ vary: { queue: ['x'] }, extra: 1 }).ok).toBe(false);
    const badQuoting = parseSweepGrid({ vary: { 'quoting.noSuchKey': [1] } });
    expect(badQuoting.ok ? '' : badQuoting.error).toMatch(/set 0/);
    const badParams = parseSweepGrid({ vary: { queue: ['conservative', 'fifo'] } });
    expect(badParams.ok ? '' : badParams.error).toMatch(/set 1 .*queue/);
    const tooMany = parseSweepGrid({ vary: { a: Array.from({ length: 40 }, (_, i) => i), b: Array.from({ length: 40 }, (_, i) => i) } });
    expect(tooMany.ok ? '' : tooMany.error).toMatch(/1600 sets/);
  });

  it('ranks by the risk-adjusted score, ties by PnL then index, failures last', () => {
    const parsed = parseSweepGrid({ vary: { seed: [1, 2, 3, 4] } });
    if (!parsed.ok) throw new Error(parsed.error);
    const o = (index: number, sharpeDaily: number, totalPnlUsd: number, error?: string): SweepOutcome => ({ index, sharpeDaily, totalPnlUsd, maxDrawdownUsd: 1, fills: 1, limitBreaches: 0, decisionLogHash: 'h', wallMs: 1, ...(error && { error }) });
    const outcomes = [o(0, 1, 10), o(1, 2, 5), o(2, 1, 20), o(3, 9, 99, 'boom')];
    const ranked = rankSweep(parsed.sets, [...outcomes].reverse(), 'sharpeDaily');
    expect(ranked.map((r) => r.index)).toEqual([1, 2, 0, 3]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(rankSweep(parsed.sets, outcomes, 'totalPnlUsd').map((r) => r.index)).toEqual([2, 0, 1, 3]);
    expect(formatRanking(ranked, 'sharpeDaily')).toMatch(/failed: boom/);
  });
});

describe('sweep runs', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    await recordSimulator({ directory: dir, seed: 11, startMs: Date.UTC(2026, 10, 21, 12), durationMs: 8_000, schedule: { dailies: 1, weeklies: 0, monthlies: 0, quarterlies: 0 } });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same ranking in 2 worker threads as in one thread', async () => {
    const parsed = parseSweepGrid({ base: { sampleIntervalMs: 500 }, vary: { 'quoting.baseHalfWidthVolPts': [0.5, 2], queue: ['conservative', 'probabilistic'] } });
    if (!parsed.ok) throw new Error(parsed.error);
    const progress: number[] = [];
    const parallel = await runSweep(dir, parsed.sets, { workers: 2, onProgress: (p) => progress.push(p.done) });
    const sequential = await runSweep(dir, parsed.sets, { workers: 0 });
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    expect(parallel.every((o) => o.error === undefined)).toBe(true);
    expect(parallel.some((o) => o.fills > 0)).toBe(true);
    const strip = (outcomes: readonly SweepOutcome[]) => outcomes.map(({ wallMs: _, ...rest }) => rest);
    expect(strip(parallel)).toEqual(strip(sequential));
    const a = rankSweep(parsed.sets, parallel, 'sharpeDaily').map((r) => [r.index, r.decisionLogHash]);
    const b = rankSweep(parsed.sets, sequential, 'sharpeDaily').map((r) => [r.index, r.decisionLogHash]);
    expect(a).toEqual(b);
  }, 60_000);
});
