import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createEngine, TICK_INTERVAL_MS } from '../engine/engine.ts';
import type { Engine, VenueRequest } from '../engine/engine.ts';
import { ManualClock } from '../model/clock.ts';
import type { Fill } from '../model/trading.ts';
import { originOfLabel } from '../oms/order-manager.ts';
import type { LimitRow, TopicChanges } from '../protocol/index.ts';
import type { RecordLine } from '../venues/recorder/format.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import { FillModel } from './fill-model.ts';
import type { MarketTrade } from './frame-decoder.ts';
import { FrameDecoder } from './frame-decoder.ts';
import type { MeasuredLatencies } from './latency.ts';
import { latencyOf, OrderedDelay } from './latency.ts';
import type { BacktestParams } from './params.ts';
import type { FillOrigin, PnlPoint } from './pnl.ts';
import { PnlAccountant } from './pnl.ts';
import { seededRandom } from './random.ts';

/**
 * Replays a recording through the engine kernel itself (createEngine: books, pricing, quoting,
 * risk, OMS) on a simulated clock, as fast as the machine goes. Two sides of one timeline:
 *
 *  - the venue (FillModel) sees the recorded market at the frames' receive times, and our
 *    requests when they arrive (order-entry latency after the engine sent them);
 *  - the engine sees the market, and the venue's answers and fills, a market-data latency later,
 *    and runs its tick every TICK_INTERVAL_MS of simulated time.
 *
 * Everything is ordered by (time, kind, sequence), with no wall clock and one seeded random
 * source: the same recording and parameters give the same decisions, which the decision log's
 * hash proves (every request the engine made and every fill it got, with times).
 */

export interface FillRecord {
  readonly tsMs: number;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly amount: number;
  readonly price: number;
  readonly liquidity: 'maker' | 'taker';
  readonly feeCoin: number;
  readonly origin: FillOrigin;
}

export interface LimitBreach {
  readonly tsMs: number;
  readonly limitId: string;
  readonly label: string;
  readonly value: number;
  readonly limit: number;
  readonly action: string;
}

export interface ReplayStats {
  readonly frames: number;
  readonly marketEvents: number;
  readonly trades: number;
  readonly malformed: number;
  readonly requests: number;
  readonly ticks: number;
  readonly instruments: number;
  readonly firstTsMs: number;
  readonly lastTsMs: number;
}

export interface ReplayOutcome {
  readonly decisionLogHash: string;
  readonly decisions: number;
  readonly stats: ReplayStats;
  readonly pnl: readonly PnlPoint[];
  readonly fills: readonly FillRecord[];
  readonly breaches: readonly LimitBreach[];
  /** The decision log's lines, when asked for (`keepLog`). */
  readonly log?: readonly string[];
}

export interface ReplayOptions {
  readonly params: BacktestParams;
  readonly venueId?: string;
  /** Samples for `recorded` latencies (LatencyMeter over the recording). */
  readonly recordedLatencies?: MeasuredLatencies;
  readonly keepLog?: boolean;
}

type Timed<T> = { readonly at: number; readonly item: T };

/** A FIFO whose times never decrease (OrderedDelay guarantees it). */
class Fifo<T> {
  #items: Timed<T>[] = [];
  #head = 0;
  push(at: number, item: T): void {
    this.#items.push({ at, item });
  }
  get nextAt(): number {
    return this.#head < this.#items.length ? this.#items[this.#head]!.at : Infinity;
  }
  shift(): Timed<T> {
    const value = this.#items[this.#head++]!;
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }
}

const ORIGIN: Readonly<Record<string, FillOrigin>> = { strategy: 'strategy', hedge: 'hedge', manual: 'manual' };

export class ReplayDriver {
  readonly #params: BacktestParams;
  readonly #venueId: string;
  readonly #clock = new ManualClock(0);
  readonly #decoder: FrameDecoder;
  readonly #fills: FillModel;
  readonly #pnl: PnlAccountant;
  readonly #marketIn: Fifo<VenueEvent> = new Fifo();
  readonly #reportsIn: Fifo<VenueEvent> = new Fifo();
  readonly #toVenue: Fifo<VenueRequest> = new Fifo();
  readonly #marketDelay: OrderedDelay;
  readonly #reportDelay: OrderedDelay;
  readonly #entryDelay: OrderedDelay;
  readonly #hash: Hash = createHash('sha256');
  readonly #log: string[] | undefined;
  readonly #points: PnlPoint[] = [];
  readonly #fillRecords: FillRecord[] = [];
  readonly #breaches: LimitBreach[] = [];
  readonly #limitStates = new Map<string, LimitRow['state']>();
  #engine: Engine | undefined;
  #connected = false;
  #connectDue = false;
  #nowMs = -Infinity;
  #nextTickMs = Infinity;
  #nextSampleMs = Infinity;
  #firstTsMs = NaN;
  #decisions = 0;
  #requests = 0;
  #ticks = 0;
  #commandSeq = 0;

  constructor(options: ReplayOptions) {
    this.#params = options.params;
    this.#venueId = options.venueId ?? 'replay';
    this.#decoder = new FrameDecoder(this.#venueId);
    // Independent seeded streams, so that one part's draws never shift another's.
    const seed = options.params.seed;
    this.#fills = new FillModel({ venueId: this.#venueId, queue: options.params.queue, fees: options.params.fees, random: seededRandom(seed * 4 + 1) });
    this.#pnl = new PnlAccountant((name) => this.#decoder.instrument(name));
    const { orderEntry, marketData } = options.params.latency;
    const measured = options.recordedLatencies;
    this.#marketDelay = new OrderedDelay(latencyOf(marketData, seededRandom(seed * 4 + 2), measured?.marketDataMs));
    this.#reportDelay = new OrderedDelay(latencyOf(marketData, seededRandom(seed * 4 + 3), measured?.marketDataMs));
    this.#entryDelay = new OrderedDelay(latencyOf(orderEntry, seededRandom(seed * 4 + 4), measured?.orderEntryMs));
    this.#log = options.keepLog ? [] : undefined;
  }

  readonly #sink = {
    event: (event: VenueEvent): void => {
      this.#fills.onMarket(event);
      if (event.type === 'TickerUpdated') this.#pnl.onTicker(event.ticker);
      else if (event.type === 'IndexUpdated') this.#pnl.onIndex(event.index.currency, event.index.price);
      this.#marketIn.push(this.#marketDelay.at(this.#nowMs), event);
    },
    trade: (trade: MarketTrade): void => {
      this.#venueAnswers(this.#fills.onTrade(trade, this.#nowMs), this.#nowMs);
    },
  };

  /** Feeds recorded lines in order; everything due before each line runs first. */
  feed(lines: readonly RecordLine[]): void {
    for (const line of lines) {
      const tsMs = line.kind === 'in' ? line.receivedTsMs : line.sentTsMs;
      if (this.#engine === undefined) this.#start(tsMs);
      // A clock never goes back: a frame stamped earlier than the last is taken as simultaneous.
      if (tsMs > this.#nowMs) this.#runUntil(tsMs);
      this.#decoder.decode(line, this.#sink);
    }
  }

  /** Runs what is still pending up to the last frame's time (plus `tailMs`), and reports. */
  finish(tailMs = 0): ReplayOutcome {
    if (this.#engine) this.#runUntil(this.#nowMs + tailMs);
    this.#sample(this.#nowMs);
    const stats = this.#decoder.stats;
    return {
      decisionLogHash: this.#hash.copy().digest('hex'),
      decisions: this.#decisions,
      stats: {
        frames: stats.frames,
        marketEvents: stats.events,
        trades: stats.trades,
        malformed: stats.malformed,
        requests: this.#requests,
        ticks: this.#ticks,
        instruments: this.#decoder.instrumentCount,
        firstTsMs: this.#firstTsMs,
        lastTsMs: this.#nowMs,
      },
      pnl: this.#points,
      fills: this.#fillRecords,
      breaches: this.#breaches,
      ...(this.#log && { log: this.#log }),
    };
  }

  /** The engine, for inspection (tests, the workstation view). */
  get engine(): Engine | undefined {
    return this.#engine;
  }

  #start(tsMs: number): void {
    this.#clock.set(tsMs);
    this.#nowMs = tsMs;
    this.#firstTsMs = tsMs;
    this.#engine = createEngine({ clock: this.#clock, version: 'backtest', quoteOnStart: true, ...(this.#params.limits && { limits: this.#params.limits }) });
    this.#nextTickMs = tsMs + TICK_INTERVAL_MS;
    this.#nextSampleMs = tsMs;
  }

  /** Processes every pending item due at or before `untilMs`, in (time, kind) order, then sets the time. */
  #runUntil(untilMs: number): void {
    for (;;) {
      const venueAt = this.#toVenue.nextAt;
      const marketAt = this.#marketIn.nextAt;
      const reportAt = this.#reportsIn.nextAt;
      const tickAt = this.#nextTickMs;
      const at = Math.min(venueAt, marketAt, reportAt, tickAt);
      if (at > untilMs) break;
      this.#nowMs = Math.max(this.#nowMs, at);
      this.#clock.set(this.#nowMs);
      if (venueAt === at) {
        const { item } = this.#toVenue.shift();
        this.#venueAnswers(this.#fills.onRequest(item, this.#nowMs), this.#nowMs);
      } else if (marketAt === at) this.#deliver(this.#marketIn.shift().item);
      else if (reportAt === at) this.#deliver(this.#reportsIn.shift().item);
      else this.#tick();
    }
    this.#nowMs = Math.max(this.#nowMs, untilMs);
    this.#clock.set(this.#nowMs);
  }

  /** What the venue says, at venue time `atMs`: fills are booked now, everything reaches the engine later. */
  #venueAnswers(events: readonly VenueEvent[], atMs: number): void {
    for (const event of events) {
      if (event.type === 'FillReported') this.#onFill(event.fill);
      else if (event.type === 'OrderRequestFailed') this.#record(`X ${atMs} ${event.label} ${event.request} ${event.reason}`);
      this.#reportsIn.push(this.#reportDelay.at(atMs), event);
    }
  }

  #onFill(fill: Fill): void {
    const origin = ORIGIN[originOfLabel(fill.label) ?? ''] ?? 'unknown';
    this.#pnl.onFill(fill, origin);
    this.#fillRecords.push({ tsMs: fill.tsMs, instrumentName: fill.instrumentName, side: fill.side, amount: fill.amount, price: fill.price, liquidity: fill.liquidity, feeCoin: fill.feeCoin, origin });
    this.#record(`F ${fill.tsMs} ${fill.label} ${fill.instrumentName} ${fill.side} ${fill.amount} ${fill.price} ${fill.liquidity}`);
  }

  #deliver(event: VenueEvent): void {
    const engine = this.#engine!;
    this.#perform(engine.onVenueEvent(event));
    // The adapter reports connected once subscribed (the first snapshots in): here, at the next tick.
    if (event.type === 'InstrumentsListed' && !this.#connected) this.#connectDue = true;
  }

  /** What the adapter reports after listing on a fresh connection: nothing open, flat, connected; then the parameters' commands. */
  #connect(): void {
    const engine = this.#engine!;
    const tsMs = this.#nowMs;
    this.#connected = true;
    this.#perform(engine.onVenueEvent({ type: 'OrdersReconciled', venueId: this.#venueId, open: [] }));
    this.#perform(engine.onVenueEvent({ type: 'PositionsReconciled', venueId: this.#venueId, positions: [], accounts: [] }));
    this.#perform(engine.onVenueEvent({ type: 'StatusChanged', status: { venueId: this.#venueId, displayName: 'Replay', state: 'connected', detail: 'replaying a recording', sinceTsMs: tsMs } }));
    for (const command of this.#params.commands) {
      const outcome = engine.handle({ ...command, commandId: command.commandId || `bt-${this.#commandSeq++}` });
      for (const event of outcome.events) if (event.type === 'CommandRejected') this.#record(`C ${tsMs} rejected ${event.reason}`);
      this.#perform(outcome.requests);
    }
  }

  #tick(): void {
    const engine = this.#engine!;
    this.#ticks += 1;
    this.#nextTickMs += TICK_INTERVAL_MS;
    if (this.#connectDue) {
      this.#connectDue = false;
      this.#connect();
    }
    this.#perform(engine.tick());
    const changes = engine.takeChanges('trading');
    if (changes) this.#watchLimits(changes);
    if (this.#nowMs >= this.#nextSampleMs) {
      this.#sample(this.#nowMs);
      this.#nextSampleMs += this.#params.sampleIntervalMs * Math.max(1, Math.ceil((this.#nowMs - this.#nextSampleMs + 1) / this.#params.sampleIntervalMs));
    }
  }

  #sample(tsMs: number): void {
    if (!Number.isFinite(tsMs)) return;
    const last = this.#points[this.#points.length - 1];
    const point = this.#pnl.sample(tsMs);
    if (last && last.tsMs === tsMs) this.#points[this.#points.length - 1] = point;
    else this.#points.push(point);
  }

  #watchLimits(changes: TopicChanges): void {
    const limits = (changes as { limits?: { upsert?: Record<string, LimitRow> } }).limits;
    if (!limits?.upsert) return;
    for (const row of Object.values(limits.upsert)) {
      const previous = this.#limitStates.get(row.limitId);
      this.#limitStates.set(row.limitId, row.state);
      if (row.state === 'breach' && previous !== 'breach') {
        this.#breaches.push({ tsMs: this.#nowMs, limitId: row.limitId, label: row.label, value: row.value, limit: row.limit, action: row.action });
        this.#record(`L ${this.#nowMs} ${row.limitId} ${row.value}`);
      }
    }
  }

  #perform(requests: readonly VenueRequest[]): void {
    for (const request of requests) {
      this.#requests += 1;
      this.#record(`R ${this.#nowMs} ${JSON.stringify(request)}`);
      this.#toVenue.push(this.#entryDelay.at(this.#nowMs), request);
    }
  }

  #record(line: string): void {
    this.#decisions += 1;
    this.#hash.update(line);
    this.#hash.update('\n');
    this.#log?.push(line);
  }
}
