import { MarketData } from '../marketdata/market-data.ts';
import type { Clock } from '../model/clock.ts';
import type { Fill } from '../model/trading.ts';
import { OrderManager, originOfLabel } from '../oms/order-manager.ts';
import type {
  Command,
  EngineEvent,
  EngineHealth,
  EngineState,
  IndexRow,
  InstrumentRow,
  KillSwitchView,
  OrderRow,
  QuoteRow,
  StrategyMode,
  TopicChanges,
  VenueStatus,
  WholeTopic,
} from '../protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../protocol/index.ts';
import { acceptQuoteOverride, parseQuotingParams, parseQuotingParamsPatch, QuoteOverrideSchema } from '../quoting/index.ts';
import type { LimitAction, LimitsConfig, TradingMode } from '../risk/index.ts';
import { applyLimitEdit, DEFAULT_LIMITS, limitsFor, parseLimitsConfig, tradingModeFor } from '../risk/index.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import { ActivityLog } from './activity-log.ts';
import { BookWatch } from './book-watch.ts';
import { ExecutionDesk } from './execution-desk.ts';
import { AutoHedgeSettingsSchema, HedgeDesk } from './hedge-desk.ts';
import { MmpDesk } from './mmp-desk.ts';
import type { JournalRecord, JournalSink, RestoredState } from './journal-records.ts';
import { OrderGateway } from './order-gateway.ts';
import type { OrderIntent } from './order-gateway.ts';
import { isRefusal } from './order-gateway.ts';
import { RateMeter } from './rate-meter.ts';
import { RiskDesk } from './risk-desk.ts';
import { overrideFromRow, StrategyDesk } from './strategy-desk.ts';
import type { VenueRequest } from './venue-request.ts';

export type { VenueRequest } from './venue-request.ts';

/**
 * The engine kernel: single-threaded and deterministic given its inputs and its clock. It owns
 * the published state and hands out coalesced deltas; it does no I/O itself — the worker entry
 * (live) or a replay driver (backtest) moves messages and time. What it needs done at a venue
 * comes back as VenueRequests for the caller to carry out; what must survive a crash goes to the
 * journal sink before those requests leave.
 *
 * Desks: market data (books, tickers), the order gateway (every order's checks) and OMS, the
 * strategies (surface, quotes, overrides, modes), risk (positions, PnL, Greeks, limits,
 * scenarios), executions (hedges, flattens), and the kill switch here.
 */

export interface CommandOutcome {
  /** Answers to the command's sender. */
  readonly events: readonly EngineEvent[];
  readonly requests: readonly VenueRequest[];
}

export interface Engine {
  /** Applies a validated command: what to answer its sender and what to ask of venues. */
  handle(command: Command): CommandOutcome;
  /** Folds a venue's event in; returns what must be asked of the venue. */
  onVenueEvent(event: VenueEvent): readonly VenueRequest[];
  /** The engine's tick (every TICK_INTERVAL_MS): requotes, risk, limits, executions, timers. */
  tick(): readonly VenueRequest[];
  /** Advances the engine's notion of liveness; called by the heartbeat timer. */
  heartbeat(): void;
  /** Counts messages the host of this engine published, for the health topic. */
  recordPublished(count: number): void;
  /**
   * What changed since the last call, or undefined when nothing did. 'trading' leaves out the
   * market data topics (instruments, quotes, indices, watched books), the positions' rows marked
   * to the latest refresh (a fill's position still comes), the chain's theo rows and the risk
   * panel's rows with their scenario grids: a headless run (a replay) has the market in its recording, shows no panel,
   * and would only pay for rebuilding them.
   */
  takeChanges(scope?: 'all' | 'trading'): TopicChanges | undefined;
  snapshot(): EngineState;
  /** Point reads, without building a snapshot. */
  health(): EngineHealth;
  quote(instrumentName: string): QuoteRow | undefined;
  instrument(instrumentName: string): InstrumentRow | undefined;
  order(clientOrderId: string): OrderRow | undefined;
  venue(venueId: string): VenueStatus | undefined;
}

export interface EngineOptions {
  readonly clock: Clock;
  readonly version: string;
  readonly journal?: JournalSink;
  /** State rebuilt from the journal of an earlier run. */
  readonly restored?: RestoredState;
  /** Strategies start ACTIVE (the embedded simulator) or PAUSED (a real venue) on a fresh journal. */
  readonly quoteOnStart?: boolean;
  /** Limits from the limits file; they win over the journal's (UI edits are written back to the file). */
  readonly limits?: LimitsConfig;
  /** How long a venue may be down, with orders or positions at stake, before the kill switch trips (default VENUE_DOWN_KILL_MS). */
  readonly venueDownKillMs?: number;
  /** Problems found while starting (journal, limits file), shown in the activity log. */
  readonly notices?: readonly string[];
  /**
   * Level-0 strategy quotes go as the venue's mass quotes where its status says it takes them
   * (VenueStatus.massQuote), each underlying in its own MMP group; off by default.
   */
  readonly massQuotes?: boolean;
}

export const TICK_INTERVAL_MS = 100;
const NO_REQUESTS: readonly VenueRequest[] = Object.freeze([]);
const RISK_REFRESH_MS = 250;
const RISK_PUBLISH_MS = 1_000;
const HISTORY_SAMPLE_MS = 1_000;
/** A venue down this long with orders or positions at stake trips the kill switch. */
export const VENUE_DOWN_KILL_MS = 15_000;

export function createEngine({ clock, version, journal, restored, quoteOnStart = false, limits, notices = [], venueDownKillMs = VENUE_DOWN_KILL_MS, massQuotes = false }: EngineOptions): Engine {
  const startedTsMs = clock.nowMs();
  const sessionId = startedTsMs.toString(36);
  const published = new RateMeter(startedTsMs);
  const marketData = new MarketData();
  const orders = new OrderManager(sessionId);
  const activity = new ActivityLog(sessionId);
  let engine: EngineHealth = { runState: 'running', startedTsMs, lastHeartbeatTsMs: startedTsMs, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version };
  let venues: readonly VenueStatus[] = [];
  let killSwitch: KillSwitchView = { state: 'armed', ordersLeft: 0 };
  const venueDownSince = new Map<string, number>();
  const limitActions = new Map<string, LimitAction>();
  const dirtyWhole = new Set<WholeTopic>();
  const dirtyQuotes = new Set<string>();
  const dirtyInstruments = new Set<string>();
  const removedInstruments = new Set<string>();
  const dirtyIndices = new Set<string>();
  /** Instruments with new public trades since the last publication (for the watched books). */
  const dirtyTrades = new Set<string>();
  let lastRiskRefreshMs = -Infinity;
  let lastRiskPublishMs = -Infinity;
  let lastHistoryMs = -Infinity;
  const books = new BookWatch(marketData);

  const record = (entry: JournalRecord): void => journal?.append(entry);
  const venueConnected = (venueId: string): boolean => venues.find((v) => v.venueId === venueId)?.state === 'connected';

  /** The trading mode the pre-trade checks apply for an instrument's underlying. */
  function tradingMode(instrumentName: string): TradingMode {
    if (killSwitch.state === 'triggered') return 'halted';
    const currency = marketData.instrument(instrumentName)?.currency;
    const mode = currency === undefined ? undefined : strategies.mode(currency);
    const limitMode = tradingModeFor(currency === undefined ? undefined : limitActions.get(currency), false);
    // A strategy the trader set REDUCING restricts its own quotes, not the trader's hand.
    return limitMode === 'reduce-only' || mode === 'HALTED' ? limitMode : 'normal';
  }

  const gateway: OrderGateway = new OrderGateway({
    marketData,
    orders,
    venue: (venueId) => venues.find((v) => v.venueId === venueId),
    halted: () => killSwitch.state === 'triggered',
    preTrade: (intent: OrderIntent, replacing) => risk.check(intent, replacing, tradingMode(intent.instrumentName), clock.nowMs()),
    sent: (instrumentName, kind) => risk.recordSent(instrumentName, kind, clock.nowMs()),
  });
  const risk: RiskDesk = new RiskDesk({ marketData, orders, theoPrice: (name) => strategies.theoPrice(name) });
  const strategies: StrategyDesk = new StrategyDesk(
    {
      marketData,
      orders,
      gateway,
      portfolio: risk,
      collar: (currency) => limitsFor(risk.config, currency)?.preTrade.optionCollar ?? { maxTicksFromReference: 4, maxFractionFromReference: 0.1 },
      venueConnected,
      mmp: (currency) => mmp.covers(currency),
      strategyBudget: (currency, nowMs) => risk.strategyBudget(currency, nowMs),
      quoteGroup: (currency) => mmp.quoteGroup(currency),
    },
    sessionId,
    restored && restored.records > 0 ? 'PAUSED' : quoteOnStart ? 'ACTIVE' : 'PAUSED',
  );
  const executions = new ExecutionDesk(
    {
      marketData,
      orders,
      gateway,
      positions: () => risk.book.positions().map((p) => ({ instrumentName: p.instrumentName, size: p.size })),
      recentFills: () => risk.recentFills(),
    },
    sessionId,
  );
  const hedges = new HedgeDesk({ marketData, risk, strategies, executions, activity, modeChanged: (currency, mode, reason, tsMs) => setMode(currency, mode, reason, tsMs) });
  const mmp = new MmpDesk({
    marketData,
    strategies,
    activity,
    limits: () => risk.config,
    venueConnected,
    modeChanged: (currency, mode, reason, tsMs) => setMode(currency, mode, reason, tsMs),
    massQuotes: (venueId) => massQuotes && venues.find((v) => v.venueId === venueId)?.massQuote === true,
  });
  risk.setConfig(limits ?? DEFAULT_LIMITS);

  function setMode(currency: string, mode: StrategyMode, reason: string, tsMs: number): void {
    record({ type: 'mode', tsMs, currency, mode, reason });
    activity.add(tsMs, 'strategy', mode === 'ACTIVE' ? 'info' : 'warn', `${currency} strategy ${mode}: ${reason}`);
  }

  /** Pulls everything everywhere and latches HALTED until the trader acknowledges. */
  function triggerKill(reason: string, source: NonNullable<KillSwitchView['source']>, tsMs: number): VenueRequest[] {
    if (killSwitch.state === 'triggered') return [{ type: 'CancelAll' }];
    killSwitch = { state: 'triggered', reason, source, tsMs, ordersLeft: orders.live().length };
    dirtyWhole.add('killSwitch');
    record({ type: 'kill', tsMs, reason, source });
    activity.add(tsMs, 'kill', 'error', `KILL SWITCH (${source}): ${reason}`);
    for (const currency of strategies.currencies()) {
      const result = strategies.changeMode(currency, { kind: 'kill' }, `kill switch: ${reason}`, tsMs);
      if (result.ok && result.changed) setMode(currency, 'HALTED', `kill switch: ${reason}`, tsMs);
    }
    const requests: VenueRequest[] = [...executions.cancelAll('kill switch', tsMs)];
    for (const order of orders.live()) {
      if (!order.venueOrderId || order.state === 'pending-cancel') continue;
      const request = gateway.cancel(order, tsMs);
      if (!isRefusal(request)) requests.push(request);
    }
    // And the venue's own cancel-all: it also gets orders we do not know about.
    requests.push({ type: 'CancelAll' });
    return requests;
  }

  function applyLimitActions(actions: ReadonlyMap<string, LimitAction>, tsMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    limitActions.clear();
    for (const [currency, action] of actions) {
      limitActions.set(currency, action);
      if (action === 'warn') continue;
      if (action === 'kill') {
        requests.push(...triggerKill(`${currency} limit breached with action kill`, 'limit', tsMs));
        continue;
      }
      const result = strategies.changeMode(currency, { kind: 'limit', action }, `limit breached: action ${action}`, tsMs);
      if (result.ok && result.changed) setMode(currency, result.mode, `limit breached: action ${action}`, tsMs);
    }
    return requests;
  }

  function restore(state: RestoredState, tsMs: number): void {
    if (state.limitsConfig !== undefined && limits === undefined) {
      const parsed = parseLimitsConfig(state.limitsConfig);
      if (parsed.ok) risk.setConfig(parsed.config);
      else activity.add(tsMs, 'journal', 'error', `journaled limits not restored: ${parsed.error}`);
    }
    for (const fill of state.fills) risk.onFill(fill, originOfLabel(fill.label) ?? 'unknown');
    for (const row of state.overrides) {
      const parsed = QuoteOverrideSchema.safeParse(overrideFromRow(row));
      if (parsed.success) strategies.addOverride(parsed.data);
      else activity.add(tsMs, 'journal', 'error', `journaled override ${row.id} not restored: ${parsed.error.message}`);
    }
    for (const [currency, params] of state.params) {
      const parsed = parseQuotingParams(params);
      if (parsed.ok) strategies.setParams(currency, parsed.params, tsMs);
      else activity.add(tsMs, 'journal', 'error', `journaled ${currency} parameters not restored: ${parsed.error}`);
    }
    for (const [currency, { mode, reason }] of state.modes) strategies.restoreMode(currency, mode, reason, tsMs);
    for (const [currency, config] of state.autoHedge) {
      const parsed = AutoHedgeSettingsSchema.safeParse(config);
      if (parsed.success) {
        const { instrumentName, ...settings } = parsed.data;
        strategies.setAutoHedge(currency, { ...settings, ...(instrumentName !== undefined && { instrumentName }) }, tsMs);
      } else activity.add(tsMs, 'journal', 'error', `journaled ${currency} auto-hedge not restored: ${parsed.error.message}`);
    }
    if (state.kill) {
      killSwitch = { state: 'triggered', reason: state.kill.reason, source: state.kill.source, tsMs: state.kill.tsMs, ordersLeft: 0 };
      dirtyWhole.add('killSwitch');
    }
    activity.add(tsMs, 'journal', 'info', `restored from the journal: ${state.records} records, ${state.fills.length} fills, ${state.overrides.length} overrides; strategies wait for reconciliation with the venue`);
  }

  /** The position rows at the latest marks and the chain's theo rows: for a screen, whether it takes deltas or a snapshot. */
  function publishForScreen(nowMs: number): void {
    risk.publishPositions();
    strategies.publishTheos(nowMs);
  }

  function onFill(fill: Fill, tsMs: number): void {
    // Write-ahead: the fill is on disk before anything acts on it.
    record({ type: 'fill', tsMs, fill });
    const origin = originOfLabel(fill.label) ?? 'unknown';
    if (!risk.onFill(fill, origin)) return;
    activity.add(fill.tsMs, 'fill', 'info', `${origin} fill: ${fill.side} ${fill.amount} ${fill.instrumentName} at ${fill.price} (${fill.liquidity})`);
    const currency = marketData.instrument(fill.instrumentName)?.currency;
    if (currency) strategies.inventoryChanged(currency);
  }

  for (const notice of notices) activity.add(startedTsMs, 'journal', 'error', notice);
  if (restored) restore(restored, startedTsMs);
  record({ type: 'session', tsMs: startedTsMs, sessionId, version });

  const kernel: Engine = {
    handle(command) {
      const tsMs = clock.nowMs();
      const reject = (reason: string): CommandOutcome => ({ events: [{ type: 'CommandRejected', commandId: command.commandId, reason, tsMs }], requests: [] });
      const accept = (requests: readonly VenueRequest[] = []): CommandOutcome => {
        record({ type: 'command', tsMs, command });
        return { events: [{ type: 'CommandAccepted', commandId: command.commandId, commandType: command.type, tsMs }], requests };
      };
      switch (command.type) {
        case 'Ping':
          return { events: [{ type: 'PingAnswered', commandId: command.commandId, clientTsMs: command.clientTsMs, engineTsMs: tsMs }], requests: [] };
        case 'RestartEngine':
          return reject('RestartEngine is handled by the engine host');
        case 'PlaceOrder': {
          const placed = gateway.place({ ...command, origin: 'manual' }, tsMs);
          return placed.ok ? accept([placed.request]) : reject(`${placed.check}: ${placed.reason}`);
        }
        case 'CheckOrder': {
          const checked = gateway.check({ ...command, origin: 'manual' });
          return { events: [{ type: 'OrderChecked', commandId: command.commandId, ok: checked.ok, ...(!checked.ok && { check: checked.check, reason: checked.reason }) }], requests: [] };
        }
        case 'ReplaceOrder': {
          const order = orders.get(command.clientOrderId);
          if (!order) return reject(`no order ${command.clientOrderId}`);
          const request = gateway.replace(order, command.price, command.amount, tsMs);
          return isRefusal(request) ? reject(`${request.check}: ${request.reason}`) : accept([request]);
        }
        case 'CancelOrder': {
          const order = orders.get(command.clientOrderId);
          if (!order) return reject(`no order ${command.clientOrderId}`);
          const request = gateway.cancel(order, tsMs);
          return isRefusal(request) ? reject(request.reason) : accept([request]);
        }
        case 'CancelAllOrders': {
          const requests: VenueRequest[] = [];
          for (const order of orders.live(command.instrumentName)) {
            if (command.currency !== undefined && marketData.instrument(order.instrumentName)?.currency !== command.currency) continue;
            const request = gateway.cancel(order, tsMs);
            if (!isRefusal(request)) requests.push(request);
          }
          // Also at the venue as a whole: it cancels orders we may not know about (placed by hand).
          requests.push(command.instrumentName ? { type: 'CancelAll', instrumentName: command.instrumentName } : command.currency ? { type: 'CancelAll', currency: command.currency } : { type: 'CancelAll' });
          return accept(requests);
        }
        case 'SetStrategyMode': {
          const reason = command.reason ?? `set ${command.mode} by the trader`;
          const result = strategies.changeMode(command.currency, { kind: 'trader', mode: command.mode }, reason, tsMs);
          if (!result.ok) return reject(result.reason);
          if (result.changed) setMode(command.currency, result.mode, reason, tsMs);
          // Pausing acts now, not on the next tick; resuming after an MMP trigger resets it at the venue.
          if (result.mode === 'PAUSED') return accept(strategies.pullQuotes(command.currency, tsMs));
          return accept(mmp.resetIfFrozen(command.currency));
        }
        case 'SetQuotingParams': {
          const current = strategies.params(command.currency);
          if (!current) return reject(`no ${command.currency} strategy`);
          const result = parseQuotingParamsPatch(current, command.patch);
          if (!result.ok) return reject(`invalid parameters: ${result.error}`);
          strategies.setParams(command.currency, result.params, tsMs);
          record({ type: 'params', tsMs, currency: command.currency, params: result.params as unknown as Record<string, number | boolean | string> });
          activity.add(tsMs, 'strategy', 'info', `${command.currency} parameters changed: ${Object.keys(command.patch).join(', ')}`);
          return accept();
        }
        case 'SetOverride': {
          const { type: _type, commandId: _id, by, reason, ...effect } = command;
          const result = acceptQuoteOverride({ ...effect, provenance: { by, reason } }, strategies.nextOverrideId(), tsMs);
          if (!result.ok) return reject(`invalid override: ${result.error}`);
          strategies.addOverride(result.override);
          const row = strategies.overrideRows.get(result.override.id)!;
          record({ type: 'override-set', tsMs, override: row });
          activity.add(tsMs, 'override', 'info', `override ${row.id} on ${JSON.stringify(row.scope)} by ${row.by}: ${row.reason}`);
          return accept();
        }
        case 'ClearOverride': {
          if (!strategies.removeOverride(command.overrideId)) return reject(`no override ${command.overrideId}`);
          record({ type: 'override-cleared', tsMs, overrideId: command.overrideId, why: 'cleared by the trader' });
          activity.add(tsMs, 'override', 'info', `override ${command.overrideId} cleared`);
          return accept();
        }
        case 'SetLimit': {
          const { type: _type, commandId: _id, ...edit } = command;
          const edited = applyLimitEdit(risk.config, risk.statuses(), edit);
          if (!edited.ok) return reject(edited.error);
          const result = edited.config;
          risk.setConfig(result);
          mmp.invalidate();
          record({ type: 'limits', tsMs, config: result });
          activity.add(tsMs, 'limit', 'info', `limit ${command.limitId} changed${command.limit !== undefined ? ` to ${command.limit}` : ''}${command.action ? `, action ${command.action}` : ''}`);
          lastRiskRefreshMs = -Infinity;
          return accept();
        }
        case 'KillSwitch':
          return accept(triggerKill(command.reason, 'trader', tsMs));
        case 'AcknowledgeHalt': {
          if (killSwitch.state !== 'triggered') return reject('the kill switch is not latched');
          killSwitch = { state: 'armed', ordersLeft: 0 };
          dirtyWhole.add('killSwitch');
          record({ type: 'halt-acknowledged', tsMs });
          activity.add(tsMs, 'kill', 'warn', 'halt acknowledged by the trader: strategies are PAUSED; resume each one to quote');
          for (const currency of strategies.currencies()) {
            const result = strategies.changeMode(currency, { kind: 'halt-acknowledged' }, 'halt acknowledged: resume to quote', tsMs);
            if (result.ok && result.changed) setMode(currency, result.mode, 'halt acknowledged', tsMs);
          }
          return accept();
        }
        case 'HedgeDelta': {
          const outcome = hedges.hedge(command, tsMs);
          if (command.execute && outcome.events[0]?.type === 'CommandAccepted') record({ type: 'command', tsMs, command });
          return outcome;
        }
        case 'SetAutoHedge': {
          const settings = { enabled: command.enabled, targetCoin: command.targetCoin, bandCoin: command.bandCoin, minIntervalMs: command.minIntervalMs, ...(command.instrumentName && { instrumentName: command.instrumentName }) };
          strategies.ensure(command.currency, tsMs);
          strategies.setAutoHedge(command.currency, settings, tsMs);
          record({ type: 'auto-hedge', tsMs, currency: command.currency, config: settings });
          activity.add(tsMs, 'hedge', 'info', `${command.currency} auto-hedge ${command.enabled ? `on: target ${command.targetCoin}, band ±${command.bandCoin}` : 'off'}`);
          return accept();
        }
        case 'Flatten': {
          record({ type: 'command', tsMs, command });
          const outcome = hedges.flatten(command, tsMs);
          return outcome;
        }
        case 'WatchBook': {
          if (!marketData.instrument(command.instrumentName)) return reject(`unknown instrument ${command.instrumentName}`);
          books.watch(command.instrumentName);
          return { events: [{ type: 'CommandAccepted', commandId: command.commandId, commandType: command.type, tsMs }], requests: [] };
        }
        case 'CancelExecution': {
          const requests = executions.cancel(command.executionId, 'cancelled by the trader', tsMs);
          return requests ? accept(requests) : reject(`no execution ${command.executionId} in progress`);
        }
      }
    },
    onVenueEvent(event) {
      const tsMs = clock.nowMs();
      switch (event.type) {
        case 'TickerUpdated': {
          // Most of the traffic: one per instrument per 100 ms. Nothing allocated on the way to the requote.
          const name = event.ticker.instrumentName;
          if (!marketData.applyTicker(event.ticker)) return NO_REQUESTS;
          dirtyQuotes.add(name);
          return killSwitch.state === 'armed' ? strategies.requoteOne(name, tsMs) : NO_REQUESTS;
        }
        case 'OrderReported':
        case 'OrderRequestFailed':
        case 'OrderRequestLost':
        case 'OrdersReconciled':
          return gateway.onOrderEvent(event, tsMs);
        case 'FillReported':
          onFill(event.fill, tsMs);
          return [];
        case 'PositionsReconciled': {
          const discrepancies = risk.reconcile(event.venueId, event.positions);
          for (const d of discrepancies) activity.add(tsMs, 'risk', 'warn', `position ${d.instrumentName} ${d.field}: ours ${d.ours}, venue ${d.venue}; the venue's adopted`);
          activity.add(tsMs, 'venue', 'info', `${event.venueId}: ${event.positions.length} position(s) reconciled${discrepancies.length > 0 ? `, ${discrepancies.length} discrepancies` : ', all matching'}`);
          return [];
        }
        case 'AccountUpdated':
          return [];
        case 'VenueWarning':
          activity.add(tsMs, 'venue', 'warn', `${event.venueId} (${event.source}): ${event.reason}`);
          return [];
        case 'MmpConfigured':
        case 'MmpTriggered':
        case 'MmpReset':
        case 'MmpRequestFailed':
          return mmp.onEvent(event, tsMs);
        case 'StatusChanged': {
          const previous = venues.find((venue) => venue.venueId === event.status.venueId);
          venues = [...venues.filter((venue) => venue.venueId !== event.status.venueId), event.status];
          dirtyWhole.add('venues');
          if (previous?.state !== event.status.state) {
            activity.add(tsMs, 'venue', event.status.state === 'connected' ? 'info' : 'warn', `${event.status.displayName} ${event.status.state}${event.status.detail ? `: ${event.status.detail}` : ''}`);
            if (event.status.state === 'connected') venueDownSince.delete(event.status.venueId);
            else if (previous?.state === 'connected') venueDownSince.set(event.status.venueId, tsMs);
          }
          return [];
        }
        default:
          break;
      }
      const changes = marketData.apply(event);
      for (const name of changes.quotes) dirtyQuotes.add(name);
      for (const name of changes.instruments) {
        dirtyInstruments.add(name);
        const instrument = marketData.instrument(name);
        if (instrument?.kind === 'option') strategies.ensure(instrument.currency, tsMs);
      }
      for (const name of changes.removedInstruments) {
        removedInstruments.add(name);
        dirtyInstruments.delete(name);
        dirtyQuotes.delete(name);
      }
      for (const name of changes.indices) dirtyIndices.add(name);
      for (const name of changes.trades ?? []) dirtyTrades.add(name);
      const requests: VenueRequest[] = changes.resnapshot.map((instrumentName) => ({ type: 'Resnapshot', venueId: marketData.instrument(instrumentName)?.venueId ?? '', instrumentName }));
      // A quoted option whose market moved is requoted now, not at the next tick.
      if (killSwitch.state === 'armed' && (event.type === 'BookChanged' || event.type === 'BookSnapshot')) {
        for (const name of changes.quotes) requests.push(...strategies.requoteOne(name, tsMs));
      }
      return requests;
    },
    tick() {
      const nowMs = clock.nowMs();
      const requests: VenueRequest[] = [];
      for (const id of strategies.expireOverrides(nowMs)) {
        record({ type: 'override-cleared', tsMs: nowMs, overrideId: id, why: 'expired' });
        activity.add(nowMs, 'override', 'info', `override ${id} expired`);
      }
      if (nowMs - lastRiskRefreshMs >= RISK_REFRESH_MS) {
        lastRiskRefreshMs = nowMs;
        const { transitions, actions } = risk.refresh(nowMs);
        for (const t of transitions) {
          const row = risk.limits.get(t.limitId);
          if (row) record({ type: t.kind === 'breached' ? 'limit-breached' : 'limit-reset', tsMs: nowMs, limit: row });
          activity.add(nowMs, 'limit', t.kind === 'breached' ? (t.action === 'warn' ? 'warn' : 'error') : 'info', t.message);
        }
        requests.push(...applyLimitActions(actions, nowMs));
      }
      for (const [venueId, sinceMs] of venueDownSince) {
        const atStake = orders.live().length > 0 || risk.book.held().length > 0;
        if (atStake && nowMs - sinceMs >= venueDownKillMs && killSwitch.state === 'armed') {
          requests.push(...triggerKill(`${venueId} disconnected for ${Math.round((nowMs - sinceMs) / 1000)} s`, 'venue-disconnect', nowMs));
        }
      }
      requests.push(...mmp.tick(nowMs));
      strategies.refitNext(nowMs);
      if (killSwitch.state === 'armed') requests.push(...strategies.requote(nowMs));
      requests.push(...executions.tick(nowMs));
      if (killSwitch.state === 'armed') requests.push(...hedges.autoHedge(nowMs));
      if (nowMs - lastHistoryMs >= HISTORY_SAMPLE_MS) {
        lastHistoryMs = nowMs;
        risk.sampleHistory(nowMs);
      }
      if (killSwitch.state === 'triggered') {
        const left = orders.live().length;
        if (left !== killSwitch.ordersLeft) {
          killSwitch = { ...killSwitch, ordersLeft: left };
          dirtyWhole.add('killSwitch');
          if (left === 0) activity.add(nowMs, 'kill', 'warn', `kill switch: every order cancelled ${killSwitch.tsMs !== undefined ? `${nowMs - killSwitch.tsMs} ms after the trigger` : ''}`);
        }
      }
      return requests;
    },
    heartbeat() {
      const nowMs = clock.nowMs();
      engine = { ...engine, lastHeartbeatTsMs: nowMs, heartbeatSeq: engine.heartbeatSeq + 1, msgsPerSec: published.perSecond(nowMs) };
      dirtyWhole.add('engine');
    },
    recordPublished(count) {
      published.record(clock.nowMs(), count);
    },
    takeChanges(scope = 'all') {
      const orderChanges = orders.takeChanges();
      const nowMs = clock.nowMs();
      for (const order of orderChanges.changed) {
        record({ type: 'order', tsMs: nowMs, order: publicOrder(order) });
        if (order.origin === 'strategy' && (order.state === 'filled' || order.state === 'cancelled' || order.state === 'rejected')) strategies.forget(order.clientOrderId);
      }
      const withMarket = scope === 'all';
      if (withMarket) books.refresh(dirtyTrades.size === 0 ? dirtyQuotes : new Set([...dirtyQuotes, ...dirtyTrades]));
      // The positions' rows at the latest marks, the chain's theo rows, and the risk panel's rows
      // and scenario grids are presentation (no decision reads them): built for a screen, and not
      // at all in a headless replay.
      if (withMarket) publishForScreen(nowMs);
      if (withMarket && nowMs - lastRiskPublishMs >= RISK_PUBLISH_MS) {
        lastRiskPublishMs = nowMs;
        risk.publishRisk(nowMs);
      }
      const removed = withMarket ? [...removedInstruments] : [];
      const changes: Record<string, unknown> = {
        ...(dirtyWhole.has('engine') && { engine }),
        ...(dirtyWhole.has('venues') && { venues }),
        ...(dirtyWhole.has('killSwitch') && { killSwitch }),
      };
      if (withMarket) {
        if (dirtyInstruments.size > 0 || removed.length > 0) changes.instruments = { upsert: pick(dirtyInstruments, (key) => marketData.instrument(key)), remove: removed };
        if (dirtyQuotes.size > 0 || removed.length > 0) changes.quotes = { upsert: pick(dirtyQuotes, (key) => marketData.quote(key)), remove: removed };
        if (dirtyIndices.size > 0) changes.indices = { upsert: pick(dirtyIndices, (key) => marketData.index(key)) };
      }
      if (orderChanges.changed.length > 0 || orderChanges.removed.length > 0) {
        changes.orders = { upsert: Object.fromEntries(orderChanges.changed.map((order) => [order.clientOrderId, publicOrder(order)])), remove: orderChanges.removed };
      }
      const keyed = {
        positions: risk.positionsTopic,
        fills: risk.fills,
        limits: risk.limits,
        risk: risk.risk,
        history: risk.history,
        strategies: strategies.strategies,
        theos: strategies.theos,
        overrides: strategies.overrideRows,
        executions: executions.executions,
        activity: activity.topic,
        smiles: strategies.smiles,
        ...(withMarket && { books: books.topic }),
      };
      for (const [topic, source] of Object.entries(keyed)) {
        const taken = source.take();
        if (taken) changes[topic] = taken;
      }
      dirtyWhole.clear();
      // What changed in the market stays marked until a taker of the market topics takes it (a
      // headless 'trading' taker leaves it: nothing lost, and no set refilled on every tick).
      if (withMarket) {
        dirtyTrades.clear();
        dirtyQuotes.clear();
        dirtyInstruments.clear();
        removedInstruments.clear();
        dirtyIndices.clear();
      }
      return Object.keys(changes).length > 0 ? (changes as TopicChanges) : undefined;
    },
    health: () => engine,
    quote: (instrumentName) => marketData.quote(instrumentName),
    instrument: (instrumentName) => marketData.instrument(instrumentName),
    order: (clientOrderId) => {
      const order = orders.get(clientOrderId);
      return order && publicOrder(order);
    },
    venue: (venueId) => venues.find((venue) => venue.venueId === venueId),
    snapshot() {
      publishForScreen(clock.nowMs());
      const instruments = Object.fromEntries(marketData.instrumentsMap());
      const quotes: Record<string, QuoteRow> = {};
      for (const name of Object.keys(instruments)) {
        const quote = marketData.quote(name);
        if (quote) quotes[name] = quote;
      }
      return {
        ...EMPTY_STATE_TOPICS,
        engine,
        venues,
        killSwitch,
        instruments,
        quotes,
        indices: Object.fromEntries(marketData.indicesMap()) as Record<string, IndexRow>,
        orders: Object.fromEntries([...orders.all()].map((order) => [order.clientOrderId, publicOrder(order)])),
        positions: risk.positionsTopic.record(),
        fills: risk.fills.record(),
        limits: risk.limits.record(),
        risk: risk.risk.record(),
        history: risk.history.record(),
        strategies: strategies.strategies.record(),
        theos: strategies.theos.record(),
        overrides: strategies.overrideRows.record(),
        executions: executions.executions.record(),
        activity: activity.topic.record(),
        books: books.topic.record(),
        smiles: strategies.smiles.record(),
      };
    },
  };
  return kernel;
}

function pick<T>(keys: Iterable<string>, get: (key: string) => T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of keys) {
    const value = get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** An order as published: the OMS's internal pending-replace detail stays inside. */
function publicOrder(order: OrderRow & { readonly pendingReplace?: unknown }): OrderRow {
  if (order.pendingReplace === undefined) return order;
  const { pendingReplace: _internal, ...row } = order;
  return row;
}
