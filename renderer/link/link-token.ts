const STORAGE_KEY = 'workstation.linkToken';

/**
 * Web mode's per-run token arrives in the URL fragment (never sent to a server). It is moved to
 * sessionStorage and removed from the address bar so a reload keeps working and a screenshot or
 * shared address does not leak it.
 */
export function takeLinkToken(location: Location, history: History, storage: Storage): string | undefined {
  const match = /(?:^#|&)token=([0-9A-Za-z_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(STORAGE_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(STORAGE_KEY) ?? undefined;
}
