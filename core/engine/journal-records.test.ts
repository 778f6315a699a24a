import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/index.ts';
import type { Journal } from '../journal/index.ts';
import type { OrderRow } from '../protocol/index.ts';
import type { JournalRecord } from './journal-records.ts';
import { parseJournalRecord, restoreFrom } from './journal-records.ts';

/** Order records through a real journal file and back, as a restarted engine reads them. */

const dirs: string[] = [];
const journals: Journal<JournalRecord>[] = [];
afterEach(() => {
  for (const journal of journals.splice(0)) journal.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(path: string) {
  // 'explicit': these tests are about the record format, not durability (an fsync per append costs time).
  const opened = openJournal<JournalRecord>(path, { parse: parseJournalRecord, flushPolicy: 'explicit' });
  journals.push(opened.journal);
  return opened;
}

function journalPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-records-'));
  dirs.push(dir);
  return join(dir, 'engine.journal');
}

const ORDER: OrderRow = {
  clientOrderId: 'm.s1.1',
  venueOrderId: '123',
  venueId: 'deribit',
  instrumentName: 'BTC-27JUN25-100000-C',
  side: 'buy',
  price: 0.0125,
  amount: 0.5,
  filledAmount: 0.1,
  averagePrice: 0.0125,
  postOnly: true,
  reduceOnly: false,
  origin: 'strategy',
  state: 'partially-filled',
  createdTsMs: 1_750_000_000_000,
  updatedTsMs: 1_750_000_000_250,
};
const QUOTE: OrderRow = { ...ORDER, clientOrderId: 'q.s1.2', venueOrderId: '124', side: 'sell', price: 0.013, mmpGroup: 'mm_btc' };

describe('order records in the journal', () => {
  it('reads back a mass quote with its mmpGroup and an ordinary order without one, unchanged', () => {
    const path = journalPath();
    const { journal } = open(path);
    journal.append({ type: 'order', tsMs: 1, order: QUOTE });
    journal.append({ type: 'order', tsMs: 2, order: ORDER });
    journal.sync();
    journal.close();
    journals.splice(0);

    const reopened = open(path);
    expect(reopened.entries.map((entry) => entry.record)).toEqual([
      { type: 'order', tsMs: 1, order: QUOTE },
      { type: 'order', tsMs: 2, order: ORDER },
    ]);
    expect(restoreFrom(reopened.entries.map((entry) => entry.record)).orders).toEqual([QUOTE, ORDER]);
    const [ordinary] = restoreFrom([{ type: 'order', tsMs: 2, order: ORDER }]).orders;
    expect(ordinary).not.toHaveProperty('mmpGroup');
  });

  it('loads an order record written before mmpGroup was journaled, and refuses a malformed one by name', () => {
    // The JSON of an older journal's order record: no mmpGroup key at all.
    const old: unknown = JSON.parse(JSON.stringify({ type: 'order', tsMs: 3, order: ORDER }));
    expect(parseJournalRecord(old)).toEqual({ type: 'order', tsMs: 3, order: ORDER });
    const bad = parseJournalRecord({ type: 'order', tsMs: 4, order: { ...ORDER, mmpGroup: 7 } });
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toContain('order.mmpGroup');
  });
});
