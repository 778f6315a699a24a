import { beforeEach, describe, expect, it } from 'vitest';
import { initialSelection, useSelectionStore } from './selection-store.ts';

describe('selection store', () => {
  beforeEach(() => useSelectionStore.setState(initialSelection));

  it('selects an instrument together with its chain', () => {
    useSelectionStore.getState().selectInstrument('BTC-27NOV26-95000-C', 'BTC', 1);
    expect(useSelectionStore.getState()).toMatchObject({ instrumentName: 'BTC-27NOV26-95000-C', underlying: 'BTC', expiryMs: 1 });
  });

  it('keeps the instrument when another chain is shown, and does not notify for the same chain', () => {
    const { selectChain, selectInstrument } = useSelectionStore.getState();
    selectInstrument('BTC-27NOV26-95000-C', 'BTC', 1);
    let notified = 0;
    const unsubscribe = useSelectionStore.subscribe(() => notified++);
    selectChain('BTC', 1);
    expect(notified).toBe(0);
    selectChain('BTC', 2);
    expect(notified).toBe(1);
    expect(useSelectionStore.getState()).toMatchObject({ instrumentName: 'BTC-27NOV26-95000-C', underlying: 'BTC', expiryMs: 2 });
    unsubscribe();
  });
});
