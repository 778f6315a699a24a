import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../protocol/index.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import { FillModel } from './fill-model.ts';
import type { QueueModel } from './fill-model.ts';
import type { MarketTrade } from './frame-decoder.ts';
import { seededRandom } from './random.ts';

const OPTION: InstrumentRow = {
  instrumentName: 'BTC-27NOV26-100000-C',
  venueId: 'bt',
  currency: 'BTC',
  kind: 'option',
  isPerpetual: false,
  optionType: 'call',
  strike: 100_000,
  expiryMs: Date.UTC(2026, 10, 27, 8),
  tickSize: 0.0001,
  minTradeAmount: 0.1,
  contractSize: 1,
};
const NAME = OPTION.instrumentName;
/** Bid 0.0500 (50 ticks of 0.0001 → 500) × 5 lots, ask 0.0510 × 3 lots. */
const BID = 500;
const ASK = 510;

function model(queue: QueueModel = 'conservative', seed = 1): FillModel {
  const m = new FillModel({ venueId: 'bt', queue, random: seededRandom(seed) });
  m.onMarket({ type: 'InstrumentsListed', instruments: [OPTION] });
  m.onMarket({ type: 'IndexUpdated', index: { indexName: 'btc_usd', currency: 'BTC', price: 95_000, tsMs: 0 } });
  m.onMarket({ type: 'BookSnapshot', instrumentName: NAME, changeId: 1, bids: [{ action: 'new', priceTicks: BID, amount: 5 }], asks: [{ action: 'new', priceTicks: ASK, amount: 3 }], tsMs: 0 });
  return m;
}

const trade = (priceTicks: number, amount: number, direction: 'buy' | 'sell', n = 0): MarketTrade => ({ instrumentName: NAME, tradeId: `t${n}`, price: priceTicks / 10_000, priceTicks, amount, direction, indexPrice: 95_000, tsMs: n });
const fills = (events: readonly VenueEvent[]) => events.flatMap((e) => (e.type === 'FillReported' ? [e.fill] : []));
const place = (m: FillModel, side: 'buy' | 'sell', priceTicks: number, amount: number, postOnly = true, label = 's.x.1') =>
  m.onRequest({ type: 'PlaceOrder', venueId: 'bt', request: { label, instrumentName: NAME, side, price: priceTicks / 10_000, amount, postOnly, reduceOnly: false } }, 0);
const orderId = (events: readonly VenueEvent[]): string => {
  const e = events.find((x) => x.type === 'OrderReported');
  if (e?.type !== 'OrderReported') throw new Error('no report');
  return e.report.venueOrderId;
};

describe('FillModel, conservative queue', () => {
  it('an order behind 5 lots fills only after 5 lots trade at its price', () => {
    const m = model();
    const id = orderId(place(m, 'buy', BID, 1));
    expect(m.queueAhead(id)).toBe(5);
    expect(fills(m.onTrade(trade(BID, 2, 'sell', 1), 1))).toEqual([]);
    expect(fills(m.onTrade(trade(BID, 2, 'sell', 2), 2))).toEqual([]);
    expect(m.queueAhead(id)).toBe(1);
    const got = fills(m.onTrade(trade(BID, 1.5, 'sell', 3), 3));
    expect(got.map((f) => [f.amount, f.price, f.liquidity])).toEqual([[0.5, 0.05, 'maker']]);
    expect(fills(m.onTrade(trade(BID, 3, 'sell', 4), 4)).map((f) => f.amount)).toEqual([0.5]);
    expect(m.queueAhead(id)).toBeUndefined();
  });

  it('trades on our side of the book, or at other prices we never reached, do not fill us', () => {
    const m = model();
    place(m, 'buy', BID - 5, 1);
    expect(fills(m.onTrade(trade(BID, 10, 'sell'), 1))).toEqual([]);
    expect(fills(m.onTrade(trade(BID - 5, 10, 'buy'), 2))).toEqual([]);
    expect(fills(m.onTrade(trade(ASK, 10, 'buy'), 3))).toEqual([]);
  });

  it('a trade through our price fills us up to its size, at our price', () => {
    const m = model();
    place(m, 'buy', BID - 5, 2);
    const got = fills(m.onTrade(trade(BID - 7, 1.2, 'sell'), 1));
    expect(got.map((f) => [f.amount, f.price])).toEqual([[1.2, (BID - 5) / 10_000]]);
  });

  it('a price change sends the order to the back of the new level; a size cut keeps its place', () => {
    const m = model();
    const id = orderId(place(m, 'buy', BID - 1, 1));
    expect(m.queueAhead(id)).toBe(0);
    m.onRequest({ type: 'ReplaceOrder', venueId: 'bt', label: 's.x.1', venueOrderId: id, price: BID / 10_000, amount: 1 }, 1);
    expect(m.queueAhead(id)).toBe(5);
    m.onTrade(trade(BID, 3, 'sell'), 2);
    m.onRequest({ type: 'ReplaceOrder', venueId: 'bt', label: 's.x.1', venueOrderId: id, price: BID / 10_000, amount: 0.5 }, 3);
    expect(m.queueAhead(id)).toBe(2);
  });

  it('post-only orders that would cross are rejected; others take the shown size as taker, with fees', () => {
    const m = model();
    expect(place(m, 'buy', ASK, 1)).toMatchObject([{ type: 'OrderRequestFailed', reason: 'post_only_reject' }]);
    const events = place(m, 'buy', ASK, 5, false, 'h.x.2');
    const got = fills(events);
    expect(got.map((f) => [f.amount, f.liquidity])).toEqual([[3, 'taker']]);
    expect(got[0]!.feeCoin).toBeCloseTo(Math.min(0.0003 * 3, 0.125 * 0.051 * 3), 12);
    expect(events[0]).toMatchObject({ type: 'OrderReported', report: { venueState: 'open', filledAmount: 3 } });
    // What we took is not offered again before the book changes.
    expect(fills(place(m, 'buy', ASK, 1, false, 'h.x.3'))).toEqual([]);
  });

  it('the queue ahead never exceeds what the level shows', () => {
    const m = model();
    const id = orderId(place(m, 'buy', BID, 1));
    m.onMarket({ type: 'BookChanged', instrumentName: NAME, prevChangeId: 1, changeId: 2, bids: [{ action: 'change', priceTicks: BID, amount: 2 }], asks: [], tsMs: 1 });
    expect(m.queueAhead(id)).toBe(2);
  });

  it('never fills more than the order, whatever trades (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dt: fc.integer({ min: -3, max: 3 }), amount: fc.double({ min: 0.1, max: 5, noNaN: true }), sell: fc.boolean() }), { maxLength: 30 }), (trades) => {
        const m = model();
        place(m, 'buy', BID, 2);
        let filled = 0;
        trades.forEach((t, i) => {
          for (const f of fills(m.onTrade(trade(BID + t.dt, t.amount, t.sell ? 'sell' : 'buy', i), i))) {
            filled += f.amount;
            expect(f.price).toBe(BID / 10_000);
          }
        });
        expect(filled).toBeLessThanOrEqual(2 + 1e-9);
      }),
      { seed: 8, numRuns: 200 },
    );
  });
});

describe('FillModel, probabilistic queue', () => {
  it('cancellations at our level move us up on some seeds and never past what traded', () => {
    let advanced = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const m = model('probabilistic', seed);
      const id = orderId(place(m, 'buy', BID, 1));
      m.onMarket({ type: 'BookChanged', instrumentName: NAME, prevChangeId: 1, changeId: 2, bids: [{ action: 'change', priceTicks: BID, amount: 8 }], asks: [], tsMs: 1 });
      m.onMarket({ type: 'BookChanged', instrumentName: NAME, prevChangeId: 2, changeId: 3, bids: [{ action: 'change', priceTicks: BID, amount: 6 }], asks: [], tsMs: 2 });
      const ahead = m.queueAhead(id)!;
      expect([3, 5]).toContain(ahead);
      if (ahead === 3) advanced += 1;
    }
    expect(advanced).toBeGreaterThan(5);
    expect(advanced).toBeLessThan(40);
  });

  it('a decrease explained by trades is not counted again as cancellations', () => {
    const m = model('probabilistic', 3);
    const id = orderId(place(m, 'buy', BID, 1));
    m.onTrade(trade(BID, 2, 'sell'), 1);
    expect(m.queueAhead(id)).toBe(3);
    m.onMarket({ type: 'BookChanged', instrumentName: NAME, prevChangeId: 1, changeId: 2, bids: [{ action: 'change', priceTicks: BID, amount: 3 }], asks: [], tsMs: 2 });
    expect(m.queueAhead(id)).toBe(3);
  });
});
