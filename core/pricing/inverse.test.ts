import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from './black76.ts';
import { black76Greeks } from './greeks.ts';
import {
  coinFromUsd,
  deribitTickerGreeks,
  impliedVolFromCoinPrice,
  inverseGreeks,
  inverseOptionPriceCoin,
  linearOptionPriceUsdc,
  usdFromCoin,
} from './inverse.ts';
import { refNormCdf } from './reference.ts';
import type { OptionKind } from './types.ts';

const kindArb = fc.constantFrom<OptionKind>('call', 'put');
const fArb = fc.double({ min: 1000, max: 200_000, noNaN: true });
const kArb = fc.double({ min: -1, max: 1, noNaN: true });
const tArb = fc.double({ min: 0.02, max: 2, noNaN: true });
const vArb = fc.double({ min: 0.2, max: 2, noNaN: true });

function close(a: number, b: number, rel: number, abs: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b)) + abs);
}

describe('inverse and linear premiums', () => {
  it('an inverse premium in coin is the Black-76 USD price over the forward', () => {
    const usd = black76Price(60_000, 65_000, 30 / 365, 0.55, 'call');
    expect(inverseOptionPriceCoin(60_000, 65_000, 30 / 365, 0.55, 'call')).toBe(usd / 60_000);
    expect(coinFromUsd(usd, 60_000)).toBe(usd / 60_000);
    expect(usdFromCoin(usd / 60_000, 60_000)).toBeCloseTo(usd, 9);
  });

  it('a linear USDC premium is the Black-76 price times the contract multiplier', () => {
    expect(linearOptionPriceUsdc(150, 160, 0.1, 0.9, 'put', 10)).toBe(10 * black76Price(150, 160, 0.1, 0.9, 'put'));
    expect(linearOptionPriceUsdc(150, 160, 0.1, 0.9, 'put')).toBe(black76Price(150, 160, 0.1, 0.9, 'put'));
  });

  it('implied volatility from a coin premium round-trips', () => {
    fc.assert(
      fc.property(fArb, kArb, tArb, vArb, kindArb, (f, k, t, v, kind) => {
        const strike = f * Math.exp(k);
        const coin = inverseOptionPriceCoin(f, strike, t, v, kind);
        const implied = impliedVolFromCoinPrice(coin, f, strike, t, kind)!;
        close(inverseOptionPriceCoin(f, strike, t, implied, kind), coin, 1e-12, 0);
        if (black76Greeks(f, strike, t, v, kind).vegaPerVolPt >= 1e-8 * f) expect(Math.abs(implied - v)).toBeLessThan(1e-9);
      }),
      { seed: 42, numRuns: 500 },
    );
    expect(impliedVolFromCoinPrice(1.2, 60_000, 50_000, 0.1, 'call')).toBeUndefined();
  });
});

describe('inverse Greeks', () => {
  it('premium-adjusted delta is F·∂V_coin/∂F and equals (K/F)Φ(d₂) for calls, −(K/F)Φ(−d₂) for puts', () => {
    fc.assert(
      fc.property(fArb, kArb, tArb, vArb, kindArb, (f, k, t, v, kind) => {
        const strike = f * Math.exp(k);
        const g = inverseGreeks(f, strike, t, v, kind);
        const s = v * Math.sqrt(t);
        const h = 1e-4 * f * s;
        const coin = (ff: number): number => inverseOptionPriceCoin(ff, strike, t, v, kind);
        close(g.deltaPremiumAdjustedCoin, (f * (coin(f + h) - coin(f - h))) / (2 * h), 1e-6, 1e-9);
        const d2 = Math.log(f / strike) / s - s / 2;
        const closed = kind === 'call' ? (strike / f) * refNormCdf(d2) : -(strike / f) * refNormCdf(-d2);
        close(g.deltaPremiumAdjustedCoin, closed, 1e-11, 1e-15);
        const pa = (ff: number): number => inverseGreeks(ff, strike, t, v, kind).deltaPremiumAdjustedCoin;
        close(g.gammaPremiumAdjustedPerUsd * f, (f * (pa(f + h) - pa(f - h))) / (2 * h), 1e-5, 1e-9);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('coin vega and theta are the USD ones over the forward; USD ones equal black76Greeks', () => {
    const g = inverseGreeks(60_000, 70_000, 45 / 365, 0.65, 'call');
    const usd = black76Greeks(60_000, 70_000, 45 / 365, 0.65, 'call');
    expect(g.priceUsd).toBe(usd.price);
    expect(g.deltaBlack).toBe(usd.delta);
    expect(g.gammaUsdPerUsd).toBe(usd.gamma);
    expect(g.vegaUsdPerVolPt).toBe(usd.vegaPerVolPt);
    expect(g.thetaUsdPerDay).toBe(usd.thetaPerDay);
    expect(g.vegaCoinPerVolPt).toBe(usd.vegaPerVolPt / 60_000);
    expect(g.thetaCoinPerDay).toBe(usd.thetaPerDay / 60_000);
    expect(g.deltaPremiumAdjustedCoin).toBeCloseTo(usd.delta - usd.price / 60_000, 15);
    // A zero-strike call is worth one coin: its coin delta vanishes though its Black delta is 1.
    const deep = inverseGreeks(60_000, 1e-6, 0.5, 0.6, 'call');
    expect(deep.deltaBlack).toBeCloseTo(1, 12);
    expect(deep.deltaPremiumAdjustedCoin).toBeCloseTo(0, 10);
  });
});

describe('Deribit ticker Greeks', () => {
  it('are plain Black–Scholes in USD: Black delta, gamma per USD, vega per vol point, theta per day, spot rho', () => {
    const [f, strike, t, v] = [60_000, 55_000, 60 / 365, 0.5];
    const g = deribitTickerGreeks(f, strike, t, v, 'call');
    const usd = black76Greeks(f, strike, t, v, 'call');
    expect(g.deltaBlack).toBe(usd.delta);
    expect(g.deltaBlack).toBeGreaterThan(inverseGreeks(f, strike, t, v, 'call').deltaPremiumAdjustedCoin);
    expect(g.gammaPerUsd).toBe(usd.gamma);
    expect(g.vegaUsdPerVolPt).toBe(usd.vegaPerVolPt);
    expect(g.thetaUsdPerDay).toBe(usd.thetaPerDay);
    const s = v * Math.sqrt(t);
    const d2 = Math.log(f / strike) / s - s / 2;
    close(g.rhoUsdPerPct, (strike * t * refNormCdf(d2)) / 100, 1e-12, 0);
    close(deribitTickerGreeks(f, strike, t, v, 'put').rhoUsdPerPct, (-strike * t * refNormCdf(-d2)) / 100, 1e-11, 1e-12);
  });

  it('caps theta under one day by the remaining time value', () => {
    const t = 1 / 8760;
    const g = deribitTickerGreeks(60_000, 60_000, t, 0.5, 'call');
    const price = black76Price(60_000, 60_000, t, 0.5, 'call');
    expect(black76Greeks(60_000, 60_000, t, 0.5, 'call').thetaPerDay).toBeLessThan(-price);
    expect(g.thetaUsdPerDay).toBeCloseTo(-price, 10);
    const longer = deribitTickerGreeks(60_000, 60_000, 10 / 365, 0.5, 'call');
    expect(longer.thetaUsdPerDay).toBe(black76Greeks(60_000, 60_000, 10 / 365, 0.5, 'call').thetaPerDay);
  });
});
