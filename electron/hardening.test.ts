import { describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN } from './security.ts';
import { hardenSession, hardenWebContents } from './hardening.ts';

// Small fakes of Electron's Session and WebContents: they record the handlers the code installs
// so each test can call them like Electron would.

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;
type BeforeRequestListener = (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;

function fakeSession() {
  const handlers: { request?: PermissionRequestHandler; check?: PermissionCheckHandler; beforeRequest?: BeforeRequestListener } = {};
  const session = {
    setPermissionRequestHandler: (handler: PermissionRequestHandler) => {
      handlers.request = handler;
    },
    setPermissionCheckHandler: (handler: PermissionCheckHandler) => {
      handlers.check = handler;
    },
    webRequest: {
      onBeforeRequest: (listener: BeforeRequestListener) => {
        handlers.beforeRequest = listener;
      },
    },
  };
  hardenSession(session as unknown as Parameters<typeof hardenSession>[0]);
  return handlers;
}

function requestPermission(handler: PermissionRequestHandler | undefined, permission: string): boolean | undefined {
  let granted: boolean | undefined;
  handler?.({}, permission, (answer) => (granted = answer), { requestingUrl: APP_ENTRY_URL });
  return granted;
}

function beforeRequest(listener: BeforeRequestListener | undefined, url: string): { cancel?: boolean } | undefined {
  let response: { cancel?: boolean } | undefined;
  listener?.({ url }, (answer) => (response = answer));
  return response;
}

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'display-capture', 'fullscreen', 'openExternal', 'usb', 'hid', 'serial', 'unknown'];

describe('hardenSession', () => {
  it('installs a permission request handler, a check handler and a request filter', () => {
    const handlers = fakeSession();
    expect(handlers.request).toBeTypeOf('function');
    expect(handlers.check).toBeTypeOf('function');
    expect(handlers.beforeRequest).toBeTypeOf('function');
  });

  it.each(PERMISSIONS)('denies the %s permission request', (permission) => {
    expect(requestPermission(fakeSession().request, permission)).toBe(false);
  });

  it.each(PERMISSIONS)('answers false to a %s permission check, even from the app origin', (permission) => {
    expect(fakeSession().check?.(null, permission, APP_ORIGIN, {})).toBe(false);
  });

  it.each(['https://example.com/tracker.js', 'http://127.0.0.1:8080/', 'wss://www.deribit.com/ws/api/v2', 'file:///etc/passwd', 'app://other/index.html', 'data:text/plain,x'])(
    'cancels a request to %s',
    (url) => {
      expect(beforeRequest(fakeSession().beforeRequest, url)).toEqual({ cancel: true });
    },
  );

  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/assets/index.js`, 'devtools://devtools/bundled/inspector.html'])('lets a request to %s through', (url) => {
    expect(beforeRequest(fakeSession().beforeRequest, url)).toEqual({ cancel: false });
  });
});

type Listener = (event: { preventDefault: () => void }, ...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      windowOpenHandler = handler;
    },
    on: (name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
  };
  hardenWebContents(contents as unknown as Parameters<typeof hardenWebContents>[0]);
  /** Emits like Electron does; returns whether some listener prevented the default. */
  const emit = (name: string, ...args: unknown[]): boolean => {
    const event = { preventDefault: vi.fn() };
    for (const listener of listeners.get(name) ?? []) listener(event, ...args);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { listeners, emit, openWindow: (url: string) => windowOpenHandler?.({ url }) };
}

describe('hardenWebContents', () => {
  it.each(['https://example.com/', APP_ENTRY_URL, 'about:blank', 'file:///etc/passwd'])('denies window.open of %s', (url) => {
    expect(fakeContents().openWindow(url)).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-redirect'])('listens to %s', (name) => {
    expect(fakeContents().listeners.get(name)).toHaveLength(1);
  });

  it.each(['https://example.com/phish', 'http://127.0.0.1:5173/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'about:blank'])(
    'prevents navigation and redirects to %s',
    (url) => {
      const contents = fakeContents();
      expect(contents.emit('will-navigate', url)).toBe(true);
      expect(contents.emit('will-redirect', url)).toBe(true);
    },
  );

  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html#engine`])('lets navigation and redirects to %s happen (reload)', (url) => {
    const contents = fakeContents();
    expect(contents.emit('will-navigate', url)).toBe(false);
    expect(contents.emit('will-redirect', url)).toBe(false);
  });

  it('prevents attaching any webview', () => {
    const contents = fakeContents();
    expect(contents.emit('will-attach-webview', { preload: '/tmp/evil.js', nodeIntegration: true }, { src: APP_ENTRY_URL })).toBe(true);
    expect(contents.emit('will-attach-webview', {}, { src: 'https://example.com/' })).toBe(true);
  });
});
