import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINE_PORT_MESSAGE, IPC_ENGINE_PORT, IPC_GET_VENUE_SETTINGS, IPC_OPEN_ENGINE_LINK, IPC_SET_VENUE_SETTINGS } from '../core/protocol/index.ts';

// preload.ts runs against a fake 'electron' module and a fake window: what it exposes to the page
// is exactly what contextBridge.exposeInMainWorld receives.

type Listener = (...args: unknown[]) => unknown;

const fakes = vi.hoisted(() => {
  const ipcRenderer = {
    send: vi.fn(),
    on: vi.fn((_channel: string, _listener: Listener) => ipcRenderer),
    invoke: vi.fn(),
    sendSync: vi.fn(),
  };
  const contextBridge = { exposeInMainWorld: vi.fn() };
  return { ipcRenderer, contextBridge, electron: { ipcRenderer, contextBridge } };
});

vi.mock('electron', () => ({ ...fakes.electron, default: fakes.electron }));

const fakeWindow = { postMessage: vi.fn(), location: { origin: 'app://workstation' } };

function exposed(): { name: unknown; api: Record<string, unknown> } {
  const [name, api] = fakes.contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
  return { name, api: api as Record<string, unknown> };
}

describe('electron/preload.ts', () => {
  beforeAll(async () => {
    vi.stubGlobal('window', fakeWindow);
    await import('./preload.ts');
  });

  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it("exposes one object, once, as 'workstation'", () => {
    expect(fakes.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(exposed().name).toBe('workstation');
  });

  it('exposes exactly its three functions: the engine link and the venue settings', () => {
    const { api } = exposed();
    expect(Object.keys(api)).toEqual(['openEngineLink', 'getVenueSettings', 'setVenueSettings']);
    for (const value of Object.values(api)) expect(value).toBeTypeOf('function');
  });

  it('sends venue settings over invoke with only the one argument', () => {
    const { api } = exposed();
    fakes.ipcRenderer.invoke.mockClear();
    (api.setVenueSettings as (...args: unknown[]) => unknown)({ kind: 'simulator' }, 'extra');
    expect(fakes.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_SET_VENUE_SETTINGS, { kind: 'simulator' });
    (api.getVenueSettings as (...args: unknown[]) => unknown)('ignored');
    expect(fakes.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_GET_VENUE_SETTINGS);
    fakes.ipcRenderer.invoke.mockClear();
  });

  it('never hands ipcRenderer (or any of its methods) to the page', () => {
    for (const call of fakes.contextBridge.exposeInMainWorld.mock.calls) {
      for (const argument of call) {
        expect(argument).not.toBe(fakes.ipcRenderer);
        if (typeof argument === 'object' && argument !== null) {
          for (const value of Object.values(argument)) {
            expect(value).not.toBe(fakes.ipcRenderer);
            expect(Object.values(fakes.ipcRenderer)).not.toContain(value);
          }
        }
      }
    }
  });

  it('openEngineLink sends only the open request, and ignores arguments from the page', () => {
    const { api } = exposed();
    (api.openEngineLink as (...args: unknown[]) => void)('evil-channel', { payload: 1 });
    expect(fakes.ipcRenderer.send).toHaveBeenCalledTimes(1);
    expect(fakes.ipcRenderer.send).toHaveBeenCalledWith(IPC_OPEN_ENGINE_LINK);
    expect(fakes.ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(fakes.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('passes the engine port to the page with window.postMessage, to its own origin only', () => {
    expect(fakes.ipcRenderer.on).toHaveBeenCalledTimes(1);
    const [channel, listener] = fakes.ipcRenderer.on.mock.calls[0] as [string, Listener];
    expect(channel).toBe(IPC_ENGINE_PORT);
    const port = { fake: 'port' };
    listener({ ports: [port] });
    expect(fakeWindow.postMessage).toHaveBeenCalledTimes(1);
    expect(fakeWindow.postMessage).toHaveBeenCalledWith(ENGINE_PORT_MESSAGE, 'app://workstation', [port]);
  });
});
