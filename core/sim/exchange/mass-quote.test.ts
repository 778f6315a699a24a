import { describe, expect, it } from 'vitest';
import type { SimInstrument } from '../instruments/types.ts';
import type { MassQuoteOutcome, QuoteEntryParams } from './exchange.ts';
import type { Result } from './errors.ts';
import { listedBtcExchange } from './test-exchange.ts';

/**
 * Deribit's mass quotes in the matching engine (docs.deribit.com/articles/mass-quotes-specifications):
 * MMP groups, one quote per slot amended by resending it, priority kept or lost as documented,
 * per-side errors that cancel what they would have amended, group freezes and cancel_quotes.
 */
const NOW = Date.UTC(2026, 10, 21, 15, 0);

function setup() {
  const { clock, exchange, instruments } = listedBtcExchange(NOW);
  for (const instrument of instruments) exchange.setMark(instrument.instrumentName, instrument.kind === 'option' ? { markPrice: 0.02, markIv: 0.5, deltaCoin: 0.35, vegaUsd: 60 } : { markPrice: 95_000 });
  exchange.addAccount('alice', { balances: { BTC: 10 } });
  exchange.addAccount('bob', { balances: { BTC: 10 } });
  exchange.addAccount('nomq', { balances: { BTC: 10 }, massQuotes: false });
  exchange.addAccount('bot', { balances: {}, background: true });
  const options = instruments.filter((i) => i.kind === 'option' && i.settlementPeriod === 'month' && i.optionType === 'call');
  const option = options.find((i) => i.strike === 100_000)!;
  const other = options.find((i) => i.strike !== 100_000 && i.expirationTimestamp === option.expirationTimestamp)!;
  const perp = instruments.find((i) => i.isPerpetual)!;
  exchange.setMark(other.instrumentName, { markPrice: 0.05, markIv: 0.5, deltaCoin: 0.6, vegaUsd: 60 });
  const group = (name: string, quantityLimit = 5, extra: { frozenTimeSec?: number; deltaLimit?: number; maxQuoteQuantity?: number } = {}) =>
    exchange.setMmpConfig('alice', {
      indexName: 'btc_usd',
      mmpGroup: name,
      intervalSec: 1,
      frozenTimeSec: extra.frozenTimeSec ?? 0,
      quantityLimit,
      ...(extra.deltaLimit !== undefined && { deltaLimit: extra.deltaLimit }),
      ...(extra.maxQuoteQuantity !== undefined && { maxQuoteQuantity: extra.maxQuoteQuantity }),
    });
  const quote = (quotes: QuoteEntryParams[], mmpGroup = 'g1', quoteId = 'q1', account = 'alice'): Result<MassQuoteOutcome> => exchange.massQuote(account, { mmpGroup, quoteId, quotes });
  return { clock, exchange, option, other, perp, group, quote };
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.message}`);
  return result.value;
}

const entry = (instrument: SimInstrument, bid?: QuoteEntryParams['bid'], ask?: QuoteEntryParams['ask'], quoteSetId = 's1'): QuoteEntryParams => ({
  instrumentName: instrument.instrumentName,
  quoteSetId,
  ...(bid && { bid }),
  ...(ask && { ask }),
});

describe('mass quotes', () => {
  it('refuses the whole request without an existing MMP group, on another index, while frozen or not granted', () => {
    const { exchange, option, quote, group } = setup();
    expect(quote([entry(option, { price: 0.01, amount: 1 })])).toMatchObject({ ok: false, error: { code: 11043, data: { param: 'mmp_group' } } });
    unwrap(group('g1'));
    exchange.setMmpConfig('alice', { indexName: 'eth_usd', mmpGroup: 'eth', intervalSec: 1, frozenTimeSec: 0, quantityLimit: 50 });
    expect(quote([entry(option, { price: 0.01, amount: 1 })], 'eth')).toMatchObject({ ok: false, error: { code: 11043, data: { param: 'quotes' } } });
    expect(exchange.massQuote('nomq', { mmpGroup: 'g1', quoteId: 'q', quotes: [entry(option, { price: 0.01, amount: 1 })] })).toMatchObject({ ok: false, error: { code: 13902, message: 'mass_quotes_disabled' } });
    exchange.triggerMmp('alice', 'btc_usd', 'g1');
    expect(quote([entry(option, { price: 0.01, amount: 1 })])).toMatchObject({ ok: false, error: { code: 13030, message: 'mmp_trigger' } });
    expect(exchange.openOrders('alice')).toEqual([]);
  });

  it('holds one quote per side per instrument per group: a resend amends the same order, another group adds one', () => {
    const { exchange, option, quote, group } = setup();
    unwrap(group('g1'));
    unwrap(group('g2'));
    const first = unwrap(quote([entry(option, { price: 0.01, amount: 1 }, { price: 0.03, amount: 2 })]));
    expect(first.errors).toEqual([]);
    expect(first.orders.map((o) => [o.direction, o.price, o.amount, o.mmp, o.label, o.quote])).toEqual([
      ['buy', 0.01, 1, true, '', { mmpGroup: 'g1', quoteSetId: 's1', quoteId: 'q1' }],
      ['sell', 0.03, 2, true, '', { mmpGroup: 'g1', quoteSetId: 's1', quoteId: 'q1' }],
    ]);
    const [bid, ask] = first.orders;
    const second = unwrap(quote([entry(option, { price: 0.012, amount: 1 }, { price: 0.032, amount: 2 })], 'g1', 'q2'));
    expect(second.orders.map((o) => [o.orderId, o.price, o.replaced, o.quote?.quoteId])).toEqual([
      // Both sides move up: Deribit amends the ask first so the pair never crosses itself.
      [ask!.orderId, 0.032, true, 'q2'],
      [bid!.orderId, 0.012, true, 'q2'],
    ]);
    const layered = unwrap(quote([entry(option, { price: 0.011, amount: 1 })], 'g2'));
    expect(layered.orders[0]!.orderId).not.toBe(bid!.orderId);
    expect(exchange.openOrders('alice').filter((o) => o.direction === 'buy')).toHaveLength(2);
  });

  it('keeps an omitted side, cancels a side sent with amount 0, and amends price or amount alone', () => {
    const { exchange, option, quote, group } = setup();
    unwrap(group('g1'));
    const [bid, ask] = unwrap(quote([entry(option, { price: 0.01, amount: 1 }, { price: 0.03, amount: 2 })])).orders;
    const priceOnly = unwrap(quote([entry(option, { price: 0.011 })]));
    expect(priceOnly.orders).toEqual([expect.objectContaining({ orderId: bid!.orderId, price: 0.011, amount: 1 })]);
    const amountOnly = unwrap(quote([entry(option, undefined, { amount: 3 })]));
    expect(amountOnly.orders).toEqual([expect.objectContaining({ orderId: ask!.orderId, price: 0.03, amount: 3 })]);
    const cancel = unwrap(quote([entry(option, { amount: 0 })]));
    expect(cancel.orders).toEqual([expect.objectContaining({ orderId: bid!.orderId, orderState: 'cancelled', cancelReason: 'user_request' })]);
    expect(exchange.openOrders('alice').map((o) => o.orderId)).toEqual([ask!.orderId]);
    // Amount 0 on an empty slot is no error; an amendment with nothing to amend is.
    expect(unwrap(quote([entry(option, { amount: 0 })])).errors).toEqual([]);
    expect(unwrap(quote([entry(option, { price: 0.01 })])).errors).toEqual([{ instrumentName: option.instrumentName, side: 'bid', error: expect.objectContaining({ code: 10004 }) }]);
  });

  it('keeps queue priority when the amount shrinks or only the quote set changes, and loses it on an identical resend', () => {
    const { exchange, option, quote, group } = setup();
    unwrap(group('g1'));
    const mine = unwrap(quote([entry(option, { price: 0.015, amount: 2 })])).orders[0]!;
    const theirs = unwrap(exchange.place('bob', { instrumentName: option.instrumentName, direction: 'buy', amount: 1, type: 'limit', price: 0.015 })).order;
    const firstMaker = (): string => unwrap(exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 0.1, type: 'limit', price: 0.015 })).trades[0]!.makerOrderId;

    unwrap(quote([entry(option, { price: 0.015, amount: 1.5 })]));
    expect(firstMaker()).toBe(mine.orderId);
    unwrap(quote([entry(option, { price: 0.015, amount: 1.5 }, undefined, 's2')]));
    expect(firstMaker()).toBe(mine.orderId);
    unwrap(quote([entry(option, { price: 0.015, amount: 1.5 }, undefined, 's2')]));
    expect(firstMaker()).toBe(theirs.orderId);
  });

  it('reports a failing side in errors, keeps the other side, and cancels the quote the failed amendment meant to change', () => {
    const { exchange, option, other, quote, group } = setup();
    unwrap(group('g1', 5));
    const [bid, ask] = unwrap(quote([entry(option, { price: 0.01, amount: 1 }, { price: 0.03, amount: 1 })])).orders;
    const outcome = unwrap(quote([entry(option, { price: 0.011, amount: 5 }, { price: 0.0301, amount: 1 }), entry(other, { price: 0.04, amount: 1 })]));
    // Both sides moving up: the ask is processed first.
    expect(outcome.errors).toEqual([
      { instrumentName: option.instrumentName, side: 'ask', error: expect.objectContaining({ code: 10043, message: 'price_wrong_tick' }) },
      { instrumentName: option.instrumentName, side: 'bid', error: expect.objectContaining({ code: 10021, message: 'invalid_amount' }) },
    ]);
    expect(outcome.orders.map((o) => [o.orderId, o.orderState])).toEqual([
      [ask!.orderId, 'cancelled'],
      [bid!.orderId, 'cancelled'],
      [expect.any(String), 'open'],
    ]);
    expect(exchange.openOrders('alice').map((o) => o.instrumentName)).toEqual([other.instrumentName]);
  });

  it('refuses a pair that crosses itself, and applies post-only to quotes', () => {
    const { exchange, option, quote, group } = setup();
    unwrap(group('g1'));
    expect(unwrap(quote([entry(option, { price: 0.03, amount: 1 }, { price: 0.03, amount: 1 })])).errors.map((e) => [e.side, e.error.code])).toEqual([
      ['bid', 11030],
      ['ask', 11030],
    ]);
    unwrap(exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 1, type: 'limit', price: 0.02 }));
    const repriced = unwrap(quote([entry(option, { price: 0.025, amount: 1, postOnly: true })]));
    expect(repriced.orders[0]).toMatchObject({ price: 0.0195, filledAmount: 0, postOnly: true });
    const rejected = unwrap(quote([entry(option, { price: 0.025, amount: 1, postOnly: true, rejectPostOnly: true })]));
    expect(rejected.errors).toEqual([{ instrumentName: option.instrumentName, side: 'bid', error: expect.objectContaining({ code: 11054 }) }]);
    // The failed amendment took the resting quote with it.
    expect(exchange.openOrders('alice')).toEqual([]);
    const taking = unwrap(quote([entry(option, { price: 0.025, amount: 1 })]));
    expect(taking.trades).toHaveLength(1);
    expect(taking.orders[0]).toMatchObject({ orderState: 'filled', averagePrice: 0.02 });
  });

  it('is amended by mass quotes only: private/edit refuses a quote', () => {
    const { exchange, option, quote, group } = setup();
    unwrap(group('g1'));
    const bid = unwrap(quote([entry(option, { price: 0.01, amount: 1 })])).orders[0]!;
    expect(exchange.edit('alice', { orderId: bid.orderId, amount: 1, price: 0.012 })).toMatchObject({ ok: false, error: { code: 11030 } });
  });

  it('freezes the group when its quotes trade its quantity limit: its quotes cancelled, other groups untouched, new quotes refused until the freeze ends', () => {
    const { clock, exchange, option, other, quote, group } = setup();
    unwrap(group('g1', 3, { frozenTimeSec: 5 }));
    unwrap(group('g2', 3));
    unwrap(quote([entry(option, { price: 0.015, amount: 2 }), entry(other, { price: 0.04, amount: 2 })]));
    const kept = unwrap(quote([entry(option, { price: 0.014, amount: 2 })], 'g2')).orders[0]!;
    exchange.drainEvents();
    unwrap(exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 2, type: 'limit', price: 0.015 }));
    unwrap(exchange.place('bot', { instrumentName: other.instrumentName, direction: 'sell', amount: 1, type: 'limit', price: 0.04 }));
    const events = exchange.drainEvents();
    expect(events.filter((e) => e.type === 'mmpTriggered')).toEqual([{ type: 'mmpTriggered', accountId: 'alice', indexName: 'btc_usd', frozenUntilMs: NOW + 5_000, mmpGroup: 'g1' }]);
    const cancels = events.flatMap((e) => (e.type === 'order' && e.order.orderState === 'cancelled' ? [e.order] : []));
    expect(cancels.map((o) => [o.instrumentName, o.cancelReason, o.filledAmount])).toEqual([[other.instrumentName, 'mmp_trigger', 1]]);
    expect(exchange.openOrders('alice').map((o) => o.orderId)).toEqual([kept.orderId]);
    expect(exchange.mmpStatuses('alice')).toEqual([{ indexName: 'btc_usd', frozenUntilMs: NOW + 5_000, mmpGroup: 'g1' }]);
    expect(quote([entry(option, { price: 0.015, amount: 1 })])).toMatchObject({ ok: false, error: { code: 13030 } });
    clock.advance(5_000);
    expect(unwrap(quote([entry(option, { price: 0.015, amount: 1 })])).errors).toEqual([]);
  });

  it('validates groups as Deribit does and cancels the quotes a lower quantity limit no longer covers', () => {
    const { exchange, option, other, quote, group } = setup();
    expect(group('g0', 0)).toMatchObject({ ok: false, error: { data: { param: 'quantity_limit' } } });
    expect(group('g0', 5, { deltaLimit: 5 })).toMatchObject({ ok: false, error: { data: { param: 'delta_limit' } } });
    for (let i = 0; i < 16; i++) unwrap(group(`g${i}`));
    expect(group('g16')).toMatchObject({ ok: false, error: { data: { param: 'mmp_group' } } });
    unwrap(quote([entry(option, { price: 0.01, amount: 3 }), entry(other, { price: 0.04, amount: 1 })], 'g1'));
    exchange.drainEvents();
    unwrap(group('g1', 2));
    const cancelled = exchange.drainEvents().flatMap((e) => (e.type === 'order' ? [e.order] : []));
    expect(cancelled.map((o) => [o.instrumentName, o.cancelReason])).toEqual([[option.instrumentName, 'mmp_config_curtailment']]);
    // Interval 0 removes the group and its quotes.
    unwrap(exchange.setMmpConfig('alice', { indexName: 'btc_usd', mmpGroup: 'g1', intervalSec: 0, frozenTimeSec: 0, quantityLimit: 0 }));
    expect(exchange.openOrders('alice')).toEqual([]);
    expect(exchange.mmpConfigs('alice').some((c) => c.mmpGroup === 'g1')).toBe(false);
  });

  it('caps each quote at its group’s max_quote_quantity, in coin, even above the quantity_limit: a larger side is refused on its own with invalid_amount', () => {
    const { exchange, option, other, perp, quote, group } = setup();
    unwrap(group('g1', 2, { maxQuoteQuantity: 3 }));
    expect(exchange.mmpConfigs('alice')).toEqual([expect.objectContaining({ mmpGroup: 'g1', quantityLimit: 2, maxQuoteQuantity: 3 })]);
    // At the cap is allowed (Deribit: the MQQ "cannot be exceeded"), though above the quantity_limit; a perpetual's USD amount counts at its price.
    const outcome = unwrap(quote([entry(option, { price: 0.01, amount: 3 }, { price: 0.03, amount: 3.1 }), entry(other, { price: 0.04, amount: 2.5 }), entry(perp, { price: 90_000, amount: 270_000 }, { price: 100_000, amount: 310_000 })]));
    expect(outcome.errors).toEqual([
      { instrumentName: option.instrumentName, side: 'ask', error: expect.objectContaining({ code: 10021, message: 'invalid_amount', data: expect.objectContaining({ param: 'amount', reason: expect.stringContaining('max_quote_quantity 3') }) }) },
      { instrumentName: perp.instrumentName, side: 'ask', error: expect.objectContaining({ code: 10021 }) },
    ]);
    expect(outcome.orders.map((o) => [o.instrumentName, o.direction, o.amount, o.orderState])).toEqual([
      [option.instrumentName, 'buy', 3, 'open'],
      [other.instrumentName, 'buy', 2.5, 'open'],
      [perp.instrumentName, 'buy', 270_000, 'open'],
    ]);
    // Refused on an amendment too: the slot's quote goes with it, as any errored amendment's does.
    expect(unwrap(quote([entry(option, { amount: 3.5 })])).errors).toEqual([{ instrumentName: option.instrumentName, side: 'bid', error: expect.objectContaining({ code: 10021 }) }]);
    expect(exchange.openOrders('alice').map((o) => o.instrumentName)).toEqual([other.instrumentName, perp.instrumentName]);
  });

  it('with a max_quote_quantity above the quantity_limit, a partial fill of one quote can freeze the group', () => {
    const { exchange, option, quote, group } = setup();
    unwrap(group('g1', 2, { maxQuoteQuantity: 5, frozenTimeSec: 5 }));
    const bid = unwrap(quote([entry(option, { price: 0.015, amount: 4 })])).orders[0]!;
    exchange.drainEvents();
    unwrap(exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 2, type: 'limit', price: 0.015 }));
    const events = exchange.drainEvents();
    expect(events.filter((e) => e.type === 'mmpTriggered')).toEqual([{ type: 'mmpTriggered', accountId: 'alice', indexName: 'btc_usd', frozenUntilMs: NOW + 5_000, mmpGroup: 'g1' }]);
    expect(exchange.orderState('alice', bid.orderId)).toMatchObject({ ok: true, value: { orderState: 'cancelled', cancelReason: 'mmp_trigger', filledAmount: 2 } });
  });

  it('cancels the quotes a lower max_quote_quantity no longer admits, and refuses a negative one', () => {
    const { exchange, option, other, perp, quote, group } = setup();
    unwrap(group('g1', 10, { maxQuoteQuantity: 4 }));
    unwrap(quote([entry(option, { price: 0.01, amount: 3 }), entry(other, { price: 0.04, amount: 1 }), entry(perp, { price: 90_000, amount: 180_000 })]));
    exchange.drainEvents();
    unwrap(group('g1', 10, { maxQuoteQuantity: 1.5 }));
    const cancelled = exchange.drainEvents().flatMap((e) => (e.type === 'order' ? [e.order] : []));
    expect(cancelled.map((o) => [o.instrumentName, o.cancelReason])).toEqual([
      [option.instrumentName, 'mmp_config_curtailment'],
      [perp.instrumentName, 'mmp_config_curtailment'],
    ]);
    expect(exchange.openOrders('alice').map((o) => o.instrumentName)).toEqual([other.instrumentName]);
    expect(group('g1', 10, { maxQuoteQuantity: -1 })).toMatchObject({ ok: false, error: { code: 11043 } });
  });

  it('cancels quotes by set, instrument, kind, currency, pair and delta (never regular orders), and freezes quoting for a second on request', () => {
    const { clock, exchange, option, other, perp, quote, group } = setup();
    unwrap(group('g1', 50_000));
    const regular = unwrap(exchange.place('alice', { instrumentName: option.instrumentName, direction: 'buy', amount: 1, type: 'limit', price: 0.005 })).order;
    const place = (): void => {
      unwrap(quote([entry(option, { price: 0.01, amount: 1 }, undefined, 'a'), entry(other, { price: 0.04, amount: 1 }, undefined, 'b'), entry(perp, { price: 90_000, amount: 10 }, undefined, 'b')]));
    };
    const names = (orders: readonly { instrumentName: string }[]) => orders.map((o) => o.instrumentName).sort();
    place();
    expect(names(exchange.cancelQuotes('alice', { kind: 'quote_set_id', quoteSetId: 'b' }))).toEqual([other.instrumentName, perp.instrumentName].sort());
    place();
    expect(names(exchange.cancelQuotes('alice', { kind: 'instrument', instrumentName: option.instrumentName }))).toEqual([option.instrumentName]);
    expect(names(exchange.cancelQuotes('alice', { kind: 'instrument_kind', instrumentKind: 'future' }))).toEqual([perp.instrumentName]);
    expect(names(exchange.cancelQuotes('alice', { kind: 'delta', minDelta: 0.5, maxDelta: 0.7 }))).toEqual([other.instrumentName]);
    place();
    expect(exchange.cancelQuotes('alice', { kind: 'currency', currency: 'ETH' })).toEqual([]);
    expect(exchange.cancelQuotes('alice', { kind: 'currency_pair', indexName: 'btc_usd' }, true)).toHaveLength(3);
    expect(exchange.openOrders('alice').map((o) => o.orderId)).toEqual([regular.orderId]);
    expect(quote([entry(option, { price: 0.01, amount: 1 })])).toMatchObject({ ok: false, error: { code: 13043, message: 'quotes_frozen' } });
    clock.advance(1_000);
    expect(quote([entry(option, { price: 0.01, amount: 1 })]).ok).toBe(true);
  });
});
