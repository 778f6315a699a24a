import { DEFAULT_FLATTEN_SLIPPAGE_PCT } from '../../../core/protocol/index.ts';

/** What the flatten dialog's cap field starts with. */
export const DEFAULT_SLIPPAGE_TEXT = String(DEFAULT_FLATTEN_SLIPPAGE_PCT);

/** The typed option slippage cap as a percentage from 0 to 100, or why not. */
export function parseSlippagePct(text: string): { readonly ok: true; readonly pct: number } | { readonly ok: false; readonly error: string } {
  const trimmed = text.trim().replace(/\s*%$/, '');
  const pct = /^\d+(\.\d*)?$|^\.\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(pct >= 0 && pct <= 100)) return { ok: false, error: 'a percentage from 0 to 100' };
  return { ok: true, pct };
}
