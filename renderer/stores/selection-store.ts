import { create } from 'zustand';

/**
 * What the trader is looking at, shared by every panel: the chain (underlying and expiry) and
 * the one instrument selected in it. Panels read it; only the trader's clicks (and a panel
 * filling in a default when nothing valid is selected) write it.
 */
export interface Selection {
  readonly underlying: string | undefined;
  readonly expiryMs: number | undefined;
  readonly instrumentName: string | undefined;
}

export interface SelectionActions {
  /** Shows another chain; the selected instrument stays selected if it belongs to it. */
  selectChain(underlying: string, expiryMs: number): void;
  /** Selects an instrument, and its chain with it. */
  selectInstrument(instrumentName: string, underlying: string, expiryMs: number): void;
}

export type SelectionStore = Selection & SelectionActions;

export const initialSelection: Selection = { underlying: undefined, expiryMs: undefined, instrumentName: undefined };

export const useSelectionStore = create<SelectionStore>((set) => ({
  ...initialSelection,
  selectChain: (underlying, expiryMs) =>
    set((current) => (current.underlying === underlying && current.expiryMs === expiryMs ? current : { underlying, expiryMs })),
  selectInstrument: (instrumentName, underlying, expiryMs) => set({ instrumentName, underlying, expiryMs }),
}));
