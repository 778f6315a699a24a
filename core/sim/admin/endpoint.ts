import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultController } from './faults.ts';
import { FaultError } from './faults.ts';

/**
 * The simulator's admin endpoint, on the same HTTP server as the Deribit API but outside its
 * paths, for tests that drive the simulator from another process:
 *
 *   POST /admin/fault     body: one fault command (JSON, see faults.ts)
 *                         200 {"ok":true,"receipt":{type,atMs,sessionIds?,endsAtMs?}}
 *                         400 invalid JSON or command, 404 nothing matches its target,
 *                         409 not applicable now — each {"ok":false,"error":"…","issues"?:[…]}
 *   GET  /admin/sessions  200 {"sessions":[{id,accountId,subscriptions,cancelOnDisconnect,faults}]}
 *   GET  /admin/faults    200 the faults in force (traffic, order rules, held acks, gaps, halts)
 *
 * Local only, so that a trader's Deribit client pointed at the simulator cannot reach it by
 * accident: a request from a non-loopback address gets 403, and every request must carry the
 * per-run token in the `x-sim-admin-token` header (401 otherwise). The token is random per run
 * unless configured (`npm run sim -- --admin-token T`), and `npm run sim` prints it.
 */

export const ADMIN_PREFIX = '/admin/';
export const ADMIN_TOKEN_HEADER = 'x-sim-admin-token';
const MAX_BODY_BYTES = 64 * 1024;

export interface AdminRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly remoteAddress: string | undefined;
  readonly token: string | undefined;
  readonly body?: string;
}

export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

/** 127.0.0.0/8 and ::1, including IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks where a request comes from and its token before anything else. */
export function admit(request: Pick<AdminRequest, 'remoteAddress' | 'token'>, token: string): AdminResponse | undefined {
  if (!isLoopback(request.remoteAddress)) return { status: 403, body: { ok: false, error: 'the simulator admin endpoint answers loopback clients only' } };
  if (!tokenMatches(request.token, token)) return { status: 401, body: { ok: false, error: `missing or wrong ${ADMIN_TOKEN_HEADER} header` } };
  return undefined;
}

/** Answers one admin request (transport-free, so its rules are testable without a socket). */
export function handleAdmin(request: AdminRequest, faults: FaultController, token: string): AdminResponse {
  const refused = admit(request, token);
  if (refused) return refused;
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case 'GET /admin/sessions':
      return { status: 200, body: { sessions: faults.sessions() } };
    case 'GET /admin/faults':
      return { status: 200, body: faults.active() };
    case 'POST /admin/fault': {
      let fault: unknown;
      try {
        fault = JSON.parse(request.body ?? '');
      } catch {
        return { status: 400, body: { ok: false, error: 'body is not JSON' } };
      }
      try {
        return { status: 200, body: { ok: true, receipt: faults.apply(fault as Parameters<FaultController['apply']>[0]) } };
      } catch (error) {
        if (error instanceof FaultError) return { status: error.status, body: { ok: false, error: error.message, ...(error.issues !== undefined && { issues: error.issues }) } };
        throw error;
      }
    }
    default:
      if (['/admin/sessions', '/admin/faults', '/admin/fault'].includes(request.path)) return { status: 405, body: { ok: false, error: `${request.method} not allowed on ${request.path}` } };
      return { status: 404, body: { ok: false, error: `no admin route ${request.path}` } };
  }
}

/** The HTTP side: reads a bounded body (after admitting the request) and writes the JSON answer. */
export async function serveAdmin(request: IncomingMessage, response: ServerResponse, faults: FaultController, token: string): Promise<void> {
  const send = ({ status, body }: AdminResponse): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    response.end(text);
  };
  const header = request.headers[ADMIN_TOKEN_HEADER];
  const base = {
    method: request.method ?? 'GET',
    path: new URL(request.url ?? '/', 'http://localhost').pathname,
    remoteAddress: request.socket.remoteAddress,
    token: Array.isArray(header) ? header[0] : header,
  };
  const refused = admit(base, token);
  if (refused) {
    // Do not read what a refused client sends; close once answered.
    response.setHeader('Connection', 'close');
    send(refused);
    return;
  }
  let body = '';
  if (base.method === 'POST') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        response.setHeader('Connection', 'close');
        send({ status: 413, body: { ok: false, error: `body over ${MAX_BODY_BYTES} bytes` } });
        return;
      }
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks).toString('utf8');
  }
  try {
    send(handleAdmin({ ...base, body }, faults, token));
  } catch (error) {
    send({ status: 500, body: { ok: false, error: `fault failed: ${(error as Error).message}` } });
  }
}
