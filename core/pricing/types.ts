/** Shared vocabulary of the pricing library. */

/** European option right. */
export type OptionKind = 'call' | 'put';

/** Calendar days per year: theta is quoted per calendar day, expiries in years of 365 days. */
export const DAYS_PER_YEAR = 365;

export const MS_PER_DAY = 86_400_000;
export const MS_PER_YEAR = DAYS_PER_YEAR * MS_PER_DAY;

/** Years of 365 days from `fromMs` to `toMs` (negative when `toMs` is earlier). */
export function yearsBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR;
}
