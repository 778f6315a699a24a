import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  controlForLeftCurvature,
  controlForRightCurvature,
  minimumShapePreservingControl,
  rationalCubicAt,
} from './rational-cubic.ts';

const at = (x: number, xL: number, h: number, yL: number, yR: number, dL: number, dR: number, r: number): number =>
  rationalCubicAt((x - xL) / h, (xL + h - x) / h, h, yL, yR, dL, dR, r);

describe('rational cubic interpolation', () => {
  it('matches values and slopes at both ends, and is the cubic Hermite for r = 3', () => {
    const [xL, h, yL, yR, dL, dR] = [0.3, 1.4, 0.2, 1.1, 0.1, 1.5];
    for (const r of [0.5, 3, 10]) {
      expect(at(xL, xL, h, yL, yR, dL, dR, r)).toBeCloseTo(yL, 14);
      expect(at(xL + h, xL, h, yL, yR, dL, dR, r)).toBeCloseTo(yR, 14);
      const e = 1e-6;
      expect((at(xL + e, xL, h, yL, yR, dL, dR, r) - at(xL, xL, h, yL, yR, dL, dR, r)) / e).toBeCloseTo(dL, 4);
      expect((at(xL + h, xL, h, yL, yR, dL, dR, r) - at(xL + h - e, xL, h, yL, yR, dL, dR, r)) / e).toBeCloseTo(dR, 4);
    }
    const t = 0.37;
    const hermite = (2 * t ** 3 - 3 * t ** 2 + 1) * yL + (t ** 3 - 2 * t ** 2 + t) * h * dL + (-2 * t ** 3 + 3 * t ** 2) * yR + (t ** 3 - t ** 2) * h * dR;
    expect(at(xL + t * h, xL, h, yL, yR, dL, dR, 3)).toBeCloseTo(hermite, 14);
  });

  it('fits a prescribed second derivative at either end', () => {
    const [xL, h, yL, yR, dL, dR] = [0, 2, 0, 3, 0.2, 4];
    for (const d2 of [1, 3, 6]) {
      const e = 1e-5;
      const rL = controlForLeftCurvature(h, yL, yR, dL, dR, d2);
      const f = (x: number, r: number): number => at(x, xL, h, yL, yR, dL, dR, r);
      const leftCurvature = (f(xL + 2 * e, rL) - 2 * f(xL + e, rL) + f(xL, rL)) / (e * e);
      if (rL > minimumShapePreservingControl(dL, dR, (yR - yL) / h)) expect(leftCurvature).toBeCloseTo(d2, 2);
      const rR = controlForRightCurvature(h, yL, yR, dL, dR, d2 * 3);
      const rightCurvature = (f(xL + h - 2 * e, rR) - 2 * f(xL + h - e, rR) + f(xL + h, rR)) / (e * e);
      if (rR > minimumShapePreservingControl(dL, dR, (yR - yL) / h)) expect(rightCurvature).toBeCloseTo(d2 * 3, 2);
    }
  });

  it('keeps convex monotone data convex and monotone with the minimum control parameter', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (h, slope, leftFraction, rightExcess) => {
          const [yL, dL, dR] = [0, slope * leftFraction, slope + rightExcess];
          const yR = slope * h;
          const r = minimumShapePreservingControl(dL, dR, slope);
          const n = 200;
          const step = h / n;
          let previous = at(0, 0, h, yL, yR, dL, dR, r);
          let previousSlope = -Infinity;
          for (let i = 1; i <= n; i++) {
            const value = at(i * step, 0, h, yL, yR, dL, dR, r);
            const s = (value - previous) / step;
            expect(s).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, dR));
            expect(s).toBeGreaterThanOrEqual(previousSlope - 1e-6 * Math.max(1, dR));
            previous = value;
            previousSlope = s;
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
