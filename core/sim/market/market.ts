/**
 * SimMarket: the living market behind the simulated exchange, composing the index processes,
 * carry, true surface, marks, background makers and takers for a set of currencies.
 *
 * Time: the processes move in fixed sub-steps of `stepMs` (100 ms) on a grid anchored at the
 * construction time, so the path does not depend on how the caller slices time: advance(1000)
 * then advance(2000) is the same market as advance(2000). Every method taking nowMs first
 * advances to it. The sub-step grid may lag nowMs by less than one step; expiries are measured
 * from nowMs itself.
 *
 * Determinism: one seed, forked into named streams per consumer (index, carry, each maker, each
 * taker stream), so the same seed and the same call sequence give identical outputs, and a new
 * consumer does not shift the draws of the others. No clock, no Math.random, no I/O.
 */
import type { SviParams } from '../../pricing/index.ts';
import { sviTotalVariance } from '../../pricing/index.ts';
import type { Mark } from '../exchange/types.ts';
import type { StrikeInputs } from '../instruments/catalog.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import type { CarryState } from './carry.ts';
import { forwardPrice, fundingRate8h, initialCarryState, perpetualFairPrice, stepCarry } from './carry.ts';
import type { DepthVenue, FutureDepthParams } from './future-depth.ts';
import { FutureDepth } from './future-depth.ts';
import type { MakerParams, MakerQuote, MakerRecord, QuoteIntent } from './makers.ts';
import { DEFAULT_MAKER_PARAMS, makeFutureQuote, makeOptionQuote, needsRequote, recordQuote } from './makers.ts';
import type { CurrencyMarketView } from './marks.ts';
import { MarkCalculator } from './marks.ts';
import type { CurrencyModelParams, TakerRates } from './params.ts';
import { DEFAULT_CURRENCY_PARAMS, DEFAULT_TAKER_RATES } from './params.ts';
import type { IndexState } from './price-process.ts';
import { effectiveVariance, stepIndex } from './price-process.ts';
import { Rng } from './rng.ts';
import type { TakerOrder, TakerParams, TouchOf } from './takers.ts';
import { DEFAULT_TAKER_PARAMS, WeightedPicker, arrivalTimes, decideTakerOrder, informedEdge, optionFlowWeight, takerAmount } from './takers.ts';
import type { SurfaceShape } from './true-surface.ts';
import { atmVolAnnual, sviParamsAt, surfaceShape } from './true-surface.ts';
import { MS_PER_YEAR } from './units.ts';

/** What a running market's participants do: its makers, takers and taker rates, and the futures' depth (`configure`). */
export interface SimMarketFlow {
  readonly makers?: Partial<MakerParams>;
  readonly takers?: Partial<TakerParams>;
  readonly takerRates?: Readonly<Partial<Record<Currency, Partial<TakerRates>>>>;
  /** The depth ladder on futures and perpetuals (future-depth.ts); `levels: 0` keeps none. */
  readonly futureDepth?: Partial<FutureDepthParams>;
}

export interface SimMarketOptions extends SimMarketFlow {
  readonly currencies: readonly Currency[];
  /** Start of simulated time, ms since the epoch. */
  readonly nowMs: number;
  /** Per-currency overrides of DEFAULT_CURRENCY_PARAMS. */
  readonly params?: Readonly<Partial<Record<Currency, Partial<CurrencyModelParams>>>>;
  /** Process sub-step; default 100 ms. */
  readonly stepMs?: number;
}

/** One currency's market state, plain data. */
export interface CurrencyState {
  /** Time of the last process sub-step (≤ the market's nowMs). */
  readonly tsMs: number;
  readonly indexPrice: number;
  /** Raw Heston variance; the surface uses max(variance, 0). */
  readonly variance: number;
  readonly jumpCount: number;
  readonly carryRate: number;
  readonly premium: number;
  readonly funding8h: number;
}

export interface Funding {
  /** Instantaneous 8-hour funding rate (Deribit's `current_funding`), a fraction. */
  readonly currentFunding: number;
  /** Its 8-hour exponential average (standing in for Deribit's `funding_8h`). */
  readonly funding8h: number;
}

interface CurrencySim {
  readonly params: CurrencyModelParams;
  rates: TakerRates;
  readonly indexRng: Rng;
  readonly carryRng: Rng;
  readonly optionTakerRng: Rng;
  readonly perpetualTakerRng: Rng;
  readonly futureTakerRng: Rng;
  index: IndexState;
  carry: CarryState;
  shape: SurfaceShape;
  view: CurrencyMarketView;
}

interface MakerSlot {
  readonly rng: Rng;
  record: MakerRecord | undefined;
}

const DEFAULT_STEP_MS = 100;

export class SimMarket {
  readonly currencies: readonly Currency[];
  readonly stepMs: number;
  readonly #rng: Rng;
  readonly #sims = new Map<Currency, CurrencySim>();
  #makerParams: MakerParams;
  #takerParams: TakerParams;
  readonly #makers = new Map<string, MakerSlot>();
  readonly #futureDepth: FutureDepth;
  readonly #calculator = new MarkCalculator();
  readonly #viewOf = (currency: Currency): CurrencyMarketView => this.#sim(currency).view;
  #nowMs: number;
  #lastTakerMs: number;
  #quotedInstruments: readonly SimInstrument[] = [];
  /** The inputs of the calculator's last run: marks, makers and takers of one tick share it. */
  #marksMemo: { instruments: readonly SimInstrument[]; nowMs: number; views: readonly CurrencyMarketView[]; marks: readonly Mark[] } | undefined;

  constructor(seed: number, options: SimMarketOptions) {
    this.#rng = new Rng(seed);
    this.currencies = [...options.currencies];
    this.stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    if (!(this.stepMs > 0)) throw new Error(`stepMs must be positive, got ${this.stepMs}`);
    this.#nowMs = options.nowMs;
    this.#lastTakerMs = options.nowMs;
    this.#makerParams = { ...DEFAULT_MAKER_PARAMS, ...options.makers };
    this.#takerParams = { ...DEFAULT_TAKER_PARAMS, ...options.takers };
    this.#futureDepth = new FutureDepth((instrumentName) => this.#rng.fork(`depth:${instrumentName}`), options.futureDepth);
    for (const currency of this.currencies) {
      const params: CurrencyModelParams = { ...DEFAULT_CURRENCY_PARAMS[currency], ...options.params?.[currency] };
      const rates: TakerRates = { ...DEFAULT_TAKER_RATES[currency], ...options.takerRates?.[currency] };
      const index: IndexState = { tsMs: options.nowMs, indexPrice: params.initialIndexPrice, variance: params.initialVariance, jumpCount: 0 };
      const carry = initialCarryState(params);
      const shape = surfaceShape(index.variance, params);
      this.#sims.set(currency, {
        params,
        rates,
        indexRng: this.#rng.fork(`index:${currency}`),
        carryRng: this.#rng.fork(`carry:${currency}`),
        optionTakerRng: this.#rng.fork(`taker:option:${currency}`),
        perpetualTakerRng: this.#rng.fork(`taker:perpetual:${currency}`),
        futureTakerRng: this.#rng.fork(`taker:future:${currency}`),
        index,
        carry,
        shape,
        view: { indexPrice: index.indexPrice, carryRate: carry.carryRate, premium: carry.premium, shape },
      });
    }
  }

  /**
   * Changes the participants of a market already built (SimVenue builds its own with the
   * defaults): overrides merge into the current parameters. Every maker requotes at its next
   * chance under the new parameters, so no quote made under the old ones lingers until its
   * refresh time; takers arriving from the next call on follow the new ones.
   */
  configure(flow: SimMarketFlow): void {
    if (flow.makers) {
      this.#makerParams = { ...this.#makerParams, ...flow.makers };
      for (const slot of this.#makers.values()) slot.record = undefined;
    }
    if (flow.takers) this.#takerParams = { ...this.#takerParams, ...flow.takers };
    if (flow.futureDepth) this.#futureDepth.configure(flow.futureDepth);
    for (const [currency, sim] of this.#sims) {
      const rates = flow.takerRates?.[currency];
      if (rates) sim.rates = { ...sim.rates, ...rates };
    }
  }

  /** The latest time the market was advanced to. */
  get nowMs(): number {
    return this.#nowMs;
  }

  #sim(currency: Currency): CurrencySim {
    const sim = this.#sims.get(currency);
    if (!sim) throw new Error(`currency ${currency} is not simulated by this market`);
    return sim;
  }

  static #refresh(sim: CurrencySim): void {
    sim.shape = surfaceShape(sim.index.variance, sim.params);
    sim.view = { indexPrice: sim.index.indexPrice, carryRate: sim.carry.carryRate, premium: sim.carry.premium, shape: sim.shape };
  }

  /** Steps every process to toMs in fixed sub-steps; earlier times are ignored. */
  advance(toMs: number): void {
    if (!(toMs > this.#nowMs)) return;
    this.#nowMs = toMs;
    const dtMs = this.stepMs;
    for (const sim of this.#sims.values()) {
      let index = sim.index;
      let carry = sim.carry;
      if (index.tsMs + dtMs > toMs) continue;
      while (index.tsMs + dtMs <= toMs) {
        index = stepIndex(index, dtMs, sim.indexRng, sim.params);
        carry = stepCarry(carry, dtMs, sim.carryRng, sim.params);
      }
      sim.index = index;
      sim.carry = carry;
      SimMarket.#refresh(sim);
    }
  }

  /** Fault injection: moves the index instantly by `fraction` (−0.1 = a 10 % crash). */
  jump(currency: Currency, fraction: number): void {
    if (!(fraction > -1 && Number.isFinite(fraction))) throw new Error(`jump fraction must be finite and above −1, got ${fraction}`);
    const sim = this.#sim(currency);
    sim.index = { ...sim.index, indexPrice: sim.index.indexPrice * (1 + fraction) };
    SimMarket.#refresh(sim);
  }

  state(currency: Currency): CurrencyState {
    const { index, carry } = this.#sim(currency);
    return {
      tsMs: index.tsMs,
      indexPrice: index.indexPrice,
      variance: index.variance,
      jumpCount: index.jumpCount,
      carryRate: carry.carryRate,
      premium: carry.premium,
      funding8h: carry.funding8h,
    };
  }

  indexPrice(currency: Currency): number {
    return this.#sim(currency).index.indexPrice;
  }

  /** Instantaneous vol of the index diffusion, √max(v, 0) (annual). */
  instantVolAnnual(currency: Currency): number {
    return Math.sqrt(effectiveVariance(this.#sim(currency).index));
  }

  #expiryYears(expiryMs: number): number {
    return (expiryMs - this.#nowMs) / MS_PER_YEAR;
  }

  /** Forward of an expiry in USD: index·e^{carry·T} (the index at or past expiry). */
  forward(currency: Currency, expiryMs: number): number {
    const sim = this.#sim(currency);
    return forwardPrice(sim.index.indexPrice, sim.carry.carryRate, this.#expiryYears(expiryMs));
  }

  /** Fair value of the dated future expiring at expiryMs, USD (the forward). */
  futureFair(currency: Currency, expiryMs: number): number {
    return this.forward(currency, expiryMs);
  }

  /** Fair value of the perpetual, USD: index·(1 + premium). */
  perpetualFair(currency: Currency): number {
    const sim = this.#sim(currency);
    return perpetualFairPrice(sim.index.indexPrice, sim.carry.premium);
  }

  funding(currency: Currency): Funding {
    const sim = this.#sim(currency);
    return { currentFunding: fundingRate8h(sim.carry.premium, sim.params), funding8h: sim.carry.funding8h };
  }

  /** ATM implied vol of an expiry (annualised, 0.5 = 50 %). */
  atmVol(currency: Currency, expiryMs: number): number {
    return atmVolAnnual(this.#sim(currency).shape, this.#expiryYears(expiryMs));
  }

  /** The true smile of an expiry as raw SVI (total variance in k = ln(K/F)); expiry must be ahead. */
  sviParams(currency: Currency, expiryMs: number): SviParams {
    const expiryYears = this.#expiryYears(expiryMs);
    if (!(expiryYears > 0)) throw new Error(`expiry ${expiryMs} is not after ${this.#nowMs}`);
    return sviParamsAt(this.#sim(currency).shape, expiryYears);
  }

  /** True implied vol at a strike (annualised); NaN at or past expiry. */
  impliedVol(currency: Currency, expiryMs: number, strike: number): number {
    const expiryYears = this.#expiryYears(expiryMs);
    if (!(expiryYears > 0)) return NaN;
    const k = Math.log(strike / this.forward(currency, expiryMs));
    return Math.sqrt(sviTotalVariance(sviParamsAt(this.#sim(currency).shape, expiryYears), k) / expiryYears);
  }

  /** For buildCatalog's `strikeInputs`: forward, ATM vol and years of an expiry, now. */
  strikeInputs(currency: Currency): (expiryMs: number) => StrikeInputs {
    this.#sim(currency);
    return (expiryMs) => ({
      forward: this.forward(currency, expiryMs),
      atmVolAnnual: this.atmVol(currency, expiryMs),
      expiryYears: this.#expiryYears(expiryMs),
    });
  }

  /** Marks at nowMs (advancing to it first): marks[i] belongs to instruments[i]. */
  marks(instruments: readonly SimInstrument[], nowMs: number): readonly Mark[] {
    this.advance(nowMs);
    return this.#computeMarks(instruments, nowMs);
  }

  /**
   * The calculator's marks (and its forward/expiry/vol arrays) for these instruments at nowMs.
   * The result is a pure function of the instrument list, the time and the currencies' views (a
   * new view object whenever the state moves), so when all three are the ones of the last run —
   * marks, maker quotes and taker orders within one venue tick — that run is reused.
   */
  #computeMarks(instruments: readonly SimInstrument[], nowMs: number): readonly Mark[] {
    const memo = this.#marksMemo;
    if (memo && memo.instruments === instruments && memo.nowMs === nowMs && this.currencies.every((currency, k) => this.#sim(currency).view === memo.views[k])) return memo.marks;
    const marks = this.#calculator.compute(instruments, this.#viewOf, nowMs);
    this.#marksMemo = { instruments, nowMs, views: this.currencies.map((currency) => this.#sim(currency).view), marks };
    return marks;
  }

  /**
   * Background makers' quotes for the instruments whose quote is due (first quote, theo moved,
   * or refresh time reached; see makers.ts), at nowMs. An intent with neither side asks the
   * driver to pull that instrument's quotes (it expired). Remembers the list for takerOrders.
   */
  makerQuotes(instruments: readonly SimInstrument[], nowMs: number): readonly QuoteIntent[] {
    this.advance(nowMs);
    this.#quotedInstruments = instruments;
    const calc = this.#calculator;
    const marks = this.#computeMarks(instruments, nowMs);
    const intents: QuoteIntent[] = [];
    for (let i = 0; i < instruments.length; i++) {
      const instrument = instruments[i]!;
      const name = instrument.instrumentName;
      let slot = this.#makers.get(name);
      const expiryYears = calc.expiryYears[i]!;
      if (!(expiryYears > 0)) {
        // Pull once; forgetting the slot also keeps the map from growing with every relisting.
        if (slot) {
          this.#makers.delete(name);
          intents.push({ instrumentName: name });
        }
        continue;
      }
      const mark = marks[i]!;
      if (slot && !needsRequote(slot.record, mark.markPrice, nowMs, this.#makerParams)) continue;
      if (!slot) {
        slot = { rng: this.#rng.fork(`maker:${name}`), record: undefined };
        this.#makers.set(name, slot);
      }
      let quote: MakerQuote;
      if (instrument.kind === 'option') {
        const forward = calc.forward[i]!;
        const vol = calc.volAnnual[i]!;
        quote = makeOptionQuote(
          instrument,
          {
            priceCoin: mark.markPrice,
            vegaCoinPerVolPt: (mark.vegaUsd ?? 0) / forward,
            expiryYears,
            stdMoneyness: Math.log(instrument.strike! / forward) / (vol * Math.sqrt(expiryYears)),
          },
          slot.rng,
          this.#makerParams,
        );
      } else {
        quote = makeFutureQuote(instrument, mark.markPrice, slot.rng, this.#makerParams);
      }
      slot.record = recordQuote(quote, nowMs, slot.rng, this.#makerParams);
      intents.push(quote.intent);
    }
    return intents;
  }

  /**
   * Keeps the depth ladder of every live future and perpetual in `instruments` (future-depth.ts)
   * on `venue` at nowMs, around the fair values the marks use: moves the levels the fair value has
   * left behind, replaces those that traded, pulls those of futures expired or left out. A driver
   * calls it before its makers requote and again after its takers trade, in the same step.
   */
  keepFutureDepth(venue: DepthVenue, instruments: readonly SimInstrument[], nowMs: number): void {
    this.advance(nowMs);
    const marks = this.#computeMarks(instruments, nowMs);
    const expiryYears = this.#calculator.expiryYears;
    this.#futureDepth.update(
      venue,
      instruments,
      (i) => marks[i]!.markPrice,
      (i) => expiryYears[i]! > 0,
    );
  }

  /**
   * Taker orders that arrived since the last call (or the construction), sorted by arrival time.
   * Informed takers judge against the true theo at nowMs. `instruments` defaults to the list last
   * given to makerQuotes: takers trade what the makers quote.
   */
  takerOrders(nowMs: number, touch: TouchOf, instruments: readonly SimInstrument[] = this.#quotedInstruments): readonly TakerOrder[] {
    const fromMs = this.#lastTakerMs;
    if (!(nowMs > fromMs)) return [];
    this.#lastTakerMs = nowMs;
    this.advance(nowMs);
    const calc = this.#calculator;
    const marks = this.#computeMarks(instruments, nowMs);
    const params = this.#takerParams;
    const orders: TakerOrder[] = [];

    for (const currency of this.currencies) {
      const sim = this.#sim(currency);
      const options: number[] = [];
      const weights: number[] = [];
      const futures: number[] = [];
      let perpetual = -1;
      for (let i = 0; i < instruments.length; i++) {
        const instrument = instruments[i]!;
        if (instrument.currency !== currency) continue;
        const expiryYears = calc.expiryYears[i]!;
        if (!(expiryYears > 0)) continue;
        if (instrument.kind === 'option') {
          const vol = calc.volAnnual[i]!;
          options.push(i);
          weights.push(optionFlowWeight(Math.log(instrument.strike! / calc.forward[i]!) / (vol * Math.sqrt(expiryYears)), expiryYears, params));
        } else if (instrument.isPerpetual) perpetual = i;
        else futures.push(i);
      }

      const emit = (i: number, tsMs: number, rng: Rng): void => {
        const instrument = instruments[i]!;
        const mark = marks[i]!;
        const informed = rng.next() < params.informedShare;
        const amount = takerAmount(instrument, rng, params);
        const vegaCoin = instrument.kind === 'option' ? (mark.vegaUsd ?? 0) / calc.forward[i]! : 0;
        const edge = informedEdge(instrument, mark.markPrice, vegaCoin, params);
        const order = decideTakerOrder(
          { instrument, theo: mark.markPrice, edge, touch: touch(instrument.instrumentName), informed, amount, tsMs, vegaCoinPerVolPt: vegaCoin },
          rng,
          params,
        );
        if (order) orders.push(order);
      };

      const picker = new WeightedPicker(weights);
      if (!picker.empty) {
        const rng = sim.optionTakerRng;
        for (const tsMs of arrivalTimes(fromMs, nowMs, sim.rates.optionTradesPerSec, rng, params.maxArrivalsPerCall)) {
          emit(options[picker.pick(rng)]!, tsMs, rng);
        }
      }
      if (perpetual >= 0) {
        const rng = sim.perpetualTakerRng;
        for (const tsMs of arrivalTimes(fromMs, nowMs, sim.rates.perpetualTradesPerSec, rng, params.maxArrivalsPerCall)) emit(perpetual, tsMs, rng);
      }
      if (futures.length > 0) {
        const rng = sim.futureTakerRng;
        for (const tsMs of arrivalTimes(fromMs, nowMs, sim.rates.futureTradesPerSec, rng, params.maxArrivalsPerCall)) {
          emit(futures[rng.int(futures.length)]!, tsMs, rng);
        }
      }
    }
    // Stable: ties keep currency and stream order.
    return orders.sort((x, y) => x.tsMs - y.tsMs);
  }
}
