import type { IndexRow, InstrumentRow, PositionRow } from '../../../core/protocol/index.ts';
import { indexFor } from '../market/chain-index.ts';
import type { InstrumentKind } from './blotter-units.ts';
import { rowUnits } from './blotter-units.ts';

/**
 * The positions blotter's rows: the engine's positions with their units, and PnL in coin and in
 * USD at the underlying's current index (`btc_usd` for BTC).
 */

export interface PositionView {
  /** The positions topic's key. */
  readonly id: string;
  readonly instrumentName: string;
  readonly venueId: string;
  readonly currency: string;
  readonly kind: InstrumentKind;
  /** Signed: coin for options, USD for futures. */
  readonly size: number;
  readonly amountUnit: string;
  readonly averagePrice: number;
  readonly markPrice: number | undefined;
  readonly priceUnit: string;
  readonly priceDecimals: number;
  readonly unrealizedPnlCoin: number;
  readonly unrealizedPnlUsd: number | undefined;
  readonly realizedPnlCoin: number;
  readonly realizedPnlUsd: number | undefined;
  readonly feesCoin: number;
  readonly deltaCoin: number;
  readonly vegaUsdPerVolPt: number;
  /** Why our record and the venue's disagree, when they do. */
  readonly discrepancy: string | undefined;
  readonly flat: boolean;
  readonly updatedTsMs: number;
}

function usd(coin: number, indexPrice: number | undefined): number | undefined {
  return indexPrice === undefined || !Number.isFinite(coin) ? undefined : coin * indexPrice;
}

export function positionView(id: string, row: PositionRow, instrument: InstrumentRow | undefined, indexPrice: number | undefined): PositionView {
  const units = rowUnits(row.instrumentName, instrument, row.currency);
  return {
    id,
    instrumentName: row.instrumentName,
    venueId: row.venueId,
    currency: row.currency,
    kind: units.kind,
    size: row.size,
    amountUnit: units.amountUnit,
    averagePrice: row.averagePrice,
    markPrice: row.markPrice,
    priceUnit: units.priceUnit,
    priceDecimals: units.priceDecimals,
    unrealizedPnlCoin: row.unrealizedPnlCoin,
    unrealizedPnlUsd: usd(row.unrealizedPnlCoin, indexPrice),
    realizedPnlCoin: row.realizedPnlCoin,
    realizedPnlUsd: usd(row.realizedPnlCoin, indexPrice),
    feesCoin: row.feesCoin,
    deltaCoin: row.deltaCoin,
    vegaUsdPerVolPt: row.vegaUsdPerVolPt,
    discrepancy: row.discrepancy !== undefined && row.discrepancy !== '' ? row.discrepancy : undefined,
    flat: row.size === 0,
    updatedTsMs: row.updatedTsMs,
  };
}

export interface PositionOptions {
  /** Leave out closed positions (size 0) unless they disagree with the venue. */
  readonly hideFlat: boolean;
}

export function positionViews(
  positions: Readonly<Record<string, PositionRow>> | undefined,
  instruments: Readonly<Record<string, InstrumentRow>> | undefined,
  indices: Readonly<Record<string, IndexRow>> | undefined,
  options: PositionOptions,
): ReadonlyMap<string, PositionView> {
  const views = new Map<string, PositionView>();
  if (!positions) return views;
  const indexByCurrency = new Map<string, number | undefined>();
  for (const [id, row] of Object.entries(positions)) {
    if (options.hideFlat && row.size === 0 && !row.discrepancy) continue;
    if (!indexByCurrency.has(row.currency)) indexByCurrency.set(row.currency, indexFor(indices, row.currency)?.price);
    views.set(id, positionView(id, row, instruments?.[row.instrumentName], indexByCurrency.get(row.currency)));
  }
  return views;
}

export interface PositionTotals {
  readonly currency: string;
  readonly count: number;
  readonly unrealizedPnlCoin: number;
  readonly realizedPnlCoin: number;
  /** Undefined when the index is unknown for a row of this currency. */
  readonly unrealizedPnlUsd: number | undefined;
  readonly realizedPnlUsd: number | undefined;
  readonly feesCoin: number;
  readonly deltaCoin: number;
  readonly vegaUsdPerVolPt: number;
  readonly discrepancies: number;
}

function addMaybe(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}

/** Sums per underlying (open positions counted; closed ones still add their realized PnL). */
export function positionTotals(views: Iterable<PositionView>): readonly PositionTotals[] {
  const totals = new Map<string, PositionTotals>();
  for (const view of views) {
    const current = totals.get(view.currency) ?? { currency: view.currency, count: 0, unrealizedPnlCoin: 0, realizedPnlCoin: 0, unrealizedPnlUsd: 0, realizedPnlUsd: 0, feesCoin: 0, deltaCoin: 0, vegaUsdPerVolPt: 0, discrepancies: 0 };
    totals.set(view.currency, {
      currency: view.currency,
      count: current.count + (view.flat ? 0 : 1),
      unrealizedPnlCoin: current.unrealizedPnlCoin + view.unrealizedPnlCoin,
      realizedPnlCoin: current.realizedPnlCoin + view.realizedPnlCoin,
      unrealizedPnlUsd: addMaybe(current.unrealizedPnlUsd, view.unrealizedPnlUsd),
      realizedPnlUsd: addMaybe(current.realizedPnlUsd, view.realizedPnlUsd),
      feesCoin: current.feesCoin + view.feesCoin,
      deltaCoin: current.deltaCoin + view.deltaCoin,
      vegaUsdPerVolPt: current.vegaUsdPerVolPt + view.vegaUsdPerVolPt,
      discrepancies: current.discrepancies + (view.discrepancy ? 1 : 0),
    });
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Whether two total lists show the same (so the toolbar re-renders only on a change). */
export function sameTotals(a: readonly PositionTotals[], b: readonly PositionTotals[]): boolean {
  return a.length === b.length && a.every((total, i) => shallowEqual(total, b[i]!));
}

/** Flat objects with the same keys and identical values. */
export function shallowEqual(a: object, b: object): boolean {
  if (a === b) return true;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) if (!Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}
