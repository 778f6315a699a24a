import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkButterfly, durrlemanG, fitSvi, sviImpliedVol, sviParamsProblem, sviTotalVariance } from './svi.ts';
import type { SmileQuote, SviParams } from './svi.ts';
import { mulberry32 } from '../../test/support/prng.ts';


/** Standard normal draws by Box–Muller from a seeded uniform source. */
function gaussian(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function syntheticQuotes(
  params: SviParams,
  expiryYears: number,
  options: { count?: number; from?: number; to?: number; noiseVol?: number; seed?: number; halfSpread?: number } = {},
): SmileQuote[] {
  const { count = 40, from = -1, to = 1, noiseVol = 0, seed = 1, halfSpread = 0.005 } = options;
  const noise = gaussian(mulberry32(seed));
  const quotes: SmileQuote[] = [];
  for (let i = 0; i < count; i++) {
    const k = from + ((to - from) * i) / (count - 1);
    const mid = sviImpliedVol(params, k, expiryYears) + noiseVol * noise();
    quotes.push({ logMoneyness: k, midVolAnnual: mid, bidVolAnnual: mid - halfSpread, askVolAnnual: mid + halfSpread });
  }
  return quotes;
}

const CASES: readonly { name: string; t: number; p: SviParams }[] = [
  { name: 'quarterly, put skew', t: 0.5, p: { a: 0.02, b: 0.15, rho: -0.35, m: 0.05, sigma: 0.25 } },
  { name: 'weekly, call skew', t: 0.05, p: { a: 0.002, b: 0.04, rho: 0.2, m: -0.02, sigma: 0.05 } },
  { name: 'yearly, negative a', t: 1, p: { a: -0.02, b: 0.2, rho: -0.5, m: 0.1, sigma: 0.4 } },
];

/** Gatheral–Jacquier's example of raw SVI with butterfly arbitrage (Axel Vogt's parameters). */
const VOGT: SviParams = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };

describe('raw SVI', () => {
  it('evaluates w(k) = a + b(ρ(k − m) + √((k − m)² + σ²))', () => {
    const p = CASES[0]!.p;
    expect(sviTotalVariance(p, 0.05)).toBeCloseTo(0.02 + 0.15 * 0.25, 15);
    expect(sviImpliedVol(p, 0.05, 0.5)).toBeCloseTo(Math.sqrt((0.02 + 0.15 * 0.25) / 0.5), 15);
    expect(sviParamsProblem(p)).toBeUndefined();
    expect(sviParamsProblem({ ...p, rho: 1 })).toBe('|rho| >= 1');
    expect(sviParamsProblem({ ...p, b: -0.1 })).toBe('b < 0');
    expect(sviParamsProblem({ ...p, a: -1 })).toBe('minimum total variance < 0');
  });

  it('Durrleman’s g matches its definition with numerical derivatives', () => {
    fc.assert(
      fc.property(fc.double({ min: -1.5, max: 1.5, noNaN: true }), (k) => {
        const p = CASES[2]!.p;
        const h = 1e-4;
        const w = sviTotalVariance(p, k);
        const w1 = (sviTotalVariance(p, k + h) - sviTotalVariance(p, k - h)) / (2 * h);
        const w2 = (sviTotalVariance(p, k + h) - 2 * w + sviTotalVariance(p, k - h)) / (h * h);
        const g = (1 - (k * w1) / (2 * w)) ** 2 - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
        expect(Math.abs(durrlemanG(p, k) - g)).toBeLessThan(1e-5);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('flags the butterfly arbitrage of Vogt’s smile and passes arbitrage-free ones', () => {
    const report = checkButterfly(VOGT, -1.5, 1.5);
    expect(report.arbitrageFree).toBe(false);
    expect(report.minG).toBeLessThan(-0.03);
    expect(report.worstLogMoneyness).toBeGreaterThan(0.5);
    expect(report.worstLogMoneyness).toBeLessThan(1.2);
    for (const { p } of CASES) expect(checkButterfly(p, -2, 2).arbitrageFree).toBe(true);
    // A smile whose wing is too steep for Lee's bound breaks g far out.
    expect(checkButterfly({ a: 0.01, b: 3, rho: 0.9, m: 0, sigma: 0.1 }, -3, 3).arbitrageFree).toBe(false);
  });
});

describe('fitSvi', () => {
  for (const { name, t, p } of CASES) {
    it(`recovers known parameters exactly from noiseless quotes (${name})`, () => {
      const fit = fitSvi(syntheticQuotes(p, t), t);
      expect(fit.ok).toBe(true);
      if (!fit.ok) return;
      expect(fit.params.a).toBeCloseTo(p.a, 7);
      expect(fit.params.b).toBeCloseTo(p.b, 7);
      expect(fit.params.rho).toBeCloseTo(p.rho, 6);
      expect(fit.params.m).toBeCloseTo(p.m, 7);
      expect(fit.params.sigma).toBeCloseTo(p.sigma, 7);
      expect(fit.rmseVolPts).toBeLessThan(1e-6);
    });

    it(`recovers the smile from noisy quotes (${name})`, () => {
      const noiseVol = 0.002;
      const fit = fitSvi(syntheticQuotes(p, t, { noiseVol, seed: 7 }), t);
      expect(fit.ok).toBe(true);
      if (!fit.ok) return;
      // The weighted fit error is the noise (0.2 vol pt); the curve stays within 2.5× the noise
      // wherever quotes carry weight (vega is not negligible: |k| within 4 standard deviations).
      expect(fit.weightedRmseVolPts).toBeGreaterThan(0.1);
      expect(fit.weightedRmseVolPts).toBeLessThan(0.3);
      const reach = Math.min(1, 4 * sviImpliedVol(p, 0, t) * Math.sqrt(t));
      for (let k = -reach; k <= reach; k += reach / 20) {
        expect(Math.abs(sviImpliedVol(fit.params, k, t) - sviImpliedVol(p, k, t))).toBeLessThan(2.5 * noiseVol);
      }
      expect(Math.abs(fit.params.rho - p.rho)).toBeLessThan(0.1);
      expect(Math.abs(fit.params.m - p.m)).toBeLessThan(0.05);
      expect(Math.abs(fit.params.b / p.b - 1)).toBeLessThan(0.15);
    });
  }

  it('recovers random arbitrage-free smiles (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        fc.double({ min: -0.7, max: 0.7, noNaN: true }),
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.double({ min: 0.2, max: 1.2, noNaN: true }),
        fc.double({ min: 0.02, max: 2, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (b, rho, m, sigma, atmVol, t, seed) => {
          // Choose a so that the at-the-money vol is atmVol; keep the minimum variance positive.
          const a = Math.max(atmVol * atmVol * t - b * (-rho * m + Math.sqrt(m * m + sigma * sigma)), -0.5 * b * sigma * Math.sqrt(1 - rho * rho));
          const p: SviParams = { a, b, rho, m, sigma };
          if (!checkButterfly(p, -1.1, 1.1).arbitrageFree) return;
          // Strikes span ±4 standard deviations (at most ±1), as listed strikes do by delta.
          const reach = Math.min(1, 4 * atmVol * Math.sqrt(t));
          const quotes = syntheticQuotes(p, t, { noiseVol: 0.001, seed, from: -reach, to: reach });
          const fit = fitSvi(quotes, t);
          expect(fit.ok).toBe(true);
          if (!fit.ok) return;
          // The optimiser fits the noisy quotes at least as well as the true smile does, in the
          // metric it minimises (weights ∝ vega, as every spread is equal here).
          let weightSum = 0;
          let truthSq = 0;
          for (const q of quotes) {
            const sd = q.midVolAnnual * Math.sqrt(t);
            const d1 = -q.logMoneyness / sd + sd / 2;
            const weight = Math.exp(-0.5 * d1 * d1);
            weightSum += weight;
            truthSq += weight * (sviImpliedVol(p, q.logMoneyness, t) - q.midVolAnnual) ** 2;
          }
          expect(fit.weightedRmseVolPts).toBeLessThanOrEqual(100 * Math.sqrt(truthSq / weightSum) * (1 + 1e-6) + 1e-9);
          // And the curve stays within a few times the 0.1 vol pt noise of the truth.
          for (let k = -reach; k <= reach; k += reach / 10) {
            expect(Math.abs(sviImpliedVol(fit.params, k, t) - sviImpliedVol(p, k, t))).toBeLessThan(0.004);
          }
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('keeps every fit inside the SVI domain and is deterministic', () => {
    const quotes = syntheticQuotes(CASES[0]!.p, 0.5, { noiseVol: 0.01, seed: 3 });
    const first = fitSvi(quotes, 0.5);
    const second = fitSvi(quotes, 0.5);
    expect(second).toEqual(first);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const { a, b, rho, sigma } = first.params;
    expect(b).toBeGreaterThanOrEqual(0);
    expect(Math.abs(rho)).toBeLessThan(1);
    expect(sigma).toBeGreaterThan(0);
    expect(a + b * sigma * Math.sqrt(1 - rho * rho)).toBeGreaterThanOrEqual(0);
    expect(b * (1 + Math.abs(rho))).toBeLessThanOrEqual(2 + 1e-12);
  });

  it('weights quotes by vega and spread: a wide-spread outlier barely moves the fit', () => {
    const p = CASES[0]!.p;
    const clean = syntheticQuotes(p, 0.5);
    const withOutlier = (halfSpread: number): SmileQuote[] =>
      clean.map((q, i) =>
        i === 20 ? { ...q, midVolAnnual: q.midVolAnnual + 0.05, bidVolAnnual: q.midVolAnnual + 0.05 - halfSpread, askVolAnnual: q.midVolAnnual + 0.05 + halfSpread } : q,
      );
    const tight = fitSvi(withOutlier(0.005), 0.5);
    const wide = fitSvi(withOutlier(0.2), 0.5);
    expect(tight.ok && wide.ok).toBe(true);
    if (!tight.ok || !wide.ok) return;
    const k = clean[20]!.logMoneyness;
    const truth = sviImpliedVol(p, k, 0.5);
    expect(Math.abs(sviImpliedVol(wide.params, k, 0.5) - truth)).toBeLessThan(0.25 * Math.abs(sviImpliedVol(tight.params, k, 0.5) - truth));
  });

  it('rejects a fit with butterfly arbitrage, reporting the parameters and where g < 0', () => {
    const fit = fitSvi(syntheticQuotes(VOGT, 1, { from: -1.5, to: 1.5 }), 1);
    expect(fit.ok).toBe(false);
    if (fit.ok) return;
    expect(fit.reason).toBe('butterfly-arbitrage');
    expect(fit.params?.a).toBeCloseTo(VOGT.a, 5);
    expect(fit.butterfly?.minG).toBeLessThan(0);
  });

  it('fails with a clear reason on insufficient or bad data, never throwing', () => {
    const good = syntheticQuotes(CASES[0]!.p, 0.5, { count: 10 });
    const reason = (quotes: readonly SmileQuote[], t = 0.5): string => {
      const fit = fitSvi(quotes, t);
      return fit.ok ? 'ok' : fit.reason;
    };
    expect(reason(good.slice(0, 4))).toBe('insufficient-data');
    expect(reason([...good.slice(0, 4), ...good.slice(0, 4)])).toBe('insufficient-data');
    expect(reason([])).toBe('insufficient-data');
    expect(reason(good.map((q, i) => (i === 3 ? { ...q, bidVolAnnual: 0.9, askVolAnnual: 0.8 } : q)))).toBe('crossed-quote');
    expect(reason(good.map((q, i) => (i === 3 ? { ...q, midVolAnnual: 0 } : q)))).toBe('invalid-input');
    expect(reason(good.map((q, i) => (i === 3 ? { ...q, midVolAnnual: -0.2 } : q)))).toBe('invalid-input');
    expect(reason(good.map((q, i) => (i === 3 ? { ...q, logMoneyness: NaN } : q)))).toBe('invalid-input');
    expect(reason(good.map((q) => ({ ...q, vegaPerVolPt: -1 })))).toBe('invalid-input');
    expect(reason(good, 0)).toBe('invalid-input');
    expect(reason(good, NaN)).toBe('invalid-input');
    expect(reason(good)).toBe('ok');
  });

  it('fits 40 strikes in a few milliseconds', () => {
    const quotes = syntheticQuotes(CASES[0]!.p, 0.5, { noiseVol: 0.002, seed: 5 });
    fitSvi(quotes, 0.5);
    const start = performance.now();
    for (let i = 0; i < 5; i++) fitSvi(quotes, 0.5);
    expect((performance.now() - start) / 5).toBeLessThan(20);
  });
});
