/** Time units shared by the market model: expiries in years of 365 days, as core/pricing uses. */
export const MS_PER_DAY = 86_400_000;
export const MS_PER_YEAR = 365 * MS_PER_DAY;

/** Years of 365 days from `fromMs` to `toMs` (negative when `toMs` is earlier). */
export function yearsBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR;
}
