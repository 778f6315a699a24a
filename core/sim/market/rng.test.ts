import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('Rng', () => {
  it('replays the same stream from the same seed and differs between seeds', () => {
    expect(draws(new Rng(42), 20)).toEqual(draws(new Rng(42), 20));
    expect(draws(new Rng(42), 20)).not.toEqual(draws(new Rng(43), 20));
    expect(draws(new Rng(2 ** 40 + 1), 5)).not.toEqual(draws(new Rng(1), 5));
    expect(draws(new Rng(7), 1000).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('forks independent streams that do not depend on the parent’s draws', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    draws(b, 100);
    expect(draws(a.fork('maker:X'), 10)).toEqual(draws(b.fork('maker:X'), 10));
    expect(draws(a.fork('maker:X'), 10)).not.toEqual(draws(a.fork('maker:Y'), 10));
    // Forking draws nothing from the parent.
    const c = new Rng(9);
    c.fork('anything');
    expect(draws(c, 5)).toEqual(draws(new Rng(9), 5));
    expect(draws(a.fork('x').fork('y'), 5)).toEqual(draws(new Rng(9).fork('x').fork('y'), 5));
  });

  it('uniform draws have mean 1/2 and variance 1/12', () => {
    const { mean, variance } = moments(draws(new Rng(1), 100_000));
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it('normals have mean 0, variance 1 and light tails', () => {
    const rng = new Rng(2);
    const xs = Array.from({ length: 100_000 }, () => rng.normal());
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    const beyond2 = xs.filter((x) => Math.abs(x) > 2).length / xs.length;
    expect(beyond2).toBeGreaterThan(0.042);
    expect(beyond2).toBeLessThan(0.049);
  });

  it('exponential and Poisson draws have the right means', () => {
    const rng = new Rng(3);
    const exp = moments(Array.from({ length: 50_000 }, () => rng.exponential(4)));
    expect(exp.mean).toBeCloseTo(0.25, 2);
    expect(exp.variance).toBeCloseTo(1 / 16, 2);
    for (const mean of [0.01, 0.5, 3, 75]) {
      const p = moments(Array.from({ length: 20_000 }, () => rng.poisson(mean)));
      expect(Math.abs(p.mean - mean)).toBeLessThan(4 * Math.sqrt(mean / 20_000) + 1e-3);
      expect(Math.abs(p.variance - mean) / mean).toBeLessThan(0.1);
    }
    expect(rng.poisson(0)).toBe(0);
  });

  it('truncated Pareto stays in range with the truncated distribution’s median', () => {
    const rng = new Rng(4);
    const alpha = 1.5;
    const xs = Array.from({ length: 40_000 }, () => rng.pareto(alpha, 1, 100)).sort((x, y) => x - y);
    expect(xs[0]!).toBeGreaterThanOrEqual(1);
    expect(xs[xs.length - 1]!).toBeLessThanOrEqual(100);
    // Median: (1 − x^−α) = ½(1 − 100^−α).
    const median = Math.pow(1 - 0.5 * (1 - Math.pow(100, -alpha)), -1 / alpha);
    expect(Math.abs(xs[xs.length >> 1]! - median) / median).toBeLessThan(0.02);
    // Heavy tail: some draws above 30.
    expect(xs.filter((x) => x > 30).length).toBeGreaterThan(50);
  });
});
