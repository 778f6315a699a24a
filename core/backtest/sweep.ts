import { z } from 'zod';
import { QuotingParamsPatchSchema } from '../quoting/index.ts';
import { parseBacktestParams } from './params.ts';
import type { PnlPoint } from './pnl.ts';
import { riskAdjusted } from './report.ts';

/**
 * Parameter sweeps (pure parts): the grid file, its expansion into parameter sets, one run's
 * summary, the ranking and its table. Running them (in worker threads) is in sweep-pool.ts.
 *
 * Grid file (`--grid`):
 *
 *   { "name": "width", "base": { …backtest params (params.ts)… }, "currency": "BTC",
 *     "vary": { "quoting.baseHalfWidthVolPts": [0.5, 1, 2], "queue": ["conservative", "probabilistic"],
 *               "latency.orderEntry.ms": [5, 50] },
 *     "rankBy": "sharpeDaily" }
 *
 * Every combination of the `vary` lists is one set (the Cartesian product, first key slowest).
 * A `quoting.<key>` path sets a quoting parameter: the set's values for those keys go into one
 * SetQuotingParams command for `currency`, appended after the base's commands. Any other path is
 * a dotted path into the base parameters (objects created on the way). Every set is validated
 * (params.ts and the quoting patch schema) before anything runs.
 */

export const MAX_SWEEP_SETS = 1_000;

const Value = z.union([z.number().finite(), z.string().max(200), z.boolean()]);
type Value = z.infer<typeof Value>;

export const SweepGridSchema = z
  .object({
    name: z.string().max(200).optional(),
    base: z.record(z.string(), z.unknown()).default({}),
    currency: z.string().regex(/^[A-Z]{2,10}$/).default('BTC'),
    vary: z
      .record(z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/).max(200), z.array(Value).min(1).max(100))
      .refine((v) => Object.keys(v).length > 0 && Object.keys(v).length <= 10, 'vary: 1 to 10 keys'),
    rankBy: z.enum(['sharpeDaily', 'totalPnlUsd', 'pnlOverDrawdown']).default('sharpeDaily'),
  })
  .strict();

export type SweepGrid = z.infer<typeof SweepGridSchema>;
export type RankBy = SweepGrid['rankBy'];

export interface SweepSet {
  readonly index: number;
  readonly name: string;
  /** The varied keys and this set's values. */
  readonly values: Readonly<Record<string, Value>>;
  /** Raw backtest parameters (params.ts input), validated. */
  readonly raw: Record<string, unknown>;
}

export type ParsedGrid = { readonly ok: true; readonly grid: SweepGrid; readonly sets: readonly SweepSet[] } | { readonly ok: false; readonly error: string };

function setPath(target: Record<string, unknown>, path: string, value: Value): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else node = node[key] = {};
  }
  node[keys[keys.length - 1]!] = value;
}

/** Validates a grid and expands it into its parameter sets. */
export function parseSweepGrid(input: unknown): ParsedGrid {
  const parsed = SweepGridSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  const grid = parsed.data;
  const keys = Object.keys(grid.vary);
  const total = keys.reduce((n, k) => n * grid.vary[k]!.length, 1);
  if (total > MAX_SWEEP_SETS) return { ok: false, error: `vary: ${total} sets, at most ${MAX_SWEEP_SETS}` };
  const baseName = grid.name ?? (typeof grid.base.name === 'string' ? grid.base.name : 'sweep');
  const sets: SweepSet[] = [];
  for (let index = 0; index < total; index++) {
    const values: Record<string, Value> = {};
    let rest = index;
    for (let i = keys.length - 1; i >= 0; i--) {
      const list = grid.vary[keys[i]!]!;
      values[keys[i]!] = list[rest % list.length]!;
      rest = Math.floor(rest / list.length);
    }
    const ordered: Record<string, Value> = {};
    for (const key of keys) ordered[key] = values[key]!;
    const raw = structuredClone(grid.base);
    const patch: Record<string, Value> = {};
    for (const key of keys) {
      if (key.startsWith('quoting.')) patch[key.slice('quoting.'.length)] = ordered[key]!;
      else setPath(raw, key, ordered[key]!);
    }
    const name = `${baseName}#${index} ${keys.map((k) => `${k}=${String(ordered[k])}`).join(' ')}`;
    raw.name = name.slice(0, 200);
    if (Object.keys(patch).length > 0) {
      const checked = QuotingParamsPatchSchema.safeParse(patch);
      if (!checked.success) return { ok: false, error: `set ${index} (${name}): quoting.${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? 'invalid'}` };
      const commands = Array.isArray(raw.commands) ? [...(raw.commands as unknown[])] : [];
      commands.push({ type: 'SetQuotingParams', commandId: `sweep-${index}`, currency: grid.currency, patch });
      raw.commands = commands;
    }
    const params = parseBacktestParams(raw);
    if (!params.ok) return { ok: false, error: `set ${index} (${name}): ${params.error}` };
    sets.push({ index, name, values: ordered, raw });
  }
  return { ok: true, grid, sets };
}

/** What one run of a sweep reports (small: it crosses the worker boundary). */
export interface SweepOutcome {
  readonly index: number;
  readonly totalPnlUsd: number;
  readonly sharpeDaily: number;
  readonly maxDrawdownUsd: number;
  readonly fills: number;
  readonly limitBreaches: number;
  readonly decisionLogHash: string;
  readonly wallMs: number;
  readonly error?: string;
}

export function summariseRun(index: number, run: { readonly pnl: readonly PnlPoint[]; readonly fills: readonly unknown[]; readonly breaches: readonly unknown[]; readonly decisionLogHash: string; readonly wallMs: number }): SweepOutcome {
  const { sharpeDaily, maxDrawdownUsd } = riskAdjusted(run.pnl);
  return {
    index,
    totalPnlUsd: run.pnl[run.pnl.length - 1]?.totalUsd ?? 0,
    sharpeDaily,
    maxDrawdownUsd,
    fills: run.fills.length,
    limitBreaches: run.breaches.length,
    decisionLogHash: run.decisionLogHash,
    wallMs: run.wallMs,
  };
}

export function failedOutcome(index: number, error: string): SweepOutcome {
  return { index, totalPnlUsd: NaN, sharpeDaily: NaN, maxDrawdownUsd: NaN, fills: 0, limitBreaches: 0, decisionLogHash: '', wallMs: 0, error };
}

export function score(outcome: SweepOutcome, rankBy: RankBy): number {
  if (outcome.error !== undefined) return -Infinity;
  const value = rankBy === 'sharpeDaily' ? outcome.sharpeDaily : rankBy === 'totalPnlUsd' ? outcome.totalPnlUsd : outcome.totalPnlUsd / Math.max(outcome.maxDrawdownUsd, 1);
  return Number.isFinite(value) ? value : -Infinity;
}

export interface RankedSet extends SweepOutcome {
  readonly rank: number;
  readonly name: string;
  readonly values: Readonly<Record<string, Value>>;
  readonly score: number;
}

/**
 * Best first by the risk-adjusted score; ties by total PnL, then by set index, so the ranking
 * depends only on the outcomes (not on which worker finished first).
 */
export function rankSweep(sets: readonly SweepSet[], outcomes: readonly SweepOutcome[], rankBy: RankBy): RankedSet[] {
  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  const rows = sets.map((set) => {
    const outcome = byIndex.get(set.index) ?? failedOutcome(set.index, 'not run');
    return { ...outcome, name: set.name, values: set.values, score: score(outcome, rankBy) };
  });
  rows.sort((a, b) => b.score - a.score || (Number.isFinite(b.totalPnlUsd) ? b.totalPnlUsd : -Infinity) - (Number.isFinite(a.totalPnlUsd) ? a.totalPnlUsd : -Infinity) || a.index - b.index);
  return rows.map((row, i) => ({ ...row, rank: i + 1 }));
}

/** A plain-text table of a ranking (the CLI prints it). */
export function formatRanking(ranked: readonly RankedSet[], rankBy: RankBy, limit = 20): string {
  const keys = Object.keys(ranked[0]?.values ?? {});
  const header = ['#', 'set', ...keys, 'PnL USD', 'Sharpe/d', 'max DD', 'fills', rankBy === 'pnlOverDrawdown' ? 'PnL/DD' : ''].filter((h) => h !== '');
  const rows = ranked.slice(0, limit).map((r) => {
    const cells = [String(r.rank), String(r.index), ...keys.map((k) => String(r.values[k]))];
    if (r.error !== undefined) return [...cells, `failed: ${r.error}`];
    cells.push(r.totalPnlUsd.toFixed(2), r.sharpeDaily.toFixed(2), r.maxDrawdownUsd.toFixed(2), String(r.fills));
    if (rankBy === 'pnlOverDrawdown') cells.push(r.score.toFixed(2));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < widths.length ? c.padStart(widths[i]!) : c)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
