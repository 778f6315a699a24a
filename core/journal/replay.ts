import type { TaggedRecord } from './journal-line.ts';
import type { JournalEntry, ParseRecord } from './journal-reader.ts';

/**
 * Helpers for the kernel's side of the journal: turning its schema into a `parse`, and folding what
 * was read back into state. The record union itself is the kernel's; nothing here names a type.
 */

/** The part of a zod (or similar) schema this needs, so the journal does not depend on zod. */
export interface SafeParser<T> {
  safeParse(value: unknown): { readonly success: true; readonly data: T } | { readonly success: false; readonly error: { readonly message: string } };
}

/** A `parse` for openJournal from a schema: `parseWith(JournalRecordSchema)`. */
export function parseWith<T>(schema: SafeParser<T>): ParseRecord<T> {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : new Error(result.error.message);
  };
}

export interface Replayer<T, S> {
  /** The state of a journal with no snapshot (a first start). */
  readonly initial: () => S;
  /** The state a snapshot record describes. */
  readonly fromSnapshot: (snapshot: T) => S;
  readonly apply: (state: S, record: T, seq: number) => S;
}

/** Rebuilds state: from the latest snapshot (or the initial state), then every record after it in seq order. */
export function replay<T extends TaggedRecord, S>(
  read: { readonly snapshot: JournalEntry<T> | undefined; readonly entries: readonly JournalEntry<T>[] },
  replayer: Replayer<T, S>,
): S {
  let state = read.snapshot ? replayer.fromSnapshot(read.snapshot.record) : replayer.initial();
  for (const entry of read.entries) state = replayer.apply(state, entry.record, entry.seq);
  return state;
}
