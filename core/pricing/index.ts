/**
 * core/pricing: pure pricing and volatility functions. No I/O, no clock, no randomness.
 *
 * Stable entry points: black76Price and impliedVol. Units are in the names: expiryYears (years
 * of 365 days), volAnnual (0.55 = 55 %), prices in the forward's units unless named otherwise
 * (priceCoin for inverse options), vega per volatility point, theta per calendar day.
 */
export type { OptionKind } from './types.ts';
export { DAYS_PER_YEAR, MS_PER_DAY, MS_PER_YEAR, yearsBetween } from './types.ts';

export { erfc, erfcx, inverseNormCdf, normCdf, normPdf } from './normal.ts';
export { normalisedOtmCall, normalisedVega } from './normalised-black.ts';
export { black76Price, black76PriceDiscounted, intrinsicValue } from './black76.ts';
export { impliedVol, impliedVolDiscounted, normalisedImpliedStdDev } from './implied-vol.ts';

export type { Black76Greeks } from './greeks.ts';
export { black76Greeks } from './greeks.ts';

export type { DeribitTickerGreeks, InverseGreeks } from './inverse.ts';
export {
  coinFromUsd,
  deribitTickerGreeks,
  impliedVolFromCoinPrice,
  inverseGreeks,
  inverseOptionPriceCoin,
  linearOptionPriceUsdc,
  usdFromCoin,
} from './inverse.ts';

export { ChainPricer } from './chain.ts';

export type {
  ButterflyReport,
  SmileQuote,
  SviFitFailure,
  SviFitOptions,
  SviFitResult,
  SviParams,
} from './svi.ts';
export { checkButterfly, durrlemanG, fitSvi, sviImpliedVol, sviParamsProblem, sviTotalVariance } from './svi.ts';

export type { CalendarReport, SurfaceBuildResult, SurfaceOptions, SurfaceSlice, VolSurface } from './surface.ts';
export {
  buildSurface,
  checkCalendar,
  surfaceImpliedVol,
  surfaceImpliedVolAtStrike,
  surfaceTotalVariance,
} from './surface.ts';

export type {
  ForwardCurve,
  ForwardCurveResult,
  FuturePoint,
  ParityForwardResult,
  ParityOptions,
  ParityQuote,
} from './forwards.ts';
export { buildForwardCurve, forwardAt, forwardFromParity, impliedCarryRate } from './forwards.ts';
