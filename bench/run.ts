import { writeFileSync } from 'node:fs';
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
 */
const ALL: readonly Benchmark[] = [...linkBenchmarks, ...pricingBenchmarks, ...marketdataBenchmarks, ...simBenchmarks, ...quotingBenchmarks, ...tradingBenchmarks, ...backtestBenchmarks, ...tickToOrderBenchmarks, ...uiBenchmarks];

const filters = process.argv.slice(2).filter((arg) => arg !== '--');
const selected = ALL.filter((bench) => filters.length === 0 || bench.metrics.some((metric) => filters.some((filter) => metric.includes(filter))));
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const bench of selected) {
  process.stdout.write(`running ${bench.metrics.join(', ')}…\n`);
  results.push(...(await bench.run()));
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
