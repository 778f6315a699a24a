/**
 * Slow, obviously-correct reference implementations, kept beside the fast ones and tested
 * against them on grids. Nothing here is tuned: textbook formulas, a normal CDF from its
 * Taylor series and the Laplace continued fraction (independent of Cody's approximations),
 * bisection for implied volatility, and quadrature of the vega for out-of-the-money prices.
 */
import type { OptionKind } from './types.ts';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** exp(−z²/2) with z² split so its rounding does not enter the exponent. */
function gaussianAccurate(z: number): number {
  const a = Math.abs(z);
  const hi = Math.round(a * 64) / 64;
  const lo = a - hi;
  return Math.exp(-0.5 * hi * hi) * Math.exp(-(hi * lo + 0.5 * lo * lo));
}

/** Mills ratio R(w) = Φ(−w)/φ(w) by the continued fraction 1/(w + 1/(w + 2/(w + 3/(w + …)))). */
function millsRatio(w: number): number {
  let tail = 0;
  for (let n = 4000; n >= 1; n--) tail = n / (w + tail);
  return 1 / (w + tail);
}

/**
 * Reference standard normal CDF: for |z| ≤ 1.5 the Taylor series
 * Φ(z) = ½ + φ(z)·Σ z^{2n+1}/(2n+1)!!, beyond it φ(z)·R(|z|) with the continued fraction.
 */
export function refNormCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (Math.abs(z) <= 1.5) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (z * z) / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
    }
    return 0.5 + INV_SQRT_2PI * Math.exp(-0.5 * z * z) * sum;
  }
  const tail = INV_SQRT_2PI * gaussianAccurate(z) * millsRatio(Math.abs(z));
  return z < 0 ? tail : 1 - tail;
}

/** Textbook Black-76: call F·N(d₁) − K·N(d₂), put K·N(−d₂) − F·N(−d₁), undiscounted. */
export function refBlack76Price(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): number {
  const s = volAnnual * Math.sqrt(expiryYears);
  if (s === 0) return kind === 'call' ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  const d1 = Math.log(forward / strike) / s + s / 2;
  const d2 = d1 - s;
  return kind === 'call'
    ? forward * refNormCdf(d1) - strike * refNormCdf(d2)
    : strike * refNormCdf(-d2) - forward * refNormCdf(-d1);
}

/** Textbook Black-76 Greeks, undiscounted, per unit (not per vol point or day). */
export interface RefGreeks {
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  /** −∂V/∂T per year. */
  readonly theta: number;
  readonly vanna: number;
  readonly volga: number;
}

/** Greeks by the textbook formulas: Φ(d₁), φ(d₁)/(Fσ√T), Fφ(d₁)√T, −Fφ(d₁)σ/(2√T), −φ(d₁)d₂/σ, vega·d₁d₂/σ. */
export function refBlack76Greeks(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): RefGreeks {
  const sqrtT = Math.sqrt(expiryYears);
  const s = volAnnual * sqrtT;
  const d1 = Math.log(forward / strike) / s + s / 2;
  const d2 = d1 - s;
  const pdf = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1);
  const vega = forward * pdf * sqrtT;
  return {
    delta: kind === 'call' ? refNormCdf(d1) : refNormCdf(d1) - 1,
    gamma: pdf / (forward * s),
    vega,
    theta: (-forward * pdf * volAnnual) / (2 * sqrtT),
    vanna: (-pdf * d2) / volAnnual,
    volga: (vega * d1 * d2) / volAnnual,
  };
}

// Gauss–Legendre nodes and weights on [−1, 1], found by Newton's method on P_n.
const GL_ORDER = 24;
const GL_NODES: number[] = [];
const GL_WEIGHTS: number[] = [];
for (let i = 1; i <= GL_ORDER; i++) {
  let z = Math.cos((Math.PI * (i - 0.25)) / (GL_ORDER + 0.5));
  let derivative = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let p0 = 1;
    let p1 = z;
    for (let k = 2; k <= GL_ORDER; k++) {
      const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    derivative = (GL_ORDER * (z * p1 - p0)) / (z * z - 1);
    const dz = p1 / derivative;
    z -= dz;
    if (Math.abs(dz) < 1e-16) break;
  }
  GL_NODES.push(z);
  GL_WEIGHTS.push(2 / ((1 - z * z) * derivative * derivative));
}

/**
 * Normalised out-of-the-money call b(x, s) for x ≤ 0 as the integral of its vega,
 * b(x, s) = ∫₀ˢ exp(−(x²/u² + u²/4)/2)/√(2π) du: a sum of positive terms, so no cancellation.
 * Integrated in v = ln u (the integrand is smooth on that scale) with composite Gauss–Legendre,
 * from where the integrand is e^{−50} below its peak; panels follow its steepest slope.
 */
export function refNormalisedOtmCall(x: number, s: number): number {
  const x2 = x * x;
  const peak = Math.min(s, Math.sqrt(2 * Math.abs(x)));
  const lower = x === 0 ? s * 1e-20 : 1 / Math.sqrt(1 / (peak * peak) + 100 / x2);
  const from = Math.log(lower);
  const to = Math.log(s);
  const slope = x2 / (lower * lower) + (s * s) / 4 + 1;
  const panels = Math.min(50000, Math.max(256, Math.ceil((slope * (to - from)) / 2)));
  const width = (to - from) / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = from + (p + 0.5) * width;
    let panel = 0;
    for (let i = 0; i < GL_ORDER; i++) {
      const u = Math.exp(mid + 0.5 * width * GL_NODES[i]!);
      panel += GL_WEIGHTS[i]! * u * Math.exp(-0.5 * (x2 / (u * u) + 0.25 * u * u));
    }
    sum += 0.5 * width * panel;
  }
  return INV_SQRT_2PI * sum;
}

/**
 * Implied volatility by bisection on the textbook price: the bracket [0, hi] is doubled until
 * it contains the price, then halved 200 times. undefined outside (intrinsic, upper bound).
 */
export function refImpliedVol(
  price: number,
  forward: number,
  strike: number,
  expiryYears: number,
  kind: OptionKind,
): number | undefined {
  const intrinsic = kind === 'call' ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  const upper = kind === 'call' ? forward : strike;
  if (!(price >= intrinsic && price < upper && expiryYears > 0)) return undefined;
  let lo = 0;
  let hi = 1;
  while (refBlack76Price(forward, strike, expiryYears, hi, kind) < price) {
    hi *= 2;
    if (hi > 1e4) return undefined;
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (refBlack76Price(forward, strike, expiryYears, mid, kind) < price) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
