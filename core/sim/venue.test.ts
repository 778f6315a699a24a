/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-RPC results are untyped JSON here */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.ts';
import { priceToTicks } from './instruments/ticks.ts';
import type { LadderParams } from './market/ladder.ts';
import { ladderPrices, ladderTouch } from './market/ladder.ts';
import { DEFAULT_CREDENTIALS, SimVenue, TICK_MS } from './venue.ts';

const START = Date.UTC(2026, 10, 21, 15, 0);

function run(seed: number, seconds: number, withClient = false) {
  const clock = new ManualClock(START);
  const venue = new SimVenue({ seed, clock, currencies: ['BTC'] });
  const call = (method: string, params: Record<string, unknown>, token?: string): any => venue.server.handleRequest(undefined, { id: 1, method, params }, token);
  const token = call('public/auth', { grant_type: 'client_credentials', client_id: DEFAULT_CREDENTIALS.clientId, client_secret: DEFAULT_CREDENTIALS.clientSecret }).result.access_token;
  for (let t = 0; t < (seconds * 1000) / TICK_MS; t++) {
    clock.advance(TICK_MS);
    venue.step();
    if (withClient && t === 50) {
      const perp = venue.instruments.find((i) => i.isPerpetual)!;
      call('private/buy', { instrument_name: perp.instrumentName, amount: 1000, type: 'market' }, token);
    }
  }
  const trades = venue.exchange.recentTrades().map((trade) => `${trade.tradeSeq}:${trade.instrumentName}@${trade.price}x${trade.amount}`);
  return { venue, trades, call, token };
}

describe('SimVenue', () => {
  it('is a living market: two-sided books on the chain and trades within a minute', () => {
    const { venue, trades } = run(42, 60);
    const options = venue.instruments.filter((i) => i.kind === 'option');
    expect(options.length).toBeGreaterThan(300);
    const twoSided = options.filter((i) => {
      const book = venue.exchange.book(i.instrumentName)!;
      return book.bestAskTicks() !== undefined;
    });
    expect(twoSided.length / options.length).toBeGreaterThan(0.9);
    expect(trades.length).toBeGreaterThan(50);
    expect(venue.market.indexPrice('BTC')).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, including a client order in the flow', () => {
    const a = run(7, 20, true);
    const b = run(7, 20, true);
    expect(a.trades).toEqual(b.trades);
    expect(a.trades.length).toBeGreaterThan(0);
    expect(run(8, 20, true).trades).not.toEqual(a.trades);
    const position = a.call('private/get_positions', { currency: 'BTC' }, a.token).result;
    expect(position[0]).toMatchObject({ kind: 'future', size: 1000 });
  });

  it('running behind its clock, yields to I/O between turns instead of catching up in one go', async () => {
    const clock = new ManualClock(START);
    const venue = new SimVenue({ seed: 2, clock, currencies: ['BTC'] });
    clock.advance(3_600_000); // an hour of ticks due at once: many seconds of work
    venue.run(10);
    try {
      // This timer can only fire if the venue's turn returned before catching up.
      await new Promise((resolve) => setTimeout(resolve, 15));
      expect(venue.market.nowMs).toBeGreaterThan(START);
      expect(venue.market.nowMs).toBeLessThan(clock.nowMs());
    } finally {
      await venue.close();
    }
  });

  it('keeps every future’s book two-sided, uncrossed and deep at every step, through the takers and a client’s sweeps', () => {
    const clock = new ManualClock(START);
    const venue = new SimVenue({ seed: 3, clock, currencies: ['BTC', 'ETH'], schedule: { dailies: 1, weeklies: 1, monthlies: 1, quarterlies: 1 } });
    const call = (method: string, params: Record<string, unknown>, token?: string): any => venue.server.handleRequest(undefined, { id: 1, method, params }, token);
    const token = call('public/auth', { grant_type: 'client_credentials', client_id: DEFAULT_CREDENTIALS.clientId, client_secret: DEFAULT_CREDENTIALS.clientSecret }).result.access_token;
    const futures = venue.instruments.filter((i) => i.kind === 'future');
    expect(new Set(futures.map((i) => i.currency))).toEqual(new Set(['BTC', 'ETH']));
    const expectTwoSided = (): void => {
      for (const instrument of futures) {
        const book = venue.exchange.book(instrument.instrumentName)!;
        expect(book.bestBidTicks(), instrument.instrumentName).toBeLessThan(book.bestAskTicks()!);
      }
    };
    /** USD on a side within `ticks` of the fair value (the mark): a stale order at the touch does not count. */
    const nearUsd = (instrumentName: string, side: 'buy' | 'sell', ticks: number): number => {
      const instrument = venue.exchange.instrument(instrumentName)!;
      const fairTicks = venue.exchange.mark(instrumentName)!.markPrice / instrument.tickSize;
      const levels = venue.exchange.book(instrumentName)!.depth(side);
      return levels.filter((level) => Math.abs(level.priceTicks - fairTicks) <= ticks).reduce((usd, level) => usd + level.lots * instrument.minTradeAmount, 0);
    };
    expectTwoSided();
    for (let t = 0; t < 300; t++) {
      clock.advance(TICK_MS);
      venue.step();
      expectTwoSided();
      // The depth's guarantee (market/future-depth.ts): its three nearest levels within 5 ticks, all eight within 35.
      for (const instrument of futures) {
        for (const side of ['buy', 'sell'] as const) {
          expect(nearUsd(instrument.instrumentName, side, 6)).toBeGreaterThanOrEqual(70_000);
          expect(nearUsd(instrument.instrumentName, side, 36)).toBeGreaterThanOrEqual(950_000);
        }
      }
      if (t % 10 === 0) {
        // A hedge between steps: 200k USD at market, alternating sides and instruments.
        const instrument = futures[(t / 10) % futures.length]!;
        const answer = call(t % 20 === 0 ? 'private/buy' : 'private/sell', { instrument_name: instrument.instrumentName, amount: 200_000, type: 'market' }, token);
        expect(answer.result.order.order_state, instrument.instrumentName).toBe('filled');
        expectTwoSided();
      }
    }
  });

  it('keeps at most one background maker order a side per instrument: a quote it cannot amend is pulled, not left behind', () => {
    const { venue } = run(3, 300);
    const slots = new Map<string, number>();
    for (const order of venue.exchange.openOrders('sim-maker')) slots.set(`${order.instrumentName} ${order.direction}`, (slots.get(`${order.instrumentName} ${order.direction}`) ?? 0) + 1);
    expect(slots.size).toBeGreaterThan(100);
    expect([...slots].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('keeps a depth ladder on every option within the step when asked: every taker meets a whole one, and every step ends with one', () => {
    const clock = new ManualClock(START);
    const params: LadderParams = { depthVolPts: 4, lotsPerLevel: 2, maxLevels: 40 };
    const venue = new SimVenue({ seed: 5, clock, currencies: ['BTC'], schedule: { dailies: 0, weeklies: 1, monthlies: 0, quarterlies: 1 }, depthLadder: params });
    // Takers sweeping several levels, so often that one option regularly gets two in one step.
    venue.market.configure({ takers: { informedShare: 0, moneynessWidthSd: 0.5, reach: { kind: 'exponential', kPerVolPt: 0.5, floorVolPts: 0.5, sweepLots: 10_000 } }, takerRates: { BTC: { optionTradesPerSec: 60 } } });
    const options = venue.instruments.filter((i) => i.kind === 'option');
    const ladderOf = (instrumentName: string) => {
      const instrument = venue.exchange.instrument(instrumentName)!;
      const mark = venue.exchange.mark(instrumentName)!;
      const vegaCoin = (mark.vegaUsd ?? 0) / venue.market.forward(instrument.currency, instrument.expirationTimestamp);
      return { instrument, touch: ladderTouch(instrument, mark.markPrice), prices: ladderPrices(instrument, mark.markPrice, vegaCoin, params) };
    };
    /** Every option's ladder is whole: a level of lotsPerLevel at every grid price from the touch out to its depth. */
    const expectWhole = (): void => {
      for (const option of options) {
        const { instrument, prices } = ladderOf(option.instrumentName);
        const resting = venue.exchange.book(option.instrumentName)!.ordersOf('sim-ladder');
        for (const [side, wanted] of [['buy', prices.bids], ['sell', prices.asks]] as const) {
          const levels = resting.filter((o) => o.side === side).sort((a, b) => (side === 'buy' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks));
          // A whole side is not rebuilt until its touch moves, so its far end may be a level off what a fresh one would be.
          const n = Math.min(levels.length, wanted.length);
          expect(levels.slice(0, n).map((o) => o.priceTicks), `${option.instrumentName} ${side}`).toEqual(wanted.slice(0, n).map((p) => priceToTicks(instrument, p)));
          expect(Math.abs(levels.length - wanted.length)).toBeLessThanOrEqual(1);
          expect(levels.every((o) => o.lots === params.lotsPerLevel)).toBe(true);
        }
      }
    };
    expectWhole();
    let lastSeq = Math.max(0, ...venue.exchange.recentTrades().map((t) => t.tradeSeq));
    let sweeps = 0;
    let secondOrders = 0;
    for (let t = 0; t < 100; t++) {
      clock.advance(TICK_MS);
      venue.step();
      expectWhole();
      // This step's taker orders on options, in the order they traded: each one's first print is at
      // the ladder's touch, however many orders on the option came before it in the step.
      const orders = new Map<string, { instrumentName: string; direction: string; prices: number[] }>();
      for (const trade of venue.exchange.recentTrades()) {
        if (trade.tradeSeq <= lastSeq || trade.takerAccountId !== 'sim-taker' || venue.exchange.instrument(trade.instrumentName)?.kind !== 'option') continue;
        const order = orders.get(trade.takerOrderId) ?? { instrumentName: trade.instrumentName, direction: trade.direction, prices: [] };
        order.prices.push(trade.price);
        orders.set(trade.takerOrderId, order);
      }
      lastSeq = Math.max(lastSeq, ...venue.exchange.recentTrades().map((trade) => trade.tradeSeq));
      const seen = new Set<string>();
      for (const order of orders.values()) {
        const { instrument, touch } = ladderOf(order.instrumentName);
        expect(priceToTicks(instrument, order.prices[0]!), order.instrumentName).toBe(priceToTicks(instrument, (order.direction === 'buy' ? touch.ask : touch.bid)!));
        if (new Set(order.prices).size > 1) sweeps += 1;
        if (seen.has(order.instrumentName)) secondOrders += 1;
        seen.add(order.instrumentName);
      }
    }
    expect(sweeps).toBeGreaterThan(200);
    expect(secondOrders).toBeGreaterThan(10);
    // Without the option there is no ladder.
    expect(new SimVenue({ seed: 5, clock: new ManualClock(START), currencies: ['BTC'] }).exchange.hasAccount('sim-ladder')).toBe(false);
  });

  it('stamps the takers’ trades with their arrival times within the step when asked, and trades exactly as without', () => {
    const trades = (takerArrivalTimes: boolean) => {
      const clock = new ManualClock(START);
      const venue = new SimVenue({ seed: 9, clock, currencies: ['BTC'], schedule: { dailies: 1, weeklies: 1, monthlies: 0, quarterlies: 0 }, takerArrivalTimes });
      venue.market.configure({ takerRates: { BTC: { optionTradesPerSec: 20 } } });
      const seen: { stepMs: number; tsMs: number; order: string; trade: string }[] = [];
      let lastSeq = 0;
      for (let t = 0; t < 100; t++) {
        clock.advance(TICK_MS);
        venue.step();
        for (const trade of venue.exchange.recentTrades()) {
          if (trade.tradeSeq <= lastSeq) continue;
          lastSeq = trade.tradeSeq;
          seen.push({ stepMs: clock.nowMs(), tsMs: trade.timestamp, order: trade.takerOrderId, trade: `${trade.tradeSeq}:${trade.instrumentName}:${trade.direction}@${trade.price}x${trade.amount}` });
        }
      }
      return seen;
    };
    const stamped = trades(true);
    const plain = trades(false);
    expect(stamped.length).toBeGreaterThan(100);
    // The same trades: only their times differ.
    expect(stamped.map((t) => t.trade)).toEqual(plain.map((t) => t.trade));
    expect(plain.every((t) => t.tsMs === t.stepMs)).toBe(true);
    // Within the step that traded them, whole milliseconds, in order, one time per taker order.
    for (const t of stamped) {
      expect(Number.isInteger(t.tsMs)).toBe(true);
      expect(t.tsMs).toBeGreaterThan(t.stepMs - TICK_MS);
      expect(t.tsMs).toBeLessThanOrEqual(t.stepMs);
    }
    for (let i = 1; i < stamped.length; i++) expect(stamped[i]!.tsMs).toBeGreaterThanOrEqual(stamped[i - 1]!.tsMs);
    const timesOf = new Map<string, Set<number>>();
    for (const t of stamped) timesOf.set(t.order, (timesOf.get(t.order) ?? new Set()).add(t.tsMs));
    expect([...timesOf.values()].every((times) => times.size === 1)).toBe(true);
    expect(new Set(stamped.map((t) => t.tsMs)).size).toBeGreaterThan(new Set(stamped.map((t) => t.stepMs)).size);
  });

  it('settles an expiry and lists the next one', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 22, 7, 59, 0));
    const venue = new SimVenue({ seed: 1, clock, currencies: ['BTC'] });
    const expiring = venue.instruments.filter((i) => i.expirationTimestamp === Date.UTC(2026, 10, 22, 8));
    expect(expiring.length).toBeGreaterThan(0);
    const before = new Set(venue.instruments.map((i) => i.instrumentName));
    clock.advance(61_000);
    venue.step();
    expect(venue.exchange.isActive(expiring[0]!.instrumentName)).toBe(false);
    expect(venue.instruments.some((i) => !before.has(i.instrumentName) && i.expirationTimestamp === Date.UTC(2026, 10, 25, 8))).toBe(true);
  });
});
