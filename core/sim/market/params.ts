/**
 * Default model parameters per currency. BTC: index 95,000, 50 % vol; ETH: index 3,300, 65 % vol
 * with a steeper skew and fatter jumps. Both satisfy Feller's condition 2κθ > ξ², so the variance
 * rarely touches zero even before truncation.
 */
import type { Currency } from '../instruments/types.ts';
import type { CarryParams } from './carry.ts';
import type { IndexProcessParams } from './price-process.ts';

export interface CurrencyModelParams extends IndexProcessParams, CarryParams {
  readonly initialIndexPrice: number;
  /** Initial annual variance (0.25 = 50 % vol). */
  readonly initialVariance: number;
}

/** Premium reversion of 1,000 per year is a half-life of about six hours. */
const PREMIUM_KAPPA = 1_000;
/** Premium volatility for a stationary standard deviation of 0.05 %: 0.0005·√(2κ). */
const PREMIUM_VOL = 0.0005 * Math.sqrt(2 * PREMIUM_KAPPA);

const COMMON_CARRY = {
  carryRateKappa: 2,
  carryRateVol: 0.03,
  premiumMean: 0.0003,
  premiumKappa: PREMIUM_KAPPA,
  premiumVol: PREMIUM_VOL,
  fundingDamper: 0.00025,
  fundingCap: 0.005,
} as const;

export const DEFAULT_CURRENCY_PARAMS: Readonly<Record<Currency, CurrencyModelParams>> = {
  BTC: {
    initialIndexPrice: 95_000,
    initialVariance: 0.25,
    kappa: 3,
    thetaVar: 0.25,
    volOfVol: 0.9,
    rho: -0.25,
    jumpIntensityPerYear: 6,
    jumpLogMean: -0.01,
    jumpLogSd: 0.04,
    carryRateMean: 0.06,
    ...COMMON_CARRY,
  },
  ETH: {
    initialIndexPrice: 3_300,
    initialVariance: 0.4225,
    kappa: 3,
    thetaVar: 0.4225,
    volOfVol: 1.1,
    rho: -0.3,
    jumpIntensityPerYear: 6,
    jumpLogMean: -0.012,
    jumpLogSd: 0.05,
    carryRateMean: 0.07,
    ...COMMON_CARRY,
  },
};

/** Taker arrival rates per currency, trades per second of simulated time. */
export interface TakerRates {
  readonly optionTradesPerSec: number;
  readonly perpetualTradesPerSec: number;
  readonly futureTradesPerSec: number;
}

export const DEFAULT_TAKER_RATES: Readonly<Record<Currency, TakerRates>> = {
  BTC: { optionTradesPerSec: 5, perpetualTradesPerSec: 10, futureTradesPerSec: 1 },
  ETH: { optionTradesPerSec: 3, perpetualTradesPerSec: 6, futureTradesPerSec: 0.5 },
};
