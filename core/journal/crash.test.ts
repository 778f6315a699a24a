import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTestRecord, recordFor, snapshotFor } from './fixtures/test-records.ts';
import type { FlushPolicy } from './journal-file.ts';
import { openJournal } from './journal-file.ts';

/**
 * kill -9 in the middle of trading: a child appends as fast as it can and prints each seq after
 * `append` returned; the parent SIGKILLs it after some hundreds of acknowledgements, reopens the
 * journal and checks that every acknowledged record is there, intact, with contiguous seqs. The
 * same file goes through several lives, so each child also proves a reopen after a kill carries on.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
/** Bounds a child nobody kills; the pipe (synchronous on Linux) keeps it within ~10k records of the parent anyway. */
const MAX_RECORDS_PER_LIFE = 100_000;
/** Bounds the wait for a child's acknowledgements (tsx start-up on a loaded two-core machine included). */
const LIFE_TIMEOUT_MS = 15_000;

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-crash-'));
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Life {
  /** lastSeq the child found when it opened the journal. */
  readonly openedAtSeq: number;
  readonly droppedBytes: number;
  /** Seqs of records whose append returned before the kill. */
  readonly acked: readonly number[];
  /** Seqs of snapshots whose compact returned before the kill. */
  readonly snapshots: readonly number[];
}

/** Runs one child life: waits for `killAfterAcks` acknowledgements, SIGKILLs it, and collects every ack it printed. */
function liveAndDie(path: string, policy: FlushPolicy, compactEvery: number, killAfterAcks: number): Promise<Life> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, policy, String(compactEvery), String(MAX_RECORDS_PER_LIFE)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise<Life>((resolve, reject) => {
    let openedAtSeq = -1;
    let droppedBytes = 0;
    const acked: number[] = [];
    const snapshots: number[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child gave ${acked.length} acks in ${LIFE_TIMEOUT_MS} ms, wanted ${killAfterAcks}:\n${stderr}`));
    }, LIFE_TIMEOUT_MS);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      // A line cut off by the kill was never printed in full: not an acknowledgement.
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('open ')) [openedAtSeq, droppedBytes] = line.slice(5).split(' ').map(Number) as [number, number];
        else if (line.startsWith('snap ')) snapshots.push(Number(line.slice(5)));
        else if (line === 'done') reject(new Error('child ran out of records before it was killed'));
        else acked.push(Number(line));
      }
      if (!killed && acked.length >= killAfterAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    // 'close' waits for stdout to drain: acknowledgements already in the pipe count too.
    child.once('close', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed (${signal ?? 'no signal'}):\n${stderr}`));
      else resolve({ openedAtSeq, droppedBytes, acked, snapshots });
    });
  });
}

/** Reopens the journal as the engine would after the crash and checks it against what the dead child acknowledged. */
function checkAfterKill(path: string, life: Life): number {
  const { journal, snapshot, entries } = openJournal(path, { parse: parseTestRecord, flushPolicy: 'explicit' });
  journal.close();
  const firstSeq = snapshot ? snapshot.seq + 1 : 1;
  if (snapshot) expect(snapshot.record).toEqual(snapshotFor(snapshot.seq));
  expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: entries.length }, (_, index) => firstSeq + index));
  for (const entry of entries) expect(entry.record).toEqual(recordFor(entry.seq));

  const present = new Set(entries.map((entry) => entry.seq));
  const lost = life.acked.filter((seq) => seq >= firstSeq && !present.has(seq));
  expect(lost).toEqual([]);
  expect(Math.max(...life.acked)).toBeLessThanOrEqual(journal.lastSeq);
  // An acknowledged compaction is never undone.
  if (life.snapshots.length > 0) expect(snapshot?.seq).toBeGreaterThanOrEqual(Math.max(...life.snapshots));
  // Acked seqs are those of one contiguous run: nothing skipped between two acknowledgements.
  expect(life.acked.every((seq, index) => index === 0 || seq > life.acked[index - 1]!)).toBe(true);
  return journal.lastSeq;
}

describe('journal under kill -9', () => {
  it('loses no acknowledged record across several kills at different points', async () => {
    const path = join(dir, 'engine.journal');
    let lastSeq = 0;
    const lives: readonly [FlushPolicy, number][] = [
      ['explicit', 300],
      ['every-append', 150],
      ['explicit', 900],
      ['explicit', 450],
    ];
    for (const [policy, killAfter] of lives) {
      const life = await liveAndDie(path, policy, 0, killAfter);
      expect(life.openedAtSeq).toBe(lastSeq);
      expect(life.acked[0]).toBe(lastSeq + 1);
      expect(life.acked.length).toBeGreaterThanOrEqual(killAfter);
      lastSeq = checkAfterKill(path, life);
    }
  }, 90_000);

  it('loses no acknowledged record or snapshot when kills land among compactions', async () => {
    const path = join(dir, 'engine.journal');
    let lastSeq = 0;
    for (const killAfter of [400, 250, 700]) {
      const life = await liveAndDie(path, 'explicit', 37, killAfter);
      expect(life.openedAtSeq).toBe(lastSeq);
      expect(life.snapshots.length).toBeGreaterThan(0);
      lastSeq = checkAfterKill(path, life);
    }
  }, 90_000);
});
