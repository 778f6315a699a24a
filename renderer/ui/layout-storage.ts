/**
 * The dock layout persists in localStorage under a versioned key: a layout saved by an older
 * build with other panels is dropped rather than half-restored.
 */
export const LAYOUT_KEY = 'workstation.layout.v5';

export function loadLayout<T>(storage: Storage, isValid: (value: unknown) => value is T): T | undefined {
  const text = storage.getItem(LAYOUT_KEY);
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveLayout(storage: Storage, layout: unknown): void {
  storage.setItem(LAYOUT_KEY, JSON.stringify(layout));
}

export function clearLayout(storage: Storage): void {
  storage.removeItem(LAYOUT_KEY);
}
