/**
 * Black-76 Greeks of one option in the forward's units.
 *
 * Computed by the chain kernel (chain.ts) on a one-option chain, so a scalar call and a chain
 * repricing agree to the last bit. Conventions (forward held fixed; formulas in chain.ts):
 *   delta         ∂V/∂F                         call Φ(d₁), put −Φ(−d₁)
 *   gamma         ∂²V/∂F² per 1 forward unit    φ(d₁)/(F·σ√T)
 *   vegaPerVolPt  ∂V/∂σ × 0.01                  F·φ(d₁)·√T / 100
 *   thetaPerDay   −∂V/∂T / 365 (calendar day)   −F·φ(d₁)·σ/(2√T) / 365
 *   vannaPerVolPt ∂delta/∂σ × 0.01              −φ(d₁)·d₂/σ / 100
 *   volgaPerVolPt ∂vegaPerVolPt/∂σ × 0.01       vega·d₁·d₂/σ / 10⁴
 *   rhoPerPct     ∂V/∂r × 0.01 at fixed forward −T·V / 100 (only discounting moves)
 * With a rate r every term is scaled by e^{−rT}, and theta gains r·V.
 */
import { ChainPricer } from './chain.ts';
import { DAYS_PER_YEAR } from './types.ts';
import type { OptionKind } from './types.ts';

/** Black-76 price and Greeks of one option; units in the field names (see module comment). */
export interface Black76Greeks {
  /** Premium in the forward's units (USD for a USD forward); discounted when a rate is given. */
  readonly price: number;
  /** ∂V/∂F, dimensionless (forward units per forward unit). */
  readonly delta: number;
  /** ∂²V/∂F² per 1 unit of the forward (per 1 USD). */
  readonly gamma: number;
  /** Price change for +1 volatility point (σ + 0.01). */
  readonly vegaPerVolPt: number;
  /** Price change over one calendar day (T − 1/365), forward fixed. */
  readonly thetaPerDay: number;
  /** Delta change for +1 volatility point. */
  readonly vannaPerVolPt: number;
  /** vegaPerVolPt change for +1 volatility point. */
  readonly volgaPerVolPt: number;
  /** Price change for +1 % in the discount rate at fixed forward (−T·V/100). */
  readonly rhoPerPct: number;
}

// One-option chain shared by the scalar functions; synchronous use only, so sharing is safe.
const single = new ChainPricer(1);

/**
 * Runs the chain kernel on one option and leaves the results in the one-option chain returned.
 * Internal: the scalar entry points read the slot they need.
 */
export function priceOne(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
): ChainPricer {
  single.forward[0] = forward;
  single.strike[0] = strike;
  single.expiryYears[0] = expiryYears;
  single.volAnnual[0] = volAnnual;
  single.isCall[0] = kind === 'call' ? 1 : 0;
  single.reprice(1);
  return single;
}

/**
 * Black-76 price and Greeks (formulas in the module comment). rateAnnual (continuous, default 0)
 * discounts: V = e^{−rT}·B, every Greek scaled by e^{−rT}, thetaPerDay = (r·V − e^{−rT}·∂B/∂T)/365,
 * rhoPerPct = −T·V/100. Invalid inputs give NaN fields.
 */
export function black76Greeks(
  forward: number,
  strike: number,
  expiryYears: number,
  volAnnual: number,
  kind: OptionKind,
  rateAnnual = 0,
): Black76Greeks {
  const one = priceOne(forward, strike, expiryYears, volAnnual, kind);
  if (rateAnnual === 0) {
    return {
      price: one.price[0]!,
      delta: one.delta[0]!,
      gamma: one.gamma[0]!,
      vegaPerVolPt: one.vegaPerVolPt[0]!,
      thetaPerDay: one.thetaPerDay[0]!,
      vannaPerVolPt: one.vannaPerVolPt[0]!,
      volgaPerVolPt: one.volgaPerVolPt[0]!,
      rhoPerPct: one.rhoPerPct[0]!,
    };
  }
  const df = Math.exp(-rateAnnual * expiryYears);
  const price = df * one.price[0]!;
  return {
    price,
    delta: df * one.delta[0]!,
    gamma: df * one.gamma[0]!,
    vegaPerVolPt: df * one.vegaPerVolPt[0]!,
    thetaPerDay: df * one.thetaPerDay[0]! + (rateAnnual * price) / DAYS_PER_YEAR,
    vannaPerVolPt: df * one.vannaPerVolPt[0]!,
    volgaPerVolPt: df * one.volgaPerVolPt[0]!,
    rhoPerPct: 0.01 * (-expiryYears * price),
  };
}
