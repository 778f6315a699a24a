import { describe, expect, it } from 'vitest';
import { isStrikeSelected, selectExpiries } from './selection.ts';

const DAY = 86_400_000;

describe('selection', () => {
  it('selects the nearest distinct expiries at least minDaysToExpiry away', () => {
    const now = 1_700_000_000_000;
    const expiries = [now + 30 * DAY, now + 0.2 * DAY, now + 2 * DAY, now + 7 * DAY, now + 2 * DAY, now - DAY];
    expect(selectExpiries(expiries, now, { minDaysToExpiry: 0.5, maxExpiries: 2 })).toEqual([now + 2 * DAY, now + 7 * DAY]);
    expect(selectExpiries(expiries, now, { minDaysToExpiry: 0, maxExpiries: 10 })).toEqual([now + 0.2 * DAY, now + 2 * DAY, now + 7 * DAY, now + 30 * DAY]);
    expect(selectExpiries([], now, { minDaysToExpiry: 0, maxExpiries: 3 })).toEqual([]);
  });

  it('selects strikes by call delta and log-moneyness', () => {
    const params = { minAbsDelta: 0.05, maxAbsDelta: 0.95, maxAbsLogMoneyness: 0.5 };
    expect(isStrikeSelected(0.5, 0, params)).toBe(true);
    expect(isStrikeSelected(0.05, 0.3, params)).toBe(true);
    expect(isStrikeSelected(0.04, 0.3, params)).toBe(false);
    expect(isStrikeSelected(0.96, -0.3, params)).toBe(false);
    expect(isStrikeSelected(0.5, 0.6, params)).toBe(false);
    expect(isStrikeSelected(NaN, 0, params)).toBe(false);
  });
});
