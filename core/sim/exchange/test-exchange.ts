import { ManualClock } from '../../model/clock.ts';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { SimExchange } from './exchange.ts';

/** The simulator's test fixture: an exchange listing Deribit's BTC schedule (forward 95,000, 50 % vol) with its index set, on a manual clock. */
export function listedBtcExchange(nowMs: number): { readonly clock: ManualClock; readonly exchange: SimExchange; readonly instruments: SimInstrument[] } {
  const clock = new ManualClock(nowMs);
  const exchange = new SimExchange(clock);
  const instruments = buildCatalog({
    currency: 'BTC',
    nowMs,
    expiries: listedExpiries(nowMs),
    strikeInputs: (expiryMs) => ({ forward: 95_000, atmVolAnnual: 0.5, expiryYears: (expiryMs - nowMs) / 31_536_000_000 }),
    firstInstrumentId: 1,
  });
  exchange.listInstruments(instruments);
  exchange.setIndexPrice('BTC', 95_000);
  return { clock, exchange, instruments };
}
