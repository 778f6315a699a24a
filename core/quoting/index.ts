/**
 * core/quoting: pure quote generation for the market maker. No I/O, no clock, no randomness: the
 * engine passes time (nowMs, expiryYears) and state in, and sends the actions that come out.
 *
 * The engine's requote, per underlying:
 *   1. parameters: DEFAULT_QUOTING_PARAMS, edited by parseQuotingParamsPatch;
 *   2. selection: selectExpiries when the clock or the listing changes;
 *   3. overrides: acceptQuoteOverride at the edge, effectiveOverride per option when the list
 *      changes or nextOverrideExpiryMs passes;
 *   4. ChainQuoter: fill its arrays, fillTheoFromSurface, quote(), diff() against the working set;
 *      quoteAt(i) (or quoteOption for a single option) gives plain data for the UI;
 *   5. core/risk checks each order with withinCollar, the same band the generator respects.
 */
export type { PriceCollar } from './collar.ts';
export { COLLAR_TOLERANCE, collarHalfWidthCoin, PriceCollarSchema, withinCollar } from './collar.ts';

export type { ParamsResult, QuotingParams, QuotingParamsPatch } from './quoting-params.ts';
export { DEFAULT_QUOTING_PARAMS, parseQuotingParams, parseQuotingParamsPatch, QuotingParamsPatchSchema, QuotingParamsSchema } from './quoting-params.ts';

export type { EffectiveOverride, OverrideResult, OverrideScope, OverrideTarget, QuoteOverride, QuoteOverrideInput } from './overrides.ts';
export {
  acceptQuoteOverride,
  effectiveOverride,
  isOverrideActive,
  nextOverrideExpiryMs,
  NO_OVERRIDE,
  overrideApplies,
  OverrideScopeSchema,
  pruneExpiredOverrides,
  QuoteOverrideInputSchema,
  QuoteOverrideSchema,
} from './overrides.ts';

export { isStrikeSelected, selectExpiries } from './selection.ts';

export type { OptionQuote, PortfolioRisk, QuoteLevel, QuoteOptionInput, QuoteSide, QuotingMode, SideOffReason } from './quote-generator.ts';
export { quoteOption, SIDE_OFF_REASONS } from './quote-generator.ts';

export type { ChainQuoteContext } from './chain-quoter.ts';
export { ChainQuoter, MAX_LEVELS } from './chain-quoter.ts';

export type { DesiredQuote, DesiredQuoteSource, OrderSide, QuoteAction, RefreshTolerance, SideIndex, WorkingOrder } from './quote-diff.ts';
export { diffQuoteInto, diffQuotes, isActionableState, isPendingState, refreshToleranceOf } from './quote-diff.ts';

export { amountFromLots, ceilTicks, floorLots, floorTicks, isOnGrid, priceFromTicks, TICK_EPSILON } from './ticks.ts';
