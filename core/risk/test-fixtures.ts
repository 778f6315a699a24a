/**
 * Instruments and market inputs shared by the risk tests: a small BTC book (two expiries, a dated
 * future, the perpetual) and an ETH perpetual and option, Deribit-style.
 */
import type { InstrumentRow } from '../protocol/state.ts';
import type { PricingInput } from './greeks.ts';

export const DEC26_MS = Date.UTC(2026, 11, 25, 8);
export const MAR27_MS = Date.UTC(2027, 2, 26, 8);
const PERPETUAL_EXPIRY_MS = 32_503_708_800_000;

function option(currency: string, expiryMs: number, tag: string, strike: number, optionType: 'call' | 'put'): InstrumentRow {
  return {
    instrumentName: `${currency}-${tag}-${strike}-${optionType === 'call' ? 'C' : 'P'}`,
    venueId: 'deribit',
    currency,
    kind: 'option',
    isPerpetual: false,
    optionType,
    strike,
    expiryMs,
    tickSize: 0.0005,
    minTradeAmount: 0.1,
    contractSize: 1,
  };
}

function future(currency: string, name: string, expiryMs: number, isPerpetual: boolean, tickSize: number, contractSize: number): InstrumentRow {
  return { instrumentName: name, venueId: 'deribit', currency, kind: 'future', isPerpetual, expiryMs, tickSize, minTradeAmount: contractSize, contractSize };
}

export const BTC_DEC_60C = option('BTC', DEC26_MS, '25DEC26', 60_000, 'call');
export const BTC_DEC_50P = option('BTC', DEC26_MS, '25DEC26', 50_000, 'put');
export const BTC_MAR_70C = option('BTC', MAR27_MS, '26MAR27', 70_000, 'call');
export const BTC_MAR_45P = option('BTC', MAR27_MS, '26MAR27', 45_000, 'put');
export const BTC_DEC_FUT = future('BTC', 'BTC-25DEC26', DEC26_MS, false, 0.5, 10);
export const BTC_PERP = future('BTC', 'BTC-PERPETUAL', PERPETUAL_EXPIRY_MS, true, 0.5, 10);
export const ETH_PERP = future('ETH', 'ETH-PERPETUAL', PERPETUAL_EXPIRY_MS, true, 0.05, 1);
export const ETH_DEC_3000C = option('ETH', DEC26_MS, '25DEC26', 3_000, 'call');

export const INSTRUMENTS: readonly InstrumentRow[] = [BTC_DEC_60C, BTC_DEC_50P, BTC_MAR_70C, BTC_MAR_45P, BTC_DEC_FUT, BTC_PERP, ETH_PERP, ETH_DEC_3000C];
export const INSTRUMENT_MAP: Readonly<Record<string, InstrumentRow>> = Object.fromEntries(INSTRUMENTS.map((i) => [i.instrumentName, i]));

export const INDEX_USD: Readonly<Record<string, number>> = { BTC: 50_000, ETH: 2_500 };

export const PRICING: Readonly<Record<string, PricingInput>> = {
  [BTC_DEC_60C.instrumentName]: { forwardUsd: 51_000, volAnnual: 0.55, expiryYears: 0.5 },
  [BTC_DEC_50P.instrumentName]: { forwardUsd: 51_000, volAnnual: 0.6, expiryYears: 0.5 },
  [BTC_MAR_70C.instrumentName]: { forwardUsd: 52_000, volAnnual: 0.58, expiryYears: 0.75 },
  [BTC_MAR_45P.instrumentName]: { forwardUsd: 52_000, volAnnual: 0.66, expiryYears: 0.75 },
  [BTC_DEC_FUT.instrumentName]: { forwardUsd: 51_000 },
  [BTC_PERP.instrumentName]: { forwardUsd: 50_010 },
  [ETH_PERP.instrumentName]: { forwardUsd: 2_501 },
  [ETH_DEC_3000C.instrumentName]: { forwardUsd: 2_550, volAnnual: 0.7, expiryYears: 0.5 },
};
