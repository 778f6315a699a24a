import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../support/web-mode.ts';
import { openWorkstation, showQuotedExpiry } from '../support/web-mode.ts';

// A manual order from the ticket, against the embedded simulator: it must show in the blotter
// with the venue's answer, and cancel from there.
let workstation: Workstation;
let page: Page;

beforeAll(async () => {
  workstation = await openWorkstation();
  page = workstation.page;
});

afterAll(async () => {
  await workstation?.close();
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

  it('places a resting post-only bid near theo, shows it open among the manual orders, and cancels it', async () => {
    // A cheap put (premium under 0.005 BTC, where the tick is 0.0001): a bid two ticks under our
    // theo passes the engine's price collar (4 ticks or 10 % of theo) and rests below the ask.
    await showQuotedExpiry(page);
    await grid().locator('.ag-cell[col-id="put.theo"]').filter({ hasText: /^0\.00[1-4]\d$/ }).first().waitFor({ timeout: 20_000 });
    const pick = await page.evaluate(() => {
      for (const row of Array.from(document.querySelectorAll('[data-testid="chain-grid"] .ag-row'))) {
        const theo = Number(row.querySelector('[col-id="put.theo"]')?.textContent || NaN);
        const ask = Number(row.querySelector('[col-id="put.ask"]')?.textContent || NaN);
        const price = (Math.round(theo * 10_000) - 2) / 10_000;
        if (theo >= 0.001 && theo <= 0.0045 && ask > price) return { rowIndex: row.getAttribute('row-index'), price: price.toFixed(4) };
      }
      return undefined;
    });
    expect(pick, 'a put priced between 0.001 and 0.0045 BTC is on screen').toBeDefined();
    await grid().locator(`.ag-row[row-index="${pick!.rowIndex}"] .ag-cell[col-id="put.bid"]`).first().click();
    await expect.poll(() => page.getByTestId('ticket-instrument').textContent()).toMatch(/^BTC-.*-P$/);
    await page.getByTestId('ticket-price').fill(pick!.price);
    await page.getByTestId('ticket-amount').fill('0.1');
    await page.getByTestId('ticket-submit').click();
    await expect.poll(() => page.getByTestId('ticket-outcome').textContent(), { timeout: 10_000 }).toContain('PlaceOrder accepted');
    // The strategy's orders churn through the blotter: show the trader's own.
    await page.getByTestId('orders-origin-manual').click();
    const row = blotterRow(/open/);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toMatch(new RegExp(`BTC-.*-P.*buy.*${pick!.price.replace('.', '\\.')}.*manual`));
    await row.getByRole('button', { name: 'Cancel' }).click();
    await blotterRow(/cancelled/).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('orders-origin-manual').textContent()).toMatch(/Manual\s*0$/);
  });
});
