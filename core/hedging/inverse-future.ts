import type { TradeSide } from '../model/trading.ts';
import type { InstrumentRow } from '../protocol/state.ts';

/**
 * Deribit's BTC/ETH perpetuals and futures are inverse: sized in USD, priced in USD, settled in
 * coin. Their delta, the cost of trading them and their lot, in one place.
 *
 * Delta of N USD (long; negative N short) entered at F₀, with the future at F:
 *   PnL in coin  = N·(1/F₀ − 1/F)
 *   PnL in USD   = F·PnL_coin = N·(F/F₀ − 1)          (marked at the future's own price)
 *   ∂PnL_usd/∂F  = N/F₀
 * so, in GreekTotals' terms (USD per 1 USD move = coin-equivalent exposure), a position of N USD
 * traded at F has deltaCoin = N/F at the moment it is traded, which is all a hedge needs: the
 * planner sizes a new position at the price it will trade at. (Later the USD delta stays N/F₀
 * while Deribit's delta_total, size/mark, drifts to N/F; the two differ by the move since entry.)
 *
 * The USD value is linear in F, so the other Greeks are zero: gamma, vega, theta, vanna and volga
 * of a hedge are nil and a hedge changes delta only. Two exposures stay outside GreekTotals: the
 * coin PnL is convex (∂²PnL_coin/∂F² = −2N/F³), which matters to a book kept in coin; and a dated
 * future carries basis (its F is not the index), so hedging options on one expiry with a future
 * on another leaves basis risk. Delta is measured against the future's own price, as Deribit sums
 * delta_total; against the index it would be N/S, different by the basis ratio F/S.
 */

/**
 * The order increment in USD. Deribit lists min_trade_amount = contract_size for its inverse
 * futures (10 USD BTC, 1 USD ETH); should a venue list them apart, an order must satisfy both,
 * so the lot is the larger (a multiple of the smaller on every listing we know).
 */
export function lotUsd(instrument: Pick<InstrumentRow, 'minTradeAmount' | 'contractSize'>): number {
  return Math.max(instrument.minTradeAmount, instrument.contractSize);
}

/** Coin-equivalent delta of amountUsd traded at priceUsd (signed like the amount). */
export function deltaCoinOfUsd(amountUsd: number, priceUsd: number): number {
  return amountUsd / priceUsd;
}

/** USD amount whose delta at priceUsd is deltaCoin (signed like the delta). */
export function usdOfDeltaCoin(deltaCoin: number, priceUsd: number): number {
  return deltaCoin * priceUsd;
}

/**
 * Whole lots that best offset `wantUsd` (unsigned) without making the exposure worse: the nearest
 * whole number, except that a half lot or less rounds to zero (one lot would leave the absolute
 * delta no smaller than before). The residual is therefore at most half a lot.
 */
export function lotsToward(wantUsd: number, lotSizeUsd: number): number {
  if (!(wantUsd > 0) || !(lotSizeUsd > 0)) return 0;
  const exact = wantUsd / lotSizeUsd;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) < exact ? nearest : 0;
}

/** Whole lots in amountUsd, rounded down (never more than the amount, for closing positions). */
export function lotsWithin(amountUsd: number, lotSizeUsd: number): number {
  if (!(amountUsd > 0) || !(lotSizeUsd > 0)) return 0;
  return Math.floor(amountUsd / lotSizeUsd + 1e-9);
}

/** Lots as a clean USD amount (10 × 0.1-style float noise never reaches an order). */
export function usdOfLots(lots: number, lotSizeUsd: number): number {
  return Number((lots * lotSizeUsd).toPrecision(12));
}

/**
 * What trading amountUsd at fillPriceUsd costs in coin against referencePriceUsd (a mid or a
 * mark), positive when worse. A long entered at P instead of M ends N·(1/P − 1/M) coin apart
 * whatever the later price, so buying at P costs N·(P − M)/(P·M); a sell mirrors it.
 */
export function slippageCoin(side: TradeSide, amountUsd: number, fillPriceUsd: number, referencePriceUsd: number): number {
  const perUsd = (fillPriceUsd - referencePriceUsd) / (fillPriceUsd * referencePriceUsd);
  return side === 'buy' ? amountUsd * perUsd : -amountUsd * perUsd;
}

/** Deribit's futures fee: a fraction of the notional, paid in coin (negative rate: a rebate). */
export function feeCoin(amountUsd: number, fillPriceUsd: number, feeRate: number): number {
  return (amountUsd * feeRate) / fillPriceUsd;
}
