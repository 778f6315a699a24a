import type { UnderlyingLimits } from './limits.ts';

/**
 * The venue's market maker protection, set from the workstation's own limits: the venue freezes
 * our quotes when, within one interval, fills add up to more than a slice of what the limits
 * allow. It is the backstop that acts at the venue, in microseconds, before our own limits can
 * see the fills. The slices: a burst that would use half the delta limit, a quarter of the vega
 * limit, or ten of the largest option orders within one second freezes quoting until the trader
 * has looked (frozen until reset).
 */
export interface MmpSettings {
  readonly intervalSec: number;
  readonly frozenTimeSec: number;
  readonly quantityLimitCoin?: number;
  readonly deltaLimitCoin?: number;
  readonly vegaLimitUsd?: number;
}

export function mmpFromLimits(limits: UnderlyingLimits): MmpSettings {
  const delta = limits.netDeltaCoin?.limit;
  const vega = limits.vegaTotalUsdPerVolPt?.limit;
  const maxOrder = limits.preTrade.maxOrderAmountOptionCoin;
  return {
    intervalSec: 1,
    frozenTimeSec: 0,
    ...(maxOrder !== undefined && { quantityLimitCoin: 10 * maxOrder }),
    ...(delta !== undefined && { deltaLimitCoin: delta / 2 }),
    ...(vega !== undefined && { vegaLimitUsd: vega / 4 }),
  };
}
