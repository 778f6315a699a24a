import type { InstrumentRow } from '../../../core/protocol/index.ts';
import type { Selection } from '../../stores/selection-store.ts';

export interface SelectionTarget {
  readonly instrumentName: string;
  readonly underlying: string;
  readonly expiryMs: number;
}

/**
 * What a click on a blotter row selects: an option with its chain (underlying and expiry); a
 * future or perpetual keeps the chain shown when it is of the same underlying, else shows its
 * underlying's chain (the chain panel moves a perpetual's selection to a listed expiry). An
 * instrument no longer listed is selected only within the chain shown.
 */
export function selectionTarget(instrumentName: string, instrument: InstrumentRow | undefined, current: Selection, currency?: string): SelectionTarget | undefined {
  const underlying = instrument?.currency ?? currency;
  if (underlying === undefined) return undefined;
  if (instrument?.kind === 'option') return { instrumentName, underlying, expiryMs: instrument.expiryMs };
  if (current.underlying === underlying && current.expiryMs !== undefined) return { instrumentName, underlying, expiryMs: current.expiryMs };
  if (instrument) return { instrumentName, underlying, expiryMs: instrument.expiryMs };
  return undefined;
}
