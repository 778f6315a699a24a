import { afterEach, describe, expect, it } from 'vitest';
import type { Delta, EngineEvent } from '../protocol/index.ts';
import { EventCollector, isRunState } from '../../test/support/event-collector.ts';
import { ENGINE_WORKER_ENTRY, FAULTY_WORKER_ENTRY, tsWorker } from '../../test/support/ts-worker.ts';
import { EngineHost } from './host.ts';
import { STALL_AFTER_MS, SUPERVISION_INTERVAL_MS } from './worker-protocol.ts';

const realWorker = ENGINE_WORKER_ENTRY;
const faultyWorker = FAULTY_WORKER_ENTRY;

const hosts: EngineHost[] = [];
function startHost(entry: URL, workerData?: unknown): EngineHost {
  const host = new EngineHost({ ...tsWorker(entry), workerData });
  hosts.push(host);
  host.start();
  return host;
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

const isDelta = (event: EngineEvent): event is Delta => event.type === 'Delta';

describe('EngineHost with the real engine worker', () => {
  it('sends a snapshot first, then consecutive deltas carrying heartbeats', async () => {
    const host = startHost(realWorker);
    const client = new EventCollector();
    host.connect(client);
    expect(client.events[0]?.type).toBe('Snapshot');
    await client.waitFor((event) => isDelta(event) && (event.changes.engine?.heartbeatSeq ?? 0) >= 3);
    const seqs = client.events.map((event) => (event.type === 'Snapshot' || event.type === 'Delta' ? event.seq : undefined)).filter((seq) => seq !== undefined);
    seqs.forEach((seq, index) => index > 0 && expect(seq).toBe(seqs[index - 1]! + 1));
  });

  it('answers a ping to its sender only', async () => {
    const host = startHost(realWorker);
    const sender = new EventCollector();
    const bystander = new EventCollector();
    const handle = host.connect(sender);
    host.connect(bystander);
    await sender.waitFor(isRunState('running'));
    handle.submit({ type: 'Ping', commandId: 'p-1', clientTsMs: 123 });
    const answer = await sender.waitFor((event) => event.type === 'PingAnswered');
    expect(answer).toMatchObject({ commandId: 'p-1', clientTsMs: 123 });
    expect(bystander.events.some((event) => event.type === 'PingAnswered')).toBe(false);
  });

  it('rejects malformed commands with a reason and keeps running', async () => {
    const host = startHost(realWorker);
    const client = new EventCollector();
    const handle = host.connect(client);
    handle.submitText('{not json');
    handle.submit({ type: 'Ping', commandId: 'p-2' });
    handle.submit({ type: 'Explode', commandId: 'x-1' });
    handle.submit(null);
    const rejections = await client.waitFor(() => client.events.filter((event) => event.type === 'CommandRejected').length === 4).then(() =>
      client.events.filter((event) => event.type === 'CommandRejected'),
    );
    expect(rejections.map((event) => event.type === 'CommandRejected' && event.commandId)).toEqual(['', 'p-2', 'x-1', '']);
    expect(rejections[1]).toMatchObject({ reason: expect.stringContaining('clientTsMs') });
    handle.submit({ type: 'Ping', commandId: 'p-3', clientTsMs: 1 });
    await client.waitFor((event) => event.type === 'PingAnswered' && event.commandId === 'p-3');
  });

  it('refuses RestartEngine while the engine is healthy', async () => {
    const host = startHost(realWorker);
    const client = new EventCollector();
    const handle = host.connect(client);
    await client.waitFor(isRunState('running'));
    handle.submit({ type: 'RestartEngine', commandId: 'r-1' });
    const answer = await client.waitFor((event) => event.type === 'CommandRejected' && event.commandId === 'r-1');
    expect(answer).toMatchObject({ reason: expect.stringContaining('only possible after it stalled or exited') });
  });
});

describe('EngineHost supervision', () => {
  it('reports a stalled worker, rejects commands while stalled, and restarts only on request', async () => {
    const host = startHost(faultyWorker, { fault: 'hang' });
    const client = new EventCollector();
    const handle = host.connect(client);
    await client.waitFor(isRunState('running'));
    handle.submit({ type: 'Ping', commandId: 'hang-now', clientTsMs: 0 });
    const stalled = await client.next(isRunState('stalled'));
    const engine = isDelta(stalled) ? stalled.changes.engine : undefined;
    expect(engine?.reason).toMatch(/no heartbeat for \d+ ms/);
    // Declared from the last heartbeat it saw, by a check that runs every SUPERVISION_INTERVAL_MS.
    expect(STALL_AFTER_MS + SUPERVISION_INTERVAL_MS).toBeLessThanOrEqual(1000);

    handle.submit({ type: 'Ping', commandId: 'while-stalled', clientTsMs: 0 });
    expect(await client.waitFor((event) => event.type === 'CommandRejected' && event.commandId === 'while-stalled')).toMatchObject({
      reason: expect.stringContaining('engine is stalled'),
    });
    expect(host.health.runState).toBe('stalled');

    handle.submit({ type: 'RestartEngine', commandId: 'restart-1' });
    await client.waitFor((event) => event.type === 'CommandAccepted' && event.commandId === 'restart-1');
    const running = await client.next(isRunState('running'));
    expect(isDelta(running) && running.changes.engine?.restarts).toBe(1);
  });

  it('reports a crashed worker with its error', async () => {
    const host = startHost(faultyWorker, { fault: 'crash' });
    const client = new EventCollector();
    const handle = host.connect(client);
    await client.waitFor(isRunState('running'));
    handle.submit({ type: 'Ping', commandId: 'crash-now', clientTsMs: 0 });
    const exited = await client.next(isRunState('exited'));
    expect(isDelta(exited) && exited.changes.engine?.reason).toBe('crashed: injected crash');
    // A late renderer still learns the engine is down from the host's mirror.
    const late = new EventCollector();
    host.connect(late);
    expect(late.events[0]).toMatchObject({ type: 'Snapshot', state: { engine: { runState: 'exited' } } });
  });
});
