import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../support/web-mode.ts';
import { openWorkstation, repoRoot, showPanel, showQuotedExpiry } from '../support/web-mode.ts';

/**
 * The trader's workflows end to end against the engine quoting the embedded simulator, in
 * Chromium: an override that moves our price, a manual order from the ladder, a delta hedge
 * confirmed into the band, and a flatten that ends flat. Screenshots of the main views on the way.
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

const text = async (testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';
const grid = () => page.getByTestId('chain-grid');
/** The chain row of the selected instrument (the ATM row moves with the forward; this one does not). */
const selectedRow = () => grid().locator('.ag-row', { has: page.locator('.ag-cell.chain-selected') }).first();
const numberIn = (value: string | null): number => Number((value ?? '').replace(/,/g, '').replace('−', '-'));

async function shoot(name: string, updateAsset = false): Promise<void> {
  const dir = join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  const shot = join(dir, `${name}.png`);
  await page.screenshot({ path: shot });
  if (updateAsset && process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(shot, join(repoRoot, 'assets', 'screenshot.png'));
}

describe('trader workflows on the live simulator', () => {
  it('a vol offset override raises the instrument’s theo and our quote in the chain', async () => {
    await showQuotedExpiry(page);
    await grid().locator('.ag-row.chain-atm .ag-cell[col-id="call.theo"]').filter({ hasText: /^\d+\.\d{4}$/ }).first().waitFor({ timeout: 30_000 });
    await grid().locator('.ag-row.chain-atm .ag-cell[col-id="call.theo"]').first().click();
    await expect.poll(() => text('chain-selection')).toMatch(/^BTC-.*-C$/);
    const theoCell = () => selectedRow().locator('.ag-cell[col-id="call.theo"]');
    const before = numberIn(await theoCell().textContent());
    expect(before).toBeGreaterThan(0);

    await showPanel(page, 'Strategy');
    await page.getByTestId('override-scope-instrument').click();
    await page.getByTestId('override-vol').fill('5');
    await page.getByTestId('override-reason').fill('e2e: +5 vol on the ATM call');
    await page.getByTestId('override-submit').click();
    await expect.poll(() => text('override-outcome'), { timeout: 10_000 }).toContain('SetOverride accepted');
    // +5 vol points on an ATM option is worth far more than the forward's drift over a few seconds.
    await expect.poll(async () => numberIn(await theoCell().textContent()), { timeout: 10_000 }).toBeGreaterThan(before);
    const ourBid = numberIn(await selectedRow().locator('.ag-cell[col-id="call.ourBid"]').textContent());
    if (ourBid > 0) expect(ourBid).toBeLessThanOrEqual(numberIn(await theoCell().textContent()));
    await shoot('quoting-override');

    const row = page.getByTestId('override-list').locator('tbody tr', { hasText: 'e2e: +5 vol on the ATM call' });
    await row.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('places a manual order from the ladder: it shows in the blotter and on the ladder row', async () => {
    await showPanel(page, 'Ladder');
    const touch = page.locator('.ladder-row-touch .ladder-bid').filter({ hasText: /\d/ }).first();
    await touch.waitFor({ timeout: 15_000 });
    // The touch bid may sit outside the collar around theo (a wide market): step up toward theo,
    // one row at a time, until the pre-trade checks accept the draft.
    let row = touch.locator('xpath=..');
    let priceKey = '';
    for (let attempt = 0; attempt < 6; attempt++) {
      priceKey = (await row.getAttribute('data-price')) ?? '';
      await row.locator('.ladder-bid').click();
      const answer = page.getByTestId('ladder-check').filter({ hasText: /passes the pre-trade checks|refused/ });
      await answer.first().waitFor({ timeout: 10_000 });
      if (/passes the pre-trade checks/.test((await answer.first().textContent()) ?? '')) break;
      row = row.locator('xpath=preceding-sibling::tr[1]');
    }
    await page.getByTestId('ladder-check').filter({ hasText: /passes the pre-trade checks/ }).waitFor({ timeout: 10_000 });
    await page.getByTestId('ladder-place').click();
    await expect.poll(() => text('ladder-place-outcome'), { timeout: 10_000 }).toContain('PlaceOrder accepted');

    await page.getByTestId('orders-origin-manual').click();
    const blotterRow = page.getByTestId('orders-blotter').locator('.ag-row', { hasText: /manual/ }).first();
    await blotterRow.waitFor({ timeout: 15_000 });
    expect(await blotterRow.textContent()).toMatch(new RegExp(`BTC-.*buy.*${priceKey.replace('.', '\\.')}`));
    if (/open/.test((await blotterRow.textContent()) ?? '')) {
      // Resting: the ladder row at its price shows our bid, with its cancel button.
      const ours = page.getByTestId(`ladder-buy-${priceKey}`);
      await ours.locator('.ladder-ours-amount').waitFor({ timeout: 10_000 });
      await ours.getByTestId('ladder-cancel-buy').click();
      await page.getByTestId('orders-blotter').locator('.ag-row', { hasText: /cancelled|filled/ }).first().waitFor({ timeout: 15_000 });
    }
  });

  it('writes a screenshot of the workstation with quotes, theo, risk and the strategy', async () => {
    // The simulator's takers trade against the strategy's quotes within seconds to tens of seconds.
    await showPanel(page, 'Positions');
    await page.getByTestId('positions-total-BTC').filter({ hasText: /[1-9]\d* open/ }).waitFor({ timeout: 45_000 });
    await showPanel(page, 'Risk');
    await page.getByTestId('risk-greeks').locator('tr.risk-total').waitFor({ timeout: 10_000 });
    await page.getByTestId('status-strategy-BTC').filter({ hasText: 'ACTIVE' }).waitFor({ timeout: 10_000 });
    await page.mouse.move(5, 5);
    await shoot('workstation', true);
  });

  it('previews a delta hedge and, confirmed, brings net delta into the band', async () => {
    // Freeze the inventory: no new fills while the hedge works.
    await showPanel(page, 'Strategy');
    await page.getByTestId('pause-BTC').click();
    await expect.poll(() => text('strategy-mode-BTC'), { timeout: 10_000 }).toBe('PAUSED');
    const band = Number(await page.getByTestId('autohedge-band-BTC').inputValue());
    expect(band).toBeGreaterThan(0);

    const preview = async (): Promise<{ before: number; after: number } | undefined> => {
      await page.getByTestId('hedge-button').click();
      await page.getByTestId('hedge-preview').waitFor();
      const answered = page.getByTestId('hedge-preview-lines').or(page.getByTestId('hedge-preview-outcome').filter({ hasText: 'rejected' }));
      await answered.first().waitFor({ timeout: 15_000 });
      if (!(await page.getByTestId('hedge-preview-lines').isVisible())) return undefined;
      const [before, after] = (await text('hedge-delta')).replace(/ BTC$/, '').split(' → ').map(numberIn);
      return { before: before!, after: after! };
    };
    const first = await preview();
    if (first) {
      expect(Math.abs(first.after)).toBeLessThanOrEqual(band);
      await page.getByTestId('hedge-confirm').click();
      await expect.poll(() => text('hedge-outcome'), { timeout: 10_000 }).toContain('accepted');
      await page.getByTestId('hedge-progress').locator('.execution-done, .execution-failed, .execution-cancelled').first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('hedge-progress').locator('.execution-done').count()).toBe(1);
      await page.keyboard.press('Escape');
      await page.getByTestId('hedge-preview').waitFor({ state: 'detached' });
      // Asked again, the engine's own net delta is inside the band (or there is nothing to hedge).
      const second = await preview();
      if (second) expect(Math.abs(second.before)).toBeLessThanOrEqual(band);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('hedge-preview').waitFor({ state: 'detached' });
  });

  it('flattens: quotes pulled, every position closed, a report shown', async () => {
    await page.getByTestId('flatten-button').click();
    await page.getByTestId('flatten-scope-currency').click();
    await page.getByTestId('flatten-confirm').click();
    await expect.poll(() => text('flatten-outcome'), { timeout: 10_000 }).toContain('accepted');
    // Closes that find no taker inside their slippage cap within 30 s end in the report, not in a hang.
    await page.getByTestId('flatten-done').waitFor({ timeout: 60_000 });
    const report = (await page.getByTestId('flatten-progress').locator('.execution-report').first().textContent()) ?? '';
    expect(report).toMatch(/closed \d+, not closed \d+/);
    await shoot('flatten');
    await page.keyboard.press('Escape');

    let finalReport = report;
    if (!/not closed 0\b/.test(report)) {
      // The report names what the 10 % cap kept open (cheap wings in wide markets); the trader
      // flattens the rest taking whatever the book offers.
      expect(report).toMatch(/not closed [1-9]\d* \(.+: .+\)/);
      await page.getByTestId('flatten-button').click();
      await page.getByTestId('flatten-scope-currency').click();
      await page.getByTestId('flatten-slippage').fill('250');
      expect(await page.getByTestId('flatten-confirm').isDisabled()).toBe(true);
      await page.getByTestId('flatten-slippage-error').waitFor();
      await page.getByTestId('flatten-slippage').fill('100');
      await page.getByTestId('flatten-confirm').click();
      await page.getByTestId('flatten-done').waitFor({ timeout: 60_000 });
      finalReport = `${(await page.getByTestId('flatten-progress').textContent()) ?? ''}`;
      await page.keyboard.press('Escape');
    }
    await showPanel(page, 'Positions');
    await expect.poll(() => text('positions-panel'), { timeout: 15_000, message: `positions left after the flatten reported: ${finalReport}` }).toMatch(/No positions|BTC\s*0 open/);
  });
});
