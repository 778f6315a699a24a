import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../support/web-mode.ts';
import { openWorkstation, showPanel } from '../support/web-mode.ts';

/**
 * The trader's controls against the engine quoting the embedded simulator, in Chromium: strategy
 * pause and resume, limits, risk once the simulator's takers have filled the strategy, a quote
 * override with its provenance, the ladder's pre-trade check, the delta-hedge preview, and last
 * (it halts everything) the kill switch and its acknowledgement.
 */

let workstation: Workstation;
let page: Page;

beforeAll(async () => {
  workstation = await openWorkstation();
  page = workstation.page;
});

afterAll(async () => {
  await workstation?.close();
});

const text = (testId: string) => page.getByTestId(testId).first().textContent();
const mode = () => text('strategy-mode-BTC');

describe('trading controls on the live simulator', () => {
  it('shows the BTC strategy ACTIVE, pauses it and resumes it', async () => {
    await showPanel(page, 'Strategy');
    await page.getByTestId('strategy-mode-BTC').filter({ hasText: 'ACTIVE' }).waitFor({ timeout: 30_000 });
    expect(await text('status-strategy-BTC')).toContain('ACTIVE');

    await page.getByTestId('pause-BTC').click();
    await expect.poll(mode, { timeout: 10_000 }).toBe('PAUSED');
    await expect.poll(() => text('mode-outcome-BTC')).toContain('SetStrategyMode accepted');
    expect(await text('strategy-reason-BTC')).toContain('paused by the trader');
    expect(await text('action-mode')).toBe('PAUSED');

    await page.getByTestId('resume-BTC').click();
    await expect.poll(mode, { timeout: 10_000 }).toBe('ACTIVE');
  });

  it('lists the limits with their utilization', async () => {
    await showPanel(page, 'Limits');
    const rows = page.getByTestId('limits-panel').locator('tr.limit-row');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBeGreaterThan(3);
    const row = rows.first();
    expect(await row.getAttribute('data-state')).toMatch(/^(ok|warn|breach)$/);
    expect(await row.locator('.limit-util-text').textContent()).toMatch(/^\d[\d,]*(\.\d+)? %$/);
    expect(await row.locator('th').textContent()).toMatch(/^BTC /);
  });

  it('shows Greeks in the risk panel once the strategy holds positions', async () => {
    // The simulator's takers trade against the strategy's quotes within seconds to tens of seconds.
    await showPanel(page, 'Positions');
    await page.getByTestId('positions-total-BTC').waitFor({ timeout: 45_000 });
    expect(await text('positions-total-BTC')).toMatch(/BTC\s*\d+ open/);
    await showPanel(page, 'Risk');
    const total = page.getByTestId('risk-greeks').locator('tr.risk-total');
    await total.waitFor({ timeout: 10_000 });
    expect(await text('risk-underlying')).toContain('BTC');
    expect(await total.locator('td[data-greek]').count()).toBeGreaterThanOrEqual(4);
    // Some Greek of a book of options is not zero (the risk tick may follow the position by a moment).
    await expect.poll(async () => (await total.locator('td[data-greek]').allTextContents()).some((value) => /[1-9]/.test(value)), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('risk-pnl').textContent()).toMatch(/Total/);
  });

  it('sets an override from the editor, lists it with its provenance, and clears it', async () => {
    await page.getByTestId('chain-grid').locator('.ag-row.chain-atm .ag-cell[col-id="call.bid"]').first().click();
    await expect.poll(() => text('chain-selection')).toMatch(/^BTC-.*-C$/);
    const instrument = (await text('chain-selection')) ?? '';
    await showPanel(page, 'Strategy');
    await page.getByTestId('override-scope-instrument').click();
    await page.getByTestId('override-width').fill('2');
    await page.getByTestId('override-reason').fill('e2e: widen the ATM call');
    await page.getByTestId('override-submit').click();
    await expect.poll(() => text('override-outcome'), { timeout: 10_000 }).toContain('SetOverride accepted');

    const row = page.getByTestId('override-list').locator('tbody tr', { hasText: 'e2e: widen the ATM call' });
    await row.waitFor({ timeout: 10_000 });
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toContain(instrument);
    expect(cells[1]).toMatch(/width/i);
    expect(cells[2]).toBe('trader');
    expect(cells[3]).toMatch(/^\d\d:\d\d:\d\d/);

    await row.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await text('override-clear-outcome')).toContain('ClearOverride accepted');
  });

  it('asks the pre-trade checks about a price clicked in the ladder', async () => {
    await showPanel(page, 'Ladder');
    const bid = page.locator('.ladder-row-touch .ladder-bid').filter({ hasText: /\d/ }).first();
    await bid.waitFor({ timeout: 10_000 });
    await bid.click();
    expect(await text('ladder-draft')).toMatch(/^BUY 0\.1 @ 0\.\d{4}$/);
    await page.getByTestId('ladder-check').filter({ hasText: /passes the pre-trade checks|refused by/ }).waitFor({ timeout: 10_000 });
  });

  it('previews a delta hedge, or says why it cannot', async () => {
    await page.getByTestId('hedge-button').click();
    const dialog = page.getByTestId('hedge-preview');
    await dialog.waitFor();
    const answered = page.getByTestId('hedge-preview-lines').or(page.getByTestId('hedge-preview-outcome').filter({ hasText: 'rejected' }));
    await answered.first().waitFor({ timeout: 15_000 });
    if (await page.getByTestId('hedge-preview-lines').isVisible()) {
      expect(await text('hedge-order')).toMatch(/^(BUY|SELL) [\d,.]+ \S+ BTC-\S+ limit [\d,.]+/);
      expect(await text('hedge-delta')).toMatch(/^[+−]\d+\.\d{3} → [+−]\d+\.\d{3} BTC$/);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('latches HALTED on the kill switch, and the acknowledgement brings the strategy back PAUSED', async () => {
    await page.getByTestId('kill-switch').click();
    await page.getByTestId('halt-status').filter({ hasText: 'HALTED' }).waitFor({ timeout: 10_000 });
    expect(await text('halt-reason')).toContain('kill switch pulled by the trader');
    expect(await text('status-halted')).toContain('HALTED: kill switch pulled by the trader');
    await showPanel(page, 'Strategy');
    await expect.poll(mode, { timeout: 10_000 }).toBe('HALTED');
    expect(await page.getByTestId('resume-BTC').isDisabled()).toBe(true);

    // The engine's own account of it reaches the event log.
    await showPanel(page, 'Event log');
    await page.getByTestId('event-log-search').fill('kill switch');
    await page.getByTestId('event-log').locator('.ag-row', { hasText: /engine\s*kill\s*error/ }).first().waitFor({ timeout: 10_000 });

    expect(await page.getByTestId('halt-ack-confirm').isDisabled()).toBe(true);
    await page.getByTestId('halt-ack-check').check();
    await page.getByTestId('halt-ack-confirm').click();
    await page.getByTestId('halt-ack').waitFor({ state: 'detached', timeout: 10_000 });
    await showPanel(page, 'Strategy');
    await expect.poll(mode, { timeout: 10_000 }).toBe('PAUSED');
    expect(await page.getByTestId('status-halted').count()).toBe(0);
  });
});
