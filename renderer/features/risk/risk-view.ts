import type { GreeksRow, RiskBucketRow, RiskRow } from '../../../core/protocol/index.ts';

/**
 * What the risk panel shows, computed from the engine's RiskRow of one underlying: Greeks in coin
 * or in USD, by expiry bucket, the working quotes' worst case and the PnL lines. Pure.
 */

export type Denomination = 'coin' | 'usd';
export type GreekKey = 'delta' | 'gamma' | 'vega' | 'theta' | 'vanna' | 'volga';
export const GREEK_KEYS: readonly GreekKey[] = ['delta', 'gamma', 'vega', 'theta', 'vanna', 'volga'];

export const GREEK_NAMES: Readonly<Record<GreekKey, string>> = { delta: 'Delta', gamma: 'Gamma', vega: 'Vega', theta: 'Theta', vanna: 'Vanna', volga: 'Volga' };

export const GREEK_TITLES: Readonly<Record<GreekKey, string>> = {
  delta: 'Net delta: value change per 1 USD move of the underlying, as a coin amount (or its USD value)',
  gamma: 'Delta change for a 1 % move of the underlying',
  vega: 'Value change per 1 vol point',
  theta: 'Value change per day',
  vanna: 'Delta change per 1 vol point',
  volga: 'Vega change per 1 vol point',
};

/**
 * Unit of a Greek as shown. The engine reports some Greeks in coin and USD both; the others are
 * converted at the index price (gamma and vanna are coin-delta changes, volga a USD vega change).
 */
export function greekUnit(key: GreekKey, denomination: Denomination, currency: string): string {
  const money = denomination === 'coin' ? currency : 'USD';
  switch (key) {
    case 'delta':
      return money;
    case 'gamma':
      return `${money}/1 %`;
    case 'vega':
    case 'vanna':
      return `${money}/vol pt`;
    case 'theta':
      return `${money}/day`;
    case 'volga':
      return `${money}/vol pt²`;
  }
}

function finiteOrUndefined(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

function validIndex(indexPrice: number): boolean {
  return Number.isFinite(indexPrice) && indexPrice > 0;
}

/** One Greek of a GreeksRow in the chosen denomination; undefined when it needs an index price there is not. */
export function greekValue(greeks: GreeksRow, key: GreekKey, denomination: Denomination, indexPrice: number): number | undefined {
  const coin = denomination === 'coin';
  const hasIndex = validIndex(indexPrice);
  switch (key) {
    case 'delta':
      return finiteOrUndefined(coin ? greeks.deltaCoin : greeks.deltaUsd);
    case 'gamma':
      if (coin) return finiteOrUndefined(greeks.gammaCoinPer1Pct);
      return hasIndex ? finiteOrUndefined(greeks.gammaCoinPer1Pct * indexPrice) : undefined;
    case 'vega':
      return finiteOrUndefined(coin ? greeks.vegaCoinPerVolPt : greeks.vegaUsdPerVolPt);
    case 'theta':
      return finiteOrUndefined(coin ? greeks.thetaCoinPerDay : greeks.thetaUsdPerDay);
    case 'vanna':
      if (coin) return finiteOrUndefined(greeks.vannaCoinPerVolPt);
      return hasIndex ? finiteOrUndefined(greeks.vannaCoinPerVolPt * indexPrice) : undefined;
    case 'volga':
      if (!coin) return finiteOrUndefined(greeks.volgaUsdPerVolPt);
      return hasIndex ? finiteOrUndefined(greeks.volgaUsdPerVolPt / indexPrice) : undefined;
  }
}

export type GreekValues = Readonly<Record<GreekKey, number | undefined>>;

export function greekValues(greeks: GreeksRow, denomination: Denomination, indexPrice: number): GreekValues {
  const values = {} as Record<GreekKey, number | undefined>;
  for (const key of GREEK_KEYS) values[key] = greekValue(greeks, key, denomination, indexPrice);
  return values;
}

export interface GreekLine {
  readonly id: string;
  readonly label: string;
  readonly values: GreekValues;
}

export interface WorkingLines {
  readonly bids: GreekLine;
  readonly asks: GreekLine;
  /** Per Greek, which of the two is the larger exposure (absolute value); undefined on a tie. */
  readonly worst: Readonly<Record<GreekKey, 'bids' | 'asks' | undefined>>;
}

export interface GreekTable {
  readonly total: GreekLine;
  /** Perpetual first, then expiries nearest first. */
  readonly buckets: readonly GreekLine[];
  readonly working: WorkingLines;
}

const PERPETUAL = 'perpetual';

/** Buckets in display order: the perpetual first (the hedge), then expiries nearest first. */
export function sortBuckets(buckets: readonly RiskBucketRow[]): RiskBucketRow[] {
  const perpetualFirst = (bucket: RiskBucketRow): number => (bucket.label.toLowerCase() === PERPETUAL ? 0 : 1);
  return [...buckets].sort((a, b) => perpetualFirst(a) - perpetualFirst(b) || a.expiryMs - b.expiryMs || a.label.localeCompare(b.label));
}

function worstOf(bids: GreekValues, asks: GreekValues): Record<GreekKey, 'bids' | 'asks' | undefined> {
  const worst = {} as Record<GreekKey, 'bids' | 'asks' | undefined>;
  for (const key of GREEK_KEYS) {
    const bid = bids[key];
    const ask = asks[key];
    if (bid === undefined && ask === undefined) worst[key] = undefined;
    else if (ask === undefined) worst[key] = 'bids';
    else if (bid === undefined) worst[key] = 'asks';
    else worst[key] = Math.abs(bid) > Math.abs(ask) ? 'bids' : Math.abs(ask) > Math.abs(bid) ? 'asks' : undefined;
  }
  return worst;
}

export function greekTable(risk: RiskRow, denomination: Denomination): GreekTable {
  const values = (greeks: GreeksRow): GreekValues => greekValues(greeks, denomination, risk.indexPrice);
  const bids = values(risk.workingBidsFilled);
  const asks = values(risk.workingAsksFilled);
  return {
    total: { id: 'total', label: 'Total', values: values(risk.greeks) },
    buckets: sortBuckets(risk.buckets).map((bucket) => ({ id: `bucket-${bucket.label}-${bucket.expiryMs}`, label: bucket.label, values: values(bucket.greeks) })),
    working: {
      bids: { id: 'working-bids', label: 'All working bids filled', values: bids },
      asks: { id: 'working-asks', label: 'All working asks filled', values: asks },
      worst: worstOf(bids, asks),
    },
  };
}

export interface PnlLine {
  readonly id: 'realized' | 'unrealized' | 'fees' | 'total';
  readonly label: string;
  readonly coin: number | undefined;
  readonly usd: number | undefined;
  /** The USD figure is the coin figure at today's index price, not the engine's own USD figure. */
  readonly usdAtIndex: boolean;
}

/** PnL lines in coin and USD. Only the total has an engine USD figure; the others are valued at the index. */
export function pnlLines(risk: RiskRow): PnlLine[] {
  const atIndex = (coin: number): number | undefined => (validIndex(risk.indexPrice) && Number.isFinite(coin) ? coin * risk.indexPrice : undefined);
  const { pnl } = risk;
  return [
    { id: 'realized', label: 'Realized', coin: finiteOrUndefined(pnl.realizedCoin), usd: atIndex(pnl.realizedCoin), usdAtIndex: true },
    { id: 'unrealized', label: 'Unrealized', coin: finiteOrUndefined(pnl.unrealizedCoin), usd: atIndex(pnl.unrealizedCoin), usdAtIndex: true },
    { id: 'fees', label: 'Fees', coin: finiteOrUndefined(pnl.feesCoin), usd: atIndex(pnl.feesCoin), usdAtIndex: true },
    { id: 'total', label: 'Total', coin: finiteOrUndefined(pnl.totalCoin), usd: finiteOrUndefined(pnl.totalUsd), usdAtIndex: false },
  ];
}

/** How far the total PnL is below the day's peak, USD (0 at the peak). */
export function drawdownFromPeakUsd(risk: RiskRow): number | undefined {
  const { totalUsd, dayPeakUsd } = risk.pnl;
  if (!Number.isFinite(totalUsd) || !Number.isFinite(dayPeakUsd)) return undefined;
  return Math.min(0, totalUsd - dayPeakUsd);
}

/** Underlyings with risk, alphabetically. */
export function riskCurrencies(risk: Readonly<Record<string, RiskRow>> | undefined): string[] {
  return risk ? Object.keys(risk).sort() : [];
}

/**
 * Which underlying a panel shows: the trader's own pick while it is available, else the one the
 * chain shows, else the first.
 */
export function pickCurrency(available: readonly string[], chosen: string | undefined, preferred: string | undefined): string | undefined {
  if (chosen !== undefined && available.includes(chosen)) return chosen;
  if (preferred !== undefined && available.includes(preferred)) return preferred;
  return available[0];
}
