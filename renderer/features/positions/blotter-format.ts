import { formatUsd } from '../../ui/format.ts';

/** Number formats of the blotters: signs on PnL, thousands separators on USD amounts. */

/** "+0.0123", "−0.0040", "" for nothing. */
export function formatSigned(value: number | undefined, decimals: number): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const text = Math.abs(value).toFixed(decimals);
  if (Number(text) === 0) return (0).toFixed(decimals);
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A USD figure with its sign: "+$1,234", "−$12.50". */
export function formatSignedUsd(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const text = formatUsd(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** An amount in its unit's precision: coin with up to 4 decimals, USD whole. */
export function formatAmountIn(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const decimals = unit === 'USD' ? 0 : 4;
  const text = Math.abs(value).toLocaleString('en-US', { maximumFractionDigits: decimals });
  return `${value < 0 ? '−' : ''}${text}`;
}

/** A price in the row's precision, with separators for USD prices. */
export function formatPriceIn(value: number | undefined, decimals: number, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return unit === 'USD' ? value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : value.toFixed(decimals);
}

/** Cell class for a signed figure. */
export function signClass(value: unknown): string {
  return typeof value === 'number' && value > 0 ? 'num pnl-pos' : typeof value === 'number' && value < 0 ? 'num pnl-neg' : 'num';
}
