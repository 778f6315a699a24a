import { describe, expect, it } from 'vitest';
import { formatAmountIn, formatPriceIn, formatSigned, formatSignedUsd, signClass } from './blotter-format.ts';

describe('blotter formats', () => {
  it('signs PnL', () => {
    expect(formatSigned(0.01234, 4)).toBe('+0.0123');
    expect(formatSigned(-0.004, 4)).toBe('−0.0040');
    expect(formatSigned(-0.00001, 4)).toBe('0.0000');
    expect(formatSigned(undefined, 4)).toBe('');
    expect(formatSignedUsd(1234.5)).toBe('+$1,234.50');
    expect(formatSignedUsd(-12.5)).toBe('−$12.50');
    expect(formatSignedUsd(0)).toBe('$0.00');
    expect(formatSignedUsd(undefined)).toBe('');
  });

  it('formats amounts and prices in their units', () => {
    expect(formatAmountIn(-1.5, 'BTC')).toBe('−1.5');
    expect(formatAmountIn(12_340, 'USD')).toBe('12,340');
    expect(formatPriceIn(0.0215, 4, 'BTC')).toBe('0.0215');
    expect(formatPriceIn(97_123.5, 1, 'USD')).toBe('97,123.5');
    expect(formatPriceIn(undefined, 4, 'BTC')).toBe('');
  });

  it('colours by sign', () => {
    expect(signClass(1)).toBe('num pnl-pos');
    expect(signClass(-1)).toBe('num pnl-neg');
    expect(signClass(0)).toBe('num');
    expect(signClass(undefined)).toBe('num');
  });
});
