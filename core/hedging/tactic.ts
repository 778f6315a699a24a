import { z } from 'zod';
import type { TradeSide } from '../model/trading.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/state.ts';
import { priceOfTicks, worseThan } from './ticks.ts';
import type { Touch } from './touch.ts';
import { oppositeTouchTicks, passiveTicks, slippageCapTicks, usableTouch } from './touch.ts';

/**
 * Execution tactics for futures and perpetuals (amounts and prices in USD) as an explicit state
 * machine: `step(state, event) → { state, actions }`, pure, with time carried by the events.
 *
 *  - 'immediate' {maxSlippageBps}: cross at once with an IOC whose limit is the opposite touch
 *    moved maxSlippageBps against us (the cap). Whatever the IOC leaves is retried at the same cap
 *    while the book shows the opposite touch inside it, at most MAX_CROSS_ATTEMPTS orders in all.
 *  - 'passive-then-cross' {timeoutMs, maxSlippageBps}: post-only at our own touch (best bid for a
 *    buy, best ask for a sell), amended to follow the touch; after timeoutMs the order is cancelled
 *    and the rest crosses exactly as 'immediate' does, the cap taken from the touch at that moment.
 *
 * The slippage cap is measured from the opposite touch when crossing begins, not from the arrival
 * price: a hedge exists to remove delta, so a market that moved while we waited passively is not
 * a reason to give up, but paying more than maxSlippageBps through the book we see is.
 *
 * Crossing cancels the passive order and then places an IOC, rather than amending it across the
 * spread: an amended order that does not fill rests at a price beyond the touch forever, where an
 * IOC ends by itself, and cancel-then-place keeps at most one live order at any time.
 *
 *   idle ─start─▶ passive ──timeout──▶ switching ──passive order gone──▶ crossing ──▶ done
 *                    │  (amend to follow the touch)                          │ IOC remainder:
 *                    │                                                       │ retry inside cap,
 *                    ▼                                                       ▼ else failed
 *               stopping (trader stop, venue cancel, rejection, filled with an order open)
 *                    └──order gone──▶ done | failed | cancelled
 *
 * Ids: the caller names the tactic (`tacticId`); every order the machine asks for gets the ref
 * `${tacticId}/${n}`, and every event about an order carries that ref back. The kernel either uses
 * the ref as its client order id (Deribit label) or keeps a ref ↔ clientOrderId map; the machine
 * never sees the venue's ids. A request goes to the venue only for an acknowledged order, one at a
 * time: no amend or cancel is asked while a place or an amend is unanswered — with one exception,
 * below.
 *
 * Bounded in time, whatever the venue answers or fails to:
 *  - An amend unanswered after AMEND_ANSWER_TIMEOUT_MS is overtaken by a cancel (the venue cancels
 *    whichever version of the order rests). A post-only amend that would cross is re-priced by
 *    Deribit one tick off the opposite touch, and the kernel's order book cannot match that answer
 *    to the request it sent: left waiting, the order would neither follow the touch nor ever be
 *    taken out for crossing.
 *  - At `giveUpAtMs` (GIVE_UP_AFTER_MS past the passive timeout, or past the start for 'immediate')
 *    a tactic still working ends as failed, naming the order it could not account for; the kernel
 *    then cancels that order if it still can. Nothing else bounds a venue that never answers.
 */

export const PassiveThenCrossSchema = z
  .object({
    kind: z.literal('passive-then-cross'),
    timeoutMs: z.number().int().positive().max(3_600_000),
    maxSlippageBps: z.number().finite().min(0).max(1_000),
  })
  .strict();

export const ImmediateSchema = z
  .object({
    kind: z.literal('immediate'),
    maxSlippageBps: z.number().finite().min(0).max(1_000),
  })
  .strict();

export const TacticSpecSchema = z.discriminatedUnion('kind', [PassiveThenCrossSchema, ImmediateSchema]);
export type TacticSpec = Readonly<z.infer<typeof TacticSpecSchema>>;

/** IOC orders one crossing may send: bounds a venue that keeps cancelling while showing liquidity. */
export const MAX_CROSS_ATTEMPTS = 3;
/** After the venue refuses an amend or a cancel, the same request waits this long before repeating. */
export const RETRY_AFTER_REFUSAL_MS = 1_000;
/** An amend still unanswered after this long is overtaken by a cancel (venue round trips are milliseconds). */
export const AMEND_ANSWER_TIMEOUT_MS = 2_000;
/**
 * How long a tactic may work once crossing is due (after the passive timeout, or from the start
 * for 'immediate') before it gives up. Crossing itself takes a few round trips; this is only ever
 * reached when the venue's answers cannot be accounted for.
 */
export const GIVE_UP_AFTER_MS = 20_000;

export type TacticOrderStatus = 'pending-new' | 'live' | 'pending-amend' | 'pending-cancel' | 'closed';

/** Every order the tactic asked for, as far as the events told it. */
export interface TacticOrder {
  readonly orderRef: string;
  /** 'post': post-only, good till cancelled; 'cross': immediate-or-cancel at the cap. */
  readonly role: 'post' | 'cross';
  readonly priceUsd: number;
  /** The order's total size, filled part included (Deribit's edit takes the total, too). */
  readonly amountUsd: number;
  /** Cumulative, as the venue reports it; only ever grows. */
  readonly filledUsd: number;
  readonly averagePriceUsd: number;
  readonly status: TacticOrderStatus;
  /** Price and size of an amend not yet acknowledged, and when it was asked. */
  readonly pendingPriceUsd?: number;
  readonly pendingAmountUsd?: number;
  readonly amendSentMs?: number;
  /** The venue refused an amend or cancel: the next one waits until this time. */
  readonly retryAtMs?: number;
  readonly closedReason?: string;
}

export type TacticOutcome =
  | { readonly status: 'done' }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'cancelled'; readonly reason: string };

export type WorkingPhase =
  | { readonly kind: 'passive'; readonly deadlineMs: number }
  /** The passive timeout passed: the passive order is being taken out before crossing. */
  | { readonly kind: 'switching' }
  | { readonly kind: 'crossing'; readonly capTicks: number; readonly attempts: number }
  /** The tactic is ending as `outcome` once its open order is gone. */
  | { readonly kind: 'stopping'; readonly outcome: TacticOutcome };

export type TacticStatus =
  | { readonly status: 'idle' }
  | { readonly status: 'working'; readonly phase: WorkingPhase }
  | { readonly status: 'done'; readonly endedTsMs: number }
  | { readonly status: 'failed'; readonly reason: string; readonly endedTsMs: number }
  | { readonly status: 'cancelled'; readonly reason: string; readonly endedTsMs: number };

export type TacticState = {
  readonly tacticId: string;
  readonly instrumentName: string;
  readonly tickSize: number;
  readonly side: TradeSide;
  /** What the tactic must trade in all, USD. */
  readonly amountUsd: number;
  readonly reduceOnly: boolean;
  readonly spec: TacticSpec;
  /** Every order sent, oldest first; at most one is not closed. */
  readonly orders: readonly TacticOrder[];
  /** The last usable top of book (stale, empty and crossed quotes are ignored). */
  readonly touch?: Touch;
  readonly startedTsMs?: number;
  /** Set at the start: a tactic still working at this time ends as failed. */
  readonly giveUpAtMs?: number;
} & TacticStatus;

export type TacticEvent =
  | { readonly type: 'start'; readonly nowMs: number; readonly quote?: QuoteRow }
  | { readonly type: 'quote'; readonly nowMs: number; readonly quote: QuoteRow }
  /** The venue accepted the order's last place or amend request. */
  | { readonly type: 'order-acknowledged'; readonly nowMs: number; readonly orderRef: string }
  | { readonly type: 'order-partially-filled'; readonly nowMs: number; readonly orderRef: string; readonly filledUsd: number; readonly averagePriceUsd: number }
  | { readonly type: 'order-filled'; readonly nowMs: number; readonly orderRef: string; readonly filledUsd: number; readonly averagePriceUsd: number }
  /** The order is gone (our cancel, an IOC's unfilled rest, or the venue's own doing); final fill included. */
  | { readonly type: 'order-cancelled'; readonly nowMs: number; readonly orderRef: string; readonly filledUsd: number; readonly reason?: string }
  | { readonly type: 'order-rejected'; readonly nowMs: number; readonly orderRef: string; readonly request: 'place' | 'amend' | 'cancel'; readonly reason: string }
  | { readonly type: 'timer'; readonly nowMs: number }
  /** The trader or the kill switch: end as 'cancelled' once the open order is gone. */
  | { readonly type: 'stop'; readonly nowMs: number; readonly reason: string };

export type TacticAction =
  | {
      readonly type: 'place';
      readonly orderRef: string;
      readonly instrumentName: string;
      readonly side: TradeSide;
      readonly amountUsd: number;
      readonly priceUsd: number;
      readonly postOnly: boolean;
      readonly timeInForce: 'good_til_cancelled' | 'immediate_or_cancel';
      readonly reduceOnly: boolean;
    }
  /** amountUsd is the order's new total size, filled part included. */
  | { readonly type: 'amend'; readonly orderRef: string; readonly priceUsd: number; readonly amountUsd: number }
  | { readonly type: 'cancel'; readonly orderRef: string };

export interface TacticStep {
  readonly state: TacticState;
  readonly actions: readonly TacticAction[];
}

export interface TacticParams {
  /** Unique among the caller's tactics; order refs are derived from it. */
  readonly tacticId: string;
  readonly instrument: Pick<InstrumentRow, 'instrumentName' | 'tickSize'>;
  readonly side: TradeSide;
  readonly amountUsd: number;
  readonly spec: TacticSpec;
  /** Closing a position (flatten): every order reduce-only. */
  readonly reduceOnly?: boolean;
}

/** A tactic that has not started: it asks for nothing until the `start` event. */
export function createTactic(params: TacticParams): TacticState {
  return {
    tacticId: params.tacticId,
    instrumentName: params.instrument.instrumentName,
    tickSize: params.instrument.tickSize,
    side: params.side,
    amountUsd: params.amountUsd,
    reduceOnly: params.reduceOnly ?? false,
    spec: params.spec,
    orders: [],
    status: 'idle',
  };
}

const TERMINAL = new Set<TacticState['status']>(['done', 'failed', 'cancelled']);

export function isTerminal(state: TacticState): boolean {
  return TERMINAL.has(state.status);
}

/** Below this, a USD remainder is float noise, not an amount (amounts are whole lots of ≥ 1 USD). */
const AMOUNT_EPSILON_USD = 1e-9;

/** USD traded so far over every order. */
export function filledUsd(state: TacticState): number {
  return state.orders.reduce((sum, order) => sum + order.filledUsd, 0);
}

/** USD still to trade; never negative. */
export function remainingUsd(state: TacticState): number {
  return Math.max(0, state.amountUsd - filledUsd(state));
}

/**
 * Average fill price over every order, or undefined before any fill. Inverse futures average
 * harmonically (total USD over total coin), as the venue averages a position's entry price.
 */
export function averageFillPriceUsd(state: TacticState): number | undefined {
  let usd = 0;
  let coin = 0;
  for (const order of state.orders) {
    if (order.filledUsd <= 0 || !(order.averagePriceUsd > 0)) continue;
    usd += order.filledUsd;
    coin += order.filledUsd / order.averagePriceUsd;
  }
  return coin > 0 ? usd / coin : undefined;
}

/** The order not yet closed, if any (there is never more than one). */
export function openOrder(state: TacticState): TacticOrder | undefined {
  return state.orders.find((order) => order.status !== 'closed');
}

/** When the kernel should send a `timer` event next, or undefined when only other events matter. */
export function nextWakeMs(state: TacticState): number | undefined {
  if (state.status !== 'working') return undefined;
  const times: number[] = [];
  if (state.giveUpAtMs !== undefined) times.push(state.giveUpAtMs);
  if (state.phase.kind === 'passive') times.push(state.phase.deadlineMs);
  const open = openOrder(state);
  if (open?.retryAtMs !== undefined) times.push(open.retryAtMs);
  if (open?.status === 'pending-amend' && open.amendSentMs !== undefined) times.push(open.amendSentMs + AMEND_ANSWER_TIMEOUT_MS);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** One event in, the new state and what to ask of the venue out. Never throws. */
export function step(state: TacticState, event: TacticEvent): TacticStep {
  const applied = apply(state, event);
  return drive(applied, event.nowMs);
}

// ─── facts: what an event tells us, before deciding anything ─────────────────────────────────

function apply(state: TacticState, event: TacticEvent): TacticState {
  switch (event.type) {
    case 'start':
      return start(state, event.nowMs, event.quote);
    case 'quote': {
      if (event.quote.instrumentName !== state.instrumentName) return state;
      const touch = usableTouch(event.quote, state.tickSize);
      return touch ? { ...state, touch } : state;
    }
    case 'order-acknowledged':
      return updateOrder(state, event.orderRef, (order) => {
        if (order.status === 'pending-new') return { ...order, status: 'live' };
        if (order.status !== 'pending-amend') return order;
        const { pendingPriceUsd, pendingAmountUsd, amendSentMs: _sent, ...rest } = order;
        return { ...rest, status: 'live', priceUsd: pendingPriceUsd ?? order.priceUsd, amountUsd: pendingAmountUsd ?? order.amountUsd };
      });
    case 'order-partially-filled':
    case 'order-filled':
      return updateOrder(state, event.orderRef, (order) => {
        // Reports can repeat or arrive out of order: the larger cumulative figure is the truth.
        const grew = event.filledUsd > order.filledUsd;
        const filled = grew ? event.filledUsd : order.filledUsd;
        const averagePriceUsd = grew ? event.averagePriceUsd : order.averagePriceUsd;
        const complete = event.type === 'order-filled' || filled >= order.amountUsd - AMOUNT_EPSILON_USD;
        return complete ? closed({ ...order, filledUsd: filled, averagePriceUsd }, 'filled') : { ...order, filledUsd: filled, averagePriceUsd };
      });
    case 'order-cancelled':
      return orderCancelled(state, event);
    case 'order-rejected':
      return orderRejected(state, event);
    case 'timer':
      return state;
    case 'stop':
      if (state.status === 'idle') return end(state, { status: 'cancelled', reason: event.reason }, event.nowMs);
      if (state.status !== 'working' || state.phase.kind === 'stopping') return state;
      return { ...state, phase: { kind: 'stopping', outcome: { status: 'cancelled', reason: event.reason } } };
  }
}

function start(state: TacticState, nowMs: number, quote: QuoteRow | undefined): TacticState {
  if (state.status !== 'idle') return state;
  const started = { ...state, startedTsMs: nowMs };
  if (!(state.amountUsd > 0) || !Number.isFinite(state.amountUsd)) return end(started, { status: 'failed', reason: `nothing to trade: amount ${state.amountUsd} USD` }, nowMs);
  if (!(state.tickSize > 0)) return end(started, { status: 'failed', reason: `invalid tick size ${state.tickSize}` }, nowMs);
  const touch = quote && quote.instrumentName === state.instrumentName ? usableTouch(quote, state.tickSize) : undefined;
  if (!touch) {
    const why = !quote ? 'no quote' : quote.stale ? `quote is stale${quote.staleReason ? `: ${quote.staleReason}` : ''}` : 'the book is empty or crossed';
    return end(started, { status: 'failed', reason: `no market for ${state.instrumentName}: ${why}` }, nowMs);
  }
  const crossingDueMs = state.spec.kind === 'immediate' ? nowMs : nowMs + state.spec.timeoutMs;
  const withTouch = { ...started, touch, giveUpAtMs: crossingDueMs + GIVE_UP_AFTER_MS };
  if (state.spec.kind === 'immediate') return enterCrossing(withTouch, nowMs);
  return { ...withTouch, status: 'working', phase: { kind: 'passive', deadlineMs: crossingDueMs } };
}

function orderCancelled(state: TacticState, event: Extract<TacticEvent, { type: 'order-cancelled' }>): TacticState {
  const order = state.orders.find((o) => o.orderRef === event.orderRef);
  if (!order || order.status === 'closed') return updateOrder(state, event.orderRef, (o) => ({ ...o, filledUsd: Math.max(o.filledUsd, event.filledUsd) }));
  const asked = order.status === 'pending-cancel';
  const next = updateOrder(state, event.orderRef, (o) => closed({ ...o, filledUsd: Math.max(o.filledUsd, event.filledUsd) }, event.reason ?? 'cancelled'));
  // Only a resting passive order cancelled without our asking is a surprise (venue-side kill,
  // cancel-on-disconnect, self-trade prevention): placing it again could fight that, so stop.
  if (next.status === 'working' && next.phase.kind === 'passive' && !asked) {
    return { ...next, phase: { kind: 'stopping', outcome: { status: 'failed', reason: `order cancelled by the venue${event.reason ? `: ${event.reason}` : ''}` } } };
  }
  return next;
}

function orderRejected(state: TacticState, event: Extract<TacticEvent, { type: 'order-rejected' }>): TacticState {
  const order = state.orders.find((o) => o.orderRef === event.orderRef);
  if (!order || order.status === 'closed') return state;
  switch (event.request) {
    case 'place': {
      const next = updateOrder(state, event.orderRef, (o) => closed(o, `rejected: ${event.reason}`));
      if (next.status !== 'working' || next.phase.kind === 'stopping') return next;
      return { ...next, phase: { kind: 'stopping', outcome: { status: 'failed', reason: `order rejected: ${event.reason}` } } };
    }
    case 'amend':
      return updateOrder(state, event.orderRef, (o) => {
        const { pendingPriceUsd: _price, pendingAmountUsd: _amount, amendSentMs: _sent, ...rest } = o;
        return o.status === 'pending-amend' ? { ...rest, status: 'live', retryAtMs: event.nowMs + RETRY_AFTER_REFUSAL_MS } : o;
      });
    case 'cancel':
      // Usually "already filled" or a rate limit: the order's own report settles it; ask again later.
      return updateOrder(state, event.orderRef, (o) => (o.status === 'pending-cancel' ? { ...o, status: 'live', retryAtMs: event.nowMs + RETRY_AFTER_REFUSAL_MS } : o));
  }
}

// ─── decisions: given the facts, what to ask for ─────────────────────────────────────────────

type Working = Extract<TacticState, { status: 'working' }>;

function drive(state: TacticState, nowMs: number): TacticStep {
  if (state.status !== 'working') return { state, actions: [] };
  const current = openOrder(state);
  let s: Working = state;
  if (remainingUsd(s) <= AMOUNT_EPSILON_USD) {
    if (!current) return { state: end(s, { status: 'done' }, nowMs), actions: [] };
    // Fully filled while an order is still open (late fill of an earlier order): take it out.
    if (!(s.phase.kind === 'stopping' && s.phase.outcome.status === 'done')) s = { ...s, phase: { kind: 'stopping', outcome: { status: 'done' } } };
  }
  // A stop whose order is already gone ends as it meant to; anything else still working gives up.
  const endingAnyway = !current && s.phase.kind === 'stopping';
  if (s.giveUpAtMs !== undefined && nowMs >= s.giveUpAtMs && !endingAnyway) return { state: giveUp(s, current, nowMs), actions: [] };
  if (s.phase.kind === 'passive' && nowMs >= s.phase.deadlineMs) s = { ...s, phase: { kind: 'switching' } };
  if (current?.status === 'pending-amend' && current.amendSentMs !== undefined && nowMs >= current.amendSentMs + AMEND_ANSWER_TIMEOUT_MS) return askCancel(s, current);

  const phase = s.phase;
  switch (phase.kind) {
    case 'passive':
      return current ? followTouch(s, current, nowMs) : placePassive(s, nowMs);
    case 'switching':
      return current ? cancelIfLive(s, current, nowMs) : crossFirst(s, nowMs);
    case 'crossing':
      return current ? { state: s, actions: [] } : crossAgain(s, phase, nowMs);
    case 'stopping':
      return current ? cancelIfLive(s, current, nowMs) : { state: end(s, phase.outcome, nowMs), actions: [] };
  }
}

function placePassive(state: TacticState, nowMs: number): TacticStep {
  const ticks = state.touch ? passiveTicks(state.side, state.touch) : undefined;
  if (ticks === undefined) return { state: end(state, { status: 'failed', reason: 'no price to post at: the book has no usable touch' }, nowMs), actions: [] };
  return place(state, 'post', ticks);
}

function followTouch(state: TacticState, order: TacticOrder, nowMs: number): TacticStep {
  if (order.status !== 'live' || (order.retryAtMs !== undefined && nowMs < order.retryAtMs)) return { state, actions: [] };
  const ticks = state.touch ? passiveTicks(state.side, state.touch) : undefined;
  const remaining = remainingUsd(state);
  const open = order.amountUsd - order.filledUsd;
  // Late fills elsewhere can leave the order larger than what is left to trade: shrink it.
  const amountUsd = open > remaining + AMOUNT_EPSILON_USD ? order.filledUsd + remaining : order.amountUsd;
  const priceUsd = ticks === undefined ? order.priceUsd : priceOfTicks(ticks, state.tickSize);
  if (priceUsd === order.priceUsd && amountUsd === order.amountUsd) return { state, actions: [] };
  const next = updateOrder(state, order.orderRef, (o) => {
    const { retryAtMs: _retry, ...rest } = o;
    return { ...rest, status: 'pending-amend', pendingPriceUsd: priceUsd, pendingAmountUsd: amountUsd, amendSentMs: nowMs };
  });
  return { state: next, actions: [{ type: 'amend', orderRef: order.orderRef, priceUsd, amountUsd }] };
}

function cancelIfLive(state: TacticState, order: TacticOrder, nowMs: number): TacticStep {
  // Unacknowledged orders are cancelled once acknowledged: the venue cannot cancel what it has
  // not confirmed, and the kernel cannot name it before it has a venue order id.
  if (order.status !== 'live' || (order.retryAtMs !== undefined && nowMs < order.retryAtMs)) return { state, actions: [] };
  return askCancel(state, order);
}

function askCancel(state: TacticState, order: TacticOrder): TacticStep {
  const next = updateOrder(state, order.orderRef, (o) => {
    const { retryAtMs: _retry, pendingPriceUsd: _price, pendingAmountUsd: _amount, amendSentMs: _sent, ...rest } = o;
    return { ...rest, status: 'pending-cancel' };
  });
  return { state: next, actions: [{ type: 'cancel', orderRef: order.orderRef }] };
}

/**
 * Ends a tactic the venue has kept waiting too long. The order it still waits on is closed here
 * as abandoned (its later reports still count its fills), so the outcome names it for the trader.
 */
function giveUp(state: Working, current: TacticOrder | undefined, nowMs: number): TacticState {
  const seconds = Math.round((nowMs - (state.startedTsMs ?? nowMs)) / 1000);
  const waiting = current ? `order ${current.orderRef} still ${current.status} at the venue` : `still ${state.phase.kind}`;
  const note = `gave up after ${seconds} s: ${waiting}; ${filledUsd(state)} of ${state.amountUsd} USD filled`;
  const abandoned = current ? updateOrder(state, current.orderRef, (o) => closed(o, `abandoned while ${o.status}`)) : state;
  const stopping = state.phase.kind === 'stopping' ? state.phase.outcome : undefined;
  if (stopping?.status === 'cancelled') return end(abandoned, { status: 'cancelled', reason: `${stopping.reason}; ${note}` }, nowMs);
  return end(abandoned, { status: 'failed', reason: note }, nowMs);
}

function enterCrossing(state: TacticState, nowMs: number): TacticState {
  const opposite = state.touch ? oppositeTouchTicks(state.side, state.touch) : undefined;
  if (opposite === undefined) return end(state, { status: 'failed', reason: `nothing to cross: no ${state.side === 'buy' ? 'ask' : 'bid'} in the book` }, nowMs);
  const capTicks = slippageCapTicks(state.side, opposite, state.spec.maxSlippageBps, state.tickSize);
  return { ...state, status: 'working', phase: { kind: 'crossing', capTicks, attempts: 0 } };
}

function crossFirst(state: TacticState, nowMs: number): TacticStep {
  const crossing = enterCrossing(state, nowMs);
  if (crossing.status !== 'working' || crossing.phase.kind !== 'crossing') return { state: crossing, actions: [] };
  return crossAgain(crossing, crossing.phase, nowMs);
}

function crossAgain(state: Working, phase: Extract<WorkingPhase, { kind: 'crossing' }>, nowMs: number): TacticStep {
  const capPrice = priceOfTicks(phase.capTicks, state.tickSize);
  const progress = `${filledUsd(state)} of ${state.amountUsd} USD filled`;
  if (phase.attempts >= MAX_CROSS_ATTEMPTS) {
    return { state: end(state, { status: 'failed', reason: `crossing stopped after ${phase.attempts} IOC orders: ${progress}` }, nowMs), actions: [] };
  }
  const opposite = state.touch ? oppositeTouchTicks(state.side, state.touch) : undefined;
  if (opposite === undefined || worseThan(state.side, opposite, phase.capTicks)) {
    return { state: end(state, { status: 'failed', reason: `no liquidity inside the slippage cap ${capPrice}: ${progress}` }, nowMs), actions: [] };
  }
  const next: Working = { ...state, phase: { ...phase, attempts: phase.attempts + 1 } };
  return place(next, 'cross', phase.capTicks);
}

function place(state: TacticState, role: TacticOrder['role'], ticks: number): TacticStep {
  const orderRef = `${state.tacticId}/${state.orders.length + 1}`;
  const priceUsd = priceOfTicks(ticks, state.tickSize);
  const amountUsd = remainingUsd(state);
  const order: TacticOrder = { orderRef, role, priceUsd, amountUsd, filledUsd: 0, averagePriceUsd: 0, status: 'pending-new' };
  const action: TacticAction = {
    type: 'place',
    orderRef,
    instrumentName: state.instrumentName,
    side: state.side,
    amountUsd,
    priceUsd,
    postOnly: role === 'post',
    timeInForce: role === 'post' ? 'good_til_cancelled' : 'immediate_or_cancel',
    reduceOnly: state.reduceOnly,
  };
  return { state: { ...state, orders: [...state.orders, order] }, actions: [action] };
}

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────

function updateOrder(state: TacticState, orderRef: string, change: (order: TacticOrder) => TacticOrder): TacticState {
  const index = state.orders.findIndex((order) => order.orderRef === orderRef);
  const order = state.orders[index];
  if (!order) return state;
  const updated = change(order);
  if (updated === order) return state;
  const orders = state.orders.slice();
  orders[index] = updated;
  return { ...state, orders };
}

function closed(order: TacticOrder, reason: string): TacticOrder {
  const { pendingPriceUsd: _price, pendingAmountUsd: _amount, amendSentMs: _sent, retryAtMs: _retry, ...rest } = order;
  return { ...rest, status: 'closed', closedReason: reason };
}

function end(state: TacticState, outcome: TacticOutcome, nowMs: number): TacticState {
  const { phase: _phase, ...rest } = state as TacticState & { phase?: WorkingPhase };
  const common = { ...rest };
  switch (outcome.status) {
    case 'done':
      return { ...common, status: 'done', endedTsMs: nowMs };
    case 'failed':
      return { ...common, status: 'failed', reason: outcome.reason, endedTsMs: nowMs };
    case 'cancelled':
      return { ...common, status: 'cancelled', reason: outcome.reason, endedTsMs: nowMs };
  }
}

