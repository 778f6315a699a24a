import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseSweepGrid, formatRanking, rankSweep } from './sweep.ts';
import type { SweepProgress } from './sweep-pool.ts';
import { defaultWorkerCount, runSweep } from './sweep-pool.ts';
import { failWithUsage, parseCommandLine } from './cli-args.ts';

/** `npm run sweep -- --data <recording> --grid <grid.json> [--workers n] [--out dir]`: see sweep.ts. */
const USAGE = `usage: npm run sweep -- --data <recording> --grid <grid.json> [--workers <n>] [--out <dir>]
  --data     a recording file (.jsonl.gz) or a directory of daily files (npm run record)
  --grid     base parameters + lists of values (core/backtest/sweep.ts)
  --workers  worker threads (default one per core; 0 = this thread)
  --out      where ranking.json goes (default backtests/sweep-<grid name>)`;

function fail(message: string): never {
  return failWithUsage(USAGE, message);
}

const values = parseCommandLine(USAGE, { data: { type: 'string' }, grid: { type: 'string' }, workers: { type: 'string' }, out: { type: 'string' } });
if (!values.data) fail('--data is required');
if (!values.grid) fail('--grid is required');
let raw: unknown;
try {
  raw = JSON.parse(readFileSync(values.grid, 'utf8'));
} catch (error) {
  fail(`--grid: ${(error as Error).message}`);
}
const parsed = parseSweepGrid(raw);
if (!parsed.ok) fail(`--grid: ${parsed.error}`);
const { grid, sets } = parsed;
const workers = values.workers === undefined ? defaultWorkerCount(sets.length) : Number(values.workers);
if (!Number.isInteger(workers) || workers < 0) fail('--workers: expected a whole number ≥ 0');
const out = values.out ?? join('backtests', `sweep-${grid.name ?? basename(values.grid, '.json')}`);

const tty = process.stderr.isTTY;
function progress(p: SweepProgress): void {
  const fraction = p.total > 0 ? p.done / p.total : 1;
  const bar = '█'.repeat(Math.round(fraction * 30)).padEnd(30, '░');
  const eta = Number.isFinite(p.etaMs) ? `${(p.etaMs / 1000).toFixed(0)} s` : '…';
  const line = `${bar} ${p.done}/${p.total} sets  ${(p.elapsedMs / 1000).toFixed(0)} s elapsed  ETA ${eta}`;
  process.stderr.write(tty ? `\r${line}` : `${line}\n`);
}

try {
  console.error(`${sets.length} parameter sets on ${Math.min(workers, sets.length) || 'the main'} ${workers === 1 ? 'worker' : 'workers'}`);
  const outcomes = await runSweep(values.data, sets, { workers, onProgress: progress });
  if (tty) process.stderr.write('\n');
  const ranked = rankSweep(sets, outcomes, grid.rankBy);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'ranking.json');
  writeFileSync(file, `${JSON.stringify({ format: 'ows-sweep', version: 1, grid, recording: values.data, rankBy: grid.rankBy, ranking: ranked }, null, 2)}\n`);
  console.log(formatRanking(ranked, grid.rankBy));
  console.log(`wrote ${file}`);
  if (ranked.some((r) => r.error !== undefined)) process.exitCode = 1;
} catch (error) {
  if (tty) process.stderr.write('\n');
  console.error(`sweep failed: ${(error as Error).message}`);
  process.exit(1);
}
