/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures and JSON-RPC messages are untyped */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOT_MODELLED, shapeDifferences } from '../../../test/support/json-shape.ts';
import { TokenIssuer } from './auth.ts';
import type { MarketView } from './render.ts';
import { SimRpcServer } from './server.ts';
import { Session } from './session.ts';
import { listedBtcExchange } from '../exchange/test-exchange.ts';

/**
 * private/mass_quote, private/cancel_quotes and MMP groups on the wire: the shapes Deribit
 * documents (test/fixtures/deribit/private.mass_quote.json, private.set_mmp_config.json,
 * channel.user.mmp_trigger.json), the quote fields on user.orders and user.trades, the session
 * requirements (cancel-on-disconnect, valid_until, freeze_quotes) and the separate rate limits.
 */
const FIXTURES = new URL('../../../test/fixtures/deribit/', import.meta.url);
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const NOW = Date.UTC(2026, 10, 21, 15, 0);

function setup() {
  const { clock, exchange, instruments } = listedBtcExchange(NOW);
  for (const instrument of instruments) exchange.setMark(instrument.instrumentName, instrument.kind === 'option' ? { markPrice: 0.02, markIv: 0.5, deltaCoin: 0.3, gammaCoin: 0.00001, vegaUsd: 50, thetaUsd: -30 } : { markPrice: 95_100 });
  exchange.addAccount('trader', { balances: { BTC: 10 } });
  exchange.addAccount('bot', { balances: {}, background: true });
  const option = instruments.find((i) => i.kind === 'option' && i.strike === 100_000 && i.optionType === 'call' && i.settlementPeriod === 'month')!;
  const perp = instruments.find((i) => i.isPerpetual)!;
  const market: MarketView = { indexPrice: () => 95_000, forward: () => 95_400, funding: () => ({ current: 0.0001, eightHour: 0.0001 }) };
  const tokens = new TokenIssuer(clock, () => 'ab'.repeat(24));
  tokens.register({ clientId: 'id', clientSecret: 'secret', accountId: 'trader' });
  const server = new SimRpcServer({ exchange, market, tokens, clock, credits: { nonMatching: { maxCredits: 1e9, refillPerSec: 0, costPerRequest: 1 }, matching: { maxCredits: 1e9, refillPerSec: 0, costPerRequest: 1 } } });
  const frames: any[] = [];
  const session = new Session(1, { send: (text) => frames.push(JSON.parse(text)), close: () => undefined, terminate: () => undefined }, { nonMatching: { maxCredits: 1e9, refillPerSec: 0, costPerRequest: 1 }, matching: { maxCredits: 1e9, refillPerSec: 0, costPerRequest: 1 } }, NOW);
  server.publisher.addSession(session);
  let id = 0;
  const call = (method: string, params: Record<string, unknown> = {}): any => server.handleRequest(session, { jsonrpc: '2.0', id: ++id, method, params });
  call('public/auth', { grant_type: 'client_credentials', client_id: 'id', client_secret: 'secret' });
  const notifications = (channel: string): any[] => frames.filter((f) => f.method === 'subscription' && f.params.channel === channel).map((f) => f.params.data);
  return { clock, exchange, server, session, call, option, perp, notifications };
}

const groupParams = { index_name: 'btc_usd', mmp_group: 'MassQuoteBot7', interval: 60, frozen_time: 0, quantity_limit: 3, max_quote_quantity: 2.5 };

describe('mass quotes on the wire', () => {
  it('answers private/mass_quote with Deribit’s documented orders, trades and errors', () => {
    const { call, option, perp } = setup();
    call('private/enable_cancel_on_disconnect');
    const group = call('private/set_mmp_config', groupParams);
    expect(shapeDifferences(fixture('private.set_mmp_config.json').response.result, group.result)).toEqual([]);
    const documented = fixture('private.mass_quote.json').response.result;
    const actual = call('private/mass_quote', {
      detailed: true,
      quote_id: '1',
      mmp_group: 'MassQuoteBot7',
      quotes: [
        { instrument_name: perp.instrumentName, quote_set_id: 'futures', bid: { price: 90_000.3, amount: 10 }, ask: { price: 96_000, amount: 10 } },
        { instrument_name: option.instrumentName, quote_set_id: 'options', bid: { price: 0.015, amount: 1 }, ask: { price: 0.025, amount: 1 } },
      ],
    }).result;
    expect(shapeDifferences(documented, actual)).toEqual([]);
    expect(actual.errors).toEqual([{ instrument_name: perp.instrumentName, side: 'bid', error: { code: 10043, message: 'price_wrong_tick' } }]);
    expect(actual.orders.map((o: any) => [o.instrument_name, o.direction, o.quote, o.quote_id, o.quote_set_id, o.mmp_group, o.mmp, o.label])).toEqual([
      [perp.instrumentName, 'sell', true, '1', 'futures', 'MassQuoteBot7', true, ''],
      [option.instrumentName, 'buy', true, '1', 'options', 'MassQuoteBot7', true, ''],
      [option.instrumentName, 'sell', true, '1', 'options', 'MassQuoteBot7', true, ''],
    ]);
    const brief = call('private/mass_quote', { quote_id: '2', mmp_group: 'MassQuoteBot7', quotes: [{ instrument_name: option.instrumentName, quote_set_id: 'options', bid: { price: 0.0151 } }] }).result;
    expect(brief).toMatchObject({ errors_count: 1, orders: [expect.objectContaining({ order_state: 'cancelled' })] });
    expect(brief.errors).toBeUndefined();
    const quick = call('private/mass_quote', { quote_id: '3', mmp_group: 'MassQuoteBot7', wait_for_response: false, quotes: [{ instrument_name: option.instrumentName, quote_set_id: 'options', bid: { price: 0.015, amount: 1 } }] }).result;
    expect(quick).toEqual({ errors_count: 0, pending_requests_count: 0 });
  });

  it('tags quote orders on user.orders and their fills on user.trades, and lists them among open orders', () => {
    const { call, exchange, option, notifications } = setup();
    call('private/enable_cancel_on_disconnect');
    call('private/set_mmp_config', groupParams);
    call('private/subscribe', { channels: ['user.orders.any.BTC.raw', 'user.trades.any.BTC.raw'] });
    call('private/mass_quote', { quote_id: '7', mmp_group: 'MassQuoteBot7', quotes: [{ instrument_name: option.instrumentName, quote_set_id: 'set', bid: { price: 0.02, amount: 2 } }] });
    const documentedOrder = fixture('private.mass_quote.json').response.result.orders[0];
    const [order] = notifications('user.orders.any.BTC.raw');
    expect(shapeDifferences(documentedOrder, order)).toEqual([]);
    expect(order).toMatchObject({ quote: true, quote_id: '7', quote_set_id: 'set', mmp_group: 'MassQuoteBot7', label: '' });
    expect(call('private/get_open_orders_by_currency', { currency: 'BTC' }).result).toEqual([expect.objectContaining({ order_id: order.order_id, quote: true })]);
    exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 1, type: 'limit', price: 0.02 });
    call('public/get_time'); // flushes the exchange's events
    const [trades] = notifications('user.trades.any.BTC.raw');
    expect(trades[0]).toMatchObject({ order_id: order.order_id, quote_id: '7', quote_set_id: 'set', label: '', liquidity: 'M' });
    expect(shapeDifferences(fixture('channel.user.trades.json').notifications[0].params.data[0], trades[0])).toEqual([]);
  });

  it('needs cancel-on-disconnect for mass_quote and cancel_quotes; refuses an expired valid_until; freeze_quotes holds quotes off for a second', () => {
    const { clock, call, option } = setup();
    const one = (quoteId: string, extra: Record<string, unknown> = {}) => call('private/mass_quote', { quote_id: quoteId, mmp_group: 'MassQuoteBot7', quotes: [{ instrument_name: option.instrumentName, quote_set_id: 's', bid: { price: 0.015, amount: 1 } }], ...extra });
    call('private/set_mmp_config', groupParams);
    expect(one('1').error).toMatchObject({ code: 13042, message: 'cod_not_enabled' });
    expect(call('private/cancel_quotes', { cancel_type: 'all' }).error).toMatchObject({ code: 13042 });
    call('private/enable_cancel_on_disconnect');
    expect(one('2', { valid_until: NOW - 1 }).error).toMatchObject({ code: 13888, message: 'timed_out' });
    expect(one('3', { valid_until: NOW + 1 }).result.orders).toHaveLength(1);
    expect(call('private/cancel_quotes', { cancel_type: 'all' }).result).toBe(1);
    one('4');
    expect(call('private/cancel_quotes', { cancel_type: 'instrument', instrument_name: option.instrumentName, detailed: true, freeze_quotes: true }).result).toEqual([{ order: expect.objectContaining({ order_state: 'cancelled', quote: true }) }]);
    expect(one('5').error).toMatchObject({ code: 13043, message: 'quotes_frozen' });
    clock.advance(1_000);
    one('6');
    expect(call('private/cancel_all', { freeze_quotes: true }).result).toBe(1);
    expect(one('7').error).toMatchObject({ code: 13043 });
    expect(call('private/cancel_quotes', { cancel_type: 'instrument' }).error).toMatchObject({ code: -32602, data: { param: 'instrument_name' } });
  });

  it('reports a group’s configuration, status and trigger with its mmp_group, and resets the group alone', () => {
    const { call, exchange, option, notifications } = setup();
    call('private/enable_cancel_on_disconnect');
    call('private/set_mmp_config', { index_name: 'btc_usd', interval: 60, frozen_time: 0, quantity_limit: 3 });
    call('private/set_mmp_config', groupParams);
    call('private/subscribe', { channels: ['user.mmp_trigger.btc_usd'] });
    const [config] = call('private/get_mmp_config', { index_name: 'btc_usd', mmp_group: 'MassQuoteBot7' }).result;
    expect(config).toMatchObject({ mmp_group: 'MassQuoteBot7', quantity_limit: 3, max_quote_quantity: 2.5 });
    // Deribit's example also carries delta_limit and vega_limit, which this group does not set.
    expect(shapeDifferences(fixture('private.get_mmp_config.json').response.result[0], config, '', new Set([...NOT_MODELLED, 'delta_limit', 'vega_limit']))).toEqual([]);
    // A quote above the group's max_quote_quantity is refused on its own, in the request's errors.
    const capped = call('private/mass_quote', { quote_id: '0', mmp_group: 'MassQuoteBot7', detailed: true, quotes: [{ instrument_name: option.instrumentName, quote_set_id: 's', bid: { price: 0.01, amount: 2.5 }, ask: { price: 0.03, amount: 2.6 } }] }).result;
    expect(capped.errors).toEqual([{ instrument_name: option.instrumentName, side: 'ask', error: { code: 10021, message: 'invalid_amount' } }]);
    expect(capped.orders).toEqual([expect.objectContaining({ direction: 'buy', amount: 2.5 })]);
    call('private/cancel_quotes', { cancel_type: 'all' });
    expect(call('private/get_mmp_config', { index_name: 'btc_usd' }).result.map((c: any) => c.mmp_group)).toEqual([undefined, 'MassQuoteBot7']);
    call('private/mass_quote', { quote_id: '1', mmp_group: 'MassQuoteBot7', quotes: [{ instrument_name: option.instrumentName, quote_set_id: 's', bid: { price: 0.02, amount: 2 } }] });
    exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 2, type: 'limit', price: 0.019 });
    call('public/get_time');
    // Two traded of a quantity limit of 3 leave the group live; the next fill freezes it.
    expect(call('private/get_mmp_status', {}).result).toEqual([]);
    call('private/mass_quote', { quote_id: '2', mmp_group: 'MassQuoteBot7', quotes: [{ instrument_name: option.instrumentName, quote_set_id: 's', bid: { price: 0.02, amount: 2 } }] });
    exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 1, type: 'limit', price: 0.019 });
    call('public/get_time');
    const [trigger] = notifications('user.mmp_trigger.btc_usd');
    expect(shapeDifferences(fixture('channel.user.mmp_trigger.json').notifications[1].params.data, trigger)).toEqual([]);
    expect(trigger).toEqual({ index_name: 'btc_usd', frozen_until: 0, mmp_group: 'MassQuoteBot7' });
    expect(call('private/get_mmp_status', { index_name: 'btc_usd', mmp_group: 'MassQuoteBot7' }).result).toEqual([{ index_name: 'btc_usd', frozen_until: 0, mmp_group: 'MassQuoteBot7' }]);
    expect(call('private/get_open_orders_by_currency', { currency: 'BTC' }).result).toEqual([]);
    // Resetting the index's own protection leaves the group frozen; resetting the group frees it.
    call('private/reset_mmp', { index_name: 'btc_usd' });
    expect(call('private/get_mmp_status', {}).result).toHaveLength(1);
    expect(call('private/reset_mmp', { index_name: 'btc_usd', mmp_group: 'MassQuoteBot7' }).result).toBe('ok');
    expect(call('private/get_mmp_status', {}).result).toEqual([]);
  });

  it('rate-limits mass quotes apart from orders: too_many_quotes, the session kept, the guaranteed rate whatever the size', () => {
    const { clock, call, option, session } = setup();
    call('private/enable_cancel_on_disconnect');
    call('private/set_mmp_config', { ...groupParams, quantity_limit: 10 });
    const quote = (n: number) => call('private/mass_quote', { quote_id: 'q', mmp_group: 'MassQuoteBot7', quotes: Array.from({ length: n }, () => ({ instrument_name: option.instrumentName, quote_set_id: 's', bid: { price: 0.015, amount: 1 } })) });
    // Deribit's example limits: 10 requests of the higher rate, then 2 guaranteed.
    for (let i = 0; i < 12; i++) expect(quote(1).error).toBeUndefined();
    expect(quote(1).error).toMatchObject({ code: 13903, message: 'too_many_quotes' });
    expect(session.closed).toBe(false);
    expect(call('private/buy', { instrument_name: option.instrumentName, amount: 1, price: 0.001 }).error).toBeUndefined();
    clock.advance(1_000);
    // 100 quotes a request: five requests spend the 500 quotes a second; two more go on the guaranteed rate.
    for (let i = 0; i < 7; i++) expect(quote(100).error).toBeUndefined();
    expect(quote(100).error).toMatchObject({ code: 13903 });
  });
});
