/**
 * Black implied volatility to machine precision in two or three iterations, after the design of
 * P. Jäckel, "Let's Be Rational" (Wilmott, 2015): our own implementation of its ideas.
 *
 * 1. Reduce every input to an out-of-the-money call in normalised form: x = −|ln(F/K)| ≤ 0 and
 *    β = (price − intrinsic)/√(FK), to be matched by b(x, s) with s = σ√T (normalised-black.ts).
 * 2. Split the attainable range (0, e^{x/2}) at b_c = b(x, s_c), s_c = √(2|x|) the inflection of
 *    b in s, and at the values b_l, b_u where the tangent at the inflection meets 0 and e^{x/2}.
 *    Four branches get four initial guesses, each a rational cubic interpolation of a nearly
 *    linear transform of s (rational-cubic.ts):
 *      β < b_l         f = (2π|x|/√27)·Φ(−|x|/(√3·s))³, the small-s asymptote of b, inverted exactly;
 *      b_l ≤ β < b_c    s itself, matching slopes and the zero curvature at the inflection;
 *      b_c ≤ β ≤ b_u    likewise on the concave side;
 *      β > b_u         f = Φ(−s/2), the large-s asymptote of (e^{x/2} − b)/2, inverted exactly.
 * 3. Polish with third-order Householder steps on an objective that is close to linear in s on
 *    each branch: 1/ln b − 1/ln β below b_l, b − β in the middle, ln(e^{x/2} − β) − ln(e^{x/2} − b)
 *    above b_u. Both logarithms are evaluated from the scaled brackets, so they neither
 *    underflow nor cancel, and prices down to the smallest subnormal are solved.
 */
import { erfcx, INV_SQRT_2PI, inverseNormCdf, LN_SQRT_2PI } from './normal.ts';
import { bracketIo, evaluateBracket } from './normalised-black.ts';
import { controlForLeftCurvature, controlForRightCurvature, rationalCubicAt } from './rational-cubic.ts';
import type { OptionKind } from './types.ts';

const SQRT3 = Math.sqrt(3);
const TWO_PI_OVER_SQRT27 = (2 * Math.PI) / Math.sqrt(27);
const SQRT_PI_OVER_2 = Math.sqrt(Math.PI / 2);
const SQRT1_2 = Math.SQRT1_2;
/** Below this s_c the closed form of b_c loses more than a bit to cancellation. */
const CLOSED_FORM_MIN_SC = 0.42;

/** A step this small relative to s leaves an error of order (1e-4)⁴ after a fourth-order step. */
const CONVERGED_RELATIVE_STEP = 1e-4;
const MAX_ITERATIONS = 12;

const LOWEST = 0;
const MIDDLE = 1;
const UPPER = 2;

let lastIterations = 0;
/** b′(s) of the latest {@link otmAt}. */
let evaluatedVega = 0;

/**
 * b(x, s) for 0 < s < ∞ through the flat bracket evaluator, leaving b′(s) in evaluatedVega; bMax
 * is e^{x/2}. One call deep, so the solver's doubles are boxed as rarely as possible.
 */
function otmAt(x: number, s: number, bMax: number): number {
  const h = x / s;
  const t = 0.5 * s;
  const vega = INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
  evaluatedVega = vega;
  const io = bracketIo;
  io[0] = h;
  io[1] = t;
  return evaluateBracket(0, 0) === 4 ? bMax - vega * io[2]! : vega * io[2]!;
}

/** Number of Householder iterations taken by the most recent solve (diagnostics and tests). */
export function lastImpliedVolIterations(): number {
  return lastIterations;
}

/**
 * Lower map f(s) = (2π|x|/√27)·Φ(−z)³ with z = |x|/(√3·s), and its first two derivatives in s:
 *   f′ = 3AΦ(−z)²φ(z)·z/s,   f″ = (3AΦ(−z)φ(z)z/s²)·[2φ(z)z + Φ(−z)(z² − 2)].
 * It matches b(x, s) to leading order as s → 0, so β ↦ f is nearly the identity there.
 */
function lowerMapInitialGuess(x: number, beta: number, sL: number, bL: number, vL: number): number {
  const ax = -x;
  const a = TWO_PI_OVER_SQRT27 * ax;
  const z = ax / (SQRT3 * sL);
  // A guess needs no tail-exact Φ: Φ(−z) = φ(z)·√(π/2)·erfcx(z/√2) shares the one exponential.
  const pdf = INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  const cdf = pdf * SQRT_PI_OVER_2 * erfcx(z * SQRT1_2);
  const fL = a * cdf * cdf * cdf;
  const dfds = (3 * a * cdf * cdf * pdf * z) / sL;
  const d2fds2 = ((3 * a * cdf * pdf * z) / (sL * sL)) * (2 * pdf * z + cdf * (z * z - 2));
  const curvature = (x * x) / (sL * sL * sL) - 0.25 * sL;
  const dfdb = dfds / vL;
  const d2fdb2 = (d2fds2 - dfds * curvature) / (vL * vL);
  const r = controlForRightCurvature(bL, 0, fL, 1, dfdb, d2fdb2);
  let f = rationalCubicAt(beta / bL, (bL - beta) / bL, bL, 0, fL, 1, dfdb, r);
  if (!(f > 0 && f < fL * 1.0000001)) f = beta;
  const cdfTarget = Math.cbrt(f / a);
  const zGuess = -inverseNormCdf(cdfTarget);
  return ax / (SQRT3 * zGuess);
}

/**
 * Upper map f(s) = Φ(−s/2) with f′ = −φ(s/2)/2 and f″ = s·φ(s/2)/8; (e^{x/2} − b)/2 → f as
 * s → ∞ for every x, so f is interpolated in β with slope −1/2 at β = e^{x/2}.
 */
function upperMapInitialGuess(x: number, beta: number, bMax: number, sU: number, bU: number, vU: number): number {
  const pdf = INV_SQRT_2PI * Math.exp(-0.125 * sU * sU);
  const fU = pdf * SQRT_PI_OVER_2 * erfcx(0.5 * sU * SQRT1_2);
  const dfds = -0.5 * pdf;
  const d2fds2 = 0.125 * sU * pdf;
  const curvature = (x * x) / (sU * sU * sU) - 0.25 * sU;
  const dfdb = dfds / vU;
  const d2fdb2 = (d2fds2 - dfds * curvature) / (vU * vU);
  const width = bMax - bU;
  const r = controlForLeftCurvature(width, fU, 0, dfdb, -0.5, d2fdb2);
  let f = rationalCubicAt((beta - bU) / width, (bMax - beta) / width, width, fU, 0, dfdb, -0.5, r);
  if (!(f > 0 && f < 0.5)) f = 0.5 * (bMax - beta);
  return -2 * inverseNormCdf(f);
}

/**
 * Normalised implied total standard deviation: the s ≥ 0 with b(x, s) = β for x ≤ 0, where
 * b(x, s) = e^{x/2}Φ(x/s + s/2) − e^{−x/2}Φ(x/s − s/2) is the normalised out-of-the-money call.
 * Returns 0 for β = 0 and NaN when β lies outside [0, e^{x/2}) or x > 0.
 */
export function normalisedImpliedStdDev(beta: number, x: number): number {
  return solveNormalised(beta, x, Math.exp(0.5 * x));
}

/** {@link normalisedImpliedStdDev} with bMax = e^{x/2} supplied by the caller. */
function solveNormalised(beta: number, x: number, bMax: number): number {
  lastIterations = 0;
  if (!(x <= 0)) return NaN;
  if (!(beta >= 0 && beta < bMax)) return NaN;
  if (beta === 0) return 0;
  const ax = -x;
  let sC = 0;
  let bC = 0;
  let vC = INV_SQRT_2PI;
  if (ax > 0) {
    sC = Math.sqrt(2 * ax);
    // At the inflection x²/s² = s²/4 = |x|/2, so the vega there is e^{x/2}/√(2π) exactly and
    // h = −t = −s_c/2: only the bracket needs evaluating, in closed form unless s_c is small
    // (where Y(0) − Y(−s_c) would cancel and the series is used).
    vC = INV_SQRT_2PI * bMax;
    if (sC >= CLOSED_FORM_MIN_SC) {
      // Y(0) = √(π/2), so b_c = b′·(√(π/2) − Y(−s_c)) with one Mills ratio, Y(−s_c) = √(π/2)·erfcx(s_c/√2).
      bC = vC * SQRT_PI_OVER_2 * (1 - erfcx(sC * SQRT1_2));
    } else {
      bracketIo[0] = -0.5 * sC;
      bracketIo[1] = 0.5 * sC;
      evaluateBracket(0, 0);
      bC = vC * bracketIo[2]!;
    }
  }

  let mode: number;
  let s: number;
  let sLeft: number;
  let sRight: number;
  if (beta < bC) {
    const sL = sC - bC / vC;
    const bL = otmAt(x, sL, bMax);
    const vL = evaluatedVega;
    if (beta < bL) {
      mode = LOWEST;
      sLeft = 0;
      sRight = sL;
      s = lowerMapInitialGuess(x, beta, sL, bL, vL);
    } else {
      mode = MIDDLE;
      sLeft = sL;
      sRight = sC;
      const width = bC - bL;
      // ds/dβ = 1/b′ at both ends; d²s/dβ² = −b″/b′³ vanishes at the inflection.
      const r = controlForRightCurvature(width, sL, sC, 1 / vL, 1 / vC, 0);
      s = rationalCubicAt((beta - bL) / width, (bC - beta) / width, width, sL, sC, 1 / vL, 1 / vC, r);
    }
  } else {
    const sU = sC + (bMax - bC) / vC;
    const bU = otmAt(x, sU, bMax);
    const vU = evaluatedVega;
    if (beta <= bU) {
      mode = MIDDLE;
      sLeft = sC;
      sRight = sU;
      const width = bU - bC;
      const r = controlForLeftCurvature(width, sC, sU, 1 / vC, 1 / vU, 0);
      s = rationalCubicAt((beta - bC) / width, (bU - beta) / width, width, sC, sU, 1 / vC, 1 / vU, r);
    } else {
      mode = UPPER;
      sLeft = sU;
      sRight = Infinity;
      s = upperMapInitialGuess(x, beta, bMax, sU, bU, vU);
    }
  }

  const io = bracketIo;
  const x2 = x * x;
  const invLnBeta = mode === LOWEST ? 1 / Math.log(beta) : 0;
  const lnBeta = mode === LOWEST ? Math.log(beta) : 0;
  const lnComplementTarget = mode === UPPER ? Math.log(bMax - beta) : 0;
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    if (!(s > 0 && s >= sLeft && s <= sRight && s < Infinity)) s = sRight < Infinity ? 0.5 * (sLeft + sRight) : 2 * sLeft + 1;
    const h = x / s;
    const t = 0.5 * s;
    const lnVega = -0.5 * (h * h + t * t) - LN_SQRT_2PI;
    const s3 = s * s * s;
    // b″/b′ and its derivative in s; they give every objective's higher derivatives.
    const curvature = x2 / s3 - 0.25 * s;
    const curvatureSlope = (-3 * x2) / (s3 * s) - 0.25;
    let newton: number;
    let ratio2: number;
    let ratio3: number;
    let above: boolean;
    // bracketIo slots: 0 h, 1 t, 2 bracket (normalised-black.ts).
    io[0] = h;
    io[1] = t;
    if (mode === LOWEST) {
      // s < s_c puts h + t < 0: the bracket is b/b′ (regions I–III).
      evaluateBracket(0, 0);
      const bracket = io[2]!;
      const lnB = lnVega + Math.log(bracket);
      const lambda = 1 / lnB;
      const u = 1 / bracket;
      const onePlus2Lambda = 1 + 2 * lambda;
      newton = (lambda - invLnBeta) / (lambda * lambda * u);
      ratio2 = curvature - u * onePlus2Lambda;
      ratio3 = curvatureSlope - (curvature * u - u * u) * onePlus2Lambda + 2 * u * u * lambda * lambda + ratio2 * ratio2;
      above = lnB > lnBeta;
    } else if (mode === UPPER) {
      evaluateBracket(1, 0);
      const bracket = io[2]!;
      const lnComplement = lnVega + Math.log(bracket);
      const v = 1 / bracket;
      newton = (lnComplement - lnComplementTarget) / v;
      ratio2 = curvature + v;
      ratio3 = curvatureSlope + v * ratio2 + ratio2 * ratio2;
      above = lnComplement < lnComplementTarget;
    } else {
      const vega = Math.exp(lnVega);
      const b = evaluateBracket(0, 0) === 4 ? bMax - vega * io[2]! : vega * io[2]!;
      newton = (beta - b) / vega;
      ratio2 = curvature;
      ratio3 = curvature * curvature + curvatureSlope;
      above = b > beta;
    }
    if (above) sRight = s;
    else sLeft = s;
    // Householder(3): ds = ν(1 + ν·f″/2f′) / (1 + ν·(f″/f′ + ν·f‴/6f′)), ν the Newton step.
    let step = (newton * (1 + 0.5 * ratio2 * newton)) / (1 + newton * (ratio2 + (ratio3 * newton) / 6));
    if (!Number.isFinite(step)) step = newton;
    // s itself is now one end of the bracket, so a step of the right sign stays inside it.
    let next = s + step;
    if (!(next >= sLeft && next <= sRight)) {
      next = s + newton;
      if (!(next >= sLeft && next <= sRight)) next = sRight < Infinity ? 0.5 * (sLeft + sRight) : 2 * s;
    }
    const moved = Math.abs(next - s);
    s = next;
    if (moved <= CONVERGED_RELATIVE_STEP * s || !(moved > 0)) {
      iterations++;
      break;
    }
  }
  lastIterations = iterations;
  return s;
}

/**
 * Implied Black-76 volatility (annualised, 0.55 = 55 %) of an undiscounted European option price
 * in the forward's units: the σ ≥ 0 with black76Price(F, K, T, σ, kind) = price.
 * Returns 0 when the price equals intrinsic value, and undefined where no volatility
 * reproduces the price: below intrinsic, at or above the upper bound (F for a call, K for a put),
 * zero or negative expiry, non-positive forward or strike, NaN or infinite inputs.
 */
export function impliedVol(
  price: number,
  forward: number,
  strike: number,
  expiryYears: number,
  kind: OptionKind,
): number | undefined {
  if (!(forward > 0 && strike > 0 && expiryYears > 0 && price >= 0)) return undefined;
  if (!(forward < Infinity && strike < Infinity && expiryYears < Infinity && price < Infinity)) return undefined;
  const intrinsic = kind === 'call' ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  const otm = price - intrinsic;
  if (otm < 0) return undefined;
  if (otm === 0) return 0;
  if (!(otm < Math.min(forward, strike))) return undefined;
  const x = -Math.abs(Math.log(forward / strike));
  const sqrtF = Math.sqrt(forward);
  const sqrtK = Math.sqrt(strike);
  const beta = otm / (sqrtF * sqrtK);
  // e^{x/2} = √(min(F, K)/max(F, K)), without an exponential.
  const s = solveNormalised(beta, x, forward < strike ? sqrtF / sqrtK : sqrtK / sqrtF);
  if (!(s >= 0 && s < Infinity)) return undefined;
  return s / Math.sqrt(expiryYears);
}

/**
 * Implied volatility of a discounted Black-76 price V = e^{−rT}·B(F, K, T, σ): solves
 * B = V·e^{rT} with {@link impliedVol}. rateAnnual is continuously compounded (0.05 = 5 %).
 */
export function impliedVolDiscounted(
  price: number,
  forward: number,
  strike: number,
  expiryYears: number,
  rateAnnual: number,
  kind: OptionKind,
): number | undefined {
  if (!Number.isFinite(rateAnnual)) return undefined;
  return impliedVol(price * Math.exp(rateAnnual * expiryYears), forward, strike, expiryYears, kind);
}
