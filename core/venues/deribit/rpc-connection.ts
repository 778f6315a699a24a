import { WebSocket } from 'ws';

/**
 * One JSON-RPC 2.0 connection to a Deribit API v2 endpoint: correlates responses to requests
 * with per-request timeouts, answers the venue's heartbeat `test_request`, and hands
 * subscription notifications on. It never reconnects: the adapter above decides that.
 */

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${code} ${message}`);
    this.name = 'RpcError';
  }
}

export class RpcTimeout extends Error {
  constructor(method: string, timeoutMs: number) {
    super(`${method} got no answer within ${timeoutMs} ms`);
    this.name = 'RpcTimeout';
  }
}

/**
 * Timing hooks for benchmarks (bench/tick-to-order.bench.ts). Without them the connection installs
 * its plain handlers: unset, they cost nothing per frame.
 */
export interface WireProbe {
  /** A frame's bytes reached the socket's message handler, before anything decodes them. */
  readonly frameReceived?: () => void;
  /** That frame is done: decoded, routed, and every listener of what it carried has returned. */
  readonly frameHandled?: () => void;
  /** A request's bytes were handed to the socket (ws.send returned). */
  readonly sent?: (method: string) => void;
}

export interface RpcConnectionOptions {
  readonly url: string;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs?: number;
  /** A subscription notification: channel and data as the venue sent them. */
  readonly onNotification: (channel: string, data: unknown) => void;
  /** Any frame at all arrived (for the silent-feed watchdog). */
  readonly onFrame?: () => void;
  /**
   * A fast path for the hottest frames (book notifications): returns true when it consumed the
   * frame, false to let the generic JSON path handle it.
   */
  readonly onText?: (text: string) => boolean;
  /**
   * The venue's heartbeat asked for a `public/test`: the caller sends it (through its rate
   * limiter). Without this, the connection answers by itself.
   */
  readonly onTestRequest?: () => void;
  /** A frame that is not valid JSON-RPC: counted by the caller, never fatal. */
  readonly onProtocolError?: (reason: string) => void;
  readonly onClose: (reason: string) => void;
  readonly probe?: WireProbe;
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class RpcConnection {
  readonly #socket: WebSocket;
  readonly #options: RpcConnectionOptions;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  readonly #sent: ((method: string) => void) | undefined;

  private constructor(socket: WebSocket, options: RpcConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    const { frameReceived, frameHandled, sent } = options.probe ?? {};
    this.#sent = sent;
    if (frameReceived || frameHandled) {
      socket.on('message', (data) => {
        frameReceived?.();
        this.#onFrame(data.toString());
        frameHandled?.();
      });
    } else socket.on('message', (data) => this.#onFrame(data.toString()));
    socket.on('close', (code, reason) => this.#onClosed(`closed by venue (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
    socket.on('error', (error) => this.#onClosed(`socket error: ${error.message}`));
  }

  static open(options: RpcConnectionOptions): Promise<RpcConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(options.url, { handshakeTimeout: options.connectTimeoutMs ?? 5000 });
      const fail = (error: Error): void => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('unexpected-response', (_request, response) => fail(new Error(`venue refused the WebSocket upgrade: HTTP ${response.statusCode}`)));
      socket.once('open', () => {
        socket.off('error', fail);
        resolve(new RpcConnection(socket, options));
      });
    });
  }

  get isOpen(): boolean {
    return !this.#closed && this.#socket.readyState === WebSocket.OPEN;
  }

  request<T = unknown>(method: string, params: Record<string, unknown> = {}, timeoutMs = this.#options.requestTimeoutMs): Promise<T> {
    if (!this.isOpen) return Promise.reject(new Error(`${method}: connection is closed`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RpcTimeout(method, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      this.#socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      this.#sent?.(method);
    });
  }

  /** Closes abruptly (no close handshake): what a dead peer or a watchdog needs. */
  terminate(reason: string): void {
    this.#socket.terminate();
    this.#onClosed(reason);
  }

  close(): void {
    if (this.#closed) return;
    this.#socket.close(1000, 'client closing');
    this.#onClosed('closed by client');
  }

  #onFrame(text: string): void {
    this.#options.onFrame?.();
    if (this.#options.onText?.(text)) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#options.onProtocolError?.(`malformed frame: ${text.slice(0, 80)}`);
      return;
    }
    if (typeof message !== 'object' || message === null) {
      this.#options.onProtocolError?.('frame is not an object');
      return;
    }
    const frame = message as { id?: unknown; method?: unknown; params?: { channel?: unknown; data?: unknown; type?: unknown }; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (typeof frame.id === 'number') {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.error) pending.reject(new RpcError(Number(frame.error.code), String(frame.error.message), frame.error.data));
      else pending.resolve(frame.result);
      return;
    }
    if (frame.method === 'subscription' && typeof frame.params?.channel === 'string') {
      this.#options.onNotification(frame.params.channel, frame.params.data);
      return;
    }
    if (frame.method === 'heartbeat') {
      // The venue closes a connection that leaves a test_request unanswered.
      if (frame.params?.type !== 'test_request') return;
      if (this.#options.onTestRequest) this.#options.onTestRequest();
      else this.request('public/test').catch(() => undefined);
      return;
    }
    this.#options.onProtocolError?.('unrecognised frame');
  }

  #onClosed(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${pending.method}: connection lost (${reason})`));
    }
    this.#pending.clear();
    this.#options.onClose(reason);
  }
}
