import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock, SimVenue, DEFAULT_CREDENTIALS } from '../../sim/venue.ts';
import type { VenueEvent } from '../venue-adapter.ts';
import { DeribitAdapter } from './deribit-adapter.ts';

/** Fewer expiries than Deribit lists: the same code paths, a lighter market for a busy test machine. */
const LIGHT_SCHEDULE = { dailies: 1, weeklies: 1, monthlies: 1, quarterlies: 1 };

/** The adapter against the embedded simulator over real sockets on 127.0.0.1. */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startVenue(): Promise<{ venue: SimVenue; url: string }> {
  const clock = scaledClock(Date.UTC(2026, 10, 21, 15), 1, () => Date.now());
  const venue = new SimVenue({ seed: 3, clock, currencies: ['BTC'], schedule: LIGHT_SCHEDULE });
  const port = await venue.listen(0);
  venue.run(10);
  cleanups.push(() => venue.close());
  return { venue, url: `ws://127.0.0.1:${port}/ws/api/v2` };
}

function collect(adapter: DeribitAdapter) {
  const events: VenueEvent[] = [];
  const waiters: Array<{ match: (e: VenueEvent) => boolean; resolve: (e: VenueEvent) => void }> = [];
  adapter.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.match(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const next = (match: (e: VenueEvent) => boolean, timeoutMs = 10_000): Promise<VenueEvent> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching venue event; last: ${events.slice(-3).map((e) => e.type).join(', ')}`)), timeoutMs);
      waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  return { events, next };
}

function adapterFor(url: string, options: Partial<ConstructorParameters<typeof DeribitAdapter>[0]> = {}): DeribitAdapter {
  const adapter = new DeribitAdapter({
    venueId: 'sim',
    displayName: 'Simulator',
    url,
    credentials: { clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret },
    currencies: ['BTC'],
    clock: { nowMs: () => Date.now() },
    random: () => 0.5,
    reconnectBaseMs: 50,
    ...options,
  });
  cleanups.push(() => adapter.close());
  return adapter;
}

describe('DeribitAdapter against the simulator', () => {
  it('connects, lists instruments, and streams book snapshots, changes, tickers and the index', async () => {
    const { url } = await startVenue();
    const adapter = adapterFor(url);
    const { events, next } = collect(adapter);
    const connected = next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    adapter.start();
    await connected;
    const listed = events.find((e) => e.type === 'InstrumentsListed');
    expect(listed?.type === 'InstrumentsListed' && listed.instruments.length).toBeGreaterThan(50);
    await next((e) => e.type === 'BookChanged');
    await next((e) => e.type === 'TickerUpdated' && e.ticker.markIv !== undefined);
    await next((e) => e.type === 'IndexUpdated' && e.index.currency === 'BTC');
    const snapshots = events.filter((e) => e.type === 'BookSnapshot');
    expect(snapshots.length).toBeGreaterThan(50);
    expect(adapter.protocolErrors).toBe(0);
  });

  it('reports a lost connection and resynchronises from fresh snapshots', async () => {
    const { venue, url } = await startVenue();
    const adapter = adapterFor(url);
    const { events, next } = collect(adapter);
    adapter.start();
    await next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    const before = events.filter((e) => e.type === 'BookSnapshot').length;
    const lost = next((e) => e.type === 'FeedLost');
    for (const session of venue.server.sessions) session.close(1011, 'test drop');
    expect(await lost).toMatchObject({ reason: expect.stringContaining('closed by venue') });
    await next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    expect(events.filter((e) => e.type === 'BookSnapshot').length).toBeGreaterThanOrEqual(2 * before);
    expect(events.some((e) => e.type === 'StatusChanged' && e.status.state === 'reconnecting')).toBe(true);
  });

  it('keeps retrying with backoff while the venue is unreachable', async () => {
    const adapter = adapterFor('ws://127.0.0.1:9/ws/api/v2', { reconnectBaseMs: 10, reconnectMaxMs: 40 });
    const { events, next } = collect(adapter);
    adapter.start();
    await next((e) => e.type === 'StatusChanged' && e.status.detail.includes('attempt 4'));
    const delays = events.flatMap((e) => (e.type === 'StatusChanged' ? [/retrying in (\d+) ms/.exec(e.status.detail)?.[1]] : [])).filter(Boolean).map(Number);
    expect(delays.slice(0, 3)).toEqual([8, 15, 30]);
  });

  it('refuses wrong credentials and says so', async () => {
    const { url } = await startVenue();
    const adapter = adapterFor(url, { credentials: { clientId: 'nope', clientSecret: 'nope' } });
    const { next } = collect(adapter);
    adapter.start();
    const status = await next((e) => e.type === 'StatusChanged' && e.status.state === 'reconnecting' && e.status.detail.includes('invalid_credentials'));
    expect(status).toBeDefined();
  });
});
