import { parentPort, workerData } from 'node:worker_threads';
import type { Journal } from '../journal/index.ts';
import { openJournal } from '../journal/index.ts';
import { DeribitAdapter } from '../venues/deribit/deribit-adapter.ts';
import { systemClock } from './clock.ts';
import { createEngine, TICK_INTERVAL_MS } from './engine.ts';
import type { JournalRecord, JournalSink, RestoredState } from './journal-records.ts';
import { readLimitsFile, writeLimitsFile } from './limits-file.ts';
import { parseJournalRecord, restoreFrom } from './journal-records.ts';
import { linkVenue } from './venue-link.ts';
import type { HostToWorker, WorkerToHost } from './worker-protocol.ts';
import { DELTA_INTERVAL_MS, HEARTBEAT_INTERVAL_MS } from './worker-protocol.ts';
import type { EngineWorkerData } from './venue-config.ts';
import { ENGINE_VERSION } from './version.ts';

/**
 * Entry point of the engine worker thread: opens the journal and rebuilds state from it, wires
 * the kernel to the host's port, the venue adapter and the timers. Journal records are written
 * as they happen and made durable (fdatasync) before any venue request or answer leaves.
 */
const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker_threads worker');

const clock = systemClock;
const data = (workerData as EngineWorkerData | undefined) ?? {};

let journal: Journal<JournalRecord> | undefined;
let restored: RestoredState | undefined;
let journalProblem: string | undefined;
if (data.journalPath) {
  try {
    const opened = openJournal<JournalRecord>(data.journalPath, { parse: parseJournalRecord, flushPolicy: 'explicit', verifyAppends: false });
    journal = opened.journal;
    restored = restoreFrom(opened.entries.map((entry) => entry.record));
    if (opened.recovery) journalProblem = `journal: a torn end was cut off after a crash (${opened.recovery.droppedLines} line(s), ${opened.recovery.droppedBytes} bytes: ${opened.recovery.reason})`;
  } catch (error) {
    // A journal that cannot be read is not silently replaced: the engine runs without one and says why.
    journalProblem = `journal not opened, nothing is being recorded: ${(error as Error).message}`;
  }
}

const notices: string[] = journalProblem ? [journalProblem] : [];
const limits = data.limitsPath ? readLimitsFile(data.limitsPath, notices) : undefined;

/** Journal records go to the file; a limits change is also saved to limits.json, so file and screen agree. */
const sink: JournalSink | undefined =
  journal || data.limitsPath
    ? {
        append(record) {
          journal?.append(record);
          if (record.type === 'limits' && data.limitsPath) writeLimitsFile(data.limitsPath, record.config);
        },
      }
    : undefined;

const engine = createEngine({
  clock,
  version: ENGINE_VERSION,
  ...(sink && { journal: sink }),
  ...(limits && { limits }),
  notices,
  ...(restored && restored.records > 0 && { restored }),
  quoteOnStart: data.quoteOnStart ?? false,
  massQuotes: data.venue?.massQuote === true,
});
for (const notice of notices) console.error(notice);

function post(message: WorkerToHost): void {
  port!.postMessage(message);
}

/** Journal first, then the world: nothing leaves before what it depends on is on disk. */
function durable(): void {
  journal?.sync();
}

const venue = data.venue;
const adapter = venue
  ? new DeribitAdapter({
      venueId: venue.venueId,
      displayName: venue.displayName,
      url: venue.url,
      ...(venue.credentials && { credentials: venue.credentials }),
      ...(venue.rateLimits && { rateLimits: venue.rateLimits }),
      ...(venue.massQuote && { massQuote: true }),
      // Fills the venue made while this engine was down are recovered, not adopted blind.
      ...(restored?.firstSessionTsMs !== undefined && { fillsSinceMs: restored.firstSessionTsMs }),
      currencies: venue.currencies,
      clock,
      random: Math.random,
    })
  : undefined;
const venueLink = linkVenue(engine, adapter, durable);

const heartbeatTimer = setInterval(() => {
  engine.heartbeat();
  post({ kind: 'heartbeat', seq: engine.health().heartbeatSeq, tsMs: clock.nowMs() });
}, HEARTBEAT_INTERVAL_MS);

const tickTimer = setInterval(() => venueLink.perform(engine.tick()), TICK_INTERVAL_MS);

const deltaTimer = setInterval(() => {
  const changes = engine.takeChanges();
  durable();
  if (!changes) return;
  engine.recordPublished(1);
  post({ kind: 'changes', changes });
}, DELTA_INTERVAL_MS);

port.on('message', (message: HostToWorker) => {
  switch (message.kind) {
    case 'command': {
      const { events, requests } = engine.handle(message.command);
      engine.recordPublished(events.length);
      venueLink.perform(requests);
      post({ kind: 'reply', clientId: message.clientId, events });
      break;
    }
    case 'shutdown':
      clearInterval(heartbeatTimer);
      clearInterval(tickTimer);
      clearInterval(deltaTimer);
      void (adapter?.close() ?? Promise.resolve()).finally(() => {
        journal?.close();
        port.close();
      });
      break;
  }
});

engine.takeChanges();
durable();
post({ kind: 'ready', state: engine.snapshot() });
adapter?.start();
