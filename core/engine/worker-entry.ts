import { parentPort, workerData } from 'node:worker_threads';
import { DeribitAdapter } from '../venues/deribit/deribit-adapter.ts';
import { systemClock } from './clock.ts';
import { createEngine } from './engine.ts';
import { linkVenue } from './venue-link.ts';
import type { HostToWorker, WorkerToHost } from './worker-protocol.ts';
import { DELTA_INTERVAL_MS, HEARTBEAT_INTERVAL_MS } from './worker-protocol.ts';
import type { EngineWorkerData } from './venue-config.ts';
import { ENGINE_VERSION } from './version.ts';

/** Entry point of the engine worker thread: wires the kernel to the host's port and timers. */
const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker_threads worker');

const clock = systemClock;
const engine = createEngine({ clock, version: ENGINE_VERSION });

function post(message: WorkerToHost): void {
  port!.postMessage(message);
}

const heartbeatTimer = setInterval(() => {
  engine.heartbeat();
  post({ kind: 'heartbeat', seq: engine.snapshot().engine.heartbeatSeq, tsMs: clock.nowMs() });
}, HEARTBEAT_INTERVAL_MS);

const deltaTimer = setInterval(() => {
  const changes = engine.takeChanges();
  if (!changes) return;
  engine.recordPublished(1);
  post({ kind: 'changes', changes });
}, DELTA_INTERVAL_MS);

const venue = (workerData as EngineWorkerData | undefined)?.venue;
const adapter = venue
  ? new DeribitAdapter({
      venueId: venue.venueId,
      displayName: venue.displayName,
      url: venue.url,
      ...(venue.credentials && { credentials: venue.credentials }),
      currencies: venue.currencies,
      clock,
      random: Math.random,
    })
  : undefined;
const venueLink = linkVenue(engine, adapter);

port.on('message', (message: HostToWorker) => {
  switch (message.kind) {
    case 'command': {
      const { events, requests } = engine.handle(message.command);
      engine.recordPublished(events.length);
      post({ kind: 'reply', clientId: message.clientId, events });
      venueLink.perform(requests);
      break;
    }
    case 'shutdown':
      clearInterval(heartbeatTimer);
      clearInterval(deltaTimer);
      void adapter?.close().finally(() => port.close());
      if (!adapter) port.close();
      break;
  }
});

engine.takeChanges();
post({ kind: 'ready', state: engine.snapshot() });
adapter?.start();
