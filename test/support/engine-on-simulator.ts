import { createEngine } from '../../core/engine/engine.ts';
import type { Engine, EngineOptions } from '../../core/engine/engine.ts';
import { TICK_INTERVAL_MS } from '../../core/engine/engine.ts';
import type { VenueLink } from '../../core/engine/venue-link.ts';
import { linkVenue } from '../../core/engine/venue-link.ts';
import { DEFAULT_CREDENTIALS, MARKET_MAKER_CREDITS } from '../../core/sim/defaults.ts';
import { DERIBIT_DEFAULT_LIMITS } from '../../core/venues/deribit/credit-limiter.ts';
import { scaledClock, SimVenue } from '../../core/sim/venue.ts';
import { DeribitAdapter } from '../../core/venues/deribit/deribit-adapter.ts';
import type { DeribitAdapterOptions } from '../../core/venues/deribit/deribit-adapter.ts';
import type { VenueEvent } from '../../core/venues/venue-adapter.ts';
import type { Clock } from '../../core/model/clock.ts';

/** Fewer expiries than Deribit lists: the same code paths, a lighter market for a busy test machine. */
export const LIGHT_SCHEDULE = { dailies: 1, weeklies: 1, monthlies: 1, quarterlies: 1 };

export interface EngineOnSimulator {
  readonly engine: Engine;
  readonly link: VenueLink;
  readonly venue: SimVenue;
  readonly events: VenueEvent[];
  /** Resolves once `check` holds, re-checked after every venue event (no timers), or fails after `timeoutMs`. */
  waitFor(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /**
   * Runs the engine's tick (what the worker's timer does: requote, risk, executions) and carries
   * out its requests until `check` holds, or fails after `timeoutMs`.
   */
  tickUntil(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The Deribit adapter as the workstation connects it to its embedded simulator on `port`. */
export function simulatorAdapter(port: number, clock: Clock, options: Partial<DeribitAdapterOptions> = {}): DeribitAdapter {
  return new DeribitAdapter({
    venueId: 'sim',
    displayName: 'Simulator',
    url: `ws://127.0.0.1:${port}/ws/api/v2`,
    credentials: { clientId: DEFAULT_CREDENTIALS.clientId, clientSecret: DEFAULT_CREDENTIALS.clientSecret },
    currencies: ['BTC'],
    clock,
    random: () => 0.5,
    rateLimits: { ...DERIBIT_DEFAULT_LIMITS, ...MARKET_MAKER_CREDITS },
    ...options,
  });
}

/**
 * The engine kernel connected through the real Deribit adapter to a simulator running in real
 * time on 127.0.0.1, waiting until the venue reports connected.
 */
export async function engineOnSimulator(seed: number, adapterOptions: Partial<DeribitAdapterOptions> = {}, engineOptions: Partial<EngineOptions> = {}): Promise<EngineOnSimulator> {
  const clock = { nowMs: () => Date.now() };
  const venue = new SimVenue({ seed, clock: scaledClock(Date.now(), 1, () => Date.now()), currencies: ['BTC'], schedule: LIGHT_SCHEDULE, credits: MARKET_MAKER_CREDITS });
  const port = await venue.listen(0);
  venue.run(10);
  const engine = createEngine({ clock, version: 'test', ...engineOptions });
  const adapter = simulatorAdapter(port, clock, adapterOptions);
  const link = linkVenue(engine, adapter);
  const events: VenueEvent[] = [];
  adapter.onEvent((event) => events.push(event));
  adapter.start();
  const waitFor = (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const stop = adapter.onEvent(() => {
        if (!check()) return;
        clearTimeout(timer);
        stop();
        resolve();
      });
    });
  const tickUntil = async (check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      link.perform(engine.tick());
      engine.takeChanges();
      if (check()) return;
      if (Date.now() > deadline) throw new Error(`timed out ticking until ${what}`);
      // One engine tick of wall time, as the worker's timer runs it.
      await new Promise((resolve) => setTimeout(resolve, TICK_INTERVAL_MS));
    }
  };
  const close = async (): Promise<void> => {
    link.dispose();
    await adapter.close();
    await venue.close();
  };
  try {
    await waitFor(() => engine.venue('sim')?.state === 'connected', 'connection');
  } catch (error) {
    await close();
    throw error;
  }
  return { engine, link, venue, events, waitFor, tickUntil, close };
}
