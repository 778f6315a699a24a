/**
 * The standard normal distribution to full double precision, tails included.
 *
 * Everything rests on W. J. Cody's rational Chebyshev approximations for erf/erfc
 * ("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969), the
 * coefficient sets of his SPECFUN routine CALERF, which are accurate to about 1e-16 relative.
 * The scaled form erfcx(u) = exp(u²)·erfc(u) is what makes far-tail quantities exact: the
 * ratio Φ(z)/φ(z) never underflows and is insensitive to rounding of its argument.
 */

const SQRT1_2 = Math.SQRT1_2;
/** 1/√(2π). */
export const INV_SQRT_2PI = 0.3989422804014327;
/** √(π/2). */
export const SQRT_PI_OVER_2 = 1.2533141373155003;
/** ln √(2π). */
export const LN_SQRT_2PI = 0.9189385332046728;
export const INV_SQRT_PI = 0.5641895835477563;

// Cody's interval boundaries: |u| ≤ 0.46875 uses erf directly, (0.46875, 4] and (4, ∞) erfc.
const ERF_SMALL_LIMIT = 0.46875;
const ERF_MID_LIMIT = 4;
/** z such that z/√2 = 0.46875: the normCdf switch between erf and the scaled tail form. */
const CDF_SWITCH = ERF_SMALL_LIMIT * Math.SQRT2;

// Coefficients from CALERF, written as the doubles nearest to the published values; exported so
// the tests can check the in-place copies of normalised-black.ts and chain.ts against them.
export const A0 = 3.1611237438705655;
export const A1 = 113.86415415105016;
export const A2 = 377.485237685302;
export const A3 = 3209.3775891384694;
export const A4 = 0.18577770618460315;
export const B0 = 23.601290952344122;
export const B1 = 244.02463793444417;
export const B2 = 1282.6165260773723;
export const B3 = 2844.236833439171;

export const C0 = 0.5641884969886701;
export const C1 = 8.883149794388377;
export const C2 = 66.11919063714163;
export const C3 = 298.6351381974001;
export const C4 = 881.952221241769;
export const C5 = 1712.0476126340707;
export const C6 = 2051.0783778260716;
export const C7 = 1230.3393547979972;
export const C8 = 2.1531153547440383e-8;
export const D0 = 15.744926110709835;
export const D1 = 117.6939508913125;
export const D2 = 537.1811018620099;
export const D3 = 1621.3895745666903;
export const D4 = 3290.7992357334597;
export const D5 = 4362.619090143247;
export const D6 = 3439.3676741437216;
export const D7 = 1230.3393548037495;

export const P0 = 0.30532663496123236;
export const P1 = 0.36034489994980445;
export const P2 = 0.12578172611122926;
export const P3 = 0.016083785148742275;
export const P4 = 0.0006587491615298378;
export const P5 = 0.016315387137302097;
export const Q0 = 2.568520192289822;
export const Q1 = 1.8729528499234604;
export const Q2 = 0.5279051029514285;
export const Q3 = 0.06051834131244132;
export const Q4 = 0.0023352049762686918;

/** erf(u) for |u| ≤ 0.46875 (Cody's first interval). */
function erfSmall(u: number): number {
  const y = u * u;
  const num = (((A4 * y + A0) * y + A1) * y + A2) * y + A3;
  const den = (((y + B0) * y + B1) * y + B2) * y + B3;
  return (u * num) / den;
}

/** erfcx(u) = exp(u²)·erfc(u) for u > 0.46875 (Cody's second and third intervals, unscaled part). */
function erfcxLarge(u: number): number {
  if (u <= ERF_MID_LIMIT) {
    const num = (((((((C8 * u + C0) * u + C1) * u + C2) * u + C3) * u + C4) * u + C5) * u + C6) * u + C7;
    const den = (((((((u + D0) * u + D1) * u + D2) * u + D3) * u + D4) * u + D5) * u + D6) * u + D7;
    return num / den;
  }
  const y = 1 / (u * u);
  const num = ((((P5 * y + P0) * y + P1) * y + P2) * y + P3) * y + P4;
  const den = ((((y + Q0) * y + Q1) * y + Q2) * y + Q3) * y + Q4;
  return (INV_SQRT_PI - (y * num) / den) / u;
}

/**
 * exp(−v²) with the rounding of v² taken out: v = vh + (v − vh) with vh on a 1/16 grid, so
 * vh² is exact and only the small cross term is rounded (Cody's device). Relative error stays
 * near 1 ulp even where v² is hundreds.
 */
function expNegSquare(v: number): number {
  const vh = Math.trunc(v * 16) / 16;
  return Math.exp(-vh * vh) * Math.exp(-(v - vh) * (v + vh));
}

/**
 * Scaled complementary error function erfcx(u) = exp(u²)·erfc(u), full double precision.
 * Overflows to +Infinity below u ≈ −26.6, where exp(u²) does.
 * Written flat (no helper calls): it sits under every price and implied volatility, and a call
 * the engine does not inline boxes its double arguments and result.
 */
export function erfcx(u: number): number {
  const a = Math.abs(u);
  if (a <= ERF_SMALL_LIMIT) {
    const y = u * u;
    const erf = (u * ((((A4 * y + A0) * y + A1) * y + A2) * y + A3)) / ((((y + B0) * y + B1) * y + B2) * y + B3);
    return Math.exp(y) * (1 - erf);
  }
  let r: number;
  if (a <= ERF_MID_LIMIT) {
    r =
      ((((((((C8 * a + C0) * a + C1) * a + C2) * a + C3) * a + C4) * a + C5) * a + C6) * a + C7) /
      ((((((((a + D0) * a + D1) * a + D2) * a + D3) * a + D4) * a + D5) * a + D6) * a + D7);
  } else {
    const y = 1 / (a * a);
    r =
      (INV_SQRT_PI -
        (y * (((((P5 * y + P0) * y + P1) * y + P2) * y + P3) * y + P4)) / (((((y + Q0) * y + Q1) * y + Q2) * y + Q3) * y + Q4)) /
      a;
  }
  if (u > 0) return r;
  if (a > 26.7) return Infinity;
  // erfcx(u) = 2·exp(u²) − erfcx(|u|), with u² split as in expNegSquare.
  const ah = Math.trunc(a * 16) / 16;
  return 2 / (Math.exp(-ah * ah) * Math.exp(-(a - ah) * (a + ah))) - r;
}

/**
 * Complementary error function erfc(u) = 1 − erf(u) = (2/√π)∫_u^∞ e^{−t²} dt, relative error
 * about 1e-16 for every u (underflows to 0 beyond u ≈ 26.6).
 */
export function erfc(u: number): number {
  const a = Math.abs(u);
  if (a <= ERF_SMALL_LIMIT) return 1 - erfSmall(u);
  const upper = a < 27 ? expNegSquare(a) * erfcxLarge(a) : 0;
  return u > 0 ? upper : 2 - upper;
}

/** exp(−z²/2) free of the rounding of z², by the same split as {@link expNegSquare}. */
function expNegHalfSquare(z: number): number {
  const zh = Math.trunc(z * 16) / 16;
  return Math.exp(-0.5 * zh * zh) * Math.exp(-0.5 * (z - zh) * (z + zh));
}

/** Standard normal density φ(z) = exp(−z²/2)/√(2π). Plain exp: its relative error is ≈ z²/2 ulp. */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Φ(z)/φ(z), the ratio of the standard normal CDF to its density: √(π/2)·erfcx(−z/√2).
 * Smooth and free of underflow: ≈ 1/|z| for z → −∞, ≈ √(2π)·exp(z²/2) for z → +∞ (overflows
 * past z ≈ 37.6). This is the building block of out-of-the-money prices without cancellation.
 */
export function cdfOverPdf(z: number): number {
  return SQRT_PI_OVER_2 * erfcx(-z * SQRT1_2);
}

/**
 * Standard normal CDF Φ(z) = ∫_{−∞}^z φ(t) dt to full relative precision in both tails:
 * for z < −0.66 it is φ(z)·Φ(z)/φ(z) with φ evaluated free of the rounding of z², so
 * Φ(−37) ≈ 5.7e-300 comes out with a relative error of a few ulp.
 */
export function normCdf(z: number): number {
  if (z < -CDF_SWITCH) {
    if (z < -38.5) return 0;
    return INV_SQRT_2PI * expNegHalfSquare(z) * cdfOverPdf(z);
  }
  if (z > CDF_SWITCH) {
    if (z > 38.5) return 1;
    return 1 - INV_SQRT_2PI * expNegHalfSquare(z) * cdfOverPdf(-z);
  }
  return 0.5 + 0.5 * erfSmall(z * SQRT1_2);
}

// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988), relative error ~1e-16;
// coefficients written as the doubles nearest to the published values.
const IA0 = 3.3871328727963665;
const IA1 = 133.14166789178438;
const IA2 = 1971.5909503065513;
const IA3 = 13731.69376550946;
const IA4 = 45921.95393154987;
const IA5 = 67265.7709270087;
const IA6 = 33430.57558358813;
const IA7 = 2509.0809287301227;
const IB1 = 42.31333070160091;
const IB2 = 687.1870074920579;
const IB3 = 5394.196021424751;
const IB4 = 21213.794301586597;
const IB5 = 39307.89580009271;
const IB6 = 28729.085735721943;
const IB7 = 5226.495278852854;
const IC0 = 1.4234371107496835;
const IC1 = 4.630337846156546;
const IC2 = 5.769497221460691;
const IC3 = 3.6478483247632045;
const IC4 = 1.2704582524523684;
const IC5 = 0.2417807251774506;
const IC6 = 0.022723844989269184;
const IC7 = 0.0007745450142783414;
const ID1 = 2.053191626637759;
const ID2 = 1.6763848301838038;
const ID3 = 0.6897673349851;
const ID4 = 0.14810397642748008;
const ID5 = 0.015198666563616457;
const ID6 = 0.0005475938084995345;
const ID7 = 1.0507500716444169e-9;
const IE0 = 6.657904643501103;
const IE1 = 5.463784911164114;
const IE2 = 1.7848265399172913;
const IE3 = 0.29656057182850487;
const IE4 = 0.026532189526576124;
const IE5 = 0.0012426609473880784;
const IE6 = 0.000027115555687434876;
const IE7 = 2.0103343992922881e-7;
const IF1 = 0.599832206555888;
const IF2 = 0.1369298809227358;
const IF3 = 0.014875361290850615;
const IF4 = 0.0007868691311456133;
const IF5 = 0.000018463183175100548;
const IF6 = 1.421511758316446e-7;
const IF7 = 2.0442631033899397e-15;

/**
 * Inverse standard normal CDF Φ⁻¹(p) for p in (0, 1) (Wichura's AS 241, ~1e-16 relative).
 * Returns −Infinity for p ≤ 0, +Infinity for p ≥ 1 and NaN for NaN.
 */
export function inverseNormCdf(p: number): number {
  if (!(p > 0)) return p === 0 || p < 0 ? -Infinity : NaN;
  if (!(p < 1)) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num = ((((((IA7 * r + IA6) * r + IA5) * r + IA4) * r + IA3) * r + IA2) * r + IA1) * r + IA0;
    const den = ((((((IB7 * r + IB6) * r + IB5) * r + IB4) * r + IB3) * r + IB2) * r + IB1) * r + 1;
    return (q * num) / den;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    const num = ((((((IC7 * r + IC6) * r + IC5) * r + IC4) * r + IC3) * r + IC2) * r + IC1) * r + IC0;
    const den = ((((((ID7 * r + ID6) * r + ID5) * r + ID4) * r + ID3) * r + ID2) * r + ID1) * r + 1;
    value = num / den;
  } else {
    r -= 5;
    const num = ((((((IE7 * r + IE6) * r + IE5) * r + IE4) * r + IE3) * r + IE2) * r + IE1) * r + IE0;
    const den = ((((((IF7 * r + IF6) * r + IF5) * r + IF4) * r + IF3) * r + IF2) * r + IF1) * r + 1;
    value = num / den;
  }
  return q < 0 ? -value : value;
}
