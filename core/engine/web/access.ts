import { timingSafeEqual } from 'node:crypto';
import { LINK_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../protocol/index.ts';

/**
 * Who may open the engine link in web mode. Pure decisions, kept apart from the server so each
 * rule is tested on its own: loopback binding unless asked otherwise, the per-run token, Origin.
 */

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The smallest token we accept from a user who binds to a non-loopback address. */
export const MIN_REMOTE_TOKEN_LENGTH = 32;

export type BindDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function checkBind(host: string, allowRemote: boolean, userToken: string | undefined): BindDecision {
  if (isLoopbackHost(host)) return { ok: true };
  if (!allowRemote) {
    return { ok: false, reason: `refusing to bind to non-loopback address ${host}: pass --allow-remote and --token to do so deliberately` };
  }
  if (!userToken || userToken.length < MIN_REMOTE_TOKEN_LENGTH) {
    return { ok: false, reason: `binding to ${host} needs --token with at least ${MIN_REMOTE_TOKEN_LENGTH} characters` };
  }
  return { ok: true };
}

export function tokensEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The token travels as a WebSocket subprotocol (`token.<hex>`), not in the URL, so it appears in
 * no access log or browser history.
 */
export function tokenFromProtocols(protocols: Iterable<string>): string | undefined {
  for (const protocol of protocols) {
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return undefined;
}

export function parseProtocolsHeader(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export type UpgradeDecision = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403 | 404; readonly reason: string };

export interface UpgradeRequest {
  readonly path: string;
  readonly origin: string | undefined;
  readonly protocols: readonly string[];
}

/** Decides whether a WebSocket upgrade may become an engine link. */
export function checkUpgrade(request: UpgradeRequest, allowedOrigins: ReadonlySet<string>, token: string, linkPath: string): UpgradeDecision {
  if (request.path !== linkPath) return { ok: false, status: 404, reason: 'no such endpoint' };
  if (!request.origin || !allowedOrigins.has(request.origin)) {
    return { ok: false, status: 403, reason: `origin ${request.origin ?? '(none)'} is not allowed` };
  }
  if (!request.protocols.includes(LINK_SUBPROTOCOL)) return { ok: false, status: 403, reason: 'missing link subprotocol' };
  const given = tokenFromProtocols(request.protocols);
  if (!given || !tokensEqual(token, given)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}

/** Origins a page served by this server can have (the browser may show either loopback name). */
export function allowedOriginsFor(host: string, port: number): ReadonlySet<string> {
  const hosts = isLoopbackHost(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host];
  return new Set(hosts.map((name) => `http://${name}:${port}`));
}
