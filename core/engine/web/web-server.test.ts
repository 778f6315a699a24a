import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY, decodeEventText, LINK_SUBPROTOCOL } from '../../protocol/index.ts';
import { EventCollector } from '../../../test/support/event-collector.ts';
import { ENGINE_WORKER_ENTRY, tsWorker } from '../../../test/support/ts-worker.ts';
import { EngineHost } from '../host.ts';
import type { WebServer } from './web-server.ts';
import { startWebServer } from './web-server.ts';

let host: EngineHost;
let server: WebServer;
const staticDir = mkdtempSync(join(tmpdir(), 'ws-static-'));

beforeAll(async () => {
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)');
  host = new EngineHost(tsWorker(ENGINE_WORKER_ENTRY));
  host.start();
  server = await startWebServer({ engineHost: host, staticDir });
});

afterAll(async () => {
  await server.close();
  await host.stop();
});

function openLink(protocols: string[], origin = server.origin): { socket: WebSocket; events: EventCollector; opened: Promise<void> } {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/link`, protocols, { origin });
  const events = new EventCollector();
  socket.on('message', (data) => {
    const event = decodeEventText(String(data));
    if (event) events.deliver(event);
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, events, opened };
}

describe('web-mode server', () => {
  it('binds to 127.0.0.1 and puts the token in the URL fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
  });

  it('serves the renderer with the CSP and no caching, and falls back to index.html', async () => {
    const response = await fetch(`${server.origin}/app.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(await (await fetch(`${server.origin}/some/route`)).text()).toContain('<title>t</title>');
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/..\\..\\etc\\passwd']) {
      const text = await (await fetch(`${server.origin}${path}`)).text();
      expect(text).not.toContain('root:');
    }
  });

  it('streams a snapshot and live heartbeats, and answers a ping over the link', async () => {
    const { socket, events, opened } = openLink([LINK_SUBPROTOCOL, `token.${server.token}`]);
    await opened;
    expect(socket.protocol).toBe(LINK_SUBPROTOCOL);
    await events.waitFor((event) => event.type === 'Snapshot');
    await events.waitFor((event) => event.type === 'Delta' && (event.changes.engine?.heartbeatSeq ?? 0) > 0);
    socket.send(JSON.stringify({ type: 'Ping', commandId: 'w-1', clientTsMs: 5 }));
    expect(await events.waitFor((event) => event.type === 'PingAnswered')).toMatchObject({ commandId: 'w-1', clientTsMs: 5 });
    socket.send('garbage');
    expect(await events.waitFor((event) => event.type === 'CommandRejected')).toMatchObject({ reason: expect.stringContaining('malformed JSON') });
    socket.close();
  });

  it('refuses a link without the token or from another origin', async () => {
    const noToken = openLink([LINK_SUBPROTOCOL]);
    await expect(noToken.opened).rejects.toThrow(/401/);
    const wrongOrigin = openLink([LINK_SUBPROTOCOL, `token.${server.token}`], 'http://evil.example');
    await expect(wrongOrigin.opened).rejects.toThrow(/403/);
  });

  it('refuses to bind to a non-loopback address unless asked with a token', async () => {
    await expect(startWebServer({ engineHost: host, staticDir, host: '0.0.0.0' })).rejects.toThrow(/--allow-remote/);
  });
});
