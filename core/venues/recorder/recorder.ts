import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { Clock } from '../../model/clock.ts';
import type { RecordingWriter } from './writer.ts';

/**
 * Records a Deribit-compatible venue's public market data (the embedded simulator or the real
 * venue): lists the instruments of each currency and subscribes to every book, ticker, public
 * trades and the indices. Every frame is written, verbatim and first, with its receive time;
 * only the few answers the recorder needs (instrument lists, heartbeats) are parsed.
 *
 * The cost of recording on the hot path is measured: `stats.recordNsPerFrame` is the mean time
 * spent in the writer per frame (string building and buffering; compression runs off-thread).
 */

export interface RecorderOptions {
  readonly url: string;
  readonly currencies: readonly string[];
  readonly writer: RecordingWriter;
  /** The receive timestamps: the wall clock live, the simulator's clock when it runs accelerated. */
  readonly clock: Clock;
  readonly bookInterval?: '100ms' | 'raw';
  readonly subscribeBatch?: number;
  readonly reconnectMs?: number;
  readonly log?: (message: string) => void;
}

export interface RecorderStats {
  readonly frames: number;
  readonly instruments: number;
  readonly recordNsPerFrame: number;
  readonly connected: boolean;
}

const NOTIFICATION_PREFIX = '{"jsonrpc":"2.0","method":"subscription"';
const HEARTBEAT_PREFIX = '{"jsonrpc":"2.0","method":"heartbeat"';

interface Pending {
  readonly sticky: boolean;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class VenueRecorder {
  readonly #options: RecorderOptions;
  readonly #pending = new Map<number, Pending>();
  #socket: WebSocket | undefined;
  #nextId = 1;
  #frames = 0;
  #recordNs = 0;
  #instruments = 0;
  #stopped = false;
  #connected = false;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RecorderOptions) {
    this.#options = options;
  }

  get stats(): RecorderStats {
    return { frames: this.#frames, instruments: this.#instruments, recordNsPerFrame: this.#frames > 0 ? this.#recordNs / this.#frames : 0, connected: this.#connected };
  }

  /** Connects and subscribes; resolves once subscribed (and keeps reconnecting after a loss until `stop`). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'recorder stopping');
        setTimeout(() => {
          socket.terminate();
          resolve();
        }, 1000).unref();
      });
    }
  }

  async #connect(): Promise<void> {
    const socket = new WebSocket(this.#options.url);
    this.#socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('message', (data) => this.#onFrame(data.toString()));
    socket.on('close', () => this.#onClose(socket));
    socket.on('error', () => undefined);
    await this.#subscribeAll();
    this.#connected = true;
  }

  #onFrame(text: string): void {
    const t0 = performance.now();
    const receivedTsMs = this.#options.clock.nowMs();
    this.#options.writer.inbound(receivedTsMs, text);
    this.#recordNs += (performance.now() - t0) * 1e6;
    this.#frames += 1;
    if (text.startsWith(NOTIFICATION_PREFIX)) return;
    if (text.startsWith(HEARTBEAT_PREFIX)) {
      if (text.includes('test_request')) this.#request('public/test', {}).catch(() => undefined);
      return;
    }
    let message: { id?: unknown; result?: unknown; error?: { message?: unknown } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (pending.sticky) this.#options.writer.keepSticky(receivedTsMs, text);
    if (message.error) pending.reject(new Error(String(message.error.message)));
    else pending.resolve(message.result);
  }

  #onClose(socket: WebSocket): void {
    if (this.#socket !== socket) return;
    this.#connected = false;
    for (const pending of this.#pending.values()) pending.reject(new Error('connection closed'));
    this.#pending.clear();
    if (this.#stopped) return;
    this.#options.log?.('connection lost; reconnecting');
    this.#retry = setTimeout(() => {
      this.#connect().catch((error: Error) => this.#options.log?.(`reconnect failed: ${error.message}`));
    }, this.#options.reconnectMs ?? 1000);
  }

  #request(method: string, params: Record<string, unknown>, sticky = false): Promise<unknown> {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`${method}: not connected`));
    const id = this.#nextId++;
    this.#options.writer.outbound(this.#options.clock.nowMs(), { id, method, params }, sticky);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { sticky, resolve, reject });
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  async #subscribeAll(): Promise<void> {
    const interval = this.#options.bookInterval ?? '100ms';
    await this.#request('public/set_heartbeat', { interval: 10 });
    const channels: string[] = [];
    let instruments = 0;
    for (const currency of this.#options.currencies) {
      // The instrument list's request and answer are sticky: written again at the top of each day's file.
      const result = await this.#request('public/get_instruments', { currency, expired: false }, true);
      const names = Array.isArray(result) ? result.map((entry) => (entry as { instrument_name?: unknown }).instrument_name).filter((name): name is string => typeof name === 'string') : [];
      instruments += names.length;
      const lower = currency.toLowerCase();
      channels.push(`deribit_price_index.${lower}_usd`, `trades.option.${currency}.100ms`, `trades.future.${currency}.100ms`);
      for (const name of names) channels.push(`book.${name}.${interval}`, `ticker.${name}.100ms`);
    }
    this.#instruments = instruments;
    const batch = this.#options.subscribeBatch ?? 500;
    for (let i = 0; i < channels.length; i += batch) await this.#request('public/subscribe', { channels: channels.slice(i, i + batch) });
    this.#options.log?.(`recording ${instruments} instruments, ${channels.length} channels`);
  }
}
