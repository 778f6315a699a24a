/**
 * Quote generation for one option: theo from the fitted surface, a reservation vol skewed by the
 * portfolio's risk, a width in vol points, then prices in coin on the tick grid and sizes in lots,
 * inside every constraint. Pure: the same inputs give the same quote. The arithmetic lives in the
 * chain kernel (chain-quoter.ts) and quoteOption runs it on a one-option chain, so a scalar quote
 * and a chain requote agree to the last bit (the design of core/pricing's ChainPricer).
 *
 * 1. Theo. θ = B(F, K, T, σ̂)/F in coin (Deribit options are inverse: the Black-76 USD price over
 *    the expiry's forward), σ̂ = surface vol + the override's vol offset.
 *
 * 2. Reservation vol (skew), after Avellaneda–Stoikov (2008) and Guéant–Lehalle–Fernandez-Tapia
 *    (2013). There the maker quotes around a reservation price r = s − q·γσ²(T − t): the mid minus
 *    the marginal cost of holding one more unit under the inventory penalty ½γσ²(T − t)q². An
 *    options book carries several exposures, so take the portfolio's exposure vector
 *    x = (Δ, V, V_B) — delta in coin, vega in USD per vol pt, and the vega of this option's expiry
 *    bucket — and the quadratic penalty, in USD,
 *        R(x) = ½·γΔ·Δ² + ½·γV·V² + ½·γB·V_B².
 *    Buying q coin of option i moves x by q·(δᵢ, νᵢ, νᵢ) (δᵢ its Black delta per coin, νᵢ its vega
 *    in USD per vol pt per coin; its vega is in its own bucket), so the marginal risk of one more
 *    unit is
 *        ∂R/∂q = γΔ·Δ·δᵢ + γV·V·νᵢ + γB·V_B·νᵢ      [USD per coin]
 *    and the reservation price is θᵢ − ∂R/∂q. Selling moves x the other way and flips the sign of
 *    the marginal risk, so both sides shift by the same amount: the whole quote moves. Quotes are
 *    set in vol space, so divide by the option's vega:
 *        skewVolPts = −(γΔ·Δ·δᵢ/νᵢ + γV·V + γB·V_B),   clamped to ±maxSkewVolPts,
 *    plus the override's manual skew offset. The vega terms move every option of an expiry by the
 *    same vol; the delta term leans hardest on options whose delta is large for their vega (delta
 *    is shed most cheaply through them; the clamp keeps short-dated wings sane). Signs: long delta
 *    lowers calls and raises puts; long vega lowers every vol. Units: γΔ in USD per coin², γV and
 *    γB in vol pts per USD/vol pt (quoting-params.ts). Δ and δᵢ follow core/model's GreekTotals:
 *    USD-value sensitivities, so an option's δ is its Black delta (Deribit's ticker delta).
 *    GLFT's closed form also widens the spread with γ; here the width is its own parameter, so
 *    skew and width are tuned separately.
 *
 * 3. Width. half-width h = (baseHalfWidthVolPts + uncertaintyWidthFactor·u) × widthMultiplier,
 *    u the surface's uncertainty in vol pts. Level l: bid vol r − h − l·spacing, ask vol
 *    r + h + l·spacing (floored at 0), priced with Black-76 into coin.
 *
 * 4. Prices, each step only making a side more passive or dropping it:
 *    a. rounded passively to ticks (bid down, ask up);
 *    b. at least minEdgeTicks from theo and strictly off it: bid < θ < ask, so never bid ≥ ask;
 *       skew can push the risk-reducing side up to this edge, never through it;
 *    c. each level at least one tick behind the previous one;
 *    d. post-only: bid ≤ best ask − 1 tick, ask ≥ best bid + 1 tick (clamped, not dropped);
 *    e. collar around theo and around the mark when there is one (collar.ts): a side too
 *       aggressive for the band is CLAMPED back to its edge (more passive is always safe); a side
 *       too passive (a bid under the band, an ask over it) is DROPPED, because moving it toward
 *       the reference would pay more than the model asks;
 *    f. a bid under one tick is dropped; an ask is at least one tick.
 *    A fixed-price override replaces a–c for level 0 (the trader's price, no model edge; deeper
 *    levels are not quoted) and still goes through d–f; if it crosses the other side, the model
 *    side is dropped ('crossed').
 *
 * 5. Sizes. Against limits the book's risk is its normalised exposure
 *        ρ = (Δ/refΔ)² + (V/refV)² + (V_B/refB)² + (pos/refPos)²
 *    (sizeShrink* references; pos is the position in this option). A fill of q on side s changes
 *    ρ by 2·g·q·s + h·q² with g = Δδ/refΔ² + (V/refV² + V_B/refB²)ν + pos/refPos². The side with
 *    g·s > 0 adds risk and quotes size × max(0, 1 − √ρ): it reaches zero when any one exposure
 *    alone reaches its reference. The other side keeps its full size. Sizes are rounded down to
 *    lots of minTradeAmount; a level under one lot is dropped ('size-zero').
 *    REDUCING mode quotes only a side with g·s < 0, its total over all levels capped at the fill
 *    that minimises ρ (|g|/h), so even a complete fill leaves ρ lower than before.
 */
import { ChainQuoter } from './chain-quoter.ts';
import type { OptionQuote, QuoteOptionInput } from './quote-types.ts';

export type { OptionQuote, PortfolioRisk, QuoteLevel, QuoteOptionInput, QuoteSide, QuotingMode, SideOffReason } from './quote-types.ts';
export { SIDE_OFF_REASONS } from './quote-types.ts';

// One-option chain shared by quoteOption; synchronous use only, so sharing is safe.
let single: ChainQuoter | undefined;

/** The quote of one option (module comment). Never throws: bad inputs give sides off with 'invalid-input'. */
export function quoteOption(input: QuoteOptionInput): OptionQuote {
  single ??= new ChainQuoter(1);
  const q = single;
  const instrument = input.instrument;
  q.instrumentName[0] = instrument.instrumentName;
  q.strike[0] = instrument.strike ?? NaN;
  q.isCall[0] = instrument.optionType === 'call' ? 1 : 0;
  q.tickSize[0] = instrument.tickSize;
  q.minTradeAmount[0] = instrument.minTradeAmount;
  q.expiryYears[0] = instrument.optionType === undefined ? NaN : input.expiryYears;
  q.forwardUsd[0] = input.forwardUsd;
  q.theoVolAnnual[0] = input.theoVolAnnual;
  q.uncertaintyVolPts[0] = input.uncertaintyVolPts;
  q.marketBidCoin[0] = input.market.bidPriceCoin ?? NaN;
  q.marketAskCoin[0] = input.market.askPriceCoin ?? NaN;
  q.markCoin[0] = input.market.markPriceCoin ?? NaN;
  q.stale[0] = input.market.stale === true ? 1 : 0;
  q.expirySelected[0] = input.expirySelected === false ? 0 : 1;
  q.positionCoin[0] = input.positionCoin;
  q.bucketVegaUsdPerVolPt[0] = input.risk.bucketVegaUsdPerVolPt;
  q.overrides[0] = input.override;
  q.quote(1, { params: input.params, portfolio: input.risk, mode: input.mode, collar: input.collar });
  return q.quoteAt(0);
}
