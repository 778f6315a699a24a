/**
 * Plain data shared by the OMS, quoting, risk and hedging: fills, positions and Greek totals.
 * Pure types, no behaviour. Units follow Deribit's conventions:
 *  - option amounts are in coin (1 contract = 1 BTC/ETH); option prices in coin (inverse);
 *  - future and perpetual amounts are in USD (contract size 10 USD for BTC, 1 for ETH); their
 *    prices in USD; their PnL in coin (inverse futures).
 */

export type TradeSide = 'buy' | 'sell';

/** One execution of one of our orders, as the venue reported it. */
export interface Fill {
  readonly venueId: string;
  /** The venue's trade id: a fill is counted once, whatever channel reports it. */
  readonly tradeId: string;
  readonly venueOrderId: string;
  /** Our client order id (Deribit label), empty for orders not ours. */
  readonly label: string;
  readonly instrumentName: string;
  readonly side: TradeSide;
  /** Coin for options, USD for futures. */
  readonly amount: number;
  /** Coin for options, USD for futures. */
  readonly price: number;
  /** Fee paid in coin (negative: rebate). */
  readonly feeCoin: number;
  /** Index price at the trade, for USD conversion of coin amounts. */
  readonly indexPrice: number;
  readonly liquidity: 'maker' | 'taker';
  readonly tsMs: number;
}

/** A position as the venue's get_positions reports it (for reconciliation). */
export interface VenuePosition {
  readonly venueId: string;
  readonly instrumentName: string;
  /** Signed: coin for options, USD for futures. */
  readonly size: number;
  readonly averagePrice: number;
  readonly markPrice: number;
  readonly realizedPnlCoin: number;
  readonly floatingPnlCoin: number;
  readonly tsMs: number;
}

/** A venue's account summary for one currency (for reconciliation and the PnL panel). */
export interface VenueAccount {
  readonly venueId: string;
  readonly currency: string;
  readonly equityCoin: number;
  readonly balanceCoin: number;
  readonly availableFundsCoin: number;
  readonly initialMarginCoin: number;
  readonly maintenanceMarginCoin: number;
  readonly totalPnlCoin: number;
  readonly deltaTotal: number;
  readonly tsMs: number;
}

/**
 * Greeks of a position or a portfolio, per underlying coin (BTC, ETH), as dollar-value
 * sensitivities so that options and futures add up:
 *  - deltaCoin: change of value in USD per 1 USD move of the underlying = coin-equivalent exposure;
 *  - gammaCoinPerUsd: change of deltaCoin per 1 USD move;
 *  - vegaUsdPerVolPt, thetaUsdPerDay, volgaUsdPerVolPt in USD;
 *  - vannaCoinPerVolPt: change of deltaCoin per 1 vol point.
 */
export interface GreekTotals {
  readonly deltaCoin: number;
  readonly gammaCoinPerUsd: number;
  readonly vegaUsdPerVolPt: number;
  readonly thetaUsdPerDay: number;
  readonly vannaCoinPerVolPt: number;
  readonly volgaUsdPerVolPt: number;
}

export const ZERO_GREEKS: GreekTotals = { deltaCoin: 0, gammaCoinPerUsd: 0, vegaUsdPerVolPt: 0, thetaUsdPerDay: 0, vannaCoinPerVolPt: 0, volgaUsdPerVolPt: 0 };
