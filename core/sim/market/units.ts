/** Time units shared by the market model: the pricing library's (expiries in years of 365 days). */
export { MS_PER_DAY, MS_PER_YEAR, yearsBetween } from '../../pricing/types.ts';
