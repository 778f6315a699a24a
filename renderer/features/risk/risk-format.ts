/**
 * Number formats of the risk, limits and charts panels (the shared ones are in ui/format.ts).
 * Negative numbers carry a true minus sign (−), as in ui/format.ts; absent or non-finite values
 * show as an em dash.
 */

const formatters = new Map<number, Intl.NumberFormat>();
function grouped(decimals: number): Intl.NumberFormat {
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, formatter);
  }
  return formatter;
}

function finite(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

/**
 * Decimals that show a risk figure to a useful precision without noise: whole units from 1,000 up,
 * four decimals below 1 (a BTC gamma of 0.0123 coin per 1 %).
 */
export function quantityDecimals(value: number): number {
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 1000) return 0;
  if (abs >= 100) return 1;
  if (abs >= 10) return 2;
  if (abs >= 1) return 3;
  return 4;
}

/** A quantity with thousands separators: "−12,345", "1.235", "0.0123"; "—" when absent. */
export function formatQuantity(value: number | undefined, decimals?: number): string {
  if (!finite(value)) return '—';
  const places = decimals ?? quantityDecimals(value);
  const text = grouped(places).format(Math.abs(value));
  // A value that rounds to zero shows no sign.
  return value < 0 && Number(text.replace(/,/g, '')) !== 0 ? `−${text}` : text;
}

/** As formatQuantity, with an explicit plus on gains: "+1,250", "−80.5", "0". */
export function formatSignedQuantity(value: number | undefined, decimals?: number): string {
  const text = formatQuantity(value, decimals);
  return finite(value) && value > 0 && Number(text.replace(/,/g, '')) !== 0 ? `+${text}` : text;
}

/** A limit's figure in plain digits, as a trader would type it back: "60,000", "0.5", "2.75". */
export function formatLimitNumber(value: number | undefined): string {
  if (!finite(value)) return '—';
  const text = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 }).format(Math.abs(value));
  return value < 0 ? `−${text}` : text;
}

/** USD, short enough for a heat-map cell, signed: "−$12.3k", "+$850", "+$1.25M", "$0". */
export function formatUsdCompact(value: number | undefined): string {
  if (!finite(value)) return '—';
  const abs = Math.abs(value);
  let text: string;
  if (abs >= 999_500) text = `${(abs / 1_000_000).toFixed(abs >= 99_950_000 ? 0 : abs >= 9_995_000 ? 1 : 2)}M`;
  else if (abs >= 9_999.5) text = `${(abs / 1000).toFixed(abs >= 99_950 ? 0 : 1)}k`;
  else if (abs >= 999.5) text = `${(abs / 1000).toFixed(2)}k`;
  else text = abs.toFixed(0);
  if (text === '0') return '$0';
  return `${value < 0 ? '−' : '+'}$${text}`;
}

function trimmed(value: number): string {
  return formatLimitNumber(Math.abs(value));
}

/** A spot shock in percent (5 = 5 %): "+5 %", "−10 %", "0 %". */
export function formatSpotShockPct(shockPct: number): string {
  if (!Number.isFinite(shockPct)) return '—';
  if (shockPct === 0) return '0 %';
  return `${shockPct < 0 ? '−' : '+'}${trimmed(shockPct)} %`;
}

/** A vol shock in vol points: "+5 vol pts", "−1 vol pt", "0 vol pts". */
export function formatVolShockPts(shockPts: number): string {
  if (!Number.isFinite(shockPts)) return '—';
  const unit = Math.abs(shockPts) === 1 ? 'vol pt' : 'vol pts';
  if (shockPts === 0) return `0 ${unit}`;
  return `${shockPts < 0 ? '−' : '+'}${trimmed(shockPts)} ${unit}`;
}

/** A fraction as a whole percentage: 0.8 → "80 %", 0.125 → "12.5 %". */
export function formatFractionPct(fraction: number | undefined): string {
  if (!finite(fraction)) return '—';
  return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(fraction * 100)} %`;
}
