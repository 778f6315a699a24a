import { describe, expect, it } from 'vitest';
import type { RiskPosition } from './greeks.ts';
import { aggregateGreeks } from './greeks.ts';
import { buildRiskMetrics, bucketVega } from './metrics.ts';
import { BTC_DEC_60C, BTC_MAR_70C, BTC_PERP, INDEX_USD, PRICING } from './test-fixtures.ts';

describe('risk metrics', () => {
  const positions: RiskPosition[] = [
    { instrument: BTC_DEC_60C, size: 2 },
    { instrument: BTC_DEC_60C, size: 1 },
    { instrument: BTC_MAR_70C, size: -3 },
    { instrument: BTC_MAR_70C, size: 3 },
    { instrument: BTC_PERP, size: -20_000 },
  ];
  const risk = aggregateGreeks(positions, PRICING, INDEX_USD);
  const metrics = buildRiskMetrics(risk, positions, { BTC: { openOrders: 7, dailyPnlUsd: -5 }, SOL: { openOrders: 2 } }, INDEX_USD);

  it('nets positions per instrument and drops flat ones', () => {
    expect(metrics.BTC!.positions).toEqual({ [BTC_DEC_60C.instrumentName]: { kind: 'option', size: 3 }, [BTC_PERP.instrumentName]: { kind: 'future', size: -20_000 } });
  });

  it('carries the aggregated Greeks, the dated buckets’ vega and the activity counters', () => {
    const btc = metrics.BTC!;
    expect(btc.greeks).toBe(risk.byUnderlying[0]!.greeks);
    expect(btc.vegaByExpiry.map((b) => b.bucketId)).toEqual(['2026-12-25', '2027-03-26']);
    expect(bucketVega(btc, '2026-12-25')).toBe(risk.byUnderlying[0]!.byExpiry[0]!.greeks.vegaUsdPerVolPt);
    expect(bucketVega(btc, '2030-01-01')).toBe(0);
    expect(btc).toMatchObject({ indexUsd: 50_000, openOrders: 7, dailyPnlUsd: -5, ordersPerSec: 0, dayPeakPnlUsd: 0 });
  });

  it('includes a currency with activity but no position, its index unknown', () => {
    expect(metrics.SOL).toMatchObject({ currency: 'SOL', openOrders: 2, grossNotionalUsd: 0, positions: {} });
    expect(metrics.SOL!.indexUsd).toBeNaN();
  });
});
