import { afterEach, describe, expect, it } from 'vitest';
import type { PositionDiscrepancy } from '../../oms/positions.ts';
import { PositionBook } from '../../oms/positions.ts';
import type { SimVenue } from '../../sim/venue.ts';
import type { VenueEvent } from '../venue-adapter.ts';
import type { DeribitAdapter } from './deribit-adapter.ts';
import type { Collected } from './sim-harness.ts';
import { collect, Harness, throughTouch } from './sim-harness.ts';

/**
 * Fills and positions through the adapter against the simulator over 127.0.0.1: a position book
 * fed only by the adapter's events must agree with the venue's own positions, also after a
 * reconnect during which the account traded.
 */
const harness = new Harness();
afterEach(() => harness.close());

type Of<T extends VenueEvent['type']> = Extract<VenueEvent, { type: T }>;

interface Setup {
  readonly venue: SimVenue;
  readonly url: string;
  readonly adapter: DeribitAdapter;
  readonly collected: Collected;
  readonly book: PositionBook;
  readonly reconciliations: PositionDiscrepancy[][];
  readonly perp: string;
  readonly option: string;
}

async function setup(reconnectBaseMs = 50): Promise<Setup> {
  const { venue, url } = await harness.venue({ seed: 8 });
  const adapter = harness.adapter(url, { reconnectBaseMs });
  const collected = collect(adapter);
  const book = new PositionBook();
  const reconciliations: PositionDiscrepancy[][] = [];
  adapter.onEvent((event) => {
    if (event.type === 'FillReported') book.applyFill(event.fill);
    if (event.type === 'PositionsReconciled') reconciliations.push(book.reconcile(event.venueId, event.positions));
  });
  const connected = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
  adapter.start();
  await connected;
  const instruments = venue.exchange.instruments('BTC');
  const perp = instruments.find((i) => i.isPerpetual)!.instrumentName;
  // An option with makers on both sides, near the money (its book is deepest).
  const option = instruments.find((i) => i.kind === 'option' && venue.exchange.book(i.instrumentName)?.bestAskTicks() !== undefined && venue.exchange.book(i.instrumentName)?.bestBidTicks() !== undefined && (i.strike ?? 0) > 0)!.instrumentName;
  return { venue, url, adapter, collected, book, reconciliations, perp, option };
}

/** A price through the touch once the book has makers on that side (they re-quote every 100 ms tick). */
async function priceThrough(s: Setup, instrumentName: string, side: 'buy' | 'sell'): Promise<number> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const price = throughTouch(s.venue, instrumentName, side, 10);
    if (price !== undefined) return price;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${side} price through the touch of ${instrumentName} within 3 s`);
}

/** Sends an order through the touch and waits until the venue reports it done (filled, or the remainder cancelled). */
async function cross(s: Setup, label: string, instrumentName: string, side: 'buy' | 'sell', amount: number): Promise<void> {
  const price = await priceThrough(s, instrumentName, side);
  const done = s.collected.next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.label === label && e.report.filledAmount > 0);
  s.adapter.placeOrder({ label, instrumentName, side, price, amount, postOnly: false, reduceOnly: false });
  const report = (await done).report;
  if (report.venueState !== 'open') return;
  // Whatever did not fill is pulled, so nothing rests and trades later by itself.
  const cancelled = s.collected.next((e) => e.type === 'OrderReported' && e.report.label === label && e.report.venueState !== 'open');
  s.adapter.cancelOrder({ label, venueOrderId: report.venueOrderId });
  await cancelled;
}

/** The position book against the venue's own positions: sizes exactly, average prices within 1e-9 relative. */
function expectBookMatchesVenue(s: Setup): void {
  const venuePositions = s.venue.exchange.positions('trader').filter((p) => p.size !== 0);
  expect(venuePositions.length).toBeGreaterThan(0);
  for (const venuePosition of venuePositions) {
    const ours = s.book.position('sim', venuePosition.instrumentName);
    expect(ours?.size, venuePosition.instrumentName).toBe(venuePosition.size);
    expect(Math.abs(ours!.averagePrice - venuePosition.averagePrice)).toBeLessThanOrEqual(1e-9 * venuePosition.averagePrice);
  }
  for (const ours of s.book.positions()) {
    if (ours.size !== 0) expect(venuePositions.some((p) => p.instrumentName === ours.instrumentName)).toBe(true);
  }
}

const fillsOf = (events: readonly VenueEvent[]): Array<Of<'FillReported'>['fill']> => events.flatMap((e) => (e.type === 'FillReported' ? [e.fill] : []));

describe('fills and positions from the simulator', () => {
  it('reports every fill once, and a book built from them equals the venue’s positions', async () => {
    const s = await setup();
    // The first reconciliation: a fresh account, nothing to differ.
    expect(s.reconciliations).toEqual([[]]);
    await cross(s, 'buy-perp', s.perp, 'buy', 200);
    await cross(s, 'sell-perp', s.perp, 'sell', 500);
    await cross(s, 'buy-option', s.option, 'buy', 0.5);
    await cross(s, 'sell-option', s.option, 'sell', 0.2);
    expectBookMatchesVenue(s);
    const fills = fillsOf(s.collected.events);
    const venueTrades = s.venue.exchange.userTrades('trader', 'BTC', 1_000);
    expect(fills.map((f) => f.tradeId).sort()).toEqual(venueTrades.map((t) => t.tradeId).sort());
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    expect(fills.every((f) => f.venueId === 'sim' && f.liquidity === 'taker' && f.feeCoin > 0 && f.indexPrice > 0)).toBe(true);
    expect(s.adapter.protocolErrors).toBe(0);
    // A flip realized PnL on the perpetual: the book reports it, and fees, per coin.
    expect(s.book.position('sim', s.perp)!.size).toBeLessThan(0);
    const [btc] = s.book.totals();
    expect(btc!.feesCoin).toBeGreaterThan(0);
    // user.portfolio follows the trades on the venue's next 100 ms tick.
    const isPortfolio = (e: VenueEvent): boolean => e.type === 'AccountUpdated' && e.account.currency === 'BTC' && e.account.venueId === 'sim';
    if (!s.collected.events.some(isPortfolio)) await s.collected.next(isPortfolio, 2_000);
  });

  it('recovers the fills made while disconnected, before reporting connected again', async () => {
    const s = await setup(1_000);
    await cross(s, 'before', s.perp, 'buy', 100);
    const lost = s.collected.next((e) => e.type === 'FeedLost');
    s.venue.faults.apply({ type: 'dropConnection', target: { all: true } });
    // While the adapter is away (it retries after 750 ms here), the account trades at the venue.
    const missedTradeIds: string[] = [];
    for (const [instrumentName, direction, amount, label] of [
      [s.perp, 'sell', 300, 'missed-perp'],
      [s.option, 'buy', 0.3, 'missed-option'],
    ] as const) {
      for (let attempt = 0; attempt < 5 && !missedTradeIds.some((id) => s.venue.exchange.userTrades('trader', 'BTC', 1_000).find((t) => t.tradeId === id)?.instrumentName === instrumentName); attempt++) {
        const price = await priceThrough(s, instrumentName, direction);
        const result = s.venue.exchange.place('trader', { instrumentName, direction, amount, type: 'limit', price, timeInForce: 'immediate_or_cancel', label });
        if (result.ok) missedTradeIds.push(...result.value.trades.map((t) => t.tradeId));
      }
    }
    expect(missedTradeIds.length).toBeGreaterThanOrEqual(2);
    await lost;
    const reconciled = s.collected.next<Of<'PositionsReconciled'>>((e) => e.type === 'PositionsReconciled');
    const connected = s.collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
    await reconciled;
    const eventsBefore = s.collected.events.length;
    await connected;
    // The missed fills came before the positions, and the positions before 'connected'.
    const recovered = fillsOf(s.collected.events.slice(0, eventsBefore)).filter((f) => missedTradeIds.includes(f.tradeId));
    expect(recovered.map((f) => f.tradeId).sort()).toEqual([...missedTradeIds].sort());
    expect(recovered.every((f) => f.label.startsWith('missed-'))).toBe(true);
    // With them, the book agreed with the venue before adopting anything.
    expect(s.reconciliations.at(-1)).toEqual([]);
    expectBookMatchesVenue(s);
    const fills = fillsOf(s.collected.events);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    expect(fills.map((f) => f.tradeId).sort()).toEqual(s.venue.exchange.userTrades('trader', 'BTC', 1_000).map((t) => t.tradeId).sort());
  });

  it('starts a fresh adapter after the venue’s newest trade, or from the time it is given', async () => {
    const s = await setup();
    await cross(s, 'earlier', s.option, 'buy', 0.3);
    const earlierTrades = s.venue.exchange.userTrades('trader', 'BTC', 1_000).map((t) => t.tradeId);
    expect(earlierTrades.length).toBeGreaterThan(0);
    const freshFills = async (options: { fillsSinceMs?: number }): Promise<{ fills: string[]; positions: Of<'PositionsReconciled'>['positions'] }> => {
      const fresh = harness.adapter(s.url, options);
      const { events, next } = collect(fresh);
      const connected = next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
      fresh.start();
      await connected;
      const reconciled = events.find((e): e is Of<'PositionsReconciled'> => e.type === 'PositionsReconciled')!;
      await fresh.close();
      return { fills: fillsOf(events).map((f) => f.tradeId), positions: reconciled.positions };
    };
    // The positions already hold those trades: reporting them as fills would count them twice.
    const baseline = await freshFills({});
    expect(baseline.fills).toEqual([]);
    expect(baseline.positions.find((p) => p.instrumentName === s.option)?.size).toBe(0.3);
    // Told where its journal ends (here: before everything), it recovers from there.
    expect((await freshFills({ fillsSinceMs: 0 })).fills.sort()).toEqual([...earlierTrades].sort());
  });

  it('reports the positions and account summary it reconciles with', async () => {
    const s = await setup();
    await cross(s, 'buy-option', s.option, 'buy', 0.4);
    const reconciled = s.collected.next<Of<'PositionsReconciled'>>((e) => e.type === 'PositionsReconciled');
    s.venue.faults.apply({ type: 'dropConnection', target: { all: true } });
    const { positions, accounts } = await reconciled;
    expect(positions.find((p) => p.instrumentName === s.option)).toMatchObject({ venueId: 'sim', size: 0.4, markPrice: expect.any(Number) });
    expect(accounts).toEqual([expect.objectContaining({ venueId: 'sim', currency: 'BTC', balanceCoin: expect.any(Number), equityCoin: expect.any(Number) })]);
  });
});
