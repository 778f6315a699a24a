/**
 * Coin-margined (inverse, Deribit style) and linear (USDC) option contracts.
 *
 * A Deribit BTC option is on 1 BTC, quoted and settled in BTC: its premium in BTC is the
 * Black-76 USD price divided by the forward of its expiry (Deribit's `underlying_price`, which is
 * also the forward its displayed implied volatility uses):  V_btc = B(F, K, T, σ)/F.
 * A linear USDC option pays in USDC, so its premium is the Black-76 price itself, times the
 * contract multiplier (e.g. 10 SOL per contract).
 *
 * Deribit's ticker Greeks (public/ticker `greeks`) are plain Black–Scholes Greeks in USD on the
 * forward with r = 0 — NOT premium adjusted:
 *   delta  Black delta ∂V_usd/∂F (call Φ(d₁), put Φ(d₁) − 1)
 *   gamma  ∂²V_usd/∂F², per 1 USD move
 *   vega   USD per 1 volatility point
 *   theta  USD per calendar day; for expiries under a day Deribit shows the smaller of the one-day
 *          theta and the option's lifetime theta (we read "lifetime theta" as losing all remaining
 *          time value, −(V − intrinsic))
 *   rho    USD per 1 % rate, Black–Scholes spot-fixed rho: call K·T·Φ(d₂)/100, put −K·T·Φ(−d₂)/100
 * The premium-adjusted delta (Black delta − premium in BTC) is what Deribit calls the net
 * transaction delta and sums into an account's delta_total; it is the option's exposure in coin.
 */
import { black76Price } from './black76.ts';
import { black76Greeks } from './greeks.ts';
import { impliedVol } from './implied-vol.ts';
import { DAYS_PER_YEAR } from './types.ts';
import type { OptionKind } from './types.ts';

/** Premium in coin of an inverse option from its USD value: priceUsd / forward. */
export function coinFromUsd(priceUsd: number, forward: number): number {
  return priceUsd / forward;
}

/** USD value of a premium quoted in coin: priceCoin × forward. */
export function usdFromCoin(priceCoin: number, forward: number): number {
  return priceCoin * forward;
}

/**
 * Premium in coin (BTC) of an inverse option on one coin: black76Price(F, K, T, σ, kind)/F,
 * with F the USD forward of the expiry. NaN on invalid inputs, like black76Price.
 */
export function inverseOptionPriceCoin(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): number {
  return black76Price(forward, strike, expiryYears, volAnnual, kind) / forward;
}

/**
 * Premium in USDC of a linear option: contractMultiplier × black76Price(F, K, T, σ, kind), with
 * forward and strike in USDC (undiscounted: crypto venues settle with r = 0).
 */
export function linearOptionPriceUsdc(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
  contractMultiplier = 1,
): number {
  return contractMultiplier * black76Price(forward, strike, expiryYears, volAnnual, kind);
}

/**
 * Implied volatility from an inverse option's premium in coin: impliedVol(priceCoin × F, …).
 * undefined where no volatility reproduces it (see impliedVol).
 */
export function impliedVolFromCoinPrice(
  priceCoin: number,
  forward: number,
  strike: number,
  expiryYears: number,
  kind: OptionKind,
): number | undefined {
  return impliedVol(priceCoin * forward, forward, strike, expiryYears, kind);
}

/** Greeks of one Deribit inverse option (one coin of underlying), in USD and in coin. */
export interface InverseGreeks {
  /** Premium in coin: V_usd/F. */
  readonly priceCoin: number;
  /** Premium in USD: undiscounted Black-76 V_usd. */
  readonly priceUsd: number;
  /** Black delta ∂V_usd/∂F: Deribit's ticker delta (not premium adjusted). */
  readonly deltaBlack: number;
  /** Premium-adjusted delta in coin, deltaBlack − priceCoin = F·∂V_coin/∂F (Deribit's net transaction delta). */
  readonly deltaPremiumAdjustedCoin: number;
  /** ∂²V_usd/∂F² per 1 USD: Deribit's ticker gamma. */
  readonly gammaUsdPerUsd: number;
  /** ∂(deltaPremiumAdjustedCoin)/∂F per 1 USD = gamma − deltaPremiumAdjustedCoin/F. */
  readonly gammaPremiumAdjustedPerUsd: number;
  /** USD per 1 volatility point: Deribit's ticker vega. */
  readonly vegaUsdPerVolPt: number;
  /** Coin per 1 volatility point (forward fixed): vegaUsdPerVolPt/F. */
  readonly vegaCoinPerVolPt: number;
  /** USD per calendar day, instantaneous Black theta at fixed forward. */
  readonly thetaUsdPerDay: number;
  /** Coin per calendar day (forward fixed): thetaUsdPerDay/F. */
  readonly thetaCoinPerDay: number;
  /** Black delta change per 1 volatility point. */
  readonly vannaPerVolPt: number;
  /** vegaUsdPerVolPt change per 1 volatility point. */
  readonly volgaUsdPerVolPt: number;
  /** USD per 1 % rate, Black–Scholes spot-fixed rho at r = 0: T·(F·delta − V)/100. */
  readonly rhoUsdPerPct: number;
}

/** Greeks of an inverse option on the USD forward F with r = 0 (see InverseGreeks for units). */
export function inverseGreeks(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): InverseGreeks {
  const usd = black76Greeks(forward, strike, expiryYears, volAnnual, kind);
  const priceUsd = usd.price;
  const delta = usd.delta;
  const gamma = usd.gamma;
  const priceCoin = priceUsd / forward;
  const deltaPa = delta - priceCoin;
  const vegaUsd = usd.vegaPerVolPt;
  const thetaUsd = usd.thetaPerDay;
  return {
    priceCoin,
    priceUsd,
    deltaBlack: delta,
    deltaPremiumAdjustedCoin: deltaPa,
    gammaUsdPerUsd: gamma,
    gammaPremiumAdjustedPerUsd: gamma - deltaPa / forward,
    vegaUsdPerVolPt: vegaUsd,
    vegaCoinPerVolPt: vegaUsd / forward,
    thetaUsdPerDay: thetaUsd,
    thetaCoinPerDay: thetaUsd / forward,
    vannaPerVolPt: usd.vannaPerVolPt,
    volgaUsdPerVolPt: usd.volgaPerVolPt,
    rhoUsdPerPct: 0.01 * expiryYears * (forward * delta - priceUsd),
  };
}

/** The five Greeks of Deribit's ticker, in Deribit's units (see the module comment). */
export interface DeribitTickerGreeks {
  /** Deribit `delta`: Black delta, not premium adjusted. */
  readonly deltaBlack: number;
  /** Deribit `gamma`: per 1 USD move of the forward. */
  readonly gammaPerUsd: number;
  /** Deribit `vega`: USD per 1 volatility point. */
  readonly vegaUsdPerVolPt: number;
  /** Deribit `theta`: USD per calendar day, capped by the lifetime decay under one day. */
  readonly thetaUsdPerDay: number;
  /** Deribit `rho`: USD per 1 % rate, Black–Scholes spot-fixed rho at r = 0. */
  readonly rhoUsdPerPct: number;
}

/**
 * Greeks as Deribit's ticker reports them for an option on the forward F (USD) with r = 0:
 * Black delta, gamma per USD, vega per vol point, theta per day, rho per 1 %. Under one day to
 * expiry theta is max(thetaPerDay, −(V − intrinsic)): the smaller loss of the two.
 */
export function deribitTickerGreeks(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): DeribitTickerGreeks {
  const g = inverseGreeks(forward, strike, expiryYears, volAnnual, kind);
  let theta = g.thetaUsdPerDay;
  if (expiryYears < 1 / DAYS_PER_YEAR) {
    const intrinsic = kind === 'call' ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
    theta = Math.max(theta, -(g.priceUsd - intrinsic));
  }
  return {
    deltaBlack: g.deltaBlack,
    gammaPerUsd: g.gammaUsdPerUsd,
    vegaUsdPerVolPt: g.vegaUsdPerVolPt,
    thetaUsdPerDay: theta,
    rhoUsdPerPct: g.rhoUsdPerPct,
  };
}
