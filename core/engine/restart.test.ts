import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/index.ts';
import { DEFAULT_CREDENTIALS, MARKET_MAKER_CREDITS } from '../sim/defaults.ts';
import { scaledClock, SimVenue } from '../sim/venue.ts';
import { LIGHT_SCHEDULE, simulatorAdapter } from '../../test/support/engine-on-simulator.ts';
import { createEngine } from './engine.ts';
import type { JournalRecord } from './journal-records.ts';
import { parseJournalRecord, restoreFrom } from './journal-records.ts';
import { linkVenue } from './venue-link.ts';

/**
 * kill -9 in the middle of trading: an engine process quoting the simulator is killed after it
 * has journaled fills and an override; a new engine started from the journal has every fill and
 * the override back, and after reconciling with the venue its positions equal the venue's with
 * nothing adopted blind.
 */
const CHILD = fileURLToPath(new URL('../../test/fixtures/journaled-engine.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function untilOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} from the engine process in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        const match = pattern.exec(line);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(match);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

describe('restart after kill -9', { timeout: 120_000 }, () => {
  it('loses no fill and no override, and reconciles to the venue’s positions', async () => {
    const venue = new SimVenue({ seed: 5, clock: scaledClock(Date.now(), 1, () => Date.now()), currencies: ['BTC'], schedule: LIGHT_SCHEDULE, credits: MARKET_MAKER_CREDITS });
    const port = await venue.listen(0);
    venue.run(10);
    cleanups.push(() => venue.close());
    const dir = mkdtempSync(join(tmpdir(), 'restart-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const journalPath = join(dir, 'engine.journal');

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(port), journalPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const [, overrideId] = await untilOutput(child, /^override (\S+)$/, 60_000);
    await untilOutput(child, /^fills ([3-9]|\d\d+)$/, 90_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // The engine's death is a kill switch at the venue: cancel-on-disconnect pulls every quote.
    const deadline = Date.now() + 10_000;
    while (venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId)).toEqual([]);

    // The new engine, from the journal alone.
    const opened = openJournal<JournalRecord>(journalPath, { parse: parseJournalRecord, flushPolicy: 'explicit' });
    cleanups.push(() => opened.journal.close());
    const restored = restoreFrom(opened.entries.map((entry) => entry.record));
    expect(restored.overrides.map((o) => o.id)).toContain(overrideId);
    expect(restored.fills.length).toBeGreaterThanOrEqual(3);
    const clock = { nowMs: () => Date.now() };
    const engine = createEngine({ clock, version: 'restarted', journal: opened.journal, restored });
    const state = engine.snapshot();
    expect(state.overrides[overrideId!]).toMatchObject({ by: 'kill-test', reason: 'must survive kill -9', widthMultiplier: 1.5 });
    expect(Object.keys(state.fills).length).toBe(restored.fills.length);

    const adapter = simulatorAdapter(port, clock, restored.firstSessionTsMs !== undefined ? { fillsSinceMs: restored.firstSessionTsMs } : {});
    const link = linkVenue(engine, adapter);
    cleanups.push(async () => {
      link.dispose();
      await adapter.close();
    });
    const connected = new Promise<void>((resolve) => adapter.onEvent((event) => event.type === 'StatusChanged' && event.status.state === 'connected' && resolve()));
    adapter.start();
    await connected;
    engine.tick();
    const positions = engine.snapshot().positions;
    const atVenue = venue.exchange.positions(DEFAULT_CREDENTIALS.accountId, 'BTC').filter((p) => p.size !== 0);
    expect(atVenue.length).toBeGreaterThan(0);
    for (const p of atVenue) expect(positions[p.instrumentName]).toMatchObject({ size: p.size });
    expect(Object.values(positions).filter((p) => p.size !== 0).length).toBe(atVenue.length);
    // Every position came from a journaled or recovered fill: nothing was adopted from the venue blind.
    expect(Object.values(positions).filter((p) => p.discrepancy !== undefined)).toEqual([]);
  });
});
