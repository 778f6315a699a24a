import { closeSync, openSync } from 'node:fs';
import { JournalError } from './journal-error.ts';
import type { TaggedRecord } from './journal-line.ts';
import { decodeLine, isIntact } from './journal-line.ts';
import { scanLines } from './line-scanner.ts';

export interface JournalEntry<T> {
  readonly seq: number;
  readonly record: T;
}

/** The caller's schema: a value read back from the journal becomes a record, or an Error saying why not. */
export type ParseRecord<T> = (value: unknown) => T | Error;

/** The damaged end of a file after a crash: everything after the last intact record. */
export interface TornTail {
  /** Where the intact part ends: the file is (or would be) truncated to this length. */
  readonly offsetBytes: number;
  readonly droppedBytes: number;
  /** Lines dropped, the unterminated last piece included. */
  readonly droppedLines: number;
  readonly firstLineNumber: number;
  readonly reason: string;
}

export interface JournalContents<T> {
  /** The latest snapshot; the state it describes includes every record before it. */
  readonly snapshot: JournalEntry<T> | undefined;
  /** Records after the latest snapshot (all records when there is none), in seq order. */
  readonly entries: readonly JournalEntry<T>[];
  /** Seq of the last intact entry, 0 for an empty journal. */
  readonly lastSeq: number;
  /** Length of the intact prefix of the file. */
  readonly intactBytes: number;
  readonly tornTail: TornTail | undefined;
}

interface Damage {
  readonly lineNumber: number;
  readonly offsetBytes: number;
  readonly reason: string;
  lines: number;
}

/**
 * Reads a journal without changing it. A damaged stretch at the very end (no intact line after it)
 * is what a crash mid-write leaves and is reported as `tornTail`; a damaged line with an intact one
 * after it, or an intact line that breaks the rules, throws a JournalError naming the line.
 *
 * Snapshots: state starts from the latest snapshot, which stands for every record before it; the
 * records before it are not returned. Seqs run on through a snapshot (snapshot = previous seq + 1).
 */
export function readJournal<T extends TaggedRecord>(path: string, parse: ParseRecord<T>): JournalContents<T> {
  const fd = openSync(path, 'r');
  try {
    return readOpenJournal(fd, path, parse);
  } finally {
    closeSync(fd);
  }
}

function readOpenJournal<T extends TaggedRecord>(fd: number, path: string, parse: ParseRecord<T>): JournalContents<T> {
  let snapshot: JournalEntry<T> | undefined;
  let entries: JournalEntry<T>[] = [];
  let lastSeq = 0;
  let intactBytes = 0;
  let endBytes = 0;
  let damage: Damage | undefined;

  for (const line of scanLines(fd)) {
    endBytes = line.offsetBytes + line.bytes.length + (line.terminated ? 1 : 0);
    if (damage) {
      if (isIntact(line.bytes)) {
        throw new JournalError(
          'corrupt-middle',
          path,
          `line ${damage.lineNumber} (byte ${damage.offsetBytes}) is damaged (${damage.reason}) but line ${line.lineNumber} after it is intact: ` +
            'this is corruption inside the journal, not a torn write at its end. The file was left untouched and nothing was dropped; ' +
            'restore it from a backup or repair that line by hand.',
          { lineNumber: damage.lineNumber },
        );
      }
      damage.lines += 1;
      continue;
    }
    const decoded = decodeLine(line.bytes);
    if (!line.terminated || decoded.status === 'damaged') {
      const reason = !line.terminated ? 'last line has no newline (write cut short)' : decoded.status === 'damaged' ? decoded.reason : '';
      damage = { lineNumber: line.lineNumber, offsetBytes: line.offsetBytes, reason, lines: 1 };
      continue;
    }
    if (decoded.status === 'invalid') {
      throw new JournalError('bad-envelope', path, `line ${line.lineNumber} has a valid CRC but is not a journal entry: ${decoded.reason}`, { lineNumber: line.lineNumber });
    }
    if (lastSeq === 0 ? decoded.seq !== 1 && decoded.kind !== 'snapshot' : decoded.seq !== lastSeq + 1) {
      const expected = lastSeq === 0 ? 'seq 1 or a snapshot (is the head of the file missing?)' : `seq ${lastSeq + 1}`;
      throw new JournalError('sequence', path, `line ${line.lineNumber} has seq ${decoded.seq}, expected ${expected}`, { lineNumber: line.lineNumber });
    }
    const record = parseAt(parse, decoded.value, path, line.lineNumber);
    const entry: JournalEntry<T> = { seq: decoded.seq, record };
    if (decoded.kind === 'snapshot') {
      snapshot = entry;
      entries = [];
    } else {
      entries.push(entry);
    }
    lastSeq = decoded.seq;
    intactBytes = endBytes;
  }

  const tornTail: TornTail | undefined = damage && {
    offsetBytes: intactBytes,
    droppedBytes: endBytes - intactBytes,
    droppedLines: damage.lines,
    firstLineNumber: damage.lineNumber,
    reason: damage.reason,
  };
  return { snapshot, entries, lastSeq, intactBytes, tornTail };
}

function parseAt<T>(parse: ParseRecord<T>, value: unknown, path: string, lineNumber: number): T {
  let parsed: T | Error;
  try {
    parsed = parse(value);
  } catch (error) {
    parsed = error instanceof Error ? error : new Error(String(error));
  }
  if (parsed instanceof Error) {
    throw new JournalError('bad-record', path, `line ${lineNumber}: record rejected by the schema: ${parsed.message}`, { lineNumber, cause: parsed });
  }
  return parsed;
}
