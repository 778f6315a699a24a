/**
 * The vocabulary of quote generation: inputs, the quote of one option, and why a side is off.
 * Apart from quote-generator.ts so the chain kernel and the generator can share it without
 * importing each other.
 */
import type { InstrumentRow } from '../protocol/index.ts';
import type { PriceCollar } from './collar.ts';
import type { EffectiveOverride } from './overrides.ts';
import type { QuotingParams } from './quoting-params.ts';

export type QuotingMode = 'active' | 'reducing';

/** The portfolio's risk in this underlying (core/model GreekTotals units). */
export interface PortfolioRisk {
  readonly deltaCoin: number;
  readonly vegaUsdPerVolPt: number;
}

/** Why a side is not quoted; index 0 ('') means quoted (the kernel's Uint8 codes index this list). */
export const SIDE_OFF_REASONS = [
  '',
  /** Outside the selected expiries, too close to expiry, or outside the strike range. */
  'not-selected',
  /** The venue's book for the option is not known to be right. */
  'stale-market',
  /** No theo (non-positive forward, strike, tick or lot, expired, NaN vol or uncertainty) or non-finite risk inputs. */
  'invalid-input',
  /** A manual override turned the side off. */
  'override',
  /** REDUCING mode and the side would add to risk. */
  'reducing-mode',
  /** A bid under one tick. */
  'below-one-tick',
  /** Post-only pushed the side out of what it may quote (under one tick or outside the collar). */
  'would-cross',
  /** Too passive for the collar around theo or mark, or the two bands do not overlap. */
  'outside-collar',
  /** Under one lot after the size shrink or the reducing cap. */
  'size-zero',
  /** A fixed price crosses the other side. */
  'crossed',
] as const;

export type SideOffReason = Exclude<(typeof SIDE_OFF_REASONS)[number], ''>;

export interface QuoteLevel {
  /** On tick; a bid rounded down, an ask up. */
  readonly priceCoin: number;
  /** A whole number of lots of minTradeAmount. */
  readonly amountCoin: number;
  /** Implied vol of priceCoin; absent when no vol gives that price (a bid at or under intrinsic). */
  readonly volAnnual?: number;
  /** The vol the level aimed at, before ticks and constraints (for a fixed price, the reservation vol). */
  readonly targetVolAnnual: number;
  /**
   * The most aggressive price an order of this level may rest at (edge, post-only, collar): quote
   * diff re-prices a working order beyond it whatever the refresh tolerance.
   */
  readonly limitPriceCoin: number;
}

/** A side with its levels (level l at index l, none skipped), or the reason it is off. */
export type QuoteSide =
  | { readonly quoted: true; readonly levels: readonly QuoteLevel[] }
  | { readonly quoted: false; readonly reason: SideOffReason };

export interface OptionQuote {
  readonly instrumentName: string;
  readonly tickSize: number;
  readonly minTradeAmount: number;
  readonly theoPriceCoin: number;
  /** Surface vol plus the override's vol offset. */
  readonly theoVolAnnual: number;
  /** theoVolAnnual + skewVolPts/100. */
  readonly reservationVolAnnual: number;
  readonly reservationPriceCoin: number;
  /** Model skew (clamped) plus the manual skew offset, in vol points. */
  readonly skewVolPts: number;
  readonly halfWidthVolPts: number;
  /** Black delta per coin of option. */
  readonly deltaBlack: number;
  readonly vegaUsdPerVolPt: number;
  readonly vegaCoinPerVolPt: number;
  readonly postOnly: boolean;
  /** A lock override: quote diff leaves the working orders as they are. */
  readonly locked: boolean;
  readonly bid: QuoteSide;
  readonly ask: QuoteSide;
  /** Overrides that shaped this quote. */
  readonly overrideIds: readonly string[];
}

export interface QuoteOptionInput {
  readonly instrument: Pick<InstrumentRow, 'instrumentName' | 'strike' | 'optionType' | 'tickSize' | 'minTradeAmount'>;
  readonly expiryYears: number;
  readonly forwardUsd: number;
  /** From the fitted surface at this strike and expiry. */
  readonly theoVolAnnual: number;
  /** The surface's uncertainty here, in vol points (fit error, vol of vol); 0 when unknown. */
  readonly uncertaintyVolPts: number;
  /** The venue's top of book and mark; a missing price is simply not used. */
  readonly market: {
    readonly bidPriceCoin?: number;
    readonly askPriceCoin?: number;
    readonly markPriceCoin?: number;
    /** The book is not known to be right: nothing is quoted. */
    readonly stale?: boolean;
  };
  readonly risk: PortfolioRisk & { readonly bucketVegaUsdPerVolPt: number };
  /** Signed position in this option, coin. */
  readonly positionCoin: number;
  readonly mode: QuotingMode;
  readonly params: QuotingParams;
  readonly override?: EffectiveOverride;
  readonly collar: PriceCollar;
  /** Whether the option's expiry is among the selected ones (selectExpiries); default true. */
  readonly expirySelected?: boolean;
}
