/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-RPC messages are untyped JSON here */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ManualClock } from '../../model/clock.ts';
import type { SimExchange } from '../exchange/exchange.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { TokenIssuer } from './auth.ts';
import type { MarketView } from './render.ts';
import { SimRpcServer } from './server.ts';
import { listedBtcExchange } from '../exchange/test-exchange.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);

const market: MarketView = {
  indexPrice: (currency) => (currency === 'BTC' ? 95_000 : 3_300),
  forward: (currency) => (currency === 'BTC' ? 95_500 : 3_320),
  funding: () => ({ current: 0.0001, eightHour: 0.00008 }),
};

let clock: ManualClock;
let exchange: SimExchange;
let server: SimRpcServer;
let port: number;
let option: SimInstrument;
let perp: SimInstrument;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  let instruments: SimInstrument[];
  ({ clock, exchange, instruments } = listedBtcExchange(NOW));
  option = instruments.find((i) => i.kind === 'option' && i.strike === 100_000 && i.optionType === 'call' && i.settlementPeriod === 'month')!;
  perp = instruments.find((i) => i.isPerpetual)!;
  exchange.setMark(option.instrumentName, { markPrice: 0.02, markIv: 0.5, deltaCoin: 0.35, gammaCoin: 0.00002, vegaUsd: 60, thetaUsd: -40 });
  exchange.setMark(perp.instrumentName, { markPrice: 95_010 });
  exchange.addAccount('trader', { balances: { BTC: 10 } });
  exchange.addAccount('other', { balances: { BTC: 10 } });
  let counter = 0;
  const tokens = new TokenIssuer(clock, (bytes) => (++counter).toString(16).padStart(bytes * 2, '0'), 60);
  tokens.register({ clientId: 'trader-id', clientSecret: 'trader-secret', accountId: 'trader' });
  tokens.register({ clientId: 'other-id', clientSecret: 'other-secret', accountId: 'other' });
  server = new SimRpcServer({ exchange, market, tokens, clock, credits: { nonMatching: { maxCredits: 5_000, refillPerSec: 0, costPerRequest: 500 }, matching: { maxCredits: 100_000, refillPerSec: 0, costPerRequest: 1_000 } } });
  port = await server.listen(0);
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server.close();
});

/** A JSON-RPC client over a real socket, with awaitable responses and notifications. */
class Client {
  readonly messages: Array<Record<string, any>> = [];
  readonly #waiters: Array<{ match: (m: Record<string, any>) => boolean; resolve: (m: Record<string, any>) => void }> = [];
  #id = 0;
  closed: Promise<{ code: number; reason: string }>;
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, any>;
      this.messages.push(message);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }
  static async open(): Promise<Client> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/api/v2`);
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new Client(socket);
  }
  waitFor(match: (m: Record<string, any>) => boolean, timeoutMs = 5000): Promise<Record<string, any>> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${JSON.stringify(this.messages.slice(-3))}`)), timeoutMs);
      this.#waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
  call(method: string, params: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const id = ++this.#id;
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.waitFor((m) => m.id === id);
  }
  sendRaw(text: string): void {
    this.socket.send(text);
  }
  notification(channel: string, predicate: (data: any) => boolean = () => true): Promise<Record<string, any>> {
    return this.waitFor((m) => m.method === 'subscription' && m.params.channel === channel && predicate(m.params.data));
  }
  async auth(clientId = 'trader-id', secret = 'trader-secret'): Promise<Record<string, any>> {
    return this.call('public/auth', { grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
  }
}

describe('simulator JSON-RPC over WebSocket', () => {
  it('answers public methods in Deribit shapes', async () => {
    const client = await Client.open();
    const time = await client.call('public/get_time');
    expect(time).toMatchObject({ jsonrpc: '2.0', result: NOW, testnet: true });
    expect(typeof time.usIn).toBe('number');
    const instruments = await client.call('public/get_instruments', { currency: 'BTC', kind: 'option' });
    expect(instruments.result.length).toBeGreaterThan(100);
    expect(instruments.result.find((i: any) => i.instrument_name === option.instrumentName)).toMatchObject({
      kind: 'option',
      tick_size: 0.0001,
      tick_size_steps: [{ above_price: 0.005, tick_size: 0.0005 }],
      min_trade_amount: 0.1,
      contract_size: 1,
      option_type: 'call',
      strike: 100_000,
      instrument_type: 'reversed',
      settlement_currency: 'BTC',
    });
    expect((await client.call('public/get_index_price', { index_name: 'btc_usd' })).result).toEqual({ index_price: 95_000, estimated_delivery_price: 95_000 });
    const ticker = await client.call('public/ticker', { instrument_name: option.instrumentName });
    expect(ticker.result).toMatchObject({ mark_price: 0.02, mark_iv: 50, underlying_price: 95_500, greeks: { delta: 0.35, vega: 60 } });
    const perpTicker = await client.call('public/ticker', { instrument_name: perp.instrumentName });
    expect(perpTicker.result).toMatchObject({ current_funding: 0.0001, funding_8h: 0.00008 });
  });

  it('returns Deribit error objects for bad input and keeps the connection', async () => {
    const client = await Client.open();
    client.sendRaw('{not json');
    expect((await client.waitFor((m) => m.error?.code === -32700)).id).toBeNull();
    expect((await client.call('public/nope')).error).toMatchObject({ code: -32601, message: 'Method not found' });
    expect((await client.call('public/get_order_book', { instrument_name: 42 })).error).toMatchObject({ code: -32602, data: { param: 'instrument_name' } });
    expect((await client.call('public/ticker', { instrument_name: 'BTC-1JAN20-1-C' })).error).toMatchObject({ code: 10020 });
    expect((await client.call('private/buy', { instrument_name: option.instrumentName, amount: 1, price: 0.02 })).error).toMatchObject({ code: 13009, message: 'unauthorized' });
    expect((await client.auth('trader-id', 'wrong')).error).toMatchObject({ code: 13004, message: 'invalid_credentials' });
    await client.auth();
    expect((await client.call('private/buy', { instrument_name: option.instrumentName, amount: 1, price: 0.0212 })).error).toMatchObject({ code: 10043, message: 'price_wrong_tick' });
    expect((await client.call('private/buy', { instrument_name: option.instrumentName, amount: 0.05, price: 0.02 })).error).toMatchObject({ code: 10021 });
    expect((await client.call('public/test')).result).toEqual({ version: '2.1.1' });
  });

  it('authenticates, trades, and reports orders, positions and account state', async () => {
    const trader = await Client.open();
    const auth = await trader.auth();
    expect(auth.result).toMatchObject({ token_type: 'bearer', expires_in: 60, scope: 'connection mainaccount' });
    const sell = await trader.call('private/sell', { instrument_name: option.instrumentName, amount: 1, type: 'limit', price: 0.021, label: 'ask-1' });
    expect(sell.result.order).toMatchObject({ order_state: 'open', direction: 'sell', price: 0.021, amount: 1, label: 'ask-1', contracts: 1 });
    const other = await Client.open();
    await other.auth('other-id', 'other-secret');
    const buy = await other.call('private/buy', { instrument_name: option.instrumentName, amount: 0.5, type: 'limit', price: 0.021 });
    expect(buy.result.trades).toHaveLength(1);
    expect(buy.result.trades[0]).toMatchObject({ price: 0.021, amount: 0.5, liquidity: 'T', direction: 'buy', fee_currency: 'BTC', iv: 50, underlying_price: 95_500 });
    const positions = await trader.call('private/get_positions', { currency: 'BTC' });
    expect(positions.result).toEqual([expect.objectContaining({ instrument_name: option.instrumentName, size: -0.5, direction: 'sell', kind: 'option' })]);
    const open = await trader.call('private/get_open_orders_by_currency', { currency: 'BTC' });
    expect(open.result).toEqual([expect.objectContaining({ order_id: sell.result.order.order_id, filled_amount: 0.5 })]);
    const state = await trader.call('private/get_order_state', { order_id: sell.result.order.order_id });
    expect(state.result).toMatchObject({ filled_amount: 0.5, average_price: 0.021 });
    const edited = await trader.call('private/edit', { order_id: sell.result.order.order_id, amount: 1, price: 0.022 });
    expect(edited.result.order).toMatchObject({ price: 0.022, replaced: true });
    const summary = await trader.call('private/get_account_summary', { currency: 'BTC' });
    expect(summary.result).toMatchObject({ currency: 'BTC' });
    expect(summary.result.balance).toBeGreaterThan(10);
    const trades = await trader.call('private/get_user_trades_by_currency', { currency: 'BTC' });
    expect(trades.result.trades[0]).toMatchObject({ liquidity: 'M', direction: 'sell', amount: 0.5 });
    expect((await trader.call('private/cancel', { order_id: sell.result.order.order_id })).result).toMatchObject({ order_state: 'cancelled' });
    expect((await trader.call('private/cancel', { order_id: sell.result.order.order_id })).error).toMatchObject({ code: 10010 });
    expect((await other.call('private/get_order_state', { order_id: sell.result.order.order_id })).error).toMatchObject({ code: 10029 });
  });

  it('streams a book snapshot then linked changes, and user orders', async () => {
    const client = await Client.open();
    await client.auth();
    const subscribed = await client.call('private/subscribe', { channels: [`book.${option.instrumentName}.raw`, 'user.orders.option.BTC.raw', 'bogus.channel'] });
    expect(subscribed.result).toEqual([`book.${option.instrumentName}.raw`, 'user.orders.option.BTC.raw']);
    const snapshot = await client.notification(`book.${option.instrumentName}.raw`, (d) => d.type === 'snapshot');
    await client.call('private/buy', { instrument_name: option.instrumentName, amount: 1, price: 0.015 });
    const change = await client.notification(`book.${option.instrumentName}.raw`, (d) => d.type === 'change');
    expect(change.params.data).toMatchObject({ prev_change_id: snapshot.params.data.change_id, bids: [['new', 0.015, 1]], asks: [] });
    await client.notification('user.orders.option.BTC.raw', (d) => d.order_state === 'open' && d.price === 0.015);
    const order = (await client.call('private/buy', { instrument_name: option.instrumentName, amount: 2, price: 0.015 })).result.order;
    const second = await client.notification(`book.${option.instrumentName}.raw`, (d) => d.type === 'change' && d.prev_change_id === change.params.data.change_id);
    expect(second.params.data.bids).toEqual([['change', 0.015, 3]]);
    await client.call('private/cancel', { order_id: order.order_id });
    await client.call('private/cancel_all');
    const deleted = await client.notification(`book.${option.instrumentName}.raw`, (d) => d.bids.some((b: unknown[]) => b[0] === 'delete'));
    expect(deleted.params.data.bids).toEqual([['delete', 0.015, 0]]);
  });

  it('publishes tickers, trades and the index every 100 ms tick', async () => {
    const client = await Client.open();
    await client.call('public/subscribe', { channels: [`ticker.${option.instrumentName}.100ms`, 'deribit_price_index.btc_usd', `trades.${perp.instrumentName}.100ms`, `book.${perp.instrumentName}.raw`] });
    expect((await client.call('public/subscribe', { channels: [`book.${perp.instrumentName}.raw`] })).result).toEqual([]);
    server.tick();
    expect((await client.notification(`ticker.${option.instrumentName}.100ms`)).params.data).toMatchObject({ mark_iv: 50 });
    expect((await client.notification('deribit_price_index.btc_usd')).params.data).toMatchObject({ price: 95_000, index_name: 'btc_usd' });
    exchange.addAccount('bot', { balances: {}, background: true });
    exchange.place('bot', { instrumentName: perp.instrumentName, direction: 'sell', amount: 1000, type: 'limit', price: 95_000 });
    const trader = await Client.open();
    await trader.auth();
    await trader.call('private/buy', { instrument_name: perp.instrumentName, amount: 500, type: 'market' });
    server.tick();
    const trades = await client.notification(`trades.${perp.instrumentName}.100ms`);
    expect(trades.params.data).toEqual([expect.objectContaining({ price: 95_000, amount: 500, direction: 'buy', contracts: 50 })]);
  });

  it('closes a connection that ignores a heartbeat test_request', async () => {
    const client = await Client.open();
    expect((await client.call('public/set_heartbeat', { interval: 5 })).error).toMatchObject({ code: -32602 });
    await client.call('public/set_heartbeat', { interval: 10 });
    clock.advance(10_000);
    server.tick();
    await client.waitFor((m) => m.method === 'heartbeat' && m.params.type === 'test_request');
    await client.call('public/test');
    clock.advance(10_000);
    server.tick();
    await client.waitFor((m) => m.method === 'heartbeat' && client.messages.filter((x) => x.method === 'heartbeat').length === 2);
    clock.advance(10_000);
    server.tick();
    expect((await client.closed).reason).toContain('heartbeat');
  });

  it('cancels the orders of a connection that drops with cancel-on-disconnect enabled', async () => {
    const client = await Client.open();
    await client.auth();
    await client.call('private/enable_cancel_on_disconnect');
    expect((await client.call('private/get_cancel_on_disconnect')).result).toEqual({ scope: 'connection', enabled: true });
    const order = (await client.call('private/buy', { instrument_name: option.instrumentName, amount: 1, price: 0.01 })).result.order;
    client.socket.terminate();
    await client.closed;
    const watcher = await Client.open();
    await watcher.auth();
    // The server learns of the drop asynchronously; give its close handler a bounded number of turns.
    for (let i = 0; i < 1000 && server.sessions.size > 1; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(server.sessions.size).toBe(1);
    expect((await watcher.call('private/get_order_state', { order_id: order.order_id })).result).toMatchObject({ order_state: 'cancelled', cancel_reason: 'cancel_on_disconnect' });
  });

  it('mass-quotes both sides, amends them in place, cancels a side with amount 0, and reports per-side errors', async () => {
    const client = await Client.open();
    await client.auth();
    const quote = (quotes: unknown[]) => client.call('private/mass_quote', { quote_id: 'q1', mmp_group: 'default', detailed: true, quotes });
    expect((await quote([{ instrument_name: option.instrumentName, quote_set_id: 'opts', bid: { price: 0.01, amount: 1 } }])).error).toMatchObject({ code: 13042, message: 'cod_not_enabled' });
    await client.call('private/enable_cancel_on_disconnect');
    expect((await quote([{ instrument_name: option.instrumentName, quote_set_id: 'opts', bid: { price: 0.01, amount: 1 } }])).error).toMatchObject({ code: 11043, data: { param: 'mmp_group' } });
    expect((await client.call('private/set_mmp_config', { index_name: 'btc_usd', mmp_group: 'default', interval: 1, frozen_time: 0, quantity_limit: 10 })).result).toMatchObject({ mmp_group: 'default' });
    const first = await quote([{ instrument_name: option.instrumentName, quote_set_id: 'opts', bid: { price: 0.01, amount: 1 }, ask: { price: 0.05, amount: 2 } }]);
    expect(first.result.errors).toEqual([]);
    expect(first.result.orders).toEqual([
      expect.objectContaining({ direction: 'buy', price: 0.01, amount: 1, mmp: true, quote: true, quote_id: 'q1', quote_set_id: 'opts' }),
      expect.objectContaining({ direction: 'sell', price: 0.05, amount: 2, mmp: true }),
    ]);
    const [bid, ask] = first.result.orders as Array<{ order_id: string }>;
    const second = await quote([{ instrument_name: option.instrumentName, quote_set_id: 'opts', bid: { price: 0.011 }, ask: { amount: 0 } }]);
    expect(second.result.orders).toEqual([
      expect.objectContaining({ order_id: bid!.order_id, price: 0.011, amount: 1, replaced: true }),
      expect.objectContaining({ order_id: ask!.order_id, order_state: 'cancelled' }),
    ]);
    expect(exchange.openOrders('trader').map((o) => o.orderId)).toEqual([bid!.order_id]);
    expect(exchange.openOrders('trader').some((o) => o.orderId === ask!.order_id)).toBe(false);
    const third = await quote([{ instrument_name: option.instrumentName, quote_set_id: 'opts', ask: { price: 0.0503, amount: 1 } }, { instrument_name: 'BTC-1JAN20-1-C', quote_set_id: 'x', bid: { price: 0.01, amount: 1 } }]);
    expect(third.result.errors).toEqual([
      { instrument_name: option.instrumentName, side: 'ask', error: { code: 10043, message: 'price_wrong_tick' } },
      { instrument_name: 'BTC-1JAN20-1-C', side: 'bid', error: expect.objectContaining({ code: 10020 }) },
    ]);
  });

  it('answers too_many_requests and closes the session when credits run out', async () => {
    const client = await Client.open();
    for (let i = 0; i < 10; i++) expect((await client.call('public/get_time')).result).toBe(NOW);
    client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'public/get_time' }));
    expect((await client.waitFor((m) => m.id === 99)).error).toMatchObject({ code: 10028, message: 'too_many_requests' });
    expect((await client.closed).reason).toBe('too_many_requests');
  });

  it('expires access tokens and refreshes them', async () => {
    const client = await Client.open();
    const auth = await client.auth();
    clock.advance(61_000);
    const http = await fetch(`http://127.0.0.1:${port}/api/v2/private/get_positions?currency=BTC`, { headers: { Authorization: `bearer ${auth.result.access_token}` } });
    expect(((await http.json()) as any).error).toMatchObject({ code: 13009 });
    const refreshed = await client.call('public/auth', { grant_type: 'refresh_token', refresh_token: auth.result.refresh_token });
    expect(refreshed.result.access_token).not.toBe(auth.result.access_token);
    expect((await client.call('public/auth', { grant_type: 'refresh_token', refresh_token: auth.result.refresh_token })).error).toMatchObject({ code: 13004 });
  });
});

describe('simulator JSON-RPC over HTTP', () => {
  it('serves GET with query parameters and POST with a JSON-RPC body', async () => {
    const get = (await (await fetch(`http://127.0.0.1:${port}/api/v2/public/get_order_book?instrument_name=${perp.instrumentName}&depth=5`)).json()) as any;
    expect(get.result).toMatchObject({ instrument_name: perp.instrumentName, bids: [], asks: [], mark_price: 95_010 });
    const post = (await (await fetch(`http://127.0.0.1:${port}/api/v2/`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'public/get_time', params: {} }) })).json()) as any;
    expect(post).toMatchObject({ id: 7, result: NOW });
    const auth = (await (await fetch(`http://127.0.0.1:${port}/api/v2/public/auth?grant_type=client_credentials&client_id=trader-id&client_secret=trader-secret`)).json()) as any;
    const buy = (await (
      await fetch(`http://127.0.0.1:${port}/api/v2/private/buy?instrument_name=${option.instrumentName}&amount=1&price=0.01&post_only=true`, { headers: { Authorization: `Bearer ${auth.result.access_token}` } })
    ).json()) as any;
    expect(buy.result.order).toMatchObject({ post_only: true, price: 0.01, amount: 1 });
    expect(((await (await fetch(`http://127.0.0.1:${port}/api/v2/public/subscribe?channels=deribit_price_index.btc_usd`)).json()) as any).error).toMatchObject({ code: 11050 });
    expect((await fetch(`http://127.0.0.1:${port}/api/v2/`, { method: 'POST', body: '{' })).status).toBe(400);
  });
});
