import type { IpcMainEvent, MessagePortMain } from 'electron';
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../core/engine/host.ts';
import type { ClientHandle, EngineClient } from '../core/engine/host.ts';
import type { EngineEvent } from '../core/protocol/index.ts';
import { EMPTY_STATE_TOPICS, IPC_ENGINE_PORT, IPC_OPEN_ENGINE_LINK } from '../core/protocol/index.ts';
import { ENGINE_WORKER_ENTRY, tsWorker } from '../test/support/ts-worker.ts';
import { relayEngineLink } from './engine-relay.ts';
import { APP_ENTRY_URL } from './security.ts';

// Node's MessageChannel stands in for Electron's MessageChannelMain: same postMessage/start/close,
// but Node emits the message itself where Electron emits `{ data, ports }`.
function asPortMain(port: MessagePort): MessagePortMain {
  const adapted = {
    postMessage: (message: unknown) => port.postMessage(message),
    on(event: string, listener: (...args: unknown[]) => void) {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data, ports: [] }));
      else port.on(event, listener);
      return adapted;
    },
    start: () => port.start(),
    close: () => port.close(),
  };
  return adapted as unknown as MessagePortMain;
}

type IpcListener = (event: IpcMainEvent) => void;

interface Harness {
  /** Simulates the preload's `ipcRenderer.send(IPC_OPEN_ENGINE_LINK)` from a frame. */
  open(frame: { url: string; parent: unknown } | null): void;
  /** Ports the relay handed to the page (the renderer's ends), in order. */
  readonly pagePorts: MessagePort[];
  readonly createChannel: ReturnType<typeof vi.fn>;
  readonly postToPage: ReturnType<typeof vi.fn>;
  readonly channels: string[];
  close(): void;
}

function harness(host: Pick<EngineHost, 'connect'>): Harness {
  const listeners = new Map<string, IpcListener>();
  const channels: string[] = [];
  const nodePorts: MessagePort[] = [];
  const pagePorts: MessagePort[] = [];
  const ipcMain = {
    on(channel: string, listener: IpcListener) {
      channels.push(channel);
      listeners.set(channel, listener);
      return ipcMain;
    },
  };
  const createChannel = vi.fn(() => {
    const { port1, port2 } = new MessageChannel();
    nodePorts.push(port1, port2);
    return { port1: asPortMain(port1), port2: port2 as unknown as MessagePortMain };
  });
  const postToPage = vi.fn((channel: string, _message: unknown, transfer: MessagePortMain[]) => {
    expect(channel).toBe(IPC_ENGINE_PORT);
    pagePorts.push(...(transfer as unknown as MessagePort[]));
  });
  relayEngineLink(ipcMain as unknown as Parameters<typeof relayEngineLink>[0], host as EngineHost, createChannel);
  return {
    open(frame) {
      const event = { senderFrame: frame, sender: { postMessage: postToPage } } as unknown as IpcMainEvent;
      listeners.get(IPC_OPEN_ENGINE_LINK)?.(event);
    },
    pagePorts,
    createChannel,
    postToPage,
    channels,
    close() {
      for (const port of nodePorts) port.close();
    },
  };
}

/** Collects what the engine sends to the page over one port, and waits for a matching event. */
function pageEnd(port: MessagePort) {
  const received: EngineEvent[] = [];
  const waiters: Array<{ match: (event: EngineEvent) => boolean; resolve: (event: EngineEvent) => void }> = [];
  port.on('message', (event: EngineEvent) => {
    received.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.match(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  return {
    received,
    next<T extends EngineEvent['type']>(type: T, where: (event: Extract<EngineEvent, { type: T }>) => boolean = () => true): Promise<Extract<EngineEvent, { type: T }>> {
      const match = (event: EngineEvent): boolean => event.type === type && where(event as Extract<EngineEvent, { type: T }>);
      const already = received.find(match);
      if (already) return Promise.resolve(already as Extract<EngineEvent, { type: T }>);
      return new Promise((resolve) => waiters.push({ match, resolve: resolve as (event: EngineEvent) => void }));
    },
  };
}

/** A stand-in host: records connections and the commands each one submits. */
function fakeHost() {
  const submitted: unknown[] = [];
  const disconnected = vi.fn();
  let resolveDisconnect: () => void = () => undefined;
  const disconnectedOnce = new Promise<void>((resolve) => (resolveDisconnect = resolve));
  const connect = vi.fn((client: EngineClient): ClientHandle => {
    client.deliver({ type: 'Snapshot', seq: 0, state: { engine: { runState: 'running', startedTsMs: 0, lastHeartbeatTsMs: 0, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version: 'test' }, venues: [], ...EMPTY_STATE_TOPICS } });
    return {
      id: 1,
      submit: (raw) => {
        submitted.push(raw);
        client.deliver({ type: 'PingAnswered', commandId: 'fake', clientTsMs: 0, engineTsMs: 0 });
      },
      submitText: () => undefined,
      disconnect: () => {
        disconnected();
        resolveDisconnect();
      },
    };
  });
  return { connect, submitted, disconnected, disconnectedOnce };
}

describe('relayEngineLink with a stand-in host', () => {
  let current: Harness | undefined;
  afterEach(() => {
    current?.close();
    current = undefined;
  });

  it('listens on the open-engine-link channel only', () => {
    current = harness(fakeHost());
    expect(current.channels).toEqual([IPC_OPEN_ENGINE_LINK]);
  });

  it('gives the trusted top-level page a port wired to the host, both ways', async () => {
    const host = fakeHost();
    current = harness(host);
    current.open({ url: APP_ENTRY_URL, parent: null });
    expect(host.connect).toHaveBeenCalledTimes(1);
    expect(current.postToPage).toHaveBeenCalledTimes(1);
    expect(current.postToPage.mock.calls[0]?.[1]).toBeNull();
    const [port] = current.pagePorts;
    expect(port).toBeDefined();
    const page = pageEnd(port!);
    expect((await page.next('Snapshot')).state.engine.version).toBe('test');
    port!.postMessage({ type: 'Ping', commandId: 'c1', clientTsMs: 1 });
    await page.next('PingAnswered');
    expect(host.submitted).toEqual([{ type: 'Ping', commandId: 'c1', clientTsMs: 1 }]);
  });

  it('disconnects the client when the page closes its port', async () => {
    const host = fakeHost();
    current = harness(host);
    current.open({ url: APP_ENTRY_URL, parent: null });
    current.pagePorts[0]!.close();
    await host.disconnectedOnce;
    expect(host.disconnected).toHaveBeenCalledTimes(1);
  });

  it('gives each request its own port and client', () => {
    const host = fakeHost();
    current = harness(host);
    current.open({ url: APP_ENTRY_URL, parent: null });
    current.open({ url: APP_ENTRY_URL, parent: null });
    expect(host.connect).toHaveBeenCalledTimes(2);
    expect(current.pagePorts).toHaveLength(2);
    expect(current.pagePorts[0]).not.toBe(current.pagePorts[1]);
  });

  it.each([
    ['a subframe of the app', { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL, parent: null } }],
    ['a remote page', { url: 'https://example.com/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['another app:// host', { url: 'app://other/index.html', parent: null }],
    ['a destroyed frame', null],
  ])('gives %s nothing', (_name, frame) => {
    const host = fakeHost();
    current = harness(host);
    current.open(frame);
    expect(current.createChannel).not.toHaveBeenCalled();
    expect(host.connect).not.toHaveBeenCalled();
    expect(current.postToPage).not.toHaveBeenCalled();
    expect(current.pagePorts).toHaveLength(0);
  });
});

describe('relayEngineLink with the real engine host (TypeScript worker under tsx)', () => {
  let host: EngineHost;
  let current: Harness | undefined;

  beforeAll(() => {
    // tsWorker: a plain-JS bootstrap that registers tsx, since Node 20 ignores `--import tsx` for
    // a worker's own entry.
    host = new EngineHost(tsWorker(ENGINE_WORKER_ENTRY));
    host.start();
  });

  afterEach(() => {
    current?.close();
    current = undefined;
  });

  afterAll(async () => {
    await host.stop();
  });

  it('sends a trusted page a Snapshot, then answers its Ping', async () => {
    current = harness(host);
    current.open({ url: APP_ENTRY_URL, parent: null });
    const page = pageEnd(current.pagePorts[0]!);
    const snapshot = await page.next('Snapshot');
    expect(snapshot.state.engine.version).toBeTypeOf('string');
    current.pagePorts[0]!.postMessage({ type: 'Ping', commandId: 'ping-1', clientTsMs: 1234 });
    const answer = await page.next('PingAnswered', (event) => event.commandId === 'ping-1');
    expect(answer.clientTsMs).toBe(1234);
    expect(answer.engineTsMs).toBeTypeOf('number');
    expect(page.received[0]?.type).toBe('Snapshot');
  });

  it('rejects a malformed command sent over the port, and keeps the link working', async () => {
    current = harness(host);
    current.open({ url: APP_ENTRY_URL, parent: null });
    const page = pageEnd(current.pagePorts[0]!);
    current.pagePorts[0]!.postMessage({ type: 'Ping', commandId: 'bad-1', clientTsMs: 'not a number' });
    const rejected = await page.next('CommandRejected', (event) => event.commandId === 'bad-1');
    expect(rejected.reason).toMatch(/invalid command/);
    current.pagePorts[0]!.postMessage({ type: 'Ping', commandId: 'ping-2', clientTsMs: 1 });
    await page.next('PingAnswered', (event) => event.commandId === 'ping-2');
  });

  it('sends an untrusted page nothing', () => {
    current = harness(host);
    current.open({ url: APP_ENTRY_URL, parent: { url: 'https://example.com/', parent: null } });
    current.open({ url: 'https://example.com/', parent: null });
    expect(current.createChannel).not.toHaveBeenCalled();
    expect(current.postToPage).not.toHaveBeenCalled();
  });
});
