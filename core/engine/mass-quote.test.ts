import { afterEach, describe, expect, it } from 'vitest';
import type { EngineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { engineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { LIVE_STATES } from '../oms/order-state.ts';
import type { OrderRow } from '../protocol/index.ts';
import { DEFAULT_CREDENTIALS } from '../sim/defaults.ts';
import type { SimOrder } from '../sim/exchange/types.ts';

/**
 * The strategy quoting the simulator with mass quotes, end to end over 127.0.0.1: level 0 of
 * the chain goes as quotes of the underlying's MMP group (deeper levels as orders), resends
 * amend them in place, a fill is booked once, pause and the kill switch pull them (cancel_quotes
 * at the venue), and a reconnect — whose cancel-on-disconnect took them at the venue —
 * reconciles them.
 */
const running: EngineOnSimulator[] = [];
afterEach(async () => {
  for (const setup of running.splice(0)) await setup.close();
});

const GROUP = 'mq_btc';
const TAKER = 'sim-taker';

async function quoting(): Promise<EngineOnSimulator & { methods: string[] }> {
  const setup = await engineOnSimulator(21, { massQuote: true }, { quoteOnStart: true, massQuotes: true });
  running.push(setup);
  const methods: string[] = [];
  const handle = setup.venue.server.handleRequest.bind(setup.venue.server);
  setup.venue.server.handleRequest = (session, raw, bearer) => {
    const method = (raw as { method?: unknown }).method;
    if (typeof method === 'string' && method.startsWith('private/')) methods.push(method);
    return handle(session, raw, bearer);
  };
  return { ...setup, methods };
}

const liveQuotes = (setup: EngineOnSimulator): OrderRow[] => Object.values(setup.engine.snapshot().orders).filter((o) => o.mmpGroup === GROUP && LIVE_STATES.has(o.state));
const venueQuotes = (setup: EngineOnSimulator): SimOrder[] => setup.venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).filter((o) => o.quote !== undefined);

/** Every quote slot holds one order at most, at the venue and in the OMS, and they are the same orders. */
function expectOneOrderPerSlot(setup: EngineOnSimulator): void {
  const slot = (instrumentName: string, side: string) => `${instrumentName} ${side}`;
  const venue = venueQuotes(setup);
  const venueSlots = venue.map((o) => slot(o.instrumentName, o.direction));
  expect(new Set(venueSlots).size).toBe(venueSlots.length);
  const oms = liveQuotes(setup).filter((o) => o.state === 'open' || o.state === 'partially-filled');
  const omsSlots = oms.map((o) => slot(o.instrumentName, o.side));
  expect(new Set(omsSlots).size).toBe(omsSlots.length);
  const venueIds = new Set(venue.map((o) => o.orderId));
  for (const order of oms) expect(venueIds.has(order.venueOrderId!)).toBe(true);
}

describe('mass quoting against the simulator', { timeout: 120_000 }, () => {
  it('quotes level 0 as mass quotes in the MMP group, amends them by resending, and keeps deeper levels as orders', async () => {
    const setup = await quoting();
    const { engine, link, tickUntil } = setup;
    const params = engine.handle({ type: 'SetQuotingParams', commandId: 'two-levels', currency: 'BTC', patch: { levels: 2 } });
    expect(params.events[0]).toMatchObject({ type: 'CommandAccepted' });
    link.perform(params.requests);
    await tickUntil(() => liveQuotes(setup).filter((o) => o.state === 'open').length >= 20, 'twenty open mass quotes', 60_000);
    expect(setup.methods).toContain('private/mass_quote');
    expect(engine.snapshot().venues.find((v) => v.venueId === 'sim')?.massQuote).toBe(true);
    expect(Object.values(engine.snapshot().activity).some((a) => a.message.includes(`MMP group ${GROUP}`))).toBe(true);
    const orders = Object.values(engine.snapshot().orders).filter((o) => o.origin === 'strategy' && LIVE_STATES.has(o.state));
    expect(orders.filter((o) => o.mmpGroup === undefined).length).toBeGreaterThan(0);
    expect(orders.every((o) => o.mmpGroup === undefined ? o.clientOrderId.startsWith('s.') : o.clientOrderId.startsWith('q.'))).toBe(true);

    // Requotes amend a quote in place: the same client order and venue order at a new price.
    const first = new Map(liveQuotes(setup).filter((o) => o.state === 'open').map((o) => [o.clientOrderId, o]));
    await tickUntil(
      () => liveQuotes(setup).some((o) => { const before = first.get(o.clientOrderId); return before !== undefined && o.venueOrderId === before.venueOrderId && o.price !== before.price; }),
      'a quote amended in place',
      60_000,
    );
    await tickUntil(() => liveQuotes(setup).every((o) => o.state === 'open' || o.state === 'partially-filled'), 'every quote at rest');
    expectOneOrderPerSlot(setup);
    const rejected = Object.values(engine.snapshot().orders).filter((o) => o.mmpGroup !== undefined && o.state === 'rejected');
    expect(rejected.map((o) => o.reason)).toEqual([]);
  });

  it('books a quote’s fill to the position once, as the strategy’s, and keeps it once across a reconnect', async () => {
    const setup = await quoting();
    const { engine, venue, tickUntil, waitFor } = setup;
    await tickUntil(() => liveQuotes(setup).filter((o) => o.state === 'open').length >= 10, 'ten open mass quotes', 60_000);
    // Hit one of our quoted bids that stands alone at the top of its book, in one turn with the check.
    let hit: OrderRow | undefined;
    await tickUntil(() => {
      for (const order of liveQuotes(setup)) {
        if (order.side !== 'buy' || order.state !== 'open' || !order.venueOrderId) continue;
        const book = venue.exchange.book(order.instrumentName)!;
        const instrument = venue.exchange.instrument(order.instrumentName)!;
        if (book.bestBidTicks() !== Math.round(order.price / instrument.tickSize)) continue;
        const sold = venue.exchange.place(TAKER, { instrumentName: order.instrumentName, direction: 'sell', amount: instrument.minTradeAmount, type: 'limit', price: order.price, timeInForce: 'immediate_or_cancel' });
        if (sold.ok && sold.value.trades.length === 1 && sold.value.trades[0]!.makerOrderId === order.venueOrderId) {
          hit = order;
          return true;
        }
      }
      return false;
    }, 'one of our bids hit at the top of its book', 60_000);
    const name = hit!.instrumentName;
    const size = venue.exchange.instrument(name)!.minTradeAmount;
    await tickUntil(() => engine.snapshot().positions[name]?.size === size, 'the fill in the position');
    const fills = () => Object.values(engine.snapshot().fills).filter((f) => f.instrumentName === name);
    expect(fills()).toHaveLength(1);
    expect(fills()[0]).toMatchObject({ side: 'buy', amount: size, price: hit!.price });
    expect(Object.values(engine.snapshot().activity).some((a) => a.message.startsWith(`strategy fill: buy ${size} ${name}`))).toBe(true);

    // A reconnect recovers the fills since the last one seen, ours included: still booked once.
    venue.faults.apply({ type: 'dropConnection', target: { all: true } });
    await waitFor(() => engine.venue('sim')?.state !== 'connected', 'the disconnection');
    await tickUntil(() => engine.venue('sim')?.state === 'connected', 'the reconnection', 30_000);
    await tickUntil(() => liveQuotes(setup).filter((o) => o.state === 'open').length >= 10, 'quoting again', 60_000);
    expect(fills()).toHaveLength(1);
    expect(engine.snapshot().positions[name]?.size).toBe(size);
  });

  it('pauses on the MMP group’s trigger, and the trader’s resume resets the group and quotes again', async () => {
    const setup = await quoting();
    const { engine, link, venue, tickUntil } = setup;
    await tickUntil(() => venueQuotes(setup).length >= 10, 'ten quotes at the venue', 60_000);
    expect(venue.exchange.triggerMmp(DEFAULT_CREDENTIALS.accountId, 'btc_usd', GROUP)).toBe(true);
    await tickUntil(() => engine.snapshot().strategies.BTC?.mode === 'PAUSED', 'the strategy paused by the trigger');
    await tickUntil(() => venueQuotes(setup).length === 0 && liveQuotes(setup).length === 0, 'no quote left');
    const resumed = engine.handle({ type: 'SetStrategyMode', commandId: 'resume', currency: 'BTC', mode: 'ACTIVE' });
    link.perform(resumed.requests);
    await tickUntil(() => venueQuotes(setup).length >= 10, 'quoting again after the reset', 60_000);
    expect(setup.methods).toContain('private/reset_mmp');
    expect(venue.exchange.mmpStatuses(DEFAULT_CREDENTIALS.accountId)).toEqual([]);
  });

  it('pulls the quotes on pause and on the kill switch with cancel_quotes, and reconciles them after a reconnect', async () => {
    const setup = await quoting();
    const { engine, link, venue, tickUntil, waitFor } = setup;
    const command = (cmd: Parameters<typeof engine.handle>[0]) => {
      const outcome = engine.handle(cmd);
      expect(outcome.events[0]).toMatchObject({ type: 'CommandAccepted' });
      link.perform(outcome.requests);
    };
    await tickUntil(() => venueQuotes(setup).length >= 10, 'ten quotes at the venue', 60_000);

    const before = setup.methods.length;
    command({ type: 'SetStrategyMode', commandId: 'pause', currency: 'BTC', mode: 'PAUSED' });
    await tickUntil(() => venueQuotes(setup).length === 0 && liveQuotes(setup).length === 0, 'no quote left after the pause');
    expect(setup.methods.slice(before)).toContain('private/cancel_quotes');

    command({ type: 'SetStrategyMode', commandId: 'resume', currency: 'BTC', mode: 'ACTIVE' });
    await tickUntil(() => venueQuotes(setup).length >= 10, 'quoting again after the resume', 60_000);
    const killed = setup.methods.length;
    command({ type: 'KillSwitch', commandId: 'kill', reason: 'test' });
    await tickUntil(() => venueQuotes(setup).length === 0 && liveQuotes(setup).length === 0, 'no quote left after the kill');
    expect(setup.methods.slice(killed)).toEqual(expect.arrayContaining(['private/cancel_all', 'private/cancel_quotes']));
    expect(setup.methods.slice(killed)).not.toContain('private/mass_quote');
    expect(engine.snapshot().killSwitch).toMatchObject({ state: 'triggered' });

    command({ type: 'AcknowledgeHalt', commandId: 'ack', acknowledgement: 'I have checked positions and orders' });
    command({ type: 'SetStrategyMode', commandId: 'resume2', currency: 'BTC', mode: 'ACTIVE' });
    await tickUntil(() => liveQuotes(setup).filter((o) => o.state === 'open').length >= 10, 'quoting after the halt', 60_000);
    const beforeDrop = new Set(liveQuotes(setup).map((o) => o.clientOrderId));
    const droppedAtVenue = venueQuotes(setup).map((o) => o.orderId);
    // The connection drops: cancel-on-disconnect takes our quotes at the venue; the reconnect reconciles ours.
    venue.faults.apply({ type: 'dropConnection', target: { all: true } });
    await waitFor(() => engine.venue('sim')?.state !== 'connected', 'the disconnection');
    await tickUntil(() => engine.venue('sim')?.state === 'connected', 'the reconnection', 30_000);
    for (const orderId of droppedAtVenue) {
      const order = venue.exchange.orderState(DEFAULT_CREDENTIALS.accountId, orderId);
      expect(order.ok && order.value.orderState !== 'open').toBe(true);
    }
    await tickUntil(() => [...beforeDrop].every((id) => { const order = engine.order(id); return order === undefined || !LIVE_STATES.has(order.state); }), 'every quote of before the drop reconciled as gone');
    await tickUntil(() => venueQuotes(setup).length >= 10 && liveQuotes(setup).every((o) => o.state === 'open' || o.state === 'partially-filled'), 'quoting again after the reconnect', 60_000);
    expectOneOrderPerSlot(setup);
    expect(Object.values(engine.snapshot().orders).filter((o) => o.state === 'unknown')).toEqual([]);
  });
});
