import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordLine } from '../venues/recorder/format.ts';
import { parseBacktestParams } from './params.ts';
import type { BacktestParams } from './params.ts';
import { attributionSum } from './pnl.ts';
import { ReplayDriver } from './replay.ts';
import { runBacktest } from './run.ts';
import { recordSimulator } from './sim-recording.ts';

const LIGHT = { dailies: 1, weeklies: 1, monthlies: 0, quarterlies: 1 };
let dir = '';

function params(raw: unknown): BacktestParams {
  const parsed = parseBacktestParams(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.params;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'replay-'));
  await recordSimulator({ directory: dir, seed: 11, startMs: Date.UTC(2026, 10, 21, 12), durationMs: 20_000, schedule: LIGHT });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay through the engine', () => {
  it('is deterministic: the same recording and parameters give the same decision log', async () => {
    const p = params({ seed: 3, queue: 'probabilistic', latency: { orderEntry: { kind: 'samples', samplesMs: [2, 5, 9] }, marketData: { kind: 'constant', ms: 1 } } });
    const a = await runBacktest(dir, p, { keepLog: true });
    const b = await runBacktest(dir, p, { keepLog: true });
    expect(a.stats.requests).toBeGreaterThan(0);
    expect(a.fills.length).toBeGreaterThan(0);
    expect(b.log).toEqual(a.log);
    expect(b.decisionLogHash).toBe(a.decisionLogHash);
    const other = await runBacktest(dir, params({ seed: 3, latency: { orderEntry: { kind: 'constant', ms: 50 } } }));
    expect(other.decisionLogHash).not.toBe(a.decisionLogHash);
  }, 60_000);

  it('attributes PnL in terms that sum to the total at every sample', async () => {
    const run = await runBacktest(dir, params({}));
    expect(run.pnl.length).toBeGreaterThan(10);
    for (const point of run.pnl) expect(attributionSum(point)).toBeCloseTo(point.totalUsd, 6);
    const last = run.pnl[run.pnl.length - 1]!;
    expect(last.fills).toBe(run.fills.length);
    expect(last.feesUsd).toBeGreaterThan(0);
  }, 60_000);
});

describe('latency', () => {
  /** A hand-built market: one option, a book, then a sell print at the bid 300 ms later. */
  function lines(): RecordLine[] {
    const t0 = Date.UTC(2026, 10, 21, 12);
    const instrument = { instrument_name: 'BTC-27NOV26-100000-C', kind: 'option', base_currency: 'BTC', tick_size: 0.0001, min_trade_amount: 0.1, contract_size: 1, expiration_timestamp: Date.UTC(2026, 10, 27, 8), settlement_period: 'week', option_type: 'call', strike: 100000 };
    const frame = (data: unknown, channel: string): string => JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
    return [
      { kind: 'out', sentTsMs: t0, id: 1, method: 'public/get_instruments', params: {} },
      { kind: 'in', receivedTsMs: t0, text: JSON.stringify({ jsonrpc: '2.0', id: 1, result: [instrument] }) },
      { kind: 'in', receivedTsMs: t0 + 1, text: frame({ index_name: 'btc_usd', price: 95000, timestamp: t0 }, 'deribit_price_index.btc_usd') },
      { kind: 'in', receivedTsMs: t0 + 2, text: frame({ type: 'snapshot', timestamp: t0, instrument_name: instrument.instrument_name, change_id: 1, bids: [['new', 0.05, 5]], asks: [['new', 0.051, 5]] }, `book.${instrument.instrument_name}.100ms`) },
      { kind: 'in', receivedTsMs: t0 + 3, text: frame({ instrument_name: instrument.instrument_name, timestamp: t0, mark_price: 0.0505, mark_iv: 55, underlying_price: 95500, greeks: { delta: 0.3, gamma: 0.00002, vega: 40, theta: -60 } }, `ticker.${instrument.instrument_name}.100ms`) },
      { kind: 'in', receivedTsMs: t0 + 300, text: frame([{ trade_id: '1', instrument_name: instrument.instrument_name, price: 0.05, amount: 10, direction: 'sell', timestamp: t0 + 300 }], 'trades.option.BTC.100ms') },
      { kind: 'in', receivedTsMs: t0 + 1000, text: frame({ index_name: 'btc_usd', price: 95000, timestamp: t0 + 1000 }, 'deribit_price_index.btc_usd') },
    ];
  }
  /** The trader joins the bid by hand (a manual order) when connected, at the first tick (t0 + 100 ms); the print is at t0 + 300 ms. */
  const join = (orderEntryMs: number): BacktestParams =>
    params({
      latency: { orderEntry: { kind: 'constant', ms: orderEntryMs }, marketData: { kind: 'constant', ms: 0 } },
      commands: [{ type: 'SetStrategyMode', commandId: 'p', currency: 'BTC', mode: 'PAUSED' }, { type: 'PlaceOrder', commandId: 'o', instrumentName: 'BTC-27NOV26-100000-C', side: 'buy', price: 0.05, amount: 1 }],
    });

  it('an order that reaches the venue before the print fills; one that arrives after it does not', () => {
    for (const [entryMs, fills] of [
      [10, 1],
      [150, 1],
      [250, 0],
    ] as const) {
      const driver = new ReplayDriver({ params: join(entryMs), keepLog: true });
      driver.feed(lines());
      const outcome = driver.finish(2000);
      expect(outcome.fills.length, `order entry ${entryMs} ms: ${outcome.log?.join("\n")}`).toBe(fills);
    }
  });
});
