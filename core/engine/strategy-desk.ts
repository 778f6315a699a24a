import type { MarketData, QuoteFields } from '../marketdata/market-data.ts';
import { snapPassive } from '../model/ticks.ts';
import type { OrderManager } from '../oms/order-manager.ts';
import type { Order } from '../oms/order-state.ts';
import { LIVE_STATES } from '../oms/order-state.ts';
import { black76Greeks, yearsBetween } from '../pricing/index.ts';
import type { InstrumentRow, OverrideRow, SmileRow, StrategyMode, StrategyRow, TheoRow } from '../protocol/index.ts';
import type { PriceCollar, QuoteAction, QuoteOverride, QuotingParams, WorkingOrder } from '../quoting/index.ts';
import { ChainQuoter, DEFAULT_QUOTING_PARAMS, effectiveOverride, isStrikeSelected, NO_OVERRIDE, refreshToleranceOf, selectExpiries, SIDE_OFF_REASONS } from '../quoting/index.ts';
import type { ModeCause } from '../quoting/strategy-mode.ts';
import { nextMode, quotesAllowed } from '../quoting/strategy-mode.ts';
import { SurfaceFeed } from '../quoting/surface-feed.ts';
import { KeyedTopic } from './keyed-topic.ts';
import type { OrderGateway } from './order-gateway.ts';
import { isRefusal } from './order-gateway.ts';
import type { VenueRequest } from './venue-request.ts';

/**
 * The market-making strategies, one per underlying, inside the kernel: the fitted surface, the
 * chain it quotes, the requote on every engine tick (ChainQuoter → diff → the order gateway), the
 * mode, the parameters and the trader's overrides. Pure decisions live in core/quoting; this
 * module holds their state and turns their actions into venue requests.
 */

/** Where the strategy reads the portfolio it skews on (the risk desk). */
export interface PortfolioView {
  deltaCoin(currency: string): number;
  vegaUsdPerVolPt(currency: string): number;
  bucketVegaUsdPerVolPt(currency: string, expiryMs: number): number;
  positionCoin(instrumentName: string): number;
}

export interface StrategyDeskDeps {
  readonly marketData: MarketData;
  readonly orders: OrderManager;
  readonly gateway: OrderGateway;
  readonly portfolio: PortfolioView;
  collar(currency: string): PriceCollar;
  venueConnected(venueId: string): boolean;
  /** Whether quotes of this underlying go under the venue's market maker protection. */
  mmp(currency: string): boolean;
  /** What strategy orders of an underlying may still send within the rate limits' current second (the risk desk's share). */
  strategyBudget(currency: string, nowMs: number): { readonly orders: number; readonly messages: number };
  /** The MMP group the underlying's level-0 quotes go in as the venue's mass quotes, or undefined: regular orders. */
  quoteGroup(currency: string): string | undefined;
}

export interface AutoHedgeSettings {
  readonly enabled: boolean;
  readonly targetCoin: number;
  readonly bandCoin: number;
  readonly minIntervalMs: number;
  readonly instrumentName?: string;
}

/** Chain membership is refreshed this often: strikes move in and out of the delta range slowly. */
const CHAIN_REFRESH_MS = 2_000;
/**
 * One expiry of an underlying is refitted this often (round robin): a fit costs milliseconds, and
 * between fits theo follows the forward (sticky moneyness), so the tick stays short.
 */
const REFIT_INTERVAL_MS = 250;
/** Theo rows are published at most this often per underlying: the chain shows them at 2 Hz. */
const THEO_PUBLISH_MS = 500;
/**
 * The whole chain is requoted at least this often. Each option is requoted on its own frames
 * (requoteOne) and the whole chain at once when something all quotes depend on changed (a fill,
 * the parameters, the mode, an override, the chain itself); the sweep carries the rest to the
 * options whose market is quiet: the clock (theta), the refitted smiles and the portfolio's
 * Greeks as the risk refresh recomputes them.
 */
const SWEEP_MS = 500;
const NO_REQUESTS: readonly VenueRequest[] = Object.freeze([]);

/** |log(strike / forward)| of the quoter's row i (0 when unknown): what "nearest the money first" orders by. */
function distanceFromMoney(quoter: ChainQuoter, i: number): number {
  return Math.abs(Math.log(quoter.strike[i]! / quoter.forwardUsd[i]!)) || 0;
}

/** distanceFromMoney of the option an action is for. */
function actionDistance(strategy: Strategy, action: QuoteAction): number {
  return distanceFromMoney(strategy.quoter, strategy.index.get(action.instrumentName)!);
}

/** A quoted option's place: its strategy, its row in the chain quoter, and what its per-frame requote last saw of its orders. */
interface Slot {
  readonly strategy: Strategy;
  readonly i: number;
  readonly live: Order[];
  readonly working: WorkingOrder[];
}

interface Strategy {
  readonly currency: string;
  mode: StrategyMode;
  reason: string;
  sinceTsMs: number;
  params: QuotingParams;
  autoHedge: AutoHedgeSettings;
  chain: InstrumentRow[];
  /** Each chain option's row in the quoter. */
  index: Map<string, number>;
  quoter: ChainQuoter;
  chainBuiltTsMs: number;
  /** When the chain's theo rows were last published (publishTheos, for a screen). */
  theoPublishedTsMs: number;
  /** When the strategy's own row (mode, quoted and suppressed counts) was last published by a requote. */
  rowPublishedTsMs: number;
  sweptTsMs: number;
  /** Something every quote depends on changed: requote the whole chain at the next tick. */
  sweepDue: boolean;
  refitCursor: number;
  refitTsMs: number;
  suppressed: Record<string, number>;
  quoted: number;
}

export class StrategyDesk {
  readonly strategies = new KeyedTopic<StrategyRow>();
  readonly theos = new KeyedTopic<TheoRow>();
  readonly overrideRows = new KeyedTopic<OverrideRow>();
  readonly smiles = new KeyedTopic<SmileRow>();
  readonly surfaces = new SurfaceFeed();
  readonly #strategies = new Map<string, Strategy>();
  readonly #overrides = new Map<string, QuoteOverride>();
  /** Quote level of each strategy order (the diff matches orders to levels). */
  readonly #levels = new Map<string, number>();
  readonly #actions: QuoteAction[] = [];
  /** Where each quoted option sits: its strategy and its slot in the chain quoter. */
  readonly #slots = new Map<string, Slot>();
  readonly #workingOf = new WeakMap<Order, WorkingOrder>();
  /** Scratch for #fillRow's market read (one row at a time). */
  readonly #fields: QuoteFields = { bidPrice: NaN, askPrice: NaN, markPrice: NaN, underlyingPrice: NaN, stale: true };
  /** Scratch for the OMS's live orders of the option requoteOne is requoting (one frame at a time). */
  readonly #liveOne: Order[] = [];
  /** The overrides as a list, for effectiveOverride; rebuilt after a change. */
  #overridesCached: readonly QuoteOverride[] | undefined;
  #overrideSeq = 0;

  constructor(
    private readonly deps: StrategyDeskDeps,
    private readonly sessionId: string,
    private readonly initialMode: StrategyMode,
  ) {}

  /** The strategy of a currency, created on first sight of its options. */
  ensure(currency: string, tsMs: number): Strategy {
    let strategy = this.#strategies.get(currency);
    if (!strategy) {
      strategy = {
        currency,
        mode: this.initialMode,
        reason: this.initialMode === 'ACTIVE' ? 'quoting the embedded simulator on start' : 'paused on start: resume to quote',
        sinceTsMs: tsMs,
        params: DEFAULT_QUOTING_PARAMS,
        autoHedge: { enabled: false, targetCoin: 0, bandCoin: 1, minIntervalMs: 10_000 },
        chain: [],
        index: new Map(),
        quoter: new ChainQuoter(1),
        chainBuiltTsMs: -Infinity,
        theoPublishedTsMs: -Infinity,
        rowPublishedTsMs: -Infinity,
        sweptTsMs: -Infinity,
        sweepDue: true,
        refitCursor: 0,
        refitTsMs: -Infinity,
        suppressed: {},
        quoted: 0,
      };
      this.#strategies.set(currency, strategy);
      this.#publish(strategy);
    }
    return strategy;
  }

  currencies(): string[] {
    return [...this.#strategies.keys()];
  }

  mode(currency: string): StrategyMode | undefined {
    return this.#strategies.get(currency)?.mode;
  }

  params(currency: string): QuotingParams | undefined {
    return this.#strategies.get(currency)?.params;
  }

  autoHedge(currency: string): AutoHedgeSettings | undefined {
    return this.#strategies.get(currency)?.autoHedge;
  }

  /** Applies a mode change; returns an error when the mode machine refuses it. */
  changeMode(currency: string, cause: ModeCause, reason: string, tsMs: number): { readonly ok: true; readonly changed: boolean; readonly mode: StrategyMode } | { readonly ok: false; readonly reason: string } {
    const strategy = this.ensure(currency, tsMs);
    const next = nextMode(strategy.mode, cause);
    if (!next.ok) return next;
    if (next.mode === strategy.mode) return { ok: true, changed: false, mode: strategy.mode };
    strategy.mode = next.mode;
    strategy.reason = reason;
    strategy.sinceTsMs = tsMs;
    strategy.sweepDue = true;
    this.#publish(strategy);
    return { ok: true, changed: true, mode: next.mode };
  }

  /** Restores a journaled mode as it was (no machine: the journal only holds allowed modes). */
  restoreMode(currency: string, mode: StrategyMode, reason: string, tsMs: number): void {
    const strategy = this.ensure(currency, tsMs);
    strategy.mode = mode;
    strategy.reason = `${reason} (restored)`;
    strategy.sinceTsMs = tsMs;
    strategy.sweepDue = true;
    this.#publish(strategy);
  }

  setParams(currency: string, params: QuotingParams, tsMs: number): void {
    const strategy = this.ensure(currency, tsMs);
    strategy.params = params;
    strategy.chainBuiltTsMs = -Infinity;
    this.#publish(strategy);
  }

  setAutoHedge(currency: string, settings: AutoHedgeSettings, tsMs: number): void {
    const strategy = this.ensure(currency, tsMs);
    strategy.autoHedge = settings;
    this.#publish(strategy);
  }

  nextOverrideId(): string {
    return `ovr.${this.sessionId}.${++this.#overrideSeq}`;
  }

  addOverride(override: QuoteOverride): void {
    this.#overrides.set(override.id, override);
    this.#overridesChanged();
    this.overrideRows.set(override.id, overrideRow(override));
  }

  removeOverride(id: string): boolean {
    if (!this.#overrides.delete(id)) return false;
    this.#overridesChanged();
    this.overrideRows.delete(id);
    return true;
  }

  /** Drops overrides whose time is up; returns their ids for the journal. */
  expireOverrides(nowMs: number): string[] {
    const expired: string[] = [];
    for (const [id, override] of this.#overrides) if (override.expiresAtMs !== undefined && override.expiresAtMs <= nowMs) expired.push(id);
    for (const id of expired) this.removeOverride(id);
    return expired;
  }

  #overridesChanged(): void {
    this.#overridesCached = undefined;
    for (const strategy of this.#strategies.values()) strategy.sweepDue = true;
  }

  /** A fill moved the inventory every quote of the underlying skews on. */
  inventoryChanged(currency: string): void {
    const strategy = this.#strategies.get(currency);
    if (strategy) strategy.sweepDue = true;
  }

  hasOverride(id: string): boolean {
    return this.#overrides.has(id);
  }

  /** Refits one expiry per underlying every REFIT_INTERVAL_MS, round robin over the expiries quoted. */
  refitNext(nowMs: number): void {
    // Settled expiries leave the surface and the published smiles.
    this.surfaces.retain((_currency, expiryMs) => expiryMs > nowMs);
    for (const row of [...this.smiles.values()]) if (row.expiryMs <= nowMs) this.smiles.delete(SurfaceFeed.key(row.currency, row.expiryMs));
    for (const strategy of this.#strategies.values()) {
      if (nowMs - strategy.refitTsMs < REFIT_INTERVAL_MS) continue;
      strategy.refitTsMs = nowMs;
      const expiries = selectExpiries(this.#optionExpiries(strategy.currency), nowMs, { ...strategy.params, maxExpiries: strategy.params.maxExpiries + 1 });
      if (expiries.length === 0) continue;
      const expiryMs = expiries[strategy.refitCursor++ % expiries.length]!;
      const options = this.#options(strategy.currency).filter((instrument) => instrument.expiryMs === expiryMs);
      const outcome = this.surfaces.refit(strategy.currency, expiryMs, options.map((instrument) => ({ instrument, quote: this.deps.marketData.quote(instrument.instrumentName) })), nowMs);
      if (outcome.ok) {
        const { smile } = outcome;
        this.smiles.set(SurfaceFeed.key(smile.currency, smile.expiryMs), { currency: smile.currency, expiryMs: smile.expiryMs, forwardUsd: smile.forwardUsd, params: smile.params, rmseVolPts: smile.rmseVolPts, quotes: smile.quotes, fittedTsMs: smile.fittedTsMs });
      }
    }
  }

  /**
   * The engine tick's requote of every underlying: the whole chain when due (SWEEP_MS), where the
   * mode allows; every strategy order cancelled where it does not. Returns what to send.
   */
  requote(nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    for (const strategy of this.#strategies.values()) {
      const allowed = quotesAllowed(strategy.mode);
      if (allowed === 'none') {
        requests.push(...this.pullQuotes(strategy.currency, nowMs));
        continue;
      }
      if (nowMs - strategy.chainBuiltTsMs >= CHAIN_REFRESH_MS) this.#buildChain(strategy, nowMs);
      if (!strategy.sweepDue && nowMs - strategy.sweptTsMs < SWEEP_MS) continue;
      strategy.sweepDue = false;
      strategy.sweptTsMs = nowMs;
      requests.push(...this.#quoteChain(strategy, allowed === 'both' ? 'active' : 'reducing', nowMs));
    }
    return requests;
  }

  /**
   * Requotes one option as soon as its market data changed (the venue's frame), between the full
   * requotes of the tick: the same quote generator and diff, on this option alone, against the
   * portfolio figures of the latest risk refresh. What moved at the venue is answered in
   * microseconds instead of waiting for the next tick.
   */
  requoteOne(instrumentName: string, nowMs: number): readonly VenueRequest[] {
    const slot = this.#slots.get(instrumentName);
    if (!slot) return NO_REQUESTS;
    const { strategy, i } = slot;
    const allowed = quotesAllowed(strategy.mode);
    if (allowed === 'none') return NO_REQUESTS;
    const { quoter, currency } = strategy;
    this.#fillRow(strategy, i, nowMs);
    const { portfolio } = this.deps;
    quoter.quoteOne(i, { params: strategy.params, portfolio: { deltaCoin: portfolio.deltaCoin(currency), vegaUsdPerVolPt: portfolio.vegaUsdPerVolPt(currency) }, mode: allowed === 'both' ? 'active' : 'reducing', collar: this.deps.collar(currency) });
    const working = this.#slotWorking(slot, this.deps.orders.liveOf(instrumentName, this.#liveOne));
    const actions = this.#actions;
    actions.length = 0;
    // With the rate share spent (usual between two sweeps), only cancels could go out: the diff is asked for nothing else.
    const budget = this.deps.strategyBudget(currency, nowMs);
    quoter.diffOne(i, working, refreshToleranceOf(strategy.params), actions, budget.messages < 1);
    if (actions.length > 0) this.#withinBudget(strategy, actions, budget);
    return actions.length === 0 ? NO_REQUESTS : this.#send(strategy, actions, strategy.index, nowMs);
  }

  /** Cancels every live strategy order of an underlying (all underlyings when undefined). */
  pullQuotes(currency: string | undefined, tsMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    for (const order of this.deps.orders.live()) {
      if (order.origin !== 'strategy' || order.state === 'pending-cancel' || order.state === 'unknown' || !order.venueOrderId) continue;
      if (currency !== undefined && this.deps.marketData.instrument(order.instrumentName)?.currency !== currency) continue;
      const request = this.deps.gateway.cancel(order, tsMs);
      if (!isRefusal(request)) requests.push(request);
    }
    return requests;
  }

  /**
   * The strategy's theo of an option, for pre-trade references: the quoter's latest (the one the
   * quote being checked was generated against); undefined outside the chain or while it has none.
   */
  theoPrice(instrumentName: string): number | undefined {
    const slot = this.#slots.get(instrumentName);
    const latest = slot ? slot.strategy.quoter.theo.priceCoin[slot.i] : undefined;
    return latest !== undefined && latest > 0 && latest < Infinity ? latest : undefined;
  }

  /**
   * The chain's theo rows (theo, our bid and ask and their IVs) from the quoter's latest, at most
   * every THEO_PUBLISH_MS: for a screen (deltas, snapshots). No decision reads them, so a headless
   * replay never builds them.
   */
  publishTheos(nowMs: number): void {
    for (const strategy of this.#strategies.values()) {
      if (nowMs - strategy.theoPublishedTsMs < THEO_PUBLISH_MS) continue;
      strategy.theoPublishedTsMs = nowMs;
      for (let i = 0; i < strategy.chain.length; i++) this.#publishTheo(strategy.quoter, i);
    }
  }

  forget(clientOrderId: string): void {
    this.#levels.delete(clientOrderId);
  }

  #options(currency: string): InstrumentRow[] {
    const out: InstrumentRow[] = [];
    for (const instrument of this.deps.marketData.instrumentsMap().values()) if (instrument.kind === 'option' && instrument.currency === currency) out.push(instrument);
    return out;
  }

  #optionExpiries(currency: string): number[] {
    const expiries = new Set<number>();
    for (const instrument of this.#options(currency)) expiries.add(instrument.expiryMs);
    return [...expiries];
  }

  /** The options to quote: selected expiries and strikes, plus any with a working strategy order (so the diff cancels it). */
  #buildChain(strategy: Strategy, nowMs: number): void {
    const { params } = strategy;
    const expiries = new Set(selectExpiries(this.#optionExpiries(strategy.currency), nowMs, params));
    const chain: InstrumentRow[] = [];
    const withOrders = new Set<string>();
    for (const order of this.deps.orders.live()) if (order.origin === 'strategy') withOrders.add(order.instrumentName);
    for (const instrument of this.#options(strategy.currency)) {
      if (withOrders.has(instrument.instrumentName) || (expiries.has(instrument.expiryMs) && this.#strikeSelected(instrument, nowMs, params))) chain.push(instrument);
    }
    chain.sort((a, b) => a.expiryMs - b.expiryMs || (a.strike ?? 0) - (b.strike ?? 0) || a.instrumentName.localeCompare(b.instrumentName));
    if (chain.length > strategy.quoter.capacity) strategy.quoter = new ChainQuoter(Math.max(chain.length, strategy.quoter.capacity * 2));
    for (const instrument of strategy.chain) this.#slots.delete(instrument.instrumentName);
    const index = new Map<string, number>();
    chain.forEach((instrument, i) => {
      strategy.quoter.setInstrument(i, instrument);
      this.#slots.set(instrument.instrumentName, { strategy, i, live: [], working: [] });
      index.set(instrument.instrumentName, i);
    });
    strategy.chain = chain;
    strategy.index = index;
    strategy.chainBuiltTsMs = nowMs;
    strategy.sweepDue = true;
    // Theo rows of options that left the chain are stale: drop them.
    for (const instrument of this.#options(strategy.currency)) if (!index.has(instrument.instrumentName) && this.theos.has(instrument.instrumentName)) this.theos.delete(instrument.instrumentName);
  }

  #strikeSelected(instrument: InstrumentRow, nowMs: number, params: QuotingParams): boolean {
    const quote = this.deps.marketData.quote(instrument.instrumentName);
    const forward = quote?.underlyingPrice;
    const strike = instrument.strike;
    if (forward === undefined || strike === undefined) return false;
    const expiryYears = yearsBetween(nowMs, instrument.expiryMs);
    if (!(expiryYears > 0)) return false;
    const vol = this.surfaces.theo(instrument, forward, nowMs)?.volAnnual ?? quote?.markIv;
    if (vol === undefined || !(vol > 0)) return false;
    const callDelta = black76Greeks(forward, strike, expiryYears, vol, 'call').delta;
    return isStrikeSelected(callDelta, Math.log(strike / forward), params);
  }

  #quoteChain(strategy: Strategy, mode: 'active' | 'reducing', nowMs: number): VenueRequest[] {
    const { quoter, chain, currency, params } = strategy;
    const { portfolio } = this.deps;
    const n = chain.length;
    const working: (WorkingOrder[] | undefined)[] = new Array<WorkingOrder[] | undefined>(n);
    for (let i = 0; i < n; i++) this.#fillRow(strategy, i, nowMs);
    // Options that left the selection are quoted as not selected, so their orders get cancelled.
    const selectedExpiries = new Set(selectExpiries(this.#optionExpiries(currency), nowMs, params));
    for (let i = 0; i < n; i++) quoter.expirySelected[i] = selectedExpiries.has(chain[i]!.expiryMs) ? 1 : 0;
    for (const order of this.deps.orders.live()) {
      if (order.origin !== 'strategy') continue;
      const i = strategy.index.get(order.instrumentName);
      if (i === undefined) continue;
      (working[i] ??= []).push(this.#working(order));
    }
    quoter.quote(n, { params, portfolio: { deltaCoin: portfolio.deltaCoin(currency), vegaUsdPerVolPt: portfolio.vegaUsdPerVolPt(currency) }, mode, collar: this.deps.collar(currency) });
    const actions = this.#actions;
    actions.length = 0;
    quoter.diff(n, working, refreshToleranceOf(params), actions);
    const dropped = this.#withinBudget(strategy, actions, this.deps.strategyBudget(currency, nowMs));
    // The refusals shown are this requote's: #send adds its own to what is left here.
    strategy.suppressed = Object.fromEntries(Object.entries(strategy.suppressed).filter(([key]) => !key.startsWith('refused: ')));
    const requests = this.#send(strategy, actions, strategy.index, nowMs);
    this.#count(strategy, n, dropped);
    if (nowMs - strategy.rowPublishedTsMs >= THEO_PUBLISH_MS) {
      strategy.rowPublishedTsMs = nowMs;
      this.#publish(strategy);
    }
    return requests;
  }

  /**
   * Row i of the strategy's quoter from the market, the surface, the portfolio and the overrides
   * as they are now (the expiry selection is the chain requote's).
   */
  #fillRow(strategy: Strategy, i: number, nowMs: number): void {
    const { quoter, chain, currency } = strategy;
    const { marketData, portfolio } = this.deps;
    const instrument = chain[i]!;
    const fields = this.#fields;
    const known = marketData.quoteFields(instrument.instrumentName, fields);
    const underlying = known ? fields.underlyingPrice : NaN;
    const forward = underlying === underlying ? underlying : (this.surfaces.smile(currency, instrument.expiryMs)?.forwardUsd ?? NaN);
    const theo = Number.isFinite(forward) ? this.surfaces.theo(instrument, forward, nowMs) : undefined;
    quoter.forwardUsd[i] = forward;
    quoter.expiryYears[i] = theo?.expiryYears ?? yearsBetween(nowMs, instrument.expiryMs);
    quoter.theoVolAnnual[i] = theo?.volAnnual ?? NaN;
    quoter.uncertaintyVolPts[i] = theo?.uncertaintyVolPts ?? 0;
    quoter.marketBidCoin[i] = known ? fields.bidPrice : NaN;
    quoter.marketAskCoin[i] = known ? fields.askPrice : NaN;
    quoter.markCoin[i] = known ? fields.markPrice : NaN;
    const venueUp = this.deps.venueConnected(instrument.venueId);
    quoter.stale[i] = !known || fields.stale || !theo || !venueUp || this.deps.orders.isBlocked(instrument.instrumentName) ? 1 : 0;
    quoter.positionCoin[i] = portfolio.positionCoin(instrument.instrumentName);
    quoter.bucketVegaUsdPerVolPt[i] = portfolio.bucketVegaUsdPerVolPt(currency, instrument.expiryMs);
    const override = this.#overrides.size > 0 ? effectiveOverride(instrument, this.#overrideList(), nowMs) : NO_OVERRIDE;
    quoter.overrides[i] = override === NO_OVERRIDE ? undefined : override;
  }

  #overrideList(): readonly QuoteOverride[] {
    return (this.#overridesCached ??= [...this.#overrides.values()]);
  }

  /**
   * The working forms of a slot's strategy orders among `live` (the option's live orders now): the
   * slot's list from its last requote while the OMS holds the very same orders (an order changes
   * by being replaced), which is most frames; rebuilt otherwise.
   */
  #slotWorking(slot: Slot, live: readonly Order[]): readonly WorkingOrder[] {
    const seen = slot.live;
    let same = seen.length === live.length;
    for (let k = 0; same && k < live.length; k++) same = seen[k] === live[k];
    if (same) return slot.working;
    seen.length = 0;
    slot.working.length = 0;
    for (const order of live) {
      seen.push(order);
      if (order.origin === 'strategy') slot.working.push(this.#working(order));
    }
    return slot.working;
  }

  #working(order: Order): WorkingOrder {
    // An OMS order is replaced, never mutated, on every change: its working form is cached by identity.
    let working = this.#workingOf.get(order);
    if (!working) {
      // Orders adopted after a restart have no recorded level: level 0 (the diff re-prices or cancels them).
      working = { clientOrderId: order.clientOrderId, side: order.side, level: this.#levels.get(order.clientOrderId) ?? 0, priceCoin: order.price, amountCoin: order.amount - order.filledAmount, state: order.state };
      this.#workingOf.set(order, working);
    }
    return working;
  }

  #send(strategy: Strategy, actions: readonly QuoteAction[], index: ReadonlyMap<string, number>, nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    const refused: Record<string, number> = {};
    // Level 0 goes as the venue's mass quotes where it takes them (one quote per side per group,
    // batched by the adapter); deeper levels stay regular orders. Asked once, and only if needed
    // (inline, not a closure: this runs on every frame that sends).
    let group: string | undefined | null = null;
    for (const action of actions) {
      const i = index.get(action.instrumentName)!;
      // Near the money first: the rate limiter serves lower numbers first.
      const priority = Math.round(distanceFromMoney(strategy.quoter, i) * 1000);
      const instrument = strategy.chain[i]!;
      if (action.kind === 'place') {
        const intent = { instrumentName: action.instrumentName, side: action.side, price: snapPassive(instrument, action.priceCoin, action.side), amount: action.amountCoin, postOnly: action.postOnly, reduceOnly: false, origin: 'strategy', priority, mmp: this.deps.mmp(strategy.currency) } as const;
        if (action.level === 0 && group === null) group = this.#quoteGroup(strategy);
        const mmpGroup = action.level === 0 ? (group as string | undefined) : undefined;
        const placed = mmpGroup !== undefined ? this.deps.gateway.quote(intent, mmpGroup, strategy.currency, nowMs) : this.deps.gateway.place(intent, nowMs);
        if (placed.ok) {
          this.#levels.set(placed.order.clientOrderId, action.level);
          requests.push(placed.request);
        } else refused[placed.check] = (refused[placed.check] ?? 0) + 1;
      } else if (action.kind === 'amend') {
        const order = this.deps.orders.get(action.clientOrderId);
        if (!order) continue;
        if (order.mmpGroup !== undefined && group === null) group = this.#quoteGroup(strategy);
        if (order.mmpGroup !== undefined && order.mmpGroup !== group) {
          // A quote whose group the venue no longer takes (refused, frozen, mass quotes off) is pulled, not amended: level 0 comes back as an order.
          const request = this.deps.gateway.cancel(order, nowMs);
          if (!isRefusal(request)) requests.push(request);
          continue;
        }
        // Deribit's edit takes the order's total amount: what should stay open plus what already filled.
        const request = this.deps.gateway.replace(order, snapPassive(instrument, action.priceCoin, action.side), action.amountCoin + order.filledAmount, nowMs, { priority });
        if (isRefusal(request)) refused[request.check] = (refused[request.check] ?? 0) + 1;
        else requests.push(request);
      } else {
        const order = this.deps.orders.get(action.clientOrderId);
        if (!order || !LIVE_STATES.has(order.state)) continue;
        const request = this.deps.gateway.cancel(order, nowMs);
        if (!isRefusal(request)) requests.push(request);
      }
    }
    strategy.suppressed = { ...strategy.suppressed };
    for (const [check, count] of Object.entries(refused)) strategy.suppressed[`refused: ${check}`] = count;
    return requests;
  }

  #quoteGroup(strategy: Strategy): string | undefined {
    return strategy.params.massQuotes ? this.deps.quoteGroup(strategy.currency) : undefined;
  }

  /**
   * Keeps, of the actions, what the strategy's share of the rate limits lets out this second:
   * every cancel (they only reduce risk, and are not counted), then new orders and amends nearest
   * the money first. Asking the gateway for each one would only get the rest refused one by one,
   * in chain order, wings included. Filters `actions` in place; returns how many were held back.
   */
  #withinBudget(strategy: Strategy, actions: QuoteAction[], budget: { readonly orders: number; readonly messages: number }): number {
    if (actions.length <= budget.messages && actions.length <= budget.orders) return 0;
    if (budget.messages < 1) {
      // Spent (the usual case on a frame while the chain requotes): cancels only, in place.
      let write = 0;
      for (const action of actions) if (action.kind === 'cancel') actions[write++] = action;
      const dropped = actions.length - write;
      actions.length = write;
      return dropped;
    }
    const others = actions.filter((action) => action.kind !== 'cancel').sort((a, b) => actionDistance(strategy, a) - actionDistance(strategy, b));
    let write = 0;
    for (const action of actions) if (action.kind === 'cancel') actions[write++] = action;
    let { orders, messages } = budget;
    for (const action of others) {
      if (messages < 1) break;
      if (action.kind === 'place') {
        if (orders < 1) continue;
        orders--;
      }
      messages--;
      actions[write++] = action;
    }
    const dropped = actions.length - write;
    actions.length = write;
    return dropped;
  }

  #count(strategy: Strategy, n: number, heldBack: number): void {
    const counts: Record<string, number> = {};
    let quoted = 0;
    const { levelCount, offReason } = strategy.quoter;
    for (let i = 0; i < n; i++) {
      if (levelCount[2 * i]! > 0 || levelCount[2 * i + 1]! > 0) quoted++;
      else {
        const reason = SIDE_OFF_REASONS[offReason[2 * i]!] || 'off';
        counts[reason] = (counts[reason] ?? 0) + 1;
      }
    }
    for (const [key, value] of Object.entries(strategy.suppressed)) if (key.startsWith('refused: ')) counts[key] = value;
    if (heldBack > 0) counts['refused: rate'] = (counts['refused: rate'] ?? 0) + heldBack;
    strategy.suppressed = counts;
    strategy.quoted = quoted;
  }

  #publishTheo(quoter: ChainQuoter, i: number): void {
    const quote = quoter.quoteAt(i);
    if (!Number.isFinite(quote.theoPriceCoin)) {
      if (this.theos.has(quote.instrumentName)) this.theos.delete(quote.instrumentName);
      return;
    }
    const bid = quote.bid.quoted ? quote.bid.levels[0] : undefined;
    const ask = quote.ask.quoted ? quote.ask.levels[0] : undefined;
    const row: TheoRow = {
      instrumentName: quote.instrumentName,
      theoPrice: quote.theoPriceCoin,
      theoIv: quote.theoVolAnnual,
      ...(bid && { bidPrice: bid.priceCoin, bidAmount: bid.amountCoin, bidIv: bid.volAnnual }),
      ...(ask && { askPrice: ask.priceCoin, askAmount: ask.amountCoin, askIv: ask.volAnnual }),
      ...(!quote.bid.quoted && { bidOff: quote.bid.reason }),
      ...(!quote.ask.quoted && { askOff: quote.ask.reason }),
      ...(quote.overrideIds.length > 0 && { overrides: quote.overrideIds }),
    };
    const previous = this.theos.get(row.instrumentName);
    if (!previous || !sameTheo(previous, row)) this.theos.set(row.instrumentName, row);
  }

  #publish(strategy: Strategy): void {
    const params: Record<string, number | boolean | string> = {};
    for (const [key, value] of Object.entries(strategy.params)) if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') params[key] = value;
    const smiles = this.surfaces.smilesOf(strategy.currency);
    const rmse = smiles.length > 0 ? Math.max(...smiles.map((smile) => smile.rmseVolPts)) : undefined;
    this.strategies.set(strategy.currency, {
      currency: strategy.currency,
      mode: strategy.mode,
      reason: strategy.reason,
      sinceTsMs: strategy.sinceTsMs,
      params,
      quotedInstruments: strategy.quoted,
      suppressed: strategy.suppressed,
      surfaceExpiries: smiles.length,
      ...(rmse !== undefined && { surfaceRmseVolPts: rmse }),
      autoHedge: strategy.autoHedge,
    });
  }
}

function sameTheo(a: TheoRow, b: TheoRow): boolean {
  return (
    Math.abs(a.theoPrice - b.theoPrice) < 1e-7 &&
    a.bidPrice === b.bidPrice &&
    a.askPrice === b.askPrice &&
    a.bidAmount === b.bidAmount &&
    a.askAmount === b.askAmount &&
    a.bidOff === b.bidOff &&
    a.askOff === b.askOff &&
    (a.overrides?.join() ?? '') === (b.overrides?.join() ?? '')
  );
}

/** The published (flat) form of an override. */
export function overrideRow(override: QuoteOverride): OverrideRow {
  const { provenance, ...rest } = override;
  return { ...(rest as Omit<OverrideRow, 'by' | 'atMs' | 'reason'>), by: provenance.by, atMs: provenance.atMs, reason: provenance.reason };
}

/** The stored form of a published override (restoring from the journal). */
export function overrideFromRow(row: OverrideRow): unknown {
  const { by, atMs, reason, ...rest } = row;
  return { ...rest, provenance: { by, atMs, reason } };
}
