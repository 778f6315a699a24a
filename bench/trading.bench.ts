import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureJournal } from '../core/journal/measure-append.ts';
import { LIVE_STATES } from '../core/oms/order-state.ts';
import { engineOnSimulator } from '../test/support/engine-on-simulator.ts';
import type { EngineOnSimulator } from '../test/support/engine-on-simulator.ts';
import { median, percentile } from './stats.ts';
import type { Benchmark, BenchResult } from './types.ts';

/**
 * kill_switch_ms: the engine quoting the simulator (real adapter, 127.0.0.1, market-maker rate
 * tier) with a hundred or more orders resting; the trader's KillSwitch command at t0; the time
 * until the engine knows every order cancelled (the venue's acknowledgements folded in). Target
 * ≤ 1,000 ms. Between rounds the halt is acknowledged and quoting resumed.
 */
const ROUNDS = 5;
const MIN_RESTING = 100;

function liveOrders(setup: EngineOnSimulator): number {
  return Object.values(setup.engine.snapshot().orders).filter((order) => LIVE_STATES.has(order.state)).length;
}

async function killSwitch(): Promise<BenchResult[]> {
  const setup = await engineOnSimulator(7, {}, { quoteOnStart: true });
  const samples: number[] = [];
  let resting = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await setup.tickUntil(() => liveOrders(setup) >= MIN_RESTING, `${MIN_RESTING} orders resting`, 60_000);
      resting += liveOrders(setup);
      const t0 = performance.now();
      const kill = setup.engine.handle({ type: 'KillSwitch', commandId: `k${round}`, reason: 'benchmark' });
      setup.link.perform(kill.requests);
      await setup.waitFor(() => liveOrders(setup) === 0, 'every order cancelled', 10_000);
      samples.push(performance.now() - t0);
      setup.engine.handle({ type: 'AcknowledgeHalt', commandId: `a${round}`, acknowledgement: 'I have checked positions and orders' });
      setup.engine.handle({ type: 'SetStrategyMode', commandId: `r${round}`, currency: 'BTC', mode: 'ACTIVE' });
    }
  } finally {
    await setup.close();
  }
  return [
    {
      name: 'kill_switch_ms',
      value: Math.round(median(samples)),
      unit: 'ms',
      note: `trigger → last cancel acknowledged, ${ROUNDS} rounds with ${Math.round(resting / ROUNDS)} orders resting on average (median; worst ${Math.round(percentile(samples, 1))} ms); target ≤ 1,000 ms`,
    },
  ];
}

export const benchmarks: readonly Benchmark[] = [
  { metrics: ['kill_switch_ms'], run: killSwitch },
  {
    metrics: ['journal_append_us', 'journal_append_verified_us', 'journal_append_fsync_us', 'journal_group_commit_us_per_record', 'journal_compact_ms', 'journal_open_records_per_s'],
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'journal-bench-'));
      try {
        return measureJournal(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
