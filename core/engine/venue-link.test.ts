import { afterEach, describe, expect, it } from 'vitest';
import type { EngineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { engineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import type { OrderRow } from '../protocol/index.ts';
import { CommandSchema } from '../protocol/index.ts';
import { DEFAULT_LIMITS, parseLimitPatch } from '../risk/index.ts';
import { DEFAULT_CREDENTIALS } from '../sim/defaults.ts';
import type { Engine, EngineOptions } from './engine.ts';

/** The kernel trading against the simulator through the real adapter, over 127.0.0.1. */
const running: EngineOnSimulator[] = [];
afterEach(async () => {
  for (const setup of running.splice(0)) await setup.close();
});

async function connected(engineOptions: Partial<EngineOptions> = {}): Promise<EngineOnSimulator> {
  const setup = await engineOnSimulator(11, {}, engineOptions);
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
    // Resting, below the bid, inside the pre-trade collar around the mark.
    const price = bid - 10 * perp.tickSize;

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

  it('refuses an order beyond the pre-trade limits before it reaches the venue', async () => {
    const { engine, waitFor } = await connected();
    const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
    await waitFor(() => engine.quote(perp.instrumentName)?.askPrice !== undefined, 'a perpetual ask');
    const ask = engine.quote(perp.instrumentName)!.askPrice!;
    const tooBig = engine.handle({ type: 'PlaceOrder', commandId: 'big', instrumentName: perp.instrumentName, side: 'buy', price: ask, amount: 500_000_000, postOnly: false, reduceOnly: false });
    expect(tooBig).toMatchObject({ events: [{ type: 'CommandRejected', reason: expect.stringMatching(/^size: amount 500,000,000 USD exceeds the per-order maximum/) }], requests: [] });
    expect(engine.snapshot().orders).toEqual({});
  });

  it('reports a venue rejection on the order, and fills of a marketable order', async () => {
    // Limits wide open: this is about what the venue says.
    const open = parseLimitPatch(DEFAULT_LIMITS, { underlyings: { BTC: { preTrade: { maxOrderAmountFutureUsd: 1e12, maxOrderNotionalUsd: 1e12 }, netDeltaCoin: { limit: 1e9, action: 'warn' }, futurePositionUsd: { limit: 1e12, action: 'warn' }, grossNotionalUsd: { limit: 1e13, action: 'warn' } } } });
    if (!open.ok) throw new Error(open.error);
    const { engine, link, waitFor } = await connected({ limits: open.config });
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

  it('cancels everything on one underlying, including orders placed at the venue by other means', async () => {
    const { engine, link, venue, waitFor } = await connected();
    const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
    await waitFor(() => engine.quote(perp.instrumentName)?.bidPrice !== undefined, 'a perpetual quote');
    const price = engine.quote(perp.instrumentName)!.bidPrice! - 10 * perp.tickSize;
    link.perform(engine.handle({ type: 'PlaceOrder', commandId: 'p', instrumentName: perp.instrumentName, side: 'buy', price, amount: 100, postOnly: true, reduceOnly: false }).requests);
    await waitFor(() => venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).length === 1, 'our order resting');
    // One the engine never sent (another session of the same account).
    venue.exchange.place(DEFAULT_CREDENTIALS.accountId, { instrumentName: perp.instrumentName, direction: 'buy', type: 'limit', price: price - perp.tickSize, amount: 100, postOnly: true, label: 'elsewhere' });
    // The edge refuses an ambiguous scope before it reaches the kernel.
    expect(CommandSchema.safeParse({ type: 'CancelAllOrders', commandId: 'x', instrumentName: perp.instrumentName, currency: 'BTC' }).success).toBe(false);
    const cancel = engine.handle({ type: 'CancelAllOrders', commandId: 'c', currency: 'BTC' });
    expect(cancel.requests.at(-1)).toEqual({ type: 'CancelAll', currency: 'BTC' });
    link.perform(cancel.requests);
    await waitFor(() => venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).length === 0, 'every BTC order cancelled');
  });

  it('shows the market’s last trades in a watched book', async () => {
    const { engine, waitFor } = await connected();
    const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
    expect(engine.handle({ type: 'WatchBook', commandId: 'w', instrumentName: perp.instrumentName }).events[0]).toMatchObject({ type: 'CommandAccepted' });
    await waitFor(() => {
      engine.takeChanges();
      return (engine.snapshot().books[perp.instrumentName]?.lastTrades.length ?? 0) > 0;
    }, 'a trade in the perpetual', 20_000);
    const trade = engine.snapshot().books[perp.instrumentName]!.lastTrades[0]!;
    expect(trade.price).toBeGreaterThan(0);
    expect(['buy', 'sell']).toContain(trade.takerSide);
  });
});
