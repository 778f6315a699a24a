import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../protocol/index.ts';
import type { QuoteFields } from './market-data.ts';
import { MarketData, roundToTick } from './market-data.ts';

const instrument: InstrumentRow = {
  venueId: 'v',
  instrumentName: 'BTC-27MAR26-60000-C',
  kind: 'option',
  isPerpetual: false,
  currency: 'BTC',
  expiryMs: Date.UTC(2026, 2, 27, 8),
  strike: 60_000,
  optionType: 'call',
  tickSize: 0.0005,
  minTradeAmount: 0.1,
  contractSize: 1,
};

describe('MarketData', () => {
  it('prints a price of whole ticks as the decimal it is, as toFixed would', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(0.0001, 0.0005, 0.5, 2.5, 0.05, 1, 25, 0.01), (ticks, tickSize) => {
        const decimals = Math.max(0, Math.ceil(-Math.log10(tickSize)) + 1);
        expect(roundToTick(ticks, tickSize)).toBe(Number((ticks * tickSize).toFixed(decimals)));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('folds the book and every ticker field into one quote row, rebuilt when read after a change', () => {
    const md = new MarketData();
    md.apply({ type: 'InstrumentsListed', instruments: [instrument] });
    md.apply({ type: 'BookSnapshot', instrumentName: instrument.instrumentName, changeId: 1, bids: [{ action: 'new', priceTicks: 7, amount: 3 }], asks: [{ action: 'new', priceTicks: 9, amount: 1.5 }], tsMs: 10 });
    const ticker = { instrumentName: instrument.instrumentName, tsMs: 12, markPrice: 0.0041, markIv: 0.52, bidIv: 0.5, askIv: 0.55, lastPrice: 0.004, underlyingPrice: 61_000, delta: 0.4, gamma: 1e-5, vegaUsd: 30, thetaUsd: -20, fundingRate8h: 0 };
    const changes = md.apply({ type: 'TickerUpdated', ticker });
    expect(changes.quotes).toEqual([instrument.instrumentName]);
    const { instrumentName: _n, tsMs: _t, ...fields } = ticker;
    expect(md.quote(instrument.instrumentName)).toEqual({ instrumentName: instrument.instrumentName, tsMs: 12, stale: false, bidPrice: 0.0035, bidAmount: 3, askPrice: 0.0045, askAmount: 1.5, ...fields });
  });

  it('quoteFields reads what quote() shows, without building the row', () => {
    const md = new MarketData();
    md.apply({ type: 'InstrumentsListed', instruments: [instrument] });
    const fields: QuoteFields = { bidPrice: 1, askPrice: 1, markPrice: 1, underlyingPrice: 1, stale: false };
    expect(md.quoteFields('NOT-LISTED', fields)).toBe(false);
    const same = (): void => {
      expect(md.quoteFields(instrument.instrumentName, fields)).toBe(true);
      const row = md.quote(instrument.instrumentName)!;
      expect(fields).toEqual({ bidPrice: row.bidPrice ?? NaN, askPrice: row.askPrice ?? NaN, markPrice: row.markPrice ?? NaN, underlyingPrice: row.underlyingPrice ?? NaN, stale: row.stale });
    };
    // Listed, no book yet: no row at all, and nothing a quote may rely on.
    expect(md.quoteFields(instrument.instrumentName, fields)).toBe(true);
    expect(fields).toEqual({ bidPrice: NaN, askPrice: NaN, markPrice: NaN, underlyingPrice: NaN, stale: true });
    md.apply({ type: 'BookSnapshot', instrumentName: instrument.instrumentName, changeId: 1, bids: [{ action: 'new', priceTicks: 7, amount: 3 }], asks: [], tsMs: 10 });
    same();
    md.apply({ type: 'TickerUpdated', ticker: { instrumentName: instrument.instrumentName, tsMs: 11, markPrice: 0.004, underlyingPrice: 61_000 } });
    same();
    md.apply({ type: 'BookChanged', instrumentName: instrument.instrumentName, prevChangeId: 5, changeId: 6, bids: [], asks: [], tsMs: 12 });
    same();
    expect(fields.stale).toBe(true);
  });
});
