import type { ActivityRow } from '../../../core/protocol/index.ts';
import type { LogEntry, LogKind } from '../../stores/engine-view.ts';

/**
 * The event log merges two streams: what this window did and heard on the link (commands, their
 * answers, link and engine run-state changes: the store's `log`) and what the engine reports as
 * notable (the `activity` topic: breaches, kill switch, strategy changes, overrides, hedges, fills,
 * venue events). Both become one row shape, on the engine's clock, newest first.
 */

export type EventLevel = ActivityRow['level'];
export type EventCategory = LogKind | ActivityRow['category'];

export interface EventLogRow {
  /** Unique across both streams: `w<n>` for the window's entries, `e<id>` for the engine's. */
  readonly id: string;
  /** Engine clock (the window's entries are shifted by the measured clock offset). */
  readonly tsMs: number;
  readonly source: 'window' | 'engine';
  readonly category: EventCategory;
  readonly level: EventLevel;
  readonly text: string;
}

export type LevelFilter = 'all' | 'warn' | 'error';

const LEVEL_RANK: Readonly<Record<EventLevel, number>> = { info: 0, warn: 1, error: 2 };

/** How serious a window entry is when it does not say: a refusal is an error, the link and the engine's run state warn. */
export function levelOfKind(kind: LogKind): EventLevel {
  switch (kind) {
    case 'rejected':
      return 'error';
    case 'engine':
    case 'link':
      return 'warn';
    case 'command':
    case 'accepted':
      return 'info';
  }
}

export function windowRow(entry: LogEntry, clockOffsetMs: number): EventLogRow {
  return { id: `w${entry.id}`, tsMs: entry.tsMs + clockOffsetMs, source: 'window', category: entry.kind, level: entry.level ?? levelOfKind(entry.kind), text: entry.text };
}

export function engineRow(row: ActivityRow): EventLogRow {
  return { id: `e${row.id}`, tsMs: row.tsMs, source: 'engine', category: row.category, level: row.level, text: row.message };
}

export function passesLevel(level: EventLevel, filter: LevelFilter): boolean {
  return filter === 'all' || LEVEL_RANK[level] >= LEVEL_RANK[filter];
}

/**
 * Converts and merges the two streams, newest first (ties keep arrival order, later first). Keeps
 * each converted row while its source entry and the clock offset are unchanged, so the grid sees
 * the same objects for entries that did not change and re-renders only new ones.
 */
export class EventLogMerger {
  #offsetMs = 0;
  #window = new WeakMap<LogEntry, EventLogRow>();
  #engine = new WeakMap<ActivityRow, EventLogRow>();

  rows(log: readonly LogEntry[], activity: Readonly<Record<string, ActivityRow>> | undefined, clockOffsetMs: number, filter: LevelFilter = 'all'): readonly EventLogRow[] {
    if (clockOffsetMs !== this.#offsetMs) {
      this.#offsetMs = clockOffsetMs;
      this.#window = new WeakMap();
    }
    const merged: EventLogRow[] = [];
    for (const entry of log) {
      let row = this.#window.get(entry);
      if (!row) this.#window.set(entry, (row = windowRow(entry, clockOffsetMs)));
      if (passesLevel(row.level, filter)) merged.push(row);
    }
    for (const activityRow of Object.values(activity ?? {})) {
      let row = this.#engine.get(activityRow);
      if (!row) this.#engine.set(activityRow, (row = engineRow(activityRow)));
      if (passesLevel(row.level, filter)) merged.push(row);
    }
    // Stable ascending sort, then reversed: newest first, and among equal times the later arrival first.
    return merged.sort((a, b) => a.tsMs - b.tsMs).reverse();
  }
}
