import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_KEY } from '../../renderer/ui/layout-storage.ts';
import type { Workstation } from '../support/web-mode.ts';
import { openWorkstation, repoRoot, showPanel } from '../support/web-mode.ts';

let workstation: Workstation;
let page: Page;

beforeAll(async () => {
  workstation = await openWorkstation({ viewport: { width: 1440, height: 860 } });
  page = workstation.page;
});

afterAll(async () => {
  await workstation?.close();
});

async function heartbeatSeq(): Promise<number> {
  const text = (await page.getByTestId('engine-heartbeat').textContent()) ?? '';
  const match = /#(\d+)/.exec(text);
  if (!match?.[1]) throw new Error(`no heartbeat number in "${text}"`);
  return Number(match[1]);
}

describe('web mode in Chromium', () => {
  it('shows the engine running with live heartbeats', async () => {
    await expectText('engine-status', /Engine running/);
    await showPanel(page, 'Engine');
    const first = await heartbeatSeq();
    await page.waitForFunction(
      (seen) => Number(/#(\d+)/.exec(document.querySelector('[data-testid="engine-heartbeat"]')?.textContent ?? '')?.[1] ?? 0) > seen + 2,
      first,
    );
    expect(await heartbeatSeq()).toBeGreaterThan(first + 2);
    await expectText('link-status', /link open/);
    await expectText('venue-status', /Simulator connected/);
  });

  it('removes the token from the address bar', () => {
    expect(page.url()).not.toContain('token=');
  });

  it('round-trips a ping command and shows its answer', async () => {
    await page.getByTestId('ping-button').click();
    await expectText('engine-rtt', /\(1 pings\)/);
    await showPanel(page, 'Event log');
    await page.getByTestId('event-log').getByText(/Ping answered in/).first().waitFor();
  });

  it('shows the embedded simulator connected with its instruments', async () => {
    await showPanel(page, 'Venues');
    await expectText('venues-table', /Simulator\s*connected/);
  });

  it('persists the panel layout across a reload', async () => {
    const saved = await page.evaluate((key) => window.localStorage.getItem(key), LAYOUT_KEY);
    expect(saved).toContain('event-log');
    await page.reload();
    await expectText('engine-status', /Engine running/);
    for (const title of ['Venues', 'Engine', 'Event log']) await page.locator('.dv-tab', { hasText: title }).first().waitFor();
    expect(await page.evaluate((key) => window.localStorage.getItem(key), LAYOUT_KEY)).toBe(saved);
  });

  it('writes a screenshot of the workstation', async () => {
    await showPanel(page, 'Engine');
    await page.getByTestId('ping-button').click();
    await showPanel(page, 'Event log');
    await page.getByTestId('event-log').getByText(/Ping answered in/).first().waitFor();
    const dir = join(repoRoot, 'test-results');
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, 'workstation.png');
    await page.screenshot({ path: shot });

  });
});

async function expectText(testId: string, pattern: RegExp): Promise<void> {
  const locator = page.getByTestId(testId).first();
  await locator.filter({ hasText: pattern }).waitFor({ timeout: 15_000 });
  expect(await locator.textContent()).toMatch(pattern);
}
