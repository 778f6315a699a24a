import { describe, expect, it } from 'vitest';
import { forwardPrice, fundingRate8h, initialCarryState, perpetualFairPrice, stepCarry } from './carry.ts';
import { DEFAULT_CURRENCY_PARAMS } from './params.ts';
import type { IndexProcessParams, IndexState } from './price-process.ts';
import { expectedIntegratedVariance, stepIndex } from './price-process.ts';
import { Rng } from './rng.ts';
import { MS_PER_YEAR } from './units.ts';

const HOUR_MS = 3_600_000;
const BTC = DEFAULT_CURRENCY_PARAMS.BTC;

/** Simulates `years` in hourly steps; returns annualised realised variance and the final state. */
function simulate(params: IndexProcessParams, years: number, seed: number, v0 = params.thetaVar): { realisedVar: number; end: IndexState } {
  const rng = new Rng(seed);
  let state: IndexState = { tsMs: 0, indexPrice: 100, variance: v0, jumpCount: 0 };
  const steps = Math.round((years * MS_PER_YEAR) / HOUR_MS);
  let sumSq = 0;
  for (let i = 0; i < steps; i++) {
    const next = stepIndex(state, HOUR_MS, rng, params);
    const r = Math.log(next.indexPrice / state.indexPrice);
    sumSq += r * r;
    state = next;
  }
  return { realisedVar: sumSq / years, end: state };
}

describe('index process (Heston + Merton jumps)', () => {
  it('without vol-of-vol or jumps realises exactly its variance', () => {
    const params: IndexProcessParams = { ...BTC, volOfVol: 0, jumpIntensityPerYear: 0 };
    const { realisedVar, end } = simulate(params, 5, 1);
    expect(Math.sqrt(realisedVar)).toBeCloseTo(0.5, 2);
    expect(end.variance).toBeCloseTo(0.25, 12);
    expect(end.tsMs).toBe(5 * 8760 * HOUR_MS);
    expect(end.jumpCount).toBe(0);
  });

  it('realised vol over many years is near √(θ + jump variance) for the BTC defaults', () => {
    const { realisedVar, end } = simulate(BTC, 40, 7);
    const target = Math.sqrt(BTC.thetaVar + BTC.jumpIntensityPerYear * (BTC.jumpLogMean ** 2 + BTC.jumpLogSd ** 2));
    expect(Math.abs(Math.sqrt(realisedVar) - target)).toBeLessThan(0.05);
    // Jumps: 6 a year → 240 expected over 40 years (sd ≈ 15).
    expect(end.jumpCount).toBeGreaterThan(190);
    expect(end.jumpCount).toBeLessThan(290);
  });

  it('mean-reverts the variance toward θ and keeps the index a martingale in the mean', () => {
    const params = { ...BTC, jumpIntensityPerYear: 0 };
    let meanVar = 0;
    let meanPrice = 0;
    const paths = 400;
    for (let p = 0; p < paths; p++) {
      const rng = new Rng(1000 + p);
      let state: IndexState = { tsMs: 0, indexPrice: 100, variance: 1, jumpCount: 0 };
      // A quarter of a year in 6-hour steps.
      for (let i = 0; i < 365; i++) state = stepIndex(state, 6 * HOUR_MS, rng, params);
      meanVar += Math.max(state.variance, 0) / paths;
      meanPrice += state.indexPrice / paths;
    }
    // E[v_T] = θ + (v0 − θ)e^{−κT}.
    const expected = params.thetaVar + (1 - params.thetaVar) * Math.exp(-params.kappa * 0.25);
    expect(Math.abs(meanVar - expected)).toBeLessThan(0.06);
    expect(Math.abs(meanPrice - 100)).toBeLessThan(3);
  });

  it('expected integrated variance follows the Heston term structure', () => {
    expect(expectedIntegratedVariance(0.25, BTC, 1)).toBeCloseTo(0.25, 12);
    expect(expectedIntegratedVariance(1, BTC, 1e-6) / 1e-6).toBeCloseTo(1, 5);
    expect(expectedIntegratedVariance(1, BTC, 100) / 100).toBeCloseTo(0.25 + 0.75 / 300, 6);
    expect(expectedIntegratedVariance(1, BTC, 0)).toBe(0);
  });
});

describe('carry and funding', () => {
  it('funding has Deribit’s ±0.025 % damper and a cap', () => {
    const p = { fundingDamper: 0.00025, fundingCap: 0.005 };
    expect(fundingRate8h(0.0002, p)).toBe(0);
    expect(fundingRate8h(-0.0002, p)).toBe(0);
    expect(fundingRate8h(0.001, p)).toBeCloseTo(0.00075, 15);
    expect(fundingRate8h(-0.001, p)).toBeCloseTo(-0.00075, 15);
    expect(fundingRate8h(0.02, p)).toBe(0.005);
    expect(fundingRate8h(-0.02, p)).toBe(-0.005);
  });

  it('carry and premium mean-revert around their levels with non-zero funding', () => {
    const rng = new Rng(5);
    let state = initialCarryState(BTC);
    let sumPremium = 0;
    let sumCarry = 0;
    let nonZeroFunding = 0;
    const steps = 20_000;
    for (let i = 0; i < steps; i++) {
      state = stepCarry(state, HOUR_MS, rng, BTC); // ~2.3 years
      sumPremium += state.premium;
      sumCarry += state.carryRate;
      if (fundingRate8h(state.premium, BTC) !== 0) nonZeroFunding++;
    }
    expect(Math.abs(sumPremium / steps - BTC.premiumMean)).toBeLessThan(0.0001);
    expect(Math.abs(sumCarry / steps - BTC.carryRateMean)).toBeLessThan(0.02);
    expect(nonZeroFunding / steps).toBeGreaterThan(0.3);
    expect(state.funding8h).toBeGreaterThan(-BTC.fundingCap);
    expect(state.funding8h).toBeLessThan(BTC.fundingCap);
  });

  it('prices futures with carry and the perpetual with its premium', () => {
    expect(forwardPrice(100_000, 0.06, 0.5)).toBeCloseTo(100_000 * Math.exp(0.03), 8);
    expect(forwardPrice(100_000, 0.06, -0.1)).toBe(100_000);
    expect(perpetualFairPrice(100_000, 0.0003)).toBeCloseTo(100_030, 8);
  });
});
