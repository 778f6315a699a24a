import type { InstrumentRow } from '../../../core/protocol/index.ts';
import { COIN_PREMIUM_DECIMALS } from '../../ui/format.ts';

/**
 * Units of a blotter row, Deribit style: options trade in coin at coin prices (inverse), futures
 * and perpetuals in USD at USD prices. An instrument no longer listed is read off its name.
 */

export type InstrumentKind = 'option' | 'future';

export interface RowUnits {
  readonly kind: InstrumentKind;
  readonly amountUnit: string;
  readonly priceUnit: string;
  readonly priceDecimals: number;
}

/** Decimal places of a tick size: 0.5 → 1, 0.0005 → 4, 1 → 0. */
export function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 2;
  for (let decimals = 0; decimals <= 10; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return decimals;
  }
  return 10;
}

/** "BTC-27NOV26-95000-C" is an option; "BTC-PERPETUAL", "BTC-27NOV26" are futures. */
export function kindFromName(instrumentName: string): InstrumentKind {
  return /-[CP]$/.test(instrumentName) ? 'option' : 'future';
}

export function currencyFromName(instrumentName: string): string {
  return instrumentName.split('-')[0] ?? '';
}

export function rowUnits(instrumentName: string, instrument: InstrumentRow | undefined, currency = instrument?.currency ?? currencyFromName(instrumentName)): RowUnits {
  const kind = instrument?.kind ?? kindFromName(instrumentName);
  if (kind === 'option') return { kind, amountUnit: currency, priceUnit: currency, priceDecimals: Math.max(COIN_PREMIUM_DECIMALS, instrument ? decimalsOf(instrument.tickSize) : 0) };
  return { kind, amountUnit: 'USD', priceUnit: 'USD', priceDecimals: instrument ? Math.min(decimalsOf(instrument.tickSize), 4) : 2 };
}
