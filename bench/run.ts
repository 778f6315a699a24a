import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchmarks as backtestBenchmarks } from './backtest.bench.ts';
import { benchmarks as linkBenchmarks } from './link.bench.ts';
import { benchmarks as marketdataBenchmarks } from './marketdata.bench.ts';
import { benchmarks as pricingBenchmarks } from './pricing.bench.ts';
import { benchmarks as quotingBenchmarks } from './quoting.bench.ts';
import { benchmarks as simBenchmarks } from './sim.bench.ts';
import { benchmarks as tickToOrderBenchmarks } from './tick-to-order.bench.ts';
import { benchmarks as tradingBenchmarks } from './trading.bench.ts';
import { benchmarks as uiBenchmarks } from './ui.bench.ts';
import type { Benchmark, BenchResult } from './types.ts';

/**
 * `npm run bench [-- <filter>…]`: runs the benchmarks with a metric name containing any filter
 * (all without one), prints a table and writes bench/results.json. Benchmarks measure; they
 * never fail on a target — targets are stated in notes and read by people.
 *
 * Each benchmark runs in a process of its own (this file again, with BENCH_CHILD naming it, and
 * the same Node flags), as each of the programs it measures does: code shared by several
 * benchmarks (parsers, books, the quoter) is otherwise compiled for whatever the earlier ones fed
 * it, and their heap is still there. In one process the replay measured 161k frames/s after the
 * others against 185k alone.
 */
const ALL: readonly Benchmark[] = [...linkBenchmarks, ...pricingBenchmarks, ...marketdataBenchmarks, ...simBenchmarks, ...quotingBenchmarks, ...tradingBenchmarks, ...backtestBenchmarks, ...tickToOrderBenchmarks, ...uiBenchmarks];

/** In a child: the benchmark's results, to the parent. */
async function runChild(index: number): Promise<void> {
  const bench = ALL[index];
  if (!bench) throw new Error(`BENCH_CHILD=${index}: no such benchmark`);
  const results = await bench.run();
  await new Promise<void>((resolve, reject) => process.send!(results, (error: Error | null) => (error ? reject(error) : resolve())));
  process.exit(0);
}

/** Runs ALL[index] in a fresh process; its results, or an error saying how it ended. */
function runIsolated(index: number): Promise<readonly BenchResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { execArgv: process.execArgv, env: { ...process.env, BENCH_CHILD: String(index) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let results: readonly BenchResult[] | undefined;
    child.on('message', (message) => {
      results = message as readonly BenchResult[];
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (results && code === 0) resolve(results);
      else reject(new Error(`${ALL[index]!.metrics.join(', ')}: the benchmark's process ended with ${signal ?? `code ${code}`}${results ? '' : ' before reporting'}`));
    });
  });
}

const childIndex = process.env.BENCH_CHILD;
if (childIndex !== undefined) {
  await runChild(Number(childIndex));
}

const filters = process.argv.slice(2).filter((arg) => arg !== '--');
const selected = ALL.filter((bench) => filters.length === 0 || bench.metrics.some((metric) => filters.some((filter) => metric.includes(filter))));
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}

const results: BenchResult[] = [];
const failures: string[] = [];
for (const bench of selected) {
  process.stdout.write(`running ${bench.metrics.join(', ')}…\n`);
  try {
    results.push(...(await runIsolated(ALL.indexOf(bench))));
  } catch (error) {
    failures.push((error as Error).message);
    console.error((error as Error).message);
  }
}
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const rows = results.map((result) => [
  result.name,
  `${result.value} ${result.unit}`,
  result.peer ? `${result.peer.name}: ${result.peer.value} ${result.unit}` : '',
  result.note ?? '',
]);
const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length), 6));
for (const row of rows) console.log(row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  '));
console.log(`wrote bench/results.json (${results.length} results)`);
if (failures.length > 0) {
  console.error(`${failures.length} benchmark(s) failed:\n${failures.join('\n')}`);
  process.exit(1);
}
