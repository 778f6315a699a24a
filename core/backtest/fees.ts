import type { InstrumentRow } from '../protocol/index.ts';

/**
 * Deribit's trading fees, as fractions. Options: a fraction of the underlying per contract
 * (0.03 % = 0.0003 coin per 1-coin contract), capped at a fraction of the option's price (12.5 %).
 * Futures and perpetuals: a fraction of the notional (maker 0, taker 0.05 %; a rebate is negative).
 */
export interface FeeSchedule {
  readonly optionMakerRate: number;
  readonly optionTakerRate: number;
  readonly optionCapFraction: number;
  readonly futureMakerRate: number;
  readonly futureTakerRate: number;
}

export const DERIBIT_FEES: FeeSchedule = { optionMakerRate: 0.0003, optionTakerRate: 0.0003, optionCapFraction: 0.125, futureMakerRate: 0, futureTakerRate: 0.0005 };

/** Fee in coin of one execution: options `amount` coin at `price` coin; futures `amount` USD at `price` USD. */
export function feeCoin(fees: FeeSchedule, instrument: Pick<InstrumentRow, 'kind'>, liquidity: 'maker' | 'taker', amount: number, price: number): number {
  if (instrument.kind === 'option') {
    const rate = liquidity === 'maker' ? fees.optionMakerRate : fees.optionTakerRate;
    const fee = rate * amount;
    const cap = fees.optionCapFraction * price * amount;
    return rate >= 0 ? Math.min(fee, cap) : fee;
  }
  const rate = liquidity === 'maker' ? fees.futureMakerRate : fees.futureTakerRate;
  return price > 0 ? (rate * amount) / price : 0;
}
