import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { createEngine } from './engine.ts';

describe('engine kernel', () => {
  it('answers a ping with the engine clock', () => {
    const clock = new ManualClock(1_000);
    const engine = createEngine({ clock, version: 't' });
    clock.advance(5);
    expect(engine.handle({ type: 'Ping', commandId: 'a', clientTsMs: 990 })).toEqual({
      events: [{ type: 'PingAnswered', commandId: 'a', clientTsMs: 990, engineTsMs: 1_005 }],
      requests: [],
    });
  });

  it('coalesces many heartbeats into one change carrying the latest value', () => {
    const clock = new ManualClock(0);
    const engine = createEngine({ clock, version: 't' });
    engine.takeChanges();
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      engine.heartbeat();
    }
    const changes = engine.takeChanges();
    expect(changes?.engine).toMatchObject({ heartbeatSeq: 5, lastHeartbeatTsMs: 500 });
    expect(engine.takeChanges()).toBeUndefined();
  });

  it('is deterministic given its clock and inputs', () => {
    const run = () => {
      const clock = new ManualClock(42);
      const engine = createEngine({ clock, version: 't' });
      const out: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        clock.advance(37);
        engine.heartbeat();
        engine.recordPublished(i % 3);
        out.push(engine.handle({ type: 'Ping', commandId: `c${i}`, clientTsMs: i }), engine.takeChanges());
      }
      return out;
    };
    expect(run()).toEqual(run());
  });
});

describe('engine kernel with a venue', () => {
  const instrument = { instrumentName: 'BTC-27NOV26-95000-C', venueId: 'sim', currency: 'BTC', kind: 'option' as const, isPerpetual: false, optionType: 'call' as const, strike: 95_000, expiryMs: 1, tickSize: 0.0001, minTradeAmount: 0.1, contractSize: 1 };
  const other = { ...instrument, instrumentName: 'BTC-27NOV26-100000-C', strike: 100_000 };
  const level = (action: 'new' | 'change' | 'delete', priceTicks: number, amount: number) => ({ action, priceTicks, amount });

  function listed() {
    const engine = createEngine({ clock: new ManualClock(0), version: 't' });
    engine.onVenueEvent({ type: 'StatusChanged', status: { venueId: 'sim', displayName: 'Simulator', state: 'connected', detail: '', sinceTsMs: 0 } });
    engine.onVenueEvent({ type: 'InstrumentsListed', instruments: [instrument, other] });
    engine.onVenueEvent({ type: 'BookSnapshot', instrumentName: instrument.instrumentName, changeId: 5, bids: [level('new', 200, 1.5)], asks: [level('new', 210, 2)], tsMs: 10 });
    engine.onVenueEvent({ type: 'BookSnapshot', instrumentName: other.instrumentName, changeId: 7, bids: [], asks: [level('new', 5, 1)], tsMs: 10 });
    engine.takeChanges();
    return engine;
  }

  it('publishes top of book and ticker fields as quote rows, only for instruments that changed', () => {
    const engine = listed();
    engine.onVenueEvent({ type: 'BookChanged', instrumentName: instrument.instrumentName, prevChangeId: 5, changeId: 6, bids: [level('new', 205, 0.5)], asks: [], tsMs: 11 });
    engine.onVenueEvent({ type: 'TickerUpdated', ticker: { instrumentName: instrument.instrumentName, tsMs: 12, markPrice: 0.0207, markIv: 0.52, delta: 0.51 } });
    const changes = engine.takeChanges();
    expect(Object.keys(changes?.quotes?.upsert ?? {})).toEqual([instrument.instrumentName]);
    expect(changes?.quotes?.upsert?.[instrument.instrumentName]).toEqual({
      instrumentName: instrument.instrumentName,
      tsMs: 12,
      stale: false,
      bidPrice: 0.0205,
      bidAmount: 0.5,
      askPrice: 0.021,
      askAmount: 2,
      markPrice: 0.0207,
      markIv: 0.52,
      delta: 0.51,
    });
    expect(engine.snapshot().venues[0]).toMatchObject({ state: 'connected' });
  });

  it('marks a book stale on a change_id gap, asks the venue for a snapshot once, and recovers', () => {
    const engine = listed();
    expect(engine.onVenueEvent({ type: 'BookChanged', instrumentName: instrument.instrumentName, prevChangeId: 99, changeId: 100, bids: [], asks: [], tsMs: 11 })).toEqual([
      { type: 'Resnapshot', venueId: 'sim', instrumentName: instrument.instrumentName },
    ]);
    expect(engine.onVenueEvent({ type: 'BookChanged', instrumentName: instrument.instrumentName, prevChangeId: 100, changeId: 101, bids: [], asks: [], tsMs: 12 })).toEqual([]);
    const stale = engine.takeChanges()?.quotes?.upsert?.[instrument.instrumentName];
    expect(stale).toMatchObject({ stale: true, staleReason: expect.stringContaining('gap') });
    expect(stale?.bidPrice).toBeUndefined();
    engine.onVenueEvent({ type: 'BookSnapshot', instrumentName: instrument.instrumentName, changeId: 200, bids: [level('new', 199, 1)], asks: [level('new', 201, 1)], tsMs: 13 });
    expect(engine.takeChanges()?.quotes?.upsert?.[instrument.instrumentName]).toMatchObject({ stale: false, bidPrice: 0.0199 });
  });

  it('marks every book stale when the feed is lost', () => {
    const engine = listed();
    engine.onVenueEvent({ type: 'FeedLost', reason: 'no data for 2100 ms' });
    const quotes = engine.takeChanges()?.quotes?.upsert ?? {};
    expect(Object.values(quotes).map((quote) => quote.staleReason)).toEqual(['feed lost: no data for 2100 ms', 'feed lost: no data for 2100 ms']);
  });

  it('drops instruments a new listing no longer has', () => {
    const engine = listed();
    engine.onVenueEvent({ type: 'InstrumentsListed', instruments: [instrument] });
    const changes = engine.takeChanges();
    expect(changes?.instruments?.remove).toEqual([other.instrumentName]);
    expect(changes?.quotes?.remove).toEqual([other.instrumentName]);
    expect(Object.keys(engine.snapshot().quotes)).toEqual([instrument.instrumentName]);
  });

  it('publishes the depth of watched books as they change', () => {
    const engine = listed();
    expect(engine.handle({ type: 'WatchBook', commandId: 'w0', instrumentName: 'nope' }).events[0]).toMatchObject({ type: 'CommandRejected' });
    engine.handle({ type: 'WatchBook', commandId: 'w1', instrumentName: instrument.instrumentName });
    expect(engine.takeChanges()?.books?.upsert?.[instrument.instrumentName]).toEqual({ instrumentName: instrument.instrumentName, bids: [[0.02, 1.5]], asks: [[0.021, 2]], lastTrades: [], stale: false, tsMs: 10 });
    engine.onVenueEvent({ type: 'BookChanged', instrumentName: instrument.instrumentName, prevChangeId: 5, changeId: 6, bids: [level('new', 199, 3)], asks: [], tsMs: 11 });
    expect(engine.takeChanges()?.books?.upsert?.[instrument.instrumentName]?.bids).toEqual([
      [0.02, 1.5],
      [0.0199, 3],
    ]);
    // An unwatched book's changes publish no depth.
    engine.onVenueEvent({ type: 'BookChanged', instrumentName: other.instrumentName, prevChangeId: 7, changeId: 8, bids: [level('new', 4, 1)], asks: [], tsMs: 12 });
    expect(engine.takeChanges()?.books).toBeUndefined();
  });
});
