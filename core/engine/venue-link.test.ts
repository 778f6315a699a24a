import { afterEach, describe, expect, it } from 'vitest';
import type { EngineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { engineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import type { OrderRow } from '../protocol/index.ts';
import type { Engine } from './engine.ts';

/** The kernel trading against the simulator through the real adapter, over 127.0.0.1. */
const running: EngineOnSimulator[] = [];
afterEach(async () => {
  for (const setup of running.splice(0)) await setup.close();
});

async function connected(): Promise<EngineOnSimulator> {
  const setup = await engineOnSimulator(11);
  running.push(setup);
  return setup;
}

function orderOf(engine: Engine, clientOrderId: string): OrderRow | undefined {
  return engine.order(clientOrderId);
}

describe('manual orders through the adapter to the simulator', { timeout: 30_000 }, () => {
  it('places, acknowledges and cancels a resting order, and rejects bad ones with a reason', async () => {
    const { engine, link, venue, waitFor } = await connected();
    const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
    await waitFor(() => engine.quote(perp.instrumentName)?.bidPrice !== undefined, 'a perpetual quote');
    const bid = engine.quote(perp.instrumentName)!.bidPrice!;
    const price = Math.round((bid * 0.9) / perp.tickSize) * perp.tickSize;

    const placed = engine.handle({ type: 'PlaceOrder', commandId: 'c1', instrumentName: perp.instrumentName, side: 'buy', price, amount: 100, postOnly: true, reduceOnly: false });
    expect(placed.events[0]).toMatchObject({ type: 'CommandAccepted' });
    link.perform(placed.requests);
    const clientOrderId = Object.keys(engine.snapshot().orders)[0]!;
    expect(orderOf(engine, clientOrderId)).toMatchObject({ state: 'pending-new', origin: 'manual' });
    await waitFor(() => orderOf(engine, clientOrderId)?.state === 'open', 'the acknowledgement');
    expect(venue.exchange.openOrders('trader').map((o) => o.label)).toEqual([clientOrderId]);

    const cancel = engine.handle({ type: 'CancelOrder', commandId: 'c2', clientOrderId });
    link.perform(cancel.requests);
    expect(orderOf(engine, clientOrderId)?.state).toBe('pending-cancel');
    await waitFor(() => orderOf(engine, clientOrderId)?.state === 'cancelled', 'the cancel');
    expect(venue.exchange.openOrders('trader')).toEqual([]);

    const offTick = engine.handle({ type: 'PlaceOrder', commandId: 'c3', instrumentName: perp.instrumentName, side: 'buy', price: price + perp.tickSize / 3, amount: 100, postOnly: true, reduceOnly: false });
    expect(offTick.events[0]).toMatchObject({ type: 'CommandRejected', reason: expect.stringContaining('tick size') });
    expect(engine.handle({ type: 'CancelOrder', commandId: 'c4', clientOrderId })).toMatchObject({ events: [{ type: 'CommandRejected', reason: expect.stringContaining('already cancelled') }] });
  });

  it('reports a venue rejection on the order, and fills of a marketable order', async () => {
    const { engine, link, waitFor } = await connected();
    const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
    await waitFor(() => engine.quote(perp.instrumentName)?.askPrice !== undefined, 'a perpetual ask');
    const ask = engine.quote(perp.instrumentName)!.askPrice!;
    const tooBig = engine.handle({ type: 'PlaceOrder', commandId: 'big', instrumentName: perp.instrumentName, side: 'buy', price: ask, amount: 500_000_000, postOnly: false, reduceOnly: false });
    link.perform(tooBig.requests);
    const rejectedId = Object.keys(engine.snapshot().orders)[0]!;
    await waitFor(() => orderOf(engine, rejectedId)?.state === 'rejected', 'the rejection');
    expect(orderOf(engine, rejectedId)?.reason).toContain('not_enough_funds');

    const take = engine.handle({ type: 'PlaceOrder', commandId: 'take', instrumentName: perp.instrumentName, side: 'buy', price: ask + 50 * perp.tickSize, amount: 10, postOnly: false, reduceOnly: false });
    link.perform(take.requests);
    const takeId = Object.keys(engine.snapshot().orders).find((id) => id !== rejectedId)!;
    await waitFor(() => orderOf(engine, takeId)?.state === 'filled', 'the fill');
    expect(orderOf(engine, takeId)).toMatchObject({ filledAmount: 10 });
  });
});
