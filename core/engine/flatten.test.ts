import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../protocol/index.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import { ManualClock } from './clock.ts';
import { createEngine } from './engine.ts';
import { FLATTEN_CANCEL_WAIT_MS, FLATTEN_CLOSE_TIMEOUT_MS } from './execution-desk.ts';
import type { VenueRequest } from './venue-request.ts';

/**
 * A flatten whose option close finds no taker inside its slippage cap, through the whole kernel
 * against a scripted venue on a manual clock: the close is cancelled at the timeout, the flatten
 * ends only once the venue has taken it out, and the trader's next flatten can close the position.
 */

const CALL: InstrumentRow = {
  instrumentName: 'BTC-27NOV26-100000-C',
  venueId: 'sim',
  currency: 'BTC',
  kind: 'option',
  isPerpetual: false,
  optionType: 'call',
  strike: 100_000,
  expiryMs: Date.UTC(2026, 10, 27, 8),
  tickSize: 0.0001,
  tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }],
  minTradeAmount: 0.1,
  contractSize: 1,
};
const T0 = Date.UTC(2026, 10, 21, 12);

type Place = Extract<VenueRequest, { type: 'PlaceOrder' }>;
type Cancel = Extract<VenueRequest, { type: 'CancelOrder' }>;
const ofType = <T extends VenueRequest['type']>(requests: readonly VenueRequest[], type: T) => requests.filter((r): r is Extract<VenueRequest, { type: T }> => r.type === type);

/** The kernel holding 0.1 of a call marked at 0.0088 BTC whose bid (0.0070) lies below a 10 % cap. */
function scripted() {
  const clock = new ManualClock(T0);
  const engine = createEngine({ clock, version: 't' });
  let sent: VenueRequest[] = [];
  const feed = (event: VenueEvent): void => {
    sent.push(...engine.onVenueEvent(event));
  };
  feed({ type: 'StatusChanged', status: { venueId: 'sim', displayName: 'Simulator', state: 'connected', detail: '', sinceTsMs: 0 } });
  feed({ type: 'InstrumentsListed', instruments: [CALL] });
  feed({ type: 'IndexUpdated', index: { indexName: 'btc_usd', currency: 'BTC', price: 95_000, tsMs: T0 } });
  feed({ type: 'BookSnapshot', instrumentName: CALL.instrumentName, changeId: 1, bids: [{ action: 'new', priceTicks: 70, amount: 5 }], asks: [{ action: 'new', priceTicks: 100, amount: 5 }], tsMs: T0 });
  feed({ type: 'TickerUpdated', ticker: { instrumentName: CALL.instrumentName, tsMs: T0, markPrice: 0.0088, markIv: 0.5, underlyingPrice: 95_000 } });
  feed({ type: 'PositionsReconciled', venueId: 'sim', positions: [{ venueId: 'sim', instrumentName: CALL.instrumentName, size: 0.1, averagePrice: 0.0085, markPrice: 0.0088, realizedPnlCoin: 0, floatingPnlCoin: 0, tsMs: T0 }], accounts: [] });
  engine.tick();
  sent = [];

  const orderReport = (place: Place, venueState: 'open' | 'cancelled'): void =>
    feed({
      type: 'OrderReported',
      report: {
        venueId: 'sim',
        venueOrderId: `v-${place.request.label}`,
        label: place.request.label,
        instrumentName: place.request.instrumentName,
        side: place.request.side,
        price: place.request.price,
        amount: place.request.amount,
        filledAmount: 0,
        averagePrice: 0,
        venueState,
        postOnly: place.request.postOnly,
        reduceOnly: place.request.reduceOnly,
        tsMs: clock.nowMs(),
        ...(venueState === 'cancelled' && { cancelReason: 'user_request' }),
      },
    });

  return {
    engine,
    orderReport,
    feed,
    /** Flattens BTC; returns the close it placed. */
    flatten(commandId: string, optionSlippagePct?: number): Place {
      const out = engine.handle({ type: 'Flatten', commandId, currency: 'BTC', ...(optionSlippagePct !== undefined && { optionSlippagePct }) });
      expect(out.events[0]).toMatchObject({ type: 'CommandAccepted' });
      const places = ofType([...out.requests, ...this.tickTo(clock.nowMs() + 100)], 'PlaceOrder');
      expect(places).toHaveLength(1);
      return places[0]!;
    },
    /** Ticks every 100 ms until `atMs`; returns what the kernel asked of the venue. */
    tickTo(atMs: number): VenueRequest[] {
      const out: VenueRequest[] = [];
      while (clock.nowMs() < atMs) {
        clock.advance(Math.min(100, atMs - clock.nowMs()));
        out.push(...sent, ...engine.tick());
        sent = [];
      }
      return out;
    },
    nowMs: () => clock.nowMs(),
    flattenRow(commandId: string) {
      const row = Object.values(engine.snapshot().executions).find((e) => e.commandId === commandId);
      expect(row).toBeDefined();
      return row!;
    },
  };
}

describe('a flatten whose option close finds no taker inside its cap', () => {
  it('cancels the close at the timeout, ends once the venue confirms, and the next flatten closes at the touch', () => {
    const v = scripted();
    const close = v.flatten('f1');
    // The bid (0.0070) is beyond the 10 % cap (0.0088 − 0.00088 → 0.0080 on the 0.0005 grid): it rests at the cap.
    expect(close.request).toMatchObject({ side: 'sell', price: 0.008, amount: 0.1, reduceOnly: true });
    v.orderReport(close, 'open');

    const untilTimeout = v.tickTo(v.flattenRow('f1').startedTsMs + FLATTEN_CLOSE_TIMEOUT_MS - 100);
    expect(ofType(untilTimeout, 'CancelOrder')).toEqual([]);
    const atTimeout = v.tickTo(v.nowMs() + 200);
    expect(ofType(atTimeout, 'CancelOrder')).toEqual([expect.objectContaining<Partial<Cancel>>({ label: close.request.label })]);
    // Still resting at the venue as far as anyone knows: the flatten has not ended, and asks nothing twice.
    expect(ofType(v.tickTo(v.nowMs() + 2_000), 'CancelOrder')).toEqual([]);
    expect(v.flattenRow('f1').state).toBe('working');

    v.orderReport(close, 'cancelled');
    v.tickTo(v.nowMs() + 100);
    const ended = v.flattenRow('f1');
    expect(ended.state).toBe('failed');
    expect(ended.report).toMatch(/closed 0, not closed 1 \(BTC-27NOV26-100000-C: not filled within 30 s at or inside the slippage cap \(resting at 0\.008\)\)/);

    // Taking whatever the book offers, the trader's second flatten sells at the bid.
    const again = v.flatten('f2', 100);
    expect(again.request).toMatchObject({ side: 'sell', price: 0.007, amount: 0.1, reduceOnly: true });
  });

  it('does not wait for ever on a cancel the venue never answers: the report says so', () => {
    const v = scripted();
    const close = v.flatten('f1');
    v.orderReport(close, 'open');
    const startedTsMs = v.flattenRow('f1').startedTsMs;
    v.tickTo(startedTsMs + FLATTEN_CLOSE_TIMEOUT_MS + FLATTEN_CANCEL_WAIT_MS - 100);
    expect(v.flattenRow('f1').state).toBe('working');
    v.tickTo(startedTsMs + FLATTEN_CLOSE_TIMEOUT_MS + FLATTEN_CANCEL_WAIT_MS + 100);
    const ended = v.flattenRow('f1');
    expect(ended.state).toBe('failed');
    expect(ended.report).toContain('its cancel is unanswered (order pending-cancel)');
  });

  it('says why a close the venue rejected is still open', () => {
    const v = scripted();
    const close = v.flatten('f1', 100);
    v.feed({ type: 'OrderRequestFailed', label: close.request.label, request: 'place', code: 10_001, reason: 'reduce_only: no position to reduce' });
    v.tickTo(v.nowMs() + 200);
    const ended = v.flattenRow('f1');
    expect(ended.state).toBe('failed');
    expect(ended.report).toContain('not closed 1 (BTC-27NOV26-100000-C: rejected by the venue (reduce_only: no position to reduce))');
  });
});
