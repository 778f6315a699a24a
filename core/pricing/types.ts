/** Shared vocabulary of the pricing library. */

/** European option right. */
export type OptionKind = 'call' | 'put';

/** Calendar days per year: theta is quoted per calendar day, expiries in years of 365 days. */
export const DAYS_PER_YEAR = 365;
