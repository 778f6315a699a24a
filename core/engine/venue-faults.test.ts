import { afterEach, describe, expect, it } from 'vitest';
import type { EngineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { engineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import type { Engine } from './engine.ts';

/**
 * The engine, through its adapter, against the simulator's injected faults over 127.0.0.1: each
 * fault must end with books consistent and orders reconciled, and nothing sent on stale data.
 */
const running: EngineOnSimulator[] = [];
afterEach(async () => {
  for (const setup of running.splice(0)) await setup.close();
});

async function setup() {
  const connected = await engineOnSimulator(5, { reconnectBaseMs: 50, requestTimeoutMs: 1000 });
  running.push(connected);
  const { engine, waitFor } = connected;
  const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
  // With the mark known, the collar is checked (and passed) on every order here.
  await waitFor(() => engine.quote(perp.instrumentName)?.bidPrice !== undefined && engine.quote(perp.instrumentName)?.markPrice !== undefined, 'a perpetual quote');
  return { ...connected, perp };
}

/**
 * A bid that rests (ten ticks under the mark, below any ask: the simulator's depth ladder asks at
 * least one grid price above fair value) and stays inside the price collar, which is measured
 * from the mark.
 */
function restingBid(engine: Engine, instrumentName: string, tickSize: number): number {
  return Math.floor(engine.quote(instrumentName)!.markPrice! / tickSize - 10) * tickSize;
}

describe('engine and adapter under injected venue faults', () => {
  it('detects a change_id gap, refuses orders on the stale book, and resnapshots', async () => {
    const { venue, engine, waitFor, perp, events } = await setup();
    venue.faults.apply({ type: 'skipChangeId', instrumentName: perp.instrumentName });
    await waitFor(() => engine.quote(perp.instrumentName)?.stale === true, 'the stale book');
    expect(engine.quote(perp.instrumentName)?.staleReason).toContain('gap');
    const refused = engine.handle({ type: 'PlaceOrder', commandId: 'x', instrumentName: perp.instrumentName, side: 'buy', price: perp.tickSize * 1000, amount: 10, postOnly: true, reduceOnly: false });
    expect(refused.events[0]).toMatchObject({ type: 'CommandRejected', reason: expect.stringContaining('stale') });
    expect(refused.requests).toEqual([]);
    await waitFor(() => engine.quote(perp.instrumentName)?.stale === false, 'the resnapshot');
    expect(events.filter((e) => e.type === 'BookSnapshot' && e.instrumentName === perp.instrumentName).length).toBeGreaterThanOrEqual(2);
  });

  it('notices a silent feed within 2 s, marks books stale and reconnects', async () => {
    const { venue, engine, waitFor, perp } = await setup();
    venue.faults.apply({ type: 'hangConnection', target: { all: true }, durationMs: 60_000, onEnd: 'drop' });
    await waitFor(() => engine.quote(perp.instrumentName)?.stale === true, 'the silent-feed detection');
    // The watchdog declares silence after the 2 s data timeout (checked every 500 ms), not before.
    const silentMs = Number(/no data for (\d+) ms/.exec(engine.quote(perp.instrumentName)?.staleReason ?? '')?.[1]);
    expect(silentMs).toBeGreaterThan(2_000);
    await waitFor(() => engine.venue('sim')?.state === 'connected' && engine.quote(perp.instrumentName)?.stale === false, 'the reconnection', 15_000);
  });

  it('resolves an order whose acknowledgement was lost from the venue’s own report', async () => {
    const { venue, engine, link, waitFor, perp } = await setup();
    venue.faults.apply({ type: 'dropOrderAcks', count: 1 });
    const placed = engine.handle({ type: 'PlaceOrder', commandId: 'p', instrumentName: perp.instrumentName, side: 'buy', price: restingBid(engine, perp.instrumentName, perp.tickSize), amount: 10, postOnly: true, reduceOnly: false });
    link.perform(placed.requests);
    const clientOrderId = Object.keys(engine.snapshot().orders)[0]!;
    // The venue's user.orders feed reports the order even though the answer to the request is lost.
    await waitFor(() => engine.order(clientOrderId)?.state === 'open', 'the order to be known open');
    expect(venue.exchange.openOrders('trader').map((o) => o.label)).toEqual([clientOrderId]);
  });

  it('rejects an order the venue refuses, and reconciles open orders after a dropped connection', async () => {
    const { venue, engine, link, waitFor, perp } = await setup();
    venue.faults.apply({ type: 'rejectOrders', count: 1 });
    const refused = engine.handle({ type: 'PlaceOrder', commandId: 'r', instrumentName: perp.instrumentName, side: 'buy', price: restingBid(engine, perp.instrumentName, perp.tickSize), amount: 10, postOnly: true, reduceOnly: false });
    link.perform(refused.requests);
    const refusedId = Object.keys(engine.snapshot().orders)[0]!;
    await waitFor(() => engine.order(refusedId)?.state === 'rejected', 'the rejection');
    expect(engine.order(refusedId)?.reason).toContain('matching_engine_queue_full');

    const placed = engine.handle({ type: 'PlaceOrder', commandId: 'k', instrumentName: perp.instrumentName, side: 'buy', price: restingBid(engine, perp.instrumentName, perp.tickSize), amount: 10, postOnly: true, reduceOnly: false });
    expect(placed.events[0]).toMatchObject({ type: 'CommandAccepted' });
    link.perform(placed.requests);
    const keptId = Object.keys(engine.snapshot().orders).find((id) => id !== refusedId)!;
    await waitFor(() => engine.order(keptId)?.state === 'open', 'the acknowledgement');
    venue.faults.apply({ type: 'dropConnection', target: { all: true } });
    await waitFor(() => engine.venue('sim')?.state === 'reconnecting', 'the loss');
    await waitFor(() => engine.venue('sim')?.state === 'connected', 'the reconnection');
    // Cancel-on-disconnect removed it at the venue; reconciliation must agree.
    await waitFor(() => engine.order(keptId)?.state === 'cancelled', 'reconciliation');
    expect(venue.exchange.openOrders('trader')).toEqual([]);
  });
});
