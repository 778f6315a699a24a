import type { GreeksRow, RiskRow } from '../../../core/protocol/index.ts';

/** Test data for the risk view models. */

export const ZERO_GREEKS_ROW: GreeksRow = {
  deltaCoin: 0,
  deltaUsd: 0,
  gammaCoinPerUsd: 0,
  gammaCoinPer1Pct: 0,
  vegaUsdPerVolPt: 0,
  vegaCoinPerVolPt: 0,
  thetaUsdPerDay: 0,
  thetaCoinPerDay: 0,
  vannaCoinPerVolPt: 0,
  volgaUsdPerVolPt: 0,
};

export function greeks(overrides: Partial<GreeksRow> = {}): GreeksRow {
  return { ...ZERO_GREEKS_ROW, ...overrides };
}

export function riskRow(overrides: Partial<RiskRow> = {}): RiskRow {
  return {
    currency: 'BTC',
    indexPrice: 100_000,
    greeks: greeks(),
    buckets: [],
    workingBidsFilled: greeks(),
    workingAsksFilled: greeks(),
    pnl: { realizedCoin: 0, unrealizedCoin: 0, feesCoin: 0, totalCoin: 0, totalUsd: 0, dayPeakUsd: 0 },
    scenarios: { spotShocksPct: [], volShocksPts: [], pnlUsd: [], includesWorkingQuotes: false },
    scenariosWithQuotes: { spotShocksPct: [], volShocksPts: [], pnlUsd: [], includesWorkingQuotes: true },
    tsMs: 1_790_000_000_000,
    ...overrides,
  };
}
