/**
 * The quote kernel for a whole chain: after an underlying move, surface → theo → reservation vol →
 * prices, sizes and reasons for every option, then the order diff against the working set. The
 * formulas and the order of the constraints are those of quote-generator.ts (its module comment);
 * quoteOption runs this kernel on a one-option chain, so both agree to the last bit.
 *
 * Layout, as core/pricing's ChainPricer: inputs and outputs are parallel typed arrays indexed by
 * option, filled in place by the engine, so a requote allocates nothing until the diff emits its
 * actions. Black-76 runs vectorised twice: once at theo vol for every option (price, delta, vega),
 * once at the vol of every side and level. Per-side, per-level outputs sit at
 * slot(i, side, level) = (2i + side)·MAX_LEVELS + level, side 0 the bid, 1 the ask.
 *
 * Prices are handled as integer "aggressiveness" ticks a = +ticks for a bid, −ticks for an ask,
 * so one code path serves both sides: rounding passively is floor(a), every constraint that caps
 * aggressiveness is a ≤ bound (clamp), every constraint on passiveness is a ≥ bound (drop).
 */
import { ChainPricer, impliedVolFromCoinPrice, inverseOptionPriceCoin, surfaceImpliedVolAtStrike } from '../pricing/index.ts';
import type { VolSurface } from '../pricing/index.ts';
import type { InstrumentRow } from '../protocol/index.ts';
import { collarHalfWidthCoin } from './collar.ts';
import type { PriceCollar } from './collar.ts';
import type { EffectiveOverride } from './overrides.ts';
import { diffQuoteInto } from './quote-diff.ts';
import type { DesiredQuoteSource, QuoteAction, RefreshTolerance, SideIndex, WorkingOrder } from './quote-diff.ts';
import type { QuotingParams } from './quoting-params.ts';
import { SIDE_OFF_REASONS } from './quote-types.ts';
import type { OptionQuote, PortfolioRisk, QuoteLevel, QuoteSide, QuotingMode, SideOffReason } from './quote-types.ts';
import { amountFromLots, floorLots, priceFromTicks, TICK_EPSILON } from './ticks.ts';

/** Most levels per side (QuotingParams.levels ≤ 3). */
export const MAX_LEVELS = 3;

const code = (reason: SideOffReason | ''): number => SIDE_OFF_REASONS.indexOf(reason);
const QUOTED = code('');
const NOT_SELECTED = code('not-selected');
const STALE = code('stale-market');
const INVALID = code('invalid-input');
const OVERRIDE = code('override');
const REDUCING = code('reducing-mode');
const BELOW_ONE_TICK = code('below-one-tick');
const WOULD_CROSS = code('would-cross');
const OUTSIDE_COLLAR = code('outside-collar');
const SIZE_ZERO = code('size-zero');
const CROSSED = code('crossed');

/** What applies to the whole chain on one requote. */
export interface ChainQuoteContext {
  readonly params: QuotingParams;
  readonly portfolio: PortfolioRisk;
  readonly mode: QuotingMode;
  readonly collar: PriceCollar;
}

const NO_ORDERS: readonly WorkingOrder[] = Object.freeze([]);
const NO_IDS: readonly string[] = Object.freeze([]);

/** Quotes up to `capacity` options of one underlying. Fill the inputs, call quote(), read or diff. */
export class ChainQuoter {
  readonly capacity: number;

  // ── Inputs (per option) ──────────────────────────────────────────────────────────────────
  readonly instrumentName: string[];
  readonly strike: Float64Array;
  /** 1 for a call, 0 for a put. */
  readonly isCall: Uint8Array;
  readonly tickSize: Float64Array;
  readonly minTradeAmount: Float64Array;
  readonly expiryYears: Float64Array;
  /** USD forward of the option's expiry. */
  readonly forwardUsd: Float64Array;
  /** Surface vol at the strike (fillTheoFromSurface writes it). */
  readonly theoVolAnnual: Float64Array;
  readonly uncertaintyVolPts: Float64Array;
  /** The venue's best bid, best ask and mark in coin; NaN when absent. */
  readonly marketBidCoin: Float64Array;
  readonly marketAskCoin: Float64Array;
  readonly markCoin: Float64Array;
  /** 1 while the option's book is stale: nothing is quoted. */
  readonly stale: Uint8Array;
  /** 1 when the option's expiry is selected (selectExpiries); initialised to 1. */
  readonly expirySelected: Uint8Array;
  readonly positionCoin: Float64Array;
  /** Portfolio vega of the option's expiry bucket. */
  readonly bucketVegaUsdPerVolPt: Float64Array;
  /** Effective override per option (effectiveOverride), undefined for none. */
  readonly overrides: (EffectiveOverride | undefined)[];

  // ── Outputs ──────────────────────────────────────────────────────────────────────────────
  /** Black-76 at theo vol (surface + vol offset): priceCoin, delta, vegaPerVolPt per option. */
  readonly theo: ChainPricer;
  readonly reservationVolAnnual: Float64Array;
  readonly skewVolPts: Float64Array;
  readonly halfWidthVolPts: Float64Array;
  /** Levels quoted per side, index 2i + side. */
  readonly levelCount: Uint8Array;
  /** Why a side with no level is off, index 2i + side: a code into SIDE_OFF_REASONS (0 when quoted). */
  readonly offReason: Uint8Array;
  /** Per side and level, at slot(i, side, level). */
  readonly levelPriceCoin: Float64Array;
  readonly levelAmountCoin: Float64Array;
  readonly levelTargetVolAnnual: Float64Array;
  readonly levelLimitCoin: Float64Array;

  private readonly sides: ChainPricer;
  private readonly status: Uint8Array;
  private readonly cursor: ChainCursor;
  private levels = 1;
  private context: ChainQuoteContext | undefined;

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`capacity must be a non-negative integer, got ${capacity}`);
    this.capacity = capacity;
    const f64 = () => new Float64Array(capacity);
    this.instrumentName = new Array<string>(capacity).fill('');
    this.strike = f64();
    this.isCall = new Uint8Array(capacity);
    this.tickSize = f64();
    this.minTradeAmount = f64();
    this.expiryYears = f64();
    this.forwardUsd = f64();
    this.theoVolAnnual = f64();
    this.uncertaintyVolPts = f64();
    this.marketBidCoin = f64().fill(NaN);
    this.marketAskCoin = f64().fill(NaN);
    this.markCoin = f64().fill(NaN);
    this.stale = new Uint8Array(capacity);
    this.expirySelected = new Uint8Array(capacity).fill(1);
    this.positionCoin = f64();
    this.bucketVegaUsdPerVolPt = f64();
    this.overrides = new Array<EffectiveOverride | undefined>(capacity).fill(undefined);
    this.theo = new ChainPricer(capacity);
    this.reservationVolAnnual = f64();
    this.skewVolPts = f64();
    this.halfWidthVolPts = f64();
    this.levelCount = new Uint8Array(2 * capacity);
    this.offReason = new Uint8Array(2 * capacity);
    const perLevel = 2 * MAX_LEVELS * capacity;
    this.levelPriceCoin = new Float64Array(perLevel);
    this.levelAmountCoin = new Float64Array(perLevel);
    this.levelTargetVolAnnual = new Float64Array(perLevel);
    this.levelLimitCoin = new Float64Array(perLevel);
    this.sides = new ChainPricer(perLevel);
    this.status = new Uint8Array(capacity);
    this.cursor = new ChainCursor(this);
  }

  /** Index of side `side`, level `level` of option i in the level arrays. */
  static slot(i: number, side: SideIndex, level: number): number {
    return (2 * i + side) * MAX_LEVELS + level;
  }

  /** Copies the static fields of an instrument into row i. */
  setInstrument(i: number, instrument: Pick<InstrumentRow, 'instrumentName' | 'strike' | 'optionType' | 'tickSize' | 'minTradeAmount'>): void {
    this.instrumentName[i] = instrument.instrumentName;
    this.strike[i] = instrument.strike ?? NaN;
    this.isCall[i] = instrument.optionType === 'call' ? 1 : 0;
    this.tickSize[i] = instrument.tickSize;
    this.minTradeAmount[i] = instrument.minTradeAmount;
  }

  /** theoVolAnnual of options 0 … count−1 from the surface at their strike, forward and expiry. */
  fillTheoFromSurface(surface: VolSurface, count: number = this.capacity): void {
    const n = Math.min(count, this.capacity);
    for (let i = 0; i < n; i++) {
      this.theoVolAnnual[i] = surfaceImpliedVolAtStrike(surface, this.strike[i]!, this.forwardUsd[i]!, this.expiryYears[i]!);
    }
  }

  /** Quotes options 0 … count−1 into the output arrays (quote-generator.ts). Allocation-free. */
  quote(count: number, context: ChainQuoteContext): void {
    const n = Math.min(count, this.capacity);
    const levels = Math.min(Math.max(1, Math.floor(context.params.levels)), MAX_LEVELS);
    this.levels = levels;
    this.context = context;
    for (let i = 0; i < n; i++) this.theoInputs(i);
    this.theo.reprice(n);
    for (let i = 0; i < n; i++) this.prepareOne(i, context);
    this.sides.reprice(2 * levels * n);
    for (let i = 0; i < n; i++) this.finishOne(i, context);
  }

  /**
   * Quotes option i alone, leaving every other option's outputs as they were: the per-frame
   * requote of an option whose market moved between two chain requotes. The same arithmetic as
   * quote(), so both agree to the last bit. Allocation-free.
   */
  quoteOne(i: number, context: ChainQuoteContext): void {
    if (!(i >= 0 && i < this.capacity)) return;
    const levels = Math.min(Math.max(1, Math.floor(context.params.levels)), MAX_LEVELS);
    this.levels = levels;
    this.context = context;
    this.theoInputs(i);
    this.theo.repriceRange(i, i + 1);
    this.prepareOne(i, context);
    this.sides.repriceRange(2 * levels * i, 2 * levels * (i + 1));
    this.finishOne(i, context);
  }

  private theoInputs(i: number): void {
    const theo = this.theo;
    const override = this.overrides[i];
    theo.forward[i] = this.forwardUsd[i]!;
    theo.strike[i] = this.strike[i]!;
    theo.expiryYears[i] = this.expiryYears[i]!;
    theo.volAnnual[i] = this.theoVolAnnual[i]! + (override === undefined ? 0 : override.volOffsetPts / 100);
    theo.isCall[i] = this.isCall[i]!;
  }

  /** Selection, skew, width and the vols of every side and level of option i (into the side pricer). */
  private prepareOne(i: number, context: ChainQuoteContext): void {
    const params = context.params;
    const theo = this.theo;
    const override = this.overrides[i];
    const forward = this.forwardUsd[i]!;
    const strike = this.strike[i]!;
    const expiry = this.expiryYears[i]!;
    const vol = theo.volAnnual[i]!;
    const uncertainty = this.uncertaintyVolPts[i]!;
    const tick = this.tickSize[i]!;
    const lot = this.minTradeAmount[i]!;
    const delta = theo.delta[i]!;
    const vega = theo.vegaPerVolPt[i]!;
    const valid =
      forward > 0 && forward < Infinity && strike > 0 && strike < Infinity && expiry > 0 && expiry < Infinity &&
      vol >= 0 && vol < Infinity && uncertainty >= 0 && uncertainty < Infinity && tick > 0 && tick < Infinity &&
      lot > 0 && lot < Infinity && theo.priceCoin[i]! >= 0 && vega >= 0 && vega < Infinity &&
      // Broken risk inputs must not quote unskewed at full size: x − x is 0 only for finite x.
      context.portfolio.deltaCoin - context.portfolio.deltaCoin === 0 &&
      context.portfolio.vegaUsdPerVolPt - context.portfolio.vegaUsdPerVolPt === 0 &&
      this.bucketVegaUsdPerVolPt[i]! - this.bucketVegaUsdPerVolPt[i]! === 0 &&
      this.positionCoin[i]! - this.positionCoin[i]! === 0;
    let status = QUOTED;
    if (!valid) status = INVALID;
    else {
      // Put-call parity of undiscounted Black deltas: the strike's call delta from either option.
      const callDelta = this.isCall[i] === 1 ? delta : delta + 1;
      const logMoneyness = Math.log(strike / forward);
      const strikeSelected = callDelta >= params.minAbsDelta && callDelta <= params.maxAbsDelta && Math.abs(logMoneyness) <= params.maxAbsLogMoneyness;
      if (this.expirySelected[i] !== 1 || expiry * 365 < params.minDaysToExpiry || !strikeSelected) status = NOT_SELECTED;
      else if (this.stale[i] !== 0) status = STALE;
    }
    this.status[i] = status;

    const portfolio = context.portfolio;
    const maxSkew = params.maxSkewVolPts;
    const marginalRiskUsd =
      params.riskAversionDelta * portfolio.deltaCoin * delta +
      (params.riskAversionVega * portfolio.vegaUsdPerVolPt + params.riskAversionBucketVega * this.bucketVegaUsdPerVolPt[i]!) * vega;
    // With no vega the vol shift is unbounded: take the clamp in the right direction. 0 − x keeps
    // a flat book at +0 rather than −0.
    let skew = vega > 0 ? 0 - marginalRiskUsd / vega : marginalRiskUsd > 0 ? -maxSkew : marginalRiskUsd < 0 ? maxSkew : 0;
    if (skew > maxSkew) skew = maxSkew;
    else if (skew < -maxSkew) skew = -maxSkew;
    else if (!(skew === skew)) skew = 0;
    if (override !== undefined) skew += override.skewOffsetPts;
    const halfWidth = (params.baseHalfWidthVolPts + params.uncertaintyWidthFactor * uncertainty) * (override === undefined ? 1 : override.widthMultiplier);
    const reservation = vol + skew / 100;
    this.skewVolPts[i] = skew;
    this.halfWidthVolPts[i] = halfWidth;
    this.reservationVolAnnual[i] = reservation;

    const sides = this.sides;
    const levels = this.levels;
    const spacing = params.levelSpacingVolPts;
    const isCall = this.isCall[i]!;
    for (let s = 0; s < 2; s++) {
      for (let l = 0; l < levels; l++) {
        const j = (2 * i + s) * levels + l;
        const distance = (halfWidth + l * spacing) / 100;
        const sideVol = s === 0 ? reservation - distance : reservation + distance;
        sides.forward[j] = forward;
        sides.strike[j] = strike;
        sides.expiryYears[j] = expiry;
        sides.volAnnual[j] = sideVol > 0 ? sideVol : 0;
        sides.isCall[j] = isCall;
      }
    }
  }

  /** Ticks, constraints and sizes of both sides of option i (quote-generator.ts, steps 4–5). */
  private finishOne(i: number, context: ChainQuoteContext): void {
    const status = this.status[i]!;
    if (status !== QUOTED) {
      this.levelCount[2 * i] = 0;
      this.levelCount[2 * i + 1] = 0;
      this.offReason[2 * i] = status;
      this.offReason[2 * i + 1] = status;
      return;
    }
    const params = context.params;
    const override = this.overrides[i];
    const theo = this.theo;
    const sides = this.sides;
    const levels = this.levels;
    const tick = this.tickSize[i]!;
    const lot = this.minTradeAmount[i]!;
    const theoCoin = theo.priceCoin[i]!;
    const delta = theo.delta[i]!;
    const vega = theo.vegaPerVolPt[i]!;

    // Normalised risk ρ, its slope g and curvature h along a purchase of this option.
    const refDelta = params.sizeShrinkDeltaCoin;
    const refVega = params.sizeShrinkVegaUsdPerVolPt;
    const refBucket = params.sizeShrinkBucketVegaUsdPerVolPt;
    const refPosition = params.sizeShrinkPositionCoin;
    const portDelta = context.portfolio.deltaCoin;
    const portVega = context.portfolio.vegaUsdPerVolPt;
    const bucketVega = this.bucketVegaUsdPerVolPt[i]!;
    const position = this.positionCoin[i]!;
    const zDelta = portDelta / refDelta;
    const zVega = portVega / refVega;
    const zBucket = bucketVega / refBucket;
    const zPosition = position / refPosition;
    const rho = zDelta * zDelta + zVega * zVega + zBucket * zBucket + zPosition * zPosition;
    const g = (zDelta * delta) / refDelta + (zVega / refVega + zBucket / refBucket) * vega + zPosition / refPosition;
    const h = (delta * delta) / (refDelta * refDelta) + vega * vega * (1 / (refVega * refVega) + 1 / (refBucket * refBucket)) + 1 / (refPosition * refPosition);
    const shrink = Math.max(0, 1 - Math.sqrt(rho));
    const reducing = context.mode === 'reducing';
    const baseSize = override?.sizeCoin ?? params.sizeCoin;
    const factors = params.levelSizeFactors;

    const theoTicks = theoCoin / tick;
    const edge = params.minEdgeTicks;
    const bandTheoTicks = collarHalfWidthCoin(theoCoin, tick, context.collar) / tick;
    const mark = this.markCoin[i]!;
    const hasMark = mark > 0;
    const bandMarkTicks = hasMark ? collarHalfWidthCoin(mark, tick, context.collar) / tick : 0;

    for (let s = 0; s < 2; s++) {
      const sign = s === 0 ? 1 : -1;
      const k0 = (2 * i + s) * MAX_LEVELS;
      const fixed = override === undefined ? undefined : s === 0 ? override.fixedBidPriceCoin : override.fixedAskPriceCoin;
      const gSide = sign * g;
      let reason = QUOTED;
      let count = 0;
      if (override !== undefined && (s === 0 ? override.bidOff : override.askOff)) reason = OVERRIDE;
      else if (reducing && !(gSide < 0)) reason = REDUCING;
      else {
        const x = sign * theoTicks;
        // Aggressiveness caps (clamp): minimum edge (model prices only), an ask of one tick at
        // least, the collar's far edge around theo and mark, then post-only.
        let limit = fixed === undefined ? Math.min(Math.floor(x - edge + TICK_EPSILON), Math.ceil(x - TICK_EPSILON) - 1) : Infinity;
        if (s === 1 && limit > -1) limit = -1;
        limit = Math.min(limit, Math.floor(x + bandTheoTicks + TICK_EPSILON));
        // Passiveness floors (drop): a bid of one tick at least, the collar's near edge.
        let passiveFloor = Math.max(s === 0 ? 1 : -Infinity, Math.ceil(x - bandTheoTicks - TICK_EPSILON));
        if (hasMark) {
          const m = (sign * mark) / tick;
          limit = Math.min(limit, Math.floor(m + bandMarkTicks + TICK_EPSILON));
          passiveFloor = Math.max(passiveFloor, Math.ceil(m - bandMarkTicks - TICK_EPSILON));
        }
        let postBinds = false;
        if (params.postOnly) {
          const opposite = s === 0 ? this.marketAskCoin[i]! : this.marketBidCoin[i]!;
          if (opposite > 0) {
            const post = Math.ceil((sign * opposite) / tick - TICK_EPSILON) - 1;
            if (post < limit) {
              limit = post;
              postBinds = true;
            }
          }
        }
        const limitPrice = priceFromTicks(sign * limit, tick);
        const sizeFactor = gSide > 0 ? shrink : 1;
        // REDUCING: all levels together stop at the fill that minimises ρ.
        let remaining = reducing ? Math.abs(g) / h : Infinity;
        let previous = Infinity;
        const levelsHere = fixed === undefined ? levels : 1;
        for (let l = 0; l < levelsHere; l++) {
          const j = (2 * i + s) * levels + l;
          const target = fixed === undefined ? sides.priceCoin[j]! : fixed;
          let a = Math.floor((sign * target) / tick + TICK_EPSILON);
          if (a !== a) {
            reason = INVALID;
            break;
          }
          if (a > previous - 1) a = previous - 1;
          let clampedByPost = false;
          if (a > limit) {
            a = limit;
            clampedByPost = postBinds;
          }
          if (a < passiveFloor) {
            reason = clampedByPost ? WOULD_CROSS : s === 0 && a < 1 ? BELOW_ONE_TICK : OUTSIDE_COLLAR;
            break;
          }
          const wanted = Math.min(baseSize * factors[l]! * sizeFactor, remaining);
          const lots = floorLots(wanted, lot);
          if (lots === 0) {
            reason = SIZE_ZERO;
            break;
          }
          remaining -= lots * lot;
          const k = k0 + l;
          this.levelPriceCoin[k] = priceFromTicks(sign * a, tick);
          this.levelAmountCoin[k] = amountFromLots(lots, lot);
          this.levelTargetVolAnnual[k] = fixed === undefined ? sides.volAnnual[j]! : this.reservationVolAnnual[i]!;
          this.levelLimitCoin[k] = limitPrice;
          previous = a;
          count++;
        }
      }
      this.levelCount[2 * i + s] = count;
      this.offReason[2 * i + s] = count > 0 ? QUOTED : reason;
    }

    // Model sides straddle theo, so only a fixed price can cross: the trader's side stays.
    const bidCount = this.levelCount[2 * i]!;
    const askCount = this.levelCount[2 * i + 1]!;
    if (bidCount > 0 && askCount > 0 && this.levelPriceCoin[2 * i * MAX_LEVELS]! >= this.levelPriceCoin[(2 * i + 1) * MAX_LEVELS]! - 1e-9 * tick) {
      const bidFixed = override?.fixedBidPriceCoin !== undefined;
      const askFixed = override?.fixedAskPriceCoin !== undefined;
      for (let s = 0; s < 2; s++) {
        const fixedHere = s === 0 ? bidFixed : askFixed;
        const fixedThere = s === 0 ? askFixed : bidFixed;
        if (!fixedHere || fixedThere) {
          this.levelCount[2 * i + s] = 0;
          this.offReason[2 * i + s] = CROSSED;
        }
      }
    }
  }

  /** The quote of option i as plain data (for the UI and tests); computes each level's implied vol. */
  quoteAt(i: number): OptionQuote {
    const theo = this.theo;
    const forward = this.forwardUsd[i]!;
    const reservation = this.reservationVolAnnual[i]!;
    const override = this.overrides[i];
    const vega = theo.vegaPerVolPt[i]!;
    return {
      instrumentName: this.instrumentName[i]!,
      tickSize: this.tickSize[i]!,
      minTradeAmount: this.minTradeAmount[i]!,
      theoPriceCoin: theo.priceCoin[i]!,
      theoVolAnnual: theo.volAnnual[i]!,
      reservationVolAnnual: reservation,
      reservationPriceCoin: inverseOptionPriceCoin(forward, this.strike[i]!, this.expiryYears[i]!, Math.max(reservation, 0), this.isCall[i] === 1 ? 'call' : 'put'),
      skewVolPts: this.skewVolPts[i]!,
      halfWidthVolPts: this.halfWidthVolPts[i]!,
      deltaBlack: theo.delta[i]!,
      vegaUsdPerVolPt: vega,
      vegaCoinPerVolPt: vega / forward,
      postOnly: this.context?.params.postOnly ?? true,
      locked: override?.locked === true,
      bid: this.sideAt(i, 0),
      ask: this.sideAt(i, 1),
      overrideIds: override?.overrideIds ?? NO_IDS,
    };
  }

  private sideAt(i: number, side: SideIndex): QuoteSide {
    const count = this.levelCount[2 * i + side]!;
    if (count === 0) return { quoted: false, reason: SIDE_OFF_REASONS[this.offReason[2 * i + side]!] as SideOffReason };
    const kind = this.isCall[i] === 1 ? 'call' : 'put';
    const levels: QuoteLevel[] = [];
    for (let l = 0; l < count; l++) {
      const k = ChainQuoter.slot(i, side, l);
      const priceCoin = this.levelPriceCoin[k]!;
      const volAnnual = impliedVolFromCoinPrice(priceCoin, this.forwardUsd[i]!, this.strike[i]!, this.expiryYears[i]!, kind);
      levels.push({
        priceCoin,
        amountCoin: this.levelAmountCoin[k]!,
        ...(volAnnual !== undefined && { volAnnual }),
        targetVolAnnual: this.levelTargetVolAnnual[k]!,
        limitPriceCoin: this.levelLimitCoin[k]!,
      });
    }
    return { quoted: true, levels };
  }

  /** Whether option i's quote is frozen by a lock override. */
  isLocked(i: number): boolean {
    return this.overrides[i]?.locked === true;
  }

  /** Whether the last quote() ran with post-only orders. */
  get postOnly(): boolean {
    return this.context?.params.postOnly ?? true;
  }

  /**
   * Appends to `out` the actions that turn the working orders of options 0 … count−1
   * (working[i], undefined for none) into their last quote (quote-diff.ts). Allocates only actions.
   */
  diff(count: number, working: readonly (readonly WorkingOrder[] | undefined)[], tolerance: RefreshTolerance, out: QuoteAction[]): void {
    const n = Math.min(count, this.capacity);
    for (let i = 0; i < n; i++) this.diffOne(i, working[i] ?? NO_ORDERS, tolerance, out);
  }

  /** As diff, for option i alone against its working orders; only its cancels when cancelsOnly (nothing else could go out). */
  diffOne(i: number, working: readonly WorkingOrder[], tolerance: RefreshTolerance, out: QuoteAction[], cancelsOnly = false): void {
    this.cursor.moveTo(i);
    diffQuoteInto(this.cursor, working, tolerance, out, cancelsOnly);
  }
}

/**
 * Option i of a ChainQuoter seen as a desired quote. Scalars are copied into fields when the
 * cursor moves, so the diff reads plain properties rather than getters that box a double per call.
 */
class ChainCursor implements DesiredQuoteSource {
  private index = 0;
  instrumentName = '';
  tickSize = 0;
  minTradeAmount = 0;
  vegaCoinPerVolPt = 0;
  postOnly = true;
  locked = false;
  constructor(private readonly chain: ChainQuoter) {}
  moveTo(i: number): void {
    const chain = this.chain;
    this.index = i;
    this.instrumentName = chain.instrumentName[i]!;
    this.tickSize = chain.tickSize[i]!;
    this.minTradeAmount = chain.minTradeAmount[i]!;
    this.vegaCoinPerVolPt = chain.theo.vegaPerVolPt[i]! / chain.forwardUsd[i]!;
    this.postOnly = chain.postOnly;
    this.locked = chain.isLocked(i);
  }
  levelCount(side: SideIndex): number {
    return this.chain.levelCount[2 * this.index + side]!;
  }
  priceCoin(side: SideIndex, level: number): number {
    return this.chain.levelPriceCoin[(2 * this.index + side) * MAX_LEVELS + level]!;
  }
  amountCoin(side: SideIndex, level: number): number {
    return this.chain.levelAmountCoin[(2 * this.index + side) * MAX_LEVELS + level]!;
  }
  limitPriceCoin(side: SideIndex, level: number): number {
    return this.chain.levelLimitCoin[(2 * this.index + side) * MAX_LEVELS + level]!;
  }
}
