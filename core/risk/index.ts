/**
 * core/risk: the pure risk layer the engine kernel calls. Greeks and their aggregation, scenario
 * grids, limits and their evaluation, pre-trade checks, the order-rate window and the kill switch.
 * No I/O, no clock, no randomness: the kernel passes market inputs, counters and the time.
 *
 * Typical tick:  aggregateGreeks → buildRiskMetrics → evaluateLimits → limitTransitions (journal)
 *                → strongestAction → tradingModeFor / onLimitStatuses (kill switch).
 * Every order:   checkOrder(order, context); once sent, recordEvent(orderWindow, nowMs).
 */
export type {
  BucketRisk,
  GreeksInCoinAndUsd,
  PortfolioRisk,
  PricingInput,
  PricingInputs,
  QuotesWorstCase,
  RiskGreeks,
  RiskPosition,
  UnderlyingRisk,
  WorkingOrder,
  WorkingQuotesRisk,
} from './greeks.ts';
export {
  PERPETUAL_BUCKET,
  ZERO_RISK_GREEKS,
  addGreeks,
  aggregateGreeks,
  canPrice,
  expiryBucketId,
  gammaCoinPerPct,
  inCoinAndUsd,
  positionGreeks,
  positionNotionalUsd,
  scaleGreeks,
  unitGreeks,
  workingOrdersFrom,
  workingQuotesWorstCase,
} from './greeks.ts';

export type { BucketVega, PositionMetric, RiskMetrics, UnderlyingActivity, UnderlyingMetrics } from './metrics.ts';
export { NO_ACTIVITY, bucketVega, buildRiskMetrics, emptyUnderlyingMetrics } from './metrics.ts';

export type { ScenarioGrid, ScenarioOptions, ScenarioResult } from './scenarios.ts';
export { DEFAULT_SPOT_SHOCKS, DEFAULT_VOL_SHOCKS_PTS, scenarioGrid, symmetricShocks } from './scenarios.ts';

export type {
  ConfigResult,
  LimitAction,
  LimitEdit,
  LimitKey,
  LimitRule,
  LimitState,
  LimitStatus,
  LimitTransition,
  LimitsConfig,
  LimitsConfigInput,
  PreTradeConfig,
  UnderlyingLimits,
} from './limits.ts';
export {
  applyLimitEdit,
  DEFAULT_LIMITS,
  DEFAULT_UNDERLYING_KEY,
  LIMIT_ACTIONS,
  LIMIT_KEYS,
  LIMIT_META,
  LimitRuleSchema,
  LimitsConfigSchema,
  PreTradeConfigSchema,
  UnderlyingLimitsSchema,
  actionSeverity,
  evaluateLimits,
  limitId,
  limitStatus,
  limitTransitions,
  limitsFor,
  parseLimitPatch,
  parseLimitsConfig,
  scalarLimitValue,
  strongestAction,
} from './limits.ts';

export type { CheckResult, OrderRequest, PreTradeCheck, PreTradeContext, PriceReferences, RestingOrder, TradingMode } from './pre-trade.ts';
export { checkOrder, tradingModeFor } from './pre-trade.ts';

export type { RateWindow } from './rate-window.ts';
export { countInWindow, emptyRateWindow, recordEvent } from './rate-window.ts';

export type { KillSource, KillSwitchState, KillTrigger } from './kill-switch.ts';
export type { MmpSettings } from './mmp.ts';
export { mmpFromLimits } from './mmp.ts';

export { KILL_SWITCH_ARMED, acknowledgeKill, isKillTriggered, onLimitStatuses, onVenueDisconnected, triggerKill } from './kill-switch.ts';
