import { Worker } from 'node:worker_threads';
import type { Clock } from '../core/model/clock.ts';
import { DEFAULT_CREDENTIALS, SimVenue } from '../core/sim/venue.ts';
import type { SimClientJob, SimClientReport } from './fixtures/sim-client-worker.ts';
import { percentile } from './stats.ts';
import type { Benchmark, BenchResult } from './types.ts';

/**
 * Benchmarks of the embedded simulator (core/sim) through its real WebSocket endpoint on
 * 127.0.0.1, with the client on its own thread (bench/fixtures/sim-client-worker.ts):
 *
 * - sim_msgs_per_s: book and ticker notifications per second delivered to one client subscribed
 *   to book.{name}.100ms and ticker.{name}.100ms of every BTC and ETH instrument, at the highest
 *   market speed that keeps up. The venue runs from its own timer (as `npm run sim` does) on a
 *   clock whose speed is raised step by step; a speed keeps up when the newest simulated
 *   timestamp the client has received stays within LAG_LIMIT_MS of wall time (scaled back to
 *   wall milliseconds) and the lag is not growing over the window.
 * - sim_order_roundtrip_p99_us: sequential authenticated private/buy (post-only limit far from
 *   the market) and private/cancel round trips while the market runs at 1x.
 */

const START_MS = Date.UTC(2026, 10, 21, 15, 0);
const SEED = 42;
const SETTLE_MS = 500;
const WINDOW_MS = 1500;
const LAG_LIMIT_MS = 300;
const LAG_GROWTH_LIMIT_MS = 100;
const SPEEDS = [1, 1.5, 2.25, 3.4, 5, 7.6, 11.4];
const ORDER_WARMUP = 300;
const ORDER_PAIRS = 2500;
/** Credits that never run out: the benchmark measures latency, not the rate limit. */
const UNLIMITED_CREDITS = {
  nonMatching: { maxCredits: 1e12, refillPerSec: 1e12, costPerRequest: 1 },
  matching: { maxCredits: 1e12, refillPerSec: 1e12, costPerRequest: 1 },
};

const wallNowMs = (): number => performance.timeOrigin + performance.now();

/** Simulated time running `speed` times faster than the wall clock; the speed can change on the fly. */
class PacedClock implements Clock {
  #simAnchorMs: number;
  #wallAnchorMs = wallNowMs();
  #speed = 1;
  constructor(startMs: number) {
    this.#simAnchorMs = startMs;
  }
  get speed(): number {
    return this.#speed;
  }
  simAt(wallMs: number): number {
    return this.#simAnchorMs + Math.floor((wallMs - this.#wallAnchorMs) * this.#speed);
  }
  nowMs(): number {
    return this.simAt(wallNowMs());
  }
  setSpeed(speed: number): void {
    this.#simAnchorMs = this.nowMs();
    this.#wallAnchorMs = wallNowMs();
    this.#speed = speed;
  }
}

function startClient(job: SimClientJob): Worker {
  return new Worker(new URL('../test/support/ts-worker.mjs', import.meta.url), {
    argv: [new URL('./fixtures/sim-client-worker.ts', import.meta.url).href],
    workerData: job,
  });
}

function nextReport<K extends SimClientReport['kind']>(worker: Worker, kind: K): Promise<Extract<SimClientReport, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onMessage = (message: SimClientReport): void => {
      if (message.kind === 'error') onError(new Error(message.message));
      else if (message.kind === kind) {
        done();
        resolve(message as Extract<SimClientReport, { kind: K }>);
      }
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}

async function withVenue<T>(options: { credits?: typeof UNLIMITED_CREDITS }, body: (venue: SimVenue, url: string, clock: PacedClock) => Promise<T>): Promise<T> {
  const clock = new PacedClock(START_MS);
  const venue = new SimVenue({ seed: SEED, clock, ...options });
  const port = await venue.listen(0, '127.0.0.1');
  clock.setSpeed(1);
  venue.run();
  try {
    return await body(venue, `ws://127.0.0.1:${port}/ws/api/v2`, clock);
  } finally {
    await venue.close();
  }
}

interface Trial {
  readonly speed: number;
  readonly perSec: number;
  readonly lagMs: number;
  readonly lagGrowthMs: number;
  readonly keepsUp: boolean;
  /** Share of wall time the simulator's thread was busy over the window. */
  readonly busy: number;
}

async function feedThroughput(): Promise<readonly BenchResult[]> {
  return withVenue({}, async (venue, url, clock) => {
    const worker = startClient({ mode: 'feed', url, currencies: ['BTC', 'ETH'] });
    try {
      const { channels } = await nextReport(worker, 'subscribed');
      const trials: Trial[] = [];
      for (const speed of SPEEDS) {
        clock.setSpeed(speed);
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const first = await nextReport(worker, 'count');
        const busyFrom = performance.eventLoopUtilization();
        let last = first;
        while (last.wallMs - first.wallMs < WINDOW_MS) last = await nextReport(worker, 'count');
        const busy = performance.eventLoopUtilization(busyFrom).utilization;
        // Lag in wall milliseconds: how long ago, at this speed, the newest received tick happened.
        const lag = (report: typeof first): number => (clock.simAt(report.wallMs) - report.lastSimTsMs) / speed;
        const lagMs = lag(last);
        const lagGrowthMs = lagMs - lag(first);
        const keepsUp = lagMs <= LAG_LIMIT_MS && lagGrowthMs <= LAG_GROWTH_LIMIT_MS;
        trials.push({ speed, perSec: ((last.notifications - first.notifications) * 1000) / (last.wallMs - first.wallMs), lagMs, lagGrowthMs, keepsUp, busy });
        if (!keepsUp) break;
      }
      const kept = trials.filter((trial) => trial.keepsUp);
      const best = kept.at(-1);
      const failed = trials.find((trial) => !trial.keepsUp);
      const describe = (trial: Trial): string =>
        `${trial.speed}x: ${Math.round(trial.perSec)}/s, lag ${Math.round(trial.lagMs)} ms (${trial.lagGrowthMs >= 0 ? '+' : ''}${Math.round(trial.lagGrowthMs)} ms over the window), simulator thread ${Math.round(trial.busy * 100)} % busy`;
      return [
        {
          name: 'sim_msgs_per_s',
          value: Math.round(best?.perSec ?? 0),
          unit: 'msgs/s',
          note:
            `target ≥ 20,000; ${channels} channels (${venue.instruments.length} instruments, book+ticker 100ms), client on its own thread; ` +
            `highest speed keeping up (lag ≤ ${LAG_LIMIT_MS} ms, not growing): ${best ? describe(best) : 'none'}` +
            (failed ? `; falls behind at ${describe(failed)}` : `; did not fall behind up to ${trials.at(-1)!.speed}x`),
        },
      ];
    } finally {
      worker.postMessage('stop');
      await worker.terminate();
    }
  });
}

async function orderSamples(venue: SimVenue, url: string): Promise<{ buyUs: readonly number[]; cancelUs: readonly number[]; all: readonly number[] }> {
  // A liquid option, and a bid at its minimum price: far below the market, so it rests untouched.
  const option = venue.instruments.find((instrument) => instrument.kind === 'option' && (venue.exchange.mark(instrument.instrumentName)?.markPrice ?? 0) > 0.02)!;
  const worker = startClient({
    mode: 'orders',
    url,
    clientId: DEFAULT_CREDENTIALS.clientId,
    clientSecret: DEFAULT_CREDENTIALS.clientSecret,
    instrumentName: option.instrumentName,
    price: option.tickSize,
    amount: option.minTradeAmount,
    warmup: ORDER_WARMUP,
    count: ORDER_PAIRS,
  });
  try {
    const { buyUs, cancelUs } = await nextReport(worker, 'samples');
    return { buyUs, cancelUs, all: [...buyUs, ...cancelUs] };
  } finally {
    await worker.terminate();
  }
}

async function orderRoundTrip(): Promise<readonly BenchResult[]> {
  return withVenue({ credits: UNLIMITED_CREDITS }, async (venue, url) => {
    const live = await orderSamples(venue, url);
    // The same with the market paused: what the request path costs without ticks to wait behind.
    venue.pause();
    const paused = await orderSamples(venue, url);
    const us = (samples: readonly number[], fraction: number): string => percentile(samples, fraction).toFixed(0);
    return [
      {
        name: 'sim_order_roundtrip_p99_us',
        value: Number(us(live.all, 0.99)),
        unit: 'us',
        note:
          `WebSocket on 127.0.0.1, market running at 1x; p50 ${us(live.all, 0.5)} us over ${live.all.length} sequential requests ` +
          `(buy p50/p99 ${us(live.buyUs, 0.5)}/${us(live.buyUs, 0.99)} us, cancel ${us(live.cancelUs, 0.5)}/${us(live.cancelUs, 0.99)} us); ` +
          `market paused: p50/p99 ${us(paused.all, 0.5)}/${us(paused.all, 0.99)} us`,
      },
    ];
  });
}

export const benchmarks: readonly Benchmark[] = [
  { metrics: ['sim_msgs_per_s'], run: feedThroughput },
  { metrics: ['sim_order_roundtrip_p99_us'], run: orderRoundTrip },
];
