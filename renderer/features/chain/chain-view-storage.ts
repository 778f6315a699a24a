import type { ChainView } from './chain-columns.ts';
import { isChainView } from './chain-columns.ts';

/** The chain's column view is the trader's choice and outlives a reload. */
export const CHAIN_VIEW_KEY = 'workstation.chain.view';

export function loadChainView(storage: Pick<Storage, 'getItem'>, fallback: ChainView = 'market'): ChainView {
  try {
    const stored = storage.getItem(CHAIN_VIEW_KEY);
    return isChainView(stored) ? stored : fallback;
  } catch {
    return fallback;
  }
}

export function saveChainView(storage: Pick<Storage, 'setItem'>, view: ChainView): void {
  try {
    storage.setItem(CHAIN_VIEW_KEY, view);
  } catch {
    // Storage full or disabled: the choice lasts for this window only.
  }
}
