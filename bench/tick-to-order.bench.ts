import { PerformanceObserver } from 'node:perf_hooks';
import type { Engine } from '../core/engine/engine.ts';
import { createEngine, TICK_INTERVAL_MS } from '../core/engine/engine.ts';
import type { RunningSimulator } from '../core/engine/simulator.ts';
import { startSimulator } from '../core/engine/simulator.ts';
import type { VenueLink } from '../core/engine/venue-link.ts';
import { linkVenue } from '../core/engine/venue-link.ts';
import { DELTA_INTERVAL_MS, HEARTBEAT_INTERVAL_MS } from '../core/engine/worker-protocol.ts';
import { LIVE_STATES } from '../core/oms/order-state.ts';
import { DeribitAdapter } from '../core/venues/deribit/deribit-adapter.ts';
import type { VenueAdapter, VenueEvent } from '../core/venues/venue-adapter.ts';
import { percentile } from './stats.ts';
import type { Benchmark, BenchResult } from './types.ts';

/**
 * Tick-to-order inside the engine, under market-data load: from a market-data frame received
 * (its bytes reach the adapter's WebSocket message handler) to the order bytes handed to the
 * socket (ws.send returned), measured with the adapter's wire probe (DeribitAdapterOptions.probe).
 *
 * Set-up: the embedded simulator in its own worker thread (core/sim/worker-entry.ts, as the
 * workstation runs it) lists Deribit's whole BTC schedule and streams book.*.100ms, ticker.*.100ms
 * and the index to one DeribitAdapter, at a market speed chosen so that about 10,000 messages a
 * second arrive; the adapter feeds createEngine({ quoteOnStart: true }) through linkVenue, on
 * this thread, with the worker's timers beside it (deltas taken every 100 ms, heartbeats). The
 * engine quotes the chain against the simulator's matching engine (real acknowledgements, fills
 * and rate limits, the market maker tier).
 *
 * The engine requotes an option as soon as a frame moves its market (per-frame requote) and the
 * whole chain on its 100 ms tick, so these figures are reported:
 * - tick_to_order_p50_us / _p99_us: frames whose handling sent an order at once (the per-frame
 *   requote): receipt → the first order's bytes handed to the socket, in the same callback.
 * - requote_tick_to_order_p50_us / _p99_us: the full-chain requote aligned on a frame. Every 100 ms the tick is
 *   armed, and runs on the next market-data frame, right after the kernel applied it, in the same
 *   message callback. Measured from that frame's receipt to the first order request's bytes
 *   handed to the socket. Included: Buffer→string, the book-frame scanner / JSON.parse and the
 *   adapter's parsing, the VenueEvent, the kernel's market data (L2 book apply, quote row), the
 *   whole tick (override expiry, risk refresh every 250 ms, limits, the surface refit of one
 *   expiry, the chain requote: ChainQuoter quote and diff against working orders, the order
 *   gateway's pre-trade checks and rate share, the OMS state machine, auto-hedge and executions),
 *   linkVenue, the adapter's credit limiter, JSON.stringify of the request and ws.send (framing,
 *   masking, the socket write). Not included: the kernel's TCP stack and ws's frame parsing before
 *   the message event, the journal's fdatasync before requests leave (no journal here; see
 *   journal_append_fsync_us), publishing deltas to the renderer (its own timer), and requests
 *   that wait for rate-limit credits (counted in the note).
 * - frame_ingest_p50_us / _p99_us: the per-frame path alone (receipt → kernel applied), on every
 *   frame of the same run that did not carry a tick.
 * - frame_to_order_timer_p50_ms / _p99_ms: as the worker runs today (tick on a free-running
 *   100 ms timer): each frame received → the first order bytes of the next requote that sent any.
 *   Dominated by waiting for the timer (uniform over 0–100 ms); the note gives the newest frame's.
 *
 * Targets: tick_to_order ≤ 50 µs p50, ≤ 250 µs p99 (benchmarks state targets, they never assert).
 *
 * Reading the parts in the note: the first write to a socket after its writes were idle costs far
 * more than the next ones on a virtual machine (a bare ws.send after 100 ms without writes:
 * ≈ 200 µs, then ≈ 7 µs: the loopback write wakes the venue's thread), so "adapter → bytes" of a
 * tick's first order is mostly that; likewise the frame a tick runs on is usually the first of a
 * new read after the thread waited, and slower than the median frame. The machine's other load
 * (two cores shared with whatever else runs) shows in every p99.
 */

const SEED = 42;
const TARGET_MSGS_PER_S = 10_000;
/** Market speed at which the BTC schedule streams about TARGET_MSGS_PER_S (≈ 8,700 a second at 1×). */
const SIM_SPEED = 1.2;
const WARMUP_MS = 8_000;
/** A per-frame sample over the p99 target, for the note's breakdown. */
const SLOW_FRAME_MS = 0.25;
/**
 * Long enough to see ticks that send: with the strategies' rate share mostly spent by per-frame
 * requotes, about one tick in 25 has orders left to send (6 s once saw none of its 58).
 */
const TIMER_PHASE_MS = 20_000;
const ALIGNED_PHASE_MS = 30_000;
const ORDER_METHODS: ReadonlySet<string> = new Set(['private/buy', 'private/sell', 'private/edit', 'private/cancel']);
const MASS_QUOTE = 'private/mass_quote';
const MARKET_DATA: ReadonlySet<VenueEvent['type']> = new Set(['BookSnapshot', 'BookChanged', 'TickerUpdated', 'IndexUpdated']);

/** One tick, in performance.now() milliseconds. */
interface TickRecord {
  /** Receipt of the frame it ran on (frame-aligned ticks). */
  readonly frameMs: number | undefined;
  readonly startMs: number;
  /** The first order request handed to the adapter (linkVenue → placeOrder/replaceOrder/cancelOrder). */
  firstHandedMs: number | undefined;
  /** The first and last order request's bytes handed to the socket. */
  firstSentMs: number | undefined;
  lastSentMs: number | undefined;
  sent: number;
  endMs: number;
}

class Probe {
  frames = 0;
  /** Receipt of the frame being handled (undefined between frames). */
  frameMs: number | undefined;
  tick: TickRecord | undefined;
  /** Order requests sent outside a tick (released later by the credit limiter, or follow-ups to answers). */
  ordersOutsideTicks = 0;
  /** Frame receipt → first order bytes, for frames whose own handling sent an order (the per-frame requote). */
  readonly frameOrderMs: number[] = [];
  /** Their receipt times, to set them against GC pauses. */
  readonly frameOrderAtMs: number[] = [];
  /** Their two parts: receipt → the kernel's first order request reaches the adapter, and from there → bytes on the socket. */
  readonly frameKernelMs: number[] = [];
  readonly frameAdapterMs: number[] = [];
  #frameHandedMs: number | undefined;
  /** The tick that just ran, until the event loop's next turn: the mass quote it asked for goes out in between. */
  #afterTick: TickRecord | undefined;
  /** The control: a fixed piece of work timed on this thread during the run (its spread is the machine's, not the engine's). */
  readonly controlMs: number[] = [];
  #frameSent = false;
  readonly ingestMs: number[] = [];
  /** Receipts since the last timer tick. */
  readonly window: number[] = [];
  collectWindow = false;
  #tickInFrame = false;

  readonly hooks = {
    frameReceived: (): void => {
      this.frames += 1;
      this.frameMs = performance.now();
      if (this.collectWindow) this.window.push(this.frameMs);
    },
    frameHandled: (): void => {
      if (this.frames % CONTROL_EVERY_FRAMES === 0) this.controlMs.push(controlWork());
      if (!this.#tickInFrame && !this.#frameSent && this.frameMs !== undefined) this.ingestMs.push(performance.now() - this.frameMs);
      this.#tickInFrame = false;
      this.#frameSent = false;
      this.#frameHandedMs = undefined;
      this.frameMs = undefined;
    },
    sent: (method: string): void => {
      const nowMs = performance.now();
      // A tick's level-0 quotes leave as one mass quote when its callback's microtasks run, right after it.
      if (method === MASS_QUOTE && !this.tick && this.#afterTick) {
        this.#afterTick.firstSentMs ??= nowMs;
        this.#afterTick.lastSentMs = nowMs;
        this.#afterTick.sent += 1;
        return;
      }
      if (!ORDER_METHODS.has(method)) return;
      const tick = this.tick;
      if (!tick && this.frameMs !== undefined && !this.#tickInFrame) {
        if (!this.#frameSent) {
          this.frameOrderMs.push(nowMs - this.frameMs);
          this.frameOrderAtMs.push(this.frameMs);
          const handedMs = this.#frameHandedMs ?? nowMs;
          this.frameKernelMs.push(handedMs - this.frameMs);
          this.frameAdapterMs.push(nowMs - handedMs);
        }
        this.#frameSent = true;
        return;
      }
      if (!tick) {
        this.ordersOutsideTicks += 1;
        return;
      }
      tick.firstSentMs ??= nowMs;
      tick.lastSentMs = nowMs;
      tick.sent += 1;
    },
  };

  /** Linked instead of the adapter: notes when the kernel's first order request of a tick reaches the adapter. */
  handed(adapter: DeribitAdapter): VenueAdapter {
    const note = (): void => {
      if (this.tick && this.tick.firstHandedMs === undefined) this.tick.firstHandedMs = performance.now();
      else if (!this.tick && this.frameMs !== undefined && !this.#frameSent) this.#frameHandedMs ??= performance.now();
    };
    return {
      venueId: adapter.venueId,
      capabilities: adapter.capabilities,
      start: () => adapter.start(),
      close: () => adapter.close(),
      onEvent: (listener) => adapter.onEvent(listener),
      resnapshot: (instrumentName) => adapter.resnapshot(instrumentName),
      placeOrder: (request) => (note(), adapter.placeOrder(request)),
      replaceOrder: (request) => (note(), adapter.replaceOrder(request)),
      cancelOrder: (request) => (note(), adapter.cancelOrder(request)),
      queryOrder: (request) => adapter.queryOrder(request),
      cancelAll: (instrumentName) => adapter.cancelAll(instrumentName),
      cancelAllByCurrency: (currency) => adapter.cancelAllByCurrency(currency),
      configureMmp: (config) => adapter.configureMmp(config),
      resetMmp: (indexName) => adapter.resetMmp(indexName),
    };
  }

  runTick(engine: Engine, link: VenueLink): TickRecord {
    if (this.frameMs !== undefined) this.#tickInFrame = true;
    const tick: TickRecord = { frameMs: this.frameMs, startMs: performance.now(), firstHandedMs: undefined, firstSentMs: undefined, lastSentMs: undefined, sent: 0, endMs: 0 };
    this.tick = tick;
    link.perform(engine.tick());
    tick.endMs = performance.now();
    this.tick = undefined;
    this.#afterTick = tick;
    setImmediate(() => {
      if (this.#afterTick === tick) this.#afterTick = undefined;
    });
    return tick;
  }
}

/** Every this many frames, the control work runs once after the frame was handled. */
const CONTROL_EVERY_FRAMES = 50;
/** Iterations of the control loop: about 50 µs here, the size of the per-frame requote. */
const CONTROL_ITERATIONS = 4_000;
let controlSink = 0;

/** Fixed CPU work allocating nothing, timed: what the thread's scheduling alone does to a 50 µs task. */
function controlWork(): number {
  const startMs = performance.now();
  let x = controlSink;
  for (let i = 0; i < CONTROL_ITERATIONS; i++) x = (x * 1_103_515_245 + 12_345) % 2_147_483_647;
  controlSink = x;
  return performance.now() - startMs;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Milliseconds (performance.now()) as microseconds to 0.1, and as milliseconds to 0.01. */
const us = (ms: number): number => Math.round(ms * 10_000) / 10;
const ms2 = (ms: number): number => Math.round(ms * 100) / 100;
const fmt = (value: number): string => value.toLocaleString('en-US');

function liveOrders(engine: Engine): number {
  return Object.values(engine.snapshot().orders).filter((order) => LIVE_STATES.has(order.state)).length;
}

async function tickToOrder(): Promise<BenchResult[]> {
  const simulator: RunningSimulator = await startSimulator({
    workerUrl: new URL('../test/support/ts-worker.mjs', import.meta.url),
    argv: [new URL('../core/sim/worker-entry.ts', import.meta.url).href],
    seed: SEED,
    speed: SIM_SPEED,
    currencies: ['BTC'],
  });
  const probe = new Probe();
  const clock = { nowMs: () => Date.now() };
  const engine = createEngine({ clock, version: 'bench', quoteOnStart: true });
  const { venue } = simulator;
  const adapter = new DeribitAdapter({
    venueId: venue.venueId,
    displayName: venue.displayName,
    url: venue.url,
    ...(venue.credentials && { credentials: venue.credentials }),
    ...(venue.rateLimits && { rateLimits: venue.rateLimits }),
    currencies: venue.currencies,
    clock,
    random: () => 0.5,
    probe: probe.hooks,
  });
  const link = linkVenue(engine, probe.handed(adapter));
  const timers: Array<ReturnType<typeof setInterval>> = [
    setInterval(() => engine.takeChanges(), DELTA_INTERVAL_MS),
    setInterval(() => engine.heartbeat(), HEARTBEAT_INTERVAL_MS),
  ];
  let mode: 'timer' | 'aligned' = 'timer';
  let armed = false;
  const timerTicks: TickRecord[] = [];
  const alignedTicks: TickRecord[] = [];
  const timerFrameToOrderMs: number[] = [];
  const timerNewestToOrderMs: number[] = [];
  let measuring = false;
  // Frame-aligned ticks: after the kernel's own listener (linkVenue) applied the frame's event.
  adapter.onEvent((event) => {
    if (mode !== 'aligned' || !armed || probe.frameMs === undefined || !MARKET_DATA.has(event.type)) return;
    armed = false;
    const tick = probe.runTick(engine, link);
    if (measuring) alignedTicks.push(tick);
  });
  const tickTimer = setInterval(() => {
    if (mode === 'aligned') {
      armed = true;
      return;
    }
    const window = probe.window.splice(0);
    const tick = probe.runTick(engine, link);
    if (!measuring) return;
    timerTicks.push(tick);
    if (tick.firstSentMs === undefined) return;
    for (const frameMs of window) timerFrameToOrderMs.push(tick.firstSentMs - frameMs);
    if (window.length > 0) timerNewestToOrderMs.push(tick.firstSentMs - window.at(-1)!);
  }, TICK_INTERVAL_MS);
  timers.push(tickTimer);

  // GC pauses on this thread, to tell the slow per-frame samples that a collection interrupted from the others.
  const gcPauses: { readonly startMs: number; readonly endMs: number }[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push({ startMs: entry.startTime, endMs: entry.startTime + entry.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const connected = new Promise<void>((resolve) => adapter.onEvent((event) => event.type === 'StatusChanged' && event.status.state === 'connected' && resolve()));
  adapter.start();
  try {
    await connected;
    const warmupEnd = Date.now() + WARMUP_MS;
    while (Date.now() < warmupEnd || liveOrders(engine) === 0) {
      if (Date.now() > warmupEnd + 20_000) throw new Error('the engine placed no quote within 25 s');
      await sleep(250);
    }

    // The worker's way: a free-running 100 ms tick.
    probe.collectWindow = true;
    probe.window.length = 0;
    let framesFrom = probe.frames;
    let outsideFrom = probe.ordersOutsideTicks;
    measuring = true;
    let fromMs = performance.now();
    await sleep(TIMER_PHASE_MS);
    const timerRate = ((probe.frames - framesFrom) * 1000) / (performance.now() - fromMs);
    const timerOutside = probe.ordersOutsideTicks - outsideFrom;
    probe.collectWindow = false;

    // Frame-aligned: the tick runs on the first frame after each 100 ms.
    mode = 'aligned';
    measuring = false;
    await sleep(500);
    probe.ingestMs.length = 0;
    framesFrom = probe.frames;
    outsideFrom = probe.ordersOutsideTicks;
    measuring = true;
    fromMs = performance.now();
    await sleep(ALIGNED_PHASE_MS);
    const alignedRate = ((probe.frames - framesFrom) * 1000) / (performance.now() - fromMs);
    const alignedOutside = probe.ordersOutsideTicks - outsideFrom;
    measuring = false;
    const ingest = [...probe.ingestMs];

    const sending = alignedTicks.filter((tick) => tick.firstSentMs !== undefined && tick.firstHandedMs !== undefined);
    const stat = (values: readonly number[], scale: (ms: number) => number, unit: string): string => `p50 ${fmt(scale(percentile(values, 0.5)))} ${unit}, p99 ${fmt(scale(percentile(values, 0.99)))} ${unit}`;
    const toFirst = sending.map((tick) => tick.firstSentMs! - tick.frameMs!);
    const toLast = sending.map((tick) => tick.lastSentMs! - tick.frameMs!);
    const frameToTick = sending.map((tick) => tick.startMs - tick.frameMs!);
    const kernel = sending.map((tick) => tick.firstHandedMs! - tick.startMs);
    const adapterPath = sending.map((tick) => tick.firstSentMs! - tick.firstHandedMs!);
    const tickDuration = alignedTicks.map((tick) => tick.endMs - tick.startMs);
    const ordersPerTick = sending.map((tick) => tick.sent);
    const timerSending = timerTicks.filter((tick) => tick.firstSentMs !== undefined);
    const load = `${fmt(Math.round(alignedRate))} msg/s received (target ${fmt(TARGET_MSGS_PER_S)}; simulator at ${SIM_SPEED}×, Deribit's BTC schedule)`;
    const decomposition =
      `${sending.length} requotes sent orders, of ${alignedTicks.length} frame-aligned ticks in ${ALIGNED_PHASE_MS / 1000} s; ${load}. ` +
      `Parts: the frame's own ingest ${stat(frameToTick, us, 'µs')}; engine.tick() until its requests reach the adapter (linkVenue performs them once the tick returns) ${stat(kernel, ms2, 'ms')}; ` +
      `adapter → bytes on the socket (credit limiter, JSON.stringify, ws.send) ${stat(adapterPath, us, 'µs')}. ` +
      `Whole ticks ${stat(tickDuration, ms2, 'ms')}; ${percentile(ordersPerTick, 0.5)} order requests per sending requote (p50, max ${percentile(ordersPerTick, 1)}), frame → last of them ${stat(toLast, ms2, 'ms')}; ` +
      `${alignedOutside} order requests went out later, outside any tick (released by the credit limiter, or following an answer)`;
    const perFrame = probe.frameOrderMs;
    const slow = perFrame.flatMap((ms, i) => (ms > SLOW_FRAME_MS ? [{ fromMs: probe.frameOrderAtMs[i]!, toMs: probe.frameOrderAtMs[i]! + ms }] : []));
    const slowInGc = slow.filter((frame) => gcPauses.some((gc) => gc.startMs < frame.toMs && gc.endMs > frame.fromMs)).length;
    const parts = `receipt → the kernel's order request reaches the adapter ${stat(probe.frameKernelMs, us, 'µs')}; adapter → bytes on the socket ${stat(probe.frameAdapterMs, us, 'µs')}`;
    const control = `the control (a fixed ${us(percentile(probe.controlMs, 0.5))} µs loop timed on this thread every ${CONTROL_EVERY_FRAMES} frames, ${fmt(probe.controlMs.length)} times): p99 ${fmt(us(percentile(probe.controlMs, 0.99)))} µs, worst ${fmt(us(percentile(probe.controlMs, 1)))} µs`;
    const gcNote = `${parts}; ${control}; ${fmt(slow.length)} frames over ${us(SLOW_FRAME_MS)} µs, ${fmt(slowInGc)} of them overlapping one of this thread's ${fmt(gcPauses.length)} GC pauses`;
    return [
      {
        name: 'tick_to_order_p50_us',
        value: us(percentile(perFrame, 0.5)),
        unit: 'µs',
        note: `target ≤ 50 µs; market-data frame received → first order bytes handed to the socket, for frames whose option the engine requoted at once (per-frame requote: quote generator, diff, pre-trade checks, OMS, credit limiter, JSON, ws.send), ${fmt(perFrame.length)} such frames. Counted: regular orders (buy, sell, edit, cancel); level-0 mass quotes leave together at the end of the socket read, under Deribit's 10 mass quotes a second, and are not`,
      },
      { name: 'tick_to_order_p99_us', value: us(percentile(perFrame, 0.99)), unit: 'µs', note: `target ≤ 250 µs; the frames of tick_to_order_p50_us (worst ${fmt(us(percentile(perFrame, 1)))} µs); ${gcNote}` },
      {
        name: 'requote_tick_to_order_p50_us',
        value: us(percentile(toFirst, 0.5)),
        unit: 'µs',
        note: `the full-chain requote (the 100 ms tick) run on a frame: frame received → first order bytes (a regular order sent in the tick, or the mass quote of its level-0 quotes sent right after it). ${decomposition}`,
      },
      { name: 'requote_tick_to_order_p99_us', value: us(percentile(toFirst, 0.99)), unit: 'µs', note: `the run of requote_tick_to_order_p50_us (${sending.length} samples; worst ${fmt(us(percentile(toFirst, 1)))} µs)` },
      {
        name: 'frame_ingest_p50_us',
        value: us(percentile(ingest, 0.5)),
        unit: 'µs',
        note: `per frame, receipt → handled (Buffer→string, book-frame scanner or JSON.parse, parse, VenueEvent, kernel's book/ticker apply), ${fmt(ingest.length)} frames that carried no tick, ${load}`,
      },
      { name: 'frame_ingest_p99_us', value: us(percentile(ingest, 0.99)), unit: 'µs', note: `the frames of frame_ingest_p50_us; worst ${fmt(us(percentile(ingest, 1)))} µs (a GC pause or a timer's work landing inside a frame)` },
      {
        name: 'frame_to_order_timer_p50_ms',
        value: ms2(percentile(timerFrameToOrderMs, 0.5)),
        unit: 'ms',
        note:
          `the engine worker's way, the tick on a free-running ${TICK_INTERVAL_MS} ms timer: every frame → first order bytes of the next tick (orders, or its mass quote), over the ticks that sent any ` +
          `(${timerSending.length} of ${timerTicks.length}; ${fmt(timerFrameToOrderMs.length)} frames; ${fmt(Math.round(timerRate))} msg/s; ${timerOutside} requests outside ticks); ` +
          `${stat(timerFrameToOrderMs, ms2, 'ms')}: the wait for the timer, plus the tick; the newest frame before the tick → first order ${stat(timerNewestToOrderMs, ms2, 'ms')}`,
      },
    ];
  } finally {
    for (const timer of timers) clearInterval(timer);
    gcObserver.disconnect();
    link.dispose();
    await adapter.close();
    await simulator.stop();
  }
}

export const benchmarks: readonly Benchmark[] = [
  {
    metrics: ['tick_to_order_p50_us', 'tick_to_order_p99_us', 'requote_tick_to_order_p50_us', 'requote_tick_to_order_p99_us', 'frame_ingest_p50_us', 'frame_ingest_p99_us', 'frame_to_order_timer_p50_ms'],
    run: tickToOrder,
  },
];
