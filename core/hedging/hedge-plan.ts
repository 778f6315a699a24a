import type { GreekTotals, TradeSide } from '../model/trading.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/state.ts';
import { deltaCoinOfUsd, feeCoin, lotsToward, lotUsd, slippageCoin, usdOfLots } from './inverse-future.ts';
import type { TacticSpec } from './tactic.ts';
import { priceOfTicks, ticksDown } from './ticks.ts';
import type { Touch } from './touch.ts';
import { midPrice, oppositeTouchTicks, passiveTicks, slippageCapTicks, usableTouch } from './touch.ts';

/**
 * The one-click delta hedge, previewed: which order brings the portfolio's delta to a target, what
 * is left over after rounding to whole contracts, and what it should cost. Pure; the trader
 * confirms the preview and the kernel runs the tactic it names (./tactic.ts).
 *
 * Sizing (see ./inverse-future.ts for the derivation): N USD of an inverse future traded at F has
 * deltaCoin N/F, so offsetting D coin needs |D|·F USD, rounded to the nearest whole lot, except
 * that half a lot or less rounds to nothing, so the hedge never leaves |delta − target| larger
 * than it found it and the residual is at most half a lot's delta. F is the price the tactic
 * expects to trade at (the opposite touch when crossing, our own touch when posting); should a
 * passive hedge end up crossing, the delta differs by the spread in relative terms, a few
 * hundredths of a basis point of the hedge.
 *
 * A future changes delta only: its USD value is linear in its price, so the preview's Greeks after
 * the hedge are the Greeks before with deltaCoin moved (basis and the coin-convexity of inverse
 * PnL are outside GreekTotals; see ./inverse-future.ts).
 *
 * Cost, in coin then in USD at the index: crossing pays the distance from the mid to the touch
 * (half the spread) plus the taker fee; posting pays the maker fee only, the half spread a
 * passive fill would earn being left out on purpose (a passive fill is the one the market chose
 * to give, and the tactic crosses after its timeout anyway, which `ifCrossedCost` prices).
 */

export interface HedgeFees {
  /** Fractions of notional (0.0005 = 5 bps); negative = rebate. */
  readonly takerRate: number;
  readonly makerRate: number;
}

export interface HedgePlanInput {
  readonly greeks: GreekTotals;
  /** Coin; 0 when omitted. */
  readonly targetDeltaCoin?: number;
  /** A perpetual or a dated future (inverse, sized in USD). */
  readonly instrument: InstrumentRow;
  readonly quote: QuoteRow | undefined;
  /** The currency's index: converts coin costs to USD. */
  readonly indexPriceUsd: number;
  readonly fees: HedgeFees;
  readonly tactic: TacticSpec;
  readonly nowMs: number;
  /** A quote older than this is flagged stale even if the feed did not say so; default 5 s. */
  readonly maxQuoteAgeMs?: number;
  /** Spreads wider than this (of the mid) are flagged; default 10 bps. */
  readonly wideSpreadBps?: number;
}

export interface HedgeOrder {
  readonly instrumentName: string;
  readonly side: TradeSide;
  readonly amountUsd: number;
  readonly lots: number;
  /** The first limit the tactic sends: our touch for a post, the slippage cap for an IOC. */
  readonly limitPriceUsd: number;
  readonly postOnly: boolean;
  readonly timeInForce: 'good_til_cancelled' | 'immediate_or_cancel';
  readonly reduceOnly: false;
}

export interface HedgeCost {
  readonly spreadCoin: number;
  readonly feeCoin: number;
  readonly totalCoin: number;
  readonly spreadUsd: number;
  readonly feeUsd: number;
  readonly totalUsd: number;
}

export type HedgeWarning =
  | { readonly code: 'no-quote'; readonly message: string }
  | { readonly code: 'stale'; readonly message: string }
  | { readonly code: 'wide-spread'; readonly message: string; readonly spreadBps: number }
  | { readonly code: 'crossed-book'; readonly message: string }
  | { readonly code: 'thin-touch'; readonly message: string; readonly touchAmountUsd: number };

export interface HedgePreview {
  readonly ok: true;
  readonly order: HedgeOrder;
  readonly tactic: TacticSpec;
  /** Where the order should trade: the opposite touch when crossing, our touch when posting. */
  readonly expectedFillPriceUsd: number;
  /** The mid (or the mark for a one-sided book) that spread cost is measured from. */
  readonly referencePriceUsd: number;
  readonly deltaBeforeCoin: number;
  readonly targetDeltaCoin: number;
  /** The hedge's own delta: ±amountUsd / expectedFillPriceUsd. */
  readonly hedgeDeltaCoin: number;
  readonly deltaAfterCoin: number;
  /** deltaAfter − target, left by rounding to whole lots: at most half a lot's delta. */
  readonly residualDeltaCoin: number;
  /** The delta of one lot at the expected price (10 USD at 50,000 = 0.0002 BTC). */
  readonly lotDeltaCoin: number;
  /** The Greeks after the hedge: only delta moves. */
  readonly greeksAfter: GreekTotals;
  readonly expectedCost: HedgeCost;
  /** Crossing the whole amount at the slippage cap now: the worst the tactic may pay as things stand. */
  readonly ifCrossedCost: HedgeCost;
  readonly warnings: readonly HedgeWarning[];
}

export type HedgePlanErrorCode = 'nothing-to-hedge' | 'no-market' | 'not-a-future' | 'expired' | 'invalid-input';

export interface HedgePlanError {
  readonly ok: false;
  readonly error: HedgePlanErrorCode;
  readonly message: string;
}

export type HedgePlanResult = HedgePreview | HedgePlanError;

export const DEFAULT_MAX_QUOTE_AGE_MS = 5_000;
export const DEFAULT_WIDE_SPREAD_BPS = 10;

const fail = (error: HedgePlanErrorCode, message: string): HedgePlanError => ({ ok: false, error, message });

function finite(value: number): boolean {
  return Number.isFinite(value);
}

export function planDeltaHedge(input: HedgePlanInput): HedgePlanResult {
  const { instrument, tactic } = input;
  const target = input.targetDeltaCoin ?? 0;
  const before = input.greeks.deltaCoin;
  if (!finite(before) || !finite(target)) return fail('invalid-input', `delta ${before} or target ${target} is not a number`);
  if (!(input.indexPriceUsd > 0) || !finite(input.indexPriceUsd)) return fail('invalid-input', `index price ${input.indexPriceUsd} is not a positive number`);
  if (instrument.kind !== 'future') return fail('not-a-future', `${instrument.instrumentName} is an ${instrument.kind}: hedge with the perpetual or a future`);
  if (!instrument.isPerpetual && instrument.expiryMs <= input.nowMs) return fail('expired', `${instrument.instrumentName} expired`);
  if (!(instrument.tickSize > 0) || !(lotUsd(instrument) > 0)) return fail('invalid-input', `${instrument.instrumentName} has no valid tick or lot size`);

  const wantCoin = target - before;
  const side: TradeSide = wantCoin >= 0 ? 'buy' : 'sell';
  const warnings: HedgeWarning[] = [];
  const prices = priceBook(input, side, warnings);
  if (!prices) return fail('no-market', `no bid, ask or mark for ${instrument.instrumentName}`);

  const lot = lotUsd(instrument);
  const lots = lotsToward(Math.abs(wantCoin) * prices.fillPriceUsd, lot);
  const lotDeltaCoin = deltaCoinOfUsd(lot, prices.fillPriceUsd);
  if (lots === 0) {
    return fail(
      'nothing-to-hedge',
      `delta ${fmt(before)} is within half a contract (${fmt(lotDeltaCoin / 2)} coin) of the target ${fmt(target)}: any order would leave it no closer`,
    );
  }
  const amountUsd = usdOfLots(lots, lot);
  const hedgeDeltaCoin = deltaCoinOfUsd(side === 'buy' ? amountUsd : -amountUsd, prices.fillPriceUsd);
  const deltaAfterCoin = before + hedgeDeltaCoin;

  if (tactic.kind === 'immediate' && prices.oppositeAmount !== undefined && prices.oppositeAmount < amountUsd) {
    warnings.push({
      code: 'thin-touch',
      touchAmountUsd: prices.oppositeAmount,
      message: `only ${prices.oppositeAmount} USD at the touch for ${amountUsd} USD: the fill walks the book, costing more than shown (up to the cap)`,
    });
  }

  const crossing = tactic.kind === 'immediate';
  const cost = (fillPriceUsd: number, payingSpread: boolean, feeRate: number): HedgeCost => {
    const spreadCoin = payingSpread ? slippageCoin(side, amountUsd, fillPriceUsd, prices.referencePriceUsd) : 0;
    const fee = feeCoin(amountUsd, fillPriceUsd, feeRate);
    const totalCoin = spreadCoin + fee;
    const usd = (coin: number) => coin * input.indexPriceUsd;
    return { spreadCoin, feeCoin: fee, totalCoin, spreadUsd: usd(spreadCoin), feeUsd: usd(fee), totalUsd: usd(totalCoin) };
  };

  return {
    ok: true,
    order: {
      instrumentName: instrument.instrumentName,
      side,
      amountUsd,
      lots,
      limitPriceUsd: crossing ? prices.capPriceUsd : prices.fillPriceUsd,
      postOnly: !crossing,
      timeInForce: crossing ? 'immediate_or_cancel' : 'good_til_cancelled',
      reduceOnly: false,
    },
    tactic,
    expectedFillPriceUsd: prices.fillPriceUsd,
    referencePriceUsd: prices.referencePriceUsd,
    deltaBeforeCoin: before,
    targetDeltaCoin: target,
    hedgeDeltaCoin,
    deltaAfterCoin,
    residualDeltaCoin: deltaAfterCoin - target,
    lotDeltaCoin,
    greeksAfter: { ...input.greeks, deltaCoin: deltaAfterCoin },
    expectedCost: crossing ? cost(prices.fillPriceUsd, true, input.fees.takerRate) : cost(prices.fillPriceUsd, false, input.fees.makerRate),
    ifCrossedCost: cost(prices.capPriceUsd, true, input.fees.takerRate),
    warnings,
  };
}

interface BookPrices {
  readonly fillPriceUsd: number;
  readonly capPriceUsd: number;
  readonly referencePriceUsd: number;
  /** USD resting at the opposite touch, when the quote says. */
  readonly oppositeAmount?: number;
}

/**
 * The prices the preview needs, from the quote as it stands. A stale quote is still priced (with
 * a warning) so the trader sees what the hedge would be; the tactic itself refuses to start on it.
 */
function priceBook(input: HedgePlanInput, side: TradeSide, warnings: HedgeWarning[]): BookPrices | undefined {
  const { quote, instrument, tactic } = input;
  const tick = instrument.tickSize;
  if (!quote) {
    warnings.push({ code: 'no-quote', message: `no quote for ${instrument.instrumentName}` });
    return undefined;
  }
  const ageMs = input.nowMs - quote.tsMs;
  const maxAgeMs = input.maxQuoteAgeMs ?? DEFAULT_MAX_QUOTE_AGE_MS;
  if (quote.stale) warnings.push({ code: 'stale', message: `quote is stale${quote.staleReason ? `: ${quote.staleReason}` : ''}` });
  else if (ageMs > maxAgeMs) warnings.push({ code: 'stale', message: `quote is ${Math.round(ageMs / 1000)} s old` });

  const touch = usableTouch({ ...quote, stale: false }, tick);
  const bothSides = quote.bidPrice !== undefined && quote.askPrice !== undefined;
  if (!touch && bothSides) warnings.push({ code: 'crossed-book', message: `the book is crossed (bid ${quote.bidPrice} ≥ ask ${quote.askPrice})` });
  const mark = quote.markPrice !== undefined && quote.markPrice > 0 && finite(quote.markPrice) ? quote.markPrice : undefined;
  const usable: Touch = touch ?? {};
  const mid = midPrice(usable, tick);
  if (mid !== undefined) {
    const spreadBps = ((priceOfTicks(usable.askTicks ?? 0, tick) - priceOfTicks(usable.bidTicks ?? 0, tick)) / mid) * 1e4;
    const limit = input.wideSpreadBps ?? DEFAULT_WIDE_SPREAD_BPS;
    if (spreadBps > limit) warnings.push({ code: 'wide-spread', spreadBps, message: `spread ${spreadBps.toFixed(1)} bps is wider than ${limit} bps` });
  }

  const opposite = oppositeTouchTicks(side, usable);
  const markTicks = mark !== undefined ? Math.max(1, ticksDown(mark, tick)) : undefined;
  const crossTicks = opposite ?? markTicks;
  const postTicks = passiveTicks(side, usable) ?? markTicks;
  const fillTicks = tactic.kind === 'immediate' ? crossTicks : postTicks;
  if (fillTicks === undefined || crossTicks === undefined) return undefined;
  if (opposite === undefined) {
    const pricedAt = tactic.kind === 'immediate' || passiveTicks(side, usable) === undefined ? ', priced at the mark' : '';
    warnings.push({ code: 'no-quote', message: `no ${side === 'buy' ? 'ask' : 'bid'} to cross: crossing cannot start until one shows${pricedAt}` });
  } else if (tactic.kind !== 'immediate' && passiveTicks(side, usable) === undefined) {
    warnings.push({ code: 'no-quote', message: 'no touch to post at: priced at the mark' });
  }

  const referencePriceUsd = mid ?? mark ?? priceOfTicks(fillTicks, tick);
  const oppositeAmount = opposite === undefined ? undefined : side === 'buy' ? quote.askAmount : quote.bidAmount;
  return {
    fillPriceUsd: priceOfTicks(fillTicks, tick),
    capPriceUsd: priceOfTicks(slippageCapTicks(side, crossTicks, tactic.maxSlippageBps, tick), tick),
    referencePriceUsd,
    ...(oppositeAmount !== undefined && { oppositeAmount }),
  };
}

function fmt(coin: number): string {
  return Number(coin.toPrecision(6)).toString();
}
