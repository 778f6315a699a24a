import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../model/clock.ts';
import { exchangeDepthVenue } from '../exchange/depth-venue.ts';
import { SimExchange } from '../exchange/exchange.ts';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import { lotsToAmount, priceToTicks, ticksToPrice } from '../instruments/ticks.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import type { DepthVenue, FutureDepthParams } from './future-depth.ts';
import { DEFAULT_FUTURE_DEPTH_PARAMS, FutureDepth, depthLevelStays, depthLevelTicks, depthNotionalUsd, depthOffsetsTicks } from './future-depth.ts';
import { SimMarket } from './market.ts';
import { Rng } from './rng.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const STEP_MS = 100;
const DEPTH_ACCOUNT = 'sim-depth';
const TAKER_ACCOUNT = 'taker';
/** The smallest a level can be after noise: the depth a side keeps however the draws fell. */
const MIN_SHARE = 1 - DEFAULT_FUTURE_DEPTH_PARAMS.notionalNoise;

/** A simulated market and exchange listing the futures and perpetuals of BTC and ETH, driven the way the venue steps. */
function futuresMarket(seed: number, flow: { futureDepth?: Partial<FutureDepthParams> } = {}) {
  const clock = new ManualClock(NOW);
  const currencies: readonly Currency[] = ['BTC', 'ETH'];
  const market = new SimMarket(seed, { currencies, nowMs: NOW, ...flow });
  const exchange = new SimExchange(clock);
  let id = 1;
  const futures = currencies.flatMap((currency) => {
    const catalog = buildCatalog({ currency, nowMs: NOW, expiries: listedExpiries(NOW), strikeInputs: market.strikeInputs(currency), firstInstrumentId: id });
    id += catalog.length;
    return catalog.filter((instrument) => instrument.kind === 'future');
  });
  exchange.listInstruments(futures);
  exchange.addAccount(TAKER_ACCOUNT, { balances: {}, background: true });
  const venue = exchangeDepthVenue(exchange, DEPTH_ACCOUNT);
  const touch = (instrumentName: string) => {
    const book = exchange.book(instrumentName)!;
    const instrument = exchange.instrument(instrumentName)!;
    const bid = book.bestBidTicks();
    const ask = book.bestAskTicks();
    return { ...(bid !== undefined && { bid: ticksToPrice(instrument, bid) }), ...(ask !== undefined && { ask: ticksToPrice(instrument, ask) }) };
  };
  market.keepFutureDepth(venue, futures, NOW);
  /** One venue step: depth re-centred (before the makers would requote), the market's takers, the depth refilled; `afterTakers` looks in between. */
  const step = (afterTakers?: () => void): void => {
    const nowMs = clock.nowMs() + STEP_MS;
    clock.set(nowMs);
    market.keepFutureDepth(venue, futures, nowMs);
    for (const order of market.takerOrders(nowMs, touch, futures)) {
      exchange.place(TAKER_ACCOUNT, { instrumentName: order.instrumentName, direction: order.direction, amount: order.amount, type: 'limit', price: order.limitPrice, timeInForce: order.timeInForce });
    }
    afterTakers?.();
    market.keepFutureDepth(venue, futures, nowMs);
  };
  return { clock, market, exchange, futures, venue, step };
}

/** USD resting on one side within `ticks` of that side's touch. */
function depthWithinUsd(exchange: SimExchange, instrument: SimInstrument, side: 'buy' | 'sell', ticks: number): number {
  const levels = exchange.book(instrument.instrumentName)!.depth(side);
  const touch = levels[0]?.priceTicks;
  if (touch === undefined) return 0;
  let usd = 0;
  for (const level of levels) if (Math.abs(level.priceTicks - touch) <= ticks) usd += lotsToAmount(instrument, level.lots);
  return usd;
}

function expectTwoSidedUncrossed(exchange: SimExchange, futures: readonly SimInstrument[]): void {
  for (const instrument of futures) {
    const book = exchange.book(instrument.instrumentName)!;
    const bid = book.bestBidTicks();
    const ask = book.bestAskTicks();
    expect(bid, `${instrument.instrumentName} bid`).toBeDefined();
    expect(ask, `${instrument.instrumentName} ask`).toBeDefined();
    expect(bid!, instrument.instrumentName).toBeLessThan(ask!);
  }
}

/** An exchange reduced to what the depth uses, counting what it is asked to do. */
class FakeDepthVenue implements DepthVenue {
  readonly resting = new Map<string, { price: number; lots: number; direction: 'buy' | 'sell' }>();
  readonly halted = new Set<string>();
  places = 0;
  amends = 0;
  cancels = 0;
  #next = 1;
  constructor(private readonly instrument: SimInstrument) {}
  place(_name: string, direction: 'buy' | 'sell', price: number, amount: number): string {
    this.places += 1;
    const id = `d${this.#next++}`;
    this.resting.set(id, { price, direction, lots: Math.round(amount / this.instrument.minTradeAmount) });
    return id;
  }
  amend(_name: string, orderId: string, price: number): boolean {
    this.amends += 1;
    this.resting.get(orderId)!.price = price;
    return true;
  }
  cancel(_name: string, orderId: string): void {
    this.cancels += 1;
    this.resting.delete(orderId);
  }
  restingLots(_name: string, orderId: string): number {
    return this.resting.get(orderId)?.lots ?? 0;
  }
  isHalted(name: string): boolean {
    return this.halted.has(name);
  }
  prices(direction: 'buy' | 'sell'): number[] {
    const prices = [...this.resting.values()].filter((o) => o.direction === direction).map((o) => o.price);
    return prices.sort((a, b) => (direction === 'buy' ? b - a : a - b));
  }
  get calls(): number {
    return this.places + this.amends + this.cancels;
  }
}

const perpetual = buildCatalog({
  currency: 'BTC',
  nowMs: NOW,
  expiries: listedExpiries(NOW),
  strikeInputs: () => ({ forward: 95_000, atmVolAnnual: 0.5, expiryYears: 0.1 }),
  firstInstrumentId: 1,
}).find((instrument) => instrument.isPerpetual)!;

describe('futures depth: shape', () => {
  it('spaces the default levels 1, 2, 3, 4, 6, 8, 12, 18 ticks out with about 1.4M USD a side, tens of thousands within a few ticks', () => {
    const offsets = depthOffsetsTicks();
    expect(offsets).toEqual([1, 2, 3, 4, 6, 8, 12, 18]);
    const notional = offsets.map((_, k) => depthNotionalUsd(k));
    expect(notional[0]).toBe(20_000);
    expect(notional.slice(0, 4).reduce((a, b) => a + b) * MIN_SHARE).toBeGreaterThan(100_000);
    expect(notional.reduce((a, b) => a + b)).toBeCloseTo(1_398_000, -3);
  });

  it('spaces every level strictly further out than the nearer one', () => {
    fc.assert(
      fc.property(
        fc.record({ levels: fc.integer({ min: 0, max: 20 }), firstLevelTicks: fc.integer({ min: 1, max: 10 }), spacingGrowth: fc.double({ min: 1, max: 3, noNaN: true }) }),
        (shape) => {
          const offsets = depthOffsetsTicks({ ...DEFAULT_FUTURE_DEPTH_PARAMS, ...shape });
          expect(offsets).toHaveLength(shape.levels);
          if (shape.levels > 0) expect(offsets[0]).toBe(shape.firstLevelTicks);
          for (let k = 1; k < offsets.length; k++) expect(offsets[k]!).toBeGreaterThan(offsets[k - 1]!);
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('leaves a level where it rests only while it is strictly beyond the fair value and within twice its offset', () => {
    fc.assert(
      fc.property(fc.double({ min: 1_000, max: 200_000, noNaN: true }), fc.double({ min: -40, max: 40, noNaN: true }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: -45, max: 45 }), (fairUsd, moveTicks, offset, driftTicks) => {
        // Placed at its target for one fair value, then the fair value moved.
        const placedFairTicks = fairUsd / perpetual.tickSize;
        const fairTicks = placedFairTicks + moveTicks;
        for (const direction of ['buy', 'sell'] as const) {
          const resting = depthLevelTicks(placedFairTicks, offset, direction) + driftTicks;
          if (!depthLevelStays(resting, depthLevelTicks(fairTicks, offset, direction), offset)) continue;
          const distance = direction === 'buy' ? fairTicks - resting : resting - fairTicks;
          expect(distance).toBeGreaterThan(0);
          expect(distance).toBeLessThanOrEqual(2 * offset);
        }
      }),
      { seed: 99, numRuns: 500 },
    );
  });

  it('rests bids below the fair value and asks above it, on the tick grid', () => {
    fc.assert(
      fc.property(fc.double({ min: 1_000, max: 200_000, noNaN: true }), fc.integer({ min: 1, max: 40 }), (fairUsd, offset) => {
        const fairTicks = fairUsd / perpetual.tickSize;
        const bid = ticksToPrice(perpetual, depthLevelTicks(fairTicks, offset, 'buy'));
        const ask = ticksToPrice(perpetual, depthLevelTicks(fairTicks, offset, 'sell'));
        expect(bid).toBeLessThan(fairUsd);
        expect(ask).toBeGreaterThan(fairUsd);
        expect(priceToTicks(perpetual, bid)).toBeDefined();
        // The offset-th grid price beyond: between offset − 1 and offset ticks away.
        expect(fairUsd - bid).toBeGreaterThan((offset - 1) * perpetual.tickSize - 1e-6);
        expect(fairUsd - bid).toBeLessThanOrEqual(offset * perpetual.tickSize + 1e-6);
        expect(ask - fairUsd).toBeGreaterThan((offset - 1) * perpetual.tickSize - 1e-6);
        expect(ask - fairUsd).toBeLessThanOrEqual(offset * perpetual.tickSize + 1e-6);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('futures depth: upkeep', () => {
  const only = [perpetual];
  const live = () => true;

  it('moves a level only once the fair value has carried it out of its band: the top follows every tick, deeper levels are sticky', () => {
    const venue = new FakeDepthVenue(perpetual);
    const depth = new FutureDepth((name) => new Rng(1).fork(name));
    depth.update(venue, only, () => 95_000.2, live);
    expect(venue.places).toBe(16);
    expect(venue.prices('buy')).toEqual([95_000, 94_999.5, 94_999, 94_998.5, 94_997.5, 94_996.5, 94_994.5, 94_991.5]);
    expect(venue.prices('sell')).toEqual([95_000.5, 95_001, 95_001.5, 95_002, 95_003, 95_004, 95_006, 95_009]);
    // Within the same tick: nothing to do.
    depth.update(venue, only, () => 95_000.4, live);
    expect(venue.calls).toBe(16);
    // One tick up: only the top level a side moves.
    depth.update(venue, only, () => 95_000.7, live);
    expect(venue.amends).toBe(2);
    expect(venue.prices('buy')[0]).toBe(95_000.5);
    // Four ticks more: the levels 1 to 4 ticks out have left their bands, those 6 and more have not.
    depth.update(venue, only, () => 95_002.2, live);
    expect(venue.amends).toBe(2 + 8);
    expect(venue.places + venue.cancels).toBe(16);
    expect(venue.prices('buy')).toEqual([95_002, 95_001.5, 95_001, 95_000.5, 94_997.5, 94_996.5, 94_994.5, 94_991.5]);
    expect(venue.prices('sell')).toEqual([95_002.5, 95_003, 95_003, 95_003.5, 95_004, 95_004, 95_006, 95_009]);
  });

  it('replaces a level that traded, whole and at its target, and leaves the others alone', () => {
    const venue = new FakeDepthVenue(perpetual);
    const depth = new FutureDepth((name) => new Rng(2).fork(name));
    depth.update(venue, only, () => 95_000.2, live);
    const [nearestAskId, nearestAsk] = [...venue.resting].find(([, o]) => o.direction === 'sell' && o.price === 95_000.5)!;
    nearestAsk.lots -= 1;
    depth.update(venue, only, () => 95_000.2, live);
    expect(venue.cancels).toBe(1);
    expect(venue.places).toBe(17);
    expect(venue.resting.has(nearestAskId)).toBe(false);
    expect(venue.prices('sell')).toHaveLength(8);
    expect(venue.prices('sell')[0]).toBe(95_000.5);
  });

  it('leaves a halted book as it is, and pulls the ladder of a future that expired or is no longer listed, or when told to keep none', () => {
    const venue = new FakeDepthVenue(perpetual);
    const depth = new FutureDepth((name) => new Rng(3).fork(name));
    depth.update(venue, only, () => 95_000.2, live);
    venue.halted.add(perpetual.instrumentName);
    depth.update(venue, only, () => 95_100, live);
    expect(venue.calls).toBe(16);
    venue.halted.clear();
    depth.update(venue, only, () => 95_000.2, () => false);
    expect(venue.resting.size).toBe(0);
    depth.update(venue, only, () => 95_000.2, live);
    expect(venue.resting.size).toBe(16);
    depth.update(venue, [], () => 95_000.2, live);
    expect(venue.resting.size).toBe(0);
    depth.update(venue, only, () => 95_000.2, live);
    depth.configure({ levels: 0 });
    depth.update(venue, only, () => 95_000.2, live);
    expect(venue.resting.size).toBe(0);
    depth.configure({ levels: 3 });
    depth.update(venue, only, () => 95_000.2, live);
    expect(venue.prices('buy')).toEqual([95_000, 94_999.5, 94_999]);
  });
});

describe('futures depth on the simulated exchange', () => {
  it('gives every future and perpetual several levels a side from the start, 8 distinct prices each', () => {
    const { exchange, futures } = futuresMarket(1);
    expect(futures.length).toBe(18);
    for (const instrument of futures) {
      for (const side of ['buy', 'sell'] as const) {
        expect(exchange.book(instrument.instrumentName)!.depth(side)).toHaveLength(8);
        expect(depthWithinUsd(exchange, instrument, side, 5)).toBeGreaterThanOrEqual(100_000);
      }
    }
    expectTwoSidedUncrossed(exchange, futures);
  });

  it('property: after any sequence of sane-sized taker trades, every future’s book is two-sided and uncrossed, and each step leaves the depth whole', () => {
    /** A client's taker order between steps: up to 250k USD, at market or an IOC limit some ticks through the touch. */
    const take = fc.record({
      kind: fc.constant('take' as const),
      instrument: fc.nat(),
      direction: fc.constantFrom('buy' as const, 'sell' as const),
      notionalUsd: fc.integer({ min: 10, max: 250_000 }),
      ticksThrough: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    });
    const steps = fc.record({ kind: fc.constant('step' as const), count: fc.integer({ min: 1, max: 20 }) });
    // At most two client takes between steps: a sane size against a side of about a million USD.
    const round = fc.tuple(fc.array(take, { maxLength: 2 }), steps);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(round, { minLength: 1, maxLength: 12 }), (seed, rounds) => {
        const { exchange, futures, step } = futuresMarket(seed);
        for (const [takes, { count }] of rounds) {
          for (const action of takes) {
            const instrument = futures[action.instrument % futures.length]!;
            const book = exchange.book(instrument.instrumentName)!;
            const touch = action.direction === 'buy' ? book.bestAskTicks()! : book.bestBidTicks()!;
            const limitTicks = action.ticksThrough === undefined ? undefined : touch + (action.direction === 'buy' ? action.ticksThrough : -action.ticksThrough);
            const amount = lotsToAmount(instrument, Math.max(1, Math.round(action.notionalUsd / instrument.minTradeAmount)));
            const placed = exchange.place(TAKER_ACCOUNT, {
              instrumentName: instrument.instrumentName,
              direction: action.direction,
              amount,
              ...(limitTicks === undefined ? { type: 'market' as const } : { type: 'limit' as const, price: ticksToPrice(instrument, limitTicks), timeInForce: 'immediate_or_cancel' as const }),
            });
            expect(placed.ok).toBe(true);
            expectTwoSidedUncrossed(exchange, futures);
          }
          for (let i = 0; i < count; i++) {
            step(() => expectTwoSidedUncrossed(exchange, futures));
            expectTwoSidedUncrossed(exchange, futures);
          }
          // Every level resting again, and the depth behind the touch: levels 0–2 (at most 1, 3 and 5
          // ticks out) hold at least 70 % of 103k USD, all eight (at most 35 ticks out) 70 % of 1.4M.
          const resting = exchange.openOrders(DEPTH_ACCOUNT);
          for (const instrument of futures) {
            for (const side of ['buy', 'sell'] as const) {
              expect(resting.filter((o) => o.instrumentName === instrument.instrumentName && o.direction === side)).toHaveLength(8);
              expect(depthWithinUsd(exchange, instrument, side, 5)).toBeGreaterThanOrEqual(70_000);
              expect(depthWithinUsd(exchange, instrument, side, 40)).toBeGreaterThanOrEqual(950_000);
            }
          }
        }
      }),
      { seed: 20261121, numRuns: 25 },
    );
  });

  it('is deterministic from the seed: the same steps give the same books, another seed other sizes', () => {
    const books = (seed: number): unknown => {
      const { exchange, futures, step } = futuresMarket(seed);
      for (let i = 0; i < 50; i++) step();
      return futures.map((instrument) => [exchange.book(instrument.instrumentName)!.depth('buy'), exchange.book(instrument.instrumentName)!.depth('sell')]);
    };
    const first = books(17);
    expect(books(17)).toEqual(first);
    expect(books(18)).not.toEqual(first);
  });

  it('trades with takers, never with itself, and keeps every level resting in its own account', () => {
    const { exchange, step } = futuresMarket(5);
    for (let i = 0; i < 600; i++) step();
    const depthTrades = exchange.recentTrades().filter((trade) => trade.makerAccountId === DEPTH_ACCOUNT && trade.takerAccountId === DEPTH_ACCOUNT);
    expect(depthTrades).toEqual([]);
    expect(exchange.recentTrades().some((trade) => trade.makerAccountId === DEPTH_ACCOUNT)).toBe(true);
    expect(exchange.openOrders(DEPTH_ACCOUNT)).toHaveLength(18 * 16);
  });
});
