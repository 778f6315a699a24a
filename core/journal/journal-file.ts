import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDirectory, writeDurableFile, writeFully } from './durable-fs.ts';
import { JournalError } from './journal-error.ts';
import type { EntryKind, TaggedRecord } from './journal-line.ts';
import { encodeLine } from './journal-line.ts';
import type { JournalContents, JournalEntry, ParseRecord, TornTail } from './journal-reader.ts';
import { readJournal } from './journal-reader.ts';
import type { JournalWriter } from './journal-writer.ts';

/**
 * The engine's append-only journal on disk. Format and reading rules: journal-line.ts and
 * journal-reader.ts; what the engine should record: README.md beside this file.
 *
 * Durability. `append` hands the whole line to the kernel in one write on an O_APPEND fd before it
 * returns, so once it returned a process crash (kill -9, an exception, a terminated worker) cannot
 * lose the record: the page cache outlives the process. A power cut or OS crash can, until the
 * data is fsynced: under 'every-append' `append` also fdatasyncs (0.35-0.65 ms on the
 * development VM, see measure-append.ts); under 'explicit' the caller calls `sync()`, e.g. once per engine tick
 * before it releases that tick's acknowledgements (group commit: one fsync for many records).
 *
 * Rotation. `compact(snapshot)` atomically replaces the file with a single snapshot line; the
 * snapshot's seq continues the sequence, so seqs never repeat. A reader starts its state from the
 * latest snapshot and applies only the records after it.
 */

export type FlushPolicy = 'every-append' | 'explicit';

export interface OpenJournalOptions<T> {
  /** The caller's record schema, applied to every record read back. */
  readonly parse: ParseRecord<T>;
  /** Default 'every-append': safe against power loss without the caller doing anything. */
  readonly flushPolicy?: FlushPolicy;
  /**
   * Default true: `append` passes each record's JSON through `parse` before writing it, so a
   * record the journal would refuse on reopen (a NaN that JSON turns into null, a field the schema
   * lacks) is refused at once instead of making the journal unopenable after a restart.
   */
  readonly verifyAppends?: boolean;
}

export interface OpenedJournal<T extends TaggedRecord> {
  readonly journal: Journal<T>;
  /** The latest snapshot: the engine's state starts here. */
  readonly snapshot: JournalEntry<T> | undefined;
  /** Records after the snapshot, to apply in order. */
  readonly entries: readonly JournalEntry<T>[];
  /** A torn end that was truncated while opening (the engine should log it); undefined when the file was clean. */
  readonly recovery: TornTail | undefined;
}

/** Where compaction writes the next file before renaming it over the journal; a leftover is a compaction that crashed. */
export function compactionTempPath(path: string): string {
  return `${path}.compacting`;
}

/**
 * Opens (creating if absent) the journal at `path`: reads and checks every record, truncates a torn
 * end, and returns what the engine replays plus the journal to append to. Throws a JournalError and
 * changes nothing when the damage is not a torn end.
 */
export function openJournal<T extends TaggedRecord>(path: string, options: OpenJournalOptions<T>): OpenedJournal<T> {
  // The journal itself is authoritative until a compaction's rename, so a leftover temp is junk.
  rmSync(compactionTempPath(path), { force: true });
  const existed = existsSync(path);
  const contents: JournalContents<T> = existed
    ? readJournal(path, options.parse)
    : { snapshot: undefined, entries: [], lastSeq: 0, intactBytes: 0, tornTail: undefined };
  if (contents.tornTail) truncateDurably(path, contents.intactBytes);
  const fd = openSync(path, 'a');
  try {
    if (!existed) fsyncDirectory(dirname(path));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const journal = new Journal<T>(path, fd, {
    parse: options.parse,
    flushPolicy: options.flushPolicy ?? 'every-append',
    verifyAppends: options.verifyAppends ?? true,
    lastSeq: contents.lastSeq,
    sizeBytes: contents.intactBytes,
    recordsSinceSnapshot: contents.entries.length,
  });
  return { journal, snapshot: contents.snapshot, entries: contents.entries, recovery: contents.tornTail };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Everything written through it is already in the kernel; nothing is lost by a failed close.
  }
}

function truncateDurably(path: string, lengthBytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, lengthBytes);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface JournalState<T> {
  readonly parse: ParseRecord<T>;
  readonly flushPolicy: FlushPolicy;
  readonly verifyAppends: boolean;
  readonly lastSeq: number;
  readonly sizeBytes: number;
  readonly recordsSinceSnapshot: number;
}

/** An open journal file. Made by `openJournal`, which first reads what is already there. */
export class Journal<T extends TaggedRecord> implements JournalWriter<T> {
  readonly path: string;
  readonly flushPolicy: FlushPolicy;
  readonly #parse: ParseRecord<T>;
  readonly #verifyAppends: boolean;
  #fd: number | undefined;
  #closed = false;
  #failure: JournalError | undefined;
  #lastSeq: number;
  #sizeBytes: number;
  #recordsSinceSnapshot: number;
  #unsynced = 0;

  /** @internal Use openJournal. */
  constructor(path: string, fd: number, state: JournalState<T>) {
    this.path = path;
    this.#fd = fd;
    this.flushPolicy = state.flushPolicy;
    this.#parse = state.parse;
    this.#verifyAppends = state.verifyAppends;
    this.#lastSeq = state.lastSeq;
    this.#sizeBytes = state.sizeBytes;
    this.#recordsSinceSnapshot = state.recordsSinceSnapshot;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get recordsSinceSnapshot(): number {
    return this.#recordsSinceSnapshot;
  }

  /** Length of the file: with recordsSinceSnapshot, what a compaction policy looks at. */
  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Records written but not yet fsynced: 0 means a power cut loses nothing. */
  get unsyncedRecords(): number {
    return this.#unsynced;
  }

  /**
   * Writes the record (and fdatasyncs it under 'every-append'); returns its seq. On a failed write
   * (a full disk) nothing of the record stays in the file and the fs error is thrown; the journal
   * stays usable. If that cleanup or the fsync fails, the journal refuses from then on.
   */
  append(record: T): number {
    const fd = this.#usableFd();
    const seq = this.#lastSeq + 1;
    const line = this.#encode(seq, 'record', record);
    try {
      writeFully(fd, line);
    } catch (error) {
      this.#cutPartialLine(fd, error);
      throw error;
    }
    this.#lastSeq = seq;
    this.#sizeBytes += line.length;
    this.#recordsSinceSnapshot += 1;
    this.#unsynced += 1;
    if (this.flushPolicy === 'every-append') this.sync();
    return seq;
  }

  sync(): void {
    const fd = this.#usableFd();
    if (this.#unsynced === 0) return;
    try {
      fdatasyncSync(fd);
    } catch (error) {
      // Linux may have dropped the dirty pages with the error; a retry could "succeed" over a hole.
      throw this.#fail('fdatasync failed, so the records written since the last sync may not be on disk', error);
    }
    this.#unsynced = 0;
  }

  compact(snapshot: T): number {
    const oldFd = this.#usableFd();
    const seq = this.#lastSeq + 1;
    const line = this.#encode(seq, 'snapshot', snapshot);
    const tempPath = compactionTempPath(this.path);
    try {
      writeDurableFile(tempPath, line);
    } catch (error) {
      rmSync(tempPath, { force: true });
      throw error;
    }
    // Closed before the rename: Windows will not replace a file that is still open.
    this.#fd = undefined;
    closeQuietly(oldFd);
    try {
      renameSync(tempPath, this.path);
    } catch (error) {
      rmSync(tempPath, { force: true });
      // The old file is still in place: carry on with it.
      this.#reopen('compaction failed and the journal could not be reopened', error);
      throw error;
    }
    this.#reopen('compaction renamed the new file into place but could not reopen it', undefined);
    try {
      fsyncDirectory(dirname(this.path));
    } catch (error) {
      throw this.#fail('compaction renamed the new file into place but could not make the rename durable', error);
    }
    this.#lastSeq = seq;
    this.#sizeBytes = line.length;
    this.#recordsSinceSnapshot = 0;
    this.#unsynced = 0;
    return seq;
  }

  /** Syncs what is pending (so a clean shutdown under 'explicit' is durable too) and closes. Idempotent. */
  close(): void {
    const fd = this.#fd;
    if (this.#closed) return;
    this.#closed = true;
    this.#fd = undefined;
    if (fd === undefined) return;
    try {
      if (!this.#failure && this.#unsynced > 0) fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  #reopen(failureMessage: string, cause: unknown): void {
    try {
      this.#fd = openSync(this.path, 'a');
    } catch (error) {
      throw this.#fail(failureMessage, cause ?? error);
    }
  }

  #usableFd(): number {
    if (this.#closed) throw new JournalError('closed', this.path, 'the journal is closed');
    if (this.#failure) throw this.#failure;
    if (this.#fd === undefined) throw new JournalError('failed', this.path, 'the journal has no open file');
    return this.#fd;
  }

  #encode(seq: number, kind: EntryKind, record: T): Buffer {
    let json: string | undefined;
    try {
      json = JSON.stringify(record);
    } catch (error) {
      throw new JournalError('unserializable', this.path, `a ${record.type} record cannot be written as JSON: ${(error as Error).message}`, { cause: error });
    }
    if (typeof json !== 'string') throw new JournalError('unserializable', this.path, 'the record is not a JSON value');
    if (this.#verifyAppends) {
      let back: T | Error;
      try {
        back = this.#parse(JSON.parse(json));
      } catch (error) {
        back = error instanceof Error ? error : new Error(String(error));
      }
      if (back instanceof Error) {
        throw new JournalError('unserializable', this.path, `a ${record.type} record would not read back, so it was not written: ${back.message}`, { cause: back });
      }
    }
    return encodeLine(seq, kind, json);
  }

  /** After a failed write: a partial line left in place would become damage in the middle once the next record lands. */
  #cutPartialLine(fd: number, cause: unknown): void {
    try {
      ftruncateSync(fd, this.#sizeBytes);
    } catch (truncateError) {
      throw this.#fail(`a write failed (${(cause as Error).message}) and its partial line could not be removed`, truncateError);
    }
  }

  #fail(message: string, cause: unknown): JournalError {
    this.#failure = new JournalError('failed', this.path, `${message}; the journal accepts no more records: ${(cause as Error).message}`, { cause });
    return this.#failure;
  }
}
