import type { MarketData } from '../marketdata/market-data.ts';
import type { Fill, VenuePosition } from '../model/trading.ts';
import type { OrderManager } from '../oms/order-manager.ts';
import type { Order } from '../oms/order-state.ts';
import type { HeldPosition, Position, PositionDiscrepancy } from '../oms/positions.ts';
import { PositionBook } from '../oms/positions.ts';
import { yearsBetween } from '../pricing/index.ts';
import type { FillRow, GreeksRow, HistoryRow, InstrumentRow, LimitRow, PositionRow, RiskRow, ScenarioGrid } from '../protocol/index.ts';
import type { LimitsConfig, LimitStatus, LimitTransition, PricingInput, RateWindow, RiskGreeks, RiskMetrics, RiskPosition, ScenarioGrid as ScenarioGridResult, TradingMode, UnderlyingActivity } from '../risk/index.ts';
import {
  aggregateGreeks,
  buildRiskMetrics,
  checkOrder,
  DEFAULT_LIMITS,
  countInWindow,
  emptyRateWindow,
  evaluateLimits,
  gammaCoinPerPct,
  limitsFor,
  limitTransitions,
  positionGreeks,
  recordEvent,
  scenarioGrid,
  strongestAction,
  workingOrdersFrom,
  workingQuotesWorstCase,
  ZERO_RISK_GREEKS,
} from '../risk/index.ts';
import { BoundedTopic, KeyedTopic } from './keyed-topic.ts';
import type { CheckResult, OrderIntent } from './order-gateway.ts';
import type { PortfolioView } from './strategy-desk.ts';

/**
 * Positions, PnL, Greeks, limits and scenarios inside the kernel. Fills come in (deduplicated by
 * trade id), the venue's positions reconcile them, and on every risk tick the portfolio is
 * repriced at the venue's marks and IVs, aggregated by underlying and expiry, and judged against
 * the limits; what breached or reset goes back to the kernel, which acts on it. Every order's
 * pre-trade check runs here against the latest figures.
 */

export interface RiskDeskDeps {
  readonly marketData: MarketData;
  readonly orders: OrderManager;
  /** The strategy's theo of an option (a collar reference). */
  theoPrice(instrumentName: string): number | undefined;
}

const FILLS_KEPT = 500;
const HISTORY_KEPT = 3_600;
const DAY_MS = 86_400_000;
/** The share of the order and message rate limits strategies may use: below the 80 % warning, so a warning means someone else is sending too. */
const STRATEGY_RATE_SHARE = 0.7;

function greeksRow(g: RiskGreeks, indexUsd: number): GreeksRow {
  const index = indexUsd > 0 ? indexUsd : Number.NaN;
  return {
    deltaCoin: g.deltaCoin,
    deltaUsd: g.deltaCoin * index,
    gammaCoinPerUsd: g.gammaCoinPerUsd,
    gammaCoinPer1Pct: gammaCoinPerPct(g.gammaCoinPerUsd, index),
    vegaUsdPerVolPt: g.vegaUsdPerVolPt,
    vegaCoinPerVolPt: g.vegaUsdPerVolPt / index,
    thetaUsdPerDay: g.thetaUsdPerDay,
    thetaCoinPerDay: g.thetaUsdPerDay / index,
    vannaCoinPerVolPt: g.vannaCoinPerVolPt,
    volgaUsdPerVolPt: g.volgaUsdPerVolPt,
  };
}

function scenarioRow(grid: ScenarioGridResult | undefined, includesWorkingQuotes: boolean): ScenarioGrid {
  return grid
    ? { spotShocksPct: grid.spotShocks.map((s) => s * 100), volShocksPts: grid.volShocksPts, pnlUsd: grid.pnlUsd, includesWorkingQuotes }
    : { spotShocksPct: [], volShocksPts: [], pnlUsd: [], includesWorkingQuotes };
}

/** Deribit's expiry label (25DEC26) for the risk buckets. */
function expiryLabel(expiryMs: number): string {
  const d = new Date(expiryMs);
  const month = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][d.getUTCMonth()]!;
  return `${d.getUTCDate()}${month}${String(d.getUTCFullYear()).slice(2)}`;
}

interface DayPnl {
  dayStartMs: number;
  baselineUsd: number;
  peakUsd: number;
}

export class RiskDesk implements PortfolioView {
  readonly positionsTopic = new KeyedTopic<PositionRow>();
  readonly fills = new BoundedTopic<FillRow>(FILLS_KEPT);
  readonly limits = new KeyedTopic<LimitRow>();
  readonly risk = new KeyedTopic<RiskRow>();
  readonly history = new BoundedTopic<HistoryRow>(HISTORY_KEPT);
  readonly book = new PositionBook();
  #config: LimitsConfig = DEFAULT_LIMITS;
  #statuses: LimitStatus[] = [];
  #metrics: RiskMetrics = {};
  #greeks = new Map<string, RiskGreeks>();
  /** Portfolio vega per underlying and expiry (the quoter reads it on every frame: no composite keys). */
  #bucketVega = new Map<string, Map<number, number>>();
  /** Position size per instrument, rebuilt after the book changes size (fills, reconciliation). */
  #sizes: Map<string, number> | undefined;
  readonly #pricing = new Map<string, PricingInput>();
  /** #riskPositions' answer and what it was built from. */
  #repriced: { readonly held: readonly HeldPosition[]; readonly instruments: readonly (InstrumentRow | undefined)[]; readonly positions: readonly RiskPosition[] } = { held: [], instruments: [], positions: [] };
  readonly #orderWindows = new Map<string, RateWindow>();
  readonly #messageWindows = new Map<string, RateWindow>();
  readonly #discrepancies = new Map<string, string>();
  readonly #days = new Map<string, DayPnl>();
  #unpriced: readonly string[] = [];
  readonly #recentFills: Fill[] = [];
  /** The refresh moved the marks since the position rows were last published. */
  #marksMoved = false;

  readonly #markOf = (instrumentName: string): number | undefined => this.deps.marketData.ticker(instrumentName)?.markPrice;

  constructor(private readonly deps: RiskDeskDeps) {}

  get config(): LimitsConfig {
    return this.#config;
  }

  setConfig(config: LimitsConfig): void {
    this.#config = config;
  }

  statuses(): readonly LimitStatus[] {
    return this.#statuses;
  }

  unpriced(): readonly string[] {
    return this.#unpriced;
  }

  // PortfolioView, for the strategies' skew.
  deltaCoin(currency: string): number {
    return this.#greeks.get(currency)?.deltaCoin ?? 0;
  }

  vegaUsdPerVolPt(currency: string): number {
    return this.#greeks.get(currency)?.vegaUsdPerVolPt ?? 0;
  }

  bucketVegaUsdPerVolPt(currency: string, expiryMs: number): number {
    return this.#bucketVega.get(currency)?.get(expiryMs) ?? 0;
  }

  positionCoin(instrumentName: string): number {
    if (!this.#sizes) {
      this.#sizes = new Map();
      for (const position of this.book.held()) this.#sizes.set(position.instrumentName, (this.#sizes.get(position.instrumentName) ?? 0) + position.size);
    }
    return this.#sizes.get(instrumentName) ?? 0;
  }

  /** Folds one fill in; false when it was already counted. */
  onFill(fill: Fill, origin: FillRow['origin']): boolean {
    const outcome = this.book.applyFill(fill);
    if (!outcome.applied) return false;
    this.#sizes = undefined;
    this.#recentFills.push(fill);
    if (this.#recentFills.length > FILLS_KEPT) this.#recentFills.shift();
    const theo = this.deps.theoPrice(fill.instrumentName);
    this.fills.append(`${fill.venueId}:${fill.tradeId}`, {
      tradeId: fill.tradeId,
      venueId: fill.venueId,
      clientOrderId: fill.label,
      instrumentName: fill.instrumentName,
      side: fill.side,
      amount: fill.amount,
      price: fill.price,
      feeCoin: fill.feeCoin,
      liquidity: fill.liquidity,
      origin,
      ...(theo !== undefined && { theoPrice: theo }),
      tsMs: fill.tsMs,
    });
    this.#publishPosition(this.book.position(fill.venueId, fill.instrumentName));
    return true;
  }

  /** The venue's positions after a (re)connect: its sizes are the truth; what differed is reported. */
  reconcile(venueId: string, positions: readonly VenuePosition[]): PositionDiscrepancy[] {
    const discrepancies = this.book.reconcile(venueId, positions);
    this.#sizes = undefined;
    for (const d of discrepancies) this.#discrepancies.set(d.instrumentName, `${d.field}: ours ${d.ours}, venue ${d.venue} (venue's adopted)`);
    for (const position of this.book.positions()) if (position.venueId === venueId) this.#publishPosition(position);
    return discrepancies;
  }

  /** The latest fills (a flatten's report reads its closing prices from them). */
  recentFills(): readonly Fill[] {
    return this.#recentFills;
  }

  /** Orders and messages sent, for the rate limits. */
  recordSent(instrumentName: string, kind: 'order' | 'message', nowMs: number): void {
    const currency = this.deps.marketData.instrument(instrumentName)?.currency;
    if (!currency) return;
    const windows = kind === 'order' ? this.#orderWindows : this.#messageWindows;
    windows.set(currency, recordEvent(windows.get(currency) ?? emptyRateWindow(1_000), nowMs));
    if (kind === 'order') this.#messageWindows.set(currency, recordEvent(this.#messageWindows.get(currency) ?? emptyRateWindow(1_000), nowMs));
  }

  /** The pre-trade checks of core/risk against the latest figures. */
  check(intent: OrderIntent, replacing: Order | undefined, mode: TradingMode, nowMs: number): CheckResult {
    const instrument = this.deps.marketData.instrument(intent.instrumentName);
    if (!instrument) return { ok: false, check: 'order', reason: `unknown instrument ${intent.instrumentName}` };
    if (intent.origin === 'strategy') {
      const reserve = this.#strategyRateProblem(instrument.currency, nowMs);
      if (reserve) return { ok: false, check: 'rate', reason: reserve };
    }
    const pricing = this.#pricingOf(instrument, nowMs);
    const mark = this.deps.marketData.ticker(intent.instrumentName)?.markPrice;
    const theo = instrument.kind === 'option' ? this.deps.theoPrice(intent.instrumentName) : undefined;
    const result = checkOrder(
      {
        instrumentName: intent.instrumentName,
        side: intent.side,
        price: intent.price,
        amount: intent.amount,
        origin: intent.origin,
        reduceOnly: intent.reduceOnly,
        collarFraction: intent.collarFraction,
        replacesClientOrderId: replacing?.clientOrderId,
      },
      {
        instrument,
        pricing,
        references: { theo, mark },
        metrics: this.#metrics,
        liveOrders: this.deps.orders.live(intent.instrumentName),
        config: this.#config,
        mode,
        orderWindow: this.#orderWindows.get(instrument.currency) ?? emptyRateWindow(1_000),
        messageWindow: this.#messageWindows.get(instrument.currency) ?? emptyRateWindow(1_000),
        nowMs,
      },
    );
    return result.ok ? result : { ok: false, check: result.limitId ? `limit:${result.limitId}` : result.check, reason: result.reason };
  }

  /**
   * Strategy orders may use only part of the order and message rates: the rest is kept for the
   * trader's hand and the hedger, which must never queue behind a requote.
   */
  #strategyRateProblem(currency: string, nowMs: number): string | undefined {
    const budget = this.strategyBudget(currency, nowMs);
    for (const key of ['ordersPerSec', 'messagesPerSec'] as const) {
      const left = key === 'ordersPerSec' ? budget.orders : budget.messages;
      if (left >= 1) continue;
      const limit = limitsFor(this.#config, currency)![key]!.limit;
      const share = Math.floor(limit * STRATEGY_RATE_SHARE);
      return `strategy ${key === 'ordersPerSec' ? 'order' : 'message'} budget: ${share - left} in the last second of ${share} (${STRATEGY_RATE_SHARE * 100} % of the ${limit}/s limit; the rest is kept for the trader and the hedger)`;
    }
    return undefined;
  }

  /**
   * What strategy orders of an underlying may still send within the current second: new orders,
   * and messages of any kind (an amend is a message, a new order is both). Infinity where no rate
   * limit stops anything (none configured, or one that only warns).
   */
  strategyBudget(currency: string, nowMs: number): { readonly orders: number; readonly messages: number } {
    // On every quoted frame: no closures.
    const limits = limitsFor(this.#config, currency);
    const orders = limits?.ordersPerSec;
    const messages = limits?.messagesPerSec;
    return {
      orders: !orders || orders.action === 'warn' ? Infinity : Math.floor(orders.limit * STRATEGY_RATE_SHARE) - this.#count(this.#orderWindows.get(currency), nowMs),
      messages: !messages || messages.action === 'warn' ? Infinity : Math.floor(messages.limit * STRATEGY_RATE_SHARE) - this.#count(this.#messageWindows.get(currency), nowMs),
    };
  }

  /**
   * Reprices the portfolio and judges the limits; returns the breaches and resets since the last
   * refresh and the strongest action now called for, per underlying.
   */
  refresh(nowMs: number): { readonly transitions: readonly LimitTransition[]; readonly actions: ReadonlyMap<string, LimitStatus['action']> } {
    const { marketData } = this.deps;
    for (const index of marketData.indicesMap().values()) this.book.setIndexPrice(index.currency, index.price);
    const pricing: Record<string, PricingInput> = {};
    this.book.setMarks(this.#markOf);
    const positions = this.#riskPositions();
    for (const { instrument } of positions) {
      const input = this.#pricingOf(instrument, nowMs);
      if (input) pricing[instrument.instrumentName] = input;
    }
    const indexUsd = this.#indexUsd();
    const portfolio = aggregateGreeks(positions, pricing, indexUsd);
    this.#unpriced = portfolio.unpriced;
    this.#greeks = new Map(portfolio.byUnderlying.map((u) => [u.currency, u.greeks]));
    this.#bucketVega = new Map(portfolio.byUnderlying.map((u) => [u.currency, new Map(u.byExpiry.map((b) => [b.expiryMs, b.greeks.vegaUsdPerVolPt] as const))] as const));
    const activity: Record<string, Partial<UnderlyingActivity>> = {};
    const totals = new Map(this.book.totals().map((t) => [t.currency, t]));
    const openOrders = this.#openOrdersByCurrency();
    for (const currency of new Set([...totals.keys(), ...openOrders.keys()])) {
      const total = totals.get(currency);
      const netUsd = total?.netPnlUsd ?? 0;
      const day = this.#day(currency, netUsd, nowMs);
      activity[currency] = {
        openOrders: openOrders.get(currency) ?? 0,
        ordersPerSec: this.#count(this.#orderWindows.get(currency), nowMs),
        messagesPerSec: this.#count(this.#messageWindows.get(currency), nowMs),
        dailyPnlUsd: netUsd - day.baselineUsd,
        dayPeakPnlUsd: day.peakUsd - day.baselineUsd,
      };
    }
    this.#metrics = buildRiskMetrics(portfolio, positions, activity, indexUsd);
    const statuses = evaluateLimits(this.#metrics, this.#config);
    const transitions = limitTransitions(this.#statuses, statuses);
    this.#publishLimits(statuses, this.#statuses);
    this.#statuses = statuses;
    const actions = new Map<string, LimitStatus['action']>();
    for (const currency of new Set(statuses.map((s) => s.currency))) {
      const action = strongestAction(statuses.filter((s) => s.currency === currency));
      if (action) actions.set(currency, action);
    }
    this.#marksMoved = true;
    return { transitions, actions };
  }

  /**
   * The position rows at the latest refresh's marks, for a screen (deltas, snapshots): presentation
   * that no decision reads, so a headless replay never builds it. Fills and reconciliation publish
   * their positions as they happen.
   */
  publishPositions(): void {
    if (!this.#marksMoved) return;
    this.#marksMoved = false;
    for (const position of this.book.positions()) this.#publishPosition(position);
  }

  /** Risk rows with scenario grids, for the risk panel (slower cadence than refresh). */
  publishRisk(nowMs: number): void {
    const { marketData } = this.deps;
    const positions: RiskPosition[] = [];
    const pricing: Record<string, PricingInput> = {};
    const instruments: Record<string, InstrumentRow> = {};
    const add = (instrument: InstrumentRow): void => {
      instruments[instrument.instrumentName] = instrument;
      const input = this.#pricingOf(instrument, nowMs);
      if (input) pricing[instrument.instrumentName] = input;
    };
    for (const position of this.book.positions()) {
      const instrument = marketData.instrument(position.instrumentName);
      if (!instrument || position.size === 0) continue;
      positions.push({ instrument, size: position.size });
      add(instrument);
    }
    const working = workingOrdersFrom(this.deps.orders.live());
    for (const order of working) {
      const instrument = marketData.instrument(order.instrumentName);
      if (instrument) add(instrument);
    }
    const indexUsd = this.#indexUsd();
    const portfolio = aggregateGreeks(positions, pricing, indexUsd);
    const worst = new Map(workingQuotesWorstCase(positions, working, instruments, pricing).byUnderlying.map((w) => [w.currency, w]));
    const grids = new Map(scenarioGrid(positions, pricing).grids.map((g) => [g.currency, g]));
    const withQuotes = new Map(scenarioGrid(positions, pricing, { working: { orders: working, instruments, sides: 'both' } }).grids.map((g) => [g.currency, g]));
    const totals = new Map(this.book.totals().map((t) => [t.currency, t]));
    const currencies = new Set([...portfolio.byUnderlying.map((u) => u.currency), ...worst.keys(), ...totals.keys()]);
    for (const currency of currencies) {
      const index = indexUsd[currency] ?? Number.NaN;
      const u = portfolio.byUnderlying.find((x) => x.currency === currency);
      const w = worst.get(currency);
      const grid = grids.get(currency);
      const total = totals.get(currency);
      const day = this.#days.get(currency);
      const totalCoin = total?.netPnlCoin ?? 0;
      this.risk.set(currency, {
        currency,
        indexPrice: index,
        greeks: greeksRow(u?.greeks ?? ZERO_RISK_GREEKS, index),
        buckets: (u?.byExpiry ?? []).map((b) => ({ expiryMs: b.expiryMs, label: b.isPerpetual ? 'perpetual' : expiryLabel(b.expiryMs), greeks: greeksRow(b.greeks, index) })),
        workingBidsFilled: greeksRow(w?.ifBidsFilled ?? u?.greeks ?? ZERO_RISK_GREEKS, index),
        workingAsksFilled: greeksRow(w?.ifAsksFilled ?? u?.greeks ?? ZERO_RISK_GREEKS, index),
        pnl: {
          realizedCoin: total?.realizedPnlCoin ?? 0,
          unrealizedCoin: total?.unrealizedPnlCoin ?? 0,
          feesCoin: total?.feesCoin ?? 0,
          totalCoin,
          totalUsd: total?.netPnlUsd ?? totalCoin * index,
          dayPeakUsd: day ? day.peakUsd - day.baselineUsd : 0,
        },
        scenarios: scenarioRow(grid, false),
        scenariosWithQuotes: scenarioRow(withQuotes.get(currency), true),
        tsMs: nowMs,
      });
    }
  }

  /** One chart sample per second. */
  sampleHistory(nowMs: number): void {
    const { marketData } = this.deps;
    const indexUsd = this.#indexUsd();
    const perpetualUsd: Record<string, number> = {};
    for (const instrument of marketData.instrumentsMap().values()) {
      if (!instrument.isPerpetual) continue;
      const mark = marketData.quote(instrument.instrumentName)?.markPrice;
      if (mark !== undefined && perpetualUsd[instrument.currency] === undefined) perpetualUsd[instrument.currency] = mark;
    }
    const pnlUsd: Record<string, { realized: number; unrealized: number; total: number }> = {};
    for (const total of this.book.totals()) {
      const index = total.indexPriceUsd ?? indexUsd[total.currency] ?? 0;
      pnlUsd[total.currency] = { realized: (total.realizedPnlCoin - total.feesCoin) * index, unrealized: total.unrealizedPnlCoin * index, total: total.netPnlUsd ?? total.netPnlCoin * index };
    }
    const deltaCoin: Record<string, number> = {};
    const vega: Record<string, number> = {};
    for (const [currency, greeks] of this.#greeks) {
      deltaCoin[currency] = greeks.deltaCoin;
      vega[currency] = greeks.vegaUsdPerVolPt;
    }
    const second = Math.floor(nowMs / 1000) * 1000;
    this.history.append(String(second), { tsMs: second, indexUsd, perpetualUsd, pnlUsd, deltaCoin, vegaUsdPerVolPt: vega });
  }

  /** Pricing of an instrument at the venue's marks: its IV and forward for an option, its mark for a future. */
  #pricingOf(instrument: InstrumentRow, nowMs: number): PricingInput | undefined {
    // The ticker's fields, not quote(): this runs for every position on each refresh and for every order's check.
    const ticker = this.deps.marketData.ticker(instrument.instrumentName);
    if (instrument.kind === 'future') {
      const quote = ticker?.markPrice === undefined ? this.deps.marketData.quote(instrument.instrumentName) : undefined;
      const mark = ticker?.markPrice ?? (quote?.bidPrice !== undefined && quote.askPrice !== undefined ? (quote.bidPrice + quote.askPrice) / 2 : undefined);
      return mark !== undefined && mark > 0 ? { forwardUsd: mark } : this.#pricing.get(instrument.instrumentName);
    }
    const forward = ticker?.underlyingPrice;
    const vol = ticker?.markIv;
    const expiryYears = yearsBetween(nowMs, instrument.expiryMs);
    if (forward === undefined || vol === undefined || !(vol > 0) || !(expiryYears > 0)) return this.#pricing.get(instrument.instrumentName);
    const input = { forwardUsd: forward, volAnnual: vol, expiryYears };
    this.#pricing.set(instrument.instrumentName, input);
    return input;
  }

  /**
   * The held positions of listed instruments, as the risk functions take them: the same array
   * while the book's held positions and their instruments are (the metrics built from it are
   * then reused too, see buildRiskMetrics and evaluateLimits).
   */
  #riskPositions(): readonly RiskPosition[] {
    const held = this.book.held();
    const { marketData } = this.deps;
    const cached = this.#repriced;
    if (cached.held === held && cached.instruments.every((instrument, i) => marketData.instrument(held[i]!.instrumentName) === instrument)) return cached.positions;
    const instruments = held.map((position) => marketData.instrument(position.instrumentName));
    const positions: RiskPosition[] = [];
    instruments.forEach((instrument, i) => {
      if (instrument) positions.push({ instrument, size: held[i]!.size });
    });
    this.#repriced = { held, instruments, positions };
    return positions;
  }

  #indexUsd(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const index of this.deps.marketData.indicesMap().values()) if (out[index.currency] === undefined || index.indexName.endsWith('_usd')) out[index.currency] = index.price;
    return out;
  }

  /** Live orders per underlying (only underlyings with some), in one pass. */
  #openOrdersByCurrency(): Map<string, number> {
    const out = new Map<string, number>();
    for (const order of this.deps.orders.live()) {
      const currency = this.deps.marketData.instrument(order.instrumentName)?.currency;
      if (currency) out.set(currency, (out.get(currency) ?? 0) + 1);
    }
    return out;
  }

  #count(window: RateWindow | undefined, nowMs: number): number {
    return window ? countInWindow(window, nowMs) : 0;
  }

  /** Today's PnL baseline (UTC day) and peak: daily loss and drawdown are measured from them. */
  #day(currency: string, netUsd: number, nowMs: number): DayPnl {
    const dayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
    let day = this.#days.get(currency);
    if (!day || day.dayStartMs !== dayStartMs) {
      day = { dayStartMs, baselineUsd: day ? netUsd : 0, peakUsd: day ? netUsd : 0 };
      this.#days.set(currency, day);
    }
    day.peakUsd = Math.max(day.peakUsd, netUsd);
    return day;
  }

  #publishLimits(statuses: readonly LimitStatus[], previous: readonly LimitStatus[]): void {
    for (let i = 0; i < statuses.length; i++) {
      const s = statuses[i]!;
      // The same status as the last refresh's at that place (evaluateLimits keeps a subject's while its value stays): its row is up to date.
      if (previous[i] === s) continue;
      const warnAtFraction = limitsFor(this.#config, s.currency)?.[s.key]?.warnAtFraction ?? 0.8;
      const row = this.limits.get(s.limitId);
      // About one row per position held, every refresh: built only when it moved.
      if (row && row.value === s.value && row.state === s.state && row.limit === s.limit && row.action === s.action && row.warnAtFraction === warnAtFraction) continue;
      this.limits.set(s.limitId, { limitId: s.limitId, currency: s.currency, label: s.label, unit: s.unit, value: s.value, limit: s.limit, utilization: s.utilization, warnAtFraction, state: s.state, action: s.action });
    }
    // Limit ids are unique: more rows than statuses means some went away.
    if (this.limits.size > statuses.length) {
      const current = new Set(statuses.map((s) => s.limitId));
      for (const row of [...this.limits.values()]) if (!current.has(row.limitId)) this.limits.delete(row.limitId);
    }
  }

  /** The position's row, set only when what it shows moved (every position held is visited after each refresh: nothing is built for the unchanged). */
  #publishPosition(position: Position | undefined): void {
    if (!position) return;
    const { instrumentName, size } = position;
    const instrument = this.deps.marketData.instrument(instrumentName);
    const unit = instrument && size !== 0 ? positionGreeks({ instrument, size }, this.#pricing.get(instrumentName)) : undefined;
    const deltaCoin = unit?.deltaCoin ?? 0;
    const discrepancy = this.#discrepancies.get(instrumentName);
    const previous = this.positionsTopic.get(instrumentName);
    if (
      previous &&
      previous.size === size &&
      previous.unrealizedPnlCoin === position.unrealizedPnlCoin &&
      previous.realizedPnlCoin === position.realizedPnlCoin &&
      previous.deltaCoin === deltaCoin &&
      previous.discrepancy === discrepancy
    ) {
      return;
    }
    this.positionsTopic.set(instrumentName, {
      instrumentName,
      venueId: position.venueId,
      currency: position.currency,
      size,
      averagePrice: position.averagePrice,
      ...(position.markPrice !== undefined && { markPrice: position.markPrice }),
      realizedPnlCoin: position.realizedPnlCoin,
      unrealizedPnlCoin: position.unrealizedPnlCoin,
      feesCoin: position.feesCoin,
      deltaCoin,
      vegaUsdPerVolPt: unit?.vegaUsdPerVolPt ?? 0,
      ...(discrepancy && { discrepancy }),
      updatedTsMs: position.updatedTsMs,
    });
  }

}
