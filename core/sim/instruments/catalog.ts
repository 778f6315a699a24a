import { futureName, optionName, perpetualName } from './naming.ts';
import type { ListedExpiry } from './expiries.ts';
import type { Currency, SimInstrument } from './types.ts';
import { PERPETUAL_EXPIRY_MS } from './types.ts';

/**
 * Contract specifications per currency, as Deribit lists them for its inverse (coin-settled)
 * products. Option premiums are quoted in the coin with a finer tick below 0.005.
 */
export interface CurrencySpec {
  readonly currency: Currency;
  readonly optionMinAmount: number;
  readonly futureTickSize: number;
  readonly perpetualTickSize: number;
  /** USD per future contract. */
  readonly futureContractSize: number;
}

export const CURRENCY_SPECS: Readonly<Record<Currency, CurrencySpec>> = {
  BTC: { currency: 'BTC', optionMinAmount: 0.1, futureTickSize: 2.5, perpetualTickSize: 0.5, futureContractSize: 10 },
  ETH: { currency: 'ETH', optionMinAmount: 1, futureTickSize: 0.25, perpetualTickSize: 0.05, futureContractSize: 1 },
};

const OPTION_FEE = 0.0003;
const FUTURE_MAKER_FEE = 0;
const FUTURE_TAKER_FEE = 0.0005;
const OPTION_TICK_STEPS = [{ abovePrice: 0.005, tickSize: 0.0005 }] as const;

export interface StrikeInputs {
  readonly forward: number;
  /** At-the-money volatility used to span roughly 0.05–0.95 delta. */
  readonly atmVolAnnual: number;
  readonly expiryYears: number;
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/** A round strike step: about 1/12 of a one-standard-deviation move, rounded to 1/2/2.5/5 × 10^n. */
export function strikeStep(forward: number, atmVolAnnual: number, expiryYears: number): number {
  const raw = (forward * atmVolAnnual * Math.sqrt(expiryYears)) / 12;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = NICE_STEPS.find((step) => step * magnitude >= raw) ?? 10;
  return nice * magnitude;
}

/** Strikes from about 1.9 standard deviations below the forward to 1.9 above (≈0.05–0.95 delta). */
export function strikesFor({ forward, atmVolAnnual, expiryYears }: StrikeInputs): number[] {
  const step = strikeStep(forward, atmVolAnnual, expiryYears);
  const spread = 1.9 * atmVolAnnual * Math.sqrt(expiryYears);
  const low = Math.max(step, Math.floor((forward * Math.exp(-spread)) / step) * step);
  const high = Math.ceil((forward * Math.exp(spread)) / step) * step;
  const strikes: number[] = [];
  for (let strike = low; strike <= high + step / 2; strike += step) strikes.push(Number(strike.toPrecision(12)));
  return strikes;
}

export interface CatalogInputs {
  readonly currency: Currency;
  readonly nowMs: number;
  readonly expiries: readonly ListedExpiry[];
  /** Forward and ATM vol per expiry, from the market model, to place strikes. */
  readonly strikeInputs: (expiryMs: number) => StrikeInputs;
  /** Ids continue across relistings. */
  readonly firstInstrumentId: number;
}

/** Every instrument of a currency: the perpetual, futures on weekly+ expiries, options on all. */
export function buildCatalog({ currency, nowMs, expiries, strikeInputs, firstInstrumentId }: CatalogInputs): SimInstrument[] {
  const spec = CURRENCY_SPECS[currency];
  let instrumentId = firstInstrumentId;
  const priceIndex = `${currency.toLowerCase()}_usd`;
  // Every instrument is built from one literal with the same keys in the same order, so V8 gives
  // them all one hidden class: the hot paths read these fields millions of times.
  const make = (
    instrumentName: string,
    kind: SimInstrument['kind'],
    isPerpetual: boolean,
    expirationTimestamp: number,
    settlementPeriod: SimInstrument['settlementPeriod'],
    strike: number | undefined,
    optionType: SimInstrument['optionType'],
  ): SimInstrument => {
    const option = kind === 'option';
    return {
      instrumentName,
      instrumentId: instrumentId++,
      currency,
      kind,
      isPerpetual,
      tickSize: option ? 0.0001 : isPerpetual ? spec.perpetualTickSize : spec.futureTickSize,
      tickSizeSteps: option ? OPTION_TICK_STEPS : [],
      contractSize: option ? 1 : spec.futureContractSize,
      minTradeAmount: option ? spec.optionMinAmount : spec.futureContractSize,
      makerCommission: option ? OPTION_FEE : FUTURE_MAKER_FEE,
      takerCommission: option ? OPTION_FEE : FUTURE_TAKER_FEE,
      strike,
      optionType,
      expirationTimestamp,
      creationTimestamp: nowMs,
      settlementPeriod,
      priceIndex,
      baseCurrency: currency,
      quoteCurrency: option ? currency : 'USD',
      counterCurrency: 'USD',
      settlementCurrency: currency,
    };
  };

  const instruments: SimInstrument[] = [make(perpetualName(currency), 'future', true, PERPETUAL_EXPIRY_MS, 'perpetual', undefined, undefined)];
  for (const expiry of expiries) {
    if (expiry.period !== 'day') instruments.push(make(futureName(currency, expiry.expiryMs), 'future', false, expiry.expiryMs, expiry.period, undefined, undefined));
    for (const strike of strikesFor(strikeInputs(expiry.expiryMs))) {
      for (const optionType of ['call', 'put'] as const) {
        instruments.push(make(optionName(currency, expiry.expiryMs, strike, optionType), 'option', false, expiry.expiryMs, expiry.period, strike, optionType));
      }
    }
  }
  return instruments;
}
