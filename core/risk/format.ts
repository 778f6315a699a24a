/**
 * Numbers in risk messages, fixed to en-US grouping so a journaled reason reads the same on every
 * machine: 52,300 · 1.25 · 0.0005.
 */

const formats = new Map<string, Intl.NumberFormat>();

function format(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', options);
    formats.set(key, f);
  }
  return f;
}

/** A quantity with precision for its size; `extraDigits` adds decimals (to tell two numbers apart). */
export function formatQty(x: number, extraDigits = 0): string {
  if (Number.isNaN(x)) return 'unknown';
  if (!Number.isFinite(x)) return x > 0 ? 'infinite' : '−infinite';
  const a = Math.abs(x);
  if (a >= 1000) return format({ maximumFractionDigits: extraDigits }).format(x);
  if (a >= 1) return format({ maximumFractionDigits: 3 + extraDigits }).format(x);
  if (a === 0) return '0';
  return format({ maximumSignificantDigits: Math.min(21, 4 + extraDigits) }).format(x);
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
