/**
 * The normalised Black function for out-of-the-money calls, computed without cancellation.
 *
 * With x = ln(F/K) ≤ 0 and s = σ√T, the undiscounted Black call divided by √(FK) is
 *
 *   b(x, s) = e^{x/2}·Φ(x/s + s/2) − e^{−x/2}·Φ(x/s − s/2),      0 ≤ b < e^{x/2}.
 *
 * Every other case reduces to this one: a put at x equals a call at −x, and an in-the-money
 * option is its intrinsic value plus the out-of-the-money one (put–call parity).
 *
 * Writing h = x/s, t = s/2 and Y(z) = Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2), both terms share the
 * factor b′(s) = exp(−(h² + t²)/2)/√(2π), the normalised vega, so
 *
 *   b = b′·[Y(h + t) − Y(h − t)]                         (regions I–III)
 *   e^{x/2} − b = b′·[Y(−(h + t)) + Y(h − t)]            (complement, a sum of positives)
 *
 * The bracket is evaluated in one of four ways, the regions of Jäckel's "Let's Be Rational":
 *  I   h < −10 and h + t < −9.79: asymptotic series of Y in 1/|z|, differenced term by term;
 *  II  t < 0.21: Taylor series in t, whose coefficients are derivatives of Y at h;
 *  III h + t ≤ 0.85: the difference of two Mills ratios, which loses at most a few bits;
 *  IV  h + t > 0.85: b = e^{x/2} − complement, where b is not small against e^{x/2}.
 *
 * One flat evaluator, {@link evaluateBracket}, serves the implied-volatility solver and the chain
 * kernel. It exchanges its doubles through {@link bracketIo} and takes and returns small integers
 * only: V8 boxes every double that crosses a call it does not inline, and this call sits in the
 * innermost loops, which must not allocate.
 */
import { INV_SQRT_2PI } from './normal.ts';

/** Region boundaries (module comment). */
export const REGION_I_H = -10;
export const REGION_I_SUM = -10 + 0.21;
export const REGION_II_T = 0.21;
export const REGION_IV_SUM = 0.85;

// Cody's CALERF coefficients, copied from normal.ts (normalised-black.test.ts checks the copies):
// erfcx is evaluated in place below rather than called.
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
const SQRT1_2 = Math.SQRT1_2;

/** The copied constants, for the test that compares them with normal.ts. */
export const BRACKET_CONSTANTS: Readonly<Record<string, number>> = {
  A0, A1, A2, A3, A4, B0, B1, B2, B3, C0, C1, C2, C3, C4, C5, C6, C7, C8, D0, D1, D2, D3, D4, D5, D6, D7,
  P0, P1, P2, P3, P4, P5, Q0, Q1, Q2, Q3, Q4, INV_SQRT_PI, SQRT_PI_OVER_2,
};

/**
 * Exchange buffer of {@link evaluateBracket}: in [IO_H] = h, [IO_T] = t; out [IO_BRACKET],
 * [IO_Y_UP] = Y(h + t) (or Y(−(h + t)) when the complement was evaluated), [IO_Y_DOWN] = Y(h − t).
 */
export const bracketIo = new Float64Array(5);
export const IO_H = 0;
export const IO_T = 1;
export const IO_BRACKET = 2;
export const IO_Y_UP = 3;
export const IO_Y_DOWN = 4;

/**
 * Evaluates, for h = bracketIo[IO_H] ≤ 0 and t = bracketIo[IO_T] > 0, the bracket of the module
 * comment into bracketIo[IO_BRACKET]:
 *   complement = 0: Y(h+t) − Y(h−t) = b/b′ in regions I–III, Y(−(h+t)) + Y(h−t) in region IV;
 *   complement = 1: Y(−(h+t)) + Y(h−t) = (e^{x/2} − b)/b′ whatever the region.
 * With tails = 1 it also leaves both Mills ratios in IO_Y_UP and IO_Y_DOWN (the chain needs them
 * for delta). Returns the region 1–4 that was used, 4 whenever the complement was evaluated.
 */
export function evaluateBracket(complement: number, tails: number): number {
  const io = bracketIo;
  const h = io[IO_H]!;
  const t = io[IO_T]!;
  const sum = h + t;
  const region = complement === 1 || sum > REGION_IV_SUM ? 4 : h < REGION_I_H && sum < REGION_I_SUM ? 1 : t < REGION_II_T ? 2 : 3;
  // Mills ratios needed: j = 0 → Y(h − t); j = 1 → Y(±(h + t)); j = 2 → Y(h) for the series.
  // Regions III and IV need j = 0, 1; region II j = 2 (and 0 for tails); region I only 0 for tails.
  let jFrom = 0;
  let jTo = 2;
  if (region === 2) {
    jFrom = tails === 1 ? 0 : 2;
    jTo = 3;
  } else if (region === 1) jTo = tails === 1 ? 1 : 0;
  let yDown = 0;
  let yUp = 0;
  let yH = 0;
  for (let j = jFrom; j < jTo; j++) {
    if (region === 2 && j === 1) continue;
    const z = j === 0 ? h - t : j === 1 ? (region === 4 ? -sum : sum) : h;
    // Y(z) = √(π/2)·erfcx(u), u = −z/√2, with erfcx as in normal.ts.
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
        const ah = Math.trunc(a * 16) / 16;
        e = 2 / (Math.exp(-ah * ah) * Math.exp(-(a - ah) * (a + ah))) - r;
      }
    }
    const y = SQRT_PI_OVER_2 * e;
    if (j === 0) yDown = y;
    else if (j === 1) yUp = y;
    else yH = y;
  }

  let bracket: number;
  if (region === 4) bracket = yUp + yDown;
  else if (region === 3) bracket = yUp - yDown;
  else if (region === 2) {
    // 2·Σ t^{2k+1}/(2k+1)!·Y^{(2k+1)}(h), where Y′ = 1 + zY gives Y^{(m+1)} = h·Y^{(m)} + m·Y^{(m−1)};
    // at most eight odd terms reach 1e-17 for t < 0.21.
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
    // Y(−w) ~ Σₙ(−1)ⁿ(2n−1)!!·w^{−(2n+1)} for large w; each a^m − c^m (a = 1/w₁, c = 1/w₂) is
    // (a − c)·Σ a^{m−1−i}cⁱ with a − c = 2t·a·c exactly, so no small difference is formed.
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
  io[IO_BRACKET] = bracket;
  if (tails === 1) {
    // In regions I and II, Y(h+t) = bracket + Y(h−t): a sum of positives, no third Mills ratio.
    io[IO_Y_UP] = region === 1 || region === 2 ? bracket + yDown : yUp;
    io[IO_Y_DOWN] = yDown;
  }
  return region;
}

/**
 * The bracket D(h, t) = Y(h + t) − Y(h − t) = b/b′ for h ≤ 0, t > 0 and h + t ≤ 0.85 (the price
 * in units of its own vega). Positive, free of underflow however small b is.
 */
export function scaledOtmCall(h: number, t: number): number {
  bracketIo[IO_H] = h;
  bracketIo[IO_T] = t;
  evaluateBracket(0, 0);
  return bracketIo[IO_BRACKET]!;
}

/** The complement bracket Y(−(h + t)) + Y(h − t) = (e^{x/2} − b)/b′; finite for h + t > −37. */
export function scaledOtmCallComplement(h: number, t: number): number {
  bracketIo[IO_H] = h;
  bracketIo[IO_T] = t;
  evaluateBracket(1, 0);
  return bracketIo[IO_BRACKET]!;
}

/**
 * Which evaluation of the bracket applies at (h, t): 1 asymptotic, 2 small-t series, 3 Mills-ratio
 * difference, 4 complement (see the module comment).
 */
export function bracketRegion(h: number, t: number): 1 | 2 | 3 | 4 {
  if (h + t > REGION_IV_SUM) return 4;
  if (h < REGION_I_H && h + t < REGION_I_SUM) return 1;
  if (t < REGION_II_T) return 2;
  return 3;
}

/**
 * Normalised out-of-the-money Black call
 *   b(x, s) = e^{x/2}Φ(x/s + s/2) − e^{−x/2}Φ(x/s − s/2)
 * for x = ln(F/K) ≤ 0 and total standard deviation s = σ√T ≥ 0; undiscounted price / √(FK).
 * Relative accuracy is a few ulp times the price's own condition number x²/(2s²) + s²/8.
 */
export function normalisedOtmCall(x: number, s: number): number {
  if (!(s > 0)) return s === 0 ? 0 : NaN;
  if (s === Infinity) return Math.exp(0.5 * x);
  const h = x / s;
  const t = 0.5 * s;
  const vega = INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
  bracketIo[IO_H] = h;
  bracketIo[IO_T] = t;
  const region = evaluateBracket(0, 0);
  const bracket = bracketIo[IO_BRACKET]!;
  return region === 4 ? Math.exp(0.5 * x) - vega * bracket : vega * bracket;
}

/**
 * Normalised vega ∂b/∂s = exp(−(x²/s² + s²/4)/2)/√(2π), the same for calls and puts.
 * Undiscounted vega per unit volatility is √(FK)·√T·∂b/∂s.
 */
export function normalisedVega(x: number, s: number): number {
  if (!(s > 0)) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
}
