import type { FlattenPlan, TacticAction, TacticEvent, TacticOrder, TacticSpec, TacticState } from '../hedging/index.ts';
import { createTactic, flattenProgress, isTerminal, nextWakeMs, step } from '../hedging/index.ts';
import type { MarketData } from '../marketdata/market-data.ts';
import { snapPassive } from '../model/ticks.ts';
import type { Fill } from '../model/trading.ts';
import type { OrderManager } from '../oms/order-manager.ts';
import { LIVE_STATES } from '../oms/order-state.ts';
import type { ExecutionRow, InstrumentRow } from '../protocol/index.ts';
import { KeyedTopic } from './keyed-topic.ts';
import type { OrderGateway } from './order-gateway.ts';
import { isRefusal } from './order-gateway.ts';
import type { VenueRequest } from './venue-request.ts';

/**
 * Hedges and flattens in progress. Each future or perpetual leg runs a hedging tactic (a pure
 * state machine in core/hedging); this desk feeds it what happened to its orders and the market,
 * and carries its actions out through the order gateway. A flatten's option legs are plain
 * reduce-only limit orders at or inside the spread. Progress and the final report are published.
 */

export interface ExecutionDeskDeps {
  readonly marketData: MarketData;
  readonly orders: OrderManager;
  readonly gateway: OrderGateway;
  /** Positions now, for flatten progress: signed sizes by instrument. */
  positions(): readonly { readonly instrumentName: string; readonly size: number }[];
  recentFills(): readonly Fill[];
}

interface TacticLeg {
  state: TacticState;
  /** orderRef → the OMS's client order id. */
  readonly orders: Map<string, string>;
  /** The leg has ended and nothing it placed is left for it to cancel. */
  swept: boolean;
}

interface Execution {
  readonly id: string;
  readonly kind: 'hedge' | 'flatten';
  readonly currency: string;
  readonly commandId?: string;
  readonly startedTsMs: number;
  state: ExecutionRow['state'];
  detail: string;
  progress: number;
  report?: string;
  readonly legs: TacticLeg[];
  /** Flatten: the plan and its option orders. */
  readonly plan?: FlattenPlan;
  readonly optionOrders: string[];
  /** Flatten: whether its closes went out (they wait for the quotes to be pulled). */
  closesPlaced: boolean;
  /** Flatten option closes: the cap each may not cross, and when it was last priced. */
  readonly optionCloses: Map<string, { readonly capPrice: number; readonly collarFraction: number; pricedTsMs: number }>;
  /** Flatten: why a close was refused before sending or cancelled at the timeout, for the report. */
  readonly closeReasons: Record<string, string>;
}

/** A flatten's option close still resting after this long is moved to the current touch (within its cap). */
const OPTION_CLOSE_REPRICE_MS = 3_000;
/** A flatten's option closes that have not filled after this long are cancelled and reported. */
export const FLATTEN_CLOSE_TIMEOUT_MS = 30_000;
/** After the timeout, how long a flatten waits for the venue to confirm its closes are cancelled. */
export const FLATTEN_CANCEL_WAIT_MS = 10_000;
/** A flatten waits at most this long for its quotes to be pulled before closing anyway. */
const FLATTEN_PULL_WAIT_MS = 5_000;

export class ExecutionDesk {
  readonly executions = new KeyedTopic<ExecutionRow>();
  readonly #live = new Map<string, Execution>();
  /**
   * Legs of finished executions that still have an order to take out: a trader's cancel ends the
   * execution at once, but an order unacknowledged or being amended can only be cancelled once the
   * venue answers; a leg that gave up may leave one the same way. They keep running here.
   */
  #draining: TacticLeg[] = [];
  /** Requests decided while reporting progress (cancels of timed-out closes), sent with the tick's. */
  #pending: VenueRequest[] = [];
  #seq = 0;

  constructor(
    private readonly deps: ExecutionDeskDeps,
    private readonly sessionId: string,
  ) {}

  inFlight(currency: string, kind?: Execution['kind']): boolean {
    for (const execution of this.#live.values()) if (execution.currency === currency && (kind === undefined || execution.kind === kind)) return true;
    return false;
  }

  /** Starts a delta hedge: one tactic on a future or perpetual. */
  startHedge(currency: string, instrument: InstrumentRow, side: 'buy' | 'sell', amountUsd: number, spec: TacticSpec, nowMs: number, commandId?: string): { readonly id: string; readonly requests: VenueRequest[] } {
    const execution = this.#create('hedge', currency, nowMs, `${side} ${amountUsd} USD of ${instrument.instrumentName}`, commandId);
    const requests = this.#startLeg(execution, instrument, side, amountUsd, spec, false, nowMs);
    this.#publish(execution, nowMs);
    return { id: execution.id, requests };
  }

  /**
   * Starts a flatten from its plan. The caller has asked for the quotes to be pulled; the closes go
   * out once no strategy order of the underlying is left resting (they would cross our own quotes
   * otherwise), or after FLATTEN_PULL_WAIT_MS whatever is left.
   */
  startFlatten(currency: string, plan: FlattenPlan, nowMs: number, commandId?: string): { readonly id: string; readonly requests: VenueRequest[] } {
    const closes = plan.steps.filter((s) => s.kind !== 'pull-quotes').length;
    const execution = this.#create('flatten', currency, nowMs, `closing ${closes} position(s)${plan.unresolvable.length > 0 ? `, ${plan.unresolvable.length} cannot be closed` : ''}`, commandId, plan);
    const requests = this.#quotesPulled(execution) ? this.#placeCloses(execution, nowMs) : [];
    this.#publish(execution, nowMs);
    return { id: execution.id, requests };
  }

  #quotesPulled(execution: Execution): boolean {
    return !this.deps.orders.live().some((order) => order.origin === 'strategy' && (execution.currency === 'ALL' || this.deps.marketData.instrument(order.instrumentName)?.currency === execution.currency));
  }

  #placeCloses(execution: Execution, nowMs: number): VenueRequest[] {
    execution.closesPlaced = true;
    const requests: VenueRequest[] = [];
    const refusals: string[] = [];
    for (const s of execution.plan!.steps) {
      if (s.kind === 'close-option') {
        const instrument = this.deps.marketData.instrument(s.instrumentName);
        const price = instrument ? snapPassive(instrument, s.limitPrice, s.side) : s.limitPrice;
        const placed = this.deps.gateway.place({ instrumentName: s.instrumentName, side: s.side, price, amount: s.amount, postOnly: false, reduceOnly: true, origin: 'hedge', collarFraction: s.slippageFraction }, nowMs);
        if (placed.ok) {
          execution.optionOrders.push(placed.order.clientOrderId);
          execution.optionCloses.set(placed.order.clientOrderId, { capPrice: s.capPrice, collarFraction: s.slippageFraction, pricedTsMs: nowMs });
          requests.push(placed.request);
        } else {
          refusals.push(`${s.instrumentName}: ${placed.reason}`);
          execution.closeReasons[s.instrumentName] = `refused before sending (${placed.check}: ${placed.reason})`;
        }
      } else if (s.kind === 'close-future') {
        const instrument = this.deps.marketData.instrument(s.instrumentName);
        if (instrument) requests.push(...this.#startLeg(execution, instrument, s.side, s.amountUsd, s.tactic, true, nowMs));
      }
    }
    if (refusals.length > 0) execution.detail = `${execution.detail}; refused: ${refusals.join('; ')}`;
    return requests;
  }

  /** Stops an execution: its tactics cancel their orders, its option orders are cancelled. */
  cancel(id: string, reason: string, nowMs: number): VenueRequest[] | undefined {
    const execution = this.#live.get(id);
    if (!execution) return undefined;
    const requests: VenueRequest[] = [];
    for (const leg of execution.legs) {
      requests.push(...this.#drive(leg, { type: 'stop', nowMs, reason }, nowMs));
      if (isTerminal(leg.state)) requests.push(...this.#sweep(leg, nowMs));
    }
    for (const clientOrderId of execution.optionOrders) {
      const order = this.deps.orders.get(clientOrderId);
      if (!order || !LIVE_STATES.has(order.state)) continue;
      const request = this.deps.gateway.cancel(order, nowMs);
      if (!isRefusal(request)) requests.push(request);
    }
    execution.state = 'cancelled';
    execution.report = `cancelled: ${reason}`;
    this.#finish(execution, nowMs);
    return requests;
  }

  cancelAll(reason: string, nowMs: number): VenueRequest[] {
    return [...this.#live.keys()].flatMap((id) => this.cancel(id, reason, nowMs) ?? []);
  }

  /** Feeds every tactic what changed (orders, quotes, time) and carries out what it decides. */
  tick(nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    for (const leg of this.#draining) requests.push(...this.#tickLeg(leg, nowMs));
    this.#draining = this.#draining.filter((leg) => !leg.swept);
    for (const execution of [...this.#live.values()]) {
      for (const leg of execution.legs) requests.push(...this.#tickLeg(leg, nowMs));
      if (!execution.closesPlaced) {
        if (this.#quotesPulled(execution) || nowMs - execution.startedTsMs >= FLATTEN_PULL_WAIT_MS) requests.push(...this.#placeCloses(execution, nowMs));
        else continue;
      }
      requests.push(...this.#chaseOptionCloses(execution, nowMs));
      this.#progress(execution, nowMs);
    }
    if (this.#pending.length > 0) {
      requests.push(...this.#pending);
      this.#pending = [];
    }
    return requests;
  }

  /** Feeds one tactic what changed (orders, quotes, time); once it has ended, cancels what it left. */
  #tickLeg(leg: TacticLeg, nowMs: number): VenueRequest[] {
    if (leg.swept) return [];
    const requests: VenueRequest[] = [];
    if (!isTerminal(leg.state)) {
      for (const event of this.#orderEvents(leg, nowMs)) requests.push(...this.#drive(leg, event, nowMs));
      const quote = this.deps.marketData.quote(leg.state.instrumentName);
      if (quote && !isTerminal(leg.state)) requests.push(...this.#drive(leg, { type: 'quote', nowMs, quote }, nowMs));
      const wake = nextWakeMs(leg.state);
      if (wake !== undefined && wake <= nowMs && !isTerminal(leg.state)) requests.push(...this.#drive(leg, { type: 'timer', nowMs }, nowMs));
    }
    if (isTerminal(leg.state)) requests.push(...this.#sweep(leg, nowMs));
    return requests;
  }

  /**
   * A tactic ends with no order open unless it gave up waiting on one (its answer never came, or
   * could not be matched to the request): that order is cancelled here as soon as the OMS allows
   * it, so a finished hedge leaves nothing resting that nobody watches. An order in `unknown` is
   * left to reconciliation, which owns it.
   */
  #sweep(leg: TacticLeg, nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    let waiting = false;
    for (const clientOrderId of leg.orders.values()) {
      const order = this.deps.orders.get(clientOrderId);
      if (!order) continue;
      if (order.state === 'pending-new') waiting = true;
      if (order.state !== 'open' && order.state !== 'partially-filled' && order.state !== 'pending-replace') continue;
      const request = this.deps.gateway.cancel(order, nowMs);
      if (!isRefusal(request)) requests.push(request);
    }
    leg.swept = !waiting;
    return requests;
  }

  /**
   * A flatten's option close rests at the touch it saw; when the market moves away it would wait
   * for ever. After a few seconds it is moved to the current closing touch, never beyond its cap.
   */
  #chaseOptionCloses(execution: Execution, nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    // Past the timeout the closes are being cancelled: an amend now would only race the cancel.
    if (nowMs - execution.startedTsMs >= FLATTEN_CLOSE_TIMEOUT_MS) return requests;
    for (const [clientOrderId, close] of execution.optionCloses) {
      const order = this.deps.orders.get(clientOrderId);
      if (!order || (order.state !== 'open' && order.state !== 'partially-filled') || nowMs - close.pricedTsMs < OPTION_CLOSE_REPRICE_MS) continue;
      const quote = this.deps.marketData.quote(order.instrumentName);
      const instrument = this.deps.marketData.instrument(order.instrumentName);
      const touch = order.side === 'sell' ? quote?.bidPrice : quote?.askPrice;
      if (!instrument || touch === undefined || quote?.stale) continue;
      const capped = order.side === 'sell' ? Math.max(touch, close.capPrice) : Math.min(touch, close.capPrice);
      const price = snapPassive(instrument, capped, order.side);
      close.pricedTsMs = nowMs;
      if (Math.abs(price - order.price) < instrument.tickSize / 2) continue;
      const request = this.deps.gateway.replace(order, price, order.amount, nowMs, { collarFraction: close.collarFraction });
      if (!isRefusal(request)) requests.push(request);
    }
    return requests;
  }

  #create(kind: Execution['kind'], currency: string, nowMs: number, detail: string, commandId?: string, plan?: FlattenPlan): Execution {
    const execution: Execution = {
      id: `${kind}.${this.sessionId}.${++this.#seq}`,
      kind,
      currency,
      ...(commandId !== undefined && { commandId }),
      startedTsMs: nowMs,
      state: 'working',
      detail,
      progress: 0,
      legs: [],
      ...(plan && { plan }),
      optionOrders: [],
      closesPlaced: kind === 'hedge',
      optionCloses: new Map(),
      closeReasons: {},
    };
    this.#live.set(execution.id, execution);
    return execution;
  }

  #startLeg(execution: Execution, instrument: InstrumentRow, side: 'buy' | 'sell', amountUsd: number, spec: TacticSpec, reduceOnly: boolean, nowMs: number): VenueRequest[] {
    const leg: TacticLeg = {
      state: createTactic({ tacticId: `${execution.id}.${execution.legs.length + 1}`, instrument, side, amountUsd, spec, reduceOnly }),
      orders: new Map(),
      swept: false,
    };
    execution.legs.push(leg);
    const quote = this.deps.marketData.quote(instrument.instrumentName);
    return this.#drive(leg, { type: 'start', nowMs, ...(quote && { quote }) }, nowMs);
  }

  #drive(leg: TacticLeg, event: TacticEvent, nowMs: number): VenueRequest[] {
    const out = step(leg.state, event);
    leg.state = out.state;
    const requests: VenueRequest[] = [];
    for (const action of out.actions) {
      const result = this.#act(leg, action, nowMs);
      if (result.request) requests.push(result.request);
      // A refusal is the venue-side equivalent of a rejection: the tactic decides what next.
      if (result.refused !== undefined) {
        const again = step(leg.state, { type: 'order-rejected', nowMs, orderRef: action.orderRef, request: action.type, reason: result.refused });
        leg.state = again.state;
        for (const next of again.actions) {
          const retry = this.#act(leg, next, nowMs);
          if (retry.request) requests.push(retry.request);
        }
      }
    }
    return requests;
  }

  #act(leg: TacticLeg, action: TacticAction, nowMs: number): { readonly request?: VenueRequest; readonly refused?: string } {
    const { gateway, orders } = this.deps;
    if (action.type === 'place') {
      const placed = gateway.place(
        { instrumentName: action.instrumentName, side: action.side, price: action.priceUsd, amount: action.amountUsd, postOnly: action.postOnly, reduceOnly: action.reduceOnly, origin: 'hedge', timeInForce: action.timeInForce },
        nowMs,
      );
      if (!placed.ok) return { refused: `${placed.check}: ${placed.reason}` };
      leg.orders.set(action.orderRef, placed.order.clientOrderId);
      return { request: placed.request };
    }
    const clientOrderId = leg.orders.get(action.orderRef);
    const order = clientOrderId !== undefined ? orders.get(clientOrderId) : undefined;
    if (!order) return { refused: `no order for ${action.orderRef}` };
    const request = action.type === 'amend' ? gateway.replace(order, action.priceUsd, action.amountUsd, nowMs) : gateway.cancel(order, nowMs);
    if (isRefusal(request)) return { refused: `${request.check}: ${request.reason}` };
    return { request };
  }

  /**
   * What the OMS knows of a leg's orders that the tactic does not, as tactic events. Compared with
   * the tactic's own view rather than with the OMS's last transition: an order can reach the same
   * state by several paths (a refused cancel goes through `unknown` and reconciliation back to
   * open; an amend's answer can come as a replace, a refusal or a reconciled price), and every
   * path must settle the request the tactic is waiting on.
   */
  #orderEvents(leg: TacticLeg, nowMs: number): TacticEvent[] {
    const events: TacticEvent[] = [];
    for (const mine of leg.state.orders) {
      const clientOrderId = leg.orders.get(mine.orderRef);
      const order = clientOrderId !== undefined ? this.deps.orders.get(clientOrderId) : undefined;
      if (!order) continue;
      const { orderRef } = mine;
      const resting = order.state === 'open' || order.state === 'partially-filled';
      if (resting && mine.status !== 'closed') {
        const answer = answerOf(mine, order);
        if (answer) events.push({ ...answer, nowMs, orderRef });
      }
      const fullyFilled = order.state === 'filled' && mine.status !== 'closed';
      if (order.filledAmount > mine.filledUsd || fullyFilled) {
        events.push({ type: order.state === 'filled' ? 'order-filled' : 'order-partially-filled', nowMs, orderRef, filledUsd: order.filledAmount, averagePriceUsd: order.averagePrice });
      }
      if (mine.status === 'closed') continue;
      if (order.state === 'cancelled') events.push({ type: 'order-cancelled', nowMs, orderRef, filledUsd: order.filledAmount, ...(order.reason !== undefined && { reason: order.reason }) });
      if (order.state === 'rejected') events.push({ type: 'order-rejected', nowMs, orderRef, request: 'place', reason: order.reason ?? 'rejected' });
    }
    return events;
  }

  #progress(execution: Execution, nowMs: number): void {
    if (execution.kind === 'hedge') {
      const leg = execution.legs[0];
      if (!leg) return;
      const filled = leg.state.orders.reduce((sum, order) => sum + order.filledUsd, 0);
      execution.progress = leg.state.amountUsd > 0 ? Math.min(1, filled / leg.state.amountUsd) : 1;
      if (isTerminal(leg.state)) {
        const status = leg.state.status;
        execution.state = status === 'done' ? 'done' : status === 'cancelled' ? 'cancelled' : 'failed';
        const why = 'reason' in leg.state && typeof leg.state.reason === 'string' ? `: ${leg.state.reason}` : '';
        execution.report = `${execution.detail}: ${status}${why}; filled ${filled} USD`;
        this.#finish(execution, nowMs);
        return;
      }
      this.#publish(execution, nowMs);
      return;
    }
    const plan = execution.plan!;
    const legsDone = execution.legs.every((leg) => isTerminal(leg.state));
    const resting = execution.optionOrders.filter((id) => {
      const order = this.deps.orders.get(id);
      return order !== undefined && LIVE_STATES.has(order.state);
    });
    // Closes that found no taker at or inside their slippage cap in time are cancelled and end the
    // flatten: the trader gets the report (what could not be closed, and why) rather than a flatten
    // that never ends. It ends once the venue has taken them out: a reduce-only close still resting
    // would make the venue refuse the trader's next flatten of the same position.
    const timedOut = nowMs - execution.startedTsMs >= FLATTEN_CLOSE_TIMEOUT_MS && resting.length > 0;
    if (timedOut) {
      for (const id of resting) {
        const order = this.deps.orders.get(id)!;
        if (order.state !== 'open' && order.state !== 'partially-filled') continue;
        execution.closeReasons[order.instrumentName] ??= `not filled within ${FLATTEN_CLOSE_TIMEOUT_MS / 1000} s at or inside the slippage cap (resting at ${order.price})`;
        const request = this.deps.gateway.cancel(order, nowMs);
        if (!isRefusal(request)) this.#pending.push(request);
      }
    }
    // An order whose cancel goes unanswered is reconciliation's; the flatten does not wait on it for ever.
    const cancelsOverdue = nowMs - execution.startedTsMs >= FLATTEN_CLOSE_TIMEOUT_MS + FLATTEN_CANCEL_WAIT_MS;
    const optionsDone = resting.length === 0 || cancelsOverdue;
    const reasons = { ...execution.closeReasons };
    for (const id of execution.optionOrders) {
      const order = this.deps.orders.get(id);
      if (order?.state === 'rejected') reasons[order.instrumentName] ??= `rejected by the venue${order.reason ? ` (${order.reason})` : ''}`;
    }
    if (cancelsOverdue) {
      for (const id of resting) {
        const order = this.deps.orders.get(id)!;
        reasons[order.instrumentName] = `${reasons[order.instrumentName] ?? 'not filled'}; its cancel is unanswered (order ${order.state})`;
      }
    }
    const progress = flattenProgress(plan, this.deps.positions(), { fills: this.deps.recentFills(), ended: legsDone && optionsDone, reasons });
    execution.progress = progress.fractionDone;
    if (progress.done || (legsDone && optionsDone)) {
      execution.state = progress.done ? 'done' : 'failed';
      const report = progress.report;
      execution.report = report
        ? `closed ${report.closed.length}, not closed ${report.notClosed.length}${report.notClosed.length > 0 ? ` (${report.notClosed.map((n) => `${n.instrumentName}: ${n.reason}`).join('; ')})` : ''}; slippage ${report.totalSlippageCoin.toFixed(6)} coin, fees ${report.totalFeesCoin.toFixed(6)} coin`
        : execution.detail;
      this.#finish(execution, nowMs);
      return;
    }
    this.#publish(execution, nowMs);
  }

  #finish(execution: Execution, nowMs: number): void {
    this.#live.delete(execution.id);
    for (const leg of execution.legs) if (!leg.swept) this.#draining.push(leg);
    this.#publish(execution, nowMs);
  }

  #publish(execution: Execution, nowMs: number): void {
    const row: ExecutionRow = {
      id: execution.id,
      kind: execution.kind,
      ...(execution.commandId !== undefined && { commandId: execution.commandId }),
      currency: execution.currency,
      state: execution.state,
      detail: execution.detail,
      progress: execution.progress,
      startedTsMs: execution.startedTsMs,
      updatedTsMs: nowMs,
      ...(execution.report !== undefined && { report: execution.report }),
    };
    const previous = this.executions.get(row.id);
    if (!previous || previous.state !== row.state || previous.progress !== row.progress || previous.detail !== row.detail || previous.report !== row.report) this.executions.set(row.id, row);
  }
}

type OrderAnswer = { readonly type: 'order-acknowledged' } | { readonly type: 'order-rejected'; readonly request: 'amend' | 'cancel'; readonly reason: string };

/**
 * The venue's answer to the request the tactic waits on, for an order the OMS has resting: the
 * place or amend went through, or the amend or cancel did not (the order rests as it was).
 */
function answerOf(mine: TacticOrder, order: { readonly price: number; readonly amount: number; readonly reason?: string }): OrderAnswer | undefined {
  switch (mine.status) {
    case 'pending-new':
      return { type: 'order-acknowledged' };
    case 'pending-amend':
      if (order.price === mine.pendingPriceUsd && order.amount === mine.pendingAmountUsd) return { type: 'order-acknowledged' };
      return { type: 'order-rejected', request: 'amend', reason: order.reason ?? `amend not applied: the order rests at ${order.price} for ${order.amount}` };
    case 'pending-cancel':
      return { type: 'order-rejected', request: 'cancel', reason: order.reason ?? 'cancel not applied: the order is still open' };
    default:
      return undefined;
  }
}
