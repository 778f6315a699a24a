import { describe, expect, it } from 'vitest';
import { DEFAULT_SLIPPAGE_TEXT, parseSlippagePct } from './flatten-form.ts';

describe('flatten slippage cap field', () => {
  it('takes a percentage from 0 to 100, with or without the sign', () => {
    expect(parseSlippagePct(DEFAULT_SLIPPAGE_TEXT)).toEqual({ ok: true, pct: 10 });
    expect(parseSlippagePct(' 12.5 % ')).toEqual({ ok: true, pct: 12.5 });
    expect(parseSlippagePct('100')).toEqual({ ok: true, pct: 100 });
    expect(parseSlippagePct('0')).toEqual({ ok: true, pct: 0 });
  });

  it('refuses what is not one, saying what it wants', () => {
    for (const text of ['', '-1', '100.5', '1e2', 'ten', 'Infinity', '0x10']) expect(parseSlippagePct(text)).toEqual({ ok: false, error: 'a percentage from 0 to 100' });
  });
});
