import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BacktestParams } from './params.ts';
import { DEFAULT_PARAMS, parseBacktestParams } from './params.ts';
import { buildReport, renderHtml } from './report.ts';
import type { BacktestProgress } from './run.ts';
import { runBacktest } from './run.ts';
import { failWithUsage, parseCommandLine } from './cli-args.ts';

/**
 * `npm run backtest -- --data <recording file or directory> [--params <file.json>] [--out <dir>] [--name <name>]`
 * Replays the recording through the engine with the fill simulator and writes report.json and
 * report.html into the output directory (default: backtests/<name>).
 */
const USAGE = `usage: npm run backtest -- --data <recording> [--params <params.json>] [--out <dir>] [--name <name>] [--log]
  --data     a recording file (.jsonl.gz) or a directory of daily files (npm run record)
  --params   backtest parameters (core/backtest/params.ts): seed, queue, latency, fees, commands, limits
  --out      where report.json and report.html go (default backtests/<name>)
  --log      also write the decision log (decisions.log)`;

function fail(message: string): never {
  return failWithUsage(USAGE, message);
}

const values = parseCommandLine(USAGE, { data: { type: 'string' }, params: { type: 'string' }, out: { type: 'string' }, name: { type: 'string' }, log: { type: 'boolean' } });
if (!values.data) fail('--data is required');

let params: BacktestParams = DEFAULT_PARAMS;
if (values.params) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.params, 'utf8'));
  } catch (error) {
    fail(`--params: ${(error as Error).message}`);
  }
  const parsed = parseBacktestParams(raw);
  if (!parsed.ok) fail(`--params: ${parsed.error}`);
  params = parsed.params;
}
const name = values.name ?? params.name ?? `${basename(resolve(values.data)).replace(/\.jsonl(\.gz)?$/, '')}${values.params ? `-${basename(values.params, '.json')}` : ''}`;
const out = values.out ?? join('backtests', name);

const tty = process.stderr.isTTY;
let lastDraw = 0;
function progress(p: BacktestProgress): void {
  const now = p.elapsedMs;
  if (now - lastDraw < 200 && p.bytesRead < p.bytesTotal) return;
  lastDraw = now;
  const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const width = 30;
  const bar = '█'.repeat(Math.round(fraction * width)).padEnd(width, '░');
  const etaS = fraction > 0 ? ((now / fraction) * (1 - fraction)) / 1000 : NaN;
  const rate = now > 0 ? (p.frames / now) * 1000 : 0;
  const line = `${bar} ${(fraction * 100).toFixed(1).padStart(5)} %  ${p.frames} frames  ${Math.round(rate)} /s  ${(p.simulatedMs / 60_000).toFixed(1)} min simulated  ETA ${Number.isFinite(etaS) ? `${etaS.toFixed(0)} s` : '…'}`;
  process.stderr.write(tty ? `\r${line}` : `${line}\n`);
}

try {
  const run = await runBacktest(values.data, params, { onProgress: progress, keepLog: values.log ?? false });
  if (tty) process.stderr.write('\n');
  const report = buildReport(run, name);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(report)}\n`);
  writeFileSync(join(out, 'report.html'), renderHtml(report));
  if (run.log) writeFileSync(join(out, 'decisions.log'), `${run.log.join('\n')}\n`);
  const s = report.summary;
  console.log(`PnL ${s.totalPnlUsd.toFixed(2)} USD (spread ${s.attribution.spreadUsd.toFixed(2)}, hedging ${s.attribution.hedgingUsd.toFixed(2)}, delta ${s.attribution.deltaUsd.toFixed(2)}, vega ${s.attribution.vegaUsd.toFixed(2)}, theta ${s.attribution.thetaUsd.toFixed(2)}, gamma & other ${s.attribution.gammaOtherUsd.toFixed(2)}, fees ${(-s.attribution.feesUsd).toFixed(2)})`);
  console.log(`${s.fills} fills, ${s.limitBreaches} limit breaches, max drawdown ${s.maxDrawdownUsd.toFixed(2)} USD; ${run.stats.frames} frames in ${(run.wallMs / 1000).toFixed(1)} s (${Math.round(report.performance.eventsPerSec)} /s, ${report.performance.speedup.toFixed(1)}× real time)`);
  console.log(`decision log sha256 ${s.decisionLogHash}`);
  console.log(`wrote ${join(out, 'report.json')} and ${join(out, 'report.html')}`);
  if (run.rejectedLines > 0) console.log(`${run.rejectedLines} recording lines were not readable and were skipped`);
} catch (error) {
  if (tty) process.stderr.write('\n');
  console.error(`backtest failed: ${(error as Error).message}`);
  process.exit(1);
}
