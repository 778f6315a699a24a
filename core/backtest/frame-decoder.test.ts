import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTicker } from '../venues/deribit/parse.ts';
import type { RecordLine } from '../venues/recorder/format.ts';
import type { TickerUpdate, VenueEvent } from '../venues/venue-adapter.ts';
import type { MarketTrade } from './frame-decoder.ts';
import { FrameDecoder } from './frame-decoder.ts';

/**
 * The decoder reads tickers through scanTickerFrame where a frame has the simulator's compact
 * shape and through JSON.parse + parseTicker otherwise: either way, the event is the one
 * parseTicker gives for the frame's data, and a ticker it cannot read counts as malformed.
 */

const inbound = (text: string): RecordLine => ({ kind: 'in', receivedTsMs: 1, text });

function decodeAll(texts: readonly string[]): { decoder: FrameDecoder; events: VenueEvent[]; trades: MarketTrade[] } {
  const decoder = new FrameDecoder('deribit');
  const events: VenueEvent[] = [];
  const trades: MarketTrade[] = [];
  for (const text of texts) decoder.decode(inbound(text), { event: (event) => events.push(event), trade: (trade) => trades.push(trade) });
  return { decoder, events, trades };
}

const notification = (channel: string, data: unknown): string => JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });

const OPTION_DATA = {
  timestamp: 1795262400100,
  state: 'open',
  stats: { volume: 0, price_change: null, low: null, high: null },
  open_interest: 0,
  min_price: 0.03170791,
  max_price: 0.06170791,
  mark_price: 0.04670791,
  last_price: null,
  instrument_name: 'BTC-22NOV26-90600-C',
  index_price: 94998.75,
  estimated_delivery_price: 94998.75,
  best_bid_price: 0.046,
  best_bid_amount: 0.6,
  best_ask_price: 0.0475,
  best_ask_amount: 1.4,
  mark_iv: 52.5,
  bid_iv: 0,
  ask_iv: 68.86,
  interest_rate: 0,
  underlying_price: 95011.77,
  underlying_index: 'index_price',
  greeks: { delta: 0.9718, gamma: 0.00003, vega: 2.93415, theta: -26.03546, rho: 0 },
};

const tickerOf = (event: VenueEvent | undefined): TickerUpdate | undefined => (event?.type === 'TickerUpdated' ? event.ticker : undefined);

describe('FrameDecoder tickers', () => {
  it("decodes the simulator's compact ticker frames and Deribit's documented ones alike, as parseTicker reads their data", () => {
    const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/deribit/channel.ticker.100ms.json', import.meta.url), 'utf8')) as { notifications: Array<{ params: { data: unknown } }> };
    const datas = [OPTION_DATA, ...fixture.notifications.map((n) => n.params.data)];
    const texts = [notification('ticker.BTC-22NOV26-90600-C.100ms', OPTION_DATA), ...fixture.notifications.map((n) => JSON.stringify(n))];
    const { decoder, events } = decodeAll(texts);
    expect(events.map(tickerOf)).toStrictEqual(datas.map(parseTicker));
    expect(decoder.stats).toEqual({ frames: 3, events: 3, trades: 0, ignored: 0, malformed: 0 });
  });

  it('counts a ticker it cannot read as malformed, whichever path read it', () => {
    const compact = notification('ticker.BTC-22NOV26-90600-C.100ms', OPTION_DATA);
    const { decoder, events } = decodeAll([
      compact.replace('1795262400100', 'null'),
      compact.replace('"instrument_name":"BTC-22NOV26-90600-C"', '"instrument_name":7'),
      compact.replace('1795262400100', '1e400'),
      compact.slice(0, -1),
      notification('ticker.X.100ms', null),
    ]);
    expect(events).toEqual([]);
    expect(decoder.stats).toEqual({ frames: 5, events: 0, trades: 0, ignored: 0, malformed: 5 });
  });

  it("gives parseTicker's ticker for any field order and any values", () => {
    const value = fc.oneof(fc.constant(null), fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e-7, 'x', true));
    fc.assert(
      fc.property(fc.oneof(fc.constant(Object.keys(OPTION_DATA)), fc.shuffledSubarray(Object.keys(OPTION_DATA), { minLength: 10 })), fc.dictionary(fc.constantFrom('mark_price', 'mark_iv', 'bid_iv', 'last_price', 'underlying_price'), value), (keys, overrides) => {
        const data: Record<string, unknown> = {};
        for (const key of keys) data[key] = key in overrides ? overrides[key] : OPTION_DATA[key as keyof typeof OPTION_DATA];
        const text = notification('ticker.BTC-22NOV26-90600-C.100ms', data);
        const { decoder, events } = decodeAll([text]);
        const expected = parseTicker((JSON.parse(text) as { params: { data: unknown } }).params.data);
        expect(tickerOf(events[0])).toStrictEqual(expected);
        expect(decoder.stats.malformed).toBe(expected === undefined ? 1 : 0);
      }),
      { seed: 21, numRuns: 1000 },
    );
  });
});
