import type { TaggedRecord } from './journal-line.ts';

/**
 * What the engine writes to: the file journal in production, a MemoryJournal in unit tests and
 * backtests. The contract the engine relies on: once `append` returned, a process kill cannot lose
 * the record; once `sync` returned (or `append` under 'every-append'), neither can a power cut. So
 * the engine answers a command, or tells a venue anything, only after the record is durable.
 */
export interface JournalWriter<T extends TaggedRecord> {
  /** Seq of the last record or snapshot written, 0 when there is none. */
  readonly lastSeq: number;
  /** Records appended since the latest snapshot (or since the start): drives when to compact. */
  readonly recordsSinceSnapshot: number;
  /** Writes the record and returns its seq. */
  append(record: T): number;
  /** Makes everything appended so far survive a power cut; free when nothing is pending. */
  sync(): void;
  /** Replaces everything so far with one snapshot record (the state after all of it); returns its seq. */
  compact(snapshot: T): number;
  close(): void;
}
