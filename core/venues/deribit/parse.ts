import { z } from 'zod';
import type { LevelAction, LevelUpdate } from '../../marketdata/l2-book.ts';
import type { InstrumentRow } from '../../protocol/index.ts';
import type { TickerUpdate } from '../venue-adapter.ts';

/**
 * Deribit wire messages into the workstation's terms. Responses that arrive rarely (instruments)
 * are validated with a schema; the per-message hot path (books, tickers) checks shapes by hand
 * and drops what does not fit rather than throwing.
 */

const InstrumentSchema = z.object({
  instrument_name: z.string().min(1),
  kind: z.string(),
  base_currency: z.string(),
  tick_size: z.number().positive(),
  tick_size_steps: z.array(z.object({ above_price: z.number().nonnegative(), tick_size: z.number().positive() })).optional(),
  min_trade_amount: z.number().positive(),
  contract_size: z.number().positive(),
  expiration_timestamp: z.number(),
  settlement_period: z.string(),
  option_type: z.enum(['call', 'put']).optional(),
  strike: z.number().positive().optional(),
  is_active: z.boolean().optional(),
});

export type InstrumentParse = { readonly instruments: InstrumentRow[]; readonly rejected: number };

/** Options and futures from `public/get_instruments`; anything else (spot, combos) is skipped. */
export function parseInstruments(venueId: string, result: unknown): InstrumentParse {
  if (!Array.isArray(result)) return { instruments: [], rejected: 1 };
  const instruments: InstrumentRow[] = [];
  let rejected = 0;
  for (const raw of result) {
    const parsed = InstrumentSchema.safeParse(raw);
    if (!parsed.success) {
      rejected += 1;
      continue;
    }
    const i = parsed.data;
    if (i.kind !== 'option' && i.kind !== 'future') continue;
    if (i.kind === 'option' && (i.option_type === undefined || i.strike === undefined)) {
      rejected += 1;
      continue;
    }
    instruments.push({
      instrumentName: i.instrument_name,
      venueId,
      currency: i.base_currency,
      kind: i.kind,
      isPerpetual: i.settlement_period === 'perpetual',
      ...(i.option_type !== undefined && { optionType: i.option_type }),
      ...(i.strike !== undefined && { strike: i.strike }),
      expiryMs: i.expiration_timestamp,
      tickSize: i.tick_size,
      ...(i.tick_size_steps && i.tick_size_steps.length > 0 && { tickSizeSteps: i.tick_size_steps.map((step) => ({ abovePrice: step.above_price, tickSize: step.tick_size })) }),
      minTradeAmount: i.min_trade_amount,
      contractSize: i.contract_size,
    });
  }
  return { instruments, rejected };
}

/** Price to integer ticks of the instrument's smallest tick; undefined when off the grid. */
export function priceToTicks(price: number, tickSize: number): number | undefined {
  const ratio = price / tickSize;
  const ticks = Math.round(ratio);
  return Math.abs(ratio - ticks) < 1e-6 ? ticks : undefined;
}

function parseLevels(raw: unknown, tickSize: number): LevelUpdate[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const levels: LevelUpdate[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const entry = raw[i] as unknown;
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const action = entry[0];
    const price = entry[1];
    const amount = entry[2];
    if ((action !== 'new' && action !== 'change' && action !== 'delete') || typeof price !== 'number' || typeof amount !== 'number') return undefined;
    const priceTicks = priceToTicks(price, tickSize);
    if (priceTicks === undefined) return undefined;
    levels[i] = { action, priceTicks, amount };
  }
  return levels;
}

export type BookMessage =
  | { readonly type: 'snapshot'; readonly instrumentName: string; readonly changeId: number; readonly bids: LevelUpdate[]; readonly asks: LevelUpdate[]; readonly tsMs: number }
  | { readonly type: 'change'; readonly instrumentName: string; readonly prevChangeId: number; readonly changeId: number; readonly bids: LevelUpdate[]; readonly asks: LevelUpdate[]; readonly tsMs: number };

/** A `book.{instrument}.{interval}` notification, or undefined when malformed. */
export function parseBook(data: unknown, tickSizeOf: (instrumentName: string) => number | undefined): BookMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { type?: unknown; instrument_name?: unknown; change_id?: unknown; prev_change_id?: unknown; bids?: unknown; asks?: unknown; timestamp?: unknown };
  if (typeof d.instrument_name !== 'string' || typeof d.change_id !== 'number' || typeof d.timestamp !== 'number') return undefined;
  const tickSize = tickSizeOf(d.instrument_name);
  if (tickSize === undefined) return undefined;
  const bids = parseLevels(d.bids, tickSize);
  const asks = parseLevels(d.asks, tickSize);
  if (!bids || !asks) return undefined;
  if (d.type === 'snapshot') return { type: 'snapshot', instrumentName: d.instrument_name, changeId: d.change_id, bids, asks, tsMs: d.timestamp };
  if (d.type === 'change' && typeof d.prev_change_id === 'number') {
    return { type: 'change', instrumentName: d.instrument_name, prevChangeId: d.prev_change_id, changeId: d.change_id, bids, asks, tsMs: d.timestamp };
  }
  return undefined;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** A `ticker.*` notification or `public/ticker` result; Deribit's IVs in percent become fractions. */
export function parseTicker(data: unknown): TickerUpdate | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const instrumentName = d.instrument_name;
  const tsMs = num(d.timestamp);
  if (typeof instrumentName !== 'string' || tsMs === undefined) return undefined;
  const greeks = (typeof d.greeks === 'object' && d.greeks !== null ? d.greeks : {}) as Record<string, unknown>;
  // The hottest message there is (most of a chain's traffic): one object of one shape, built at
  // once (fields the venue did not send are undefined, which consumers treat as absent).
  return {
    instrumentName,
    tsMs,
    markPrice: num(d.mark_price),
    markIv: percent(d.mark_iv),
    bidIv: percent(d.bid_iv),
    askIv: percent(d.ask_iv),
    lastPrice: num(d.last_price),
    underlyingPrice: num(d.underlying_price),
    delta: num(greeks.delta),
    gamma: num(greeks.gamma),
    vegaUsd: num(greeks.vega),
    thetaUsd: num(greeks.theta),
    fundingRate8h: num(d.funding_8h),
  };
}

/** Deribit's IVs are percent; 0 means none. */
function percent(value: unknown): number | undefined {
  const n = num(value);
  return n === undefined || n === 0 ? undefined : n / 100;
}

/** A `deribit_price_index.{index}` notification. */
export function parseIndex(data: unknown): { indexName: string; price: number; tsMs: number } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { index_name?: unknown; price?: unknown; timestamp?: unknown };
  if (typeof d.index_name !== 'string' || typeof d.price !== 'number' || typeof d.timestamp !== 'number') return undefined;
  return { indexName: d.index_name, price: d.price, tsMs: d.timestamp };
}

// ---------------------------------------------------------------------------------------------
// The fast path for book notifications, straight from the frame's text.

/**
 * The compact shape Deribit (and the simulator) send a book notification in, as a regular
 * expression: the frame's whole grammar (strict JSON numbers, strings without escapes or control
 * characters, fields in Deribit's order, nothing unknown, nothing after). Irregexp checks it in
 * native code several times faster than JSON.parse builds the objects; once it matches, the
 * values are read at known offsets.
 */
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const PLAIN_STRING = String.raw`[^"\\\x00-\x1f]*`;
const LEVEL = String.raw`\["(?:new|change|delete)",${NUMBER},${NUMBER}\]`;
const LEVELS = String.raw`\[(?:${LEVEL}(?:,${LEVEL})*)?\]`;
const FRAME_PREFIX = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.';
const escapeRegExp = (literal: string): string => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BOOK_FRAME = new RegExp(
  `^${escapeRegExp(FRAME_PREFIX)}${PLAIN_STRING}","data":\\{"type":"(?:snapshot|change)","timestamp":${NUMBER},(?:"prev_change_id":${NUMBER},)?` +
    `"instrument_name":"${PLAIN_STRING}","change_id":${NUMBER},"bids":${LEVELS},"asks":${LEVELS}\\}\\}\\}$`,
);

/** Exactly representable powers of ten (Clinger's fast path needs 10^k exact: k ≤ 22). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22] as const;
const pow10 = (k: number): number => POW10[k]!;
/** Tick indices the decimal conversion answers for; beyond, the float conversion (as parseBook's) decides. */
const MAX_DECIMAL_TICKS = 1e8;

/** Read position in the frame being scanned (a small integer: module state without allocation). */
let at = 0;

/**
 * Reads the JSON number at `at` (already validated) and moves past it; the same double as
 * JSON.parse. Up to 15 significant digits and a power of ten within 10^±22 it is Clinger's fast
 * path (one correctly rounded operation on exact operands); anything longer goes to Number().
 * It stops at the text's end as well as after the number, so it also reads the ticker's captured
 * numbers whole: reading past the end of a string is a slow path in V8.
 */
function readNumber(text: string): number {
  const start = at;
  const length = text.length;
  let i = at;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative) c = ++i < length ? text.charCodeAt(i) : -1;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let exact = true;
  while (c >= 48 && c <= 57) {
    if (digits < 15) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
    } else exact = false;
    c = ++i < length ? text.charCodeAt(i) : -1;
  }
  if (c === 46) {
    c = ++i < length ? text.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) {
      if (digits < 15) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) digits++;
        scale++;
      } else exact = false;
      c = ++i < length ? text.charCodeAt(i) : -1;
    }
  }
  if (c === 101 || c === 69) {
    exact = false;
    c = ++i < length ? text.charCodeAt(i) : -1;
    if (c === 43 || c === 45) c = ++i < length ? text.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) c = ++i < length ? text.charCodeAt(i) : -1;
  }
  at = i;
  if (exact && scale <= 22) {
    const magnitude = mantissa / pow10(scale);
    return negative ? -magnitude : magnitude;
  }
  return Number(text.slice(start, i));
}

/** The current instrument's tick as units × 10^-decimals exactly (0.0005 = 5 × 10^-4); units 0 when it has no such form. */
let tickSize = Number.NaN;
let tickUnits = 0;
let tickDecimals = 0;

function useTick(size: number): void {
  if (size === tickSize) return;
  tickSize = size;
  tickUnits = 0;
  tickDecimals = 0;
  for (let d = 0; d <= 15; d++) {
    const units = Math.round(size * pow10(d));
    if (units > 0 && units <= Number.MAX_SAFE_INTEGER && units / pow10(d) === size) {
      tickUnits = units;
      tickDecimals = d;
      return;
    }
  }
}

/**
 * Reads the price at `at` as ticks of the current tick size: priceToTicks(price, tickSize), but for
 * prices on the grid by exact decimal arithmetic (digits × 10^k against the tick's units, no
 * division by the float tick); anything else (off the grid within priceToTicks' tolerance, long
 * mantissas, exponents, huge indices) through priceToTicks itself.
 */
function readTicks(text: string): number | undefined {
  const start = at;
  let i = at;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative) c = text.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let exact = true;
  while (c >= 48 && c <= 57) {
    if (digits < 15) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
    } else exact = false;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      if (digits < 15) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) digits++;
        scale++;
      } else exact = false;
      c = text.charCodeAt(++i);
    }
  }
  if (c === 101 || c === 69) {
    exact = false;
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
  }
  at = i;
  if (exact && mantissa !== 0 && tickUnits > 0) {
    // price / tick = mantissa × 10^(tickDecimals - scale) / tickUnits, in integers.
    const shift = tickDecimals - scale;
    let q = -1;
    if (shift >= 0) {
      if (shift <= 22) q = mantissa * pow10(shift);
    } else if (shift >= -22 && mantissa % pow10(-shift) === 0) q = mantissa / pow10(-shift);
    if (q > 0 && q <= Number.MAX_SAFE_INTEGER && q % tickUnits === 0) {
      q /= tickUnits;
      if (q <= MAX_DECIMAL_TICKS) return negative ? -q : q;
    }
  }
  const price = exact && scale <= 22 ? (negative ? -mantissa : mantissa) / pow10(scale) : Number(text.slice(start, i));
  return priceToTicks(price, tickSize);
}

/** Reads validated levels from just after their `[` to just after their `]`; false when a price is off the grid. */
function readLevels(text: string, out: LevelUpdate[]): boolean {
  if (text.charCodeAt(at) === 93) {
    at++;
    return true;
  }
  for (;;) {
    // ["new",  ["change",  ["delete",
    const c = text.charCodeAt(at + 2);
    const action: LevelAction = c === 110 ? 'new' : c === 99 ? 'change' : 'delete';
    at += c === 110 ? 7 : 10;
    const priceTicks = readTicks(text);
    if (priceTicks === undefined) return false;
    at++;
    const amount = readNumber(text);
    out.push({ action, priceTicks, amount });
    at += 2;
    if (text.charCodeAt(at - 1) === 93) return true;
  }
}

/**
 * The instrument name as a string of its own. A slice of the frame would keep the whole frame
 * (a snapshot can be megabytes) alive for as long as anything holds the name — a map key, a
 * quote row — where JSON.parse's strings are copies. One copy per instrument, reused.
 */
const ownNames = new Map<string, string>();
const MAX_OWN_NAMES = 100_000;

function ownName(slice: string): string {
  const known = ownNames.get(slice);
  if (known !== undefined) return known;
  if (ownNames.size >= MAX_OWN_NAMES) ownNames.clear();
  // The name holds no escapes or control characters (validated): JSON round-trips it exactly, as a copy.
  const copy = JSON.parse(JSON.stringify(slice)) as string;
  ownNames.set(copy, copy);
  return copy;
}

/**
 * The hot path for book frames: a `book.*` subscription notification read straight from its
 * text, without JSON.parse and without dividing by the float tick. It answers only for the compact
 * shape Deribit (and the simulator) send (BOOK_FRAME) and returns undefined for anything else,
 * valid or not: the caller then parses the frame generically (JSON.parse, then parseBook), which
 * also rejects what is malformed. Whenever it returns a message, that message is the one
 * JSON.parse + parseBook give for the frame (property-tested against them).
 */
export function scanBookFrame(text: string, tickSizeOf: (instrumentName: string) => number | undefined): BookMessage | undefined {
  if (!BOOK_FRAME.test(text)) return undefined;
  // The channel holds no quote (validated): its end is the first one after the prefix.
  at = text.indexOf('"', FRAME_PREFIX.length) + '","data":{"type":"'.length;
  const snapshot = text.charCodeAt(at) === 115;
  at += snapshot ? 'snapshot","timestamp":'.length : 'change","timestamp":'.length;
  const tsMs = readNumber(text);
  let prevChangeId: number | undefined;
  if (text.charCodeAt(at + 2) === 112) {
    at += ',"prev_change_id":'.length;
    prevChangeId = readNumber(text);
  }
  if (!snapshot && prevChangeId === undefined) return undefined;
  at += ',"instrument_name":"'.length;
  const nameEnd = text.indexOf('"', at);
  const slice = text.slice(at, nameEnd);
  const size = tickSizeOf(slice);
  if (size === undefined) return undefined;
  const instrumentName = ownName(slice);
  useTick(size);
  at = nameEnd + '","change_id":'.length;
  const changeId = readNumber(text);
  at += ',"bids":['.length;
  const bids: LevelUpdate[] = [];
  if (!readLevels(text, bids)) return undefined;
  at += ',"asks":['.length;
  const asks: LevelUpdate[] = [];
  if (!readLevels(text, asks)) return undefined;
  if (snapshot) return { type: 'snapshot', instrumentName, changeId, bids, asks, tsMs };
  return { type: 'change', instrumentName, prevChangeId: prevChangeId!, changeId, bids, asks, tsMs };
}

// ---------------------------------------------------------------------------------------------
// The fast path for ticker notifications (most of a chain's traffic), straight from the frame's text.

/** A number or null: what every numeric field of a ticker may hold. */
const NUMBER_OR_NULL = `(?:${NUMBER}|null)`;
/** The same, captured: a field the ticker reads. */
const READ = `(${NUMBER_OR_NULL})`;
const TICKER_PREFIX = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"ticker.';
/**
 * The compact shape the simulator sends a ticker notification in (core/sim/rpc/render.ts
 * renderTicker: the common fields, then an option's IVs and Greeks, or a perpetual's funding, or
 * nothing for a dated future), as BOOK_FRAME is for books: the frame's whole grammar (strict JSON
 * numbers or null in every numeric field, strings without escapes or control characters), fields
 * in that order, nothing unknown, nothing after. Frames in any other shape take the generic path.
 * The fields a ticker keeps are captured (TICKER_GROUP), so the match that validates the frame
 * also finds them.
 */
const TICKER_FRAME = new RegExp(
  `^${escapeRegExp(TICKER_PREFIX)}${PLAIN_STRING}","data":\\{"timestamp":(${NUMBER}),"state":"${PLAIN_STRING}",` +
    `"stats":\\{"volume":${NUMBER_OR_NULL},"price_change":${NUMBER_OR_NULL},"low":${NUMBER_OR_NULL},"high":${NUMBER_OR_NULL}\\},` +
    `"open_interest":${NUMBER_OR_NULL},"min_price":${NUMBER_OR_NULL},"max_price":${NUMBER_OR_NULL},"mark_price":${READ},"last_price":${READ},` +
    `"instrument_name":"(${PLAIN_STRING})","index_price":${NUMBER_OR_NULL},"estimated_delivery_price":${NUMBER_OR_NULL},` +
    `"best_bid_price":${NUMBER_OR_NULL},"best_bid_amount":${NUMBER_OR_NULL},"best_ask_price":${NUMBER_OR_NULL},"best_ask_amount":${NUMBER_OR_NULL}` +
    `(?:,"mark_iv":${READ},"bid_iv":${READ},"ask_iv":${READ},"interest_rate":${NUMBER_OR_NULL},"underlying_price":${READ},` +
    `"underlying_index":(?:"${PLAIN_STRING}"|null),"greeks":\\{"delta":${READ},"gamma":${READ},"vega":${READ},"theta":${READ},"rho":${NUMBER_OR_NULL}\\}` +
    `|,"current_funding":${NUMBER_OR_NULL},"funding_8h":${READ},"interest_value":${NUMBER_OR_NULL})?\\}\\}\\}$`,
);
/** TICKER_FRAME's capture groups, in order. */
const TICKER_GROUP = { timestamp: 1, markPrice: 2, lastPrice: 3, instrumentName: 4, markIv: 5, bidIv: 6, askIv: 7, underlyingPrice: 8, delta: 9, gamma: 10, vega: 11, theta: 12, funding8h: 13 } as const;

/** A captured number or null (undefined: an option's group in a perpetual's frame, or the reverse), as parseTicker's num(): null and non-finite (1e400) are undefined. */
function capturedNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.charCodeAt(0) === 110) return undefined;
  at = 0;
  const number = readNumber(value);
  return Number.isFinite(number) ? number : undefined;
}

/** A captured IV as parseTicker's percent(): a fraction, 0 (none) undefined. */
function capturedPercent(value: string | undefined): number | undefined {
  const number = capturedNumber(value);
  return number === undefined || number === 0 ? undefined : number / 100;
}

/**
 * The hot path for ticker frames: a `ticker.*` subscription notification read straight from its
 * text. It answers only for the simulator's compact shape (TICKER_FRAME), and returns undefined
 * for anything else, valid or not: the caller then parses the frame generically (JSON.parse, then
 * parseTicker). Whenever it returns a ticker, that ticker is the one parseTicker gives for the
 * frame's data (property-tested against it), in the same one object shape.
 *
 * Deribit's own ticker notifications carry these fields and more (settlement_price, stats'
 * volume_usd, delivery_price, combo fields), in an order it does not document: alphabetical in the
 * documentation's examples, other orders in frames captured from the live venue over the years.
 * They are read by the generic path, which takes any order.
 */
export function scanTickerFrame(text: string): TickerUpdate | undefined {
  const match = TICKER_FRAME.exec(text);
  if (match === null) return undefined;
  const tsMs = capturedNumber(match[TICKER_GROUP.timestamp]);
  if (tsMs === undefined) return undefined;
  return {
    // A copy, as for books: in a replay the frame is itself a slice of a megabyte of recording.
    instrumentName: ownName(match[TICKER_GROUP.instrumentName]!),
    tsMs,
    markPrice: capturedNumber(match[TICKER_GROUP.markPrice]),
    markIv: capturedPercent(match[TICKER_GROUP.markIv]),
    bidIv: capturedPercent(match[TICKER_GROUP.bidIv]),
    askIv: capturedPercent(match[TICKER_GROUP.askIv]),
    lastPrice: capturedNumber(match[TICKER_GROUP.lastPrice]),
    underlyingPrice: capturedNumber(match[TICKER_GROUP.underlyingPrice]),
    delta: capturedNumber(match[TICKER_GROUP.delta]),
    gamma: capturedNumber(match[TICKER_GROUP.gamma]),
    vegaUsd: capturedNumber(match[TICKER_GROUP.vega]),
    thetaUsd: capturedNumber(match[TICKER_GROUP.theta]),
    fundingRate8h: capturedNumber(match[TICKER_GROUP.funding8h]),
  };
}
