/** Display formatting shared by panels; every figure carries its unit. */

export function formatDurationMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds} s`;
}

export function formatRate(perSecond: number): string {
  return `${perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k` : perSecond.toFixed(0)} msg/s`;
}

export function formatClock(tsMs: number): string {
  const date = new Date(tsMs);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Decimal places for an option premium in coin: the tick's decimals, at least 4 (BTC options tick 0.0001/0.0005). */
export const COIN_PREMIUM_DECIMALS = 4;

const usdFormatters = new Map<number, Intl.NumberFormat>();
function usdFormatter(decimals: number): Intl.NumberFormat {
  let formatter = usdFormatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    usdFormatters.set(decimals, formatter);
  }
  return formatter;
}

function finite(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

/** A premium in coin, bare (the column header carries the unit): 0.0087. */
export function formatCoin(value: number | undefined, decimals = COIN_PREMIUM_DECIMALS): string {
  return finite(value) ? value.toFixed(decimals) : '';
}

/** A premium in coin with its unit: "0.0087 BTC". */
export function formatCoinWithUnit(value: number | undefined, currency: string, decimals = COIN_PREMIUM_DECIMALS): string {
  return finite(value) ? `${value.toFixed(decimals)} ${currency}` : '—';
}

/** USD with thousands separators: "$1,234.56" (whole dollars from $10,000 up unless `decimals` says otherwise). */
export function formatUsd(value: number | undefined, decimals?: number): string {
  if (!finite(value)) return '—';
  const places = decimals ?? (Math.abs(value) >= 10_000 ? 0 : 2);
  const text = usdFormatter(places).format(Math.abs(value));
  return `${value < 0 ? '−' : ''}$${text}`;
}

/** A plain number with thousands separators: strikes, index and forward prices. */
export function formatPrice(value: number | undefined, decimals = 0): string {
  return finite(value) ? usdFormatter(decimals).format(value) : '—';
}

/** Contracts (coin amount for inverse options) with one decimal. */
export function formatAmount(value: number | undefined): string {
  return finite(value) ? value.toFixed(1) : '';
}

/** A volatility given as a fraction (0.5099), shown in % with one decimal, bare: "51.0". */
export function formatVolPct(volAnnual: number | undefined): string {
  // Rounded on the fraction's 4th decimal (venue precision), so 0.5565 shows 55.7, not 55.6.
  return finite(volAnnual) && volAnnual > 0 ? (Math.round(volAnnual * 1000) / 10).toFixed(1) : '';
}

/** A volatility with its unit: "51.0 %". */
export function formatVolPctWithUnit(volAnnual: number | undefined): string {
  const text = formatVolPct(volAnnual);
  return text === '' ? '—' : `${text} %`;
}

/** A delta, two decimals with an explicit sign on negatives: "0.51", "−0.03". */
export function formatDelta(delta: number | undefined): string {
  if (!finite(delta)) return '';
  const text = Math.abs(delta).toFixed(2);
  return delta < 0 && text !== '0.00' ? `−${text}` : text;
}
