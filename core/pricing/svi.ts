/**
 * Raw SVI smiles per expiry: evaluation, Durrleman's butterfly condition, and a deterministic fit.
 *
 * Raw SVI (Gatheral 2004) gives total implied variance w = σ_impl²·T in log-moneyness k = ln(K/F):
 *   w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²))
 * with b ≥ 0, |ρ| < 1, σ > 0 and a + b·σ·√(1 − ρ²) ≥ 0 (the minimum of w is non-negative).
 *
 * Fitting is the quasi-explicit method of Zeliade Systems (De Marco & Martini, 2009): for fixed
 * (m, σ), with y = (k − m)/σ, the model w = a + d·y + c·√(y² + 1) (d = bσρ, c = bσ) is linear in
 * (a, d, c), so the best (a, d, c) is a small constrained least-squares problem solved exactly
 * (small-qp.ts). A deterministic coarse grid on (m, σ) followed by Nelder–Mead on (m, ln σ)
 * finds the outer optimum. Constraints on (a, d, c), all linear:
 *   |d| ≤ ρmax·c                 b ≥ 0 and |ρ| ≤ 0.999 (strictly inside the open interval)
 *   c + |d| ≤ 2σ                 Lee's moment bound: wing slopes b(1 ± ρ) ≤ 2
 *   a + c·q(d/c) ≥ 0             q the chordal (piecewise-linear, lower) interpolant of √(1 − ρ²)
 *                                on nodes ρ = 0, ±0.5, ±0.8, ±1: sufficient for min w ≥ 0
 * Residuals are in total variance, weighted so they approximate volatility residuals:
 * weight ωᵢ/(2σᵢT)² with ωᵢ = vegaᵢ/spreadᵢ (normalised), so the fit minimises Σωᵢ(σ_model − σ_mid)².
 *
 * Arbitrage: the butterfly condition (Durrleman) g(k) ≥ 0 is checked on a grid. Choice: a fit that
 * would be butterfly-arbitrageable is REJECTED, not repaired: the result is
 * { ok: false, reason: 'butterfly-arbitrage' } with the offending parameters and where g < 0, so
 * the caller keeps its previous smile or widens quotes rather than quoting off a silently altered one.
 */
import { INV_SQRT_2PI } from './normal.ts';
import { createQpWorkspace, solveQp } from './small-qp.ts';

/** Raw SVI parameters of one expiry, in total variance (w = σ_impl²·T) and k = ln(K/F). */
export interface SviParams {
  readonly a: number;
  readonly b: number;
  readonly rho: number;
  readonly m: number;
  readonly sigma: number;
}

/** Total implied variance w(k) = a + b·(ρ(k − m) + √((k − m)² + σ²)) at log-moneyness k = ln(K/F). */
export function sviTotalVariance(p: SviParams, k: number): number {
  const u = k - p.m;
  return p.a + p.b * (p.rho * u + Math.sqrt(u * u + p.sigma * p.sigma));
}

/** Implied volatility √(w(k)/T) (annualised, 0.55 = 55 %); NaN where w(k) < 0 or T ≤ 0. */
export function sviImpliedVol(p: SviParams, k: number, expiryYears: number): number {
  const w = sviTotalVariance(p, k);
  return w >= 0 && expiryYears > 0 ? Math.sqrt(w / expiryYears) : NaN;
}

/**
 * Durrleman's butterfly function for a smile w(k):
 *   g(k) = (1 − k·w′/(2w))² − (w′²/4)·(1/w + 1/4) + w″/2,
 * with w′ = b(ρ + u/√(u² + σ²)), w″ = bσ²/(u² + σ²)^{3/2}, u = k − m. The call prices are free of
 * butterfly arbitrage iff g ≥ 0 (the implied risk-neutral density is g·φ(d₋)/√w ≥ 0).
 */
export function durrlemanG(p: SviParams, k: number): number {
  const u = k - p.m;
  const root = Math.sqrt(u * u + p.sigma * p.sigma);
  const w = p.a + p.b * (p.rho * u + root);
  const w1 = p.b * (p.rho + u / root);
  const w2 = (p.b * p.sigma * p.sigma) / (root * root * root);
  const first = 1 - (k * w1) / (2 * w);
  return first * first - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/**
 * Why the parameters are outside the raw SVI domain (b ≥ 0, |ρ| < 1, σ > 0, a + bσ√(1 − ρ²) ≥ 0,
 * all finite), or undefined when they are inside it.
 */
export function sviParamsProblem(p: SviParams): string | undefined {
  if (![p.a, p.b, p.rho, p.m, p.sigma].every(Number.isFinite)) return 'non-finite parameter';
  if (p.b < 0) return 'b < 0';
  if (!(Math.abs(p.rho) < 1)) return '|rho| >= 1';
  if (!(p.sigma > 0)) return 'sigma <= 0';
  if (p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho) < -1e-14) return 'minimum total variance < 0';
  return undefined;
}

/** Result of a butterfly check on a grid of log-moneyness. */
export interface ButterflyReport {
  readonly arbitrageFree: boolean;
  /** Smallest g(k) on the grid (and w(k) > 0 there when arbitrageFree). */
  readonly minG: number;
  /** k = ln(K/F) where g was smallest. */
  readonly worstLogMoneyness: number;
  readonly fromLogMoneyness: number;
  readonly toLogMoneyness: number;
  readonly gridPoints: number;
}

/** Below this, a negative g is rounding noise of an exactly arbitrage-free smile. */
const G_TOLERANCE = -1e-10;

/**
 * Checks Durrleman's condition g(k) ≥ 0 and w(k) > 0 on `gridPoints` equally spaced k in
 * [fromLogMoneyness, toLogMoneyness].
 */
export function checkButterfly(
  p: SviParams,
  fromLogMoneyness: number,
  toLogMoneyness: number,
  gridPoints = 201,
): ButterflyReport {
  const points = Math.max(2, Math.floor(gridPoints));
  let minG = Infinity;
  let worst = fromLogMoneyness;
  let positive = true;
  for (let i = 0; i < points; i++) {
    const k = fromLogMoneyness + ((toLogMoneyness - fromLogMoneyness) * i) / (points - 1);
    if (!(sviTotalVariance(p, k) > 0)) positive = false;
    const g = durrlemanG(p, k);
    if (!(g >= minG)) {
      minG = g;
      worst = k;
    }
  }
  return {
    arbitrageFree: positive && minG >= G_TOLERANCE,
    minG,
    worstLogMoneyness: worst,
    fromLogMoneyness,
    toLogMoneyness,
    gridPoints: points,
  };
}

/** One market implied volatility of the smile, at k = ln(K/F). */
export interface SmileQuote {
  readonly logMoneyness: number;
  /** Mid implied volatility, annualised (0.55 = 55 %). */
  readonly midVolAnnual: number;
  /** Bid and ask implied volatilities, when both sides are quoted; bid ≤ ask. */
  readonly bidVolAnnual?: number;
  readonly askVolAnnual?: number;
  /** Vega per volatility point, used as weight; computed from Black-76 when any quote lacks it. */
  readonly vegaPerVolPt?: number;
}

export interface SviFitOptions {
  /** Range of the butterfly check; default: the quoted k range widened by 10 % of its span each side. */
  readonly butterflyRange?: readonly [number, number];
  /** Grid points of the butterfly check; default 201. */
  readonly butterflyGridPoints?: number;
}

export type SviFitFailure =
  | 'invalid-input'
  | 'insufficient-data'
  | 'crossed-quote'
  | 'butterfly-arbitrage'
  | 'no-convergence';

export type SviFitResult =
  | {
      readonly ok: true;
      readonly params: SviParams;
      readonly expiryYears: number;
      /** Root-mean-square of model − mid implied volatility over the quotes, in vol points. */
      readonly rmseVolPts: number;
      /** The same, weighted by vega/spread (what the fit minimises). */
      readonly weightedRmseVolPts: number;
      readonly maxAbsErrorVolPts: number;
      /** Objective evaluations (each an exact inner least-squares solve). */
      readonly evaluations: number;
      readonly butterfly: ButterflyReport;
    }
  | {
      readonly ok: false;
      readonly reason: SviFitFailure;
      readonly message: string;
      /** For 'butterfly-arbitrage': the fitted, rejected parameters and where g < 0. */
      readonly params?: SviParams;
      readonly butterfly?: ButterflyReport;
    };

const RHO_MAX = 0.999;
const CHORD_NODES = [-1, -0.8, -0.5, 0, 0.5, 0.8, 1];
const CONSTRAINTS = 4 + CHORD_NODES.length - 1;
const MIN_SPREAD_VOL = 0.001;
const SIGMA_MIN = 1e-3;
const PARAMETERS = 5;

function failure(reason: SviFitFailure, message: string): SviFitResult {
  return { ok: false, reason, message };
}

/**
 * Fits raw SVI to one expiry's implied volatilities (method and constraints in the module
 * comment). Deterministic. Never throws on bad data: returns { ok: false, reason } for invalid
 * numbers ('invalid-input'), bid > ask ('crossed-quote'), fewer than 5 distinct strikes
 * ('insufficient-data'), a fit with butterfly arbitrage ('butterfly-arbitrage', rejected) or a
 * numerical breakdown ('no-convergence').
 */
export function fitSvi(quotes: readonly SmileQuote[], expiryYears: number, options: SviFitOptions = {}): SviFitResult {
  if (!(expiryYears > 0 && expiryYears < Infinity)) return failure('invalid-input', `expiryYears must be positive and finite, got ${expiryYears}`);
  const n = quotes.length;
  const spreads: number[] = [];
  let allVegas = true;
  for (let i = 0; i < n; i++) {
    const q = quotes[i]!;
    if (!Number.isFinite(q.logMoneyness)) return failure('invalid-input', `quote ${i}: logMoneyness is not finite`);
    if (!(q.midVolAnnual > 0 && q.midVolAnnual < Infinity)) return failure('invalid-input', `quote ${i}: midVolAnnual must be positive and finite, got ${q.midVolAnnual}`);
    const hasBid = q.bidVolAnnual !== undefined;
    const hasAsk = q.askVolAnnual !== undefined;
    if (hasBid && !(q.bidVolAnnual >= 0 && q.bidVolAnnual < Infinity)) return failure('invalid-input', `quote ${i}: bidVolAnnual must be non-negative and finite`);
    if (hasAsk && !(q.askVolAnnual > 0 && q.askVolAnnual < Infinity)) return failure('invalid-input', `quote ${i}: askVolAnnual must be positive and finite`);
    if (hasBid && hasAsk) {
      if (q.bidVolAnnual > q.askVolAnnual) return failure('crossed-quote', `quote ${i}: bid vol ${q.bidVolAnnual} above ask vol ${q.askVolAnnual}`);
      spreads.push(q.askVolAnnual - q.bidVolAnnual);
    }
    if (q.vegaPerVolPt === undefined) allVegas = false;
    else if (!(q.vegaPerVolPt > 0 && q.vegaPerVolPt < Infinity)) return failure('invalid-input', `quote ${i}: vegaPerVolPt must be positive and finite`);
  }
  const distinct = new Set(quotes.map((q) => q.logMoneyness)).size;
  if (distinct < PARAMETERS) return failure('insufficient-data', `need at least ${PARAMETERS} distinct strikes for 5 parameters, got ${distinct}`);

  const sortedSpreads = spreads.slice().sort((x, y) => x - y);
  const defaultSpread = sortedSpreads.length > 0 ? sortedSpreads[sortedSpreads.length >> 1]! : 0.01;
  const k = new Float64Array(n);
  const wTarget = new Float64Array(n);
  const weightW = new Float64Array(n);
  const omega = new Float64Array(n);
  const vol = new Float64Array(n);
  let kMin = Infinity;
  let kMax = -Infinity;
  let omegaSum = 0;
  for (let i = 0; i < n; i++) {
    const q = quotes[i]!;
    k[i] = q.logMoneyness;
    vol[i] = q.midVolAnnual;
    wTarget[i] = q.midVolAnnual * q.midVolAnnual * expiryYears;
    kMin = Math.min(kMin, q.logMoneyness);
    kMax = Math.max(kMax, q.logMoneyness);
    // Black-76 vega per unit forward when not given: φ(d₁)·√T with d₁ = −k/s + s/2.
    let vega: number;
    if (allVegas) vega = q.vegaPerVolPt!;
    else {
      const s = q.midVolAnnual * Math.sqrt(expiryYears);
      const d1 = -q.logMoneyness / s + s / 2;
      vega = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1) * Math.sqrt(expiryYears);
    }
    const spread =
      q.bidVolAnnual !== undefined && q.askVolAnnual !== undefined ? q.askVolAnnual - q.bidVolAnnual : defaultSpread;
    omega[i] = vega / Math.max(spread, MIN_SPREAD_VOL);
    omegaSum += omega[i]!;
  }
  if (!(omegaSum > 0 && omegaSum < Infinity)) return failure('invalid-input', 'weights (vega/spread) are all zero or not finite');
  let meanW = 0;
  for (let i = 0; i < n; i++) {
    omega[i] = omega[i]! / omegaSum;
    const scale = 2 * vol[i]! * expiryYears;
    weightW[i] = omega[i]! / (scale * scale);
    meanW += omega[i]! * wTarget[i]!;
  }

  const ws = createQpWorkspace(CONSTRAINTS);
  const span = Math.max(kMax - kMin, 1e-3);
  const mLo = kMin - span;
  const mHi = kMax + span;
  const lnSigmaLo = Math.log(SIGMA_MIN);
  const lnSigmaHi = Math.log(Math.max(4, 2 * span));
  const yBuf = new Float64Array(n);
  const zBuf = new Float64Array(n);
  let evaluations = 0;
  const best = { value: Infinity, m: 0, sigma: 0, a: 0, d: 0, c: 0 };

  // Chords of √(1 − ρ²): on [ρⱼ, ρⱼ₊₁], q(ρ) = αⱼ + βⱼρ, and c·q(d/c) = αⱼc + βⱼd.
  const chordAlpha: number[] = [];
  const chordBeta: number[] = [];
  for (let j = 0; j + 1 < CHORD_NODES.length; j++) {
    const r0 = CHORD_NODES[j]!;
    const r1 = CHORD_NODES[j + 1]!;
    const q0 = Math.sqrt(1 - r0 * r0);
    const q1 = Math.sqrt(1 - r1 * r1);
    const beta = (q1 - q0) / (r1 - r0);
    chordBeta.push(beta);
    chordAlpha.push(q0 - beta * r0);
  }

  // Constraint rows on x = (a, d, c), in the order of the module comment.
  ws.constraints.set([0, -1, RHO_MAX, 0, 1, RHO_MAX, 0, -1, -1, 0, 1, -1], 0);
  for (let j = 0; j < chordAlpha.length; j++) {
    ws.constraints[(4 + j) * 3] = 1;
    ws.constraints[(4 + j) * 3 + 1] = chordBeta[j]!;
    ws.constraints[(4 + j) * 3 + 2] = chordAlpha[j]!;
    ws.bounds[4 + j] = 0;
  }

  /** Inner solve at (m, σ): best (a, d, c) and the weighted residual sum of squares. */
  const objective = (m: number, sigma: number): number => {
    evaluations++;
    let h00 = 0;
    let h01 = 0;
    let h02 = 0;
    let h11 = 0;
    let h12 = 0;
    let h22 = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const y = (k[i]! - m) / sigma;
      const z = Math.sqrt(y * y + 1);
      yBuf[i] = y;
      zBuf[i] = z;
      const wgt = weightW[i]!;
      const target = wTarget[i]!;
      h00 += wgt;
      h01 += wgt * y;
      h02 += wgt * z;
      h11 += wgt * y * y;
      h12 += wgt * y * z;
      h22 += wgt * z * z;
      g0 += wgt * target;
      g1 += wgt * target * y;
      g2 += wgt * target * z;
    }
    // A whisper of ridge keeps H invertible when σ ≫ |k − m| makes 1 and z nearly collinear.
    const ridge = 1e-13 * (h00 + h11 + h22);
    const hm = ws.hessian;
    hm[0] = h00 + ridge;
    hm[1] = h01;
    hm[2] = h02;
    hm[3] = h01;
    hm[4] = h11 + ridge;
    hm[5] = h12;
    hm[6] = h02;
    hm[7] = h12;
    hm[8] = h22 + ridge;
    ws.linear[0] = g0;
    ws.linear[1] = g1;
    ws.linear[2] = g2;
    // Only the Lee bounds move with σ.
    ws.bounds[2] = -2 * sigma;
    ws.bounds[3] = -2 * sigma;
    ws.x[0] = meanW;
    ws.x[1] = 0;
    ws.x[2] = 0;
    solveQp(ws, CONSTRAINTS);
    const av = ws.x[0]!;
    const dv = ws.x[1]!;
    const cv = ws.x[2]!;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = av + dv * yBuf[i]! + cv * zBuf[i]! - wTarget[i]!;
      sum += weightW[i]! * r * r;
    }
    if (sum < best.value) {
      best.value = sum;
      best.m = m;
      best.sigma = sigma;
      best.a = av;
      best.d = dv;
      best.c = cv;
    }
    return sum;
  };

  const evalPoint = (mRaw: number, lnSigmaRaw: number): number => {
    const m = Math.min(mHi, Math.max(mLo, mRaw));
    const lnSigma = Math.min(lnSigmaHi, Math.max(lnSigmaLo, lnSigmaRaw));
    return objective(m, Math.exp(lnSigma));
  };

  // Deterministic coarse grid, then Nelder–Mead (twice, the second from the first's optimum).
  for (let i = 0; i <= 8; i++) {
    const m = kMin + (span * i) / 8;
    for (const factor of [0.01, 0.03, 0.1, 0.3, 1]) evalPoint(m, Math.log(Math.max(SIGMA_MIN, factor * span)));
  }
  nelderMead(evalPoint, best.m, Math.log(best.sigma), 0.1 * span, 0.5, 260);
  nelderMead(evalPoint, best.m, Math.log(best.sigma), 0.01 * span, 0.05, 140);

  if (!Number.isFinite(best.value)) return failure('no-convergence', 'the least-squares objective is not finite');
  const sigma = best.sigma;
  const bParam = best.c / sigma;
  const rhoParam = best.c > 0 ? Math.max(-RHO_MAX, Math.min(RHO_MAX, best.d / best.c)) : 0;
  const params: SviParams = { a: best.a, b: Math.max(0, bParam), rho: rhoParam, m: best.m, sigma };
  const problem = sviParamsProblem(params);
  if (problem !== undefined) return failure('no-convergence', `fitted parameters left the SVI domain: ${problem}`);

  let sumSq = 0;
  let weightedSq = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const err = sviImpliedVol(params, k[i]!, expiryYears) - vol[i]!;
    sumSq += err * err;
    weightedSq += omega[i]! * err * err;
    maxAbs = Math.max(maxAbs, Math.abs(err));
  }
  const range = options.butterflyRange ?? [kMin - 0.1 * span, kMax + 0.1 * span];
  const butterfly = checkButterfly(params, range[0], range[1], options.butterflyGridPoints ?? 201);
  if (!butterfly.arbitrageFree) {
    return {
      ok: false,
      reason: 'butterfly-arbitrage',
      message: `fitted smile has butterfly arbitrage: g(${butterfly.worstLogMoneyness.toFixed(4)}) = ${butterfly.minG.toExponential(3)} < 0`,
      params,
      butterfly,
    };
  }
  return {
    ok: true,
    params,
    expiryYears,
    rmseVolPts: 100 * Math.sqrt(sumSq / n),
    weightedRmseVolPts: 100 * Math.sqrt(weightedSq),
    maxAbsErrorVolPts: 100 * maxAbs,
    evaluations,
    butterfly,
  };
}

/**
 * Nelder–Mead on two variables (reflection 1, expansion 2, contraction ½, shrink ½) from a start
 * point and per-coordinate initial steps; deterministic. Stops after maxEvaluations or when the
 * simplex has collapsed in both value and size.
 */
function nelderMead(
  f: (u: number, v: number) => number,
  u0: number,
  v0: number,
  stepU: number,
  stepV: number,
  maxEvaluations: number,
): void {
  const pu = [u0, u0 + stepU, u0];
  const pv = [v0, v0, v0 + stepV];
  const fv = [f(pu[0]!, pv[0]!), f(pu[1]!, pv[1]!), f(pu[2]!, pv[2]!)];
  let evaluations = 3;
  while (evaluations < maxEvaluations) {
    // Order: best at 0, worst at 2.
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2 - i; j++) {
        if (fv[j]! > fv[j + 1]!) {
          [fv[j], fv[j + 1]] = [fv[j + 1]!, fv[j]!];
          [pu[j], pu[j + 1]] = [pu[j + 1]!, pu[j]!];
          [pv[j], pv[j + 1]] = [pv[j + 1]!, pv[j]!];
        }
      }
    }
    const fBest = fv[0]!;
    const fWorst = fv[2]!;
    const size = Math.max(Math.abs(pu[1]! - pu[0]!), Math.abs(pu[2]! - pu[0]!), Math.abs(pv[1]! - pv[0]!), Math.abs(pv[2]! - pv[0]!));
    if (fWorst - fBest <= 1e-15 * Math.abs(fBest) + 1e-300 && size < 1e-7) break;
    if (size < 1e-12) break;
    const cu = 0.5 * (pu[0]! + pu[1]!);
    const cv = 0.5 * (pv[0]! + pv[1]!);
    const ru = cu + (cu - pu[2]!);
    const rv = cv + (cv - pv[2]!);
    const fr = f(ru, rv);
    evaluations++;
    if (fr < fBest) {
      const eu = cu + 2 * (cu - pu[2]!);
      const ev = cv + 2 * (cv - pv[2]!);
      const fe = f(eu, ev);
      evaluations++;
      if (fe < fr) {
        pu[2] = eu;
        pv[2] = ev;
        fv[2] = fe;
      } else {
        pu[2] = ru;
        pv[2] = rv;
        fv[2] = fr;
      }
    } else if (fr < fv[1]!) {
      pu[2] = ru;
      pv[2] = rv;
      fv[2] = fr;
    } else {
      const outside = fr < fWorst;
      const ku = outside ? cu + 0.5 * (ru - cu) : cu + 0.5 * (pu[2]! - cu);
      const kv = outside ? cv + 0.5 * (rv - cv) : cv + 0.5 * (pv[2]! - cv);
      const fk = f(ku, kv);
      evaluations++;
      if (fk < (outside ? fr : fWorst)) {
        pu[2] = ku;
        pv[2] = kv;
        fv[2] = fk;
      } else {
        for (let i = 1; i < 3; i++) {
          pu[i] = pu[0]! + 0.5 * (pu[i]! - pu[0]!);
          pv[i] = pv[0]! + 0.5 * (pv[i]! - pv[0]!);
          fv[i] = f(pu[i]!, pv[i]!);
          evaluations++;
        }
      }
    }
  }
}
