/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures are untyped */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { VenueEvent } from '../venue-adapter.ts';
import { collect, Harness } from './sim-harness.ts';

/**
 * The adapter's trading streams against a scripted Deribit on 127.0.0.1 that answers with the
 * documented shapes — and, where the test says so, with broken ones the simulator never sends.
 */
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../../test/fixtures/deribit/${name}`, import.meta.url), 'utf8'));
const TRADE = fixture('channel.user.trades.json').notifications[0].params.data[0];
const POSITIONS = fixture('private.get_positions.json').response.result;
const ACCOUNT = fixture('private.get_account_summary.json').response.result;

type Of<T extends VenueEvent['type']> = Extract<VenueEvent, { type: T }>;

interface Script {
  /** private/get_user_trades_by_currency: the page for these params. */
  trades?: (params: Record<string, unknown>) => unknown;
  positions?: unknown;
  account?: unknown;
}

const harness = new Harness();
const servers: WebSocketServer[] = [];
afterEach(async () => {
  await harness.close();
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface ScriptedVenue {
  readonly url: string;
  push(channel: string, data: unknown): void;
  /** Sends a raw frame to every client. */
  send(frame: unknown): void;
  readonly calls: Array<{ method: string; params: any }>;
}

async function scriptedVenue(script: Script): Promise<ScriptedVenue> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const sockets = new Set<WebSocket>();
  const calls: Array<{ method: string; params: any }> = [];
  const results: Record<string, (params: any) => unknown> = {
    'public/auth': () => ({ access_token: 'a', expires_in: 900, refresh_token: 'r', scope: 'trade:read_write', token_type: 'bearer' }),
    'private/enable_cancel_on_disconnect': () => 'ok',
    'public/set_heartbeat': () => 'ok',
    'public/get_instruments': () => [],
    'public/test': () => ({ version: '2.1.1' }),
    'private/subscribe': (params) => params.channels,
    'private/get_open_orders_by_currency': () => [],
    'private/get_user_trades_by_currency': (params) => script.trades?.(params) ?? { trades: [], has_more: false },
    'private/get_positions': () => script.positions ?? [],
    'private/get_account_summary': () => script.account ?? ACCOUNT,
  };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const request = JSON.parse(data.toString()) as { id: number; method: string; params: any };
      calls.push({ method: request.method, params: request.params });
      const answer = results[request.method];
      socket.send(JSON.stringify(answer ? { jsonrpc: '2.0', id: request.id, result: answer(request.params) } : { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'Method not found' } }));
    });
  });
  const send = (frame: unknown): void => {
    for (const socket of sockets) socket.send(JSON.stringify(frame));
  };
  const push = (channel: string, data: unknown): void => send({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/api/v2`, push, send, calls };
}

async function connect(url: string, options: Parameters<Harness['adapter']>[1] = {}) {
  const adapter = harness.adapter(url, { dataTimeoutMs: 60_000, ...options });
  const collected = collect(adapter);
  const ready = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected', 10_000, 'connection');
  adapter.start();
  await ready;
  return { adapter, ...collected };
}

describe('the adapter’s trading streams against a scripted venue', () => {
  it('subscribes our trades and portfolio; a malformed trade costs itself and a warning, not its neighbours', async () => {
    const venue = await scriptedVenue({});
    const { adapter, events, next } = await connect(venue.url);
    const subscribed = venue.calls.filter((c) => c.method === 'private/subscribe').flatMap((c) => c.params.channels as string[]);
    expect(subscribed).toEqual(expect.arrayContaining(['user.trades.any.BTC.raw', 'user.portfolio.btc', 'user.orders.any.BTC.raw']));

    const second = next((e) => e.type === 'FillReported' && e.fill.tradeId === 'good-2');
    venue.push('user.trades.any.BTC.raw', [TRADE, { ...TRADE, trade_id: 'broken', price: 'a lot' }, { ...TRADE, trade_id: 'good-2' }]);
    await second;
    // The same trade again (a venue resending, a recovery overlapping): reported once.
    const account = next<Of<'AccountUpdated'>>((e) => e.type === 'AccountUpdated');
    venue.push('user.trades.any.BTC.raw', [TRADE]);
    venue.push('user.portfolio.btc', fixture('channel.user.portfolio.json').notifications[0].params.data);
    expect((await account).account).toMatchObject({ venueId: 'sim', currency: 'BTC', equityCoin: 1.49783656 });
    expect(events.flatMap((e) => (e.type === 'FillReported' ? [e.fill.tradeId] : []))).toEqual(['389771234', 'good-2']);
    const warnings = events.filter((e): e is Of<'VenueWarning'> => e.type === 'VenueWarning');
    expect(warnings).toEqual([{ type: 'VenueWarning', venueId: 'sim', source: 'user.trades.any.BTC.raw', reason: expect.stringMatching(/user trade refused: price/) }]);

    const warned = next<Of<'VenueWarning'>>((e) => e.type === 'VenueWarning' && e.source === 'user.portfolio.btc');
    venue.push('user.portfolio.btc', { currency: 'BTC' });
    expect((await warned).reason).toMatch(/account summary refused/);
    expect(adapter.protocolErrors).toBe(2);
  });

  it('answers the venue’s heartbeat through the rate limiter, and shows credits and traffic in its status', async () => {
    const venue = await scriptedVenue({});
    const { next } = await connect(venue.url, { statusIntervalMs: 50 });
    venue.send({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
    for (let i = 0; i < 100 && !venue.calls.some((c) => c.method === 'public/test'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(venue.calls.filter((c) => c.method === 'public/test')).toHaveLength(1);
    const status = await next<Of<'StatusChanged'>>((e) => e.type === 'StatusChanged' && (e.status.messagesPerSec?.total ?? 0) > 0, 3_000, 'a status with traffic');
    expect(status.status).toMatchObject({ state: 'connected', safeMode: false, creditsMax: 20_000, creditsAvailable: 20_000, rttMs: expect.any(Number) });
  });

  it('reports the good positions and warns of the bad ones and of an unreadable account', async () => {
    const venue = await scriptedVenue({ positions: [POSITIONS[0], { instrument_name: 'BTC-X', size: 'big' }, POSITIONS[1]], account: { currency: 'BTC' } });
    const { events } = await connect(venue.url);
    const reconciled = events.find((e): e is Of<'PositionsReconciled'> => e.type === 'PositionsReconciled')!;
    expect(reconciled.positions.map((p) => [p.instrumentName, p.size])).toEqual([
      ['BTC-PERPETUAL', -10000],
      ['BTC-25DEC26-100000-C', 1],
    ]);
    expect(reconciled.accounts).toEqual([]);
    expect(events.filter((e) => e.type === 'VenueWarning').map((e) => (e as Of<'VenueWarning'>).source)).toEqual(['private/get_positions BTC', 'private/get_account_summary BTC']);
  });

  it('connects even where the venue refuses MMP, reports its trigger notifications, and flags MMP orders on the wire', async () => {
    const venue = await scriptedVenue({});
    const adapter = harness.adapter(venue.url, { dataTimeoutMs: 60_000 });
    const { events, next } = collect(adapter);
    adapter.configureMmp({ indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 30, quantityLimitCoin: 5 });
    const ready = next((e) => e.type === 'StatusChanged' && e.status.state === 'connected', 10_000, 'connection');
    adapter.start();
    await ready;
    const subscribed = venue.calls.filter((c) => c.method === 'private/subscribe').flatMap((c) => c.params.channels as string[]);
    expect(subscribed).toContain('user.mmp_trigger.btc_usd');
    // This venue knows no MMP method: the configuration is refused (and forgotten), the rest warned of.
    expect(venue.calls.find((c) => c.method === 'private/set_mmp_config')?.params).toEqual({ index_name: 'btc_usd', interval: 60, frozen_time: 30, quantity_limit: 5 });
    expect(events.filter((e) => e.type.startsWith('Mmp'))).toEqual([{ type: 'MmpRequestFailed', venueId: 'sim', indexName: 'btc_usd', request: 'configure', code: -32601, reason: '-32601 Method not found' }]);
    expect(events.filter((e): e is Of<'VenueWarning'> => e.type === 'VenueWarning').map((e) => e.source)).toEqual(['private/get_mmp_config', 'private/get_mmp_status']);

    const [timed, group] = fixture('channel.user.mmp_trigger.json').notifications.map((n: any) => n.params);
    const triggered = next<Of<'MmpTriggered'>>((e) => e.type === 'MmpTriggered' && e.mmpGroup === undefined);
    venue.push(group.channel, group.data);
    venue.push(timed.channel, timed.data);
    expect(await triggered).toMatchObject({ venueId: 'sim', indexName: 'btc_usd', frozenUntilMs: 1768478525000, tsMs: expect.any(Number) });
    // A mass-quote group's trigger is reported as the group's.
    expect(events.filter((e) => e.type === 'MmpTriggered').map((e) => [e.indexName, e.mmpGroup, e.frozenUntilMs])).toEqual([
      ['btc_usd', 'MassQuoteBot7', Number.POSITIVE_INFINITY],
      ['btc_usd', undefined, 1768478525000],
    ]);

    const refused = next((e) => e.type === 'OrderRequestFailed' && e.label === 'h1');
    adapter.placeOrder({ label: 'q1', instrumentName: 'BTC-25DEC26-100000-C', side: 'buy', price: 0.02, amount: 0.1, postOnly: true, reduceOnly: false, mmp: true });
    adapter.placeOrder({ label: 'h1', instrumentName: 'BTC-PERPETUAL', side: 'buy', price: 95_000, amount: 10, postOnly: true, reduceOnly: false });
    await refused;
    const orders = venue.calls.filter((c) => c.method === 'private/buy').map((c) => c.params);
    expect(orders.map((o) => [o.label, o.mmp])).toEqual([
      ['q1', true],
      ['h1', undefined],
    ]);
  });

  it('says so when a recovery cannot reach back to the last fill seen', async () => {
    let page = [{ ...TRADE, trade_id: 'seen', timestamp: 1_000 }];
    let hasMore = false;
    const venue = await scriptedVenue({ trades: () => ({ trades: page, has_more: hasMore }) });
    const { adapter, events, next } = await connect(venue.url);
    // The venue ignores the time bounds and holds more missed trades than one page.
    page = [2_003, 2_002, 2_001].map((timestamp) => ({ ...TRADE, trade_id: `m${timestamp}`, timestamp }));
    hasMore = true;
    const back = next((e) => e.type === 'StatusChanged' && e.status.state === 'connected', 10_000, 'reconnection');
    for (const client of servers[0]!.clients) client.terminate();
    await back;
    expect(events.flatMap((e) => (e.type === 'FillReported' ? [e.fill.tradeId] : []))).toEqual(['m2001', 'm2002', 'm2003']);
    const warning = events.find((e): e is Of<'VenueWarning'> => e.type === 'VenueWarning');
    expect(warning?.reason).toMatch(/fill recovery since 1000 may be incomplete/);
    const recoveryCalls = venue.calls.filter((c) => c.method === 'private/get_user_trades_by_currency');
    expect(recoveryCalls.at(-1)?.params).toMatchObject({ start_timestamp: 1_000, end_timestamp: 2_001, sorting: 'desc', kind: 'any' });
    expect(adapter.protocolErrors).toBe(1);
  });
});
