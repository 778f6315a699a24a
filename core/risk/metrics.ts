/**
 * The measured quantities limits are evaluated on, per underlying: what aggregation found plus
 * the activity counters and PnL the kernel keeps. Pure assembly, no judgement.
 */
import type { PortfolioRisk, RiskGreeks, RiskPosition } from './greeks.ts';
import { ZERO_RISK_GREEKS } from './greeks.ts';

export interface PositionMetric {
  readonly kind: 'option' | 'future';
  /** Signed: coin for options, USD for futures and perpetuals. */
  readonly size: number;
}

export interface BucketVega {
  readonly bucketId: string;
  readonly expiryMs: number;
  readonly vegaUsdPerVolPt: number;
}

/** Counters and PnL the kernel keeps per underlying. */
export interface UnderlyingActivity {
  /** Our live orders on the underlying's instruments. */
  readonly openOrders: number;
  /** Orders sent over the last second. */
  readonly ordersPerSec: number;
  /** Messages (orders, amends, cancels) sent over the last second. */
  readonly messagesPerSec: number;
  /** Today's PnL (realized + unrealized) in USD. */
  readonly dailyPnlUsd: number;
  /** Highest dailyPnlUsd seen today (the drawdown reference). */
  readonly dayPeakPnlUsd: number;
}

export const NO_ACTIVITY: UnderlyingActivity = { openOrders: 0, ordersPerSec: 0, messagesPerSec: 0, dailyPnlUsd: 0, dayPeakPnlUsd: 0 };

export interface UnderlyingMetrics extends UnderlyingActivity {
  readonly currency: string;
  /** NaN when unknown: limits that need it then read as breached rather than as zero. */
  readonly indexUsd: number;
  readonly greeks: RiskGreeks;
  /** Vega per expiry bucket with a position, ascending expiry (the perpetual has none). */
  readonly vegaByExpiry: readonly BucketVega[];
  /** Net position per instrument name (non-zero only). */
  readonly positions: Readonly<Record<string, PositionMetric>>;
  readonly grossNotionalUsd: number;
}

/** By currency. */
export type RiskMetrics = Readonly<Record<string, UnderlyingMetrics>>;

export function emptyUnderlyingMetrics(currency: string, indexUsd = Number.NaN): UnderlyingMetrics {
  return { ...NO_ACTIVITY, currency, indexUsd, greeks: ZERO_RISK_GREEKS, vegaByExpiry: [], positions: {}, grossNotionalUsd: 0 };
}

/**
 * Net position per instrument, by currency (non-zero only), per positions array: the refresh hands
 * the same array over until a size changes, and the records it gets back are then the same too.
 */
const nettedOf = new WeakMap<readonly RiskPosition[], ReadonlyMap<string, Readonly<Record<string, PositionMetric>>>>();

function netted(positions: readonly RiskPosition[]): ReadonlyMap<string, Readonly<Record<string, PositionMetric>>> {
  const known = nettedOf.get(positions);
  if (known) return known;
  const out = new Map<string, Record<string, PositionMetric>>();
  for (const { instrument, size } of positions) {
    if (size === 0) continue;
    let book = out.get(instrument.currency);
    if (!book) out.set(instrument.currency, (book = {}));
    const previous = book[instrument.instrumentName]?.size ?? 0;
    book[instrument.instrumentName] = { kind: instrument.kind, size: previous + size };
  }
  for (const book of out.values()) for (const [name, p] of Object.entries(book)) if (p.size === 0) delete book[name];
  nettedOf.set(positions, out);
  return out;
}

const NO_POSITIONS: Readonly<Record<string, PositionMetric>> = Object.freeze({});

/**
 * Metrics of every currency with a priced position or an activity entry. `risk` must come from
 * aggregateGreeks over the same positions; indexUsd by currency (missing: NaN).
 */
export function buildRiskMetrics(
  risk: PortfolioRisk,
  positions: readonly RiskPosition[],
  activity: Readonly<Record<string, Partial<UnderlyingActivity>>>,
  indexUsd: Readonly<Record<string, number>>,
): RiskMetrics {
  const books = netted(positions);
  const out: Record<string, UnderlyingMetrics> = {};
  const currencies = new Set([...risk.byUnderlying.map((u) => u.currency), ...Object.keys(activity), ...books.keys()]);
  for (const currency of [...currencies].sort()) {
    const u = risk.byUnderlying.find((x) => x.currency === currency);
    out[currency] = {
      ...NO_ACTIVITY,
      ...activity[currency],
      currency,
      indexUsd: indexUsd[currency] ?? Number.NaN,
      greeks: u?.greeks ?? ZERO_RISK_GREEKS,
      vegaByExpiry: (u?.byExpiry ?? []).filter((b) => !b.isPerpetual).map((b) => ({ bucketId: b.bucketId, expiryMs: b.expiryMs, vegaUsdPerVolPt: b.greeks.vegaUsdPerVolPt })),
      positions: books.get(currency) ?? NO_POSITIONS,
      grossNotionalUsd: u?.grossNotionalUsd ?? 0,
    };
  }
  return out;
}

/** The vega of one bucket, 0 when the book has nothing there. */
export function bucketVega(metrics: UnderlyingMetrics, bucketId: string): number {
  return metrics.vegaByExpiry.find((b) => b.bucketId === bucketId)?.vegaUsdPerVolPt ?? 0;
}
