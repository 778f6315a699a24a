import type { Fill } from '../../model/trading.ts';
import { parseUserTrades } from './parse-account.ts';

/**
 * The fills a reconnect must not lose: our trades since the last one we saw, from
 * private/get_user_trades_by_currency, newest first and page by page back to that point.
 *
 * The point is a watermark: the newest trade time seen and the ids seen at that very time (a venue
 * stamps trades in milliseconds — the simulator in 100 ms ticks — so several trades share a time
 * and a bare timestamp would either repeat or skip some). Pages are asked for with
 * start_timestamp/end_timestamp as Deribit documents them, and the answers are filtered here too,
 * so a venue that ignores those parameters (the simulator does) gives the same result as long as
 * the missed trades fit in the pages it returns; when they may not, the recovery says so.
 */

export interface TradeWatermark {
  readonly tsMs: number;
  readonly tradeIds: ReadonlySet<string>;
}

/** Before any trade. */
export const ORIGIN: TradeWatermark = { tsMs: 0, tradeIds: new Set() };

export function isAfter(watermark: TradeWatermark, fill: Pick<Fill, 'tsMs' | 'tradeId'>): boolean {
  return fill.tsMs > watermark.tsMs || (fill.tsMs === watermark.tsMs && !watermark.tradeIds.has(fill.tradeId));
}

/** The watermark once `fill` has been seen (unchanged by a fill older than it). */
export function advance(watermark: TradeWatermark | undefined, fill: Pick<Fill, 'tsMs' | 'tradeId'>): TradeWatermark {
  if (!watermark || fill.tsMs > watermark.tsMs) return { tsMs: fill.tsMs, tradeIds: new Set([fill.tradeId]) };
  if (fill.tsMs < watermark.tsMs || watermark.tradeIds.has(fill.tradeId)) return watermark;
  return { tsMs: watermark.tsMs, tradeIds: new Set([...watermark.tradeIds, fill.tradeId]) };
}

/** The later of two watermarks; at the same time, every id either has seen. */
export function merge(a: TradeWatermark | undefined, b: TradeWatermark): TradeWatermark {
  if (!a || b.tsMs > a.tsMs) return b;
  if (a.tsMs > b.tsMs) return a;
  return { tsMs: a.tsMs, tradeIds: new Set([...a.tradeIds, ...b.tradeIds]) };
}

/** One call of private/get_user_trades_by_currency: its params, its result. */
export type FetchTrades = (params: Record<string, unknown>) => Promise<unknown>;

export interface Recovery {
  /** Oldest first, each once. */
  readonly fills: readonly Fill[];
  /** Why each refused trade was refused. */
  readonly refused: readonly string[];
  /** False when the venue may hold missed trades the pages did not reach. */
  readonly complete: boolean;
}

export interface RecoveryOptions {
  readonly pageSize?: number;
  readonly maxPages?: number;
}

function pageOf(result: unknown): { readonly trades: unknown; readonly hasMore: boolean } {
  if (typeof result !== 'object' || result === null) return { trades: undefined, hasMore: false };
  const page = result as { trades?: unknown; has_more?: unknown };
  return { trades: page.trades, hasMore: page.has_more === true };
}

/** Our trades in `currency` after `since`, oldest first. */
export async function recoverTrades(venueId: string, currency: string, since: TradeWatermark, fetch: FetchTrades, options: RecoveryOptions = {}): Promise<Recovery> {
  const pageSize = options.pageSize ?? 1000;
  const maxPages = options.maxPages ?? 20;
  const found = new Map<string, Fill>();
  const refused: string[] = [];
  let endMs: number | undefined;
  let complete = false;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetch({
      currency,
      kind: 'any',
      count: pageSize,
      sorting: 'desc',
      start_timestamp: since.tsMs,
      ...(endMs !== undefined && { end_timestamp: endMs }),
    });
    const { trades, hasMore } = pageOf(result);
    if (!Array.isArray(trades)) {
      refused.push('user trades page: no trades array');
      break;
    }
    const parsed = parseUserTrades(venueId, trades);
    refused.push(...parsed.refused);
    let added = 0;
    let oldestMs = Number.POSITIVE_INFINITY;
    for (const fill of parsed.fills) {
      oldestMs = Math.min(oldestMs, fill.tsMs);
      if (!isAfter(since, fill) || found.has(fill.tradeId)) continue;
      found.set(fill.tradeId, fill);
      added += 1;
    }
    // Done: nothing more, or the page reached back to the watermark.
    if (!hasMore || oldestMs < since.tsMs || (oldestMs === since.tsMs && parsed.fills.some((fill) => since.tradeIds.has(fill.tradeId)))) {
      complete = true;
      break;
    }
    // The venue repeats itself (it ignores the time bounds, or a millisecond holds more trades than a page): stop, incomplete.
    if (added === 0) break;
    endMs = oldestMs;
  }
  // Found newest first in the venue's own order (its trade sequence): reversed, oldest first; the
  // stable sort only guards against a venue whose pages are not in time order.
  const fills = [...found.values()].reverse().sort((a, b) => a.tsMs - b.tsMs);
  return { fills, refused, complete };
}

/**
 * Where a first connection starts counting (when nothing says since when to recover): after the
 * newest trade the venue already holds, which the positions it reports include.
 */
export async function newestWatermark(venueId: string, currency: string, fetch: FetchTrades): Promise<{ readonly watermark: TradeWatermark; readonly refused: readonly string[] }> {
  const { trades } = pageOf(await fetch({ currency, kind: 'any', count: 100, sorting: 'desc' }));
  const parsed = parseUserTrades(venueId, trades);
  let watermark = ORIGIN;
  for (const fill of parsed.fills) watermark = advance(watermark, fill);
  return { watermark, refused: parsed.refused };
}
