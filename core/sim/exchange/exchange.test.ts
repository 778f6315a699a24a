import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../model/clock.ts';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { ERRORS } from './errors.ts';
import type { PlaceOrderParams } from './exchange.ts';
import { intrinsicCoin, SimExchange } from './exchange.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const INDEX = 95_000;

function setup(balanceBtc = 10) {
  const clock = new ManualClock(NOW);
  const exchange = new SimExchange(clock);
  const expiries = listedExpiries(NOW);
  const instruments = buildCatalog({
    currency: 'BTC',
    nowMs: NOW,
    expiries,
    strikeInputs: (expiryMs) => ({ forward: INDEX, atmVolAnnual: 0.5, expiryYears: (expiryMs - NOW) / 31_536_000_000 }),
    firstInstrumentId: 1,
  });
  exchange.listInstruments(instruments);
  exchange.setIndexPrice('BTC', INDEX);
  for (const account of ['alice', 'bob', 'carol']) exchange.addAccount(account, { balances: { BTC: balanceBtc } });
  exchange.addAccount('bot', { balances: {}, background: true });
  const option = instruments.find((i) => i.kind === 'option' && i.optionType === 'call' && i.strike === 100_000 && i.settlementPeriod === 'month')!;
  const perp = instruments.find((i) => i.isPerpetual)!;
  exchange.setMark(option.instrumentName, { markPrice: 0.02, markIv: 0.5, deltaCoin: 0.35, vegaUsd: 60 });
  exchange.setMark(perp.instrumentName, { markPrice: INDEX });
  return { clock, exchange, option, perp, instruments };
}

const limit = (instrument: SimInstrument, direction: 'buy' | 'sell', price: number, amount: number, extra: Partial<PlaceOrderParams> = {}): PlaceOrderParams => ({
  instrumentName: instrument.instrumentName,
  direction,
  amount,
  type: 'limit',
  price,
  ...extra,
});

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.message}`);
  return result.value;
}

describe('SimExchange orders', () => {
  it('rests a limit order and fills a crossing one at the maker price, moving premium and fees', () => {
    const { exchange, option } = setup();
    const resting = unwrap(exchange.place('alice', limit(option, 'sell', 0.021, 1, { label: 'q1' })));
    expect(resting.order).toMatchObject({ orderState: 'open', price: 0.021, amount: 1, label: 'q1' });
    const taking = unwrap(exchange.place('bob', limit(option, 'buy', 0.025, 0.4)));
    expect(taking.order).toMatchObject({ orderState: 'filled', filledAmount: 0.4, averagePrice: 0.021 });
    expect(taking.trades).toHaveLength(1);
    expect(taking.trades[0]).toMatchObject({ price: 0.021, amount: 0.4, direction: 'buy', makerOrderId: resting.order.orderId });

    const fee = Math.min(0.0003 * 0.4, 0.125 * 0.021 * 0.4);
    expect(exchange.accountSummary('bob', 'BTC')!.balance).toBeCloseTo(10 - 0.021 * 0.4 - fee, 12);
    expect(exchange.accountSummary('alice', 'BTC')!.balance).toBeCloseTo(10 + 0.021 * 0.4 - fee, 12);
    expect(exchange.positions('bob', 'BTC')).toEqual([{ instrumentName: option.instrumentName, size: 0.4, averagePrice: 0.021, realizedPnl: 0 }]);
    expect(exchange.positions('alice', 'BTC')[0]).toMatchObject({ size: -0.4 });
    expect(exchange.openOrders('alice')[0]).toMatchObject({ filledAmount: 0.4, orderState: 'open' });
    const events = exchange.drainEvents().map((e) => e.type);
    expect(events).toContain('trade');
    expect(events).toContain('userTrade');
    expect(events).toContain('book');
  });

  it('rejects bad input with Deribit error codes', () => {
    const { exchange, option } = setup();
    const error = (params: PlaceOrderParams) => {
      const result = exchange.place('alice', params);
      return result.ok ? undefined : result.error.code;
    };
    expect(error(limit(option, 'buy', 0.0212, 1))).toBe(ERRORS.priceWrongTick.code);
    expect(error(limit(option, 'buy', 0.02, 0.15))).toBe(ERRORS.invalidAmount.code);
    expect(error(limit(option, 'buy', 0.02, 0))).toBe(ERRORS.invalidAmount.code);
    expect(error(limit(option, 'buy', -1, 1))).toBe(ERRORS.invalidPrice.code);
    expect(error({ ...limit(option, 'buy', 0.02, 1), instrumentName: 'BTC-1JAN20-1-C' })).toBe(ERRORS.invalidInstrument.code);
    expect(error({ ...limit(option, 'buy', 0.02, 1), type: 'market', postOnly: true })).toBe(ERRORS.badArgument.code);
    expect(exchange.place('nobody', limit(option, 'buy', 0.02, 1))).toMatchObject({ ok: false, error: ERRORS.unauthorized });
    expect(exchange.cancel('alice', 'BTC-999')).toMatchObject({ ok: false, error: ERRORS.orderNotFound });
  });

  it('protects order ownership', () => {
    const { exchange, option } = setup();
    const order = unwrap(exchange.place('alice', limit(option, 'buy', 0.01, 1))).order;
    expect(exchange.cancel('bob', order.orderId)).toMatchObject({ ok: false, error: ERRORS.notOwnerOfOrder });
    expect(exchange.edit('bob', { orderId: order.orderId, amount: 2 })).toMatchObject({ ok: false, error: ERRORS.notOwnerOfOrder });
    expect(exchange.orderState('bob', order.orderId)).toMatchObject({ ok: false, error: ERRORS.notOwnerOfOrder });
    unwrap(exchange.cancel('alice', order.orderId));
    expect(exchange.cancel('alice', order.orderId)).toMatchObject({ ok: false, error: ERRORS.alreadyClosed });
    expect(unwrap(exchange.orderState('alice', order.orderId))).toMatchObject({ orderState: 'cancelled', cancelReason: 'user_request' });
  });

  it('reprices a crossing post-only order one tick inside, or rejects it when asked', () => {
    const { exchange, option } = setup();
    unwrap(exchange.place('bot', limit(option, 'sell', 0.021, 5)));
    const repriced = unwrap(exchange.place('alice', limit(option, 'buy', 0.025, 1, { postOnly: true })));
    expect(repriced.trades).toHaveLength(0);
    expect(repriced.order.price).toBe(0.0205);
    expect(exchange.place('alice', limit(option, 'buy', 0.025, 1, { postOnly: true, rejectPostOnly: true }))).toMatchObject({ ok: false, error: ERRORS.postOnlyReject });
    // Below 0.005 the tick is 0.0001.
    unwrap(exchange.place('bot', limit(option, 'sell', 0.0045, 5, {}))); // a second, better ask
    expect(unwrap(exchange.place('carol', limit(option, 'buy', 0.01, 1, { postOnly: true }))).order.price).toBe(0.0044);
  });

  it('cancels the unfilled rest of IOC and market orders, and kills an unfillable FOK whole', () => {
    const { exchange, option } = setup();
    unwrap(exchange.place('bot', limit(option, 'sell', 0.021, 0.5)));
    const ioc = unwrap(exchange.place('alice', limit(option, 'buy', 0.03, 1, { timeInForce: 'immediate_or_cancel' })));
    expect(ioc.order).toMatchObject({ orderState: 'cancelled', filledAmount: 0.5, cancelReason: 'immediate_or_cancel' });
    unwrap(exchange.place('bot', limit(option, 'sell', 0.022, 0.5)));
    const fok = unwrap(exchange.place('alice', limit(option, 'buy', 0.03, 1, { timeInForce: 'fill_or_kill' })));
    expect(fok.order).toMatchObject({ orderState: 'cancelled', filledAmount: 0 });
    expect(exchange.book(option.instrumentName)!.depth('sell')).toEqual([{ priceTicks: 220, lots: 5, orders: 1 }]);
    const market = unwrap(exchange.place('alice', { instrumentName: option.instrumentName, direction: 'buy', amount: 1, type: 'market' }));
    expect(market.order).toMatchObject({ orderState: 'cancelled', filledAmount: 0.5, averagePrice: 0.022, price: 0.022 });
  });

  it('caps reduce-only orders to the position, refuses them without one, and trims them as it shrinks', () => {
    const { exchange, option } = setup();
    expect(exchange.place('alice', limit(option, 'sell', 0.03, 1, { reduceOnly: true }))).toMatchObject({ ok: false, error: { code: ERRORS.otherReject.code } });
    unwrap(exchange.place('bot', limit(option, 'sell', 0.02, 2)));
    unwrap(exchange.place('alice', limit(option, 'buy', 0.02, 1)));
    const capped = unwrap(exchange.place('alice', limit(option, 'sell', 0.03, 3, { reduceOnly: true })));
    expect(capped.order.amount).toBe(1);
    // Selling the position elsewhere leaves nothing for the reduce-only order to reduce.
    unwrap(exchange.place('bot', limit(option, 'buy', 0.019, 5)));
    unwrap(exchange.place('alice', limit(option, 'sell', 0.019, 1)));
    expect(exchange.openOrders('alice')).toEqual([]);
    expect(unwrap(exchange.orderState('alice', capped.order.orderId))).toMatchObject({ orderState: 'cancelled', cancelReason: 'reduce_only' });
  });

  it('edits in place: a smaller amount keeps priority, a new price re-queues and may trade', () => {
    const { exchange, option } = setup();
    const first = unwrap(exchange.place('alice', limit(option, 'buy', 0.015, 2))).order;
    unwrap(exchange.place('bob', limit(option, 'buy', 0.015, 1)));
    unwrap(exchange.edit('alice', { orderId: first.orderId, amount: 1.5 }));
    expect(exchange.book(option.instrumentName)!.lotsAhead(first.orderId)).toBe(0);
    const moved = unwrap(exchange.edit('alice', { orderId: first.orderId, amount: 1.5, price: 0.0155 }));
    expect(moved.order).toMatchObject({ price: 0.0155, replaced: true, orderId: first.orderId });
    unwrap(exchange.edit('alice', { orderId: first.orderId, amount: 1.5, price: 0.015 }));
    expect(exchange.book(option.instrumentName)!.lotsAhead(first.orderId)).toBe(10);
    unwrap(exchange.place('bot', limit(option, 'sell', 0.016, 1)));
    const crossed = unwrap(exchange.edit('alice', { orderId: first.orderId, amount: 1.5, price: 0.016 }));
    expect(crossed.trades.map((t) => t.amount)).toEqual([1]);
    expect(crossed.order).toMatchObject({ filledAmount: 1, orderState: 'open' });
    expect(exchange.edit('alice', { orderId: first.orderId, amount: 1, price: 0.016 })).toMatchObject({ ok: false, error: { code: ERRORS.invalidAmount.code } });
  });

  it('prevents self-trades by cancelling the resting own order', () => {
    const { exchange, option } = setup();
    const own = unwrap(exchange.place('alice', limit(option, 'sell', 0.021, 1))).order;
    unwrap(exchange.place('bot', limit(option, 'sell', 0.022, 1)));
    const taker = unwrap(exchange.place('alice', limit(option, 'buy', 0.022, 1)));
    expect(taker.trades.map((t) => t.makerAccountId)).toEqual(['bot']);
    expect(unwrap(exchange.orderState('alice', own.orderId))).toMatchObject({ orderState: 'cancelled', cancelReason: 'self_trade' });
  });

  it('refuses risk it cannot margin', () => {
    const { exchange, option } = setup(0.05);
    expect(exchange.place('alice', limit(option, 'sell', 0.02, 1))).toMatchObject({ ok: false, error: { code: ERRORS.notEnoughFunds.code } });
    expect(exchange.place('alice', limit(option, 'buy', 0.02, 2))).toMatchObject({ ok: true });
    expect(exchange.place('alice', limit(option, 'buy', 0.02, 1))).toMatchObject({ ok: false, error: { code: ERRORS.notEnoughFunds.code } });
  });

  it('cancels by filter', () => {
    const { exchange, option, perp } = setup();
    unwrap(exchange.place('alice', limit(option, 'buy', 0.01, 1, { label: 'a' })));
    unwrap(exchange.place('alice', limit(option, 'buy', 0.011, 1, { label: 'b' })));
    unwrap(exchange.place('alice', limit(perp, 'buy', 90_000, 100)));
    expect(exchange.cancelAll('alice', { kind: 'option', label: 'a' })).toBe(1);
    expect(exchange.cancelAll('alice', { instrumentName: perp.instrumentName })).toBe(1);
    expect(exchange.cancelAll('alice', { currency: 'BTC' })).toBe(1);
    expect(exchange.openOrders('alice')).toEqual([]);
  });
});

describe('inverse futures', () => {
  it('realizes PnL in coin as 1/entry − 1/exit and averages harmonically', () => {
    const { exchange, perp } = setup();
    unwrap(exchange.place('bot', limit(perp, 'sell', 90_000, 9_000)));
    unwrap(exchange.place('bot', limit(perp, 'sell', 100_000, 10_000)));
    unwrap(exchange.place('alice', limit(perp, 'buy', 100_000, 19_000)));
    const position = exchange.positions('alice')[0]!;
    expect(position.size).toBe(19_000);
    expect(position.averagePrice).toBeCloseTo(19_000 / (9_000 / 90_000 + 10_000 / 100_000), 6);
    const before = exchange.accountSummary('alice', 'BTC')!.balance;
    unwrap(exchange.place('bot', limit(perp, 'buy', 110_000, 19_000)));
    unwrap(exchange.place('alice', limit(perp, 'sell', 110_000, 19_000)));
    const fee = (0.0005 * 19_000) / 110_000;
    const pnl = 19_000 * (1 / position.averagePrice - 1 / 110_000);
    expect(exchange.accountSummary('alice', 'BTC')!.balance - before).toBeCloseTo(pnl - fee, 12);
    expect(exchange.positions('alice')[0]).toMatchObject({ size: 0 });
  });
});

describe('market maker protection', () => {
  it('cancels MMP orders and freezes when the quantity limit is reached, until reset', () => {
    const { exchange, option, clock } = setup();
    unwrap(exchange.setMmpConfig('alice', { indexName: 'btc_usd', intervalSec: 1, frozenTimeSec: 0, quantityLimit: 1 }));
    unwrap(exchange.place('alice', limit(option, 'sell', 0.03, 0.6, { mmp: true })));
    const other = unwrap(exchange.place('alice', limit(option, 'buy', 0.01, 1, { mmp: true }))).order;
    const plain = unwrap(exchange.place('alice', limit(option, 'buy', 0.009, 1))).order;
    unwrap(exchange.place('bob', limit(option, 'buy', 0.03, 0.5)));
    clock.advance(1500); // outside the interval: the first fill no longer counts
    unwrap(exchange.place('bob', limit(option, 'buy', 0.03, 0.1)));
    expect(exchange.openOrders('alice').map((o) => o.orderId)).toContain(other.orderId);
    unwrap(exchange.place('alice', limit(option, 'sell', 0.03, 1, { mmp: true })));
    unwrap(exchange.place('bob', limit(option, 'buy', 0.03, 1)));
    const events = exchange.drainEvents();
    expect(events.some((e) => e.type === 'mmpTriggered' && e.accountId === 'alice')).toBe(true);
    expect(exchange.openOrders('alice').map((o) => o.orderId)).toEqual([plain.orderId]);
    expect(exchange.place('alice', limit(option, 'buy', 0.01, 1, { mmp: true }))).toMatchObject({ ok: false, error: ERRORS.mmpTrigger });
    unwrap(exchange.resetMmp('alice', 'btc_usd'));
    expect(exchange.place('alice', limit(option, 'buy', 0.01, 1, { mmp: true }))).toMatchObject({ ok: true });
  });

  it('unfreezes by itself after frozen_time', () => {
    const { exchange, option, clock } = setup();
    unwrap(exchange.setMmpConfig('alice', { indexName: 'btc_usd', intervalSec: 5, frozenTimeSec: 2, quantityLimit: 10 }));
    exchange.triggerMmp('alice', 'btc_usd');
    expect(exchange.place('alice', limit(option, 'buy', 0.01, 1, { mmp: true }))).toMatchObject({ ok: false });
    clock.advance(2001);
    expect(exchange.place('alice', limit(option, 'buy', 0.01, 1, { mmp: true }))).toMatchObject({ ok: true });
  });

  it('reports the frozen indices (Infinity until a reset) and nothing once thawed', () => {
    const { exchange, clock } = setup();
    expect(exchange.mmpStatuses('alice')).toEqual([]);
    unwrap(exchange.setMmpConfig('alice', { indexName: 'btc_usd', intervalSec: 5, frozenTimeSec: 2, quantityLimit: 10 }));
    expect(exchange.mmpStatuses('alice')).toEqual([]);
    exchange.triggerMmp('alice', 'btc_usd');
    expect(exchange.mmpStatuses('alice')).toEqual([{ indexName: 'btc_usd', frozenUntilMs: NOW + 2000 }]);
    clock.advance(2000);
    expect(exchange.mmpStatuses('alice')).toEqual([]);
    unwrap(exchange.setMmpConfig('alice', { indexName: 'btc_usd', intervalSec: 5, frozenTimeSec: 0, quantityLimit: 10 }));
    exchange.triggerMmp('alice', 'btc_usd');
    expect(exchange.mmpStatuses('alice')).toEqual([{ indexName: 'btc_usd', frozenUntilMs: Number.POSITIVE_INFINITY }]);
    unwrap(exchange.resetMmp('alice', 'btc_usd'));
    expect(exchange.mmpStatuses('alice')).toEqual([]);
  });

  it('counts a future’s quantity in coin, as Deribit’s quantity_limit is', () => {
    const { exchange, perp } = setup();
    unwrap(exchange.setMmpConfig('alice', { indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimit: 1 }));
    // 47,500 USD at 95,000 is 0.5 BTC: under the limit.
    unwrap(exchange.place('alice', limit(perp, 'sell', INDEX, 47_500, { mmp: true })));
    unwrap(exchange.place('bob', limit(perp, 'buy', INDEX, 47_500)));
    expect(exchange.mmpStatuses('alice')).toEqual([]);
    unwrap(exchange.place('alice', limit(perp, 'sell', INDEX, 47_500, { mmp: true })));
    unwrap(exchange.place('bob', limit(perp, 'buy', INDEX, 47_500)));
    expect(exchange.mmpStatuses('alice')).toEqual([{ indexName: 'btc_usd', frozenUntilMs: Number.POSITIVE_INFINITY }]);
  });
});

describe('settlement', () => {
  it('pays options their intrinsic value at the index and closes the book', () => {
    const { exchange, option, clock } = setup();
    unwrap(exchange.place('bot', limit(option, 'sell', 0.02, 1)));
    unwrap(exchange.place('alice', limit(option, 'buy', 0.02, 1)));
    unwrap(exchange.place('alice', limit(option, 'buy', 0.001, 1)));
    const before = exchange.accountSummary('alice', 'BTC')!.balance;
    clock.set(option.expirationTimestamp);
    exchange.setIndexPrice('BTC', 110_000);
    expect(exchange.settleExpired()).toContain(option.instrumentName);
    expect(exchange.accountSummary('alice', 'BTC')!.balance - before).toBeCloseTo(intrinsicCoin(option, 110_000), 12);
    expect(intrinsicCoin(option, 110_000)).toBeCloseTo(10_000 / 110_000, 12);
    expect(exchange.positions('alice', 'BTC')).toEqual([]);
    expect(exchange.openOrders('alice')).toEqual([]);
    expect(exchange.place('alice', limit(option, 'buy', 0.02, 1))).toMatchObject({ ok: false, error: ERRORS.bookClosed });
  });
});

describe('conservation', () => {
  it('keeps coin and contracts conserved between trading accounts for any order flow', () => {
    const order = fc.record({
      account: fc.constantFrom('alice', 'bob', 'carol'),
      direction: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      priceTicks: fc.integer({ min: 150, max: 250 }).map((t) => t - (t % 5)),
      lots: fc.integer({ min: 1, max: 20 }),
      kind: fc.constantFrom('limit', 'ioc', 'cancel'),
    });
    fc.assert(
      fc.property(fc.array(order, { maxLength: 80 }), (orders) => {
        const { exchange, option } = setup(100);
        for (const o of orders) {
          if (o.kind === 'cancel') {
            const open = exchange.openOrders(o.account)[0];
            if (open) unwrap(exchange.cancel(o.account, open.orderId));
            continue;
          }
          exchange.place(o.account, limit(option, o.direction, o.priceTicks / 10_000, o.lots / 10, o.kind === 'ioc' ? { timeInForce: 'immediate_or_cancel' } : {}));
        }
        let cash = 0;
        let fees = 0;
        let contracts = 0;
        for (const account of ['alice', 'bob', 'carol']) {
          const summary = exchange.accountSummary(account, 'BTC')!;
          cash += summary.balance;
          fees += summary.feesPaid;
          contracts += exchange.positions(account).reduce((sum, p) => sum + p.size, 0);
        }
        expect(cash + fees).toBeCloseTo(300, 9);
        expect(contracts).toBeCloseTo(0, 9);
        const book = exchange.book(option.instrumentName)!;
        const bid = book.bestBidTicks();
        const ask = book.bestAskTicks();
        if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
      }),
      { seed: 99, numRuns: 150 },
    );
  });
});
