import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../core/engine/host.ts';
import type { WebServer } from '../../core/engine/web/web-server.ts';
import { startWebServer } from '../../core/engine/web/web-server.ts';
import { FAULTY_WORKER_ENTRY, tsWorker } from '../support/ts-worker.ts';
import { launchChromium, repoRoot, showPanel } from '../support/web-mode.ts';

// The real renderer against a host whose worker hangs on its first command: the trader must
// see the stall, be refused commands, and bring the engine back with one acknowledged click.
let host: EngineHost;
let server: WebServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = new EngineHost({ ...tsWorker(FAULTY_WORKER_ENTRY), workerData: { fault: 'hang' } });
  host.start();
  server = await startWebServer({ engineHost: host, staticDir: join(repoRoot, 'dist', 'renderer') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await host?.stop();
});

describe('a stalled engine in the UI', () => {
  it('shows the stall, and restarts only when the trader acknowledges it', async () => {
    await page.getByTestId('engine-status').filter({ hasText: 'Engine running' }).waitFor();
    await showPanel(page, 'Engine');
    await page.getByTestId('ping-button').click();

    const banner = page.getByTestId('banner');
    await banner.filter({ hasText: /Engine stalled: no heartbeat for \d+ ms/ }).waitFor();
    await page.getByTestId('engine-status').filter({ hasText: 'Engine stalled' }).waitFor();
    expect(host.health.runState).toBe('stalled');

    await page.getByTestId('ping-button').click();
    await showPanel(page, 'Event log');
    await page.getByTestId('event-log').getByText(/Ping rejected: engine is stalled/).waitFor();

    await banner.getByRole('button', { name: /restart engine/i }).click();
    await page.getByTestId('engine-status').filter({ hasText: 'Engine running' }).waitFor();
    await expect(banner.count()).resolves.toBe(0);
    expect(host.health.restarts).toBe(1);
    await page.getByTestId('event-log').getByText(/RestartEngine accepted/).waitFor();
  });
});
