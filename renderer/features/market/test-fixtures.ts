import type { InstrumentRow, QuoteRow } from '../../../core/protocol/index.ts';

/** Small chains for tests: Deribit-style names, expiries at 08:00 UTC. */
export const EXPIRY_A = Date.UTC(2026, 10, 27, 8); // 27 NOV 26, a Friday
export const EXPIRY_B = Date.UTC(2026, 11, 25, 8); // 25 DEC 26, the December quarterly

export function option(currency: string, expiryMs: number, strike: number, optionType: 'call' | 'put', venueId = 'sim'): InstrumentRow {
  const date = new Date(expiryMs);
  const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  const name = `${currency}-${date.getUTCDate()}${months[date.getUTCMonth()]}${date.getUTCFullYear() % 100}-${strike}-${optionType === 'call' ? 'C' : 'P'}`;
  return { instrumentName: name, venueId, currency, kind: 'option', isPerpetual: false, optionType, strike, expiryMs, tickSize: 0.0005, minTradeAmount: 0.1, contractSize: 1 };
}

export function instrumentsOf(rows: readonly InstrumentRow[]): Record<string, InstrumentRow> {
  return Object.fromEntries(rows.map((row) => [row.instrumentName, row]));
}

export function chainInstruments(currency: string, expiryMs: number, strikes: readonly number[]): InstrumentRow[] {
  return strikes.flatMap((strike) => [option(currency, expiryMs, strike, 'call'), option(currency, expiryMs, strike, 'put')]);
}

export function quote(instrumentName: string, fields: Partial<QuoteRow> = {}): QuoteRow {
  return { instrumentName, tsMs: 1, stale: false, ...fields };
}
