/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures are untyped */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenIssuer } from './auth.ts';
import type { MarketView } from './render.ts';
import { SimRpcServer } from './server.ts';
import { shapeDifferences } from '../../../test/support/json-shape.ts';
import { listedBtcExchange } from '../exchange/test-exchange.ts';

/**
 * Every field Deribit documents for a response (test/fixtures/deribit/, taken from Deribit's
 * documentation) must be present in the simulator's response with the same JSON type, so a
 * client written against Deribit parses the simulator unchanged.
 */
const FIXTURES = new URL('../../../test/fixtures/deribit/', import.meta.url);
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

function setup() {
  const now = Date.UTC(2026, 10, 21, 15, 0);
  const { clock, exchange, instruments } = listedBtcExchange(now);
  const option = instruments.find((i) => i.kind === 'option' && i.strike === 100_000 && i.optionType === 'call' && i.settlementPeriod === 'month')!;
  const future = instruments.find((i) => i.kind === 'future' && !i.isPerpetual)!;
  const perp = instruments.find((i) => i.isPerpetual)!;
  for (const instrument of instruments) exchange.setMark(instrument.instrumentName, instrument.kind === 'option' ? { markPrice: 0.02, markIv: 0.5, deltaCoin: 0.3, gammaCoin: 0.00001, vegaUsd: 50, thetaUsd: -30 } : { markPrice: 95_100 });
  exchange.addAccount('trader', { balances: { BTC: 10 } });
  exchange.addAccount('bot', { balances: {}, background: true });
  const market: MarketView = { indexPrice: () => 95_000, forward: () => 95_400, funding: () => ({ current: 0.0001, eightHour: 0.0001 }) };
  const tokens = new TokenIssuer(clock, () => 'ab'.repeat(24));
  tokens.register({ clientId: 'id', clientSecret: 'secret', accountId: 'trader' });
  const server = new SimRpcServer({ exchange, market, tokens, clock });
  const token = (server.handleRequest(undefined, { id: 1, method: 'public/auth', params: { grant_type: 'client_credentials', client_id: 'id', client_secret: 'secret' } }) as any).result.access_token as string;
  const call = (method: string, params: Record<string, unknown> = {}): any => server.handleRequest(undefined, { jsonrpc: '2.0', id: 1, method, params }, token);
  return { call, exchange, option, future, perp };
}

/** The standard-margin account summary fields (portfolio-margin maps and projections are not modelled). */
const SUMMARY_FIELDS = { currency: '', balance: 0, equity: 0, available_funds: 0, available_withdrawal_funds: 0, margin_balance: 0, initial_margin: 0, maintenance_margin: 0, total_pl: 0, session_rpl: 0, session_upl: 0, options_value: 0, futures_pl: 0, delta_total: 0, fee_balance: 0 };
/** MMP configuration fields for the regular orders group (max_quote_quantity is reported only when set, and enforced only on mass-quote groups: mass-quote.conformance.test.ts). */
const MMP_CONFIG_FIELDS = { index_name: '', interval: 0, frozen_time: 0, quantity_limit: 0 };

describe('responses carry every field Deribit documents', () => {
  const { call, exchange, option, future, perp } = setup();
  exchange.place('bot', { instrumentName: option.instrumentName, direction: 'sell', amount: 5, type: 'limit', price: 0.021 });
  exchange.place('bot', { instrumentName: option.instrumentName, direction: 'buy', amount: 5, type: 'limit', price: 0.019 });
  exchange.place('bot', { instrumentName: perp.instrumentName, direction: 'sell', amount: 100_000, type: 'limit', price: 95_100 });
  exchange.place('bot', { instrumentName: perp.instrumentName, direction: 'buy', amount: 100_000, type: 'limit', price: 95_000 });
  const buy = call('private/buy', { instrument_name: option.instrumentName, amount: 1, price: 0.021 });
  call('private/sell', { instrument_name: perp.instrumentName, amount: 10_000, type: 'market' });
  const resting = call('private/sell', { instrument_name: perp.instrumentName, amount: 10_000, price: 96_000, post_only: true });

  const cases: Array<[string, () => { documented: unknown; actual: unknown }]> = [
    ['public/get_instruments (option)', () => ({ documented: fixture('public.get_instruments.json').response.result[0], actual: call('public/get_instruments', { currency: 'BTC', kind: 'option' }).result[0] })],
    ['public/get_instruments (future)', () => ({ documented: fixture('public.get_instruments.json').response.result[1], actual: call('public/get_instruments', { currency: 'BTC', kind: 'future' }).result.find((i: any) => i.instrument_name === future.instrumentName) })],
    ['public/ticker (perpetual)', () => ({ documented: fixture('public.ticker.json').response.result, actual: call('public/ticker', { instrument_name: perp.instrumentName }).result })],
    ['public/ticker (option)', () => ({ documented: fixture('public.ticker.json').variants[0].response.result, actual: call('public/ticker', { instrument_name: option.instrumentName }).result })],
    ['public/get_order_book (option)', () => ({ documented: fixture('public.get_order_book.json').variants[0].response.result, actual: call('public/get_order_book', { instrument_name: option.instrumentName }).result })],
    ['public/get_index_price', () => ({ documented: fixture('public.get_index_price.json').response.result, actual: call('public/get_index_price', { index_name: 'btc_usd' }).result })],
    ['public/get_book_summary_by_currency', () => ({ documented: fixture('public.get_book_summary_by_currency.json').response.result[0], actual: call('public/get_book_summary_by_currency', { currency: 'BTC', kind: 'option' }).result.find((s: any) => s.instrument_name === option.instrumentName) })],
    ['public/auth', () => ({ documented: fixture('public.auth.json').response.result, actual: call('public/auth', { grant_type: 'client_credentials', client_id: 'id', client_secret: 'secret' }).result })],
    ['private/buy', () => ({ documented: fixture('private.buy.json').response.result, actual: buy.result })],
    ['private/sell (resting)', () => ({ documented: fixture('private.sell.json').response.result.order, actual: resting.result.order })],
    ['private/get_positions', () => ({ documented: fixture('private.get_positions.json').response.result[1], actual: call('private/get_positions', { currency: 'BTC', kind: 'option' }).result[0] })],
    ['private/get_positions (future)', () => ({ documented: fixture('private.get_positions.json').response.result[0], actual: call('private/get_positions', { currency: 'BTC', kind: 'future' }).result[0] })],
    ['private/get_user_trades_by_currency', () => ({ documented: fixture('private.get_user_trades_by_currency.json').response.result, actual: call('private/get_user_trades_by_currency', { currency: 'BTC', count: 5 }).result })],
    ['private/get_order_state', () => ({ documented: fixture('private.get_order_state.json').response.result, actual: call('private/get_order_state', { order_id: resting.result.order.order_id }).result })],
    ['public/get_time', () => ({ documented: fixture('public.get_time.json').response.result, actual: call('public/get_time').result })],
    ['public/test', () => ({ documented: fixture('public.test.json').response.result, actual: call('public/test').result })],
    ['public/get_currencies', () => ({ documented: fixture('public.get_currencies.json').response.result[0], actual: call('public/get_currencies').result[0] })],
    ['private/get_open_orders_by_currency', () => ({ documented: fixture('private.get_open_orders_by_currency.json').response.result[0], actual: call('private/get_open_orders_by_currency', { currency: 'BTC' }).result[0] })],
    ['private/edit', () => ({ documented: fixture('private.edit.json').response.result, actual: call('private/edit', { order_id: resting.result.order.order_id, amount: 20_000, price: 96_500, post_only: true }).result })],
    ['private/get_account_summary', () => ({ documented: SUMMARY_FIELDS, actual: call('private/get_account_summary', { currency: 'BTC' }).result })],
    ['private/cancel', () => {
      const order = call('private/sell', { instrument_name: perp.instrumentName, amount: 10_000, price: 97_000, post_only: true }).result.order;
      return { documented: fixture('private.cancel.json').response.result, actual: call('private/cancel', { order_id: order.order_id }).result };
    }],
    ['private/cancel_all_by_instrument', () => ({ documented: fixture('private.cancel_all_by_instrument.json').response.result, actual: call('private/cancel_all_by_instrument', { instrument_name: perp.instrumentName }).result })],
    ['private/cancel_all_by_currency', () => ({ documented: fixture('private.cancel_all_by_currency.json').response.result, actual: call('private/cancel_all_by_currency', { currency: 'BTC', kind: 'option' }).result })],
    ['private/cancel_all', () => ({ documented: fixture('private.cancel_all.json').response.result, actual: call('private/cancel_all').result })],
    ['private/enable_cancel_on_disconnect (account)', () => ({ documented: fixture('private.enable_cancel_on_disconnect.json').response.result, actual: call('private/enable_cancel_on_disconnect', { scope: 'account' }).result })],
    ['private/disable_cancel_on_disconnect (account)', () => ({ documented: fixture('private.disable_cancel_on_disconnect.json').response.result, actual: call('private/disable_cancel_on_disconnect', { scope: 'account' }).result })],
    ['private/set_mmp_config', () => ({ documented: { index_name: 'btc_usd', interval: 60, frozen_time: 0, quantity_limit: 3 }, actual: call('private/set_mmp_config', { index_name: 'btc_usd', interval: 60, frozen_time: 0, quantity_limit: 3 }).result })],
    ['private/get_mmp_config', () => ({ documented: MMP_CONFIG_FIELDS, actual: call('private/get_mmp_config', { index_name: 'btc_usd' }).result[0] })],
    ['private/reset_mmp', () => ({ documented: fixture('private.reset_mmp.json').response.result, actual: call('private/reset_mmp', { index_name: 'btc_usd' }).result })],
    [
      'private/get_mmp_status',
      () => {
        exchange.triggerMmp('trader', 'btc_usd');
        const actual = call('private/get_mmp_status', { index_name: 'btc_usd' }).result[0];
        exchange.resetMmp('trader', 'btc_usd');
        // Deribit's API reference example (no fixture file): the orders group carries no mmp_group.
        return { documented: { index_name: 'btc_usd', frozen_until: 1744275841861 }, actual };
      },
    ],
  ];

  it.each(cases)('%s', (_name, get) => {
    const { documented, actual } = get();
    expect(actual).toBeDefined();
    expect(shapeDifferences(documented, actual)).toEqual([]);
  });

  it('answers errors in the documented envelope', () => {
    const documented = fixture('errors.json');
    const actual = call('private/cancel', { order_id: 'nope' });
    expect(actual.error).toMatchObject({ code: 10004, message: 'order_not_found' });
    const envelope = documented.error_response_shape ?? documented.shape ?? documented.example;
    if (envelope) expect(shapeDifferences({ ...envelope, error: { code: 0, message: '' } }, actual)).toEqual([]);
  });
});
