import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createQpWorkspace, solveQp } from './small-qp.ts';
import { mulberry32 } from '../../test/support/prng.ts';


type Vec3 = [number, number, number];

function objective(h: number[], g: Vec3, x: Vec3): number {
  let q = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) q += 0.5 * x[i]! * h[i * 3 + j]! * x[j]!;
    q -= g[i]! * x[i]!;
  }
  return q;
}

/**
 * Brute force: for every subset of at most 3 constraints taken as equalities, solve its KKT
 * system by Gaussian elimination, keep the feasible points and return the best objective.
 */
function bruteForce(h: number[], g: Vec3, a: number[][], b: number[]): number {
  const m = a.length;
  let best = Infinity;
  const subsets: number[][] = [[]];
  for (let i = 0; i < m; i++) {
    subsets.push([i]);
    for (let j = i + 1; j < m; j++) {
      subsets.push([i, j]);
      for (let k = j + 1; k < m; k++) subsets.push([i, j, k]);
    }
  }
  for (const set of subsets) {
    const size = 3 + set.length;
    const mat = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    const rhs = new Array<number>(size).fill(0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) mat[i]![j] = h[i * 3 + j]!;
      rhs[i] = g[i]!;
      set.forEach((c, w) => (mat[i]![3 + w] = -a[c]![i]!));
    }
    set.forEach((c, w) => {
      for (let j = 0; j < 3; j++) mat[3 + w]![j] = a[c]![j]!;
      rhs[3 + w] = b[c]!;
    });
    const z = gauss(mat, rhs);
    if (!z) continue;
    const x: Vec3 = [z[0]!, z[1]!, z[2]!];
    const feasible = a.every((row, i) => row[0]! * x[0] + row[1]! * x[1] + row[2]! * x[2] >= b[i]! - 1e-9);
    if (feasible) best = Math.min(best, objective(h, g, x));
  }
  return best;
}

function gauss(m: number[][], r: number[]): number[] | undefined {
  const n = r.length;
  const a = m.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    if (Math.abs(a[p]![c]!) < 1e-12) return undefined;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let i = c + 1; i < n; i++) {
      const f = a[i]![c]! / a[c]![c]!;
      for (let j = c; j <= n; j++) a[i]![j] = a[i]![j]! - f * a[c]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= a[i]![j]! * x[j]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}

describe('solveQp', () => {
  it('matches brute-force enumeration of active sets on random convex problems', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const random = mulberry32(seed);
        // H = LLᵀ + εI, positive definite.
        const l = Array.from({ length: 9 }, () => random() * 2 - 1);
        const h: number[] = [];
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            let v = i === j ? 0.1 : 0;
            for (let k = 0; k < 3; k++) v += l[i * 3 + k]! * l[j * 3 + k]!;
            h.push(v);
          }
        }
        const g: Vec3 = [random() * 4 - 2, random() * 4 - 2, random() * 4 - 2];
        // Constraints satisfied at the origin, so it is a feasible start.
        const m = 6;
        const a = Array.from({ length: m }, () => [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1]);
        const b = Array.from({ length: m }, () => -random());
        const ws = createQpWorkspace(m);
        ws.hessian.set(h);
        ws.linear.set(g);
        ws.constraints.set(a.flat());
        ws.bounds.set(b);
        ws.x.fill(0);
        expect(solveQp(ws, m)).toBe(true);
        const x: Vec3 = [ws.x[0]!, ws.x[1]!, ws.x[2]!];
        for (let i = 0; i < m; i++) expect(a[i]![0]! * x[0] + a[i]![1]! * x[1] + a[i]![2]! * x[2]).toBeGreaterThanOrEqual(b[i]! - 1e-9);
        const reference = bruteForce(h, g, a, b);
        expect(objective(h, g, x)).toBeLessThanOrEqual(reference + 1e-9 * (1 + Math.abs(reference)));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('returns the unconstrained minimiser H⁻¹g when it is feasible', () => {
    const ws = createQpWorkspace(1);
    ws.hessian.set([2, 0, 0, 0, 4, 0, 0, 0, 8]);
    ws.linear.set([2, 4, 8]);
    ws.constraints.set([1, 0, 0]);
    ws.bounds.set([-10]);
    ws.x.fill(0);
    expect(solveQp(ws, 1)).toBe(true);
    expect([...ws.x]).toEqual([1, 1, 1]);
  });
});
