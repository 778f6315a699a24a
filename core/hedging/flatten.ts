import type { Fill, TradeSide, VenuePosition } from '../model/trading.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/state.ts';
import { lotsWithin, lotUsd, slippageCoin, usdOfLots } from './inverse-future.ts';
import type { TacticSpec } from './tactic.ts';
import { priceOfTicks, snapToGrid, ticksDown, ticksUp, worseThan } from './ticks.ts';
import { usableTouch } from './touch.ts';

/**
 * Flatten: close every position, as a plan the kernel carries out, and its progress.
 *
 * Step one is always to pull every quote (the kernel does it): a strategy still quoting would
 * reopen what the flatten closes. Then every position gets one reduce-only close, so no close can
 * flip a position or add to one, whatever else fills meanwhile:
 *
 *  - options: one limit order at or inside the spread: at the touch that closes (the bid when
 *    selling, the ask when buying), or one tick inside it ('improve-one-tick': a better price for
 *    a fill that may take longer), but never worse than a cap around the mark. The cap allows
 *    max(maxSlippageFraction × mark, maxSlippageTicks × tick): a fraction alone would forbid any
 *    trade in a wing option worth a tick or two, where the spread is several times the mark, and
 *    ticks alone would be meaningless on an expensive one. When the touch lies beyond the cap (or
 *    there is none) the order rests at the cap instead, and the step says so (`pricedAt: 'cap'`).
 *    Without a mark no cap can be drawn, so the position is unresolvable.
 *  - futures and perpetuals: the hedge tactics (./tactic.ts), reduce-only.
 *  - anything without a market (unknown or expired instrument, no quote, stale quote, a position
 *    smaller than one lot) is listed as unresolvable, with the reason.
 *
 * Amounts are whole lots rounded down, so a close never exceeds its position; the rest (dust
 * below one lot, which the venue cannot trade) is reported.
 *
 * Option prices honour the venue's tick steps (0.0005 above 0.005 BTC): the cap is snapped onto
 * the grid toward the mark, so it never allows more than the allowance, and "one tick inside" is
 * the next price on the grid, so the plan's prices are the ones the kernel sends.
 */

export type OptionPricing = 'touch' | 'improve-one-tick';

export interface FlattenParams {
  readonly nowMs: number;
  readonly optionPricing: OptionPricing;
  /** Of the mark (0.1 = 10 %). */
  readonly maxSlippageFraction: number;
  /** Ticks; the cap is the larger of the two allowances. */
  readonly maxSlippageTicks: number;
  readonly futureTactic: TacticSpec;
  /** Index per currency, for weighting progress when a quote carries no underlying price. */
  readonly indexPricesUsd?: Readonly<Record<string, number>>;
}

export type FlattenPosition = Pick<VenuePosition, 'instrumentName' | 'size'>;

export interface PullQuotesStep {
  readonly kind: 'pull-quotes';
  readonly note: string;
}

export interface CloseOptionStep {
  readonly kind: 'close-option';
  readonly instrumentName: string;
  readonly currency: string;
  /** Signed, coin. */
  readonly positionSize: number;
  readonly side: TradeSide;
  /** Coin, whole lots, ≤ |positionSize|. */
  readonly amount: number;
  /** Coin per contract. */
  readonly limitPrice: number;
  readonly markPrice: number;
  /** The worst price the cap allows (≥ for a sell, ≤ for a buy). */
  readonly capPrice: number;
  /** The trader's cap as a fraction of the mark: the price collar this close is granted. */
  readonly slippageFraction: number;
  /** 'touch' / 'improved': at or inside the spread; 'cap': the touch was beyond the cap or absent. */
  readonly pricedAt: 'touch' | 'improved' | 'cap';
  readonly postOnly: false;
  readonly reduceOnly: true;
  readonly timeInForce: 'good_til_cancelled';
  /** Underlying notional, USD, for progress; undefined when no underlying price was known. */
  readonly weightUsd?: number;
}

export interface CloseFutureStep {
  readonly kind: 'close-future';
  readonly instrumentName: string;
  readonly currency: string;
  /** Signed, USD. */
  readonly positionSizeUsd: number;
  readonly side: TradeSide;
  /** USD, whole lots, ≤ |positionSizeUsd|. */
  readonly amountUsd: number;
  readonly tactic: TacticSpec;
  readonly reduceOnly: true;
  readonly markPriceUsd?: number;
  readonly weightUsd: number;
}

export type CloseStep = CloseOptionStep | CloseFutureStep;

export interface Unresolvable {
  readonly instrumentName: string;
  readonly size: number;
  readonly reason: string;
}

export interface FlattenPlan {
  readonly createdTsMs: number;
  /** steps[0] is always the quote pull; the closes follow, options first. */
  readonly steps: readonly [PullQuotesStep, ...CloseStep[]];
  readonly unresolvable: readonly Unresolvable[];
  /** Lots left out by rounding down (dust), per instrument, in the position's units. */
  readonly dust: readonly { readonly instrumentName: string; readonly size: number }[];
  readonly warnings: readonly string[];
}

const PULL_QUOTES: PullQuotesStep = { kind: 'pull-quotes', note: 'pull every quote first: a strategy still quoting would reopen what the flatten closes' };

export function planFlatten(
  positions: readonly FlattenPosition[],
  quotes: Readonly<Record<string, QuoteRow>>,
  instruments: Readonly<Record<string, InstrumentRow>>,
  params: FlattenParams,
): FlattenPlan {
  const options: CloseOptionStep[] = [];
  const futures: CloseFutureStep[] = [];
  const unresolvable: Unresolvable[] = [];
  const dust: { instrumentName: string; size: number }[] = [];

  for (const position of positions) {
    if (position.size === 0 || !Number.isFinite(position.size)) continue;
    const instrument = instruments[position.instrumentName];
    const quote = quotes[position.instrumentName];
    const problem = marketProblem(instrument, quote, params.nowMs);
    if (problem !== undefined || !instrument || !quote) {
      unresolvable.push({ instrumentName: position.instrumentName, size: position.size, reason: problem ?? 'no market' });
      continue;
    }
    const result = instrument.kind === 'option' ? closeOption(position, instrument, quote, params) : closeFuture(position, instrument, quote, params);
    if ('reason' in result) {
      unresolvable.push({ instrumentName: position.instrumentName, size: position.size, reason: result.reason });
      continue;
    }
    const closedSize = result.kind === 'close-option' ? result.amount : result.amountUsd;
    const left = Math.abs(position.size) - closedSize;
    if (left > 1e-9 * Math.max(1, Math.abs(position.size))) dust.push({ instrumentName: position.instrumentName, size: Math.sign(position.size) * left });
    if (result.kind === 'close-option') options.push(result);
    else futures.push(result);
  }

  const warnings: string[] = [];
  const stuckOptions = unresolvable.filter((u) => instruments[u.instrumentName]?.kind === 'option');
  if (futures.length > 0 && stuckOptions.length > 0) {
    warnings.push(`closing ${futures.length} future position(s) while ${stuckOptions.length} option position(s) cannot be closed leaves those options' delta unhedged`);
  }
  const capped = options.filter((o) => o.pricedAt === 'cap');
  if (capped.length > 0) warnings.push(`${capped.length} option close(s) rest at the slippage cap, away from the touch: they may not fill`);
  // Options first: their closes are the slow, uncertain ones; the futures that hedge them are closed alongside.
  return { createdTsMs: params.nowMs, steps: [PULL_QUOTES, ...options, ...futures], unresolvable, dust, warnings };
}

function marketProblem(instrument: InstrumentRow | undefined, quote: QuoteRow | undefined, nowMs: number): string | undefined {
  if (!instrument) return 'unknown instrument (not listed)';
  if (!instrument.isPerpetual && instrument.expiryMs <= nowMs) return 'expired: it settles at expiry, nothing to trade';
  if (!quote) return 'no market: no quote';
  if (quote.stale) return `no market: quote is stale${quote.staleReason ? ` (${quote.staleReason})` : ''}`;
  return undefined;
}

type Refusal = { readonly reason: string };

function closeOption(position: FlattenPosition, instrument: InstrumentRow, quote: QuoteRow, params: FlattenParams): CloseOptionStep | Refusal {
  const tick = instrument.tickSize;
  const side: TradeSide = position.size > 0 ? 'sell' : 'buy';
  const lot = instrument.minTradeAmount;
  const lots = lotsWithin(Math.abs(position.size), lot);
  if (lots === 0) return { reason: `position ${position.size} is smaller than the minimum trade amount ${lot}` };
  const mark = quote.markPrice;
  if (mark === undefined || !(mark > 0) || !Number.isFinite(mark)) return { reason: 'no mark price to bound the slippage' };

  const allowed = Math.max(params.maxSlippageFraction * mark, params.maxSlippageTicks * tick);
  const capTicks = side === 'sell' ? snapToGrid(instrument, Math.max(1, ticksUp(mark - allowed, tick)), 'up') : Math.max(1, snapToGrid(instrument, ticksDown(mark + allowed, tick), 'down'));
  const touch = usableTouch(quote, tick);
  const closing = touch ? (side === 'sell' ? touch.bidTicks : touch.askTicks) : undefined;
  const resting = touch ? (side === 'sell' ? touch.askTicks : touch.bidTicks) : undefined;

  let ticks: number;
  let pricedAt: CloseOptionStep['pricedAt'];
  if (closing === undefined) {
    ticks = capTicks;
    pricedAt = 'cap';
  } else {
    // The next price on the grid away from the closing touch (a coarser tick above the step).
    const improved = side === 'sell' ? snapToGrid(instrument, closing + 1, 'up') : snapToGrid(instrument, closing - 1, 'down');
    // Improving by a tick must stay inside the spread: on a one-tick market it would join the far side.
    const canImprove = params.optionPricing === 'improve-one-tick' && (resting === undefined || worseThan(side, improved, resting)) && improved >= 1;
    ticks = canImprove ? improved : closing;
    pricedAt = canImprove ? 'improved' : 'touch';
    if (worseThan(side, ticks, capTicks)) {
      ticks = capTicks;
      pricedAt = 'cap';
    }
  }
  const underlying = quote.underlyingPrice ?? params.indexPricesUsd?.[instrument.currency];
  const amount = usdOfLots(lots, lot);
  return {
    kind: 'close-option',
    instrumentName: instrument.instrumentName,
    currency: instrument.currency,
    positionSize: position.size,
    side,
    amount,
    limitPrice: priceOfTicks(ticks, tick),
    markPrice: mark,
    capPrice: priceOfTicks(capTicks, tick),
    slippageFraction: params.maxSlippageFraction,
    pricedAt,
    postOnly: false,
    reduceOnly: true,
    timeInForce: 'good_til_cancelled',
    ...(underlying !== undefined && underlying > 0 && { weightUsd: amount * underlying }),
  };
}

function closeFuture(position: FlattenPosition, instrument: InstrumentRow, quote: QuoteRow, params: FlattenParams): CloseFutureStep | Refusal {
  if (!usableTouch(quote, instrument.tickSize)) return { reason: 'no market: the book is empty or crossed' };
  const lot = lotUsd(instrument);
  const lots = lotsWithin(Math.abs(position.size), lot);
  if (lots === 0) return { reason: `position ${position.size} USD is smaller than one contract (${lot} USD)` };
  const amountUsd = usdOfLots(lots, lot);
  return {
    kind: 'close-future',
    instrumentName: instrument.instrumentName,
    currency: instrument.currency,
    positionSizeUsd: position.size,
    side: position.size > 0 ? 'sell' : 'buy',
    amountUsd,
    tactic: params.futureTactic,
    reduceOnly: true,
    ...(quote.markPrice !== undefined && quote.markPrice > 0 && { markPriceUsd: quote.markPrice }),
    weightUsd: amountUsd,
  };
}

// ─── progress ─────────────────────────────────────────────────────────────────────────────────

export interface CloseProgress {
  readonly instrumentName: string;
  readonly kind: CloseStep['kind'];
  /** What the step set out to close, in the instrument's units (coin for options, USD for futures). */
  readonly plannedSize: number;
  readonly closedSize: number;
  readonly remainingSize: number;
  readonly fractionDone: number;
}

export interface ClosedReport {
  readonly instrumentName: string;
  readonly side: TradeSide;
  /** What the fills closed, instrument units. */
  readonly closedSize: number;
  readonly averagePrice?: number;
  readonly markPrice?: number;
  /** Against the mark at planning, positive = worse: price units, fraction of mark, and coin in all. */
  readonly slippagePerUnit?: number;
  readonly slippageFraction?: number;
  readonly slippageCoin?: number;
  readonly feesCoin: number;
}

export interface NotClosedReport {
  readonly instrumentName: string;
  /** Signed, the position's units. */
  readonly remainingSize: number;
  readonly reason: string;
}

export interface FlattenReport {
  readonly closed: readonly ClosedReport[];
  readonly notClosed: readonly NotClosedReport[];
  readonly totalSlippageCoin: number;
  readonly totalFeesCoin: number;
}

export interface FlattenProgress {
  readonly items: readonly CloseProgress[];
  /**
   * Over every close, weighted by underlying notional in USD (futures: their USD size; options:
   * contracts × underlying price); equally per close when some option had no underlying price.
   */
  readonly fractionDone: number;
  /** Every close has nothing left to close. */
  readonly done: boolean;
  /** Present once done, or once the caller says the flatten ended. */
  readonly report?: FlattenReport;
}

export interface FlattenProgressOptions {
  /** Our fills since the plan was made (older ones and other sides are ignored). */
  readonly fills?: readonly Fill[];
  /** The kernel has nothing left working: report now, done or not. */
  readonly ended?: boolean;
  /** Why a close did not complete (an order's rejection, a tactic's failure), by instrument. */
  readonly reasons?: Readonly<Record<string, string>>;
}

export function flattenProgress(plan: FlattenPlan, positionsNow: readonly FlattenPosition[], options: FlattenProgressOptions = {}): FlattenProgress {
  const sizes = new Map<string, number>();
  for (const p of positionsNow) sizes.set(p.instrumentName, (sizes.get(p.instrumentName) ?? 0) + p.size);
  const closes = plan.steps.filter((s): s is CloseStep => s.kind !== 'pull-quotes');

  const items = closes.map((step): CloseProgress => {
    const initial = step.kind === 'close-option' ? step.positionSize : step.positionSizeUsd;
    const planned = step.kind === 'close-option' ? step.amount : step.amountUsd;
    const now = sizes.get(step.instrumentName) ?? 0;
    // Reduce-only closes cannot flip a position; if it flipped anyway, something else did, and
    // the planned close is as done as it can be.
    const sameSide = Math.sign(now) === Math.sign(initial);
    const reduced = sameSide ? Math.abs(initial) - Math.abs(now) : Math.abs(initial);
    const closedSize = Math.min(planned, Math.max(0, reduced));
    const remainingSize = clean(planned - closedSize);
    return { instrumentName: step.instrumentName, kind: step.kind, plannedSize: planned, closedSize, remainingSize, fractionDone: planned > 0 ? closedSize / planned : 1 };
  });

  const weights = closes.map((s) => s.weightUsd);
  const weighted = weights.every((w): w is number => w !== undefined && w > 0);
  let sumWeight = 0;
  let sumDone = 0;
  items.forEach((item, i) => {
    const w = weighted ? (weights[i] as number) : 1;
    sumWeight += w;
    sumDone += w * item.fractionDone;
  });
  const fractionDone = sumWeight > 0 ? sumDone / sumWeight : 1;
  const done = items.every((item) => item.remainingSize <= 0);
  const base = { items, fractionDone, done };
  if (!done && !options.ended) return base;
  return { ...base, report: report(plan, closes, items, options) };
}

function report(plan: FlattenPlan, closes: readonly CloseStep[], items: readonly CloseProgress[], options: FlattenProgressOptions): FlattenReport {
  const fills = (options.fills ?? []).filter((f) => f.tsMs >= plan.createdTsMs);
  const closed: ClosedReport[] = [];
  const notClosed: NotClosedReport[] = plan.unresolvable.map((u) => ({ instrumentName: u.instrumentName, remainingSize: u.size, reason: u.reason }));
  for (const d of plan.dust) notClosed.push({ instrumentName: d.instrumentName, remainingSize: d.size, reason: 'below one lot: the venue cannot trade it' });

  closes.forEach((step, i) => {
    const item = items[i];
    if (!item) return;
    const mine = fills.filter((f) => f.instrumentName === step.instrumentName && f.side === step.side);
    const filled = mine.reduce((sum, f) => sum + f.amount, 0);
    const feesCoin = mine.reduce((sum, f) => sum + f.feeCoin, 0);
    if (item.closedSize > 0 || filled > 0) closed.push(closedReport(step, item.closedSize, mine, filled, feesCoin));
    if (item.remainingSize > 0) {
      const sign = step.side === 'sell' ? 1 : -1;
      notClosed.push({ instrumentName: step.instrumentName, remainingSize: sign * item.remainingSize, reason: options.reasons?.[step.instrumentName] ?? 'still open when the flatten ended' });
    }
  });
  return {
    closed,
    notClosed,
    totalSlippageCoin: closed.reduce((sum, c) => sum + (c.slippageCoin ?? 0), 0),
    totalFeesCoin: closed.reduce((sum, c) => sum + c.feesCoin, 0),
  };
}

function closedReport(step: CloseStep, closedSize: number, fills: readonly Fill[], filled: number, feesCoin: number): ClosedReport {
  const base = { instrumentName: step.instrumentName, side: step.side, closedSize, feesCoin };
  const mark = step.kind === 'close-option' ? step.markPrice : step.markPriceUsd;
  if (filled <= 0) return { ...base, ...(mark !== undefined && { markPrice: mark }) };
  // Option premiums average by amount; inverse futures harmonically (USD over coin).
  const averagePrice =
    step.kind === 'close-option' ? fills.reduce((sum, f) => sum + f.amount * f.price, 0) / filled : filled / fills.reduce((sum, f) => sum + f.amount / f.price, 0);
  if (mark === undefined) return { ...base, averagePrice };
  const perUnit = step.side === 'sell' ? mark - averagePrice : averagePrice - mark;
  const slippage = step.kind === 'close-option' ? perUnit * filled : slippageCoin(step.side, filled, averagePrice, mark);
  return { ...base, averagePrice, markPrice: mark, slippagePerUnit: perUnit, slippageFraction: perUnit / mark, slippageCoin: slippage };
}

function clean(value: number): number {
  return Math.abs(value) < 1e-9 ? 0 : value;
}
