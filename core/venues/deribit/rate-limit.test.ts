import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CREDITS } from '../../sim/rpc/credits.ts';
import type { VenueEvent } from '../venue-adapter.ts';
import { collect, Harness, restingBid } from './sim-harness.ts';

/**
 * The client-side credit limiter against the simulator's own credit pools over 127.0.0.1: bursts
 * wait for credits instead of meeting too_many_requests, cancels overtake waiting orders, and a
 * venue that refuses anyway puts the adapter in safe mode until it recovers.
 */
const harness = new Harness();
afterEach(() => harness.close());

type Of<T extends VenueEvent['type']> = Extract<VenueEvent, { type: T }>;

/** Matching-engine credits for 200 requests a second (burst 20): a 500-order burst takes about 2.5 s. */
const FAST_CREDITS = { ...DEFAULT_CREDITS, matching: { maxCredits: 20_000, refillPerSec: 200_000, costPerRequest: 1_000 } };

async function connected(credits = DEFAULT_CREDITS, adapterOptions: Parameters<Harness['adapter']>[1] = {}) {
  const { venue, url } = await harness.venue({ seed: 5, credits });
  const adapter = harness.adapter(url, { rateLimits: credits, ...adapterOptions });
  const collected = collect(adapter);
  const ready = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected', 10_000, 'connection');
  adapter.start();
  await ready;
  const perp = venue.exchange.instruments('BTC').find((i) => i.isPerpetual)!.instrumentName;
  return { venue, adapter, perp, ...collected };
}

describe('rate limiting against the simulator’s credit pools', () => {
  it('sends a burst of 500 orders without a single too_many_requests, letting a cancel overtake the queue', async () => {
    const { venue, adapter, perp, events, next } = await connected(FAST_CREDITS);
    const labels = Array.from({ length: 500 }, (_, i) => `burst-${i}`);
    const firstOpen = next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.venueState === 'open' && e.report.label.startsWith('burst-'), 10_000, 'first burst acknowledgement');
    const allOpen = new Set<string>();
    const done = new Promise<void>((resolve) =>
      adapter.onEvent((e) => {
        if (e.type === 'OrderReported' && e.report.venueState === 'open' && e.report.label.startsWith('burst-')) allOpen.add(e.report.label);
        if (allOpen.size === labels.length) resolve();
      }),
    );
    labels.forEach((label, i) => adapter.placeOrder({ label, instrumentName: perp, side: 'buy', price: restingBid(venue, perp, i), amount: 10, postOnly: true, reduceOnly: false, priority: i }));
    expect(adapter.queuedRequests).toBeGreaterThan(400);

    // While hundreds still wait for credits, a cancel goes straight through.
    const { report } = await firstOpen;
    const cancelled = next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.label === report.label && e.report.venueState === 'cancelled', 10_000, 'cancellation');
    adapter.cancelOrder({ label: report.label, venueOrderId: report.venueOrderId });
    await cancelled;
    const acknowledgedBeforeCancel = allOpen.size;
    expect(acknowledgedBeforeCancel).toBeLessThan(100);

    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${allOpen.size} of 500 acknowledged`)), 15_000))]);
    expect(events.filter((e) => e.type === 'OrderRequestFailed')).toEqual([]);
    expect(events.some((e) => e.type === 'FeedLost')).toBe(false);
    expect(adapter.tooManyRequests).toBe(0);
    // Near the money first: orders went out in priority order (their priority is their index),
    // as the venue's user.orders feed (in its own order, unlike answers' promise callbacks) shows.
    const openOrder = [...new Set(events.flatMap((e) => (e.type === 'OrderReported' && e.report.venueState === 'open' && e.report.label.startsWith('burst-') ? [Number(e.report.label.slice(6))] : [])))];
    expect(openOrder).toEqual([...openOrder].sort((a, b) => a - b));
    expect(venue.exchange.openOrders('trader').length).toBe(499);

    // The status bar saw the credits spent, and was not flooded while it did.
    const statuses = events.flatMap((e) => (e.type === 'StatusChanged' && e.status.state === 'connected' ? [e.status] : []));
    expect(statuses.some((s) => s.creditsAvailable !== undefined && s.creditsAvailable < 15_000 && s.creditsMax === 20_000)).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ safeMode: false, rttMs: expect.any(Number), messagesPerSec: expect.objectContaining({ total: expect.any(Number) }) });
    expect(statuses.length).toBeLessThan(20);
  });

  it('enters safe mode when the venue refuses for credits anyway, sends only cancels, then recovers', async () => {
    const { venue, adapter, perp, events, next } = await connected(DEFAULT_CREDITS, { safeModeMs: 1_500 });
    venue.faults.apply({ type: 'exhaustCredits', target: { all: true } });
    const refused = next<Of<'OrderRequestFailed'>>((e) => e.type === 'OrderRequestFailed' && e.label === 'refused');
    const safe = next((e) => e.type === 'StatusChanged' && e.status.safeMode === true);
    adapter.placeOrder({ label: 'refused', instrumentName: perp, side: 'buy', price: restingBid(venue, perp), amount: 10, postOnly: true, reduceOnly: false });
    expect(await refused).toMatchObject({ code: 10028, request: 'place' });
    await safe;
    // Deribit ends the session on 10028: the adapter reconnects, still in safe mode.
    const back = await next<Of<'StatusChanged'>>((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    expect(back.status.safeMode).toBe(true);

    const held = next<Of<'OrderRequestFailed'>>((e) => e.type === 'OrderRequestFailed' && e.label === 'held');
    adapter.placeOrder({ label: 'held', instrumentName: perp, side: 'buy', price: restingBid(venue, perp), amount: 10, postOnly: true, reduceOnly: false });
    expect(await held).toMatchObject({ code: 0, reason: expect.stringContaining('safe mode') });

    // Cancels still go: an order of the account's placed at the venue directly.
    const manual = venue.exchange.place('trader', { instrumentName: perp, direction: 'buy', amount: 10, type: 'limit', price: restingBid(venue, perp, 3), postOnly: true, label: 'manual' });
    expect(manual.ok ? 'placed' : manual.error).toBe('placed');
    const orderId = manual.ok ? manual.value.order.orderId : '';
    const cancelled = next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.venueOrderId === orderId && e.report.venueState === 'cancelled');
    adapter.cancelOrder({ label: 'manual', venueOrderId: orderId });
    await cancelled;
    expect(back.status.safeMode && adapter.tooManyRequests).toBe(1);

    await next((e) => e.type === 'StatusChanged' && e.status.safeMode === false, 5_000);
    const placed = next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.label === 'after');
    adapter.placeOrder({ label: 'after', instrumentName: perp, side: 'buy', price: restingBid(venue, perp), amount: 10, postOnly: true, reduceOnly: false });
    expect((await placed).report.venueState).toBe('open');
    expect(adapter.tooManyRequests).toBe(1);
    expect(events.filter((e) => e.type === 'VenueWarning').map((e) => (e as Of<'VenueWarning'>).reason)).toEqual([expect.stringContaining('safe mode after too_many_requests on private/buy')]);
  });
});
