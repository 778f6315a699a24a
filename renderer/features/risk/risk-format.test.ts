import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFractionPct, formatLimitNumber, formatQuantity, formatSignedQuantity, formatSpotShockPct, formatUsdCompact, formatVolShockPts, quantityDecimals } from './risk-format.ts';

describe('risk number formats', () => {
  it('shows quantities to a precision that suits their size, with a true minus', () => {
    expect(formatQuantity(-12_345.6)).toBe('−12,346');
    expect(formatQuantity(123.456)).toBe('123.5');
    expect(formatQuantity(12.3456)).toBe('12.35');
    expect(formatQuantity(1.23456)).toBe('1.235');
    expect(formatQuantity(0.012345)).toBe('0.0123');
    expect(formatQuantity(0)).toBe('0');
    expect(formatQuantity(-0.00001)).toBe('0.0000');
    expect(formatQuantity(undefined)).toBe('—');
    expect(formatQuantity(Number.NaN)).toBe('—');
    expect(formatQuantity(1234.5, 2)).toBe('1,234.50');
    expect(quantityDecimals(-5000)).toBe(0);
  });

  it('signs gains explicitly, never a rounded zero', () => {
    expect(formatSignedQuantity(850)).toBe('+850.0');
    expect(formatSignedQuantity(850, 0)).toBe('+850');
    expect(formatSignedQuantity(-80.5, 1)).toBe('−80.5');
    expect(formatSignedQuantity(0.00001, 2)).toBe('0.00');
    expect(formatSignedQuantity(undefined)).toBe('—');
  });

  it('writes limits as a trader types them', () => {
    expect(formatLimitNumber(60_000)).toBe('60,000');
    expect(formatLimitNumber(0.8)).toBe('0.8');
    expect(formatLimitNumber(2.75)).toBe('2.75');
    expect(formatLimitNumber(-5)).toBe('−5');
  });

  it('fits USD into a heat-map cell', () => {
    expect(formatUsdCompact(-12_345)).toBe('−$12.3k');
    expect(formatUsdCompact(850)).toBe('+$850');
    expect(formatUsdCompact(1_500)).toBe('+$1.50k');
    expect(formatUsdCompact(123_456)).toBe('+$123k');
    expect(formatUsdCompact(-1_250_000)).toBe('−$1.25M');
    expect(formatUsdCompact(0.2)).toBe('$0');
    expect(formatUsdCompact(undefined)).toBe('—');
    // Rounding never shows "1000" of the smaller unit.
    expect(formatUsdCompact(999.7)).toBe('+$1.00k');
    expect(formatUsdCompact(999_999)).toBe('+$1.00M');
  });

  it('keeps compact USD short and its sign right for any value', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (value) => {
        const text = formatUsdCompact(value);
        expect(text.length).toBeLessThanOrEqual(8);
        if (text !== '$0') expect(text.startsWith(value < 0 ? '−' : '+')).toBe(true);
      }),
    );
  });

  it('labels shocks in % and vol points', () => {
    expect(formatSpotShockPct(-10)).toBe('−10 %');
    expect(formatSpotShockPct(2.5)).toBe('+2.5 %');
    expect(formatSpotShockPct(0)).toBe('0 %');
    expect(formatVolShockPts(5)).toBe('+5 vol pts');
    expect(formatVolShockPts(-1)).toBe('−1 vol pt');
    expect(formatVolShockPts(0)).toBe('0 vol pts');
    expect(formatFractionPct(0.8)).toBe('80 %');
    expect(formatFractionPct(1.234)).toBe('123.4 %');
    expect(formatFractionPct(undefined)).toBe('—');
  });
});
