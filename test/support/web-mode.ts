import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Flags for Debian's Chromium on a machine with no network beyond loopback. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error("Debian's chromium is not installed: run `apt-get install chromium` (.ci/run does this)");
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}

export interface WebMode {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the built web mode (dist/web/serve.mjs) on a free loopback port and waits for its URL. */
export function startWebMode(extraArgs: readonly string[] = []): Promise<WebMode> {
  // Each run journals into its own folder: tests never share, nor touch the trader's home.
  const dataDir = mkdtempSync(join(tmpdir(), 'workstation-e2e-'));
  const child = spawn(process.execPath, ['dist/web/serve.mjs', '--port', '0', '--data-dir', dataDir, ...extraArgs], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`web mode printed no URL within 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: match[1],
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            const finish = (): void => {
              rmSync(dataDir, { recursive: true, force: true });
              done();
            };
            if (child.exitCode !== null) return finish();
            child.once('exit', finish);
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}:\n${output}`));
    });
  });
}

export interface Workstation {
  readonly web: WebMode;
  readonly browser: Browser;
  readonly page: Page;
  /** Closes the browser and stops web mode (also after a test stopped web mode itself). */
  close(): Promise<void>;
}

export interface WorkstationOptions {
  /** Web mode's arguments; the embedded simulator listing BTC only unless given. */
  readonly args?: readonly string[];
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Runs on the page before it loads the workstation (an init script that must see its first task). */
  readonly beforeLoad?: (page: Page) => Promise<unknown>;
}

/**
 * The built workstation in web mode, open in Chromium with its engine link up: what every
 * end-to-end test against web mode starts from. Whatever fails on the way is closed again.
 */
export async function openWorkstation(options: WorkstationOptions = {}): Promise<Workstation> {
  const web = await startWebMode(options.args ?? ['--sim-currencies', 'BTC']);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 900 } });
    await options.beforeLoad?.(page);
    await page.goto(web.url);
    await page.getByTestId('link-status').filter({ hasText: 'link open' }).waitFor({ timeout: 30_000 });
    const opened = browser;
    return {
      web,
      browser: opened,
      page,
      close: async () => {
        await opened.close();
        await web.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await web.stop();
    throw error;
  }
}

/** Brings a docked panel to the front (panels sharing a dock group are tabs). */
export async function showPanel(page: Page, title: string): Promise<void> {
  await page.locator('.dv-tab', { hasText: title }).first().click();
}

/**
 * Shows the chain in its Quoting view on the nearest expiry the strategy quotes. The front expiry
 * is not always quoted: within half a day of its expiry (minDaysToExpiry) the strategy leaves it,
 * so a test that needs theo and our quotes must not depend on the time of day it runs at.
 */
export async function showQuotedExpiry(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.getByTestId('chain-view-quoting').click();
  const theo = page.getByTestId('chain-grid').locator('.ag-cell[col-id="call.theo"], .ag-cell[col-id="put.theo"]').filter({ hasText: /\d/ });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tabs = page.getByTestId('chain-expiries').locator('.chain-expiry');
    const count = await tabs.count();
    for (let i = 0; i < count; i++) {
      await tabs.nth(i).click();
      try {
        await theo.first().waitFor({ timeout: 2_000 });
        return;
      } catch {
        // Not quoted (yet): the next expiry.
      }
    }
  }
  throw new Error(`no expiry with theo values in the chain within ${timeoutMs} ms`);
}
