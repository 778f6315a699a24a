/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-RPC messages are untyped JSON here */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../../model/clock.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { DEFAULT_CREDENTIALS, SimVenue, TICK_MS } from '../venue.ts';
import { SimAdminClient, SimAdminError } from './client.ts';
import { ADMIN_TOKEN_HEADER, handleAdmin, isLoopback } from './endpoint.ts';
import { FaultError, MALFORMED_FRAME } from './faults.ts';

/**
 * Fault injection through real sockets on 127.0.0.1: one test per fault, each showing the effect
 * and that it ends. Simulated time is a ManualClock stepped by the test; where a test must show
 * that nothing arrived, it waits for a WebSocket pong instead of sleeping — the server answers a
 * ping after everything it sent before, so a pong means all earlier frames are in.
 */

const START = Date.UTC(2026, 10, 21, 15, 0);
const OTHER = { clientId: 'other-id', clientSecret: 'other-secret', accountId: 'other' };
const ADMIN_TOKEN = 'test-admin-token-0123456789';

let clock: ManualClock;
let venue: SimVenue;
let port: number;
let option: SimInstrument;
const clients: Client[] = [];

beforeEach(async () => {
  clock = new ManualClock(START);
  venue = new SimVenue({ seed: 3, clock, currencies: ['BTC'], credentials: [DEFAULT_CREDENTIALS, OTHER], adminToken: ADMIN_TOKEN });
  port = await venue.listen(0);
  // A liquid option: a bid at its minimum price rests far below the market.
  option = venue.instruments.find((i) => i.kind === 'option' && (venue.exchange.mark(i.instrumentName)?.markPrice ?? 0) > 0.02 && venue.exchange.book(i.instrumentName)?.bestAskTicks() !== undefined)!;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await venue.close();
});

/** Advances simulated time by whole ticks, stepping the venue at each. */
function step(ms = TICK_MS): void {
  for (let elapsed = 0; elapsed < ms; elapsed += TICK_MS) {
    clock.advance(TICK_MS);
    venue.step();
  }
}

class Client {
  /** Every text frame, in arrival order. */
  readonly frames: string[] = [];
  readonly messages: Array<Record<string, any>> = [];
  pongs = 0;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters: Array<() => void> = [];
  #id = 0;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = String(data);
      this.frames.push(text);
      try {
        this.messages.push(JSON.parse(text) as Record<string, any>);
      } catch {
        // Malformed frames stay in `frames` only.
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('pong', () => {
      this.pongs += 1;
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(): Promise<Client> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/api/v2`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const client = new Client(socket);
    clients.push(client);
    return client;
  }

  /** Resolves when `check` holds (checked on every frame and pong); bounded. */
  until<T>(check: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last frames ${this.frames.slice(-3).join(' | ')}`)), timeoutMs);
      const attempt = (): void => {
        const value = check();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else this.#waiters.push(attempt);
      };
      attempt();
    });
  }

  waitFor(match: (m: Record<string, any>) => boolean, what = 'a message'): Promise<Record<string, any>> {
    return this.until(() => this.messages.find(match), what);
  }

  /** Sends a request without waiting for its answer; returns its id. */
  request(method: string, params: Record<string, unknown> = {}): number {
    const id = ++this.#id;
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return id;
  }

  answer(id: number): Promise<Record<string, any>> {
    return this.waitFor((m) => m.id === id, `the answer to request ${id}`);
  }

  answered(id: number): boolean {
    return this.messages.some((m) => m.id === id);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<Record<string, any>> {
    return this.answer(this.request(method, params));
  }

  notification(channel: string, predicate: (data: any) => boolean = () => true): Promise<Record<string, any>> {
    return this.waitFor((m) => m.method === 'subscription' && m.params.channel === channel && predicate(m.params.data), `a notification on ${channel}`);
  }

  notifications(channel: string): any[] {
    return this.messages.filter((m) => m.method === 'subscription' && m.params.channel === channel).map((m) => m.params.data);
  }

  /** Resolves once every frame the server sent before answering this ping has arrived. */
  async barrier(): Promise<void> {
    const target = this.pongs + 1;
    this.socket.ping();
    await this.until(() => (this.pongs >= target ? true : undefined), 'a pong');
  }

  async auth(credentials: { clientId: string; clientSecret: string } = DEFAULT_CREDENTIALS): Promise<void> {
    const answer = await this.call('public/auth', { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
    expect(answer.result?.access_token).toBeTypeOf('string');
  }

  /** A post-only bid `ticksAbove` ticks above the minimum price: far from the market, it rests. */
  buyParams(ticksAbove = 0, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { instrument_name: option.instrumentName, amount: option.minTradeAmount, type: 'limit', price: Number((option.tickSize * (1 + ticksAbove)).toFixed(8)), post_only: true, ...extra };
  }

  async buyFar(ticksAbove = 0, extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const answer = await this.call('private/buy', this.buyParams(ticksAbove, extra));
    expect(answer.error).toBeUndefined();
    return answer.result.order;
  }
}

function sessionOf(accountId: string | null): number {
  const session = venue.faults.sessions().find((s) => s.accountId === accountId);
  if (!session) throw new Error(`no session of ${accountId}`);
  return session.id;
}

/** change_id continuity of a book feed: the notifications whose prev_change_id is not the last change_id. */
function gaps(feed: readonly any[]): any[] {
  const out: any[] = [];
  for (let i = 1; i < feed.length; i++) if (feed[i].prev_change_id !== feed[i - 1].change_id) out.push(feed[i]);
  return out;
}

describe('fault injection: connections', () => {
  it('dropConnection closes the socket without a close frame, and cancel-on-disconnect applies', async () => {
    const trader = await Client.open();
    await trader.auth();
    await trader.call('private/enable_cancel_on_disconnect');
    const order = await trader.buyFar();
    const bystander = await Client.open();
    const id = sessionOf('trader');
    expect(venue.faults.sessions().find((s) => s.id === id)).toMatchObject({ accountId: 'trader', cancelOnDisconnect: true, faults: null });

    expect(venue.faults.apply({ type: 'dropConnection', target: { sessionId: id } })).toMatchObject({ type: 'dropConnection', sessionIds: [id] });
    expect((await trader.closed).code).toBe(1006); // abnormal closure: no close frame was sent
    await vi.waitFor(() => expect(venue.server.sessions.size).toBe(1));

    // Bounded: only that connection; the bystander and new connections work.
    expect((await bystander.call('public/test')).result).toEqual({ version: '2.1.1' });
    const again = await Client.open();
    await again.auth();
    expect((await again.call('private/get_order_state', { order_id: order.order_id })).result).toMatchObject({ order_state: 'cancelled', cancel_reason: 'cancel_on_disconnect' });
  });

  it('hangConnection silences a session both ways, then resumes with the held frames in order', async () => {
    const client = await Client.open();
    const channel = `ticker.${option.instrumentName}.100ms`;
    await client.call('public/subscribe', { channels: [channel] });
    step();
    await client.notification(channel);
    await client.barrier();
    const before = client.frames.length;
    const pongsBefore = client.pongs;

    const receipt = venue.faults.apply({ type: 'hangConnection', target: { all: true }, durationMs: 500, onEnd: 'resume' });
    expect(receipt.endsAtMs).toBe(clock.nowMs() + 500);
    const ignored = client.request('public/test');
    client.socket.ping();
    await vi.waitFor(() => expect(venue.faults.sessions()[0]!.faults).toMatchObject({ ignored: 2 }));
    step(400);
    expect(venue.faults.sessions()[0]!.faults).toMatchObject({ hungUntilMs: START + 600, hangEnd: 'resume', queued: 4 });

    step(); // the hang ends at this tick: the four held tickers go out, then this tick's
    await client.barrier();
    const after = client.messages.slice(-5);
    expect(client.frames.length - before).toBe(5);
    expect(after.map((m) => m.params.data.timestamp)).toEqual([1, 2, 3, 4, 5].map((t) => START + 100 + t * TICK_MS));
    expect(client.answered(ignored)).toBe(false); // requests during the hang are never answered
    expect(client.pongs - pongsBefore).toBe(1); // nor pings
    expect(venue.faults.sessions()[0]!.faults).toBeNull();
    expect((await client.call('public/test')).result).toEqual({ version: '2.1.1' });
  });

  it('hangConnection drops the connection when the hang ends (the default), delivering nothing held', async () => {
    const client = await Client.open();
    const channel = `ticker.${option.instrumentName}.100ms`;
    await client.call('public/subscribe', { channels: [channel] });
    await client.barrier();
    const before = client.frames.length;
    venue.faults.apply({ type: 'hangConnection', target: { all: true }, durationMs: 300 });
    step(200);
    expect(venue.server.sessions.size).toBe(1);
    step();
    expect((await client.closed).code).toBe(1006);
    expect(client.frames.length).toBe(before);
  });

  it('delayMessages holds the next frames for the delay, keeping order, then flows normally', async () => {
    const client = await Client.open();
    venue.faults.apply({ type: 'delayMessages', target: { all: true }, delayMs: 300, count: 1 });
    const first = client.request('public/get_time');
    const second = client.request('public/test'); // not delayed itself, but queued behind the first
    await vi.waitFor(() => expect(venue.faults.sessions()[0]!.faults).toMatchObject({ queued: 2 }));
    step(200);
    await client.barrier();
    expect(client.answered(first) || client.answered(second)).toBe(false);
    step();
    await client.answer(second);
    const ids = client.messages.map((m) => m.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect((await client.answer(first)).result).toBe(START);
    // Over: the next answer is immediate.
    expect((await client.call('public/get_time')).result).toBe(START + 300);
    expect(venue.faults.sessions()[0]!.faults).toBeNull();
  });

  it('reorderMessages swaps the next notifications, then the order is normal again', async () => {
    const client = await Client.open();
    const other = venue.instruments.find((i) => i.kind === 'option' && i.instrumentName !== option.instrumentName)!;
    const channels = [`ticker.${option.instrumentName}.100ms`, `ticker.${other.instrumentName}.100ms`];
    await client.call('public/subscribe', { channels });
    const tickOrder = async (): Promise<string[]> => {
      const from = client.messages.length;
      step();
      await client.barrier();
      return client.messages.slice(from).map((m) => m.params.channel as string);
    };
    expect(await tickOrder()).toEqual(channels);
    venue.faults.apply({ type: 'reorderMessages', target: { all: true }, count: 2, channelPrefix: 'ticker.' });
    expect(await tickOrder()).toEqual([...channels].reverse());
    expect(await tickOrder()).toEqual(channels);
  });

  it('malformedFrame sends one frame that is not JSON; the connection carries on', async () => {
    const client = await Client.open();
    venue.faults.apply({ type: 'malformedFrame', target: { all: true } });
    const frame = await client.until(() => client.frames.find((text) => text === MALFORMED_FRAME), 'the malformed frame');
    expect(() => JSON.parse(frame)).toThrow();
    expect((await client.call('public/test')).result).toEqual({ version: '2.1.1' });
    expect(client.frames.filter((text) => text === MALFORMED_FRAME)).toHaveLength(1);
  });

  it('exhaustCredits: the next request gets 10028 and the session closes; other sessions are unaffected', async () => {
    const victim = await Client.open();
    const bystander = await Client.open();
    const id = venue.faults.sessions()[0]!.id;
    venue.faults.apply({ type: 'exhaustCredits', target: { sessionId: id } });
    step(1000); // credits refill meanwhile: the next request is refused all the same
    expect((await victim.call('public/get_time')).error).toMatchObject({ code: 10028, message: 'too_many_requests' });
    expect(await victim.closed).toMatchObject({ code: 1008, reason: 'too_many_requests' });
    expect((await bystander.call('public/get_time')).result).toBe(START + 1000);
  });
});

describe('fault injection: feeds', () => {
  it('skipChangeId: the next book change carries a prev_change_id the subscriber never saw, once per feed', async () => {
    const trader = await Client.open();
    await trader.auth();
    const raw = `book.${option.instrumentName}.raw`;
    const slow = `book.${option.instrumentName}.100ms`;
    await trader.call('private/subscribe', { channels: [raw, slow] });
    await trader.buyFar(0);
    step();
    await trader.barrier();
    venue.faults.apply({ type: 'skipChangeId', instrumentName: option.instrumentName });
    expect([...venue.faults.active().pendingGaps].sort()).toEqual([slow, raw].sort());
    for (let i = 1; i <= 4; i++) {
      await trader.buyFar(i); // a new level: a change on both feeds
      step();
    }
    await trader.barrier();
    for (const channel of [raw, slow]) {
      const feed = trader.notifications(channel);
      expect(feed[0].type).toBe('snapshot');
      const found = gaps(feed);
      expect(found).toHaveLength(1);
      // The gap comes with the first change after the fault, then the chain is consistent again.
      expect(feed.indexOf(found[0])).toBeGreaterThan(1);
      expect(feed.slice(feed.indexOf(found[0]) + 1).length).toBeGreaterThan(0);
    }
    expect(venue.faults.active().pendingGaps).toEqual([]);
    // A fresh subscription starts from a consistent snapshot.
    const fresh = await Client.open();
    await fresh.call('public/subscribe', { channels: [slow] });
    for (let i = 5; i <= 6; i++) {
      await trader.buyFar(i);
      step();
    }
    await fresh.barrier();
    expect(gaps(fresh.notifications(slow))).toEqual([]);
  });
});

describe('fault injection: orders', () => {
  it('rejectOrders: the next N order requests fail with the error and do not execute, then orders work', async () => {
    const trader = await Client.open();
    await trader.auth();
    venue.faults.apply({ type: 'rejectOrders', count: 2 });
    expect((await trader.call('private/buy', trader.buyParams(0))).error).toEqual({ code: 10047, message: 'matching_engine_queue_full' });
    expect((await trader.call('private/sell', { instrument_name: option.instrumentName, amount: option.minTradeAmount, type: 'limit', price: 5 })).error).toMatchObject({ code: 10047 });
    // Invalid requests keep their own error and do not consume the count.
    const order = await trader.buyFar(1);
    expect((await trader.call('private/get_open_orders_by_currency', { currency: 'BTC' })).result.map((o: any) => o.order_id)).toEqual([order.order_id]);
  });

  it('rejectOrders can target one account, some methods and another error', async () => {
    const trader = await Client.open();
    await trader.auth();
    const other = await Client.open();
    await other.auth(OTHER);
    venue.faults.apply({ type: 'rejectOrders', accountId: 'other', count: 1, error: 'other_reject', methods: ['private/buy'] });
    const order = await trader.buyFar(0); // another account: unaffected
    await trader.call('private/cancel', { order_id: order.order_id });
    expect((await other.call('private/buy', other.buyParams(0))).error).toEqual({ code: 11030, message: 'other_reject' });
    await other.buyFar(0);
    expect(venue.faults.active().orderRules).toEqual([]);
  });

  it('delayOrderAcks: the order executes at once, its answer comes after the delay', async () => {
    const trader = await Client.open();
    await trader.auth();
    const channel = 'user.orders.option.BTC.raw';
    await trader.call('private/subscribe', { channels: [channel] });
    venue.faults.apply({ type: 'delayOrderAcks', count: 1, delayMs: 500 });
    const buy = trader.request('private/buy', trader.buyParams(0));
    const update = await trader.notification(channel, (d) => d.order_state === 'open');
    const open = await trader.call('private/get_open_orders_by_currency', { currency: 'BTC' });
    expect(open.result.map((o: any) => o.order_id)).toEqual([update.params.data.order_id]);
    expect(trader.answered(buy)).toBe(false);
    step(400);
    await trader.barrier();
    expect(trader.answered(buy)).toBe(false);
    step();
    expect((await trader.answer(buy)).result.order.order_id).toBe(update.params.data.order_id);
    // Count 1: the next ack is immediate.
    await trader.buyFar(1);
  });

  it('dropOrderAcks: the order executes but its answer never comes', async () => {
    const trader = await Client.open();
    await trader.auth();
    venue.faults.apply({ type: 'dropOrderAcks', count: 1 });
    const lost = trader.request('private/buy', trader.buyParams(0));
    const open = await trader.call('private/get_open_orders_by_currency', { currency: 'BTC' });
    expect(open.result).toEqual([expect.objectContaining({ instrument_name: option.instrumentName, price: option.tickSize, order_state: 'open' })]);
    step(5000);
    await trader.barrier();
    expect(trader.answered(lost)).toBe(false);
    // Count 1: the next order is answered.
    await trader.buyFar(1);
    expect(trader.answered(lost)).toBe(false);
  });

  it('triggerMmp cancels MMP orders, notifies, and freezes MMP orders for the configured time', async () => {
    const trader = await Client.open();
    await trader.auth();
    await trader.call('private/set_mmp_config', { index_name: 'btc_usd', interval: 60, frozen_time: 1, quantity_limit: 100 });
    await trader.call('private/subscribe', { channels: ['user.mmp_trigger.btc_usd'] });
    const order = await trader.buyFar(0, { mmp: true });
    venue.faults.apply({ type: 'triggerMmp', accountId: 'trader', indexName: 'btc_usd' });
    expect((await trader.notification('user.mmp_trigger.btc_usd')).params.data).toEqual({ index_name: 'btc_usd', frozen_until: START + 1000 });
    expect((await trader.call('private/get_order_state', { order_id: order.order_id })).result).toMatchObject({ order_state: 'cancelled', cancel_reason: 'mmp_trigger' });
    expect((await trader.call('private/buy', trader.buyParams(0, { mmp: true }))).error).toMatchObject({ code: 13030 });
    step(1000);
    await trader.buyFar(0, { mmp: true });
    expect(() => venue.faults.apply({ type: 'triggerMmp', accountId: 'other', indexName: 'btc_usd' })).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('triggerMmp with an mmpGroup freezes that mass-quote group alone: its quotes pulled and reported as a real trigger is, until the freeze ends', async () => {
    const trader = await Client.open();
    await trader.auth();
    await trader.call('private/enable_cancel_on_disconnect');
    await trader.call('private/set_mmp_config', { index_name: 'btc_usd', interval: 60, frozen_time: 1, quantity_limit: 100 });
    for (const group of ['g1', 'g2']) await trader.call('private/set_mmp_config', { index_name: 'btc_usd', mmp_group: group, interval: 60, frozen_time: 1, quantity_limit: 10 });
    await trader.call('private/subscribe', { channels: ['user.mmp_trigger.btc_usd', `user.orders.${option.instrumentName}.raw`] });
    const quote = (group: string, ticksAbove: number) =>
      trader.call('private/mass_quote', { quote_id: `${group}-${ticksAbove}`, mmp_group: group, quotes: [{ instrument_name: option.instrumentName, quote_set_id: 's', bid: { price: Number((option.tickSize * (1 + ticksAbove)).toFixed(8)), amount: option.minTradeAmount, post_only: true } }] });
    const frozen = (await quote('g1', 1)).result.orders[0];
    const kept = (await quote('g2', 2)).result.orders[0];
    const order = await trader.buyFar(3, { mmp: true });

    expect(venue.faults.apply({ type: 'triggerMmp', accountId: 'trader', indexName: 'btc_usd', mmpGroup: 'g1' })).toMatchObject({ type: 'triggerMmp', atMs: START });
    expect((await trader.notification('user.mmp_trigger.btc_usd')).params.data).toEqual({ index_name: 'btc_usd', frozen_until: START + 1000, mmp_group: 'g1' });
    const pulled = await trader.notification(`user.orders.${option.instrumentName}.raw`, (data) => data.order_id === frozen.order_id && data.order_state === 'cancelled');
    expect(pulled.params.data).toMatchObject({ cancel_reason: 'mmp_trigger', quote: true, mmp_group: 'g1' });
    const states = await Promise.all([kept, order].map(async (o) => (await trader.call('private/get_order_state', { order_id: o.order_id })).result.order_state));
    expect(states).toEqual(['open', 'open']);
    expect((await trader.call('private/get_mmp_status', {})).result).toEqual([{ index_name: 'btc_usd', frozen_until: START + 1000, mmp_group: 'g1' }]);
    expect((await quote('g1', 1)).error).toMatchObject({ code: 13030, message: 'mmp_trigger' });
    expect((await quote('g2', 4)).error).toBeUndefined();

    step(1000);
    expect((await quote('g1', 1)).result.orders[0]).toMatchObject({ order_state: 'open', mmp_group: 'g1' });
    expect(() => venue.faults.apply({ type: 'triggerMmp', accountId: 'trader', indexName: 'btc_usd', mmpGroup: 'g3' })).toThrow(expect.objectContaining({ status: 409, message: 'account trader has no MMP group g3 on btc_usd' }));
    expect(() => venue.faults.apply({ type: 'triggerMmp', accountId: 'trader', indexName: 'eth_usd', mmpGroup: 'g1' })).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => venue.faults.apply({ type: 'triggerMmp', accountId: 'trader', indexName: 'btc_usd', mmpGroup: '' })).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('fault injection: market', () => {
  it('haltInstrument: book_closed for new orders and edits, resting orders frozen but cancellable, until resumed', async () => {
    const trader = await Client.open();
    await trader.auth();
    const resting = await trader.buyFar(0);
    const toCancel = await trader.buyFar(1);
    const depth = (): unknown => venue.exchange.book(option.instrumentName)!.depth('sell');
    venue.faults.apply({ type: 'haltInstrument', instrumentName: option.instrumentName });
    const asks = depth();
    expect((await trader.call('private/buy', trader.buyParams(2))).error).toMatchObject({ code: 10012, message: 'book_closed' });
    expect((await trader.call('private/edit', { order_id: resting.order_id, amount: option.minTradeAmount * 2, price: option.tickSize })).error).toMatchObject({ code: 10012 });
    expect((await trader.call('private/cancel', { order_id: toCancel.order_id })).result).toMatchObject({ order_state: 'cancelled' });
    expect((await trader.call('public/ticker', { instrument_name: option.instrumentName })).result.state).toBe('closed');
    step(2000);
    expect(depth()).toEqual(asks); // the makers leave a halted book alone
    expect((await trader.call('private/get_order_state', { order_id: resting.order_id })).result.order_state).toBe('open');

    venue.faults.apply({ type: 'resumeInstrument', instrumentName: option.instrumentName });
    expect((await trader.call('public/ticker', { instrument_name: option.instrumentName })).result.state).toBe('open');
    await trader.buyFar(2);
  });

  it('haltInstrument with a duration ends by itself', async () => {
    const trader = await Client.open();
    await trader.auth();
    expect(venue.faults.apply({ type: 'haltInstrument', instrumentName: option.instrumentName, durationMs: 300 }).endsAtMs).toBe(START + 300);
    step(200);
    expect((await trader.call('private/buy', trader.buyParams(0))).error).toMatchObject({ code: 10012 });
    step();
    await trader.buyFar(0);
    expect(venue.faults.active().halted).toEqual([]);
  });

  it('jumpPrice moves the index and marks at once, deterministically', () => {
    const run = (fraction: number | undefined) => {
      const runClock = new ManualClock(START);
      const sim = new SimVenue({ seed: 11, clock: runClock, currencies: ['BTC'] });
      const advance = (ticks: number): void => {
        for (let t = 0; t < ticks; t++) {
          runClock.advance(TICK_MS);
          sim.step();
        }
      };
      advance(10);
      const perp = sim.instruments.find((i) => i.isPerpetual)!;
      const before = sim.market.indexPrice('BTC');
      if (fraction !== undefined) sim.faults.apply({ type: 'jumpPrice', currency: 'BTC', fraction });
      const at = { market: sim.market.indexPrice('BTC'), exchange: sim.exchange.indexPrice('BTC')!, perpMark: sim.exchange.mark(perp.instrumentName)!.markPrice };
      const rpc = (sim.server.handleRequest(undefined, { id: 1, method: 'public/get_index_price', params: { index_name: 'btc_usd' } }) as any).result.index_price as number;
      advance(50);
      return { before, at, rpc, after: sim.market.indexPrice('BTC'), trades: sim.exchange.recentTrades().map((t) => `${t.instrumentName}@${t.price}x${t.amount}`) };
    };
    const jumped = run(-0.1);
    const calm = run(undefined);
    expect(jumped.before).toBe(calm.before);
    expect(jumped.at.market / calm.at.market).toBeCloseTo(0.9, 12);
    expect(jumped.at.exchange).toBeCloseTo(jumped.at.market, 2);
    expect(jumped.rpc).toBe(jumped.at.exchange);
    expect(jumped.at.perpMark / calm.at.perpMark).toBeCloseTo(0.9, 3);
    // The market carries on from the new level with the same draws.
    expect(jumped.after / calm.after).toBeCloseTo(0.9, 9);
    expect(run(-0.1)).toEqual(jumped);
    expect(() => venue.faults.apply({ type: 'jumpPrice', currency: 'ETH', fraction: 0.1 })).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('fault commands', () => {
  it('are validated and bounded: invalid commands and unknown targets are refused', () => {
    const refuse = (fault: unknown, status: number): void => {
      let caught: unknown;
      try {
        venue.faults.apply(fault as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FaultError);
      expect((caught as FaultError).status).toBe(status);
    };
    refuse({ type: 'nope' }, 400);
    refuse({ type: 'hangConnection', target: { all: true }, durationMs: 3_600_001 }, 400);
    refuse({ type: 'rejectOrders', count: 0 }, 400);
    refuse({ type: 'delayMessages', target: { all: true }, delayMs: 100, count: 1, extra: true }, 400);
    refuse({ type: 'jumpPrice', currency: 'BTC', fraction: -1 }, 400);
    refuse({ type: 'dropConnection', target: { all: true } }, 404); // no session is open
    refuse({ type: 'skipChangeId', instrumentName: 'BTC-1JAN20-1-C' }, 404);
    refuse({ type: 'rejectOrders', accountId: 'nobody', count: 1 }, 404);
  });

  it('clearFaults ends every fault at once', async () => {
    const trader = await Client.open();
    await trader.auth();
    const channel = `ticker.${option.instrumentName}.100ms`;
    await trader.call('public/subscribe', { channels: [channel] });
    venue.faults.apply({ type: 'rejectOrders', count: 5 });
    venue.faults.apply({ type: 'haltInstrument', instrumentName: option.instrumentName });
    venue.faults.apply({ type: 'skipChangeId', instrumentName: option.instrumentName });
    venue.faults.apply({ type: 'hangConnection', target: { all: true }, durationMs: 60_000, onEnd: 'resume' });
    step(300);
    venue.faults.apply({ type: 'clearFaults' });
    expect(venue.faults.active()).toEqual({ traffic: [], orderRules: [], heldAcks: 0, pendingGaps: [], halted: [] });
    await trader.until(() => (trader.notifications(channel).length === 3 ? true : undefined), 'the held tickers');
    await trader.buyFar(0);
  });
});

describe('admin endpoint', () => {
  const url = (path: string): string => `http://127.0.0.1:${port}${path}`;

  it('refuses requests without the token, and answers with it', async () => {
    expect((await fetch(url('/admin/sessions'))).status).toBe(401);
    expect((await fetch(url('/admin/sessions'), { headers: { [ADMIN_TOKEN_HEADER]: 'wrong' } })).status).toBe(401);
    const refused = await fetch(url('/admin/fault'), { method: 'POST', body: JSON.stringify({ type: 'clearFaults' }) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ ok: false, error: expect.stringContaining(ADMIN_TOKEN_HEADER) });
    expect(venue.adminToken).toBe(ADMIN_TOKEN);

    const client = await Client.open();
    await client.auth();
    await client.call('public/subscribe', { channels: [`ticker.${option.instrumentName}.100ms`] });
    const admin = new SimAdminClient(`http://127.0.0.1:${port}`, ADMIN_TOKEN);
    const sessions = await admin.sessions();
    expect(sessions).toEqual([{ id: expect.any(Number), accountId: 'trader', subscriptions: 1, cancelOnDisconnect: false, faults: null }]);

    const receipt = await admin.apply({ type: 'malformedFrame', target: { sessionId: sessions[0]!.id } });
    expect(receipt).toEqual({ type: 'malformedFrame', atMs: START, sessionIds: [sessions[0]!.id] });
    await client.until(() => client.frames.find((text) => text === MALFORMED_FRAME), 'the malformed frame');

    await admin.apply({ type: 'rejectOrders', count: 1 });
    expect(await admin.active()).toMatchObject({ orderRules: [{ kind: 'reject', remaining: 1, accountId: null }] });
    expect((await client.call('private/buy', client.buyParams(0))).error).toMatchObject({ code: 10047 });
  });

  it('answers bad commands with 400/404 and unknown routes with 404/405', async () => {
    const post = (body: string): Promise<Response> => fetch(url('/admin/fault'), { method: 'POST', headers: { [ADMIN_TOKEN_HEADER]: ADMIN_TOKEN }, body });
    const notJson = await post('{');
    expect(notJson.status).toBe(400);
    const invalid = await post(JSON.stringify({ type: 'delayMessages', target: { all: true }, delayMs: -5, count: 1 }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ ok: false, issues: [expect.objectContaining({ path: ['delayMs'] })] });
    expect((await post(JSON.stringify({ type: 'dropConnection', target: { sessionId: 999 } }))).status).toBe(404);
    const admin = new SimAdminClient(`http://127.0.0.1:${port}/`, ADMIN_TOKEN);
    await expect(admin.apply({ type: 'haltInstrument', instrumentName: 'BTC-1JAN20-1-C' })).rejects.toMatchObject({ status: 404 });
    await expect(admin.apply({ type: 'haltInstrument', instrumentName: 'BTC-1JAN20-1-C' })).rejects.toBeInstanceOf(SimAdminError);
    expect((await fetch(url('/admin/sessions'), { method: 'POST', headers: { [ADMIN_TOKEN_HEADER]: ADMIN_TOKEN } })).status).toBe(405);
    expect((await fetch(url('/admin/nothing'), { headers: { [ADMIN_TOKEN_HEADER]: ADMIN_TOKEN } })).status).toBe(404);
    // The Deribit API has no admin methods: its clients cannot reach the faults through it.
    const viaApi = (await (await fetch(url('/api/v2/admin/fault'), { method: 'POST', body: JSON.stringify({ type: 'clearFaults' }) })).json()) as any;
    expect(viaApi.error).toMatchObject({ code: -32601 });
  });

  it('answers loopback clients only', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address)).toBe(true);
    for (const address of ['10.0.0.1', '192.168.1.20', '::ffff:10.0.0.1', 'fe80::1', '0.0.0.0', undefined]) expect(isLoopback(address)).toBe(false);
    const request = { method: 'GET', path: '/admin/sessions', token: ADMIN_TOKEN };
    expect(handleAdmin({ ...request, remoteAddress: '203.0.113.7' }, venue.faults, ADMIN_TOKEN).status).toBe(403);
    expect(handleAdmin({ ...request, remoteAddress: '::ffff:192.168.1.20' }, venue.faults, ADMIN_TOKEN).status).toBe(403);
    expect(handleAdmin({ ...request, remoteAddress: '127.0.0.1' }, venue.faults, ADMIN_TOKEN).status).toBe(200);
  });
});
