/**
 * Pre-trade checks run on every order, strategy, hedge or manual, before it leaves the engine.
 * Pure: the kernel passes what it knows (instruments, pricing, references, metrics, live orders,
 * limits, mode, the sent-orders window and the time) and gets an answer with the failed check and
 * a reason with numbers in it, fit for the trader and the journal.
 *
 * Checks, in order (the first failure answers):
 *   order       the order is well formed, on a known, priceable instrument with limits configured
 *   mode        nothing passes while trading is halted
 *   rate        orders (and messages, when counted) sent over the last second + this one within
 *               the ordersPerSec (messagesPerSec) limit
 *   collar      price within the collar around theo and around mark (an unknown reference is
 *               skipped; an option with neither is refused)
 *   size        amount within the per-order maximum; notional: within the per-order USD maximum
 *   duplicate   no identical live order (instrument, side, price, amount, origin)
 *   self-cross  a buy below our lowest resting ask, a sell above our highest resting bid
 *   reduce-only in reduce-only mode, the order must reduce |position|, |delta| or |vega|
 *   limit       post-fill values within every limit whose action is not 'warn', unless the order
 *               strictly reduces a quantity already over its limit. An order that does not change
 *               a quantity at all is not judged by that quantity's limit: a perpetual hedge must
 *               pass while vega is over its limit.
 *
 * Limits are projected for this order's fill alone, not for other working orders filling too:
 * greeks.ts workingQuotesWorstCase shows that tail.
 */
import { LIVE_STATES } from '../oms/order-state.ts';
import type { InstrumentRow, OrderRow } from '../protocol/state.ts';
import type { PriceCollar } from '../quoting/collar.ts';
import { collarHalfWidthCoin, withinCollar } from '../quoting/collar.ts';
import { formatPair, formatQty } from './format.ts';
import type { PricingInput, RiskGreeks } from './greeks.ts';
import { expiryBucketId, gammaCoinPerPct, positionNotionalUsd, unitGreeks } from './greeks.ts';
import type { LimitAction, LimitKey, LimitRule, LimitsConfig, UnderlyingLimits } from './limits.ts';
import { LIMIT_META, limitId, limitsFor } from './limits.ts';
import type { RiskMetrics, UnderlyingMetrics } from './metrics.ts';
import { bucketVega, emptyUnderlyingMetrics } from './metrics.ts';
import type { RateWindow } from './rate-window.ts';
import { countInWindow } from './rate-window.ts';

export interface OrderRequest {
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  /** Instrument's price units: coin for options, USD for futures. */
  readonly price: number;
  /** Coin for options, USD for futures. */
  readonly amount: number;
  readonly origin: OrderRow['origin'];
  /** When this amends one of our live orders: that order is neither a duplicate nor a cross, and the open-order count does not grow. */
  readonly replacesClientOrderId?: string;
  readonly reduceOnly?: boolean;
  /**
   * The collar fraction the trader granted this order (a flatten's slippage cap, set from the
   * mark). Honoured on reduce-only orders only, measured from the mark, and never narrower than
   * the configured collar: it lets a close take a wide market, never opens risk at a bad price.
   */
  readonly collarFraction?: number;
}

/** One of our orders at the venue; orders with a terminal `state` are ignored. */
export type RestingOrder = Pick<OrderRow, 'clientOrderId' | 'instrumentName' | 'side' | 'price' | 'amount' | 'origin'> & { readonly state?: OrderRow['state'] };

/** Prices the collar is measured from, in the instrument's price units. */
export interface PriceReferences {
  /** Our fair value. */
  readonly theo?: number;
  /** The venue's mark price. */
  readonly mark?: number;
}

/** normal: every check; reduce-only: only risk-reducing orders; halted: nothing (kill switch). */
export type TradingMode = 'normal' | 'reduce-only' | 'halted';

export interface PreTradeContext {
  /** The order's instrument; undefined (or another instrument) when it is not listed. */
  readonly instrument: InstrumentRow | undefined;
  /** Its pricing inputs, when known. */
  readonly pricing: PricingInput | undefined;
  /** Its reference prices, for the collar. */
  readonly references: PriceReferences | undefined;
  /** Current metrics (buildRiskMetrics), by currency. */
  readonly metrics: RiskMetrics;
  /** Our live orders (at least those on the order's instrument). */
  readonly liveOrders: readonly RestingOrder[];
  readonly config: LimitsConfig;
  readonly mode: TradingMode;
  /**
   * Orders sent on the order's underlying over a one-second window (ordersPerSec is a per-underlying
   * limit); the kernel records an order there once it passes and is sent, refused ones not.
   */
  readonly orderWindow: RateWindow;
  /** Messages sent (orders, amends, cancels) on the underlying over one second, when the kernel counts them. */
  readonly messageWindow?: RateWindow;
  readonly nowMs: number;
}

export type PreTradeCheck = 'order' | 'mode' | 'rate' | 'collar' | 'size' | 'notional' | 'duplicate' | 'self-cross' | 'reduce-only' | 'limit';

export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly check: PreTradeCheck; readonly reason: string; readonly limitId?: string };

const OK: CheckResult = { ok: true };
const refuse = (check: PreTradeCheck, reason: string, id?: string): CheckResult => (id === undefined ? { ok: false, check, reason } : { ok: false, check, reason, limitId: id });

/** The mode the strongest breached action and the kill switch call for. 'pause' stops strategies (the kernel's part) and leaves the rest reduce-only. */
export function tradingModeFor(action: LimitAction | undefined, killed: boolean): TradingMode {
  if (killed || action === 'kill') return 'halted';
  if (action === 'pause' || action === 'reduce-only') return 'reduce-only';
  return 'normal';
}

const known = (x: number | undefined): x is number => x !== undefined && x > 0 && x < Infinity;
const enforced = (rule: LimitRule | undefined): rule is LimitRule => rule !== undefined && rule.action !== 'warn';
const tickIndex = (price: number, tickSize: number): number => Math.round(price / tickSize);

export function checkOrder(order: OrderRequest, context: PreTradeContext): CheckResult {
  const instrument = context.instrument;
  if (instrument?.instrumentName !== order.instrumentName) return refuse('order', `unknown instrument ${order.instrumentName}`);
  if (!known(order.price)) return refuse('order', `price ${formatQty(order.price)} is not a positive number`);
  if (!known(order.amount)) return refuse('order', `amount ${formatQty(order.amount)} is not a positive number`);
  if (order.amount < instrument.minTradeAmount) return refuse('order', `amount ${formatQty(order.amount)} is below the minimum ${formatQty(instrument.minTradeAmount)} of ${instrument.instrumentName}`);
  const pricing = context.pricing;
  const unit = unitGreeks(instrument, pricing);
  if (!unit || !pricing) return refuse('order', `no pricing for ${instrument.instrumentName}: its risk cannot be projected`);
  const limits = limitsFor(context.config, instrument.currency);
  if (!limits) return refuse('order', `no limits configured for ${instrument.currency}`);

  if (context.mode === 'halted') return refuse('mode', 'trading is halted (kill switch): no order may be sent');

  const orderRate = rateProblem(context.orderWindow, limits.ordersPerSec, 'order', context.nowMs);
  if (orderRate) return refuse('rate', orderRate, limitId(instrument.currency, 'ordersPerSec'));
  const messageRate = context.messageWindow && rateProblem(context.messageWindow, limits.messagesPerSec, 'message', context.nowMs);
  if (messageRate) return refuse('rate', messageRate, limitId(instrument.currency, 'messagesPerSec'));

  const collar = collarProblem(order, instrument, context.references, limits);
  if (collar) return refuse('collar', collar);

  const pre = limits.preTrade;
  const isOption = instrument.kind === 'option';
  const maxAmount = isOption ? pre.maxOrderAmountOptionCoin : pre.maxOrderAmountFutureUsd;
  const amountUnit = isOption ? 'coin' : 'USD';
  if (maxAmount !== undefined && order.amount > maxAmount) {
    return refuse('size', `amount ${formatQty(order.amount)} ${amountUnit} exceeds the per-order maximum ${formatQty(maxAmount)} ${amountUnit}`);
  }
  const notional = positionNotionalUsd(instrument, order.amount, pricing);
  if (pre.maxOrderNotionalUsd !== undefined && !(notional <= pre.maxOrderNotionalUsd)) {
    return refuse('notional', `notional ${formatQty(notional)} USD exceeds the per-order maximum ${formatQty(pre.maxOrderNotionalUsd)} USD`);
  }

  const book = bookProblem(order, instrument, context.liveOrders);
  if (book) return book;

  const metrics = context.metrics[instrument.currency] ?? emptyUnderlyingMetrics(instrument.currency);
  const signed = order.side === 'buy' ? order.amount : -order.amount;
  if (context.mode === 'reduce-only') {
    const problem = reduceOnlyProblem(instrument, signed, unit, metrics);
    if (problem) return refuse('reduce-only', problem);
  }
  return limitProblem(order, instrument, signed, unit, pricing, metrics, limits);
}

function rateProblem(window: RateWindow, rule: LimitRule | undefined, what: 'order' | 'message', nowMs: number): string | undefined {
  if (!enforced(rule)) return undefined;
  const sent = countInWindow(window, nowMs);
  if (sent + 1 <= rule.limit) return undefined;
  return `${what} rate: ${formatQty(sent)} ${what}s sent in the last second, one more would exceed the limit of ${formatQty(rule.limit)} ${what}s/s`;
}

function collarProblem(order: OrderRequest, instrument: InstrumentRow, refs: PriceReferences | undefined, limits: UnderlyingLimits): string | undefined {
  const configured = instrument.kind === 'option' ? limits.preTrade.optionCollar : limits.preTrade.futureCollar;
  const granted = order.reduceOnly === true && order.collarFraction !== undefined;
  const collar = granted ? { ...configured, maxFractionFromReference: Math.max(configured.maxFractionFromReference, order.collarFraction!) } : configured;
  // A close the trader capped was capped from the venue's mark: it is held to that band around the
  // mark alone (our theo may sit anywhere in it), or around theo when no mark is known.
  const mark = refs?.mark;
  const theo = granted && known(mark) ? undefined : refs?.theo;
  if (known(theo) && !withinCollar(order.price, theo, instrument.tickSize, collar)) return collarMessage(order, instrument, 'theo', theo, collar);
  if (known(mark) && !withinCollar(order.price, mark, instrument.tickSize, collar)) return collarMessage(order, instrument, 'mark', mark, collar);
  if (!known(theo) && !known(mark) && instrument.kind === 'option') return `no theo or mark for ${instrument.instrumentName}: an option order needs a reference price`;
  return undefined;
}

function collarMessage(order: OrderRequest, instrument: InstrumentRow, name: string, reference: number, collar: PriceCollar): string {
  const band = collarHalfWidthCoin(reference, instrument.tickSize, collar);
  return (
    `${order.side} at ${formatQty(order.price)} is ${formatQty(Math.abs(order.price - reference))} from ${name} ${formatQty(reference)}, ` +
    `beyond the allowed ${formatQty(band)} (max of ${formatQty(collar.maxTicksFromReference)} ticks of ${formatQty(instrument.tickSize)} and ${formatQty(collar.maxFractionFromReference * 100)} % of ${name})`
  );
}

function bookProblem(order: OrderRequest, instrument: InstrumentRow, live: readonly RestingOrder[]): CheckResult | undefined {
  const tick = instrument.tickSize;
  const priceTicks = tickIndex(order.price, tick);
  let bestOppositeTicks: number | undefined;
  let bestOpposite: RestingOrder | undefined;
  for (const resting of live) {
    if (resting.instrumentName !== order.instrumentName || resting.clientOrderId === order.replacesClientOrderId) continue;
    if (resting.state !== undefined && !LIVE_STATES.has(resting.state)) continue;
    const restingTicks = tickIndex(resting.price, tick);
    if (resting.side === order.side) {
      const sameAmount = Math.abs(resting.amount - order.amount) <= 1e-9 * Math.max(resting.amount, order.amount);
      if (restingTicks === priceTicks && sameAmount && resting.origin === order.origin) {
        return refuse('duplicate', `an identical ${resting.origin} ${resting.side} of ${formatQty(resting.amount)} at ${formatQty(resting.price)} is live (${resting.clientOrderId})`);
      }
    } else if (bestOppositeTicks === undefined || (order.side === 'buy' ? restingTicks < bestOppositeTicks : restingTicks > bestOppositeTicks)) {
      bestOppositeTicks = restingTicks;
      bestOpposite = resting;
    }
  }
  if (bestOpposite && bestOppositeTicks !== undefined && (order.side === 'buy' ? priceTicks >= bestOppositeTicks : priceTicks <= bestOppositeTicks)) {
    const theirs = order.side === 'buy' ? 'ask' : 'bid';
    return refuse('self-cross', `${order.side} at ${formatQty(order.price)} would trade against our own resting ${theirs} at ${formatQty(bestOpposite.price)} (${bestOpposite.clientOrderId})`);
  }
  return undefined;
}

function reduceOnlyProblem(instrument: InstrumentRow, signed: number, unit: RiskGreeks, m: UnderlyingMetrics): string | undefined {
  const position = m.positions[instrument.instrumentName]?.size ?? 0;
  const delta = m.greeks.deltaCoin;
  const vega = m.greeks.vegaUsdPerVolPt;
  const after = { position: position + signed, delta: delta + unit.deltaCoin * signed, vega: vega + unit.vegaUsdPerVolPt * signed };
  if (Math.abs(after.position) < Math.abs(position) || Math.abs(after.delta) < Math.abs(delta) || Math.abs(after.vega) < Math.abs(vega)) return undefined;
  const sizeUnit = instrument.kind === 'option' ? 'coin' : 'USD';
  const change = (name: string, from: number, to: number, u: string) => {
    const [a, b] = formatPair(Math.abs(from), Math.abs(to));
    return `|${name}| from ${a} to ${b} ${u}`;
  };
  return (
    `reduce-only mode: the order reduces neither position, delta nor vega (` +
    `${change('position', position, after.position, sizeUnit)}, ${change('delta', delta, after.delta, 'coin')}, ${change('vega', vega, after.vega, 'USD/vol pt')})`
  );
}

function limitProblem(
  order: OrderRequest,
  instrument: InstrumentRow,
  signed: number,
  unit: RiskGreeks,
  pricing: PricingInput,
  m: UnderlyingMetrics,
  limits: UnderlyingLimits,
): CheckResult {
  // Each limit the order moves, in a fixed order: the first it would breach (or worsen) refuses it.
  const g = m.greeks;
  const dDelta = unit.deltaCoin * signed;
  const dGamma = unit.gammaCoinPerUsd * signed;
  const dVega = unit.vegaUsdPerVolPt * signed;
  const position = m.positions[instrument.instrumentName]?.size ?? 0;
  const notionalAfter = m.grossNotionalUsd - positionNotionalUsd(instrument, position, pricing) + positionNotionalUsd(instrument, position + signed, pricing);
  const bucketId = instrument.isPerpetual ? undefined : expiryBucketId(instrument);
  const bucketBefore = bucketId === undefined ? 0 : bucketVega(m, bucketId);
  return (
    projectionProblem(instrument, limits, 'netDeltaCoin', undefined, g.deltaCoin, g.deltaCoin + dDelta, dDelta !== 0) ??
    projectionProblem(instrument, limits, 'gammaCoinPerPct', undefined, gammaCoinPerPct(g.gammaCoinPerUsd, m.indexUsd), gammaCoinPerPct(g.gammaCoinPerUsd + dGamma, m.indexUsd), dGamma !== 0) ??
    projectionProblem(instrument, limits, 'vegaTotalUsdPerVolPt', undefined, g.vegaUsdPerVolPt, g.vegaUsdPerVolPt + dVega, dVega !== 0) ??
    (bucketId === undefined ? undefined : projectionProblem(instrument, limits, 'vegaPerExpiryUsdPerVolPt', bucketId, bucketBefore, bucketBefore + dVega, dVega !== 0)) ??
    projectionProblem(instrument, limits, instrument.kind === 'option' ? 'optionPositionCoin' : 'futurePositionUsd', instrument.instrumentName, position, position + signed, true) ??
    projectionProblem(instrument, limits, 'grossNotionalUsd', undefined, m.grossNotionalUsd, notionalAfter, notionalAfter !== m.grossNotionalUsd) ??
    projectionProblem(instrument, limits, 'openOrders', undefined, m.openOrders, m.openOrders + 1, order.replacesClientOrderId === undefined) ??
    OK
  );
}

/**
 * The refusal for one limit the order would take from `before` to `after`, if it breaches it and
 * does not reduce it; `moves` is decided on the raw change (before may be NaN).
 */
function projectionProblem(instrument: InstrumentRow, limits: UnderlyingLimits, key: LimitKey, subject: string | undefined, before: number, after: number, moves: boolean): CheckResult | undefined {
  const rule = limits[key];
  if (!enforced(rule) || !moves) return undefined;
  const afterAbs = Math.abs(after);
  const beforeAbs = Math.abs(before);
  if (afterAbs <= rule.limit || afterAbs < beforeAbs) return undefined;
  const meta = LIMIT_META[key];
  const label = `${instrument.currency} ${meta.label}${subject === undefined ? '' : ` ${subject}`}`;
  const when = key === 'openOrders' ? 'with this order' : 'after fill';
  const [afterText, limitText] = formatPair(after, rule.limit);
  const already = beforeAbs > rule.limit ? ` (already ${formatQty(before)}: the order does not reduce it)` : '';
  return refuse('limit', `${label} ${when} ${afterText} ${meta.unit} exceeds limit ${limitText}${already}`, limitId(instrument.currency, key, subject));
}
