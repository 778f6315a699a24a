/** Deribit's instrument names: BTC-PERPETUAL, BTC-27DEC26, BTC-27DEC26-100000-C. Dates in UTC. */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export function expiryCode(expiryMs: number): string {
  const date = new Date(expiryMs);
  return `${date.getUTCDate()}${MONTHS[date.getUTCMonth()]}${String(date.getUTCFullYear()).slice(2)}`;
}

export function futureName(currency: string, expiryMs: number): string {
  return `${currency}-${expiryCode(expiryMs)}`;
}

export function perpetualName(currency: string): string {
  return `${currency}-PERPETUAL`;
}

export function optionName(currency: string, expiryMs: number, strike: number, optionType: 'call' | 'put'): string {
  // Fractional strikes (low-priced coins) use 'd' for the decimal point, as Deribit prints them.
  const strikeText = Number.isInteger(strike) ? String(strike) : String(strike).replace('.', 'd');
  return `${currency}-${expiryCode(expiryMs)}-${strikeText}-${optionType === 'call' ? 'C' : 'P'}`;
}

export interface ParsedName {
  readonly currency: string;
  readonly kind: 'option' | 'future';
  readonly perpetual: boolean;
  readonly expiryCode?: string;
  readonly strike?: number;
  readonly optionType?: 'call' | 'put';
}

export function parseInstrumentName(name: string): ParsedName | undefined {
  const parts = name.split('-');
  const currency = parts[0];
  if (!currency) return undefined;
  if (parts.length === 2 && parts[1] === 'PERPETUAL') return { currency, kind: 'future', perpetual: true };
  if (parts.length === 2 && /^\d{1,2}[A-Z]{3}\d{2}$/.test(parts[1]!)) return { currency, kind: 'future', perpetual: false, expiryCode: parts[1]! };
  if (parts.length === 4 && /^\d{1,2}[A-Z]{3}\d{2}$/.test(parts[1]!) && (parts[3] === 'C' || parts[3] === 'P')) {
    const strike = Number(parts[2]!.replace('d', '.'));
    if (!Number.isFinite(strike) || strike <= 0) return undefined;
    return { currency, kind: 'option', perpetual: false, expiryCode: parts[1]!, strike, optionType: parts[3] === 'C' ? 'call' : 'put' };
  }
  return undefined;
}
