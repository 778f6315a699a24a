import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import { priceToTicks } from '../instruments/ticks.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import type { QuoteIntent } from './makers.ts';
import { SimMarket } from './market.ts';
import type { Touch } from './takers.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const CURRENCIES: readonly Currency[] = ['BTC', 'ETH'];

function catalogFor(market: SimMarket): SimInstrument[] {
  let id = 1;
  return market.currencies.flatMap((currency) => {
    const list = buildCatalog({ currency, nowMs: market.nowMs, expiries: listedExpiries(market.nowMs), strikeInputs: market.strikeInputs(currency), firstInstrumentId: id });
    id += list.length;
    return list;
  });
}

/** A toy book: each instrument's touch is the last maker quote for it. */
function bookFrom(intents: readonly QuoteIntent[], book = new Map<string, Touch>()): Map<string, Touch> {
  for (const intent of intents) book.set(intent.instrumentName, { bid: intent.bid?.price, ask: intent.ask?.price });
  return book;
}

/** Runs a scripted session and returns everything the market said. */
function session(seed: number): unknown[] {
  const market = new SimMarket(seed, { currencies: CURRENCIES, nowMs: NOW });
  const instruments = catalogFor(market);
  const book = new Map<string, Touch>();
  const out: unknown[] = [];
  for (let t = 1; t <= 30; t++) {
    const nowMs = NOW + t * 250;
    out.push(market.marks(instruments, nowMs).map((m) => m.markPrice));
    const quotes = market.makerQuotes(instruments, nowMs);
    bookFrom(quotes, book);
    out.push(quotes);
    out.push(market.takerOrders(nowMs, (name) => book.get(name) ?? {}));
    if (t === 10) market.jump('BTC', -0.03);
    out.push(market.state('BTC'), market.state('ETH'), market.funding('BTC'));
  }
  return out;
}

describe('SimMarket', () => {
  it('is deterministic: same seed and calls, same outputs; another seed differs', () => {
    const a = session(123);
    expect(session(123)).toEqual(a);
    expect(session(124)).not.toEqual(a);
  });

  it('moves the same however the caller slices time, and currencies do not disturb each other', () => {
    const whole = new SimMarket(5, { currencies: CURRENCIES, nowMs: NOW });
    whole.advance(NOW + 600_000);
    const sliced = new SimMarket(5, { currencies: CURRENCIES, nowMs: NOW });
    for (let t = NOW; t <= NOW + 600_000; t += 137) sliced.advance(t);
    sliced.advance(NOW + 600_000);
    expect(sliced.state('BTC')).toEqual(whole.state('BTC'));
    expect(sliced.state('ETH')).toEqual(whole.state('ETH'));
    expect(whole.state('BTC').tsMs).toBe(NOW + 600_000);
    const btcOnly = new SimMarket(5, { currencies: ['BTC'], nowMs: NOW });
    btcOnly.advance(NOW + 600_000);
    expect(btcOnly.state('BTC')).toEqual(whole.state('BTC'));
    expect(whole.indexPrice('BTC')).not.toBe(95_000);
    // Time does not run backwards.
    whole.advance(NOW);
    expect(whole.nowMs).toBe(NOW + 600_000);
  });

  it('exposes fair values, funding and the surface consistently with its marks', () => {
    const market = new SimMarket(9, { currencies: CURRENCIES, nowMs: NOW, params: { BTC: { initialIndexPrice: 100_000 } } });
    expect(market.indexPrice('BTC')).toBe(100_000);
    expect(market.indexPrice('ETH')).toBe(3_300);
    market.advance(NOW + 60_000);
    const instruments = catalogFor(market);
    const marks = market.marks(instruments, market.nowMs);
    instruments.forEach((instrument, i) => {
      const mark = marks[i]!;
      if (instrument.isPerpetual) expect(mark.markPrice).toBe(market.perpetualFair(instrument.currency));
      else if (instrument.kind === 'future') expect(mark.markPrice).toBe(market.futureFair(instrument.currency, instrument.expirationTimestamp));
      else expect(mark.markIv).toBeCloseTo(market.impliedVol(instrument.currency, instrument.expirationTimestamp, instrument.strike!), 14);
    });
    const expiry = listedExpiries(NOW)[5]!.expiryMs;
    const inputs = market.strikeInputs('BTC')(expiry);
    expect(inputs.forward).toBe(market.forward('BTC', expiry));
    expect(inputs.forward).toBeGreaterThan(market.indexPrice('BTC'));
    expect(inputs.atmVolAnnual).toBe(market.atmVol('BTC', expiry));
    expect(inputs.atmVolAnnual).toBeGreaterThan(0.4);
    expect(inputs.atmVolAnnual).toBeLessThan(0.65);
    expect(market.atmVol('ETH', expiry)).toBeGreaterThan(inputs.atmVolAnnual);
    expect(market.sviParams('BTC', expiry).b).toBeGreaterThan(0);
    expect(() => market.sviParams('BTC', NOW - 1)).toThrow();
    const funding = market.funding('BTC');
    expect(Math.abs(funding.currentFunding)).toBeLessThanOrEqual(0.005);
    expect(funding.funding8h).toBeGreaterThan(0);
    expect(() => market.indexPrice('SOL' as Currency)).toThrow(/not simulated/);
    const before = market.indexPrice('ETH');
    market.jump('ETH', 0.1);
    expect(market.indexPrice('ETH')).toBeCloseTo(1.1 * before, 10);
    expect(() => market.jump('ETH', -1)).toThrow();
  });

  it('requotes only what changed: everything first, little when calm, much after a jump, pulls at expiry', () => {
    const market = new SimMarket(11, { currencies: ['BTC'], nowMs: NOW });
    const instruments = catalogFor(market);
    const first = market.makerQuotes(instruments, NOW);
    expect(first).toHaveLength(instruments.length);
    for (const intent of first) {
      const instrument = instruments.find((i) => i.instrumentName === intent.instrumentName)!;
      expect(intent.ask).toBeDefined();
      if (intent.bid) expect(intent.bid.price).toBeLessThan(intent.ask!.price);
      for (const side of [intent.bid, intent.ask]) if (side) expect(priceToTicks(instrument, side.price)).toBeDefined();
    }
    expect(market.makerQuotes(instruments, NOW)).toHaveLength(0);
    const calm = market.makerQuotes(instruments, NOW + 100);
    expect(calm.length).toBeLessThan(instruments.length / 4);
    market.jump('BTC', 0.02);
    expect(market.makerQuotes(instruments, NOW + 200).length).toBeGreaterThan(instruments.length / 2);
    const firstExpiry = Math.min(...instruments.map((i) => i.expirationTimestamp));
    const expiring = instruments.filter((i) => i.expirationTimestamp === firstExpiry).map((i) => i.instrumentName);
    const atExpiry = market.makerQuotes(instruments, firstExpiry);
    const pulls = atExpiry.filter((q) => q.bid === undefined && q.ask === undefined).map((q) => q.instrumentName);
    expect(pulls.sort()).toEqual([...expiring].sort());
    expect(market.makerQuotes(instruments, firstExpiry + 100).some((q) => expiring.includes(q.instrumentName))).toBe(false);
  });

  it('sends taker flow at the configured rates, and informed flow only at mispriced quotes', () => {
    const market = new SimMarket(13, { currencies: ['BTC'], nowMs: NOW, takers: { informedShare: 0 } });
    const instruments = catalogFor(market);
    const book = bookFrom(market.makerQuotes(instruments, NOW));
    let options = 0;
    let perpetual = 0;
    let futures = 0;
    for (let t = 1; t <= 120; t++) {
      const nowMs = NOW + t * 1000;
      bookFrom(market.makerQuotes(instruments, nowMs), book);
      for (const order of market.takerOrders(nowMs, (name) => book.get(name) ?? {})) {
        expect(order.tsMs).toBeGreaterThan(nowMs - 1000);
        expect(order.tsMs).toBeLessThanOrEqual(nowMs);
        if (order.instrumentName === 'BTC-PERPETUAL') perpetual++;
        else if (order.instrumentName.split('-').length === 2) futures++;
        else options++;
      }
    }
    // 120 s at 5, 10 and 1 per second, less uninformed takers finding no touch on their side.
    expect(options).toBeGreaterThan(480);
    expect(options).toBeLessThan(720);
    expect(perpetual).toBeGreaterThan(1_080);
    expect(perpetual).toBeLessThan(1_320);
    expect(futures).toBeGreaterThan(80);
    expect(futures).toBeLessThan(160);

    // All informed: a freshly quoted book sees nothing; a stale one after a move is picked off.
    const informed = new SimMarket(13, { currencies: ['BTC'], nowMs: NOW, takers: { informedShare: 1 }, takerRates: { BTC: { optionTradesPerSec: 500, perpetualTradesPerSec: 500 } } });
    const fair = bookFrom(informed.makerQuotes(instruments, NOW));
    expect(informed.takerOrders(NOW + 200, (name) => fair.get(name) ?? {}, instruments)).toHaveLength(0);
    informed.jump('BTC', 0.05);
    const pickedOff = informed.takerOrders(NOW + 1_000, (name) => fair.get(name) ?? {}, instruments);
    expect(pickedOff.length).toBeGreaterThan(50);
    const marks = informed.marks(instruments, NOW + 1_000);
    for (const order of pickedOff) {
      const i = instruments.findIndex((x) => x.instrumentName === order.instrumentName);
      const theo = marks[i]!.markPrice;
      const touch = fair.get(order.instrumentName)!;
      if (order.direction === 'buy') expect(touch.ask!).toBeLessThan(theo);
      else expect(touch.bid!).toBeGreaterThan(theo);
    }
    // Calls and the perpetual went up: informed takers buy them.
    expect(pickedOff.filter((o) => o.instrumentName === 'BTC-PERPETUAL').every((o) => o.direction === 'buy')).toBe(true);
    expect(pickedOff.filter((o) => o.instrumentName.endsWith('-C')).every((o) => o.direction === 'buy')).toBe(true);
  });

  it('takes new participants while running: every maker requotes under them, takers follow from the next call', () => {
    const market = new SimMarket(17, { currencies: ['BTC'], nowMs: NOW });
    const instruments = catalogFor(market);
    const book = bookFrom(market.makerQuotes(instruments, NOW));
    expect(market.makerQuotes(instruments, NOW + 100).length).toBeLessThan(instruments.length / 4);
    market.configure({
      makers: { baseHalfWidthVolPts: 0.2, maxHalfWidthVolPts: 0.2, noiseVolPts: 0, minHalfWidthVolPts: 0.2 },
      takers: { informedShare: 0, reach: { kind: 'exponential', kPerVolPt: 0.2, floorVolPts: 0, sweepLots: 7 } },
      takerRates: { BTC: { optionTradesPerSec: 50, perpetualTradesPerSec: 0 } },
    });
    const requoted = market.makerQuotes(instruments, NOW + 200);
    expect(requoted).toHaveLength(instruments.length);
    bookFrom(requoted, book);
    const orders = market.takerOrders(NOW + 2_200, (name) => book.get(name) ?? {});
    const options = orders.filter((o) => o.instrumentName.endsWith('-C') || o.instrumentName.endsWith('-P'));
    // 50/s for 2.2 s, less the reaches short of a touch (a daily's tick alone is vol points
    // wide) and the options without a bid; every one a sweep of 7 lots.
    expect(options.length).toBeGreaterThan(40);
    expect(options.every((o) => o.amount === 0.7)).toBe(true);
    expect(orders.some((o) => o.instrumentName === 'BTC-PERPETUAL')).toBe(false);
  });
});
