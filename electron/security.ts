import type { WebPreferences } from 'electron';

/**
 * The Electron shell's security settings, as plain data and pure predicates so a test checks
 * each one. Follows Electron's security checklist: isolated, sandboxed renderer without Node;
 * local content only, from a custom scheme rather than file://.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** Only the app's own pages; anything else (remote or file://) is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** IPC is answered only for the app's own top-level page, never for a frame or remote page. */
export function isTrustedSender(frame: { readonly url: string; readonly parent: unknown } | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** Requests the renderer may make: its own scheme, plus devtools internals. */
export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || url.startsWith('devtools://');
}
