import { launchChromium, startWebMode } from './support/web-mode.ts';
const web = await startWebMode(['--sim-currencies', 'BTC']);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
await page.goto(web.url);
await page.getByTestId('chain-grid').locator('.ag-row').first().waitFor({ timeout: 30000 });
const wait = Number(process.env.WAIT ?? 5000);
await page.waitForTimeout(wait);
for (const id of (process.env.CLICKS ?? '').split(',').filter(Boolean)) {
  await page.getByTestId(id).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/look/${id}.png` });
}
for (const tab of (process.env.TABS ?? '').split(',').filter(Boolean)) {
  await page.locator('.dv-tab', { hasText: tab }).first().click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `/tmp/look/${tab}.png` });
}
await page.screenshot({ path: '/tmp/look/main.png' });
console.log(errors.slice(0, 20).join('\n'));
await browser.close();
await web.stop();
