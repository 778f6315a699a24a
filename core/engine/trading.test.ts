import { afterEach, describe, expect, it } from 'vitest';
import type { EngineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { engineOnSimulator } from '../../test/support/engine-on-simulator.ts';
import { LIVE_STATES } from '../oms/order-state.ts';
import { DEFAULT_CREDENTIALS } from '../sim/defaults.ts';
import type { EngineState } from '../protocol/index.ts';
import type { EngineOptions } from './engine.ts';

/**
 * The market maker end to end: the kernel quoting the simulator through the real adapter over
 * 127.0.0.1, with the engine's tick driven as the worker drives it.
 */
const running: EngineOnSimulator[] = [];
afterEach(async () => {
  for (const setup of running.splice(0)) await setup.close();
});

async function quoting(options: Partial<EngineOptions> = {}): Promise<EngineOnSimulator> {
  const setup = await engineOnSimulator(21, {}, { quoteOnStart: true, ...options });
  running.push(setup);
  return setup;
}

const live = (state: EngineState, origin?: string) => Object.values(state.orders).filter((o) => LIVE_STATES.has(o.state) && (origin === undefined || o.origin === origin));
const ACK = 'I have checked positions and orders';

/** Buys `deltaCoin` of BTC delta with a marketable perpetual order (a trader's manual trade). */
async function buyDelta(setup: EngineOnSimulator, deltaCoin: number): Promise<void> {
  const { engine, link, tickUntil } = setup;
  const perp = Object.values(engine.snapshot().instruments).find((i) => i.isPerpetual)!;
  await tickUntil(() => engine.quote(perp.instrumentName)?.askPrice !== undefined, 'a perpetual ask');
  const ask = engine.quote(perp.instrumentName)!.askPrice!;
  const amount = Math.round((deltaCoin * ask) / perp.minTradeAmount) * perp.minTradeAmount;
  const placed = engine.handle({ type: 'PlaceOrder', commandId: `buy${deltaCoin}`, instrumentName: perp.instrumentName, side: 'buy', price: ask + 5 * perp.tickSize, amount, postOnly: false, reduceOnly: false });
  expect(placed.events[0]).toMatchObject({ type: 'CommandAccepted' });
  link.perform(placed.requests);
  await tickUntil(() => (engine.snapshot().positions[perp.instrumentName]?.size ?? 0) >= amount, 'the perpetual position');
}

describe('market making against the simulator', { timeout: 90_000 }, () => {
  it('quotes the chain from its fitted surface, and every quote is on tick, two-sided where allowed, and within the collar', async () => {
    const setup = await quoting();
    const { engine, tickUntil } = setup;
    await tickUntil(() => live(engine.snapshot(), 'strategy').length >= 100, 'a hundred strategy orders resting', 40_000);
    const state = engine.snapshot();
    expect(state.strategies.BTC).toMatchObject({ mode: 'ACTIVE' });
    expect(state.strategies.BTC!.surfaceExpiries).toBeGreaterThan(0);
    const theos = Object.values(state.theos);
    expect(theos.length).toBeGreaterThan(50);
    for (const theo of theos) {
      if (theo.bidPrice !== undefined && theo.askPrice !== undefined) expect(theo.bidPrice).toBeLessThan(theo.askPrice);
    }
    // The venue accepted them: none rejected for price or size.
    const rejected = Object.values(state.orders).filter((o) => o.state === 'rejected' && o.origin === 'strategy');
    expect(rejected.map((o) => o.reason)).toEqual([]);
  });

  it('skews quotes against the inventory: long delta lowers calls and raises puts around theo', async () => {
    // Inventory first, while paused, so no option fill changes it before the quotes are read.
    const setup = await quoting({ quoteOnStart: false });
    const { engine, tickUntil } = setup;
    await buyDelta(setup, 4);
    await tickUntil(() => (engine.snapshot().risk.BTC?.greeks.deltaCoin ?? 0) > 3, 'the delta in the risk topic');
    engine.handle({ type: 'SetStrategyMode', commandId: 'go', currency: 'BTC', mode: 'ACTIVE' });
    await tickUntil(() => Object.values(engine.snapshot().theos).filter((t) => t.bidPrice !== undefined && t.askPrice !== undefined).length > 30, 'two-sided theo rows');
    const theos = Object.values(engine.snapshot().theos).filter((t) => t.bidPrice !== undefined && t.askPrice !== undefined);
    const instruments = engine.snapshot().instruments;
    let calls = 0;
    let callsBelow = 0;
    let puts = 0;
    let putsAbove = 0;
    for (const theo of theos) {
      const mid = (theo.bidPrice! + theo.askPrice!) / 2;
      if (instruments[theo.instrumentName]?.optionType === 'call') {
        calls++;
        if (mid < theo.theoPrice) callsBelow++;
      } else {
        puts++;
        if (mid > theo.theoPrice) putsAbove++;
      }
    }
    expect(calls).toBeGreaterThan(5);
    expect(puts).toBeGreaterThan(5);
    expect(callsBelow / calls).toBeGreaterThan(0.8);
    expect(putsAbove / puts).toBeGreaterThan(0.8);
  });

  it('pulls every quote on pause at once, resumes on resume, and the kill switch cancels everything and latches until acknowledged', async () => {
    const setup = await quoting();
    const { engine, link, tickUntil, waitFor } = setup;
    await tickUntil(() => live(engine.snapshot(), 'strategy').length >= 50, 'fifty strategy orders resting', 40_000);
    const resting = live(engine.snapshot(), 'strategy').filter((o) => o.venueOrderId !== undefined && o.state !== 'pending-cancel' && o.state !== 'unknown').length;
    const pause = engine.handle({ type: 'SetStrategyMode', commandId: 'p', currency: 'BTC', mode: 'PAUSED' });
    expect(pause.events[0]).toMatchObject({ type: 'CommandAccepted' });
    // Within the command, not on a later tick: a cancel for every acknowledged strategy order.
    expect(pause.requests.filter((r) => r.type === 'CancelOrder').length).toBe(resting);
    link.perform(pause.requests);
    await tickUntil(() => live(engine.snapshot(), 'strategy').length === 0, 'every strategy order cancelled');
    expect(engine.snapshot().strategies.BTC?.mode).toBe('PAUSED');

    engine.handle({ type: 'SetStrategyMode', commandId: 'r', currency: 'BTC', mode: 'ACTIVE' });
    await tickUntil(() => live(engine.snapshot(), 'strategy').length >= 50, 'quoting again', 40_000);

    const kill = engine.handle({ type: 'KillSwitch', commandId: 'k', reason: 'test' });
    link.perform(kill.requests);
    expect(kill.requests.at(-1)).toEqual({ type: 'CancelAll' });
    await waitFor(() => live(engine.snapshot()).length === 0, 'every order cancelled after the kill switch');
    expect(setup.venue.exchange.openOrders('trader')).toEqual([]);
    const halted = engine.snapshot();
    expect(halted.killSwitch).toMatchObject({ state: 'triggered', source: 'trader' });
    expect(halted.strategies.BTC?.mode).toBe('HALTED');
    // Nothing trades while halted, and quoting cannot be resumed without the acknowledgement.
    expect(engine.handle({ type: 'SetStrategyMode', commandId: 'r2', currency: 'BTC', mode: 'ACTIVE' }).events[0]).toMatchObject({ type: 'CommandRejected', reason: expect.stringContaining('acknowledge') });
    const perp = Object.values(halted.instruments).find((i) => i.isPerpetual)!;
    const bid = engine.quote(perp.instrumentName)!.bidPrice!;
    expect(engine.handle({ type: 'PlaceOrder', commandId: 'm', instrumentName: perp.instrumentName, side: 'buy', price: bid, amount: 10, postOnly: true, reduceOnly: false }).events[0]).toMatchObject({
      type: 'CommandRejected',
      reason: expect.stringContaining('kill switch'),
    });
    await tickUntil(() => true, 'a tick while halted');
    expect(live(engine.snapshot())).toEqual([]);
    expect(engine.handle({ type: 'AcknowledgeHalt', commandId: 'a', acknowledgement: ACK }).events[0]).toMatchObject({ type: 'CommandAccepted' });
    expect(engine.snapshot().strategies.BTC?.mode).toBe('PAUSED');
    expect(engine.snapshot().killSwitch.state).toBe('armed');
  });

  it('acts on a breached limit: a tight delta limit with action pause pauses the strategy and the breach is logged', async () => {
    const setup = await quoting();
    const { engine, tickUntil } = setup;
    await buyDelta(setup, 1);
    await tickUntil(() => Object.values(engine.snapshot().limits).some((l) => l.limitId === 'BTC.delta'), 'the delta limit row');
    expect(engine.handle({ type: 'SetLimit', commandId: 'l', limitId: 'BTC.delta', limit: 0.5, action: 'pause' }).events[0]).toMatchObject({ type: 'CommandAccepted' });
    await tickUntil(() => engine.snapshot().strategies.BTC?.mode === 'PAUSED', 'the pause');
    const state = engine.snapshot();
    expect(state.limits['BTC.delta']).toMatchObject({ state: 'breach', action: 'pause', limit: 0.5 });
    expect(Object.values(state.activity).some((a) => a.category === 'limit' && a.message.includes('net delta'))).toBe(true);
    await tickUntil(() => live(engine.snapshot(), 'strategy').length === 0, 'quotes pulled');
  });

  it('auto-hedges delta back into its band with the perpetual, and a flatten ends flat', async () => {
    const setup = await quoting({ quoteOnStart: false });
    const { engine, tickUntil } = setup;
    await buyDelta(setup, 2);
    expect(engine.handle({ type: 'SetAutoHedge', commandId: 'h', currency: 'BTC', enabled: true, targetCoin: 0, bandCoin: 0.5, minIntervalMs: 0 }).events[0]).toMatchObject({ type: 'CommandAccepted' });
    await tickUntil(() => Math.abs(engine.snapshot().risk.BTC?.greeks.deltaCoin ?? 99) <= 0.5, 'delta back within ±0.5', 40_000);
    await tickUntil(() => Object.values(engine.snapshot().executions).some((e) => e.kind === 'hedge' && e.state === 'done'), 'the hedge reported done');
    engine.handle({ type: 'SetAutoHedge', commandId: 'h2', currency: 'BTC', enabled: false, targetCoin: 0, bandCoin: 0.5, minIntervalMs: 0 });

    const flatten = engine.handle({ type: 'Flatten', commandId: 'f', currency: 'BTC' });
    expect(flatten.events[0]).toMatchObject({ type: 'CommandAccepted' });
    setup.link.perform(flatten.requests);
    await tickUntil(() => Object.values(engine.snapshot().positions).every((p) => p.size === 0), 'every position closed', 40_000);
    await tickUntil(() => Object.values(engine.snapshot().executions).some((e) => e.kind === 'flatten' && e.state === 'done'), 'the flatten report');
    expect(setup.venue.exchange.positions('trader', 'BTC').filter((p) => p.size !== 0)).toEqual([]);
  });

  it('trips the kill switch when the venue stays down beyond the timeout with positions at stake', async () => {
    const setup = await quoting({ quoteOnStart: false, venueDownKillMs: 1_000 });
    const { engine, tickUntil } = setup;
    await buyDelta(setup, 0.2);
    await setup.venue.close();
    await tickUntil(() => engine.snapshot().killSwitch.state === 'triggered', 'the kill switch', 20_000);
    expect(engine.snapshot().killSwitch).toMatchObject({ source: 'venue-disconnect', reason: expect.stringContaining('sim disconnected') });
    expect(engine.snapshot().strategies.BTC?.mode).toBe('HALTED');
  });

  it('sets the venue’s market maker protection from the limits, pauses on its trigger and resets it on resume', async () => {
    const setup = await quoting();
    const { engine, tickUntil, venue } = setup;
    await tickUntil(() => Object.values(engine.snapshot().activity).some((a) => a.message.includes('market maker protection set')), 'MMP configured');
    await tickUntil(() => venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).some((o) => o.mmp), 'quotes under MMP', 40_000);
    venue.faults.apply({ type: 'triggerMmp', accountId: DEFAULT_CREDENTIALS.accountId, indexName: 'btc_usd' });
    await tickUntil(() => engine.snapshot().strategies.BTC?.mode === 'PAUSED', 'the strategy paused by the trigger');
    expect(engine.snapshot().strategies.BTC?.reason).toContain('MMP');
    const resume = engine.handle({ type: 'SetStrategyMode', commandId: 'r', currency: 'BTC', mode: 'ACTIVE' });
    expect(resume.requests).toEqual([{ type: 'ResetMmp', venueId: 'sim', indexName: 'btc_usd' }]);
    setup.link.perform(resume.requests);
    await tickUntil(() => Object.values(engine.snapshot().activity).some((a) => a.message.includes('protection reset')), 'the reset');
    await tickUntil(() => venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).some((o) => o.mmp), 'quoting again under MMP', 40_000);
  });
});
