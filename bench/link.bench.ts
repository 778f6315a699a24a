import { MessageChannel, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { EngineHost } from '../core/engine/host.ts';
import { startWebServer } from '../core/engine/web/web-server.ts';
import type { EngineEvent } from '../core/protocol/index.ts';
import { decodeEventText, LINK_SUBPROTOCOL } from '../core/protocol/index.ts';
import { tsWorker } from '../test/support/ts-worker.ts';
import { percentile } from './stats.ts';
import type { Benchmark, BenchResult } from './types.ts';

/** The built engine worker (`npm run bench` builds it first). */
const ENGINE_WORKER = new URL('../dist/engine/worker.mjs', import.meta.url);
const STATIC_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));
const WARMUP = 500;
const SAMPLES = 5000;

interface PingChannel {
  send(text: string): void;
  onEvent(listener: (event: EngineEvent) => void): void;
}

/** Sequential pings (one in flight), timed with the high-resolution clock; returns µs samples. */
async function pingRoundTrips(channel: PingChannel, count: number): Promise<number[]> {
  const samples: number[] = [];
  let resolveNext: (() => void) | undefined;
  channel.onEvent((event) => {
    if (event.type === 'PingAnswered') resolveNext?.();
  });
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    const answered = new Promise<void>((resolve) => (resolveNext = resolve));
    channel.send(JSON.stringify({ type: 'Ping', commandId: `b${i}`, clientTsMs: 0 }));
    await answered;
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return samples;
}

function roundTripResults(name: string, samples: readonly number[], transport: string): BenchResult {
  return {
    name,
    value: Number(percentile(samples, 0.99).toFixed(1)),
    unit: 'us',
    note: `${transport}; p50 ${percentile(samples, 0.5).toFixed(1)} us over ${samples.length} sequential pings (renderer → host → engine worker → back)`,
  };
}

async function withHost<T>(options: ConstructorParameters<typeof EngineHost>[0], body: (host: EngineHost) => Promise<T>): Promise<T> {
  const host = new EngineHost(options);
  host.start();
  try {
    return await body(host);
  } finally {
    await host.stop();
  }
}

async function openSocket(url: string, origin: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(url, [LINK_SUBPROTOCOL, `token.${token}`], { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

async function wsRoundTrip(): Promise<readonly BenchResult[]> {
  return withHost({ workerUrl: ENGINE_WORKER }, async (host) => {
    const server = await startWebServer({ engineHost: host, staticDir: STATIC_DIR });
    try {
      const socket = await openSocket(`ws://127.0.0.1:${server.port}/link`, server.origin, server.token);
      const channel: PingChannel = {
        send: (text) => socket.send(text),
        onEvent: (listener) =>
          socket.on('message', (data) => {
            const event = decodeEventText(String(data));
            if (event) listener(event);
          }),
      };
      await pingRoundTrips(channel, WARMUP);
      const samples = await pingRoundTrips(channel, SAMPLES);
      socket.close();
      return [roundTripResults('link_ws_roundtrip_p99_us', samples, 'WebSocket on 127.0.0.1')];
    } finally {
      await server.close();
    }
  });
}

async function portRoundTrip(): Promise<readonly BenchResult[]> {
  return withHost({ workerUrl: ENGINE_WORKER }, async (host) => {
    // The same wiring as Electron's relay (electron/engine-relay.ts), with Node's MessageChannel
    // standing in for MessageChannelMain: structured clones, no JSON.
    const { port1, port2 } = new MessageChannel();
    const handle = host.connect({ deliver: (event) => port1.postMessage(event) });
    port1.on('message', (message: unknown) => handle.submit(message));
    const channel: PingChannel = {
      send: (text) => port2.postMessage(JSON.parse(text) as unknown),
      onEvent: (listener) => port2.on('message', (event: EngineEvent) => listener(event)),
    };
    await pingRoundTrips(channel, WARMUP);
    const samples = await pingRoundTrips(channel, SAMPLES);
    port1.close();
    port2.close();
    return [roundTripResults('link_port_roundtrip_p99_us', samples, 'MessagePort (in-process stand-in for the Electron relay)')];
  });
}

interface ClientCount {
  readonly kind: 'open' | 'count';
  readonly deltas: number;
  readonly bytes: number;
  readonly tsMs: number;
}

async function deltaThroughput(): Promise<readonly BenchResult[]> {
  const flood = tsWorker(new URL('./fixtures/flood-worker.ts', import.meta.url));
  return withHost(flood, async (host) => {
    const server = await startWebServer({ engineHost: host, staticDir: STATIC_DIR });
    const client = tsWorker(new URL('./fixtures/link-client-worker.ts', import.meta.url));
    const worker = new Worker(client.workerUrl, {
      argv: [...(client.argv ?? [])],
      workerData: { url: `ws://127.0.0.1:${server.port}/link`, origin: server.origin, token: server.token },
    });
    try {
      const counts: ClientCount[] = [];
      await new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (message: ClientCount) => {
          if (message.kind !== 'count') return;
          counts.push(message);
          // Skip the first second (connection, JIT warm-up), then measure over three.
          if (counts.length >= 16) resolve();
        });
      });
      const first = counts[3]!;
      const last = counts.at(-1)!;
      const seconds = (last.tsMs - first.tsMs) / 1000;
      const deltas = last.deltas - first.deltas;
      return [
        {
          name: 'link_deltas_per_s',
          value: Math.round(deltas / seconds),
          unit: 'deltas/s',
          note: `worker → host → WebSocket → client thread, decoded, with 100,000/s offered; ${Math.round((last.bytes - first.bytes) / Math.max(1, deltas))} B per delta over ${seconds.toFixed(1)} s`,
        },
      ];
    } finally {
      worker.postMessage('stop');
      await worker.terminate();
      await server.close();
    }
  });
}

export const benchmarks: readonly Benchmark[] = [
  { metrics: ['link_ws_roundtrip_p99_us'], run: wsRoundTrip },
  { metrics: ['link_port_roundtrip_p99_us'], run: portRoundTrip },
  { metrics: ['link_deltas_per_s'], run: deltaThroughput },
];
