import { describe, expect, it } from 'vitest';
import { formatPair, formatQty } from './format.ts';

describe('risk number formatting', () => {
  it('groups thousands and keeps precision for small numbers', () => {
    expect(formatQty(52_300.4)).toBe('52,300');
    expect(formatQty(-1_250_000)).toBe('-1,250,000');
    expect(formatQty(1.23456)).toBe('1.235');
    expect(formatQty(0.0005)).toBe('0.0005');
    expect(formatQty(0.000123456)).toBe('0.0001235');
    expect(formatQty(0)).toBe('0');
    expect(formatQty(Number.NaN)).toBe('unknown');
  });

  it('adds digits until two different numbers read differently', () => {
    expect(formatPair(50_000.4, 50_000)).toEqual(['50,000.4', '50,000']);
    expect(formatPair(52_300, 50_000)).toEqual(['52,300', '50,000']);
    expect(formatPair(7, 7)).toEqual(['7', '7']);
  });
});
