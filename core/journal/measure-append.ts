import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTestRecord, recordFor, snapshotFor } from './fixtures/test-records.ts';
import type { TestRecord } from './fixtures/test-records.ts';
import type { OpenJournalOptions } from './journal-file.ts';
import { openJournal } from './journal-file.ts';

/**
 * What a journal append costs on this machine, with and without fsync: the figures behind the
 * choice of flush policy. Same shape as bench/types.ts BenchResult, so bench/run.ts can list it.
 * Run alone: `npx tsx core/journal/measure-append.ts [directory]` (default: the OS temp dir, which
 * should sit on the disk the journal will use).
 */
export interface JournalFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function nowUs(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

/** Median over `batches` of the mean time per record appending `perBatch` records, syncing every `syncEvery` (0: never). */
function appendCostUs(dir: string, options: Omit<OpenJournalOptions<TestRecord>, 'parse'>, perBatch: number, batches: number, syncEvery = 0): number {
  const samples: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const path = join(dir, `append-${batch}.journal`);
    const { journal } = openJournal(path, { parse: parseTestRecord, ...options });
    const start = nowUs();
    for (let i = 1; i <= perBatch; i++) {
      journal.append(recordFor(journal.lastSeq + 1));
      if (syncEvery > 0 && i % syncEvery === 0) journal.sync();
    }
    samples.push((nowUs() - start) / perBatch);
    journal.close();
    rmSync(path);
  }
  return median(samples);
}

export function measureJournal(dir: string): readonly JournalFigure[] {
  const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
  appendCostUs(dir, { flushPolicy: 'explicit' }, 20_000, 2); // warm-up: JIT, schema, page cache
  const plain = appendCostUs(dir, { flushPolicy: 'explicit', verifyAppends: false }, 20_000, 5);
  const verified = appendCostUs(dir, { flushPolicy: 'explicit' }, 20_000, 5);
  const fsynced = appendCostUs(dir, { flushPolicy: 'every-append' }, 400, 5);
  const grouped = appendCostUs(dir, { flushPolicy: 'explicit' }, 3_200, 5, 32);

  const path = join(dir, 'replay.journal');
  const { journal } = openJournal(path, { parse: parseTestRecord, flushPolicy: 'explicit' });
  for (let seq = 1; seq <= 100_000; seq++) journal.append(recordFor(seq));
  const compactStart = nowUs();
  journal.compact(snapshotFor(100_001));
  const compactMs = (nowUs() - compactStart) / 1000;
  for (let seq = 100_002; seq <= 200_000; seq++) journal.append(recordFor(seq));
  journal.close();
  const openStart = nowUs();
  const reopened = openJournal(path, { parse: parseTestRecord });
  const openS = (nowUs() - openStart) / 1e6;
  reopened.journal.close();

  return [
    { name: 'journal_append_us', value: round(plain), unit: 'µs', note: 'one ~150-byte record, write(2) on O_APPEND, no fsync, no verify: what a kill -9 needs' },
    { name: 'journal_append_verified_us', value: round(verified), unit: 'µs', note: 'as above plus the read-back check through the zod schema (verifyAppends, the default)' },
    { name: 'journal_append_fsync_us', value: round(fsynced, 0), unit: 'µs', note: "flushPolicy 'every-append': write + fdatasync per record" },
    { name: 'journal_group_commit_us_per_record', value: round(grouped), unit: 'µs', note: 'explicit policy, one sync() per 32 records (one engine tick)' },
    { name: 'journal_compact_ms', value: round(compactMs), unit: 'ms', note: 'small snapshot: temp write + fdatasync + rename + directory fsync' },
    { name: 'journal_open_records_per_s', value: Math.round(99_999 / openS), unit: 'records/s', note: 'openJournal of a snapshot + 99,999 records, CRC + JSON + zod per record' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'journal-measure-'));
  try {
    for (const figure of measureJournal(dir)) console.log(`${figure.name.padEnd(36)} ${String(figure.value).padStart(10)} ${figure.unit.padEnd(10)} ${figure.note ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
