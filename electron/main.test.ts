import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_GET_VENUE_SETTINGS, IPC_OPEN_ENGINE_LINK, IPC_SET_VENUE_SETTINGS } from '../core/protocol/index.ts';
import { APP_ENTRY_URL, APP_SCHEME, secureWebPreferences } from './security.ts';

// main.ts runs for real against a fake 'electron' module: every API it touches is recorded here.
// The engine host is replaced too, so no worker thread is started and nothing outlives the test.

type Listener = (...args: unknown[]) => unknown;

const fakes = vi.hoisted(() => {
  const listeners = (): Map<string, Listener[]> => new Map();
  const addListener = (map: Map<string, Listener[]>, name: string, listener: Listener): void => {
    map.set(name, [...(map.get(name) ?? []), listener]);
  };

  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let resolveQuit: () => void = () => undefined;
  const quitted = new Promise<void>((resolve) => (resolveQuit = resolve));
  const appListeners = listeners();
  /** Ordered record of the calls whose order matters (privileged schemes before ready, …). */
  const timeline: string[] = [];

  const app = {
    listeners: appListeners,
    enableSandbox: vi.fn(() => timeline.push('enableSandbox')),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(() => {
      timeline.push('quit');
      resolveQuit();
    }),
    on: vi.fn((name: string, listener: Listener) => {
      addListener(appListeners, name, listener);
      return app;
    }),
    whenReady: vi.fn(() => ready),
    /** The user-data folder: the engine's journal goes under it (a per-run temp folder here). */
    getPath: vi.fn((name: string) => `${process.env.TMPDIR ?? '/tmp'}/workstation-electron-test-${process.pid}/${name}`),
  };

  class FakeBrowserWindow {
    static readonly instances: FakeBrowserWindow[] = [];
    static getAllWindows = vi.fn(() => [...FakeBrowserWindow.instances]);
    readonly listeners = listeners();
    readonly loadURL = vi.fn(async (_url: string) => undefined);
    readonly loadFile = vi.fn(async (_path: string) => undefined);
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => true);
    readonly once = vi.fn((name: string, listener: Listener) => addListener(this.listeners, name, listener));
    readonly on = vi.fn((name: string, listener: Listener) => addListener(this.listeners, name, listener));
    constructor(readonly options: Record<string, unknown>) {
      timeline.push('BrowserWindow');
      FakeBrowserWindow.instances.push(this);
    }
  }

  const permission = {
    request: undefined as Listener | undefined,
    check: undefined as Listener | undefined,
    beforeRequest: undefined as Listener | undefined,
  };
  const defaultSession = {
    setPermissionRequestHandler: vi.fn((handler: Listener) => {
      timeline.push('setPermissionRequestHandler');
      permission.request = handler;
    }),
    setPermissionCheckHandler: vi.fn((handler: Listener) => (permission.check = handler)),
    webRequest: { onBeforeRequest: vi.fn((handler: Listener) => (permission.beforeRequest = handler)) },
  };

  const protocol = {
    registerSchemesAsPrivileged: vi.fn(() => timeline.push('registerSchemesAsPrivileged')),
    handle: vi.fn(),
  };
  const ipcMain = { on: vi.fn(), handle: vi.fn() };
  /** A keychain with nothing stored: the app runs the simulator. */
  const safeStorage = { isEncryptionAvailable: vi.fn(() => true), getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'), encryptString: vi.fn(), decryptString: vi.fn() };

  class FakeMessageChannelMain {
    readonly port1 = { postMessage: vi.fn(), on: vi.fn(), start: vi.fn(), close: vi.fn() };
    readonly port2 = { postMessage: vi.fn(), on: vi.fn(), start: vi.fn(), close: vi.fn() };
  }

  class FakeEngineHost {
    static readonly instances: FakeEngineHost[] = [];
    readonly start = vi.fn(() => timeline.push('host.start'));
    readonly stop = vi.fn(async () => {
      timeline.push('host.stop');
    });
    readonly connect = vi.fn();
    constructor(readonly options: { workerUrl: URL; execArgv?: string[]; workerData?: { venue?: unknown } }) {
      FakeEngineHost.instances.push(this);
    }
  }

  const simulatorVenue = { kind: 'deribit', venueId: 'sim', displayName: 'Simulator', url: 'ws://127.0.0.1:1/ws/api/v2', currencies: ['BTC', 'ETH'] };
  const startSimulator = vi.fn(async (options: { workerUrl: URL }) => {
    timeline.push('simulator.start');
    return { port: 1, instruments: 0, venue: simulatorVenue, workerUrl: options.workerUrl, stop: vi.fn(async () => void timeline.push('simulator.stop')) };
  });

  return {
    timeline,
    startSimulator,
    simulatorVenue,
    resolveReady,
    ready,
    quitted,
    app,
    FakeBrowserWindow,
    defaultSession,
    permission,
    protocol,
    ipcMain,
    FakeMessageChannelMain,
    FakeEngineHost,
    electron: {
      app,
      BrowserWindow: FakeBrowserWindow,
      ipcMain,
      protocol,
      safeStorage,
      session: { defaultSession },
      MessageChannelMain: FakeMessageChannelMain,
    },
  };
});

vi.mock('electron', () => ({ ...fakes.electron, default: fakes.electron }));
afterAll(() => rmSync(`${process.env.TMPDIR ?? '/tmp'}/workstation-electron-test-${process.pid}`, { recursive: true, force: true }));
vi.mock('../core/engine/host.ts', () => ({ EngineHost: fakes.FakeEngineHost }));
vi.mock('../core/engine/simulator.ts', () => ({ startSimulator: fakes.startSimulator }));

function appListener(name: string): Listener {
  const [listener] = fakes.app.listeners.get(name) ?? [];
  if (!listener) throw new Error(`main.ts registered no app '${name}' listener`);
  return listener;
}

function onlyWindow(): InstanceType<typeof fakes.FakeBrowserWindow> {
  expect(fakes.FakeBrowserWindow.instances).toHaveLength(1);
  return fakes.FakeBrowserWindow.instances[0]!;
}

describe('electron/main.ts', () => {
  describe('before the app is ready', () => {
    beforeAll(async () => {
      await import('./main.ts');
    });

    it('registers app:// as a privileged standard, secure scheme, before ready', () => {
      expect(fakes.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
      const [schemes] = fakes.protocol.registerSchemesAsPrivileged.mock.calls[0] as unknown as [Array<{ scheme: string; privileges: Record<string, boolean> }>];
      expect(schemes).toHaveLength(1);
      expect(schemes[0]?.scheme).toBe(APP_SCHEME);
      expect(schemes[0]?.privileges).toMatchObject({ standard: true, secure: true });
      // Nothing that would weaken the page's CSP or open it to other origins.
      expect(schemes[0]?.privileges.bypassCSP).not.toBe(true);
      expect(schemes[0]?.privileges.corsEnabled).not.toBe(true);
      expect(schemes[0]?.privileges.allowServiceWorkers).not.toBe(true);
    });

    it('enables the sandbox for every renderer', () => {
      expect(fakes.app.enableSandbox).toHaveBeenCalledTimes(1);
    });

    it('asks for the single-instance lock', () => {
      expect(fakes.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
      expect(fakes.app.quit).not.toHaveBeenCalled();
    });

    it('hardens every web contents as it is created', () => {
      const contentsListeners = new Map<string, Listener>();
      let openHandler: Listener | undefined;
      const contents = {
        setWindowOpenHandler: (handler: Listener) => (openHandler = handler),
        on: (name: string, listener: Listener) => contentsListeners.set(name, listener),
      };
      appListener('web-contents-created')({}, contents);
      expect(openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
      for (const name of ['will-navigate', 'will-redirect']) {
        const remote = { preventDefault: vi.fn() };
        contentsListeners.get(name)?.(remote, 'https://example.com/');
        expect(remote.preventDefault).toHaveBeenCalled();
        const own = { preventDefault: vi.fn() };
        contentsListeners.get(name)?.(own, APP_ENTRY_URL);
        expect(own.preventDefault).not.toHaveBeenCalled();
      }
      const webview = { preventDefault: vi.fn() };
      contentsListeners.get('will-attach-webview')?.(webview, {}, {});
      expect(webview.preventDefault).toHaveBeenCalled();
    });

    it('creates no window, session handler or engine before ready', () => {
      expect(fakes.FakeBrowserWindow.instances).toHaveLength(0);
      expect(fakes.FakeEngineHost.instances).toHaveLength(0);
      expect(fakes.defaultSession.setPermissionRequestHandler).not.toHaveBeenCalled();
    });
  });

  describe('once the app is ready', () => {
    beforeAll(async () => {
      fakes.resolveReady();
      // main.ts chained its handler on the same promise first; it then awaits the (fake)
      // simulator, so give it a bounded number of microtask turns to create the window.
      await fakes.ready;
      for (let turn = 0; turn < 100 && fakes.FakeBrowserWindow.instances.length === 0; turn++) await Promise.resolve();
    });

    it('hardens the default session before creating the window: every permission is denied', () => {
      expect(fakes.timeline.indexOf('setPermissionRequestHandler')).toBeLessThan(fakes.timeline.indexOf('BrowserWindow'));
      let granted: boolean | undefined;
      fakes.permission.request?.({}, 'media', (answer: boolean) => (granted = answer), {});
      expect(granted).toBe(false);
      expect(fakes.permission.check?.(null, 'notifications', 'app://workstation', {})).toBe(false);
      let response: unknown;
      fakes.permission.beforeRequest?.({ url: 'https://example.com/x.js' }, (answer: unknown) => (response = answer));
      expect(response).toEqual({ cancel: true });
    });

    it('serves the renderer on app:// and nothing for other hosts', async () => {
      expect(fakes.protocol.handle).toHaveBeenCalledTimes(1);
      const [scheme, handler] = fakes.protocol.handle.mock.calls[0] as unknown as [string, (request: { url: string }) => Promise<Response>];
      expect(scheme).toBe(APP_SCHEME);
      expect((await handler({ url: 'app://other/index.html' })).status).toBe(404);
      expect((await handler({ url: 'app://workstation/../../package.json' })).status).toBe(404);
    });

    it('creates one window with the secure web preferences and the built preload', () => {
      const window = onlyWindow();
      const prefs = window.options.webPreferences as ReturnType<typeof secureWebPreferences>;
      expect(prefs.contextIsolation).toBe(true);
      expect(prefs.sandbox).toBe(true);
      expect(prefs.nodeIntegration).toBe(false);
      expect(prefs.nodeIntegrationInWorker).toBe(false);
      expect(prefs.nodeIntegrationInSubFrames).toBe(false);
      expect(prefs.webSecurity).toBe(true);
      expect(prefs.webviewTag).toBe(false);
      expect(prefs.preload).toMatch(/[/\\]electron[/\\]preload\.cjs$/);
      expect(isAbsolute(prefs.preload ?? '')).toBe(true);
      expect(prefs).toEqual(secureWebPreferences(prefs.preload ?? ''));
      expect(window.options.title).toBe('Options Workstation');
    });

    it('loads app://workstation/index.html and nothing else', () => {
      const window = onlyWindow();
      expect(window.loadURL).toHaveBeenCalledTimes(1);
      expect(window.loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
      expect(window.loadFile).not.toHaveBeenCalled();
      for (const [url] of window.loadURL.mock.calls) {
        expect(url).not.toMatch(/^(https?|file):/);
      }
    });

    it('shows the window only once it is ready to show', () => {
      const window = onlyWindow();
      expect(window.options.show).toBe(false);
      expect(window.show).not.toHaveBeenCalled();
      for (const listener of window.listeners.get('ready-to-show') ?? []) listener();
      expect(window.show).toHaveBeenCalledTimes(1);
    });

    it('starts one engine host on the built worker and relays the engine link over IPC', () => {
      expect(fakes.FakeEngineHost.instances).toHaveLength(1);
      const host = fakes.FakeEngineHost.instances[0]!;
      expect(host.start).toHaveBeenCalledTimes(1);
      expect(host.options.workerUrl.protocol).toBe('file:');
      expect(fileURLToPath(host.options.workerUrl)).toMatch(/[/\\]engine[/\\]worker\.mjs$/);
      expect(host.options.execArgv ?? []).toEqual([]);
      // With no venue configured the engine trades against the embedded simulator, started first in its own worker.
      expect(fakes.startSimulator).toHaveBeenCalledTimes(1);
      expect(fileURLToPath(fakes.startSimulator.mock.calls[0]![0].workerUrl)).toMatch(/[/\\]sim[/\\]worker\.mjs$/);
      expect(host.options.workerData?.venue).toEqual(fakes.simulatorVenue);
      expect(fakes.timeline.indexOf('simulator.start')).toBeLessThan(fakes.timeline.indexOf('host.start'));
      expect(fakes.ipcMain.on).toHaveBeenCalledWith(IPC_OPEN_ENGINE_LINK, expect.any(Function));
      // The settings panel's two operations: read (no secret) and save (validated, keychain-encrypted).
      expect(fakes.ipcMain.handle).toHaveBeenCalledWith(IPC_GET_VENUE_SETTINGS, expect.any(Function));
      expect(fakes.ipcMain.handle).toHaveBeenCalledWith(IPC_SET_VENUE_SETTINGS, expect.any(Function));
      expect(fakes.ipcMain.on).toHaveBeenCalledTimes(1);
    });

    it('focuses the existing window when a second instance starts', () => {
      const window = onlyWindow();
      appListener('second-instance')();
      expect(window.restore).toHaveBeenCalledTimes(1);
      expect(window.focus).toHaveBeenCalledTimes(1);
      expect(fakes.FakeBrowserWindow.instances).toHaveLength(1);
    });

    it('does not open a second window on activate while one exists', () => {
      appListener('activate')();
      expect(fakes.FakeBrowserWindow.instances).toHaveLength(1);
    });

    it('stops the engine host, then quits, when the last window closes', async () => {
      const host = fakes.FakeEngineHost.instances[0]!;
      appListener('window-all-closed')();
      await fakes.quitted;
      expect(fakes.app.quit).toHaveBeenCalledTimes(1);
      expect(host.stop).toHaveBeenCalledTimes(1);
      expect(fakes.timeline.indexOf('host.stop')).toBeLessThan(fakes.timeline.indexOf('quit'));
      expect(fakes.timeline.indexOf('simulator.stop')).toBeLessThan(fakes.timeline.indexOf('quit'));
    });
  });
});
