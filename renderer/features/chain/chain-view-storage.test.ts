import { describe, expect, it } from 'vitest';
import { CHAIN_VIEW_KEY, loadChainView, saveChainView } from './chain-view-storage.ts';

function memory(): Storage {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) } as Storage;
}

describe('chain view storage', () => {
  it('remembers the chosen view and ignores anything else', () => {
    const storage = memory();
    expect(loadChainView(storage)).toBe('market');
    saveChainView(storage, 'quoting');
    expect(loadChainView(storage)).toBe('quoting');
    storage.setItem(CHAIN_VIEW_KEY, 'wide');
    expect(loadChainView(storage, 'all')).toBe('all');
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadChainView(broken)).toBe('market');
    expect(() => saveChainView(broken, 'all')).not.toThrow();
  });
});
