import type { HistoryRow } from '../../../core/protocol/index.ts';

/**
 * The engine's per-second history samples as chart points, and how a new history differs from
 * the one drawn: only appended samples (drawn point by point), or anything else (drawn anew).
 * Pure; the chart code in history-charts.ts applies the answers.
 */

export type HistorySeriesKey = 'index' | 'perpetual' | 'pnlRealized' | 'pnlUnrealized' | 'pnlTotal' | 'delta' | 'vega';
export const HISTORY_SERIES_KEYS: readonly HistorySeriesKey[] = ['index', 'perpetual', 'pnlRealized', 'pnlUnrealized', 'pnlTotal', 'delta', 'vega'];

/** A chart point: time in whole seconds (lightweight-charts' UTCTimestamp), value in the series' unit. */
export interface HistoryPoint {
  readonly time: number;
  readonly value: number;
}

export type HistoryValues = Readonly<Record<HistorySeriesKey, number | undefined>>;
export type HistoryPoints = Readonly<Record<HistorySeriesKey, readonly HistoryPoint[]>>;

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

export function timeOf(tsMs: number): number {
  return Math.floor(tsMs / 1000);
}

/**
 * Samples oldest first, one per second: of several in the same second (or under the same time),
 * the latest. Samples without a usable time are left out.
 */
export function sortedHistory(history: Readonly<Record<string, HistoryRow>> | undefined): HistoryRow[] {
  if (!history) return [];
  const entries: { tsMs: number; row: HistoryRow }[] = [];
  for (const row of Object.values(history)) {
    if (Number.isFinite(row.tsMs)) entries.push({ tsMs: row.tsMs, row });
  }
  entries.sort((a, b) => a.tsMs - b.tsMs);
  const out: HistoryRow[] = [];
  let lastTime: number | undefined;
  for (const { tsMs, row } of entries) {
    const time = timeOf(tsMs);
    if (time === lastTime) out[out.length - 1] = row;
    else out.push(row);
    lastTime = time;
  }
  return out;
}

/** One sample's values for one underlying (undefined where the sample has none). */
export function historyValues(row: HistoryRow, currency: string): HistoryValues {
  const pnl = row.pnlUsd[currency];
  return {
    index: finite(row.indexUsd[currency]),
    perpetual: finite(row.perpetualUsd[currency]),
    pnlRealized: finite(pnl?.realized),
    pnlUnrealized: finite(pnl?.unrealized),
    pnlTotal: finite(pnl?.total),
    delta: finite(row.deltaCoin[currency]),
    vega: finite(row.vegaUsdPerVolPt[currency]),
  };
}

/**
 * Chart points of each series, from samples already in order (sortedHistory). Strictly ascending
 * times, as lightweight-charts requires: of equal times the latest sample wins.
 */
export function historyPoints(rows: readonly HistoryRow[], currency: string): HistoryPoints {
  const points = {} as Record<HistorySeriesKey, HistoryPoint[]>;
  for (const key of HISTORY_SERIES_KEYS) points[key] = [];
  for (const row of rows) {
    const time = timeOf(row.tsMs);
    const values = historyValues(row, currency);
    for (const key of HISTORY_SERIES_KEYS) {
      const value = values[key];
      if (value === undefined) continue;
      const series = points[key];
      const last = series[series.length - 1];
      if (last && last.time >= time) {
        if (last.time === time) series[series.length - 1] = { time, value };
        continue;
      }
      series.push({ time, value });
    }
  }
  return points;
}

/** Underlyings that appear in the samples, alphabetically. */
export function historyCurrencies(rows: readonly HistoryRow[], into: Set<string> = new Set()): string[] {
  for (const row of rows) {
    for (const field of [row.indexUsd, row.perpetualUsd, row.pnlUsd, row.deltaCoin, row.vegaUsdPerVolPt]) {
      for (const currency of Object.keys(field)) into.add(currency);
    }
  }
  return [...into].sort();
}

export type HistoryChange =
  /** Nothing to draw. */
  | { readonly kind: 'none' }
  /** New samples after the last drawn one only, oldest first: drawn point by point. */
  | { readonly kind: 'append'; readonly rows: readonly HistoryRow[] }
  /** Anything else (first draw, replaced history, an old sample changed, a gap opened): drawn anew. */
  | { readonly kind: 'reset' };

/**
 * How `next` differs from the `drawn` history, whose samples up to `drawnThroughTsMs` are on the
 * chart. Old samples pruned from the front (the engine keeps the last hour) need no redraw: the
 * chart simply keeps them a while longer.
 */
export function diffHistory(
  drawn: Readonly<Record<string, HistoryRow>> | undefined,
  next: Readonly<Record<string, HistoryRow>>,
  drawnThroughTsMs: number | undefined,
): HistoryChange {
  if (drawn === next) return { kind: 'none' };
  if (drawn === undefined || drawnThroughTsMs === undefined) return { kind: 'reset' };
  const appended: Record<string, HistoryRow> = {};
  let anyAppended = false;
  let minKeptTsMs = Number.POSITIVE_INFINITY;
  for (const [key, row] of Object.entries(next)) {
    if (drawn[key] === row) {
      minKeptTsMs = Math.min(minKeptTsMs, row.tsMs);
      continue;
    }
    // A changed or new sample at or before what is drawn cannot be appended to a chart.
    if (!(row.tsMs > drawnThroughTsMs)) return { kind: 'reset' };
    appended[key] = row;
    anyAppended = true;
  }
  let removed = 0;
  let kept = 0;
  for (const [key, row] of Object.entries(drawn)) {
    if (key in next) {
      kept++;
      continue;
    }
    removed++;
    // Removed: fine from the front (older than everything kept), not from the middle or the end.
    if (!(row.tsMs < minKeptTsMs)) return { kind: 'reset' };
  }
  // Everything drawn is gone: a new history, not a continuation.
  if (removed > 0 && kept === 0) return { kind: 'reset' };
  return anyAppended ? { kind: 'append', rows: sortedHistory(appended) } : { kind: 'none' };
}
