import { describe, expect, it } from 'vitest';
import { formatAmount, formatCoin, formatCoinWithUnit, formatDelta, formatPrice, formatUsd, formatVolPct, formatVolPctWithUnit } from './format.ts';

describe('trading number formats', () => {
  it('shows coin premiums at tick precision, blank when absent', () => {
    expect(formatCoin(0.0087073)).toBe('0.0087');
    expect(formatCoin(0.008)).toBe('0.0080');
    expect(formatCoin(undefined)).toBe('');
    expect(formatCoin(Number.NaN)).toBe('');
    expect(formatCoinWithUnit(0.0095, 'BTC')).toBe('0.0095 BTC');
    expect(formatCoinWithUnit(undefined, 'BTC')).toBe('—');
  });

  it('shows USD with separators and sensible cents', () => {
    expect(formatUsd(827.26)).toBe('$827.26');
    expect(formatUsd(95007.51)).toBe('$95,008');
    expect(formatUsd(-12.5)).toBe('−$12.50');
    expect(formatUsd(undefined)).toBe('—');
    expect(formatPrice(95000)).toBe('95,000');
    expect(formatPrice(94988.27, 2)).toBe('94,988.27');
  });

  it('shows amounts with one decimal, vols in % with one decimal, deltas with two', () => {
    expect(formatAmount(1.25)).toBe('1.3');
    expect(formatAmount(12)).toBe('12.0');
    expect(formatVolPct(0.5099)).toBe('51.0');
    expect(formatVolPct(0)).toBe('');
    expect(formatVolPctWithUnit(0.4683)).toBe('46.8 %');
    expect(formatVolPctWithUnit(undefined)).toBe('—');
    expect(formatDelta(0.50578)).toBe('0.51');
    expect(formatDelta(-0.02605)).toBe('−0.03');
    expect(formatDelta(-0.001)).toBe('0.00');
  });
});
