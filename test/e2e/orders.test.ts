import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebMode } from '../support/web-mode.ts';
import { launchChromium, startWebMode } from '../support/web-mode.ts';

// A manual order from the ticket, against the embedded simulator: it must show in the blotter
// with the venue's answer, and cancel from there.
let web: WebMode;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  web = await startWebMode(['--sim-currencies', 'BTC']);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(web.url);
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

const grid = () => page.getByTestId('chain-grid');
const blotterRow = (text: RegExp) => page.getByTestId('orders-blotter').locator('.ag-row', { hasText: text }).first();

describe('manual orders from the ticket', () => {
  it('refuses an off-tick price before sending anything', async () => {
    await grid().locator('.ag-row.chain-atm .ag-cell[col-id="call.bid"]').first().click();
    await expect.poll(() => page.getByTestId('ticket-instrument').textContent()).toMatch(/^BTC-.*-C$/);
    await page.getByTestId('ticket-price').fill('0.00015');
    await page.getByTestId('ticket-amount').fill('1');
    await expect.poll(() => page.getByTestId('ticket-outcome').textContent()).toContain('multiple of the tick');
    expect(await page.getByTestId('ticket-submit').isDisabled()).toBe(true);
  });

  it('places a resting post-only bid, shows it open in the blotter, and cancels it', async () => {
    // 0.0001 BTC: a bid far below any option's value, so it rests instead of trading.
    await page.getByTestId('ticket-price').fill('0.0001');
    await page.getByTestId('ticket-amount').fill('1');
    await page.getByTestId('ticket-submit').click();
    await expect.poll(() => page.getByTestId('ticket-outcome').textContent()).toContain('PlaceOrder accepted');
    const row = blotterRow(/open/);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toMatch(/BTC-.*-C.*buy.*0\.0001.*manual/);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await blotterRow(/cancelled/).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('cancel-all').textContent()).toContain('(0)');
  });
});
