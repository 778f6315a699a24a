import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY, encodeEvent, LINK_PATH, LINK_SUBPROTOCOL, MAX_COMMAND_BYTES } from '../../protocol/index.ts';
import type { EngineEvent, TopicChanges } from '../../protocol/index.ts';
import type { EngineHost } from '../host.ts';
import { allowedOriginsFor, checkBind, checkUpgrade, parseProtocolsHeader } from './access.ts';
import { readStaticFile } from './static-files.ts';

export interface WebServerOptions {
  readonly engineHost: EngineHost;
  /** Built renderer (dist/renderer). */
  readonly staticDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly allowRemote?: boolean;
  /** Required with allowRemote; otherwise a random per-run token is made. */
  readonly token?: string;
}

export interface WebServer {
  /** Open this to use the workstation; the token rides in the fragment, never sent to a server. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Beyond this much unsent data a renderer is slow: its state deltas are merged, not queued. */
const SLOW_CLIENT_BYTES = 1 << 20;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Web mode: serves the renderer and the engine link (WebSocket) on one loopback port. The link
 * requires the per-run token and a same-origin page, so other local pages and processes that can
 * reach the port still cannot drive the engine.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const bind = checkBind(host, options.allowRemote ?? false, options.token);
  if (!bind.ok) throw new Error(bind.reason);
  const token = options.token ?? randomBytes(24).toString('hex');

  const server = createServer((request, response) => {
    void serveStatic(options.staticDir, request, response);
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_COMMAND_BYTES,
    handleProtocols: (protocols) => (protocols.has(LINK_SUBPROTOCOL) ? LINK_SUBPROTOCOL : false),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('web server has no TCP address');
  const port = address.port;
  const allowedOrigins = allowedOriginsFor(host, port);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const decision = checkUpgrade(
      {
        path: (request.url ?? '').split('?')[0] ?? '',
        origin: request.headers.origin,
        protocols: parseProtocolsHeader(request.headers['sec-websocket-protocol']),
      },
      allowedOrigins,
      token,
      LINK_PATH,
    );
    if (!decision.ok) {
      const text = decision.status === 401 ? 'Unauthorized' : decision.status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${decision.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => attachLink(ws, options.engineHost));
  });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attachLink(ws: WebSocket, engineHost: EngineHost): void {
  let pending: TopicChanges | undefined;
  let pendingSeq = 0;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    flushTimer = undefined;
    if (!pending || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > SLOW_CLIENT_BYTES) {
      flushTimer = setTimeout(flush, 50);
      return;
    }
    ws.send(encodeEvent({ type: 'Delta', seq: pendingSeq, changes: pending }));
    pending = undefined;
  };

  const handle = engineHost.connect({
    deliver(event: EngineEvent) {
      if (ws.readyState !== ws.OPEN) return;
      // A slow renderer gets the latest value of each topic instead of every intermediate one;
      // a merged delta carries the newest seq, so the renderer sees no gap.
      if (event.type === 'Delta' && (pending || ws.bufferedAmount > SLOW_CLIENT_BYTES)) {
        pending = { ...pending, ...event.changes };
        pendingSeq = event.seq;
        flushTimer ??= setTimeout(flush, 50);
        return;
      }
      ws.send(encodeEvent(event));
    },
  });
  // Binary frames are read as UTF-8 text too: the codec rejects anything that is not a command.
  ws.on('message', (data) => handle.submitText(data.toString()));
  ws.on('close', () => {
    if (flushTimer) clearTimeout(flushTimer);
    handle.disconnect();
  });
  ws.on('error', () => ws.terminate());
}

async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = await readStaticFile(root, request.url ?? '/');
  if (!file) {
    response.writeHead(404, SECURITY_HEADERS).end('not found');
    return;
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}
