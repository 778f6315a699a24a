import type { FillRow, InstrumentRow } from '../../../core/protocol/index.ts';
import type { InstrumentKind } from './blotter-units.ts';
import { currencyFromName, rowUnits } from './blotter-units.ts';

/**
 * The fills blotter's rows: each execution with its units, and its edge against the strategy's
 * theoretical value at the time: edge = (theo − price) · side, + for buy, − for sell. Positive
 * edge is money made against theo.
 */

export interface FillView {
  readonly id: string;
  readonly tsMs: number;
  readonly instrumentName: string;
  readonly currency: string;
  readonly venueId: string;
  readonly kind: InstrumentKind;
  readonly side: 'buy' | 'sell';
  readonly amount: number;
  readonly amountUnit: string;
  readonly price: number;
  readonly priceUnit: string;
  readonly priceDecimals: number;
  readonly feeCoin: number;
  readonly liquidity: 'maker' | 'taker';
  readonly origin: FillRow['origin'];
  readonly clientOrderId: string;
  readonly theoPrice: number | undefined;
  /** Per unit of amount, in price units. */
  readonly edgePerUnit: number | undefined;
  /** Edge of the whole fill in coin (options: coin amount × coin price edge). */
  readonly edgeCoin: number | undefined;
}

/** Signed edge per unit: what the fill was worth against theo. */
export function fillEdge(side: 'buy' | 'sell', price: number, theoPrice: number | undefined): number | undefined {
  if (theoPrice === undefined || !Number.isFinite(theoPrice) || !Number.isFinite(price)) return undefined;
  return (theoPrice - price) * (side === 'buy' ? 1 : -1);
}

export function fillView(row: FillRow, instrument: InstrumentRow | undefined): FillView {
  const currency = instrument?.currency ?? currencyFromName(row.instrumentName);
  const units = rowUnits(row.instrumentName, instrument, currency);
  const edgePerUnit = fillEdge(row.side, row.price, row.theoPrice);
  return {
    id: row.tradeId,
    tsMs: row.tsMs,
    instrumentName: row.instrumentName,
    currency,
    venueId: row.venueId,
    kind: units.kind,
    side: row.side,
    amount: row.amount,
    amountUnit: units.amountUnit,
    price: row.price,
    priceUnit: units.priceUnit,
    priceDecimals: units.priceDecimals,
    feeCoin: row.feeCoin,
    liquidity: row.liquidity,
    origin: row.origin,
    clientOrderId: row.clientOrderId,
    theoPrice: row.theoPrice,
    edgePerUnit,
    edgeCoin: edgePerUnit !== undefined && units.kind === 'option' ? edgePerUnit * row.amount : undefined,
  };
}

/** Fills are immutable: a view is built once per engine row object. */
const cache = new WeakMap<FillRow, { readonly instrument: InstrumentRow | undefined; readonly view: FillView }>();

export function fillViews(fills: Readonly<Record<string, FillRow>> | undefined, instruments: Readonly<Record<string, InstrumentRow>> | undefined): ReadonlyMap<string, FillView> {
  const views = new Map<string, FillView>();
  if (!fills) return views;
  for (const row of Object.values(fills)) {
    const instrument = instruments?.[row.instrumentName];
    let cached = cache.get(row);
    if (!cached || cached.instrument !== instrument) cache.set(row, (cached = { instrument, view: fillView(row, instrument) }));
    views.set(row.tradeId, cached.view);
  }
  return views;
}

/** Newest first (the grid sorts the same way; this is for anything listing fills outside it). */
export function newestFirst(views: Iterable<FillView>): readonly FillView[] {
  return [...views].sort((a, b) => b.tsMs - a.tsMs || b.id.localeCompare(a.id));
}

export interface FillTotals {
  readonly currency: string;
  readonly count: number;
  /** Over the fills that had a theo. */
  readonly edgeCoin: number;
  readonly feeCoin: number;
}

/** Per underlying: how many fills, the edge captured (coin) and the fees. */
export function fillTotals(views: Iterable<FillView>): readonly FillTotals[] {
  const totals = new Map<string, FillTotals>();
  for (const view of views) {
    const current = totals.get(view.currency) ?? { currency: view.currency, count: 0, edgeCoin: 0, feeCoin: 0 };
    totals.set(view.currency, { currency: view.currency, count: current.count + 1, edgeCoin: current.edgeCoin + (view.edgeCoin ?? 0), feeCoin: current.feeCoin + view.feeCoin });
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

export function sameFillTotals(a: readonly FillTotals[], b: readonly FillTotals[]): boolean {
  return a.length === b.length && a.every((total, i) => total.currency === b[i]!.currency && total.count === b[i]!.count && total.edgeCoin === b[i]!.edgeCoin && total.feeCoin === b[i]!.feeCoin);
}
