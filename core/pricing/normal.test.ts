import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cdfOverPdf, erfc, erfcx, inverseNormCdf, normCdf, normPdf } from './normal.ts';
import { refNormCdf } from './reference.ts';

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('normCdf', () => {
  it('matches high-precision values deep in the tails', () => {
    // 40-digit values (mpmath.ncdf), rounded to doubles.
    const cases: [number, number][] = [
      [-37, 5.725571222524577e-300],
      [-20, 2.7536241186062337e-89],
      [-10, 7.619853024160525e-24],
      [-5, 2.866515718791939e-7],
      [-2, 0.02275013194817921],
      [-1.6, 0.05479929169955798],
      [0, 0.5],
    ];
    for (const [z, expected] of cases) expect(relErr(normCdf(z), expected)).toBeLessThan(4e-15);
  });

  it('agrees with the series/continued-fraction reference from −38 to 8', () => {
    let worst = 0;
    for (let z = -38; z <= 8; z += 0.0371) worst = Math.max(worst, relErr(normCdf(z), refNormCdf(z)));
    expect(worst).toBeLessThan(1e-14);
  });

  it('is symmetric: Φ(z) + Φ(−z) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (z) => {
        expect(Math.abs(normCdf(z) + normCdf(-z) - 1)).toBeLessThan(2e-16);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('saturates cleanly beyond the representable range', () => {
    expect(normCdf(-40)).toBe(0);
    expect(normCdf(40)).toBe(1);
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
    expect(normCdf(NaN)).toBeNaN();
  });
});

describe('erfc and erfcx', () => {
  it('erfcx(u) = exp(u²)·erfc(u) where both are representable, across Cody’s interval boundaries', () => {
    for (const u of [-3, -1, -0.46875, -0.2, 0, 0.2, 0.46875, 0.47, 1, 3.99, 4, 4.01, 10, 20]) {
      expect(relErr(erfcx(u), Math.exp(u * u) * erfc(u))).toBeLessThan(5e-15);
    }
  });

  it('erfc(u) = 2Φ(−u√2)', () => {
    // Rounding u√2 alone moves the reference by a relative 2u²·ε.
    for (let u = -5; u <= 26; u += 0.173) {
      expect(relErr(erfc(u), 2 * refNormCdf(-u * Math.SQRT2))).toBeLessThan(5e-15 * (1 + 2 * u * u));
    }
  });

  it('erfcx decays like 1/(u√π) and is finite far out', () => {
    expect(relErr(erfcx(1e6), 1 / (1e6 * Math.sqrt(Math.PI)))).toBeLessThan(1e-12);
    expect(erfcx(1e300)).toBeGreaterThan(0);
    expect(erfcx(-30)).toBe(Infinity);
  });

  it('Φ/φ is the Mills-ratio form of Φ', () => {
    for (const z of [-30, -8, -1, 0, 1, 5]) expect(relErr(cdfOverPdf(z) * normPdf(z), refNormCdf(z))).toBeLessThan(2e-13);
  });
});

describe('inverseNormCdf', () => {
  it('inverts normCdf from 1e-300 to 1 − 1e-16', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 8, noNaN: true }), (z) => {
        const p = normCdf(z);
        if (!(p > 0 && p < 1)) return;
        // Near 1, p itself only resolves z to ulp(p)/φ(z).
        const resolution = z > 0 ? Number.EPSILON / normPdf(z) : 0;
        expect(Math.abs(inverseNormCdf(p) - z)).toBeLessThan(1e-13 * Math.max(1, Math.abs(z)) + 2 * resolution);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('maps the ends of [0, 1] to ±∞ and NaN to NaN', () => {
    expect(inverseNormCdf(0)).toBe(-Infinity);
    expect(inverseNormCdf(1)).toBe(Infinity);
    expect(inverseNormCdf(NaN)).toBeNaN();
    expect(inverseNormCdf(0.5)).toBe(0);
  });
});
