import type { SimVenueOptions } from '../../sim/venue.ts';
import { DEFAULT_CREDENTIALS, scaledClock, SimVenue } from '../../sim/venue.ts';
import { ticksToPrice, tickSizeAt } from '../../sim/instruments/ticks.ts';
import type { VenueEvent } from '../venue-adapter.ts';
import type { DeribitAdapterOptions } from './deribit-adapter.ts';
import { DeribitAdapter } from './deribit-adapter.ts';

/**
 * Test support (imported by tests only): the adapter against the embedded simulator over real
 * sockets on 127.0.0.1, with every venue and adapter closed when the test ends.
 */

/** Fewer expiries than Deribit lists: the same code paths, a lighter market for a busy test machine. */
export const LIGHT_SCHEDULE = { dailies: 1, weeklies: 1, monthlies: 1, quarterlies: 1 };

export interface Collected {
  readonly events: VenueEvent[];
  /** The next event (from now on) that matches, or a failure naming the last events after `timeoutMs`. */
  next<E extends VenueEvent = VenueEvent>(match: (e: VenueEvent) => boolean, timeoutMs?: number, what?: string): Promise<E>;
}

export function collect(adapter: DeribitAdapter): Collected {
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
  const next = <E extends VenueEvent>(match: (e: VenueEvent) => boolean, timeoutMs = 10_000, what = 'a matching venue event'): Promise<E> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; last: ${events.slice(-5).map((e) => e.type).join(', ')}`)), timeoutMs);
      waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e as E)) });
    });
  return { events, next };
}

export class Harness {
  readonly #cleanups: Array<() => Promise<void>> = [];

  async venue(options: Partial<SimVenueOptions> = {}): Promise<{ venue: SimVenue; url: string }> {
    const clock = scaledClock(Date.UTC(2026, 10, 21, 15), 1, () => Date.now());
    const venue = new SimVenue({ seed: 3, clock, currencies: ['BTC'], schedule: LIGHT_SCHEDULE, ...options });
    const port = await venue.listen(0);
    venue.run(10);
    this.#cleanups.push(() => venue.close());
    return { venue, url: `ws://127.0.0.1:${port}/ws/api/v2` };
  }

  adapter(url: string, options: Partial<DeribitAdapterOptions> = {}): DeribitAdapter {
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
    this.#cleanups.push(() => adapter.close());
    return adapter;
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) await cleanup();
  }
}

/** A price `ticks` ticks through the touch on `side`'s opposite (buy: above the best ask), on the venue's grid. */
export function throughTouch(venue: SimVenue, instrumentName: string, side: 'buy' | 'sell', ticks: number): number | undefined {
  const book = venue.exchange.book(instrumentName);
  const instrument = venue.exchange.instrument(instrumentName);
  if (!book || !instrument) return undefined;
  const touch = side === 'buy' ? book.bestAskTicks() : book.bestBidTicks();
  if (touch === undefined) return undefined;
  const step = Math.round(tickSizeAt(instrument, ticksToPrice(instrument, touch)) / instrument.tickSize);
  // Snap to the coarser grid that applies there, then move through the touch.
  const snapped = side === 'buy' ? Math.ceil(touch / step) * step : Math.floor(touch / step) * step;
  const target = side === 'buy' ? snapped + ticks * step : snapped - ticks * step;
  return target > 0 ? ticksToPrice(instrument, target) : undefined;
}

/** One tick on the venue's grid above the best bid, if that is still below the best ask: a post-only bid there rests alone at the top. */
export function insideBid(venue: SimVenue, instrumentName: string): number | undefined {
  const book = venue.exchange.book(instrumentName);
  const instrument = venue.exchange.instrument(instrumentName)!;
  const best = book?.bestBidTicks();
  const ask = book?.bestAskTicks();
  if (best === undefined || ask === undefined) return undefined;
  const step = Math.round(tickSizeAt(instrument, ticksToPrice(instrument, best + 1)) / instrument.tickSize);
  const target = Math.ceil((best + 1) / step) * step;
  return target < ask ? ticksToPrice(instrument, target) : undefined;
}

/** A post-only bid at half the mark, `offsetTicks` lower still: it rests and never fills. */
export function restingBid(venue: SimVenue, instrumentName: string, offsetTicks = 0): number {
  const instrument = venue.exchange.instrument(instrumentName)!;
  const half = venue.exchange.mark(instrumentName)!.markPrice / 2;
  const step = Math.round(tickSizeAt(instrument, half) / instrument.tickSize);
  const ticks = Math.floor(half / instrument.tickSize / step) * step - offsetTicks * step;
  return ticksToPrice(instrument, Math.max(step, ticks));
}
