import { randomBytes } from 'node:crypto';
import type { Clock } from '../model/clock.ts';
import { ManualClock } from '../model/clock.ts';
import type { FaultController } from './admin/faults.ts';
import { exchangeDepthVenue } from './exchange/depth-venue.ts';
import { SimExchange } from './exchange/exchange.ts';
import type { ExpirySchedule } from './instruments/expiries.ts';
import { DERIBIT_SCHEDULE, listedExpiries } from './instruments/expiries.ts';
import { buildCatalog } from './instruments/catalog.ts';
import { ticksToPrice } from './instruments/ticks.ts';
import type { Currency, SimInstrument } from './instruments/types.ts';
import type { DepthVenue } from './market/future-depth.ts';
import { DEFAULT_BALANCES, DEFAULT_CREDENTIALS } from './defaults.ts';
import type { LadderParams, LadderTheo } from './market/ladder.ts';
import { DepthLadder } from './market/ladder.ts';
import type { QuoteIntent } from './market/makers.ts';
import { SimMarket } from './market/market.ts';
import type { Credentials } from './rpc/auth.ts';
import { TokenIssuer } from './rpc/auth.ts';
import type { CreditConfig } from './rpc/credits.ts';
import type { MarketView } from './rpc/render.ts';
import { SimRpcServer } from './rpc/server.ts';

/**
 * The embedded exchange: a living market (SimMarket) trading on a Deribit-compatible matching
 * engine (SimExchange) behind Deribit's API (SimRpcServer). `step` advances it to the clock in
 * fixed 100 ms ticks, so a run is a deterministic function of the seed and of the client
 * requests interleaved with the steps.
 */

export const TICK_MS = 100;
const MAKER_ACCOUNT = 'sim-maker';
const TAKER_ACCOUNT = 'sim-taker';
/** The futures' depth ladders (market/future-depth.ts) rest in their own background account. */
const DEPTH_ACCOUNT = 'sim-depth';
/** The options' depth ladder (market/ladder.ts, the `depthLadder` option) rests in another. */
const LADDER_ACCOUNT = 'sim-ladder';

export { DEFAULT_BALANCES, DEFAULT_CREDENTIALS } from './defaults.ts';

export interface SimVenueOptions {
  readonly seed: number;
  readonly clock: Clock;
  readonly currencies?: readonly Currency[];
  readonly credentials?: readonly Credentials[];
  readonly balances?: Readonly<Partial<Record<Currency, number>>>;
  readonly accessTokenTtlSec?: number;
  readonly credits?: CreditConfig;
  /** Which expiries are listed (Deribit's schedule by default); tests list fewer to stay light. */
  readonly schedule?: ExpirySchedule;
  /** Token of the admin endpoint (fault injection); random per run when omitted. */
  readonly adminToken?: string;
  /**
   * Keeps a depth ladder (market/ladder.ts) on every live option: resting liquidity at every grid
   * price out to a depth, so a sweeping taker prints where its reach ends (what calibration
   * measures, core/backtest/sim-recording.ts). Off by default. Upkeep within the step: see `#tick`.
   */
  readonly depthLadder?: Partial<LadderParams>;
  /**
   * Stamps each background taker's order and its trades with the taker's arrival time within the
   * step (market/takers.ts draws arrivals as a Poisson process; rounded up to the millisecond, and
   * never before the last request the venue served) instead of the step's time, as a venue stamps a
   * trade when it happens. Two orders on one option in one step then print with two timestamps,
   * which calibration needs (core/backtest/calibration.ts groups a sweep's prints by timestamp).
   * Off by default: every part of a step sees one instant.
   */
  readonly takerArrivalTimes?: boolean;
}

interface MakerOrders {
  bid?: string;
  ask?: string;
}

export class SimVenue {
  readonly exchange: SimExchange;
  readonly market: SimMarket;
  readonly server: SimRpcServer;
  readonly tokens: TokenIssuer;
  readonly #clock: Clock;
  /** The venue's own time: the current tick while stepping, so every part sees one instant. */
  readonly #time: ManualClock;
  readonly #currencies: readonly Currency[];
  readonly #schedule: ExpirySchedule;
  readonly #makerOrders = new Map<string, MakerOrders>();
  readonly #depth: DepthVenue;
  readonly #ladder: DepthLadder | undefined;
  readonly #takerArrivalTimes: boolean;
  #instruments: SimInstrument[] = [];
  #nextInstrumentId = 1;
  #lastTickMs: number;
  #loop: ReturnType<typeof setInterval> | undefined;

  constructor(options: SimVenueOptions) {
    this.#clock = options.clock;
    this.#currencies = options.currencies ?? ['BTC', 'ETH'];
    this.#schedule = options.schedule ?? DERIBIT_SCHEDULE;
    const startMs = options.clock.nowMs();
    this.#time = new ManualClock(startMs);
    this.#lastTickMs = startMs;
    this.exchange = new SimExchange(this.#time);
    this.market = new SimMarket(options.seed, { currencies: this.#currencies, nowMs: startMs });
    this.tokens = new TokenIssuer(this.#time, (bytes) => randomBytes(bytes).toString('hex'), options.accessTokenTtlSec ?? 900);
    for (const credentials of options.credentials ?? [DEFAULT_CREDENTIALS]) {
      this.tokens.register(credentials);
      if (!this.exchange.hasAccount(credentials.accountId)) this.exchange.addAccount(credentials.accountId, { balances: { ...DEFAULT_BALANCES, ...options.balances } });
    }
    this.exchange.addAccount(MAKER_ACCOUNT, { balances: {}, background: true });
    this.exchange.addAccount(TAKER_ACCOUNT, { balances: {}, background: true });
    this.#depth = exchangeDepthVenue(this.exchange, DEPTH_ACCOUNT);
    this.#ladder = options.depthLadder && new DepthLadder(exchangeDepthVenue(this.exchange, LADDER_ACCOUNT), options.depthLadder);
    this.#takerArrivalTimes = options.takerArrivalTimes ?? false;
    this.#listNewInstruments(startMs);
    this.#refreshMarket(startMs);
    this.#applyMakerQuotes(startMs);
    this.market.keepFutureDepth(this.#depth, this.#instruments, startMs);
    this.#ladder?.update(this.#ladderTheos(startMs).values());
    const market = this.market;
    const view: MarketView = {
      indexPrice: (currency) => this.exchange.indexPrice(currency),
      forward: (currency, expiryMs) => market.forward(currency, expiryMs),
      funding: (instrument) => {
        const funding = market.funding(instrument.currency);
        return { current: funding.currentFunding, eightHour: funding.funding8h };
      },
    };
    this.server = new SimRpcServer({
      exchange: this.exchange,
      market: view,
      tokens: this.tokens,
      clock: this.#time,
      ...(options.credits && { credits: options.credits }),
      ...(options.adminToken !== undefined && { adminToken: options.adminToken }),
      marketControl: {
        // The index moves now; the exchange's index and marks follow at once (at the last tick's
        // time, so the market's own path and draws are untouched).
        jump: (currency, fraction) => {
          this.market.jump(currency, fraction);
          this.#refreshMarket(this.#lastTickMs);
        },
      },
    });
    this.server.flush();
  }

  get instruments(): readonly SimInstrument[] {
    return this.#instruments;
  }

  /** Fault injection (core/sim/admin/faults.ts): `venue.faults.apply({ type: 'jumpPrice', currency: 'BTC', fraction: -0.1 })`. */
  get faults(): FaultController {
    return this.server.faults;
  }

  /** The token the admin endpoint (/admin/…) requires in its x-sim-admin-token header. */
  get adminToken(): string {
    return this.server.adminToken;
  }

  /** Advances the market, the background participants and the feeds to the clock's time. */
  step(): void {
    this.#advance(undefined);
  }

  /** Runs the ticks due by the clock's time; stops early, behind the clock, when `yieldNow` says so. */
  #advance(yieldNow: (() => boolean) | undefined): void {
    const nowMs = this.#clock.nowMs();
    while (this.#lastTickMs + TICK_MS <= nowMs) {
      this.#lastTickMs += TICK_MS;
      const servedMs = this.#time.nowMs();
      this.#time.set(this.#lastTickMs);
      this.#tick(this.#lastTickMs, servedMs);
      // Behind the clock: requests until the next turn are stamped with the last tick's time.
      if (this.#lastTickMs + TICK_MS <= nowMs && yieldNow?.()) return;
    }
    // Requests between steps are stamped with the time of the last step.
    this.#time.set(Math.max(this.#time.nowMs(), nowMs));
  }


  /** One step at tickMs; servedMs is the venue's time before it (of the last request it served). */
  #tick(tickMs: number, servedMs: number): void {
    this.#refreshMarket(tickMs);
    // The futures' depth follows the fair value before the makers requote (their fresh quotes never meet a stale level).
    this.market.keepFutureDepth(this.#depth, this.#instruments, tickMs);
    // So does the options' ladder (the `depthLadder` option), which also gets back here what clients
    // took between steps; after the makers requote, it places the levels that a quote of theirs,
    // left behind the theo, refused (post-only).
    const ladder = this.#ladder;
    const theos = ladder && this.#ladderTheos(tickMs);
    if (theos) ladder.update(theos.values());
    this.#applyMakerQuotes(tickMs);
    if (theos) ladder.update(theos.values());
    const touch = (instrumentName: string) => {
      const book = this.exchange.book(instrumentName);
      const instrument = this.exchange.instrument(instrumentName);
      if (!book || !instrument) return {};
      const bid = book.bestBidTicks();
      const ask = book.bestAskTicks();
      return { ...(bid !== undefined && { bid: ticksToPrice(instrument, bid) }), ...(ask !== undefined && { ask: ticksToPrice(instrument, ask) }) };
    };
    for (const order of this.market.takerOrders(tickMs, touch, this.#instruments)) {
      if (this.#takerArrivalTimes) this.#time.set(Math.min(tickMs, Math.max(servedMs, Math.ceil(order.tsMs))));
      this.exchange.place(TAKER_ACCOUNT, { instrumentName: order.instrumentName, direction: order.direction, amount: order.amount, type: 'limit', price: order.limitPrice, timeInForce: order.timeInForce });
      // The ladder refills what this taker took before the next one arrives: every taker meets a
      // whole ladder, and the book published at the end of the step is the one the next step's
      // takers meet (unless the theo crosses a grid price in between).
      const theo = theos?.get(order.instrumentName);
      if (ladder && theo) ladder.keep(theo);
    }
    if (this.#takerArrivalTimes) this.#time.set(tickMs);
    // The futures' depth refills what the takers took in the same step, so no client finds a side empty.
    this.market.keepFutureDepth(this.#depth, this.#instruments, tickMs);
    if (this.exchange.settleExpired().length > 0) {
      this.#instruments = this.exchange.instruments();
      this.#listNewInstruments(tickMs);
    }
    this.server.tick();
  }

  /** The live options' theos and vegas as the exchange marks them (vega in coin: over the forward, like the mark), by name. */
  #ladderTheos(nowMs: number): Map<string, LadderTheo> {
    const theos = new Map<string, LadderTheo>();
    const marks = this.market.marks(this.#instruments, nowMs);
    for (let i = 0; i < this.#instruments.length; i++) {
      const instrument = this.#instruments[i]!;
      if (instrument.kind !== 'option' || !(instrument.expirationTimestamp > nowMs)) continue;
      const mark = marks[i]!;
      const forward = this.market.forward(instrument.currency, instrument.expirationTimestamp);
      theos.set(instrument.instrumentName, { instrument, theoCoin: mark.markPrice, vegaCoinPerVolPt: (mark.vegaUsd ?? 0) / forward });
    }
    return theos;
  }

  #refreshMarket(nowMs: number): void {
    this.market.advance(nowMs);
    // Deribit publishes index prices in cents; settlement uses the published value.
    for (const currency of this.#currencies) this.exchange.setIndexPrice(currency, Math.round(this.market.indexPrice(currency) * 100) / 100);
    const marks = this.market.marks(this.#instruments, nowMs);
    for (let i = 0; i < this.#instruments.length; i++) this.exchange.setMark(this.#instruments[i]!.instrumentName, marks[i]!);
  }

  #applyMakerQuotes(nowMs: number): void {
    for (const intent of this.market.makerQuotes(this.#instruments, nowMs)) this.#applyQuote(intent);
  }

  /** Moves the background maker's resting orders to the intent: amend where possible. */
  #applyQuote(intent: QuoteIntent): void {
    // A halted book is left as it is (its orders frozen) until trading resumes.
    if ((intent.bid || intent.ask) && this.exchange.isHalted(intent.instrumentName)) return;
    const orders = this.#makerOrders.get(intent.instrumentName) ?? {};
    for (const side of ['bid', 'ask'] as const) {
      const want = intent[side];
      const orderId = orders[side];
      if (!want) {
        if (orderId) this.exchange.cancel(MAKER_ACCOUNT, orderId);
        delete orders[side];
        continue;
      }
      if (orderId) {
        const edited = this.exchange.edit(MAKER_ACCOUNT, { orderId, amount: want.amount, price: want.price });
        if (edited.ok) {
          if (edited.value.order.orderState === 'open') continue;
          delete orders[side];
          continue;
        }
        // Filled or gone since the last quote, or refused (an edit below what already traded): place a
        // fresh one, and pull the old one if it still rests — left behind, it would sit there forever.
        this.exchange.cancel(MAKER_ACCOUNT, orderId);
        delete orders[side];
      }
      const placed = this.exchange.place(MAKER_ACCOUNT, { instrumentName: intent.instrumentName, direction: side === 'bid' ? 'buy' : 'sell', amount: want.amount, type: 'limit', price: want.price });
      if (placed.ok && placed.value.order.orderState === 'open') orders[side] = placed.value.order.orderId;
    }
    if (orders.bid || orders.ask) this.#makerOrders.set(intent.instrumentName, orders);
    else this.#makerOrders.delete(intent.instrumentName);
  }

  /** Lists expiries that the schedule has reached and the venue does not yet have. */
  #listNewInstruments(nowMs: number): void {
    const known = new Set(this.exchange.instruments().map((instrument) => instrument.instrumentName));
    const added: SimInstrument[] = [];
    for (const currency of this.#currencies) {
      const catalog = buildCatalog({
        currency,
        nowMs,
        expiries: listedExpiries(nowMs, this.#schedule),
        strikeInputs: this.market.strikeInputs(currency),
        firstInstrumentId: this.#nextInstrumentId,
      });
      for (const instrument of catalog) {
        if (known.has(instrument.instrumentName)) continue;
        added.push(instrument);
      }
      this.#nextInstrumentId += catalog.length;
    }
    this.exchange.listInstruments(added);
    this.#instruments = this.exchange.instruments();
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return this.server.listen(port, host);
  }

  /**
   * Steps the venue from a timer (live and accelerated running). Each turn runs ticks for at most
   * about one interval of wall time and then yields, so that when the venue cannot keep up (too
   * high a speed, too many subscriptions) it falls behind its clock gracefully — sockets are still
   * written and read between turns — instead of spending ever longer turns catching up.
   */
  run(intervalMs = 20): void {
    this.#loop ??= setInterval(() => {
      const yieldAtMs = performance.now() + intervalMs;
      this.#advance(() => performance.now() >= yieldAtMs);
    }, intervalMs);
  }

  /** Stops the timer `run` started (the venue keeps serving requests at its last tick's time). */
  pause(): void {
    if (this.#loop) clearInterval(this.#loop);
    this.#loop = undefined;
  }

  async close(): Promise<void> {
    this.pause();
    await this.server.close();
  }
}

/** Simulated time running `speed` times faster than the wall clock from `startMs`. */
export function scaledClock(startMs: number, speed: number, wallNowMs: () => number): Clock {
  const wallStartMs = wallNowMs();
  return { nowMs: () => startMs + Math.floor((wallNowMs() - wallStartMs) * speed) };
}
