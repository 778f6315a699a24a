/**
 * core/hedging: the delta hedger, flatten and execution tactics, as pure decisions. The engine
 * kernel runs them: it feeds quotes, fills and time in as events and sends the orders they ask
 * for. Nothing here reads a clock, does I/O or holds a timer.
 *
 * Units: futures and perpetuals are inverse, sized and priced in USD (amountUsd, priceUsd);
 * options are sized in coin and priced in coin per contract; deltas in coin (deltaCoin).
 */
export type { HedgeCost, HedgeFees, HedgeOrder, HedgePlanError, HedgePlanErrorCode, HedgePlanInput, HedgePlanResult, HedgePreview, HedgeWarning } from './hedge-plan.ts';
export { DEFAULT_MAX_QUOTE_AGE_MS, DEFAULT_WIDE_SPREAD_BPS, planDeltaHedge } from './hedge-plan.ts';

export type { TacticAction, TacticEvent, TacticOrder, TacticOrderStatus, TacticOutcome, TacticParams, TacticSpec, TacticState, TacticStatus, TacticStep, WorkingPhase } from './tactic.ts';
export {
  AMEND_ANSWER_TIMEOUT_MS,
  averageFillPriceUsd,
  createTactic,
  filledUsd,
  GIVE_UP_AFTER_MS,
  isTerminal,
  MAX_CROSS_ATTEMPTS,
  nextWakeMs,
  openOrder,
  remainingUsd,
  RETRY_AFTER_REFUSAL_MS,
  step,
  TacticSpecSchema,
} from './tactic.ts';

export type { AutoHedgeConfig, AutoHedgeDecision, AutoHedgeInput, AutoHedgeSkipReason, HedgeInstrumentChoice } from './auto-hedge.ts';
export { AutoHedgeConfigSchema, autoHedgeDecision, HedgeInstrumentChoiceSchema, resolveHedgeInstrument } from './auto-hedge.ts';

export type {
  CloseFutureStep,
  CloseOptionStep,
  ClosedReport,
  CloseProgress,
  CloseStep,
  FlattenParams,
  FlattenPlan,
  FlattenPosition,
  FlattenProgress,
  FlattenProgressOptions,
  FlattenReport,
  NotClosedReport,
  OptionPricing,
  PullQuotesStep,
  Unresolvable,
} from './flatten.ts';
export { flattenProgress, planFlatten } from './flatten.ts';

export { deltaCoinOfUsd, feeCoin, lotUsd, slippageCoin, usdOfDeltaCoin } from './inverse-future.ts';
