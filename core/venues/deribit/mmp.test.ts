import { afterEach, describe, expect, it } from 'vitest';
import { priceToTicks } from '../../sim/instruments/ticks.ts';
import type { SimVenue } from '../../sim/venue.ts';
import { scaledClock } from '../../sim/venue.ts';
import type { MmpConfig, PlaceOrderRequest, VenueEvent } from '../venue-adapter.ts';
import { DeribitAdapter } from './deribit-adapter.ts';
import type { Collected } from './sim-harness.ts';
import { collect, Harness, insideBid, restingBid } from './sim-harness.ts';

/**
 * Market maker protection through the adapter against the simulator over 127.0.0.1: the venue
 * takes our configuration, a taker trades against our resting MMP orders until the limit
 * triggers, the venue cancels them and refuses new ones until we reset; a reconnect re-applies
 * the configuration and reports a freeze before the venue is connected again.
 */
const harness = new Harness();
afterEach(() => harness.close());

type Of<T extends VenueEvent['type']> = Extract<VenueEvent, { type: T }>;
/** The simulator's background taker (core/sim/venue.ts): trades with us, never accounted for. */
const TAKER = 'sim-taker';
const CONFIG: MmpConfig = { indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimitCoin: 0.2 };

async function connected(reconnectBaseMs = 50): Promise<{ venue: SimVenue; adapter: DeribitAdapter; collected: Collected }> {
  const { venue, url } = await harness.venue({ seed: 11 });
  const adapter = harness.adapter(url, { reconnectBaseMs });
  const collected = collect(adapter);
  const live = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
  adapter.start();
  await live;
  return { venue, adapter, collected };
}

async function configure(adapter: DeribitAdapter, collected: Collected, config: MmpConfig): Promise<void> {
  const done = collected.next<Of<'MmpConfigured'>>((e) => e.type === 'MmpConfigured' || e.type === 'MmpRequestFailed', 5_000, 'the MMP configuration answer');
  adapter.configureMmp(config);
  expect(await done).toMatchObject({ type: 'MmpConfigured', venueId: 'sim', config });
}

/** Places an order and resolves with the venue's answer: the open report, or the refusal. */
async function place(adapter: DeribitAdapter, collected: Collected, request: PlaceOrderRequest): Promise<Of<'OrderReported'> | Of<'OrderRequestFailed'>> {
  const answer = collected.next<Of<'OrderReported'> | Of<'OrderRequestFailed'>>(
    (e) => (e.type === 'OrderReported' && e.report.label === request.label) || (e.type === 'OrderRequestFailed' && e.label === request.label),
    5_000,
    `the answer to ${request.label}`,
  );
  adapter.placeOrder(request);
  return answer;
}

const bid = (label: string, instrumentName: string, price: number, amount: number, mmp: boolean): PlaceOrderRequest => ({ label, instrumentName, side: 'buy', price, amount, postOnly: true, reduceOnly: false, mmp });

/** Options with a spread of at least two ticks, nearest the money first. */
function optionsWithRoom(venue: SimVenue): string[] {
  return venue.exchange
    .instruments('BTC')
    .filter((i) => i.kind === 'option' && insideBid(venue, i.instrumentName) !== undefined)
    .sort((a, b) => Math.abs(venue.exchange.mark(a.instrumentName)!.deltaCoin! - 0.5) - Math.abs(venue.exchange.mark(b.instrumentName)!.deltaCoin! - 0.5))
    .map((i) => i.instrumentName);
}

/**
 * Rests an MMP bid alone at the top of a book and, in the same turn of the event loop (no venue
 * tick in between), sells `amount` into it as the simulator's taker. The makers re-quote every
 * 100 ms, so a bid they overtook before the sale is pulled and tried again.
 */
async function restAndHit(venue: SimVenue, adapter: DeribitAdapter, collected: Collected, amount: number, restingAmount: number): Promise<Of<'OrderReported'>['report']> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const instrumentName = optionsWithRoom(venue)[attempt % 3];
    const price = instrumentName === undefined ? undefined : insideBid(venue, instrumentName);
    if (instrumentName === undefined || price === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const placed = await place(adapter, collected, bid(`hit-${attempt}`, instrumentName, price, restingAmount, true));
    if (placed.type !== 'OrderReported' || placed.report.venueState !== 'open') continue;
    const instrument = venue.exchange.instrument(instrumentName)!;
    if (venue.exchange.book(instrumentName)?.bestBidTicks() === priceToTicks(instrument, placed.report.price)) {
      const sold = venue.exchange.place(TAKER, { instrumentName, direction: 'sell', amount, type: 'limit', price: placed.report.price, timeInForce: 'immediate_or_cancel' });
      expect(sold).toMatchObject({ ok: true });
      return placed.report;
    }
    const cancelled = collected.next((e) => e.type === 'OrderReported' && e.report.label === placed.report.label && e.report.venueState !== 'open');
    adapter.cancelOrder({ label: placed.report.label, venueOrderId: placed.report.venueOrderId });
    await cancelled;
  }
  throw new Error('no MMP bid stayed at the top of a book long enough to be hit in 20 attempts');
}

describe('market maker protection on the simulator', () => {
  it('triggers on fills of our MMP orders, which the venue cancels; MMP orders are refused until reset', async () => {
    const { venue, adapter, collected } = await connected();
    expect(adapter.capabilities.mmp).toBe(true);
    await configure(adapter, collected, CONFIG);
    expect(venue.exchange.mmpConfigs('trader')).toEqual([{ indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimit: 0.2 }]);

    // An MMP bid and a plain one resting far from the market on another option.
    const far = optionsWithRoom(venue).at(-1)!;
    const other = await place(adapter, collected, bid('mmp-far', far, restingBid(venue, far), 0.1, true));
    const plain = await place(adapter, collected, bid('plain-far', far, restingBid(venue, far, 1), 0.1, false));
    expect([other.type, plain.type]).toEqual(['OrderReported', 'OrderReported']);
    const flags = Object.fromEntries(venue.exchange.openOrders('trader').map((o) => [o.label, o.mmp]));
    expect(flags).toMatchObject({ 'mmp-far': true, 'plain-far': false });

    const triggered = collected.next<Of<'MmpTriggered'>>((e) => e.type === 'MmpTriggered', 5_000, 'MmpTriggered');
    const hit = await restAndHit(venue, adapter, collected, 0.2, 0.3);
    const event = await triggered;
    expect(event).toMatchObject({ venueId: 'sim', indexName: 'btc_usd', frozenUntilMs: Number.POSITIVE_INFINITY });
    // The fill that triggered it, and the venue's cancels of every MMP order of the index.
    const isCancel = (label: string) => (e: VenueEvent) => e.type === 'OrderReported' && e.report.label === label && e.report.venueState === 'cancelled';
    await Promise.all([hit.label, 'mmp-far'].map((label) => (collected.events.some(isCancel(label)) ? undefined : collected.next(isCancel(label), 5_000, `the cancel of ${label}`))));
    for (const label of [hit.label, 'mmp-far']) expect(collected.events.find(isCancel(label))).toMatchObject({ report: { cancelReason: 'mmp_trigger' } });
    const fills = collected.events.filter((e): e is Of<'FillReported'> => e.type === 'FillReported' && e.fill.label === hit.label);
    if (fills.length === 0) await collected.next((e) => e.type === 'FillReported' && e.fill.label === hit.label, 5_000, 'the fill');
    expect(venue.exchange.openOrders('trader').map((o) => o.label)).toEqual(['plain-far']);

    // Frozen: MMP orders are refused (13030 mmp_trigger); plain ones are not.
    expect(await place(adapter, collected, bid('mmp-frozen', far, restingBid(venue, far), 0.1, true))).toMatchObject({ type: 'OrderRequestFailed', code: 13030 });
    expect(await place(adapter, collected, bid('plain-frozen', far, restingBid(venue, far, 2), 0.1, false))).toMatchObject({ type: 'OrderReported', report: { venueState: 'open' } });

    const reset = collected.next<Of<'MmpReset'>>((e) => e.type === 'MmpReset' || e.type === 'MmpRequestFailed', 5_000, 'the reset');
    adapter.resetMmp('btc_usd');
    expect(await reset).toMatchObject({ type: 'MmpReset', venueId: 'sim', indexName: 'btc_usd' });
    expect(await place(adapter, collected, bid('mmp-again', far, restingBid(venue, far), 0.1, true))).toMatchObject({ type: 'OrderReported', report: { venueState: 'open' } });
    expect(adapter.protocolErrors).toBe(0);
  });

  it('after a forced reconnect, re-applies the configuration and reports the freeze before connected', async () => {
    // Reconnects after 750 ms: time to change things at the venue while the adapter is away.
    const { venue, adapter, collected } = await connected(1_000);
    const config: MmpConfig = { indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimitCoin: 5, deltaLimitCoin: 2 };
    await configure(adapter, collected, config);

    const away = async (meanwhile: () => void): Promise<VenueEvent[]> => {
      const lost = collected.next((e) => e.type === 'FeedLost');
      venue.faults.apply({ type: 'dropConnection', target: { all: true } });
      await lost;
      const from = collected.events.length;
      meanwhile();
      await collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected', 10_000, 'the reconnection');
      return collected.events.slice(from);
    };
    const mmpEvents = (events: readonly VenueEvent[]): VenueEvent[] => events.filter((e) => e.type.startsWith('Mmp') || (e.type === 'StatusChanged' && e.status.state === 'connected'));

    // Someone changes the account's MMP and it triggers while we are away.
    const first = await away(() => {
      venue.exchange.setMmpConfig('trader', { indexName: 'btc_usd', intervalSec: 10, frozenTimeSec: 0, quantityLimit: 50 });
      expect(venue.exchange.triggerMmp('trader', 'btc_usd')).toBe(true);
    });
    expect(mmpEvents(first).map((e) => e.type)).toEqual(['MmpConfigured', 'MmpTriggered', 'StatusChanged']);
    expect(mmpEvents(first)[0]).toMatchObject({ config });
    expect(mmpEvents(first)[1]).toMatchObject({ indexName: 'btc_usd', frozenUntilMs: Number.POSITIVE_INFINITY });
    expect(venue.exchange.mmpConfigs('trader')).toEqual([{ indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0, quantityLimit: 5, deltaLimit: 2 }]);
    // Re-applying did not thaw it.
    expect(venue.exchange.mmpStatuses('trader')).toHaveLength(1);

    // Reset at the venue while we are away: reported, and the configuration the venue kept is confirmed.
    const second = await away(() => venue.exchange.resetMmp('trader', 'btc_usd'));
    expect(mmpEvents(second).map((e) => e.type)).toEqual(['MmpConfigured', 'MmpReset', 'StatusChanged']);

    // The configuration removed at the venue while away: applied again.
    const third = await away(() => venue.exchange.setMmpConfig('trader', { indexName: 'btc_usd', intervalSec: 0, frozenTimeSec: 0, quantityLimit: 0 }));
    expect(mmpEvents(third).map((e) => e.type)).toEqual(['MmpConfigured', 'StatusChanged']);
    expect(venue.exchange.mmpConfigs('trader')).toHaveLength(1);
    expect(adapter.protocolErrors).toBe(0);
  });

  it('applies a configuration asked for while disconnected on the next connect, and removes one with interval 0', async () => {
    // The venue's clock on the wall clock, so its freeze can be compared with ours.
    const { venue, url } = await harness.venue({ seed: 12, clock: scaledClock(Date.now(), 1, () => Date.now()) });
    const adapter = harness.adapter(url);
    const collected = collect(adapter);
    adapter.configureMmp({ indexName: 'btc_usd', intervalSec: 5, frozenTimeSec: 2, vegaLimitUsd: 1_000 });
    const live = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    adapter.start();
    await live;
    expect(collected.events.filter((e) => e.type.startsWith('Mmp')).map((e) => e.type)).toEqual(['MmpConfigured']);
    expect(venue.exchange.mmpConfigs('trader')).toEqual([{ indexName: 'btc_usd', intervalSec: 5, frozenTimeSec: 2, quantityLimit: 0, vegaLimit: 1_000 }]);

    // A timed freeze reports its end (venue time).
    const triggered = collected.next<Of<'MmpTriggered'>>((e) => e.type === 'MmpTriggered');
    venue.faults.apply({ type: 'triggerMmp', accountId: 'trader', indexName: 'btc_usd' });
    const { frozenUntilMs } = await triggered;
    expect(frozenUntilMs).toBeGreaterThan(Date.now() + 1_000);
    expect(frozenUntilMs).toBeLessThanOrEqual(Date.now() + 2_000);

    await configure(adapter, collected, { indexName: 'btc_usd', intervalSec: 0, frozenTimeSec: 0 });
    expect(venue.exchange.mmpConfigs('trader')).toEqual([]);
  });

  it('says so when MMP cannot be had: no credentials, an invalid configuration, not connected', async () => {
    const anonymous = new DeribitAdapter({ venueId: 'public', displayName: 'Public', url: 'ws://127.0.0.1:1/ws/api/v2', currencies: ['BTC'], clock: { nowMs: () => Date.now() }, random: () => 0.5 });
    expect(anonymous.capabilities.mmp).toBe(false);
    const anonymousEvents = collect(anonymous);
    const refused = anonymousEvents.next((e) => e.type === 'MmpRequestFailed');
    anonymous.configureMmp(CONFIG);
    expect(await refused).toMatchObject({ venueId: 'public', indexName: 'btc_usd', request: 'configure', code: 0, reason: expect.stringContaining('no market maker protection') });

    const { venue, url } = await harness.venue({ seed: 13 });
    const adapter = harness.adapter(url);
    const collected = collect(adapter);
    const invalid = collected.next((e) => e.type === 'MmpRequestFailed');
    adapter.configureMmp({ indexName: 'btc_usd', intervalSec: 60, frozenTimeSec: 0 });
    expect(await invalid).toMatchObject({ request: 'configure', code: 0, reason: expect.stringContaining('at least one') });
    const offline = collected.next((e) => e.type === 'MmpRequestFailed');
    adapter.resetMmp('btc_usd');
    expect(await offline).toMatchObject({ request: 'reset', code: 0, reason: expect.stringContaining('not connected') });

    // Nothing was kept: connecting configures nothing.
    const live = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    adapter.start();
    await live;
    expect(collected.events.filter((e) => e.type === 'MmpConfigured')).toEqual([]);
    expect(venue.exchange.mmpConfigs('trader')).toEqual([]);
  });
});
