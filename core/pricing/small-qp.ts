/**
 * A small dense convex quadratic program in three variables: minimise ½xᵀHx − gᵀx subject to
 * Ax ≥ b for a handful of constraints (the SVI inner problem has 10). Primal active-set method
 * (Nocedal & Wright, Numerical Optimization, algorithm 16.3) from a feasible starting point;
 * each step solves the equality-constrained KKT system by Gaussian elimination with partial
 * pivoting. A workspace holds every buffer, so repeated solves allocate nothing.
 */

export interface QpWorkspace {
  readonly n: number;
  readonly maxConstraints: number;
  /** Hessian, row-major n×n. */
  readonly hessian: Float64Array;
  /** Linear term g (the objective is ½xᵀHx − gᵀx). */
  readonly linear: Float64Array;
  /** Constraint rows, row-major m×n: row i reads aᵢᵀx ≥ bᵢ. */
  readonly constraints: Float64Array;
  readonly bounds: Float64Array;
  /** In: a feasible point. Out: the minimiser. */
  readonly x: Float64Array;
  readonly working: Int32Array;
  readonly inWorking: Uint8Array;
  readonly kkt: Float64Array;
  readonly rhs: Float64Array;
  readonly step: Float64Array;
}

const N = 3;

/** Buffers for three-variable problems with up to maxConstraints constraints. */
export function createQpWorkspace(maxConstraints: number): QpWorkspace {
  const n = N;
  const size = n + n;
  return {
    n,
    maxConstraints,
    hessian: new Float64Array(n * n),
    linear: new Float64Array(n),
    constraints: new Float64Array(maxConstraints * n),
    bounds: new Float64Array(maxConstraints),
    x: new Float64Array(n),
    working: new Int32Array(n),
    inWorking: new Uint8Array(maxConstraints),
    kkt: new Float64Array(size * size),
    rhs: new Float64Array(size),
    step: new Float64Array(size),
  };
}

/** Solves M·z = r in place for an order-`size` system stored with row stride `stride`; false if singular. */
function solveDense(m: Float64Array, r: Float64Array, z: Float64Array, size: number, stride: number): boolean {
  for (let col = 0; col < size; col++) {
    let pivot = col;
    let best = Math.abs(m[col * stride + col]!);
    for (let row = col + 1; row < size; row++) {
      const v = Math.abs(m[row * stride + col]!);
      if (v > best) {
        best = v;
        pivot = row;
      }
    }
    if (!(best > 1e-300)) return false;
    if (pivot !== col) {
      for (let k = 0; k < size; k++) {
        const tmp = m[col * stride + k]!;
        m[col * stride + k] = m[pivot * stride + k]!;
        m[pivot * stride + k] = tmp;
      }
      const tmp = r[col]!;
      r[col] = r[pivot]!;
      r[pivot] = tmp;
    }
    const diag = m[col * stride + col]!;
    for (let row = col + 1; row < size; row++) {
      const factor = m[row * stride + col]! / diag;
      if (factor === 0) continue;
      for (let k = col; k < size; k++) m[row * stride + k] = m[row * stride + k]! - factor * m[col * stride + k]!;
      r[row] = r[row]! - factor * r[col]!;
    }
  }
  for (let row = size - 1; row >= 0; row--) {
    let acc = r[row]!;
    for (let k = row + 1; k < size; k++) acc -= m[row * stride + k]! * z[k]!;
    z[row] = acc / m[row * stride + row]!;
  }
  return true;
}

/**
 * Minimises ½xᵀHx − gᵀx subject to aᵢᵀx ≥ bᵢ (i < m) from the feasible point in ws.x, leaving the
 * minimiser in ws.x. H must be positive definite. Returns false if the iteration limit is hit or
 * a KKT system is singular (ws.x is then the best feasible point reached).
 */
export function solveQp(ws: QpWorkspace, m: number): boolean {
  const n = ws.n;
  const { hessian: hm, linear: g, constraints: a, bounds: b, x, working, inWorking, kkt, rhs, step } = ws;
  const stride = n + n;
  const scale = Math.max(1e-300, Math.abs(hm[0]!) + Math.abs(hm[4]!) + Math.abs(hm[8]!));
  inWorking.fill(0, 0, m);
  let workingCount = 0;
  // Start with the constraints active at x, keeping only linearly independent ones (at most n).
  for (let i = 0; i < m && workingCount < n; i++) {
    let ax = 0;
    let norm = 0;
    for (let j = 0; j < n; j++) {
      ax += a[i * n + j]! * x[j]!;
      norm += Math.abs(a[i * n + j]!);
    }
    if (Math.abs(ax - b[i]!) > 1e-12 * (1 + Math.abs(b[i]!)) * Math.max(1, norm)) continue;
    if (!independentOfWorking(a, i, n, working, workingCount)) continue;
    working[workingCount++] = i;
    inWorking[i] = 1;
  }
  for (let iteration = 0; iteration < 60; iteration++) {
    const size = n + workingCount;
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) kkt[r * stride + c] = 0;
    for (let r = 0; r < n; r++) {
      let grad = -g[r]!;
      for (let c = 0; c < n; c++) {
        kkt[r * stride + c] = hm[r * n + c]!;
        grad += hm[r * n + c]! * x[c]!;
      }
      rhs[r] = -grad;
    }
    for (let w = 0; w < workingCount; w++) {
      const row = working[w]!;
      for (let c = 0; c < n; c++) {
        kkt[c * stride + n + w] = -a[row * n + c]!;
        kkt[(n + w) * stride + c] = a[row * n + c]!;
      }
      rhs[n + w] = 0;
    }
    if (!solveDense(kkt, rhs, step, size, stride)) return false;
    let stepNorm = 0;
    let xNorm = 0;
    for (let j = 0; j < n; j++) {
      stepNorm += Math.abs(step[j]!);
      xNorm += Math.abs(x[j]!);
    }
    if (stepNorm <= 1e-14 * (1 + xNorm)) {
      // Stationary on the working set: optimal unless some multiplier is negative.
      let worst = -1;
      let worstValue = -1e-12 * scale;
      for (let w = 0; w < workingCount; w++) {
        const lambda = step[n + w]!;
        if (lambda < worstValue) {
          worstValue = lambda;
          worst = w;
        }
      }
      if (worst < 0) return true;
      inWorking[working[worst]!] = 0;
      working[worst] = working[workingCount - 1]!;
      workingCount--;
      continue;
    }
    let alpha = 1;
    let blocking = -1;
    for (let i = 0; i < m; i++) {
      if (inWorking[i] === 1) continue;
      let ap = 0;
      let ax = 0;
      for (let j = 0; j < n; j++) {
        ap += a[i * n + j]! * step[j]!;
        ax += a[i * n + j]! * x[j]!;
      }
      if (ap < 0) {
        const limit = Math.max(0, (b[i]! - ax) / ap);
        if (limit < alpha) {
          alpha = limit;
          blocking = i;
        }
      }
    }
    for (let j = 0; j < n; j++) x[j] = x[j]! + alpha * step[j]!;
    if (blocking >= 0 && workingCount < n) {
      working[workingCount++] = blocking;
      inWorking[blocking] = 1;
    }
  }
  return false;
}

/** Whether row i of a is independent of the working rows (Gram–Schmidt residual test, n = 3). */
function independentOfWorking(a: Float64Array, i: number, n: number, working: Int32Array, count: number): boolean {
  if (count === 0) return true;
  // Project row i on the span of the working rows by least squares through the normal equations.
  const v0 = a[i * n]!;
  const v1 = a[i * n + 1]!;
  const v2 = a[i * n + 2]!;
  let norm = v0 * v0 + v1 * v1 + v2 * v2;
  const basis: number[] = [];
  for (let w = 0; w < count; w++) {
    const row = working[w]!;
    let u0 = a[row * n]!;
    let u1 = a[row * n + 1]!;
    let u2 = a[row * n + 2]!;
    for (let k = 0; k < basis.length; k += 3) {
      const dot = u0 * basis[k]! + u1 * basis[k + 1]! + u2 * basis[k + 2]!;
      u0 -= dot * basis[k]!;
      u1 -= dot * basis[k + 1]!;
      u2 -= dot * basis[k + 2]!;
    }
    const len = Math.hypot(u0, u1, u2);
    if (len > 0) basis.push(u0 / len, u1 / len, u2 / len);
  }
  let r0 = v0;
  let r1 = v1;
  let r2 = v2;
  for (let k = 0; k < basis.length; k += 3) {
    const dot = r0 * basis[k]! + r1 * basis[k + 1]! + r2 * basis[k + 2]!;
    r0 -= dot * basis[k]!;
    r1 -= dot * basis[k + 1]!;
    r2 -= dot * basis[k + 2]!;
  }
  norm = Math.sqrt(norm);
  return Math.hypot(r0, r1, r2) > 1e-9 * norm;
}
