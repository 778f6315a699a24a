import { z } from 'zod';
import type { LevelUpdate } from '../../marketdata/l2-book.ts';
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
  const percent = (value: unknown): number | undefined => {
    const n = num(value);
    return n === undefined || n === 0 ? undefined : n / 100;
  };
  const ticker: { -readonly [K in keyof TickerUpdate]: TickerUpdate[K] } = { instrumentName, tsMs };
  const set = <K extends keyof TickerUpdate>(key: K, value: TickerUpdate[K] | undefined): void => {
    if (value !== undefined) ticker[key] = value;
  };
  set('markPrice', num(d.mark_price));
  set('markIv', percent(d.mark_iv));
  set('bidIv', percent(d.bid_iv));
  set('askIv', percent(d.ask_iv));
  set('lastPrice', num(d.last_price));
  set('underlyingPrice', num(d.underlying_price));
  set('delta', num(greeks.delta));
  set('gamma', num(greeks.gamma));
  set('vegaUsd', num(greeks.vega));
  set('thetaUsd', num(greeks.theta));
  set('fundingRate8h', num(d.funding_8h));
  return ticker;
}

/** A `deribit_price_index.{index}` notification. */
export function parseIndex(data: unknown): { indexName: string; price: number; tsMs: number } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { index_name?: unknown; price?: unknown; timestamp?: unknown };
  if (typeof d.index_name !== 'string' || typeof d.price !== 'number' || typeof d.timestamp !== 'number') return undefined;
  return { indexName: d.index_name, price: d.price, tsMs: d.timestamp };
}
