import { parentPort } from 'node:worker_threads';
import { systemClock } from './clock.ts';
import { createEngine } from './engine.ts';
import type { HostToWorker, WorkerToHost } from './worker-protocol.ts';
import { DELTA_INTERVAL_MS, HEARTBEAT_INTERVAL_MS } from './worker-protocol.ts';
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

port.on('message', (message: HostToWorker) => {
  switch (message.kind) {
    case 'command': {
      const events = engine.handle(message.command);
      engine.recordPublished(events.length);
      post({ kind: 'reply', clientId: message.clientId, events });
      break;
    }
    case 'shutdown':
      clearInterval(heartbeatTimer);
      clearInterval(deltaTimer);
      port.close();
      break;
  }
});

engine.takeChanges();
post({ kind: 'ready', state: engine.snapshot() });
