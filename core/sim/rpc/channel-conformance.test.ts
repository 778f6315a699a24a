/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures and notifications are untyped */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { shapeDifferences } from '../../../test/support/json-shape.ts';
import { ManualClock } from '../../model/clock.ts';
import { DEFAULT_CREDENTIALS } from '../defaults.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { SimVenue, TICK_MS } from '../venue.ts';

/**
 * Every subscription channel, as a real Deribit client sees it over a socket: its notifications
 * carry every field Deribit documents (test/fixtures/deribit/channel.*.json).
 */
const FIXTURES = new URL('../../../test/fixtures/deribit/', import.meta.url);
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const documentedData = (name: string, index = 0): unknown => fixture(name).notifications[index].params.data;

let clock: ManualClock;
let venue: SimVenue;
let socket: WebSocket;
let option: SimInstrument;
let perp: SimInstrument;
const messages: any[] = [];
let nextId = 1;

function call(method: string, params: Record<string, unknown> = {}): Promise<any> {
  const id = nextId++;
  socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  return waitFor((m) => m.id === id);
}

function waitFor(match: (m: any) => boolean, timeoutMs = 10_000): Promise<any> {
  const seen = messages.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
    const listener = (data: Buffer): void => {
      const message = JSON.parse(String(data));
      if (!match(message)) return;
      clearTimeout(timer);
      socket.off('message', listener);
      resolve(message);
    };
    socket.on('message', listener);
  });
}

function notification(channel: string, predicate: (data: any) => boolean = () => true): Promise<any> {
  return waitFor((m) => m.method === 'subscription' && m.params.channel === channel && predicate(m.params.data)).then((m) => m.params.data);
}

/** Advances simulated time; the venue publishes its 100 ms channels on each tick. */
function advance(ms: number): void {
  clock.advance(ms);
  venue.step();
}

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 10, 21, 15));
  venue = new SimVenue({ seed: 9, clock, currencies: ['BTC'] });
  const port = await venue.listen(0);
  socket = new WebSocket(`ws://127.0.0.1:${port}/ws/api/v2`);
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await call('public/auth', { grant_type: 'client_credentials', client_id: DEFAULT_CREDENTIALS.clientId, client_secret: DEFAULT_CREDENTIALS.clientSecret });
  option = venue.instruments.find((i) => i.kind === 'option' && i.settlementPeriod === 'month' && venue.exchange.book(i.instrumentName)?.bestAskTicks() !== undefined && venue.exchange.book(i.instrumentName)?.bestBidTicks() !== undefined)!;
  perp = venue.instruments.find((i) => i.isPerpetual)!;
});

afterAll(async () => {
  socket?.terminate();
  await venue?.close();
});

describe('subscription channels carry every documented field', () => {
  it('book.{instrument}.raw and .100ms: snapshot, then linked changes', async () => {
    const channels = [`book.${perp.instrumentName}.raw`, `book.${option.instrumentName}.100ms`];
    expect((await call('private/subscribe', { channels })).result).toEqual(channels);
    const raw = await notification(channels[0]!, (d) => d.type === 'snapshot');
    expect(shapeDifferences(documentedData('channel.book.raw.json', 0), raw)).toEqual([]);
    expect(shapeDifferences(documentedData('channel.book.100ms.json', 0), await notification(channels[1]!, (d) => d.type === 'snapshot'))).toEqual([]);
    await call('private/buy', { instrument_name: perp.instrumentName, amount: 10, price: perp.tickSize * 100_000, post_only: true });
    const change = await notification(channels[0]!, (d) => d.type === 'change');
    expect(change.prev_change_id).toBe(raw.change_id);
    expect(shapeDifferences(documentedData('channel.book.raw.json', 1), change)).toEqual([]);
  });

  it('ticker, trades, price index and option mark prices', async () => {
    const channels = [`ticker.${option.instrumentName}.100ms`, `ticker.${perp.instrumentName}.100ms`, `trades.${perp.instrumentName}.100ms`, 'deribit_price_index.btc_usd', 'markprice.options.btc_usd'];
    await call('public/subscribe', { channels });
    await call('private/buy', { instrument_name: perp.instrumentName, amount: 10, type: 'market' });
    advance(TICK_MS);
    const fixtures = fixture('channel.ticker.100ms.json').notifications as any[];
    const documentedPerp = fixtures.find((n) => n.params.channel.includes('PERPETUAL')).params.data;
    expect(shapeDifferences(documentedData('channel.ticker.100ms.json', 0), await notification(channels[0]!))).toEqual([]);
    expect(shapeDifferences(documentedPerp, await notification(channels[1]!))).toEqual([]);
    const trades = (fixture('channel.trades.100ms.json').notifications as any[]).find((n) => n.params.channel.includes('PERPETUAL'))?.params.data ?? documentedData('channel.trades.100ms.json');
    expect(shapeDifferences(trades, await notification(channels[2]!))).toEqual([]);
    expect(shapeDifferences(documentedData('channel.deribit_price_index.json'), await notification(channels[3]!))).toEqual([]);
    advance(1000);
    expect(shapeDifferences(documentedData('channel.markprice.options.json'), await notification(channels[4]!))).toEqual([]);
  });

  it('user orders, trades, changes and portfolio', async () => {
    const channels = [`user.orders.${perp.instrumentName}.raw`, 'user.orders.future.BTC.raw', `user.trades.${option.instrumentName}.raw`, `user.changes.${perp.instrumentName}.100ms`, 'user.changes.future.BTC.100ms', 'user.portfolio.btc'];
    expect((await call('private/subscribe', { channels })).result).toEqual(channels);
    // The documented order is a resting post-only one (reject_post_only appears only with post_only).
    await call('private/buy', { instrument_name: perp.instrumentName, amount: 20, price: perp.tickSize * 100_000, post_only: true, reject_post_only: true });
    const postOnly = (d: any): boolean => d.post_only === true;
    expect(shapeDifferences(documentedData('channel.user.orders.instrument.raw.json'), await notification(channels[0]!, postOnly))).toEqual([]);
    expect(shapeDifferences(documentedData('channel.user.orders.kind_currency.raw.json'), await notification(channels[1]!, postOnly))).toEqual([]);
    // The documented trade is an option trade (it carries iv and underlying_price).
    await call('private/buy', { instrument_name: option.instrumentName, amount: option.minTradeAmount, type: 'market' });
    await call('private/buy', { instrument_name: perp.instrumentName, amount: 20, type: 'market' });
    advance(TICK_MS);
    expect(shapeDifferences(documentedData('channel.user.trades.json'), await notification(channels[2]!))).toEqual([]);
    expect(shapeDifferences(documentedData('channel.user.changes.instrument.json'), await notification(channels[3]!))).toEqual([]);
    expect(shapeDifferences(documentedData('channel.user.changes.kind_currency.json'), await notification(channels[4]!))).toEqual([]);
    expect(shapeDifferences(documentedData('channel.user.portfolio.json'), await notification(channels[5]!), '', PORTFOLIO_NOT_MODELLED)).toEqual([]);
  });

  it('user.mmp_trigger and heartbeats', async () => {
    await call('private/set_mmp_config', { index_name: 'btc_usd', interval: 1, frozen_time: 0, quantity_limit: 1 });
    await call('private/subscribe', { channels: ['user.mmp_trigger.btc_usd'] });
    venue.faults.apply({ type: 'triggerMmp', accountId: DEFAULT_CREDENTIALS.accountId, indexName: 'btc_usd' });
    expect(shapeDifferences(documentedData('channel.user.mmp_trigger.json'), await notification('user.mmp_trigger.btc_usd'))).toEqual([]);
    await call('public/set_heartbeat', { interval: 10 });
    advance(10_000);
    const heartbeat = await waitFor((m) => m.method === 'heartbeat');
    expect(heartbeat).toEqual({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
  });
});

/** Portfolio-margining and per-index map fields Deribit lists that the simulator's standard margin does not compute. */
const PORTFOLIO_NOT_MODELLED: ReadonlySet<string> = new Set([
  'delta_total_map', 'estimated_liquidation_ratio_map', 'options_gamma_map', 'options_vega_map', 'options_theta_map', 'estimated_liquidation_ratio',
  'projected_initial_margin', 'projected_maintenance_margin', 'projected_delta_total', 'futures_session_rpl', 'futures_session_upl', 'options_session_rpl',
  'options_session_upl', 'options_gamma', 'options_vega', 'options_theta', 'options_delta', 'options_pl', 'spot_reserve', 'additional_reserve',
  'total_initial_margin_usd', 'total_maintenance_margin_usd', 'total_margin_balance_usd', 'total_equity_usd', 'total_delta_total_usd', 'locked_balance',
  'fee_balance', 'margin_model', 'cross_collateral_enabled', 'portfolio_margining_enabled',
]);
