/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-RPC results are untyped JSON here */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.ts';
import { DEFAULT_CREDENTIALS, SimVenue, TICK_MS } from './venue.ts';

const START = Date.UTC(2026, 10, 21, 15, 0);

function run(seed: number, seconds: number, withClient = false) {
  const clock = new ManualClock(START);
  const venue = new SimVenue({ seed, clock, currencies: ['BTC'] });
  const call = (method: string, params: Record<string, unknown>, token?: string): any => venue.server.handleRequest(undefined, { id: 1, method, params }, token);
  const token = call('public/auth', { grant_type: 'client_credentials', client_id: DEFAULT_CREDENTIALS.clientId, client_secret: DEFAULT_CREDENTIALS.clientSecret }).result.access_token;
  for (let t = 0; t < (seconds * 1000) / TICK_MS; t++) {
    clock.advance(TICK_MS);
    venue.step();
    if (withClient && t === 50) {
      const perp = venue.instruments.find((i) => i.isPerpetual)!;
      call('private/buy', { instrument_name: perp.instrumentName, amount: 1000, type: 'market' }, token);
    }
  }
  const trades = venue.exchange.recentTrades().map((trade) => `${trade.tradeSeq}:${trade.instrumentName}@${trade.price}x${trade.amount}`);
  return { venue, trades, call, token };
}

describe('SimVenue', () => {
  it('is a living market: two-sided books on the chain and trades within a minute', () => {
    const { venue, trades } = run(42, 60);
    const options = venue.instruments.filter((i) => i.kind === 'option');
    expect(options.length).toBeGreaterThan(300);
    const twoSided = options.filter((i) => {
      const book = venue.exchange.book(i.instrumentName)!;
      return book.bestAskTicks() !== undefined;
    });
    expect(twoSided.length / options.length).toBeGreaterThan(0.9);
    expect(trades.length).toBeGreaterThan(50);
    expect(venue.market.indexPrice('BTC')).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, including a client order in the flow', () => {
    const a = run(7, 20, true);
    const b = run(7, 20, true);
    expect(a.trades).toEqual(b.trades);
    expect(a.trades.length).toBeGreaterThan(0);
    expect(run(8, 20, true).trades).not.toEqual(a.trades);
    const position = a.call('private/get_positions', { currency: 'BTC' }, a.token).result;
    expect(position[0]).toMatchObject({ kind: 'future', size: 1000 });
  });

  it('running behind its clock, yields to I/O between turns instead of catching up in one go', async () => {
    const clock = new ManualClock(START);
    const venue = new SimVenue({ seed: 2, clock, currencies: ['BTC'] });
    clock.advance(3_600_000); // an hour of ticks due at once: many seconds of work
    venue.run(10);
    try {
      // This timer can only fire if the venue's turn returned before catching up.
      await new Promise((resolve) => setTimeout(resolve, 15));
      expect(venue.market.nowMs).toBeGreaterThan(START);
      expect(venue.market.nowMs).toBeLessThan(clock.nowMs());
    } finally {
      await venue.close();
    }
  });

  it('settles an expiry and lists the next one', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 22, 7, 59, 0));
    const venue = new SimVenue({ seed: 1, clock, currencies: ['BTC'] });
    const expiring = venue.instruments.filter((i) => i.expirationTimestamp === Date.UTC(2026, 10, 22, 8));
    expect(expiring.length).toBeGreaterThan(0);
    const before = new Set(venue.instruments.map((i) => i.instrumentName));
    clock.advance(61_000);
    venue.step();
    expect(venue.exchange.isActive(expiring[0]!.instrumentName)).toBe(false);
    expect(venue.instruments.some((i) => !before.has(i.instrumentName) && i.expirationTimestamp === Date.UTC(2026, 10, 25, 8))).toBe(true);
  });
});
