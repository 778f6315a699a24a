import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Clock } from '../../model/clock.ts';
import { ADMIN_PREFIX, serveAdmin } from '../admin/endpoint.ts';
import type { MarketControl } from '../admin/faults.ts';
import { FaultController } from '../admin/faults.ts';
import type { Result, SimError } from '../exchange/errors.ts';
import { ERRORS, withData } from '../exchange/errors.ts';
import type { SimExchange } from '../exchange/exchange.ts';
import type { TokenIssuer } from './auth.ts';
import type { CreditConfig } from './credits.ts';
import { DEFAULT_CREDITS, MATCHING_METHODS } from './credits.ts';
import type { RpcContext } from './methods.ts';
import { HANDLERS } from './methods.ts';
import { describeIssue, isMethodName, PARAMS } from './params.ts';
import { Publisher } from './publisher.ts';
import type { MarketView } from './render.ts';
import { Session } from './session.ts';

/**
 * The simulator's Deribit API v2 endpoint: JSON-RPC over WebSocket at /ws/api/v2 and the same
 * methods over HTTP at /api/v2/<method> (GET with query parameters, POST with a JSON-RPC body).
 * Bad input gets Deribit's error object; the connection and the simulator carry on, except on
 * credit exhaustion, where Deribit closes the session.
 *
 * Fault injection (`faults`, core/sim/admin) hooks in at three places: each session's outgoing
 * and incoming traffic, matching-engine requests before they run, and the admin endpoint under
 * /admin/ on the same HTTP server (loopback clients with the per-run `adminToken` only).
 */

export const WS_PATH = '/ws/api/v2';
/** A bearer access token, or an account already authenticated by a request signature. */
export type HttpCredential = string | { readonly accountId: string };
export const HTTP_PREFIX = '/api/v2/';
const MAX_FRAME_BYTES = 1 << 20;
const FLUSH_BYTES = 64 * 1024;

export interface SimServerOptions {
  readonly exchange: SimExchange;
  readonly market: MarketView;
  readonly tokens: TokenIssuer;
  readonly clock: Clock;
  readonly credits?: CreditConfig;
  /** Token the admin endpoint requires (header x-sim-admin-token); random per run when omitted. */
  readonly adminToken?: string;
  /** The market model's controls for the jumpPrice fault (the venue supplies them). */
  readonly marketControl?: MarketControl;
}

interface RpcRequest {
  readonly id: unknown;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

type Parsed = { readonly ok: true; readonly request: RpcRequest } | { readonly ok: false; readonly id: unknown; readonly error: SimError };

function parseRequest(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, id: null, error: withData(ERRORS.invalidParams, { reason: 'request must be a JSON object' }) };
  const { id, method, params } = raw as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof method !== 'string') return { ok: false, id: id ?? null, error: withData(ERRORS.invalidParams, { param: 'method', reason: 'missing' }) };
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return { ok: false, id: id ?? null, error: withData(ERRORS.invalidParams, { param: 'params', reason: 'must be an object' }) };
  }
  return { ok: true, request: { id: id ?? null, method, params: (params ?? {}) as Record<string, unknown> } };
}

export class SimRpcServer {
  readonly publisher: Publisher;
  readonly faults: FaultController;
  readonly adminToken: string;
  readonly #options: SimServerOptions;
  readonly #sessions = new Set<Session>();
  readonly #accountCod = new Set<string>();
  #nextSessionId = 1;
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;

  constructor(options: SimServerOptions) {
    this.#options = options;
    this.publisher = new Publisher(options.exchange, options.market, options.clock);
    this.adminToken = options.adminToken ?? randomBytes(16).toString('hex');
    this.faults = new FaultController({
      clock: options.clock,
      exchange: options.exchange,
      publisher: this.publisher,
      sessions: () => this.#sessions,
      cancelOnDisconnect: (session) => session.cancelOnDisconnect || (session.accountId !== undefined && this.#accountCod.has(session.accountId)),
      flush: () => this.flush(),
      market: options.marketControl,
    });
  }

  get sessions(): ReadonlySet<Session> {
    return this.#sessions;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    const http = createServer((request, response) => void this.#serveHttp(request, response));
    // Pongs are answered here rather than by ws, so that a hung session (fault injection) is silent to pings too.
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, autoPong: false });
    http.on('upgrade', (request, socket, head) => {
      if ((request.url ?? '').split('?')[0] !== WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => this.#attach(ws, socket));
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => resolve());
    });
    this.#http = http;
    this.#wss = wss;
    return (http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const session of this.#sessions) session.close(1001, 'simulator stopping');
    for (const client of this.#wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.#wss ? this.#wss.close(() => resolve()) : resolve()));
    this.#http?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()));
  }

  /** Publishes what the exchange changed since the last call (after requests and market steps). */
  flush(): void {
    const events = this.#options.exchange.drainEvents();
    if (events.length > 0) this.publisher.onExchangeEvents(events);
  }

  /** Every 100 ms of simulated time: aggregated channels and heartbeats. */
  tick(): void {
    // The tick's frames leave each connection in a few large writes rather than one per frame.
    for (const session of this.#sessions) session.transport.cork?.();
    try {
      this.#tick();
    } finally {
      for (const session of this.#sessions) session.transport.uncork?.();
    }
  }

  #tick(): void {
    this.faults.tick();
    this.flush();
    this.publisher.tick();
    const nowMs = this.#options.clock.nowMs();
    for (const session of this.#sessions) {
      // A hung session (fault injection) is silent both ways: no heartbeat verdict on it.
      if (session.heartbeatIntervalSec === undefined || session.traffic?.hung) continue;
      if (nowMs - session.lastHeartbeatMs < session.heartbeatIntervalSec * 1000) continue;
      if (session.awaitingTestReply) {
        session.close(1000, 'heartbeat test_request not answered');
        continue;
      }
      session.lastHeartbeatMs = nowMs;
      session.awaitingTestReply = true;
      session.send({ jsonrpc: '2.0', method: 'heartbeat', params: { type: 'test_request' } });
    }
  }

  /** Handles one text frame of a session (or of HTTP, when `session` is undefined). */
  handleText(session: Session | undefined, text: string, bearer?: HttpCredential): unknown {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.#response(null, undefined, ERRORS.parseError);
    }
    return this.handleRequest(session, raw, bearer);
  }

  handleRequest(session: Session | undefined, raw: unknown, bearer?: HttpCredential): unknown {
    const usIn = this.#options.clock.nowMs() * 1000;
    const parsed = parseRequest(raw);
    if (!parsed.ok) return this.#response(parsed.id, undefined, parsed.error, usIn);
    const { id, method, params } = parsed.request;
    const nowMs = this.#options.clock.nowMs();
    if (session && method === 'private/mass_quote') {
      // Mass quotes have limits of their own; Deribit answers too_many_quotes and keeps the session.
      const quotes = Array.isArray(params.quotes) ? params.quotes.length : 0;
      if (!session.massQuotes.take(quotes, nowMs)) return this.#response(id, undefined, ERRORS.tooManyQuotes, usIn);
    } else if (session) {
      const pool = MATCHING_METHODS.has(method) ? session.matching : session.nonMatching;
      if (!pool.take(nowMs)) {
        const response = this.#response(id, undefined, ERRORS.tooManyRequests, usIn);
        session.send(response);
        session.close(1008, 'too_many_requests');
        return undefined;
      }
    }
    if (!isMethodName(method)) return this.#response(id, undefined, ERRORS.methodNotFound, usIn);
    const schema = PARAMS[method];
    const validated = schema.safeParse(params);
    if (!validated.success) return this.#response(id, undefined, withData(ERRORS.invalidParams, describeIssue(validated.error)), usIn);

    const token = typeof params.access_token === 'string' ? params.access_token : typeof bearer === 'string' ? bearer : undefined;
    const tokenAccount = token === undefined ? (typeof bearer === 'object' ? bearer.accountId : undefined) : this.#options.tokens.accountFor(token);
    const accountId = tokenAccount ?? session?.accountId;
    if (method.startsWith('private/') && !accountId) return this.#response(id, undefined, ERRORS.unauthorized, usIn);
    if (method.startsWith('private/') && !this.#options.exchange.hasAccount(accountId!)) return this.#response(id, undefined, ERRORS.unauthorized, usIn);

    const intercept = MATCHING_METHODS.has(method) ? this.faults.interceptOrder(method, accountId, session !== undefined) : undefined;
    if (intercept?.kind === 'reject') return this.#response(id, undefined, intercept.error, usIn);

    const ctx: RpcContext = {
      exchange: this.#options.exchange,
      market: this.#options.market,
      tokens: this.#options.tokens,
      publisher: this.publisher,
      clock: this.#options.clock,
      session,
      accountId,
      accountCod: this.#accountCod,
    };
    const handler = HANDLERS[method] as unknown as (ctx: RpcContext, params: unknown) => Result<unknown>;
    let result;
    try {
      result = handler(ctx, validated.data);
    } catch (error) {
      // A simulator bug must not take the venue down: report it as Deribit's internal error.
      result = { ok: false as const, error: withData({ code: 11094, message: 'internal_server_error' }, { reason: (error as Error).message }) };
    }
    this.flush();
    const response = result.ok ? this.#response(id, result.value, undefined, usIn) : this.#response(id, undefined, result.error, usIn);
    if (intercept && session) {
      // Executed; its answer is late (delayOrderAcks) or lost (dropOrderAcks).
      if (intercept.kind === 'delay') this.faults.holdAck(session, response, intercept.delayMs);
      return undefined;
    }
    return response;
  }

  #response(id: unknown, result: unknown, error: SimError | undefined, usIn = this.#options.clock.nowMs() * 1000): Record<string, unknown> {
    const usOut = this.#options.clock.nowMs() * 1000;
    return {
      jsonrpc: '2.0',
      id,
      ...(error ? { error: { code: error.code, message: error.message, ...(error.data && { data: error.data }) } } : { result }),
      usIn,
      usOut,
      usDiff: usOut - usIn,
      testnet: true,
    };
  }

  #attach(ws: WebSocket, socket: Duplex): void {
    // ws writes each frame as its own corked pair of writes. Corking the socket around a burst (a
    // tick's notifications; a request's answer and what it caused) nests, so the burst leaves in
    // few system calls; a long burst is flushed every FLUSH_BYTES so the client can start reading
    // while the rest is produced and the socket's buffer never waits for the end of the burst.
    let pendingBytes = 0;
    const flush = (): void => {
      const depth = socket.writableCorked;
      for (let i = 0; i < depth; i++) socket.uncork();
      for (let i = 0; i < depth; i++) socket.cork();
      pendingBytes = 0;
    };
    const session = new Session(
      this.#nextSessionId++,
      {
        send: (text) => {
          if (ws.readyState !== ws.OPEN) return;
          ws.send(text);
          if (socket.writableCorked > 0 && (pendingBytes += text.length) >= FLUSH_BYTES) flush();
        },
        close: (code, reason) => ws.close(code, reason),
        terminate: () => ws.terminate(),
        cork: () => socket.cork(),
        uncork: () => {
          socket.uncork();
          if (socket.writableCorked === 0) pendingBytes = 0;
        },
      },
      this.#options.credits ?? DEFAULT_CREDITS,
      this.#options.clock.nowMs(),
    );
    this.#sessions.add(session);
    this.publisher.addSession(session);
    ws.on('message', (data) => {
      if (session.traffic?.refuseIncoming()) return;
      socket.cork();
      try {
        const response = this.handleText(session, data.toString());
        if (response !== undefined) session.send(response);
      } finally {
        socket.uncork();
      }
    });
    ws.on('ping', (data) => {
      if (!session.traffic?.refuseIncoming() && ws.readyState === ws.OPEN) ws.pong(data);
    });
    ws.on('close', () => this.#detach(session));
    ws.on('error', () => ws.terminate());
  }

  #detach(session: Session): void {
    session.closed = true;
    this.#sessions.delete(session);
    this.publisher.removeSession(session);
    const accountId = session.accountId;
    if (accountId && (session.cancelOnDisconnect || this.#accountCod.has(accountId))) {
      for (const orderId of session.createdOrderIds) this.#options.exchange.cancel(accountId, orderId, 'cancel_on_disconnect');
      this.flush();
    }
  }

  /**
   * HTTP authorization as Deribit accepts it: `bearer <access token>`, or a request signed with
   * `deri-hmac-sha256 id=…,ts=…,sig=…,nonce=…` where sig = HMAC-SHA256(secret,
   * ts\nnonce\nMETHOD\nURI\nBODY\n) — what third-party clients such as ccxt send. The simulator
   * checks the signature, not the timestamp's freshness (its clock may run accelerated).
   */
  #httpCredential(authorization: string | undefined, method: string, uri: string): HttpCredential | undefined {
    if (!authorization) return undefined;
    if (authorization.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
    if (!authorization.startsWith('deri-hmac-sha256 ')) return undefined;
    const fields = new Map(
      authorization
        .slice('deri-hmac-sha256 '.length)
        .split(',')
        .map((part) => {
          const at = part.indexOf('=');
          return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
        }),
    );
    const id = fields.get('id');
    const ts = fields.get('ts');
    const sig = fields.get('sig');
    const nonce = fields.get('nonce') ?? '';
    if (!id || !ts || !sig) return undefined;
    const accountId = this.#options.tokens.verifySignature(id, `${ts}\n${nonce}\n${method}\n${uri}\n\n`, sig);
    return accountId === undefined ? undefined : { accountId };
  }

  async #serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      await serveAdmin(request, response, this.faults, this.adminToken);
      return;
    }
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      response.end(text);
    };
    if (!url.pathname.startsWith(HTTP_PREFIX)) {
      send(404, { error: 'not found' });
      return;
    }
    const authorization = request.headers.authorization;
    const pathMethod = url.pathname.slice(HTTP_PREFIX.length);
    const bearer = this.#httpCredential(authorization, request.method ?? 'GET', request.url ?? '/');
    if (request.method === 'GET') {
      const params: Record<string, unknown> = {};
      for (const [key, value] of url.searchParams) params[key.replace(/\[\]$/, '')] = value;
      send(200, this.handleRequest(undefined, { jsonrpc: '2.0', id: null, method: pathMethod, params }, bearer));
      return;
    }
    if (request.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_FRAME_BYTES) {
          send(413, this.#response(null, undefined, withData(ERRORS.invalidParams, { reason: 'request entity too large' })));
          return;
        }
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks).toString('utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        send(400, this.#response(null, undefined, ERRORS.parseError));
        return;
      }
      // POST /api/v2/<method> takes the method from the path when the body does not name one.
      if (pathMethod && typeof raw === 'object' && raw !== null && !('method' in raw)) raw = { ...raw, method: pathMethod };
      send(200, this.handleRequest(undefined, raw, bearer));
      return;
    }
    send(405, { error: 'method not allowed' });
  }
}
