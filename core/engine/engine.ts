import { MarketData } from '../marketdata/market-data.ts';
import { OrderManager } from '../oms/order-manager.ts';
import type { Order } from '../oms/order-state.ts';
import type { Clock } from '../model/clock.ts';
import type { Command, EngineEvent, EngineHealth, EngineState, IndexRow, InstrumentRow, OrderRow, QuoteRow, TopicChanges, VenueStatus, WholeTopic } from '../protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../protocol/index.ts';
import type { PlaceOrderRequest, VenueEvent } from '../venues/venue-adapter.ts';
import { RateMeter } from './rate-meter.ts';

/**
 * The engine kernel: single-threaded and deterministic given its inputs and its clock. It owns
 * the published state and hands out coalesced deltas; it does no I/O itself — the worker entry
 * (live) or a replay driver (backtest) moves messages and time. What it needs done at a venue
 * comes back as VenueRequests for the caller to carry out.
 */
export type VenueRequest =
  | { readonly type: 'Resnapshot'; readonly venueId: string; readonly instrumentName: string }
  | { readonly type: 'PlaceOrder'; readonly venueId: string; readonly request: PlaceOrderRequest }
  | { readonly type: 'CancelOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string }
  | { readonly type: 'QueryOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string }
  | { readonly type: 'CancelAll'; readonly instrumentName?: string };

export interface CommandOutcome {
  /** Answers to the command's sender. */
  readonly events: readonly EngineEvent[];
  readonly requests: readonly VenueRequest[];
}

export interface Engine {
  /** Applies a validated command: what to answer its sender and what to ask of venues. */
  handle(command: Command): CommandOutcome;
  /** Folds a venue's event into market data; returns what must be asked of the venue. */
  onVenueEvent(event: VenueEvent): readonly VenueRequest[];
  /** Advances the engine's notion of liveness; called by the heartbeat timer. */
  heartbeat(): void;
  /** Counts messages the host of this engine published, for the health topic. */
  recordPublished(count: number): void;
  /** What changed since the last call, or undefined when nothing did. */
  takeChanges(): TopicChanges | undefined;
  snapshot(): EngineState;
  /** Point reads, without building a snapshot. */
  quote(instrumentName: string): QuoteRow | undefined;
  instrument(instrumentName: string): InstrumentRow | undefined;
  order(clientOrderId: string): OrderRow | undefined;
  venue(venueId: string): VenueStatus | undefined;
}

export interface EngineOptions {
  readonly clock: Clock;
  readonly version: string;
}

export function createEngine({ clock, version }: EngineOptions): Engine {
  const startedTsMs = clock.nowMs();
  const published = new RateMeter(startedTsMs);
  const marketData = new MarketData();
  const orders = new OrderManager(startedTsMs.toString(36));
  let engine: EngineHealth = {
    runState: 'running',
    startedTsMs,
    lastHeartbeatTsMs: startedTsMs,
    heartbeatSeq: 0,
    msgsPerSec: 0,
    restarts: 0,
    version,
  };
  let venues: readonly VenueStatus[] = [];
  const dirtyWhole = new Set<WholeTopic>();
  const dirtyQuotes = new Set<string>();
  const dirtyInstruments = new Set<string>();
  const removedInstruments = new Set<string>();
  const dirtyIndices = new Set<string>();

  function upserts<T>(keys: Set<string>, get: (key: string) => T | undefined): Record<string, T> {
    const out: Record<string, T> = {};
    for (const key of keys) {
      const value = get(key);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** Why an order cannot be sent as it stands, or undefined when it can. */
  function orderProblem(instrumentName: string, price: number, amount: number): string | undefined {
    const instrument = marketData.instrument(instrumentName);
    if (!instrument) return `unknown instrument ${instrumentName}`;
    const venue = venues.find((v) => v.venueId === instrument.venueId);
    if (venue?.state !== 'connected') return `venue ${instrument.venueId} is ${venue?.state ?? 'not connected'}`;
    const quote = marketData.quote(instrumentName);
    if (!quote || quote.stale) return `market data for ${instrumentName} is stale${quote?.staleReason ? `: ${quote.staleReason}` : ''}`;
    const ticks = price / instrument.tickSize;
    if (Math.abs(ticks - Math.round(ticks)) > 1e-6) return `price ${price} is not a multiple of the tick size ${instrument.tickSize}`;
    const lots = amount / instrument.minTradeAmount;
    if (Math.abs(lots - Math.round(lots)) > 1e-6) return `amount ${amount} is not a multiple of the minimum ${instrument.minTradeAmount}`;
    return undefined;
  }

  function cancelRequest(order: Order, tsMs: number): VenueRequest | string {
    if (order.state === 'filled' || order.state === 'cancelled' || order.state === 'rejected') return `order ${order.clientOrderId} is already ${order.state}`;
    if (order.state === 'pending-cancel') return `order ${order.clientOrderId} is already being cancelled`;
    if (!order.venueOrderId) return `order ${order.clientOrderId} is not acknowledged yet; cancel it once it is`;
    const result = orders.apply(order.clientOrderId, { type: 'CancelRequested', tsMs });
    if (!result?.ok) return result?.reason ?? 'cannot cancel';
    return { type: 'CancelOrder', venueId: order.venueId, label: order.clientOrderId, venueOrderId: order.venueOrderId };
  }

  function onOrderEvent(event: VenueEvent): VenueRequest[] {
    const tsMs = clock.nowMs();
    switch (event.type) {
      case 'OrderReported':
        orders.onReport(event.report);
        return [];
      case 'OrderRequestFailed': {
        const order = orders.get(event.label);
        if (!order) return [];
        if (event.request === 'place') orders.apply(event.label, { type: 'Rejected', reason: event.reason, tsMs });
        else if (event.request === 'replace') orders.apply(event.label, { type: 'ReplaceRejected', reason: event.reason, tsMs });
        else if (event.request === 'cancel') orders.apply(event.label, { type: 'CancelRejected', reason: event.reason, tsMs });
        else if (event.code === 10004) orders.apply(event.label, { type: 'Reconciled', venueState: 'missing', tsMs });
        // A failed query is not retried here: the next reconnect reconciles again.
        if (event.request === 'query') return [];
        const after = orders.get(event.label);
        return after?.state === 'unknown' && after.venueOrderId ? [{ type: 'QueryOrder', venueId: after.venueId, label: after.clientOrderId, venueOrderId: after.venueOrderId }] : [];
      }
      case 'OrderRequestLost': {
        orders.apply(event.label, { type: 'AckLost', tsMs });
        const after = orders.get(event.label);
        return after?.state === 'unknown' && after.venueOrderId ? [{ type: 'QueryOrder', venueId: after.venueId, label: after.clientOrderId, venueOrderId: after.venueOrderId }] : [];
      }
      case 'OrdersReconciled':
        return orders.reconcile(event.venueId, event.open, tsMs).map((order) => ({ type: 'QueryOrder', venueId: order.venueId, label: order.clientOrderId, venueOrderId: order.venueOrderId! }));
      default:
        return [];
    }
  }

  function recordsOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [key, value] of entries) out[key] = value;
    return out;
  }

  return {
    handle(command) {
      const tsMs = clock.nowMs();
      const reject = (reason: string): CommandOutcome => ({ events: [{ type: 'CommandRejected', commandId: command.commandId, reason, tsMs }], requests: [] });
      const accept = (requests: readonly VenueRequest[]): CommandOutcome => ({ events: [{ type: 'CommandAccepted', commandId: command.commandId, commandType: command.type, tsMs }], requests });
      switch (command.type) {
        case 'Ping':
          return { events: [{ type: 'PingAnswered', commandId: command.commandId, clientTsMs: command.clientTsMs, engineTsMs: tsMs }], requests: [] };
        case 'RestartEngine':
          return reject('RestartEngine is handled by the engine host');
        case 'PlaceOrder': {
          const problem = orderProblem(command.instrumentName, command.price, command.amount);
          if (problem) return reject(problem);
          const instrument = marketData.instrument(command.instrumentName)!;
          const submitted = orders.submit(
            { venueId: instrument.venueId, instrumentName: instrument.instrumentName, side: command.side, price: command.price, amount: command.amount, postOnly: command.postOnly, reduceOnly: command.reduceOnly, origin: 'manual' },
            tsMs,
          );
          if (!submitted.ok) return reject(submitted.reason);
          const order = submitted.order;
          return accept([
            {
              type: 'PlaceOrder',
              venueId: order.venueId,
              request: { label: order.clientOrderId, instrumentName: order.instrumentName, side: order.side, price: order.price, amount: order.amount, postOnly: order.postOnly, reduceOnly: order.reduceOnly },
            },
          ]);
        }
        case 'CancelOrder': {
          const order = orders.get(command.clientOrderId);
          if (!order) return reject(`no order ${command.clientOrderId}`);
          const request = cancelRequest(order, tsMs);
          return typeof request === 'string' ? reject(request) : accept([request]);
        }
        case 'CancelAllOrders': {
          const requests: VenueRequest[] = [];
          for (const order of orders.live(command.instrumentName)) {
            const request = cancelRequest(order, tsMs);
            if (typeof request !== 'string') requests.push(request);
          }
          // Also at the venue as a whole: it cancels orders we may not know about (placed by hand).
          requests.push(command.instrumentName ? { type: 'CancelAll', instrumentName: command.instrumentName } : { type: 'CancelAll' });
          return accept(requests);
        }
      }
    },
    onVenueEvent(event) {
      if (event.type === 'OrderReported' || event.type === 'OrderRequestFailed' || event.type === 'OrderRequestLost' || event.type === 'OrdersReconciled') return onOrderEvent(event);
      if (event.type === 'StatusChanged') {
        venues = [...venues.filter((venue) => venue.venueId !== event.status.venueId), event.status];
        dirtyWhole.add('venues');
        return [];
      }
      const changes = marketData.apply(event);
      for (const name of changes.quotes) dirtyQuotes.add(name);
      for (const name of changes.instruments) dirtyInstruments.add(name);
      for (const name of changes.removedInstruments) {
        removedInstruments.add(name);
        dirtyInstruments.delete(name);
        dirtyQuotes.delete(name);
      }
      for (const name of changes.indices) dirtyIndices.add(name);
      return changes.resnapshot.map((instrumentName) => ({ type: 'Resnapshot', venueId: marketData.instrument(instrumentName)?.venueId ?? '', instrumentName }));
    },
    heartbeat() {
      const nowMs = clock.nowMs();
      engine = { ...engine, lastHeartbeatTsMs: nowMs, heartbeatSeq: engine.heartbeatSeq + 1, msgsPerSec: published.perSecond(nowMs) };
      dirtyWhole.add('engine');
    },
    recordPublished(count) {
      published.record(clock.nowMs(), count);
    },
    takeChanges() {
      const orderChanges = orders.takeChanges();
      const ordersChanged = orderChanges.changed.length > 0 || orderChanges.removed.length > 0;
      if (!ordersChanged && dirtyWhole.size === 0 && dirtyQuotes.size === 0 && dirtyInstruments.size === 0 && removedInstruments.size === 0 && dirtyIndices.size === 0) return undefined;
      const removed = [...removedInstruments];
      const changes: TopicChanges = {
        ...(dirtyWhole.has('engine') && { engine }),
        ...(dirtyWhole.has('venues') && { venues }),
        ...((dirtyInstruments.size > 0 || removed.length > 0) && {
          instruments: { upsert: upserts<InstrumentRow>(dirtyInstruments, (key) => marketData.instrument(key)), remove: removed },
        }),
        ...((dirtyQuotes.size > 0 || removed.length > 0) && { quotes: { upsert: upserts<QuoteRow>(dirtyQuotes, (key) => marketData.quote(key)), remove: removed } }),
        ...(dirtyIndices.size > 0 && { indices: { upsert: upserts<IndexRow>(dirtyIndices, (key) => marketData.index(key)) } }),
        ...(ordersChanged && { orders: { upsert: recordsOf<OrderRow>(orderChanges.changed.map((order) => [order.clientOrderId, order] as const)), remove: orderChanges.removed } }),
      };
      dirtyWhole.clear();
      dirtyQuotes.clear();
      dirtyInstruments.clear();
      removedInstruments.clear();
      dirtyIndices.clear();
      return changes;
    },
    quote: (instrumentName) => marketData.quote(instrumentName),
    instrument: (instrumentName) => marketData.instrument(instrumentName),
    order: (clientOrderId) => orders.get(clientOrderId),
    venue: (venueId) => venues.find((venue) => venue.venueId === venueId),
    snapshot() {
      const instruments = recordsOf(marketData.instrumentsMap());
      const quotes: Record<string, QuoteRow> = {};
      for (const name of Object.keys(instruments)) {
        const quote = marketData.quote(name);
        if (quote) quotes[name] = quote;
      }
      return {
        ...EMPTY_STATE_TOPICS,
        engine,
        venues,
        instruments,
        quotes,
        indices: recordsOf(marketData.indicesMap()),
        orders: recordsOf<OrderRow>([...orders.all()].map((order) => [order.clientOrderId, order] as const)),
      };
    },
  };
}
