import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright-core';
import { _electron } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../core/protocol/index.ts';

// The real desktop app: the built main process (dist/electron/main.cjs) in the real Electron
// binary, driven by Playwright over CDP. Each test launches its own app with its own user data
// folder, so no state (layout, storage, single-instance lock) leaks between tests or from a
// trader's own installation.
//
// Electron downloads its binary separately from the npm package; where that download is not
// possible the whole suite is skipped, with the reason in its name.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN_SCRIPT = 'dist/electron/main.cjs';
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');

/** Why this machine cannot run the Electron app, or undefined when it can. */
function whyNotRunnable(): string | undefined {
  const fetchHint = 'run `npm run fetch-electron` on a machine that can download it';
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return `Electron binary not present (node_modules/electron/path.txt missing): ${fetchHint}`;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (!existsSync(join(ELECTRON_DIR, 'dist', relative))) return `Electron binary not present (node_modules/electron/dist/${relative} missing): ${fetchHint}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display for Electron (DISPLAY unset): run the e2e tests under `xvfb-run`';
  }
  return undefined;
}

const skipReason = whyNotRunnable();
if (skipReason) console.warn(`[e2e/electron] skipped: ${skipReason}`);

interface Launched {
  readonly app: ElectronApplication;
  readonly page: Page;
  readonly userDataDir: string;
  /** The main process's stdout and stderr, printed when a test fails. */
  readonly output: string[];
}

async function launchApp(userDataDir: string): Promise<Launched> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  const app = await _electron.launch({
    // Playwright finds the binary through the electron package (safe now that it exists) and
    // injects its loader, so the first window cannot be missed.
    args: [MAIN_SCRIPT, `--user-data-dir=${userDataDir}`],
    cwd: ROOT,
    env,
    timeout: 30_000,
  });
  const output: string[] = [];
  app.process().stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  app.process().stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, userDataDir, output };
}

/** The `#N` heartbeat sequence number shown in an element. */
async function heartbeatSeq(page: Page, testId: string): Promise<number> {
  const text = await page.getByTestId(testId).innerText();
  const match = /#(\d+)/.exec(text);
  if (!match) throw new Error(`no heartbeat sequence in ${testId}: ${JSON.stringify(text)}`);
  return Number(match[1]);
}

/** Resolves once the heartbeat number shown in the element has grown past `after`. */
async function heartbeatPasses(page: Page, testId: string, after: number): Promise<void> {
  await page.waitForFunction(
    ([id, previous]) => {
      const match = /#(\d+)/.exec(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '');
      return match !== null && Number(match[1]) > previous;
    },
    [testId, after] as const,
  );
}

describe.skipIf(skipReason !== undefined)(`Electron desktop app${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let launched: Launched | undefined;
  let userDataDir: string | undefined;

  beforeAll(() => {
    if (!existsSync(join(ROOT, MAIN_SCRIPT))) throw new Error(`${MAIN_SCRIPT} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  });

  beforeEach(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'workstation-e2e-'));
    launched = await launchApp(userDataDir);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && launched) console.log(`main process output:\n${launched.output.join('')}`);
    await launched?.app.close();
    launched = undefined;
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    userDataDir = undefined;
  });

  function current(): Launched {
    if (!launched) throw new Error('the app did not launch');
    return launched;
  }

  it('opens one window titled Options Workstation, on app://workstation, with its own user data folder', async () => {
    const { app, page, userDataDir: dir } = current();
    expect(await page.title()).toBe('Options Workstation');
    expect(page.url()).toBe('app://workstation/index.html');
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((window) => window.getTitle()));
    expect(windows).toEqual(['Options Workstation']);
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect([dir, realpathSync(dir)]).toContain(userData);
  });

  it('shows the engine running in the status bar, with heartbeats arriving', async () => {
    const { page } = current();
    await page.getByTestId('engine-status').filter({ hasText: 'Engine running' }).waitFor();
    await page.getByTestId('link-status').filter({ hasText: 'link open' }).waitFor();
    const first = await heartbeatSeq(page, 'heartbeat-age');
    await heartbeatPasses(page, 'heartbeat-age', first + 2);
    expect(await heartbeatSeq(page, 'heartbeat-age')).toBeGreaterThan(first + 2);
    // The age is a live figure, never the placeholder.
    expect(await page.getByTestId('heartbeat-age').innerText()).toMatch(/heartbeat \d+(\.\d+)? (µs|ms|s)/);
  });

  it('shows the heartbeat in the Engine panel, and answers a ping over the MessagePort link', async () => {
    const { page } = current();
    await page.getByTestId('engine-run-state').filter({ hasText: 'running' }).waitFor();
    const first = await heartbeatSeq(page, 'engine-heartbeat');
    await heartbeatPasses(page, 'engine-heartbeat', first);

    await page.getByTestId('ping-button').click(); // Playwright waits until the link is open (enabled)
    await page.getByTestId('engine-rtt').filter({ hasText: '(1 pings)' }).waitFor();
    expect(await page.getByTestId('engine-rtt').innerText()).toMatch(/^p50 \d/);
    await page.getByTestId('event-log').getByText(/Ping answered in/).first().waitFor();
  });

  it('gives the page only window.workstation.openEngineLink, and no Node', async () => {
    const { page } = current();
    const surface = await page.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      const bridge = scope.workstation as Record<string, unknown> | undefined;
      return {
        keys: bridge === undefined ? null : Object.getOwnPropertyNames(bridge),
        openEngineLink: typeof bridge?.openEngineLink,
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        Buffer: typeof scope.Buffer,
        ipcRenderer: typeof scope.ipcRenderer,
        electron: typeof scope.electron,
      };
    });
    expect(surface).toEqual({
      keys: ['openEngineLink'],
      openEngineLink: 'function',
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
    });
  });

  it('serves the page with the CSP and refuses new windows', async () => {
    const { app, page } = current();
    const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(await page.evaluate(() => window.open('/index.html') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });
});
