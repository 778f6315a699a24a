/**
 * Numbers in risk messages, fixed to en-US grouping so a journaled reason reads the same on every
 * machine: 52,300 · 1.25 · 0.0005.
 */

/** Formatters by maximum fraction digits, and by maximum significant digits: made once each (a refusal's reason formats several numbers). */
const byFractionDigits: Intl.NumberFormat[] = [];
const bySignificantDigits: Intl.NumberFormat[] = [];

const fractionFormat = (digits: number): Intl.NumberFormat => (byFractionDigits[digits] ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));
const significantFormat = (digits: number): Intl.NumberFormat => (bySignificantDigits[digits] ??= new Intl.NumberFormat('en-US', { maximumSignificantDigits: digits }));

/** A quantity with precision for its size; `extraDigits` adds decimals (to tell two numbers apart). */
export function formatQty(x: number, extraDigits = 0): string {
  if (Number.isNaN(x)) return 'unknown';
  if (!Number.isFinite(x)) return x > 0 ? 'infinite' : '−infinite';
  const a = Math.abs(x);
  if (a >= 1000) return fractionFormat(extraDigits).format(x);
  if (a >= 1) return fractionFormat(3 + extraDigits).format(x);
  if (a === 0) return '0';
  return significantFormat(Math.min(21, 4 + extraDigits)).format(x);
}

/** Two quantities formatted with enough digits that unequal numbers do not read equal. */
export function formatPair(a: number, b: number): readonly [string, string] {
  for (let extra = 0; extra < 8; extra++) {
    const fa = formatQty(a, extra);
    const fb = formatQty(b, extra);
    if (fa !== fb || a === b) return [fa, fb];
  }
  return [String(a), String(b)];
}
