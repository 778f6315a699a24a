/**
 * Vectorised Black-76 repricing of a whole option chain into preallocated typed arrays, and the
 * one kernel behind every price and Greek of this library (black76Price and black76Greeks run it
 * on a one-option chain, so scalar and chain results are identical to the last bit).
 *
 * Create one ChainPricer with the chain's capacity, fill its input arrays in place when the market
 * moves and call reprice(count). Per option the code is flat: V8 boxes a double into a fresh heap
 * object whenever one crosses a call it has not inlined, so the option's code calls nothing but
 * Math builtins and allocates nothing in steady state. The arithmetic is that of
 * normalised-black.ts written out in place: with x = −|ln(F/K)|, s = σ√T, h = x/s, t = s/2 and
 * Y(z) = Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2) from Cody's rational approximations (normal.ts),
 *   b   = b′·[Y(h+t) − Y(h−t)]              (regions I–III: asymptotic, small-t series, direct)
 *   b   = e^{x/2} − b′·[Y(−(h+t)) + Y(h−t)]   (region IV)
 * with b′ = exp(−(h² + t²)/2)/√(2π), and price = intrinsic + √(FK)·b. The tail probabilities
 * Φ(h ± t) = b′·e^{∓x/2}·Y(h ± t) reuse the same Mills ratios for delta.
 *
 * Greeks (undiscounted, forward held fixed), per option:
 *   delta         ∂V/∂F: call Φ(d₁), put −Φ(−d₁)
 *   gamma         ∂²V/∂F² per 1 forward unit: φ(d₁)/(F·σ√T)
 *   vegaPerVolPt  F·φ(d₁)·√T / 100
 *   thetaPerDay   −F·φ(d₁)·σ/(2√T) / 365 (calendar day)
 *   vannaPerVolPt −φ(d₁)·d₂/σ / 100 (delta change per vol point)
 *   volgaPerVolPt vega·d₁·d₂/σ / 10⁴ (vegaPerVolPt change per vol point)
 *   rhoPerPct     −T·V / 100 (discount-rate sensitivity at fixed forward)
 *   priceCoin     V/F, the inverse (Deribit) premium in coin
 *   deltaPremiumAdjusted  delta − V/F, the coin exposure of an inverse option
 */
// Local copies of the constants of normal.ts (Cody's CALERF coefficients), normalised-black.ts
// (region boundaries) and types.ts: this loop evaluates the normalised price in place, and module
// bindings reached through a loader's import shims can cost a call per use. chain.test.ts checks
// that the copies equal the originals.
const REGION_I_H = -10;
const REGION_I_SUM = -10 + 0.21;
const REGION_II_T = 0.21;
const REGION_IV_SUM = 0.85;
const A0 = 3.1611237438705655;
const A1 = 113.86415415105016;
const A2 = 377.485237685302;
const A3 = 3209.3775891384694;
const A4 = 0.18577770618460315;
const B0 = 23.601290952344122;
const B1 = 244.02463793444417;
const B2 = 1282.6165260773723;
const B3 = 2844.236833439171;
const C0 = 0.5641884969886701;
const C1 = 8.883149794388377;
const C2 = 66.11919063714163;
const C3 = 298.6351381974001;
const C4 = 881.952221241769;
const C5 = 1712.0476126340707;
const C6 = 2051.0783778260716;
const C7 = 1230.3393547979972;
const C8 = 2.1531153547440383e-8;
const D0 = 15.744926110709835;
const D1 = 117.6939508913125;
const D2 = 537.1811018620099;
const D3 = 1621.3895745666903;
const D4 = 3290.7992357334597;
const D5 = 4362.619090143247;
const D6 = 3439.3676741437216;
const D7 = 1230.3393548037495;
const P0 = 0.30532663496123236;
const P1 = 0.36034489994980445;
const P2 = 0.12578172611122926;
const P3 = 0.016083785148742275;
const P4 = 0.0006587491615298378;
const P5 = 0.016315387137302097;
const Q0 = 2.568520192289822;
const Q1 = 1.8729528499234604;
const Q2 = 0.5279051029514285;
const Q3 = 0.06051834131244132;
const Q4 = 0.0023352049762686918;
const INV_SQRT_PI = 0.5641895835477563;
const SQRT_PI_OVER_2 = 1.2533141373155003;
const INV_SQRT_2PI = 0.3989422804014327;
const SQRT1_2 = Math.SQRT1_2;
const DAYS_PER_YEAR = 365;

/** The local copies, for the test that compares them with their originals. */
export const KERNEL_CONSTANTS: Readonly<Record<string, number>> = {
  REGION_I_H, REGION_I_SUM, REGION_II_T, REGION_IV_SUM, A0, A1, A2, A3, A4, B0, B1, B2, B3, C0, C1,
  C2, C3, C4, C5, C6, C7, C8, D0, D1, D2, D3, D4, D5, D6, D7, P0, P1, P2, P3, P4, P5, Q0, Q1, Q2,
  Q3, Q4, INV_SQRT_PI, SQRT_PI_OVER_2, INV_SQRT_2PI, DAYS_PER_YEAR,
};

/**
 * Undiscounted Black-76 price and Greeks for up to `capacity` options. Inputs and outputs are
 * parallel arrays indexed by option; units in the module comment.
 */
export class ChainPricer {
  readonly capacity: number;
  /** Forward of each option's expiry (USD per coin). */
  readonly forward: Float64Array;
  readonly strike: Float64Array;
  readonly expiryYears: Float64Array;
  /** Annualised volatility (0.55 = 55 %). */
  readonly volAnnual: Float64Array;
  /** 1 for a call, 0 for a put. */
  readonly isCall: Uint8Array;

  /** Black-76 premium in forward units (USD). */
  readonly price: Float64Array;
  /** Inverse premium in coin: price / forward. */
  readonly priceCoin: Float64Array;
  /** ∂V/∂F (Black delta, Deribit ticker convention). */
  readonly delta: Float64Array;
  /** delta − priceCoin: coin exposure of an inverse option. */
  readonly deltaPremiumAdjusted: Float64Array;
  /** ∂²V/∂F² per 1 forward unit. */
  readonly gamma: Float64Array;
  readonly vegaPerVolPt: Float64Array;
  readonly thetaPerDay: Float64Array;
  readonly vannaPerVolPt: Float64Array;
  readonly volgaPerVolPt: Float64Array;
  /** ∂V/∂r × 0.01 at fixed forward (−T·V/100). */
  readonly rhoPerPct: Float64Array;

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) {
      throw new RangeError(`capacity must be a non-negative integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.forward = new Float64Array(capacity);
    this.strike = new Float64Array(capacity);
    this.expiryYears = new Float64Array(capacity);
    this.volAnnual = new Float64Array(capacity);
    this.isCall = new Uint8Array(capacity);
    this.price = new Float64Array(capacity);
    this.priceCoin = new Float64Array(capacity);
    this.delta = new Float64Array(capacity);
    this.deltaPremiumAdjusted = new Float64Array(capacity);
    this.gamma = new Float64Array(capacity);
    this.vegaPerVolPt = new Float64Array(capacity);
    this.thetaPerDay = new Float64Array(capacity);
    this.vannaPerVolPt = new Float64Array(capacity);
    this.volgaPerVolPt = new Float64Array(capacity);
    this.rhoPerPct = new Float64Array(capacity);
  }

  /**
   * Reprices options 0 … count−1 from the input arrays into the output arrays (module comment).
   * Allocation-free. Zero expiry or volatility gives intrinsic value, a step delta (½ at the
   * money) and zero second-order Greeks; infinite volatility gives the upper bound (F or K);
   * invalid inputs (non-positive or infinite forward or strike, negative or NaN expiry or
   * volatility) give NaN in every output.
   */
  reprice(count?: number): void {
    // Read capacity on every call: a default-parameter expression that only some callers
    // evaluate leaves V8 without feedback for it and costs a deoptimisation later.
    const capacity = this.capacity;
    const n = count === undefined ? capacity : Math.min(count, capacity);
    // One call per option with an integer argument: nothing is boxed, and the per-option code is
    // invoked often enough to be (re)optimised quickly after a deoptimisation.
    for (let i = 0; i < n; i++) this.repriceOne(i);
  }

  /** Reprices options from … to−1 only (one option whose market moved between two chain reprices). */
  repriceRange(from: number, to: number): void {
    const end = Math.min(to, this.capacity);
    for (let i = Math.max(0, from); i < end; i++) this.repriceOne(i);
  }

  private repriceOne(i: number): void {
    const forwardIn = this.forward;
    const strikeIn = this.strike;
    const expiryIn = this.expiryYears;
    const volIn = this.volAnnual;
    const callIn = this.isCall;
    const priceOut = this.price;
    const coinOut = this.priceCoin;
    const deltaOut = this.delta;
    const deltaPaOut = this.deltaPremiumAdjusted;
    const gammaOut = this.gamma;
    const vegaOut = this.vegaPerVolPt;
    const thetaOut = this.thetaPerDay;
    const vannaOut = this.vannaPerVolPt;
    const volgaOut = this.volgaPerVolPt;
    const rhoOut = this.rhoPerPct;
    const f = forwardIn[i]!;
    const k = strikeIn[i]!;
    const expiry = expiryIn[i]!;
    const vol = volIn[i]!;
    const call = callIn[i] === 1;
    const sqrtT = Math.sqrt(expiry);
    const s = vol * sqrtT;
    const valid = f > 0 && k > 0 && expiry >= 0 && vol >= 0 && f < Infinity && k < Infinity;
    if (!valid || !(s > 0 && s < Infinity)) {
      if (valid && s === Infinity && expiry > 0) {
        // Infinite volatility: the option is worth its upper bound and nothing moves it.
        const bound = call ? f : k;
        priceOut[i] = bound;
        coinOut[i] = bound / f;
        deltaOut[i] = call ? 1 : 0;
        deltaPaOut[i] = (call ? 1 : 0) - bound / f;
        gammaOut[i] = 0;
        vegaOut[i] = 0;
        thetaOut[i] = 0;
        vannaOut[i] = 0;
        volgaOut[i] = 0;
        rhoOut[i] = 0.01 * (-expiry * bound);
      } else if (valid && (s === 0 || expiry === 0)) {
        const intrinsic = call ? Math.max(f - k, 0) : Math.max(k - f, 0);
        const callDelta = f > k ? 1 : f < k ? 0 : 0.5;
        const delta = call ? callDelta : callDelta - 1;
        priceOut[i] = intrinsic;
        coinOut[i] = intrinsic / f;
        deltaOut[i] = delta;
        deltaPaOut[i] = delta - intrinsic / f;
        gammaOut[i] = 0;
        vegaOut[i] = 0;
        thetaOut[i] = 0;
        vannaOut[i] = 0;
        volgaOut[i] = 0;
        rhoOut[i] = 0.01 * (-expiry * intrinsic);
      } else {
        priceOut[i] = NaN;
        coinOut[i] = NaN;
        deltaOut[i] = NaN;
        deltaPaOut[i] = NaN;
        gammaOut[i] = NaN;
        vegaOut[i] = NaN;
        thetaOut[i] = NaN;
        vannaOut[i] = NaN;
        volgaOut[i] = NaN;
        rhoOut[i] = NaN;
      }
      return;
    }

    const lnFK = Math.log(f / k);
    const x = -Math.abs(lnFK);
    const h = x / s;
    const t = 0.5 * s;
    const vegaN = INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
    // e^{x/2} = √(min(F, K)/max(F, K)): a square root is cheaper than an exponential.
    const eHalf = Math.sqrt(lnFK <= 0 ? f / k : k / f);
    const sum = h + t;
    const region = sum > REGION_IV_SUM ? 4 : h < REGION_I_H && sum < REGION_I_SUM ? 1 : t < REGION_II_T ? 2 : 3;

    // Mills ratios Y(z), evaluated in place: j = 0 → Y(h − t); j = 1 → Y(h + t), or Y(−(h + t)) in
    // region IV; j = 2 → Y(h) for the small-t series. Regions I and II get Y(h + t) from the
    // bracket instead (Y(h+t) = bracket + Y(h−t), a sum of positives).
    let yDown = 0;
    let yUp = 0;
    let yH = 0;
    const jTo = region === 2 ? 3 : region === 1 ? 1 : 2;
    for (let j = 0; j < jTo; j++) {
      if (j === 1 && region === 2) continue;
      const z = j === 0 ? h - t : j === 1 ? (region === 4 ? -sum : sum) : h;
      // Y(z) = √(π/2)·erfcx(u), u = −z/√2, erfcx as in normal.ts.
      const u = -z * SQRT1_2;
      const a = Math.abs(u);
      let e: number;
      if (a <= 0.46875) {
        const y2 = u * u;
        const erf = (u * ((((A4 * y2 + A0) * y2 + A1) * y2 + A2) * y2 + A3)) / ((((y2 + B0) * y2 + B1) * y2 + B2) * y2 + B3);
        e = Math.exp(y2) * (1 - erf);
      } else {
        let r: number;
        if (a <= 4) {
          r =
            ((((((((C8 * a + C0) * a + C1) * a + C2) * a + C3) * a + C4) * a + C5) * a + C6) * a + C7) /
            ((((((((a + D0) * a + D1) * a + D2) * a + D3) * a + D4) * a + D5) * a + D6) * a + D7);
        } else {
          const y2 = 1 / (a * a);
          r =
            (INV_SQRT_PI -
              (y2 * (((((P5 * y2 + P0) * y2 + P1) * y2 + P2) * y2 + P3) * y2 + P4)) /
                (((((y2 + Q0) * y2 + Q1) * y2 + Q2) * y2 + Q3) * y2 + Q4)) /
            a;
        }
        if (u > 0) e = r;
        else if (a > 26.7) e = Infinity;
        else {
          // 2·exp(u²) − erfcx(|u|), with u² split so its rounding stays out of the exponent.
          const ah = Math.trunc(a * 16) / 16;
          e = 2 / (Math.exp(-ah * ah) * Math.exp(-(a - ah) * (a + ah))) - r;
        }
      }
      const y = SQRT_PI_OVER_2 * e;
      if (j === 0) yDown = y;
      else if (j === 1) yUp = y;
      else yH = y;
    }

    let b: number;
    let cdfUp: number;
    let cdfUpC: number;
    const cdfDown = vegaN * eHalf * yDown;
    if (region === 4) {
      // Here yUp holds Y(−(h + t)).
      b = eHalf - vegaN * (yUp + yDown);
      cdfUpC = (vegaN * yUp) / eHalf;
      cdfUp = 1 - cdfUpC;
    } else {
      let bracket: number;
      if (region === 3) bracket = yUp - yDown;
      else if (region === 2) {
        // 2·Σ t^{2k+1}/(2k+1)!·Y^{(2k+1)}(h), Y^{(m+1)} = h·Y^{(m)} + m·Y^{(m−1)}.
        let yPrev = yH;
        let yCur = 1 + h * yH;
        let coefficient = t;
        let series = coefficient * yCur;
        const t2 = t * t;
        for (let m = 1; m < 15; m += 2) {
          const yNext = h * yCur + m * yPrev;
          const yNext2 = h * yNext + (m + 1) * yCur;
          yPrev = yNext;
          yCur = yNext2;
          coefficient *= t2 / ((m + 1) * (m + 2));
          const term = coefficient * yCur;
          series += term;
          if (Math.abs(term) <= 1e-17 * series) break;
        }
        bracket = 2 * series;
      } else {
        // Asymptotic Y(−w) ~ Σ(−1)ⁿ(2n−1)!!·w^{−(2n+1)}, differenced term by term.
        const ia = -1 / sum;
        const ic = -1 / (h - t);
        let powerSum = 1;
        let cPow = 1;
        let doubleFactorial = 1;
        let series = 1;
        for (let m = 1; m < 60; m++) {
          cPow *= ic;
          powerSum = ia * powerSum + cPow;
          cPow *= ic;
          powerSum = ia * powerSum + cPow;
          doubleFactorial *= 2 * m - 1;
          const term = doubleFactorial * powerSum;
          if (m % 2 === 1) series -= term;
          else series += term;
          if (term < 1e-17 * series) break;
        }
        bracket = 2 * t * ia * ic * series;
      }
      if (region !== 3) yUp = bracket + yDown;
      b = vegaN * bracket;
      cdfUp = (vegaN * yUp) / eHalf;
      cdfUpC = 1 - cdfUp;
    }

    const intrinsic = call ? Math.max(f - k, 0) : Math.max(k - f, 0);
    const rootFK = Math.sqrt(f) * Math.sqrt(k);
    const price = intrinsic + rootFK * b;
    let delta: number;
    if (lnFK <= 0) delta = call ? cdfUp : -cdfUpC;
    else delta = call ? 1 - cdfDown : -cdfDown;
    const vega = rootFK * vegaN * sqrtT;
    const d1 = lnFK / s + t;
    const d2 = d1 - s;
    const coin = price / f;
    priceOut[i] = price;
    coinOut[i] = coin;
    deltaOut[i] = delta;
    deltaPaOut[i] = delta - coin;
    gammaOut[i] = vega / (f * f * s * sqrtT);
    vegaOut[i] = 0.01 * vega;
    thetaOut[i] = (-vega * vol) / (2 * expiry) / DAYS_PER_YEAR;
    vannaOut[i] = (0.01 * (-vega * d2)) / (f * s);
    volgaOut[i] = (1e-4 * (vega * d1 * d2)) / vol;
    rhoOut[i] = 0.01 * (-expiry * price);
  }
}
