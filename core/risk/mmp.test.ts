import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsFor } from './limits.ts';
import { mmpFromLimits } from './mmp.ts';

describe('MMP from the limits', () => {
  it('sets the venue backstop to slices of the limits, frozen until the trader resets it', () => {
    expect(mmpFromLimits(limitsFor(DEFAULT_LIMITS, 'BTC')!)).toEqual({ intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin: 500, deltaLimitCoin: 5, vegaLimitUsd: 12_500 });
  });
});
