import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import { priceToTicks } from '../instruments/ticks.ts';
import { tickAbove, tickBelow } from './grid.ts';
import type { LadderVenue } from './ladder.ts';
import { DepthLadder, ladderPrices, ladderTouch } from './ladder.ts';
import { MS_PER_YEAR } from './units.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const option = buildCatalog({
  currency: 'BTC',
  nowMs: NOW,
  expiries: listedExpiries(NOW),
  strikeInputs: (e) => ({ forward: 95_000, atmVolAnnual: 0.5, expiryYears: (e - NOW) / MS_PER_YEAR }),
  firstInstrumentId: 1,
}).find((i) => i.kind === 'option')!;

/** An exchange reduced to what the ladder uses: resting orders by id, and a log of calls. */
class FakeVenue implements LadderVenue {
  readonly resting = new Map<string, { instrumentName: string; direction: 'buy' | 'sell'; price: number; lots: number }>();
  readonly halted = new Set<string>();
  calls = 0;
  #next = 1;
  place(instrumentName: string, direction: 'buy' | 'sell', price: number, amount: number): string {
    this.calls += 1;
    const id = `o${this.#next++}`;
    this.resting.set(id, { instrumentName, direction, price, lots: Math.round(amount / option.minTradeAmount) });
    return id;
  }
  cancel(_instrumentName: string, orderId: string): void {
    this.calls += 1;
    this.resting.delete(orderId);
  }
  restingLots(_instrumentName: string, orderId: string): number {
    return this.resting.get(orderId)?.lots ?? 0;
  }
  isHalted(instrumentName: string): boolean {
    return this.halted.has(instrumentName);
  }
  prices(direction: 'buy' | 'sell', instrumentName?: string): number[] {
    return [...this.resting.values()]
      .filter((o) => o.direction === direction && (instrumentName === undefined || o.instrumentName === instrumentName))
      .map((o) => o.price)
      .sort((a, b) => (direction === 'buy' ? b - a : a - b));
  }
  /** A sweep: takes every ask up to `limit` (of one instrument, or of all), as a taker would. */
  sweepAsks(limit: number, instrumentName?: string): void {
    for (const [id, order] of this.resting) if (order.direction === 'sell' && order.price <= limit && (instrumentName === undefined || order.instrumentName === instrumentName)) this.resting.delete(id);
  }
}

describe('depth ladder', () => {
  it('rests a level at every grid price from just beyond the theo out to its depth, across the tick step', () => {
    // Theo 0.0049 with a vega of 0.0004 per vol pt: asks cross 0.005, where the tick grows to 0.0005.
    const { bids, asks } = ladderPrices(option, 0.0049, 0.0004, { depthVolPts: 5, lotsPerLevel: 1, maxLevels: 100 });
    expect(asks[0]).toBe(0.005);
    expect(bids[0]).toBe(0.0048);
    for (let i = 1; i < asks.length; i++) expect(asks[i]).toBe(tickAbove(option, asks[i - 1]!));
    for (let i = 1; i < bids.length; i++) expect(bids[i]).toBe(tickBelow(option, bids[i - 1]!));
    expect(asks.every((p) => priceToTicks(option, p) !== undefined)).toBe(true);
    expect(asks[asks.length - 1]!).toBeLessThanOrEqual(0.0049 + 5 * 0.0004 + 1e-12);
    expect(tickAbove(option, asks[asks.length - 1]!)).toBeGreaterThan(0.0049 + 5 * 0.0004);
    // Bids stop above zero, and a side never has more than maxLevels.
    expect(bids[bids.length - 1]!).toBeGreaterThan(0);
    expect(bids.length).toBeLessThanOrEqual(48);
    expect(ladderPrices(option, 0.05, 1, { depthVolPts: 5, lotsPerLevel: 1, maxLevels: 7 }).asks).toHaveLength(7);
    // A theo on the grid is not a level: the touch is strictly beyond it on both sides.
    expect(ladderTouch(option, 0.01)).toEqual({ bid: 0.0095, ask: 0.0105 });
    expect(ladderTouch(option, 0.00005).bid).toBeUndefined();
  });

  it('refills what a sweep took, follows the theo across the grid, and otherwise leaves the book alone', () => {
    const venue = new FakeVenue();
    const ladder = new DepthLadder(venue, { depthVolPts: 4, lotsPerLevel: 1, maxLevels: 100 });
    const theo = { instrument: option, theoCoin: 0.0312, vegaCoinPerVolPt: 0.001 };
    ladder.update([theo]);
    const asks = venue.prices('sell');
    const bids = venue.prices('buy');
    expect(asks).toEqual(ladderPrices(option, 0.0312, 0.001, { depthVolPts: 4, lotsPerLevel: 1, maxLevels: 100 }).asks);
    expect(bids[0]).toBe(0.031);
    expect(ladder.orders).toBe(asks.length + bids.length);

    // Nothing traded and the theo stayed between the same grid prices: no orders sent.
    venue.calls = 0;
    ladder.update([{ ...theo, theoCoin: 0.0313 }]);
    expect(venue.calls).toBe(0);

    // A sweep through three levels: exactly those come back.
    venue.sweepAsks(asks[2]!);
    ladder.update([theo]);
    expect(venue.calls).toBe(3);
    expect(venue.prices('sell')).toEqual(asks);

    // The theo crosses 0.0315: the touch moves up a tick on both sides.
    ladder.update([{ ...theo, theoCoin: 0.0316 }]);
    expect(venue.prices('sell')[0]).toBe(0.032);
    expect(venue.prices('buy')[0]).toBe(0.0315);

    // An option left out (expired) loses its ladder.
    ladder.update([]);
    expect(venue.resting.size).toBe(0);
    expect(ladder.orders).toBe(0);
  });

  it('keeps one option’s ladder without touching the others’, and leaves a halted book alone', () => {
    const other = { ...option, instrumentName: `${option.instrumentName}-other` };
    const venue = new FakeVenue();
    const ladder = new DepthLadder(venue, { depthVolPts: 4, lotsPerLevel: 1, maxLevels: 100 });
    const theo = { instrument: option, theoCoin: 0.0312, vegaCoinPerVolPt: 0.001 };
    ladder.update([theo, { ...theo, instrument: other }]);
    const asks = venue.prices('sell', option.instrumentName);
    expect(venue.prices('sell', other.instrumentName)).toEqual(asks);
    const orders = ladder.orders;

    // Sweeps of both, then `keep` of one (as the venue does after each taker): just what it took comes back, the other waits.
    venue.sweepAsks(asks[1]!, option.instrumentName);
    venue.sweepAsks(asks[0]!, other.instrumentName);
    venue.calls = 0;
    ladder.keep(theo);
    expect(venue.calls).toBe(2);
    expect(venue.prices('sell', option.instrumentName)).toEqual(asks);
    expect(venue.prices('sell', other.instrumentName)).toEqual(asks.slice(1));
    ladder.update([theo, { ...theo, instrument: other }]);
    expect(ladder.orders).toBe(orders);

    // A halted book keeps what it has, whatever the theo does, until it trades again.
    venue.halted.add(option.instrumentName);
    venue.calls = 0;
    ladder.update([{ ...theo, theoCoin: 0.0316 }, { ...theo, instrument: other }]);
    ladder.keep({ ...theo, theoCoin: 0.0316 });
    expect(venue.calls).toBe(0);
    venue.halted.clear();
    ladder.keep({ ...theo, theoCoin: 0.0316 });
    expect(venue.calls).toBeGreaterThan(0);
  });
});
