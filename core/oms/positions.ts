import type { Fill, VenuePosition } from '../model/trading.ts';

/**
 * Our positions and their PnL, built from fills and checked against the venue. Pure: fills,
 * marks, index prices and venue positions come in as data; nothing reads a clock.
 *
 * Units follow Deribit's inverse products (core/model/trading.ts):
 *  - options: size in coin (signed), prices in coin. A position's unrealized PnL is
 *    (mark − average)·size coin, and closing `q` of it at `p` realizes sign(size)·q·(p − average).
 *  - inverse futures and perpetuals: size in USD (signed), prices in USD, PnL in coin. A long of
 *    S USD entered at P holds S/P coin worth of contracts; at price M the same contracts are worth
 *    S/M coin, so the position has made S/P − S/M = S·(1/P − 1/M) coin (a short, S < 0, the
 *    opposite). Unrealized PnL is size·(1/average − 1/mark); closing q realizes
 *    sign(size)·q·(1/average − 1/p). The average entry is therefore harmonic — the price at which
 *    the coin value of the contracts equals the sum of the fills' coin values:
 *    |S₁ + S₂| / (|S₁|/P₁ + |S₂|/P₂).
 * Both are what the simulator reports as floating_profit_loss (core/sim/exchange/position-math.ts)
 * and what Deribit documents.
 *
 * Realized PnL excludes fees, which are kept apart (negative: rebates); the net PnL of a position
 * is realized + unrealized − fees. A fill that crosses zero closes the position and opens the
 * remainder at the fill's price.
 */

export type PositionKind = 'option' | 'future';

export interface InstrumentTerms {
  readonly kind: PositionKind;
  /** The settlement coin PnL is counted in. */
  readonly currency: string;
}

/** Deribit's naming: options end in -C or -P; anything else is an inverse future; the coin is the prefix. */
export function termsFromName(instrumentName: string): InstrumentTerms {
  const currency = instrumentName.split(/[-_]/)[0] ?? instrumentName;
  return { kind: /-[CP]$/.test(instrumentName) ? 'option' : 'future', currency };
}

/** Amounts are multiples of 0.1 coin or 1 USD: sums rounded to 1e-8 compare exactly with the venue's. */
export function roundSize(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

export interface PositionState {
  readonly size: number;
  readonly averagePrice: number;
}

/** A fill of `signedAmount` (buy > 0) at `price`: the new position and what the fill realized, in coin. */
export function applyToPosition(kind: PositionKind, position: PositionState, signedAmount: number, price: number): PositionState & { readonly realizedPnlCoin: number } {
  const { size, averagePrice } = position;
  const newSize = roundSize(size + signedAmount);
  const increasing = size === 0 || Math.sign(size) === Math.sign(signedAmount);
  const closed = increasing ? 0 : Math.min(Math.abs(signedAmount), Math.abs(size));
  let realizedPnlCoin = 0;
  if (closed > 0) realizedPnlCoin = kind === 'option' ? Math.sign(size) * closed * (price - averagePrice) : Math.sign(size) * closed * (1 / averagePrice - 1 / price);
  let nextAverage: number;
  if (newSize === 0) nextAverage = 0;
  else if (increasing) {
    nextAverage =
      kind === 'option'
        ? (Math.abs(size) * averagePrice + Math.abs(signedAmount) * price) / Math.abs(newSize)
        : Math.abs(newSize) / ((size === 0 ? 0 : Math.abs(size) / averagePrice) + Math.abs(signedAmount) / price);
  } else if (Math.sign(newSize) === Math.sign(size)) nextAverage = averagePrice;
  else nextAverage = price;
  return { size: newSize, averagePrice: nextAverage, realizedPnlCoin };
}

/** PnL of the position against its average entry if it were closed at `markPrice`, in coin. */
export function unrealizedPnlCoin(kind: PositionKind, position: PositionState, markPrice: number): number {
  if (position.size === 0 || !(markPrice > 0)) return 0;
  if (kind === 'option') return position.size * (markPrice - position.averagePrice);
  return position.size * (1 / position.averagePrice - 1 / markPrice);
}

export interface Position {
  readonly venueId: string;
  readonly instrumentName: string;
  readonly kind: PositionKind;
  readonly currency: string;
  /** Signed: coin for options, USD for futures. */
  readonly size: number;
  /** Coin for options, USD for futures; 0 when flat. */
  readonly averagePrice: number;
  readonly realizedPnlCoin: number;
  /** Paid; negative for rebates. */
  readonly feesCoin: number;
  readonly markPrice?: number;
  /** Against the mark; 0 until a mark is known. */
  readonly unrealizedPnlCoin: number;
  readonly fillCount: number;
  readonly updatedTsMs: number;
}

export interface CurrencyTotals {
  readonly currency: string;
  readonly realizedPnlCoin: number;
  readonly unrealizedPnlCoin: number;
  readonly feesCoin: number;
  /** Realized + unrealized − fees. */
  readonly netPnlCoin: number;
  /** The index price used for USD (the latest set, else the latest fill's); absent when none is known. */
  readonly indexPriceUsd?: number;
  readonly realizedPnlUsd?: number;
  readonly unrealizedPnlUsd?: number;
  readonly feesUsd?: number;
  readonly netPnlUsd?: number;
}

/** A position that is not flat: what repricing it needs. */
export interface HeldPosition {
  readonly venueId: string;
  readonly instrumentName: string;
  /** Signed: coin for options, USD for futures. */
  readonly size: number;
}

export interface PositionDiscrepancy {
  readonly venueId: string;
  readonly instrumentName: string;
  /** `size`: ours differed and the venue's was adopted; `averagePrice`: beyond tolerance, the venue's adopted. */
  readonly field: 'size' | 'averagePrice';
  readonly ours: number;
  readonly venue: number;
}

export interface PositionBookOptions {
  /** How to treat an instrument (default: Deribit's naming, termsFromName). */
  readonly termsOf?: (venueId: string, instrumentName: string) => InstrumentTerms;
  /** Relative difference of average prices tolerated by reconcile (default 1e-6: rounding only). */
  readonly averagePriceTolerance?: number;
}

export interface FillOutcome {
  /** False for a fill already counted (same venue and trade id). */
  readonly applied: boolean;
  readonly realizedPnlCoin: number;
}

interface Entry {
  readonly venueId: string;
  readonly instrumentName: string;
  readonly terms: InstrumentTerms;
  size: number;
  averagePrice: number;
  realizedPnlCoin: number;
  feesCoin: number;
  markPrice: number | undefined;
  fillCount: number;
  updatedTsMs: number;
}

const keyOf = (venueId: string, name: string): string => `${venueId}\u0000${name}`;

export class PositionBook {
  readonly #entries = new Map<string, Entry>();
  /** The entries in positions()' order, sorted again only when one is added (the risk refresh lists them four times a second). */
  #sorted: Entry[] | undefined;
  /** held()'s answer, until a size changes. */
  #held: readonly HeldPosition[] | undefined;
  /** Every trade counted, by venue and trade id: a fill reported twice (live and recovered) counts once. */
  readonly #seen = new Set<string>();
  readonly #indexPrices = new Map<string, number>();
  readonly #fillIndexPrices = new Map<string, number>();
  readonly #termsOf: (venueId: string, instrumentName: string) => InstrumentTerms;
  readonly #tolerance: number;

  constructor(options: PositionBookOptions = {}) {
    this.#termsOf = options.termsOf ?? ((_venueId, name) => termsFromName(name));
    this.#tolerance = options.averagePriceTolerance ?? 1e-6;
  }

  /** Counts a fill once. */
  applyFill(fill: Fill): FillOutcome {
    const seenKey = keyOf(fill.venueId, fill.tradeId);
    if (this.#seen.has(seenKey)) return { applied: false, realizedPnlCoin: 0 };
    this.#seen.add(seenKey);
    const entry = this.#entry(fill.venueId, fill.instrumentName);
    const next = applyToPosition(entry.terms.kind, entry, fill.side === 'buy' ? fill.amount : -fill.amount, fill.price);
    if (entry.size !== next.size) this.#held = undefined;
    entry.size = next.size;
    entry.averagePrice = next.averagePrice;
    entry.realizedPnlCoin += next.realizedPnlCoin;
    entry.feesCoin += fill.feeCoin;
    entry.fillCount += 1;
    entry.updatedTsMs = Math.max(entry.updatedTsMs, fill.tsMs);
    if (fill.indexPrice > 0) this.#fillIndexPrices.set(entry.terms.currency, fill.indexPrice);
    return { applied: true, realizedPnlCoin: next.realizedPnlCoin };
  }

  hasFill(venueId: string, tradeId: string): boolean {
    return this.#seen.has(keyOf(venueId, tradeId));
  }

  /** The venue's marks of the instruments we hold, from `markOf` (undefined: no mark known). */
  setMarks(markOf: (instrumentName: string) => number | undefined): void {
    for (const entry of this.#entries.values()) {
      const markPrice = markOf(entry.instrumentName);
      if (markPrice !== undefined && markPrice > 0) entry.markPrice = markPrice;
    }
  }

  setIndexPrice(currency: string, priceUsd: number): void {
    if (priceUsd > 0) this.#indexPrices.set(currency, priceUsd);
  }

  position(venueId: string, instrumentName: string): Position | undefined {
    const entry = this.#entries.get(keyOf(venueId, instrumentName));
    return entry && this.#view(entry);
  }

  /** Every instrument traded or reported, flat ones included (their realized PnL and fees count). */
  positions(): Position[] {
    return this.#inOrder().map((entry) => this.#view(entry));
  }

  /**
   * The positions that are not flat, in positions()' order: the same array until a size changes
   * (the risk refresh reprices them four times a second, and fills are far rarer).
   */
  held(): readonly HeldPosition[] {
    if (this.#held) return this.#held;
    const held: HeldPosition[] = [];
    for (const { venueId, instrumentName, size } of this.#inOrder()) if (size !== 0) held.push({ venueId, instrumentName, size });
    return (this.#held = held);
  }

  /** PnL per settlement coin over every venue, in coin and, when an index price is known, in USD. */
  totals(): CurrencyTotals[] {
    const sums = new Map<string, { realized: number; unrealized: number; fees: number }>();
    for (const entry of this.#entries.values()) {
      const sum = sums.get(entry.terms.currency) ?? { realized: 0, unrealized: 0, fees: 0 };
      sum.realized += entry.realizedPnlCoin;
      sum.unrealized += unrealizedPnlCoin(entry.terms.kind, entry, entry.markPrice ?? 0);
      sum.fees += entry.feesCoin;
      sums.set(entry.terms.currency, sum);
    }
    return [...sums.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, sum]) => {
        const net = sum.realized + sum.unrealized - sum.fees;
        const index = this.#indexPrices.get(currency) ?? this.#fillIndexPrices.get(currency);
        return {
          currency,
          realizedPnlCoin: sum.realized,
          unrealizedPnlCoin: sum.unrealized,
          feesCoin: sum.fees,
          netPnlCoin: net,
          ...(index !== undefined && { indexPriceUsd: index, realizedPnlUsd: sum.realized * index, unrealizedPnlUsd: sum.unrealized * index, feesUsd: sum.fees * index, netPnlUsd: net * index }),
        };
      });
  }

  /**
   * Compares our positions on `venueId` with the venue's get_positions (all of them: an
   * instrument it does not list is flat there). The venue is the truth: where sizes differ
   * (a fill we never saw, or saw twice under different ids) its size and average price are
   * adopted; where only the average price differs beyond tolerance, its average is adopted. Each
   * difference is returned; marks are taken from the venue. Realized PnL and fees stay ours.
   */
  reconcile(venueId: string, venuePositions: readonly VenuePosition[]): PositionDiscrepancy[] {
    const differences: PositionDiscrepancy[] = [];
    const listed = new Set<string>();
    for (const venue of venuePositions) {
      if (venue.venueId !== venueId) continue;
      listed.add(venue.instrumentName);
      const existing = this.#entries.get(keyOf(venueId, venue.instrumentName));
      if (!existing && venue.size === 0) continue;
      const entry = existing ?? this.#entry(venueId, venue.instrumentName);
      if (venue.markPrice > 0) entry.markPrice = venue.markPrice;
      const venueSize = roundSize(venue.size);
      if (entry.size !== venueSize) {
        differences.push({ venueId, instrumentName: venue.instrumentName, field: 'size', ours: entry.size, venue: venueSize });
        entry.size = venueSize;
        entry.averagePrice = venueSize === 0 ? 0 : venue.averagePrice;
        this.#held = undefined;
        continue;
      }
      if (venueSize !== 0 && Math.abs(entry.averagePrice - venue.averagePrice) > this.#tolerance * Math.abs(venue.averagePrice)) {
        differences.push({ venueId, instrumentName: venue.instrumentName, field: 'averagePrice', ours: entry.averagePrice, venue: venue.averagePrice });
        entry.averagePrice = venue.averagePrice;
      }
    }
    for (const entry of this.#entries.values()) {
      if (entry.venueId !== venueId || listed.has(entry.instrumentName) || entry.size === 0) continue;
      differences.push({ venueId, instrumentName: entry.instrumentName, field: 'size', ours: entry.size, venue: 0 });
      entry.size = 0;
      entry.averagePrice = 0;
      this.#held = undefined;
    }
    return differences;
  }

  #inOrder(): readonly Entry[] {
    return (this.#sorted ??= [...this.#entries.values()].sort((a, b) => (a.venueId === b.venueId ? a.instrumentName.localeCompare(b.instrumentName) : a.venueId.localeCompare(b.venueId))));
  }

  #entry(venueId: string, instrumentName: string): Entry {
    const key = keyOf(venueId, instrumentName);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { venueId, instrumentName, terms: this.#termsOf(venueId, instrumentName), size: 0, averagePrice: 0, realizedPnlCoin: 0, feesCoin: 0, markPrice: undefined, fillCount: 0, updatedTsMs: 0 };
      this.#entries.set(key, entry);
      this.#sorted = undefined;
    }
    return entry;
  }

  #view(entry: Entry): Position {
    return {
      venueId: entry.venueId,
      instrumentName: entry.instrumentName,
      kind: entry.terms.kind,
      currency: entry.terms.currency,
      size: entry.size,
      averagePrice: entry.averagePrice,
      realizedPnlCoin: entry.realizedPnlCoin,
      feesCoin: entry.feesCoin,
      ...(entry.markPrice !== undefined && { markPrice: entry.markPrice }),
      unrealizedPnlCoin: unrealizedPnlCoin(entry.terms.kind, entry, entry.markPrice ?? 0),
      fillCount: entry.fillCount,
      updatedTsMs: entry.updatedTsMs,
    };
  }
}
