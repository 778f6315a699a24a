import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderBook } from '../../sim/book/order-book.ts';
import type { Mark } from '../../sim/exchange/types.ts';
import type { SimInstrument } from '../../sim/instruments/types.ts';
import { PERPETUAL_EXPIRY_MS } from '../../sim/instruments/types.ts';
import { renderTicker } from '../../sim/rpc/render.ts';
import { notificationText } from '../../sim/rpc/session.ts';
import type { TickerUpdate } from '../venue-adapter.ts';
import { damage, frameDamage, isJson, parseTickerFrameGeneric } from '../../../test/support/deribit-frames.ts';
import { parseTicker, scanTickerFrame } from './parse.ts';

/**
 * scanTickerFrame is the hot path for ticker frames; JSON.parse + the JSON-RPC routing + parseTicker
 * is the reference. The scanner may decline any frame (undefined: the caller takes the reference
 * path), but when it answers, its answer must be exactly the reference's, in the same object shape
 * — and on the frames the simulator sends, it must answer.
 */

const reference = parseTickerFrameGeneric;

/** The scanner never disagrees with the reference (values, -0 included, and key order); returns what it answered. */
function agree(text: string): TickerUpdate | undefined {
  const fast = scanTickerFrame(text);
  if (fast !== undefined) {
    const expected = reference(text);
    expect(fast).toStrictEqual(expected);
    expect(Object.keys(fast)).toEqual(Object.keys(expected!));
  }
  return fast;
}

// ------------------------------------------------------------------------------------------
// Generators: ticker frames in the simulator's compact shape, with every JSON number spelling.

const digits = (min: number, max: number): fc.Arbitrary<string> => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const integerPart = fc.oneof(fc.constant('0'), fc.tuple(fc.integer({ min: 1, max: 9 }), digits(0, 8)).map(([first, rest]) => `${first}${rest}`));

/** Any JSON number: integers, decimals with trailing zeros, exponents of every spelling, long mantissas, out of range. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map(String) },
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.integer({ min: 0, max: 12 })).map(([units, decimals]) => (units / 10 ** decimals).toFixed(decimals)) },
  { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.boolean(), integerPart, fc.option(digits(1, 10), { nil: undefined }), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 330 }))
      .map(([negative, int, fraction, e, sign, exponent]) => `${negative ? '-' : ''}${int}${fraction === undefined ? '' : `.${fraction}`}${e}${sign}${exponent}`),
  },
  { weight: 1, arbitrary: fc.tuple(fc.boolean(), integerPart, digits(10, 30)).map(([negative, int, fraction]) => `${negative ? '-' : ''}${int}.${fraction}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 }), digits(15, 30)).map(([first, rest]) => `${first}${rest}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0', '-0', '0.0', '-0.0', '0e0', '-0E-0', '1e400', '-1e400', '1e-400', '5e-324', '2.2250738585072014e-308', '1.7976931348623157e308', '9007199254740993', '0.1000000000000000055511151231257827', '0.00003', '-26.03546', '0.00000000000000000000001234', '-0.000000000000000000000000000001', '123456789012345.5', '999999999999999', '0.999999999999999'),
  },
);
const nullableText = fc.oneof({ weight: 5, arbitrary: numberText }, { weight: 1, arbitrary: fc.constant('null') });
/** IVs: percent, often 0 (none) in any spelling. */
const ivText = fc.oneof({ weight: 4, arbitrary: nullableText }, { weight: 2, arbitrary: fc.constantFrom('0', '0.0', '-0', '0e5', '52.5', '68.86') });
const timestampText = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 42 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1795262400100', '1795262400100.0', '1.7952624001e12', '-1', '0', '1.5', '1e400', '99999999999999999999') },
);
/** Strings as a venue might send them: plain names, then anything (JSON.stringify escapes what it must). */
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('BTC-22NOV26-90600-C', 'BTC-PERPETUAL', 'ETH-26JUN26', 'SOL_USDC-PERPETUAL', 'open', 'closed', 'index_price', 'SYN.BTC-12MAR25', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 6 }) },
);

type Entry = [key: string, value: string];

interface TickerFrame {
  readonly channel: string;
  readonly entries: Entry[];
  /** Every string in the frame is plain JSON (no escapes): the scanner must answer where the reference does. */
  readonly plain: boolean;
}

const isPlain = (s: string): boolean => JSON.stringify(s) === `"${s}"`;
const object = (entries: readonly Entry[]): string => `{${entries.map(([key, value]) => `"${key}":${value}`).join(',')}}`;
const render = (frame: Pick<TickerFrame, 'channel' | 'entries'>): string => `{"jsonrpc":"2.0","method":"subscription","params":{"channel":${frame.channel},"data":${object(frame.entries)}}}`;

/** A ticker frame in the simulator's field order: an option's, a dated future's or a perpetual's. */
const tickerFrame: fc.Arbitrary<TickerFrame> = fc
  .record({
    kind: fc.constantFrom('option', 'future', 'perpetual'),
    name: anyString,
    interval: fc.constantFrom('100ms', 'raw', 'agg2'),
    timestamp: timestampText,
    state: anyString,
    stats: fc.tuple(nullableText, nullableText, nullableText, nullableText),
    prices: fc.array(nullableText, { minLength: 11, maxLength: 11 }),
    ivs: fc.tuple(ivText, ivText, ivText),
    interestRate: nullableText,
    underlyingPrice: nullableText,
    underlyingIndex: fc.option(anyString, { nil: undefined }),
    greeks: fc.array(nullableText, { minLength: 5, maxLength: 5 }),
    funding: fc.array(nullableText, { minLength: 3, maxLength: 3 }),
  })
  .map(({ kind, name, interval, timestamp, state, stats, prices, ivs, interestRate, underlyingPrice, underlyingIndex, greeks, funding }) => {
    const [openInterest, minPrice, maxPrice, markPrice, lastPrice, indexPrice, deliveryPrice, bidPrice, bidAmount, askPrice, askAmount] = prices as [string, string, string, string, string, string, string, string, string, string, string];
    const entries: Entry[] = [
      ['timestamp', timestamp],
      ['state', JSON.stringify(state)],
      ['stats', object([['volume', stats[0]], ['price_change', stats[1]], ['low', stats[2]], ['high', stats[3]]])],
      ['open_interest', openInterest],
      ['min_price', minPrice],
      ['max_price', maxPrice],
      ['mark_price', markPrice],
      ['last_price', lastPrice],
      ['instrument_name', JSON.stringify(name)],
      ['index_price', indexPrice],
      ['estimated_delivery_price', deliveryPrice],
      ['best_bid_price', bidPrice],
      ['best_bid_amount', bidAmount],
      ['best_ask_price', askPrice],
      ['best_ask_amount', askAmount],
    ];
    if (kind === 'option') {
      entries.push(
        ['mark_iv', ivs[0]],
        ['bid_iv', ivs[1]],
        ['ask_iv', ivs[2]],
        ['interest_rate', interestRate],
        ['underlying_price', underlyingPrice],
        ['underlying_index', underlyingIndex === undefined ? 'null' : JSON.stringify(underlyingIndex)],
        ['greeks', object([['delta', greeks[0]!], ['gamma', greeks[1]!], ['vega', greeks[2]!], ['theta', greeks[3]!], ['rho', greeks[4]!]])],
      );
    } else if (kind === 'perpetual') {
      entries.push(['current_funding', funding[0]!], ['funding_8h', funding[1]!], ['interest_value', funding[2]!]);
    }
    const channelName = `ticker.${name}.${interval}`;
    return { channel: JSON.stringify(channelName), entries, plain: [name, state, channelName, underlyingIndex ?? ''].every(isPlain) };
  });

/** Valid JSON, other than the compact shape: fields moved, added, repeated, or strings spelled with escapes. */
const reshaping = fc.oneof(
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('unknown' as const), at: fc.nat(), entry: fc.constantFrom<Entry>(['settlement_price', '0.19874562'], ['delivery_price', 'null'], ['combo_state', '"active"'], ['stats', '{"volume":1}'], ['x', '[1,{"a":null}]'], ['__proto__', '{"delta":1}']) }),
  fc.record({ kind: fc.constant('repeat' as const), from: fc.nat(), at: fc.nat(), value: fc.constantFrom('1.5', 'null', '"0.5"', 'true', '{}', '{"delta":0.25}', '[]', '0') }),
  fc.record({ kind: fc.constant('escape' as const), entry: fc.nat(), char: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), entry: fc.nat(), value: fc.constantFrom('true', 'false', '"52.5"', '[]', '{}', 'null', '[0.5]') }),
);
type Reshaping = typeof reshaping extends fc.Arbitrary<infer R> ? R : never;

function reshape(entries: Entry[], r: Reshaping): Entry[] {
  const out = entries.map(([key, value]): Entry => [key, value]);
  const pick = (n: number): number => n % out.length;
  switch (r.kind) {
    case 'swap': {
      const a = pick(r.a);
      const b = pick(r.b);
      [out[a], out[b]] = [out[b]!, out[a]!];
      return out;
    }
    case 'unknown':
      out.splice(r.at % (out.length + 1), 0, r.entry);
      return out;
    case 'repeat':
      out.splice(r.at % (out.length + 1), 0, [out[pick(r.from)]![0], r.value]);
      return out;
    case 'escape': {
      // One character of a string value as a \u escape (the same string to JSON.parse).
      const strings = out.filter(([, value]) => value.startsWith('"') && value.length > 2);
      if (strings.length === 0) return out;
      const entry = strings[r.entry % strings.length]!;
      const value = JSON.parse(entry[1]) as string;
      const i = r.char % value.length;
      entry[1] = `"${JSON.stringify(value.slice(0, i)).slice(1, -1)}\\u${value.charCodeAt(i).toString(16).padStart(4, '0')}${JSON.stringify(value.slice(i + 1)).slice(1, -1)}"`;
      return out;
    }
    case 'retype':
      out[pick(r.entry)]![1] = r.value;
      return out;
  }
}

// ------------------------------------------------------------------------------------------

const SAMPLE =
  '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"ticker.BTC-22NOV26-90600-C.100ms","data":{"timestamp":1795262400100,"state":"open",' +
  '"stats":{"volume":0,"price_change":null,"low":null,"high":null},"open_interest":0,"min_price":0.03170791,"max_price":0.06170791,"mark_price":0.04670791,' +
  '"last_price":null,"instrument_name":"BTC-22NOV26-90600-C","index_price":94998.75,"estimated_delivery_price":94998.75,"best_bid_price":0.046,' +
  '"best_bid_amount":0.6,"best_ask_price":0.0475,"best_ask_amount":1.4,"mark_iv":52.5,"bid_iv":0,"ask_iv":68.86,"interest_rate":0,' +
  '"underlying_price":95011.77,"underlying_index":"index_price","greeks":{"delta":0.9718,"gamma":0.00003,"vega":2.93415,"theta":-26.03546,"rho":0}}}}';

const PERPETUAL =
  '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"ticker.BTC-PERPETUAL.100ms","data":{"timestamp":1795262400100,"state":"open",' +
  '"stats":{"volume":0,"price_change":null,"low":null,"high":null},"open_interest":0,"min_price":93602.0087,"max_price":96452.8313,"mark_price":95027.42,' +
  '"last_price":95026.5,"instrument_name":"BTC-PERPETUAL","index_price":94998.75,"estimated_delivery_price":94998.75,"best_bid_price":95026.5,' +
  '"best_bid_amount":4960,"best_ask_price":95028.5,"best_ask_amount":2060,"current_funding":0.000051779588097214,"funding_8h":0.000050000006179114575,"interest_value":0}}}';

/** The ticker notifications in the documented fixtures, and the data of the documented public/ticker results. */
function documentedTickers(): { notifications: unknown[]; results: unknown[] } {
  const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/deribit/${file}`, import.meta.url), 'utf8'));
  const channel = read('channel.ticker.100ms.json') as { notifications: unknown[] };
  const method = read('public.ticker.json') as { response: { result: unknown }; variants?: Array<{ response?: { result?: unknown } }> };
  const results = [method.response.result, ...(method.variants ?? []).map((variant) => variant.response?.result).filter((result) => result !== undefined)];
  return { notifications: channel.notifications, results };
}

const SIM_ORDER = ['timestamp', 'state', 'stats', 'open_interest', 'min_price', 'max_price', 'mark_price', 'last_price', 'instrument_name', 'index_price', 'estimated_delivery_price', 'best_bid_price', 'best_bid_amount', 'best_ask_price', 'best_ask_amount'];
const OPTION_TAIL = ['mark_iv', 'bid_iv', 'ask_iv', 'interest_rate', 'underlying_price', 'underlying_index', 'greeks'];
const PERPETUAL_TAIL = ['current_funding', 'funding_8h', 'interest_value'];

/** A documented ticker's data with the simulator's fields in its order (Deribit's extras, settlement_price and volume_usd, left out). */
function inSimulatorOrder(data: Record<string, unknown>): Record<string, unknown> {
  const keys = [...SIM_ORDER, ...('greeks' in data ? OPTION_TAIL : 'funding_8h' in data ? PERPETUAL_TAIL : [])];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    expect(data).toHaveProperty(key);
    out[key] = data[key];
  }
  const stats = data.stats as Record<string, unknown>;
  out.stats = { volume: stats.volume, price_change: stats.price_change, low: stats.low, high: stats.high };
  if ('greeks' in data) {
    const greeks = data.greeks as Record<string, unknown>;
    out.greeks = { delta: greeks.delta, gamma: greeks.gamma, vega: greeks.vega, theta: greeks.theta, rho: greeks.rho };
  }
  return out;
}

describe('scanTickerFrame', () => {
  it('reads an option ticker as the simulator sends it', () => {
    expect(agree(SAMPLE)).toStrictEqual({
      instrumentName: 'BTC-22NOV26-90600-C',
      tsMs: 1795262400100,
      markPrice: 0.04670791,
      markIv: 0.525,
      bidIv: undefined,
      askIv: 0.6886,
      lastPrice: undefined,
      underlyingPrice: 95011.77,
      delta: 0.9718,
      gamma: 0.00003,
      vegaUsd: 2.93415,
      thetaUsd: -26.03546,
      fundingRate8h: undefined,
    });
  });

  it('reads a perpetual ticker (funding) and a dated future ticker (no tail)', () => {
    expect(agree(PERPETUAL)).toMatchObject({ instrumentName: 'BTC-PERPETUAL', markPrice: 95027.42, lastPrice: 95026.5, fundingRate8h: 0.000050000006179114575, markIv: undefined, delta: undefined });
    const future = PERPETUAL.replaceAll('BTC-PERPETUAL', 'BTC-26JUN26').replace(',"current_funding":0.000051779588097214,"funding_8h":0.000050000006179114575,"interest_value":0', '');
    expect(agree(future)).toMatchObject({ instrumentName: 'BTC-26JUN26', markPrice: 95027.42, fundingRate8h: undefined });
  });

  it('agrees with JSON.parse + parseTicker on generated frames, and answers for every one whose strings need no escape', () => {
    fc.assert(
      fc.property(tickerFrame, (frame) => {
        const text = render(frame);
        const fast = agree(text);
        if (fast === undefined && frame.plain) expect(reference(text)).toBeUndefined();
      }),
      { seed: 11, numRuns: 5000 },
    );
  });

  it('never misreads a reordered, extended, repeated, retyped or escaped frame: it declines, or says exactly what the reference says', () => {
    fc.assert(
      fc.property(tickerFrame, fc.array(reshaping, { minLength: 1, maxLength: 3 }), (frame, reshapings) => {
        agree(render({ channel: frame.channel, entries: reshapings.reduce(reshape, frame.entries) }));
      }),
      { seed: 12, numRuns: 5000 },
    );
  });

  it('never misreads a damaged frame: it declines, or says exactly what the reference says', () => {
    fc.assert(
      fc.property(tickerFrame, fc.array(frameDamage, { minLength: 1, maxLength: 3 }), (frame, mutations) => {
        const damaged = mutations.reduce(damage, render(frame));
        const fast = agree(damaged);
        if (!isJson(damaged)) expect(fast).toBeUndefined();
      }),
      { seed: 13, numRuns: 8000 },
    );
  });

  it('answers for every ticker the simulator renders (options, futures, perpetuals; marks of any magnitude, NaN as null)', () => {
    const option: SimInstrument = {
      instrumentName: 'BTC-25DEC26-100000-C',
      instrumentId: 1,
      currency: 'BTC',
      kind: 'option',
      isPerpetual: false,
      tickSize: 0.0001,
      tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }],
      contractSize: 1,
      minTradeAmount: 0.1,
      makerCommission: 0.0003,
      takerCommission: 0.0003,
      strike: 100_000,
      optionType: 'call',
      expirationTimestamp: 1_798_185_600_000,
      creationTimestamp: 1_760_000_000_000,
      settlementPeriod: 'month',
      priceIndex: 'btc_usd',
      baseCurrency: 'BTC',
      quoteCurrency: 'BTC',
      counterCurrency: 'USD',
      settlementCurrency: 'BTC',
    };
    const future: SimInstrument = { ...option, instrumentName: 'BTC-25DEC26', kind: 'future', tickSize: 2.5, tickSizeSteps: [], contractSize: 10, minTradeAmount: 10, quoteCurrency: 'USD' };
    delete (future as { strike?: number }).strike;
    delete (future as { optionType?: string }).optionType;
    const perpetual: SimInstrument = { ...future, instrumentName: 'BTC-PERPETUAL', isPerpetual: true, tickSize: 0.5, expirationTimestamp: PERPETUAL_EXPIRY_MS, settlementPeriod: 'perpetual' };
    const anyDouble = fc.oneof({ weight: 5, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }, { weight: 1, arbitrary: fc.double() });
    fc.assert(
      fc.property(
        fc.constantFrom(option, future, perpetual),
        fc.record({ bid: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }), ask: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }), lots: fc.integer({ min: 1, max: 1000 }) }),
        fc.option(fc.record({ markPrice: anyDouble, markIv: anyDouble, deltaCoin: anyDouble, gammaCoin: anyDouble, vegaUsd: anyDouble, thetaUsd: anyDouble }), { nil: undefined }),
        fc.record({ indexPrice: anyDouble, underlyingPrice: fc.option(anyDouble, { nil: undefined }), lastPrice: fc.option(anyDouble, { nil: undefined }), halted: fc.boolean() }),
        fc.option(fc.record({ current: anyDouble, eightHour: anyDouble }), { nil: undefined }),
        fc.integer({ min: 1_760_000_000_000, max: 1_800_000_000_000 }),
        (instrument, levels, mark, prices, funding, nowMs) => {
          const book = { bestBidTicks: () => levels.bid, bestAskTicks: () => levels.ask, bestLots: () => levels.lots } as unknown as OrderBook;
          const data = renderTicker({ instrument, book, mark: mark as Mark | undefined, indexPrice: prices.indexPrice, underlyingPrice: prices.underlyingPrice, funding, lastPrice: prices.lastPrice, nowMs, halted: prices.halted });
          const text = notificationText(JSON.stringify(`ticker.${instrument.instrumentName}.100ms`), JSON.stringify(data));
          const fast = agree(text);
          expect(fast).toBeDefined();
        },
      ),
      { seed: 14, numRuns: 1500 },
    );
  });

  it("reads Deribit's documented tickers through the generic path, and through the fast one with the fields in the simulator's order", () => {
    const { notifications, results } = documentedTickers();
    expect(notifications.length).toBe(2);
    expect(results.length).toBeGreaterThanOrEqual(2);
    const datas = [...notifications.map((n) => (n as { params: { data: Record<string, unknown> } }).params.data), ...(results as Array<Record<string, unknown>>)];
    for (const notification of notifications) {
      const text = JSON.stringify(notification);
      // Deribit's documented order is not the simulator's: the scanner declines, the generic path reads it.
      expect(agree(text)).toBeUndefined();
      expect(reference(text)).toBeDefined();
    }
    for (const data of datas) {
      const instrumentName = data.instrument_name as string;
      const text = notificationText(JSON.stringify(`ticker.${instrumentName}.100ms`), JSON.stringify(inSimulatorOrder(data)));
      expect(agree(text)).toStrictEqual(parseTicker(data));
    }
  });

  it.each([
    ['trailing garbage', (t: string) => `${t}x`],
    ['trailing whitespace', (t: string) => `${t} `],
    ['leading whitespace', (t: string) => ` ${t}`],
    ['whitespace after a colon', (t: string) => t.replace('"mark_price":', '"mark_price": ')],
    ['a second frame', (t: string) => `${t}${t}`],
    ['missing the last brace', (t: string) => t.slice(0, -1)],
    ['an escaped instrument name', (t: string) => t.replace('"instrument_name":"BTC-22NOV26-90600-C"', '"instrument_name":"BTC\\u002d22NOV26-90600-C"')],
    ['an escaped slash in the state', (t: string) => t.replace('"state":"open"', '"state":"op\\/en"')],
    ['a control character in the channel', (t: string) => t.replace('ticker.BTC', 'ticker.\u0001BTC')],
    ['a duplicate field', (t: string) => t.replace('"mark_price":', '"mark_price":1,"mark_price":')],
    ['a duplicate greeks object', (t: string) => t.replace('"greeks":{', '"greeks":{"delta":1},"greeks":{')],
    ['an unknown field', (t: string) => t.replace('"open_interest":', '"settlement_price":0.04,"open_interest":')],
    ['an unknown stats field', (t: string) => t.replace('"volume":0,', '"volume":0,"volume_usd":0,')],
    ['fields out of order', (t: string) => t.replace('"mark_iv":52.5,"bid_iv":0', '"bid_iv":0,"mark_iv":52.5')],
    ['greeks out of order', (t: string) => t.replace('"delta":0.9718,"gamma":0.00003', '"gamma":0.00003,"delta":0.9718')],
    ['a missing field', (t: string) => t.replace('"interest_rate":0,', '')],
    ['null greeks', (t: string) => t.replace(/"greeks":\{[^}]*\}/, '"greeks":null')],
    ['a response id', (t: string) => t.replace('{"jsonrpc":"2.0",', '{"jsonrpc":"2.0","id":7,')],
    ['a book channel', (t: string) => t.replace('ticker.BTC-22NOV26-90600-C.100ms', 'book.BTC-22NOV26-90600-C.100ms')],
    ['a channel without the ticker prefix', (t: string) => t.replace('"channel":"ticker.', '"channel":"tickers.')],
    ['another method', (t: string) => t.replace('"method":"subscription"', '"method":"heartbeat"')],
    ['a string number', (t: string) => t.replace('"mark_price":0.04670791', '"mark_price":"0.04670791"')],
    ['a boolean number', (t: string) => t.replace('"mark_iv":52.5', '"mark_iv":true')],
    ['a numeric state', (t: string) => t.replace('"state":"open"', '"state":1')],
    ['a numeric underlying index', (t: string) => t.replace('"underlying_index":"index_price"', '"underlying_index":1')],
    ['a null timestamp', (t: string) => t.replace('1795262400100', 'null')],
    ['a null instrument name', (t: string) => t.replace('"instrument_name":"BTC-22NOV26-90600-C"', '"instrument_name":null')],
    ['a leading zero', (t: string) => t.replace('94998.75,"estimated', '094998.75,"estimated')],
    ['a bare decimal point', (t: string) => t.replace('"mark_iv":52.5', '"mark_iv":52.')],
    ['a leading decimal point', (t: string) => t.replace('"ask_iv":68.86', '"ask_iv":.86')],
    ['a plus sign', (t: string) => t.replace('"mark_iv":52.5', '"mark_iv":+52.5')],
    ['an empty exponent', (t: string) => t.replace('"vega":2.93415', '"vega":2.93415e')],
    ['NaN', (t: string) => t.replace('"mark_iv":52.5', '"mark_iv":NaN')],
    ['Infinity', (t: string) => t.replace('"mark_iv":52.5', '"mark_iv":Infinity')],
    ['an uppercase null', (t: string) => t.replace('"last_price":null', '"last_price":NULL')],
    ['a truncated null', (t: string) => t.replace('"last_price":null', '"last_price":nul')],
  ])('declines a frame with %s', (_what, damage) => {
    const damaged = damage(SAMPLE);
    expect(damaged).not.toBe(SAMPLE);
    expect(scanTickerFrame(damaged)).toBeUndefined();
  });

  it('declines a timestamp out of range (the reference rejects the ticker too)', () => {
    const text = SAMPLE.replace('1795262400100', '1e400');
    expect(scanTickerFrame(text)).toBeUndefined();
    expect(reference(text)).toBeUndefined();
  });

});
