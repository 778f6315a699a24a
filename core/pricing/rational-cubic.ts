/**
 * Delbourgo–Gregory rational cubic Hermite interpolation (IMA J. Numer. Anal. 5, 1985), the
 * interpolant behind the initial guesses of the implied-volatility solver.
 *
 * On [xL, xR] with h = xR − xL, t = (x − xL)/h and a control parameter r (r = 3 is the plain
 * cubic Hermite),
 *
 *   R(x) = [yR·t³ + (r·yR − h·dR)·t²(1−t) + (r·yL + h·dL)·t(1−t)² + yL·(1−t)³] / [1 + (r−3)·t(1−t)]
 *
 * matches values and first derivatives at both ends. Choosing r fits a second derivative at
 * one end; raising r pulls the curve towards the chord, which is how shape (monotonicity,
 * convexity) is kept.
 */

/** Largest control parameter used: beyond it the interpolant is the chord to double precision. */
const MAX_CONTROL = 2 / (Number.EPSILON * Number.EPSILON);
/** r must exceed −1 for the denominator to stay positive on [0, 1]. */
const MIN_CONTROL = -(1 - Math.sqrt(Number.EPSILON));

/**
 * Evaluates R at the position given both as t = (x − xL)/h and as 1 − t, so that a caller who
 * knows 1 − t more accurately (x close to xR) can pass it without cancellation.
 * Formula: see the module comment.
 */
export function rationalCubicAt(
  t: number,
  oneMinusT: number,
  h: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  r: number,
): number {
  if (!(h !== 0)) return 0.5 * (yL + yR);
  if (!(r < MAX_CONTROL)) return yR * t + yL * oneMinusT;
  const t2 = t * t;
  const o2 = oneMinusT * oneMinusT;
  return (
    (yR * t2 * t + (r * yR - h * dR) * t2 * oneMinusT + (r * yL + h * dL) * t * o2 + yL * o2 * oneMinusT) /
    (1 + (r - 3) * t * oneMinusT)
  );
}

/**
 * Smallest r that keeps the shape of the data (Delbourgo–Gregory conditions): with chord slope
 * Δ, the interpolant is monotone when r ≥ (dL + dR)/Δ and convex (or concave) when
 * r ≥ max((dR − dL)/(Δ − dL), (dR − dL)/(dR − Δ)). Data with no consistent shape get −1⁺.
 */
export function minimumShapePreservingControl(dL: number, dR: number, slope: number): number {
  const monotone = dL * dR >= 0 && dL * slope >= 0;
  const convex = dL <= slope && slope <= dR;
  const concave = dL >= slope && slope >= dR;
  if (!monotone && !convex && !concave) return MIN_CONTROL;
  let rMonotone = -Infinity;
  let rConvex = -Infinity;
  if (monotone) rMonotone = slope !== 0 ? (dR + dL) / slope : MAX_CONTROL;
  if (convex || concave) {
    const fromLeft = slope - dL;
    const fromRight = dR - slope;
    rConvex =
      fromLeft !== 0 && fromRight !== 0
        ? Math.max(Math.abs((dR - dL) / fromRight), Math.abs((dR - dL) / fromLeft))
        : MAX_CONTROL;
  }
  return Math.max(MIN_CONTROL, rMonotone, rConvex);
}

/**
 * r reproducing the second derivative d2L at the left end:
 *   r = (h·d2L/2 + dR − dL)/(Δ − dL),
 * raised to the shape-preserving minimum.
 */
export function controlForLeftCurvature(
  h: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  d2L: number,
): number {
  const slope = (yR - yL) / h;
  const r = (0.5 * h * d2L + (dR - dL)) / (slope - dL);
  const rMin = minimumShapePreservingControl(dL, dR, slope);
  return r > rMin ? Math.min(r, MAX_CONTROL) : rMin;
}

/**
 * r reproducing the second derivative d2R at the right end:
 *   r = (h·d2R/2 + dR − dL)/(dR − Δ),
 * raised to the shape-preserving minimum.
 */
export function controlForRightCurvature(
  h: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  d2R: number,
): number {
  const slope = (yR - yL) / h;
  const r = (0.5 * h * d2R + (dR - dL)) / (dR - slope);
  const rMin = minimumShapePreservingControl(dL, dR, slope);
  return r > rMin ? Math.min(r, MAX_CONTROL) : rMin;
}
