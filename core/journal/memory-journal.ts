import { JournalError } from './journal-error.ts';
import type { TaggedRecord } from './journal-line.ts';
import type { JournalEntry, ParseRecord } from './journal-reader.ts';
import type { JournalWriter } from './journal-writer.ts';

/**
 * A journal in memory for engine unit tests and backtests, which must never write to the trader's
 * journal. Given a `parse`, every record goes through JSON and the schema as on disk, so a test
 * sees exactly what a restart would replay and a record the file journal would refuse fails here too.
 */
export class MemoryJournal<T extends TaggedRecord> implements JournalWriter<T> {
  readonly #parse: ParseRecord<T> | undefined;
  #snapshot: JournalEntry<T> | undefined;
  #entries: JournalEntry<T>[] = [];
  #lastSeq = 0;
  #closed = false;

  constructor(options: { readonly parse?: ParseRecord<T> } = {}) {
    this.#parse = options.parse;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get recordsSinceSnapshot(): number {
    return this.#entries.length;
  }

  append(record: T): number {
    const entry = { seq: this.#lastSeq + 1, record: this.#roundTrip(record) };
    this.#entries.push(entry);
    this.#lastSeq = entry.seq;
    return entry.seq;
  }

  sync(): void {
    this.#assertOpen();
  }

  compact(snapshot: T): number {
    this.#snapshot = { seq: this.#lastSeq + 1, record: this.#roundTrip(snapshot) };
    this.#entries = [];
    this.#lastSeq = this.#snapshot.seq;
    return this.#lastSeq;
  }

  close(): void {
    this.#closed = true;
  }

  /** What openJournal would return after a restart now. */
  contents(): { readonly snapshot: JournalEntry<T> | undefined; readonly entries: readonly JournalEntry<T>[] } {
    return { snapshot: this.#snapshot, entries: [...this.#entries] };
  }

  #roundTrip(record: T): T {
    this.#assertOpen();
    if (!this.#parse) return record;
    const back = this.#parse(JSON.parse(JSON.stringify(record)));
    if (back instanceof Error) throw new JournalError('unserializable', 'memory', `a ${record.type} record would not read back: ${back.message}`, { cause: back });
    return back;
  }

  #assertOpen(): void {
    if (this.#closed) throw new JournalError('closed', 'memory', 'the journal is closed');
  }
}
