import fc from 'fast-check';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32Hex } from './crc32.ts';
import { parseTestRecord, recordFor, snapshotFor } from './fixtures/test-records.ts';
import type { TestRecord } from './fixtures/test-records.ts';
import { JournalError } from './journal-error.ts';
import type { FlushPolicy, Journal } from './journal-file.ts';
import { compactionTempPath, openJournal } from './journal-file.ts';
import { readJournal } from './journal-reader.ts';
import { MemoryJournal } from './memory-journal.ts';
import { replay } from './replay.ts';

let dir: string;
let path: string;
const open: Journal<TestRecord>[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
  path = join(dir, 'engine.journal');
});

afterEach(() => {
  for (const journal of open.splice(0)) journal.close();
  rmSync(dir, { recursive: true, force: true });
});

// 'explicit' by default: these tests are about format and recovery, and an fsync costs ~0.3 ms.
function reopen(flushPolicy: FlushPolicy = 'explicit', at = path) {
  const opened = openJournal(at, { parse: parseTestRecord, flushPolicy });
  open.push(opened.journal);
  return opened;
}

function writeRecords(count: number, at = path): Journal<TestRecord> {
  const { journal } = reopen('explicit', at);
  for (let seq = journal.lastSeq + 1; seq <= count; seq++) journal.append(recordFor(seq));
  journal.close();
  return journal;
}

/** Byte offsets where each line of the file starts, plus the file length. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

/** A line with a valid CRC around arbitrary JSON text: what a buggy or foreign writer would leave. */
function framed(json: string): string {
  return `${json}\t${crc32Hex(Buffer.from(json))}\n`;
}

function openError(): JournalError {
  try {
    reopen();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  throw new Error('expected openJournal to refuse the file');
}

describe('journal file', () => {
  it('creates a journal, appends, and reads every record back in seq order', () => {
    const { journal, entries, snapshot, recovery } = reopen('every-append');
    expect([entries, snapshot, recovery]).toEqual([[], undefined, undefined]);
    expect([1, 2, 3].map((seq) => journal.append(recordFor(seq)))).toEqual([1, 2, 3]);
    expect(journal.unsyncedRecords).toBe(0);
    expect(journal.sizeBytes).toBe(statSync(path).size);
    journal.close();

    const again = reopen();
    expect(again.entries).toEqual([1, 2, 3].map((seq) => ({ seq, record: recordFor(seq) })));
    expect(again.recovery).toBeUndefined();
    expect(again.journal.lastSeq).toBe(3);
  });

  it('writes one `<json>\\t<crc32 of the json>` line per record, readable without this code', () => {
    writeRecords(4);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    lines.forEach((line, index) => {
      const [json, hex] = line.split('\t');
      expect(hex).toBe(zlibCrc32(json!).toString(16).padStart(8, '0'));
      expect(JSON.parse(json!)).toEqual({ seq: index + 1, record: recordFor(index + 1) });
    });
  });

  it('continues the seq after a reopen', () => {
    writeRecords(5);
    const { journal } = reopen();
    expect(journal.append(recordFor(6))).toBe(6);
    journal.close();
    expect(reopen().entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('counts unsynced records under the explicit policy until sync', () => {
    const { journal } = reopen('explicit');
    journal.append(recordFor(1));
    journal.append(recordFor(2));
    expect(journal.unsyncedRecords).toBe(2);
    journal.sync();
    expect(journal.unsyncedRecords).toBe(0);
    journal.sync();
  });

  it('refuses use after close, and close twice is harmless', () => {
    const { journal } = reopen();
    journal.append(recordFor(1));
    journal.close();
    journal.close();
    expect(() => journal.append(recordFor(2))).toThrow(expect.objectContaining({ code: 'closed' }));
    expect(() => journal.sync()).toThrow(expect.objectContaining({ code: 'closed' }));
  });

  it('refuses a record that would not read back and writes nothing of it', () => {
    const { journal } = reopen();
    journal.append(recordFor(1));
    const sizeBefore = statSync(path).size;
    // NaN becomes null in JSON: accepted, the journal would refuse to open after the restart.
    expect(() => journal.append({ type: 'OrderFilled', tradeId: 't', amount: 1, priceBtc: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'unserializable', message: expect.stringContaining('OrderFilled record would not read back') }),
    );
    expect(() => journal.append({ type: 'OrderFilled', tradeId: 't', amount: 1, priceBtc: 10n } as unknown as TestRecord)).toThrow(
      expect.objectContaining({ code: 'unserializable' }),
    );
    expect(statSync(path).size).toBe(sizeBefore);
    expect(journal.append(recordFor(2))).toBe(2);
  });
});

describe('recovery after a crash', () => {
  it('truncates a partial last line and reports what it dropped', () => {
    writeRecords(5);
    const intact = statSync(path).size;
    const sixth = `{"seq":6,"record":${JSON.stringify(recordFor(6))}}\t`;
    appendFileSync(path, sixth.slice(0, 25));

    const { journal, entries, recovery } = reopen();
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(recovery).toEqual({ offsetBytes: intact, droppedBytes: 25, droppedLines: 1, firstLineNumber: 6, reason: expect.stringContaining('no newline') });
    expect(statSync(path).size).toBe(intact);
    expect(journal.append(recordFor(6))).toBe(6);
    journal.close();
    expect(reopen().recovery).toBeUndefined();
  });

  it('drops a whole last line that fails its CRC, and garbage after it, as one torn tail', () => {
    writeRecords(4);
    const bytes = readFileSync(path);
    const starts = lineStarts(bytes);
    bytes[starts[3]! + 10] = bytes[starts[3]! + 10]! ^ 0x20;
    writeFileSync(path, Buffer.concat([bytes, Buffer.alloc(300)]));

    const { entries, recovery } = reopen();
    expect(entries).toHaveLength(3);
    expect(recovery).toMatchObject({ offsetBytes: starts[3], droppedBytes: bytes.length - starts[3]! + 300, droppedLines: 2, firstLineNumber: 4 });
    expect(recovery?.reason).toMatch(/CRC mismatch/);
  });

  it('reads the same thing without truncating when asked only to read', () => {
    writeRecords(3);
    appendFileSync(path, '{"seq":4,"rec');
    const size = statSync(path).size;
    expect(readJournal(path, parseTestRecord)).toMatchObject({ lastSeq: 3, tornTail: { droppedBytes: 13 } });
    expect(statSync(path).size).toBe(size);
  });

  it('refuses a CRC mismatch in the middle, names the line, and leaves the file untouched', () => {
    writeRecords(6);
    const bytes = readFileSync(path);
    const at = lineStarts(bytes)[2]! + 20;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path, bytes);

    const error = openError();
    expect(error).toMatchObject({ code: 'corrupt-middle', lineNumber: 3, path });
    expect(error.message).toMatch(/line 3 \(byte \d+\) is damaged \(CRC mismatch .*\) but line 4 after it is intact/);
    expect(error.message).toContain('left untouched and nothing was dropped');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a line lost in the middle (a newline turned into another byte)', () => {
    writeRecords(5);
    const bytes = readFileSync(path);
    bytes[lineStarts(bytes)[2]! - 1] = 0x20;
    writeFileSync(path, bytes);
    expect(openError()).toMatchObject({ code: 'corrupt-middle', lineNumber: 2 });
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('reports a record the schema rejects with its line number', () => {
    writeRecords(2);
    appendFileSync(path, framed('{"seq":3,"record":{"type":"OrderFilled","tradeId":"t-3","amount":"three","priceBtc":0}}'));
    appendFileSync(path, framed(`{"seq":4,"record":${JSON.stringify(recordFor(4))}}`));
    const error = openError();
    expect(error).toMatchObject({ code: 'bad-record', lineNumber: 3 });
    expect(error.message).toMatch(/line 3: record rejected by the schema: .*amount/s);
  });

  it('refuses an intact line that is not a journal entry', () => {
    writeRecords(1);
    appendFileSync(path, framed('{"seq":2,"type":"OrderFilled"}'));
    expect(openError()).toMatchObject({ code: 'bad-envelope', lineNumber: 2, message: expect.stringContaining('exactly one of record, snapshot') });
  });

  it('refuses a gap in the seqs and a missing head', () => {
    writeRecords(2);
    appendFileSync(path, framed(`{"seq":4,"record":${JSON.stringify(recordFor(4))}}`));
    expect(openError()).toMatchObject({ code: 'sequence', lineNumber: 3, message: expect.stringContaining('has seq 4, expected seq 3') });

    writeFileSync(path, framed(`{"seq":7,"record":${JSON.stringify(recordFor(7))}}`));
    expect(openError()).toMatchObject({ code: 'sequence', lineNumber: 1, message: expect.stringContaining('head of the file missing') });
  });

  it('reads lines that span read chunks, and a snapshot larger than a chunk', () => {
    const { journal } = reopen();
    const big: TestRecord = { type: 'Snapshot', throughSeq: 0, note: 'é'.repeat(1_500_000) };
    journal.compact(big);
    for (let seq = 2; seq <= 12_000; seq++) journal.append(recordFor(seq));
    journal.close();
    expect(statSync(path).size).toBeGreaterThan(4 << 20);
    const again = reopen();
    expect(again.snapshot).toEqual({ seq: 1, record: big });
    expect(again.entries).toHaveLength(11_999);
    expect(again.entries.every((entry, index) => entry.seq === index + 2 && entry.record.type === recordFor(entry.seq).type)).toBe(true);
    expect(again.entries[11_998]).toEqual({ seq: 12_000, record: recordFor(12_000) });
  });
});

describe('compaction', () => {
  it('replaces the file with one snapshot line; seqs carry on and a reader starts from the snapshot', () => {
    const { journal } = reopen();
    for (let seq = 1; seq <= 10; seq++) journal.append(recordFor(seq));
    expect(journal.compact(snapshotFor(11))).toBe(11);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2);
    expect(journal.recordsSinceSnapshot).toBe(0);
    expect(journal.append(recordFor(12))).toBe(12);
    expect(journal.append(recordFor(13))).toBe(13);
    expect(journal.sizeBytes).toBe(statSync(path).size);
    journal.close();

    const again = reopen();
    expect(again.snapshot).toEqual({ seq: 11, record: snapshotFor(11) });
    expect(again.entries).toEqual([12, 13].map((seq) => ({ seq, record: recordFor(seq) })));
    expect(again.journal.recordsSinceSnapshot).toBe(2);
    expect(existsSync(compactionTempPath(path))).toBe(false);

    const throughSeqs = replay(again, {
      initial: () => [] as number[],
      fromSnapshot: (snapshot) => [snapshot.type === 'Snapshot' ? snapshot.throughSeq : -1],
      apply: (state, _record, seq) => [...state, seq],
    });
    expect(throughSeqs).toEqual([10, 12, 13]);
  });

  it('compacts twice and keeps only the latest snapshot', () => {
    const { journal } = reopen();
    journal.append(recordFor(1));
    journal.compact(snapshotFor(2));
    journal.append(recordFor(3));
    journal.compact(snapshotFor(4));
    journal.close();
    expect(reopen()).toMatchObject({ snapshot: { seq: 4 }, entries: [] });
  });

  it('takes a snapshot written inside the file as the new starting point', () => {
    writeRecords(2);
    appendFileSync(path, framed(`{"seq":3,"snapshot":${JSON.stringify(snapshotFor(3))}}`));
    appendFileSync(path, framed(`{"seq":4,"record":${JSON.stringify(recordFor(4))}}`));
    expect(reopen()).toMatchObject({ snapshot: { seq: 3 }, entries: [{ seq: 4 }] });
  });

  it('ignores and removes a temp file left by a compaction that crashed before its rename', () => {
    writeRecords(3);
    writeFileSync(compactionTempPath(path), '{"seq":4,"snaps');
    const { entries } = reopen();
    expect(entries).toHaveLength(3);
    expect(existsSync(compactionTempPath(path))).toBe(false);
  });

  it('leaves the journal as it was when the snapshot cannot be written', () => {
    const { journal } = reopen();
    journal.append(recordFor(1));
    expect(() => journal.compact({ type: 'Snapshot', throughSeq: 1.5, note: '' })).toThrow(expect.objectContaining({ code: 'unserializable' }));
    expect(journal.append(recordFor(2))).toBe(2);
    journal.close();
    expect(reopen().entries).toHaveLength(2);
  });
});

describe('MemoryJournal', () => {
  it('replays what the file journal would, and refuses what it would refuse', () => {
    const memory = new MemoryJournal<TestRecord>({ parse: parseTestRecord });
    memory.append(recordFor(1));
    memory.compact(snapshotFor(2));
    memory.append(recordFor(3));
    expect(memory.contents()).toEqual({ snapshot: { seq: 2, record: snapshotFor(2) }, entries: [{ seq: 3, record: recordFor(3) }] });
    expect(() => memory.append({ type: 'OverrideSet', instrumentName: 'x', volAnnual: Number.POSITIVE_INFINITY, note: '' })).toThrow(expect.objectContaining({ code: 'unserializable' }));
    expect(memory.lastSeq).toBe(3);
  });
});

describe('properties', () => {
  const records = fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('OrderFilled' as const), tradeId: fc.string({ unit: 'binary' }), amount: fc.integer(), priceBtc: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0) }),
      fc.record({ type: fc.constant('OverrideSet' as const), instrumentName: fc.string(), volAnnual: fc.integer({ min: 0, max: 500 }).map((x) => x / 100), note: fc.string({ unit: 'grapheme' }) }),
    ),
    { maxLength: 25 },
  );

  it('any appends followed by any truncation reopen to exactly the records whose lines survived whole', () => {
    let run = 0;
    fc.assert(
      fc.property(records, fc.double({ min: 0, max: 1, noNaN: true }), (appended, cutFraction) => {
        const file = join(dir, `p${run++}.journal`);
        writeAll(file, appended);
        const bytes = readFileSync(file);
        const cut = Math.floor(bytes.length * cutFraction);
        writeFileSync(file, bytes.subarray(0, cut));

        const opened = reopen('explicit', file);
        const whole = lineStarts(bytes).slice(1).filter((end) => end <= cut).length;
        expect(opened.entries).toEqual(appended.slice(0, whole).map((record, index) => ({ seq: index + 1, record })));
        expect(opened.recovery === undefined).toBe(lineStarts(bytes).includes(cut));
        expect(statSync(file).size).toBe(whole === 0 ? 0 : lineStarts(bytes)[whole]);
        opened.journal.close();
      }),
      { numRuns: 150 },
    );
  });

  it('any one damaged byte is refused, or dropped with the torn tail: never read back as a different record', () => {
    let run = 0;
    fc.assert(
      fc.property(records.filter((list) => list.length > 0), fc.nat(), fc.integer({ min: 1, max: 255 }), (appended, where, xor) => {
        const file = join(dir, `c${run++}.journal`);
        writeAll(file, appended);
        const bytes = readFileSync(file);
        const at = where % bytes.length;
        bytes[at] = bytes[at]! ^ xor;
        writeFileSync(file, bytes);
        const lastLineStart = lineStarts(bytes).at(-2)!;

        let opened;
        try {
          opened = reopen('explicit', file);
        } catch (error) {
          expect(error).toMatchObject({ code: 'corrupt-middle' });
          expect(at).toBeLessThan(lastLineStart);
          expect(readFileSync(file).equals(bytes)).toBe(true);
          return;
        }
        expect(opened.recovery).toBeDefined();
        expect(opened.entries).toEqual(appended.slice(0, opened.entries.length).map((record, index) => ({ seq: index + 1, record })));
        expect(opened.entries.length).toBeLessThan(appended.length);
        opened.journal.close();
      }),
      { numRuns: 150 },
    );
  });

  function writeAll(file: string, list: readonly TestRecord[]): void {
    const { journal } = reopen('explicit', file);
    list.forEach((record) => journal.append(record));
    journal.close();
  }
});
