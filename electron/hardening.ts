import type { Session, WebContents } from 'electron';
import { isAllowedRequest, isAppUrl } from './security.ts';

/**
 * Deny every permission (camera, notifications, geolocation, …) and every request that is not
 * the app's own content: the workstation loads nothing remote.
 */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
}

type HardenableContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** No new windows, no navigation away from the app, no webviews. */
export function hardenWebContents(contents: HardenableContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
