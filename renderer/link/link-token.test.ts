import { describe, expect, it } from 'vitest';
import { takeLinkToken } from './link-token.ts';

function fakes(hash: string) {
  const items = new Map<string, string>();
  const location = { hash, pathname: '/', search: '' } as Location;
  const replaced: string[] = [];
  const history = { replaceState: (_state: unknown, _title: string, url: string) => replaced.push(url) } as unknown as History;
  const storage = { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => items.set(key, value) } as unknown as Storage;
  return { location, history, storage, replaced };
}

describe('takeLinkToken', () => {
  it('takes the token from the fragment, stores it and clears the address bar', () => {
    const { location, history, storage, replaced } = fakes('#token=abc123');
    expect(takeLinkToken(location, history, storage)).toBe('abc123');
    expect(replaced).toEqual(['/']);
    // A reload (no fragment any more) finds it in session storage.
    location.hash = '';
    expect(takeLinkToken(location, history, storage)).toBe('abc123');
  });

  it('returns undefined when the page was opened without one', () => {
    const { location, history, storage } = fakes('');
    expect(takeLinkToken(location, history, storage)).toBeUndefined();
  });
});
