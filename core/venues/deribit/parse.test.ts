import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookMessage } from './parse.ts';
import { priceToTicks, scanBookFrame } from './parse.ts';
import { damage, frameDamage, isJson, parseBookFrameGeneric } from '../../../test/support/deribit-frames.ts';

/**
 * scanBookFrame is the hot path for book frames; JSON.parse + the adapter's routing + parseBook is
 * the reference. The scanner may decline any frame (undefined: the caller takes the reference
 * path), but when it answers, its answer must be exactly the reference's — and on the frames
 * Deribit actually sends, it must answer.
 */

const TICKS: Record<string, number> = {
  'BTC-PERPETUAL': 0.5,
  'ETH-PERPETUAL': 0.05,
  'BTC-26JUN26': 2.5,
  'BTC-25DEC26-100000-C': 0.0001,
  'ETH-26JUN26-3000-P': 0.0001,
  'SOL_USDC-PERPETUAL': 0.01,
  'XRP_USDC-PERPETUAL': 0.0001,
  'ODD-TICK': 0.3,
};
const tickSizeOf = (name: string): number | undefined => TICKS[name];

const reference = (text: string): BookMessage | undefined => parseBookFrameGeneric(text, tickSizeOf);

/** The scanner never disagrees with the reference; returns what it answered. */
function agree(text: string): BookMessage | undefined {
  const fast = scanBookFrame(text, tickSizeOf);
  if (fast !== undefined) expect(fast).toEqual(reference(text));
  return fast;
}

// ------------------------------------------------------------------------------------------
// Generators: frames in Deribit's compact shape, with number spellings a venue might use.

/** A price or amount as JSON text: integral floats as `95055.0`, shortest round trip, exponents, long mantissas, off-grid. */
function numberText(tickSize: number): fc.Arbitrary<string> {
  const onGrid = fc.integer({ min: -3, max: 400_000 }).map((ticks) => Number((ticks * tickSize).toFixed(8)));
  return fc.oneof(
    { weight: 6, arbitrary: onGrid.map((value) => (Number.isInteger(value) ? `${value}.0` : String(value))) },
    { weight: 2, arbitrary: onGrid.map((value) => String(value)) },
    { weight: 1, arbitrary: onGrid.map((value) => value.toExponential()) },
    { weight: 1, arbitrary: onGrid.map((value) => value.toExponential().toUpperCase().replace('E', 'E+').replace('+-', '-').replace('++', '+')) },
    { weight: 1, arbitrary: onGrid.map((value) => `${value.toFixed(12)}`) },
    { weight: 1, arbitrary: fc.tuple(onGrid, fc.constantFrom(1e-7, -1e-7, 1e-5, 0.5, 1e-12)).map(([value, off]) => String(value + off * tickSize)) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom('0', '-0', '0.0', '-0.0', '1e400', '-1e400', '12345678901234567890', '0.1000000000000000055511151231257827', '5e-324', '1e-7') },
  );
}

const actionText = fc.constantFrom('new', 'change', 'delete');

function levelsText(tickSize: number): fc.Arbitrary<string> {
  return fc.array(fc.tuple(actionText, numberText(tickSize), numberText(1)), { maxLength: 6 }).map((levels) => `[${levels.map(([a, p, q]) => `["${a}",${p},${q}]`).join(',')}]`);
}

const names = fc.constantFrom(...Object.keys(TICKS), 'UNKNOWN-1', 'BTC-25DEC26-100000-C');
const integerText = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }).map(String), fc.constantFrom('68502731021', '1768478405000', '0', '-1', '1.5', '1e3', '99999999999999999999'));

/** A compact book frame, fields in Deribit's order (prev_change_id sometimes absent or on a snapshot). */
const compactFrame = names.chain((name) => {
  const tick = TICKS[name] ?? 0.5;
  return fc
    .record({
      type: fc.constantFrom('snapshot', 'change'),
      interval: fc.constantFrom('raw', '100ms'),
      timestamp: integerText,
      prev: fc.option(integerText, { nil: undefined }),
      changeId: integerText,
      bids: levelsText(tick),
      asks: levelsText(tick),
    })
    .map(
      ({ type, interval, timestamp, prev, changeId, bids, asks }) =>
        `{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.${name}.${interval}","data":{"type":"${type}","timestamp":${timestamp},` +
        `${prev === undefined ? '' : `"prev_change_id":${prev},`}"instrument_name":"${name}","change_id":${changeId},"bids":${bids},"asks":${asks}}}}`,
    );
});

// ------------------------------------------------------------------------------------------

/** Every JSON-RPC frame in the documented fixtures (notifications, requests, responses). */
function fixtureFrames(): unknown[] {
  const dir = new URL('../../../test/fixtures/deribit/', import.meta.url);
  const frames: unknown[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) {
      if ('jsonrpc' in value) frames.push(value);
      else Object.values(value).forEach(collect);
    }
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) collect(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  return frames;
}

describe('scanBookFrame', () => {
  it('reads the documented book notifications exactly as JSON.parse + parseBook, and declines every other fixture frame', () => {
    const frames = fixtureFrames();
    let books = 0;
    for (const frame of frames) {
      const text = JSON.stringify(frame);
      const expected = reference(text);
      if (expected) books++;
      expect(scanBookFrame(text, tickSizeOf)).toEqual(expected);
      // Pretty-printed, the scanner declines and the generic path reads it.
      expect(scanBookFrame(JSON.stringify(frame, null, 2), tickSizeOf)).toBeUndefined();
    }
    expect(books).toBe(5);
  });

  it('answers for a change frame as Deribit sends it', () => {
    const text =
      '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-PERPETUAL.raw","data":{"type":"change","timestamp":1768478405011,"prev_change_id":68502731022,' +
      '"instrument_name":"BTC-PERPETUAL","change_id":68502731023,"bids":[],"asks":[["delete",95056.0,0.0],["new",95057.5,30000.0]]}}}';
    expect(agree(text)).toEqual({
      type: 'change',
      instrumentName: 'BTC-PERPETUAL',
      prevChangeId: 68502731022,
      changeId: 68502731023,
      bids: [],
      asks: [
        { action: 'delete', priceTicks: 190112, amount: 0 },
        { action: 'new', priceTicks: 190115, amount: 30000 },
      ],
      tsMs: 1768478405011,
    });
  });

  it('agrees with JSON.parse + parseBook on generated frames, and answers for every well-formed one', () => {
    fc.assert(
      fc.property(compactFrame, (text) => {
        const fast = agree(text);
        // Declining is allowed only where the reference rejects too (unknown instrument, off-grid price, missing prev_change_id).
        if (fast === undefined) expect(reference(text)).toBeUndefined();
      }),
      { seed: 5, numRuns: 4000 },
    );
  });

  it('never misreads a damaged frame: it declines, or says exactly what the reference says', () => {
    fc.assert(
      fc.property(compactFrame, fc.array(frameDamage, { minLength: 1, maxLength: 3 }), (text, mutations) => {
        const damaged = mutations.reduce(damage, text);
        const fast = agree(damaged);
        if (!isJson(damaged)) expect(fast).toBeUndefined();
      }),
      { seed: 6, numRuns: 6000 },
    );
  });

  it.each([
    ['trailing garbage', (t: string) => `${t}x`],
    ['trailing whitespace', (t: string) => `${t} `],
    ['leading whitespace', (t: string) => ` ${t}`],
    ['a second frame', (t: string) => `${t}${t}`],
    ['missing the last brace', (t: string) => t.slice(0, -1)],
    ['an escaped instrument name', (t: string) => t.replace('"instrument_name":"BTC-PERPETUAL"', '"instrument_name":"BTC\\u002dPERPETUAL"')],
    ['a control character in the channel', (t: string) => t.replace('book.BTC', 'book.\u0001BTC')],
    ['a duplicate field', (t: string) => t.replace('"change_id":', '"change_id":1,"change_id":')],
    ['an unknown field', (t: string) => t.replace('"bids":', '"depth":3,"bids":')],
    ['fields out of order', (t: string) => t.replace('"timestamp":1768478405011,"prev_change_id":68502731022', '"prev_change_id":68502731022,"timestamp":1768478405011')],
    ['a response id', (t: string) => t.replace('{"jsonrpc":"2.0",', '{"jsonrpc":"2.0","id":7,')],
    ['a ticker channel', (t: string) => t.replace('book.BTC-PERPETUAL.raw', 'ticker.BTC-PERPETUAL.raw')],
    ['an unknown action', (t: string) => t.replace('"delete"', '"remove"')],
    ['a level with four entries', (t: string) => t.replace('30000.0]', '30000.0,1]')],
    ['a string price', (t: string) => t.replace('95057.5', '"95057.5"')],
    ['a leading zero', (t: string) => t.replace('95057.5', '095057.5')],
    ['a bare decimal point', (t: string) => t.replace('95057.5', '95057.')],
    ['a leading decimal point', (t: string) => t.replace('0.0]', '.0]')],
    ['a plus sign', (t: string) => t.replace('30000.0', '+30000.0')],
    ['NaN', (t: string) => t.replace('30000.0', 'NaN')],
    ['Infinity', (t: string) => t.replace('30000.0', 'Infinity')],
    ['an off-grid price', (t: string) => t.replace('95057.5', '95057.3')],
    ['no prev_change_id on a change', (t: string) => t.replace('"prev_change_id":68502731022,', '')],
    ['a null prev_change_id', (t: string) => t.replace('68502731022,', 'null,')],
    ['an unknown type', (t: string) => t.replace('"type":"change"', '"type":"delta"')],
  ])('declines a frame with %s', (_what, damage) => {
    const text =
      '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.BTC-PERPETUAL.raw","data":{"type":"change","timestamp":1768478405011,"prev_change_id":68502731022,' +
      '"instrument_name":"BTC-PERPETUAL","change_id":68502731023,"bids":[],"asks":[["delete",95056.0,0.0],["new",95057.5,30000.0]]}}}';
    const damaged = damage(text);
    expect(damaged).not.toBe(text);
    expect(scanBookFrame(damaged, tickSizeOf)).toBeUndefined();
  });

  it('converts prices to ticks as priceToTicks does, on and off the grid, for any tick size', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(TICKS)), fc.oneof(fc.integer({ min: 0, max: 2e9 }), fc.integer({ min: 1e9, max: Number.MAX_SAFE_INTEGER })), fc.constantFrom(0, 1e-9, 1e-7, 3e-7, -1e-7, 1e-6, 0.25), (name, ticks, off) => {
        const tick = TICKS[name]!;
        const price = (ticks + off) * tick;
        const text =
          `{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.${name}.raw","data":{"type":"snapshot","timestamp":1,` +
          `"instrument_name":"${name}","change_id":2,"bids":[["new",${JSON.stringify(price)},1.0]],"asks":[]}}}`;
        const fast = agree(text);
        const expected = priceToTicks(price, tick);
        if (expected === undefined) expect(fast).toBeUndefined();
        else expect(fast?.bids[0]?.priceTicks).toBe(expected);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});
