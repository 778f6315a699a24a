import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../instruments/catalog.ts';
import { listedExpiries } from '../instruments/expiries.ts';
import { amountToLots, priceToTicks, tickSizeAt } from '../instruments/ticks.ts';
import type { SimInstrument } from '../instruments/types.ts';
import { DEFAULT_MAKER_PARAMS, makeFutureQuote, makeOptionQuote, needsRequote, optionHalfWidthVolPts, recordQuote } from './makers.ts';
import type { QuoteIntent } from './makers.ts';
import { Rng } from './rng.ts';
import { MS_PER_YEAR } from './units.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0);
const catalog = [
  ...buildCatalog({
    currency: 'BTC',
    nowMs: NOW,
    expiries: listedExpiries(NOW),
    strikeInputs: (e) => ({ forward: 95_000, atmVolAnnual: 0.5, expiryYears: (e - NOW) / MS_PER_YEAR }),
    firstInstrumentId: 1,
  }),
  ...buildCatalog({
    currency: 'ETH',
    nowMs: NOW,
    expiries: listedExpiries(NOW),
    strikeInputs: (e) => ({ forward: 3_300, atmVolAnnual: 0.65, expiryYears: (e - NOW) / MS_PER_YEAR }),
    firstInstrumentId: 5_000,
  }),
];
const options = catalog.filter((i) => i.kind === 'option');
const futures = catalog.filter((i) => i.kind === 'future');

function expectWellFormed(instrument: SimInstrument, intent: QuoteIntent, theo: number): void {
  expect(intent.instrumentName).toBe(instrument.instrumentName);
  expect(intent.ask).toBeDefined();
  for (const side of [intent.bid, intent.ask]) {
    if (!side) continue;
    expect(side.price).toBeGreaterThan(0);
    expect(priceToTicks(instrument, side.price), `${side.price} off the grid of ${instrument.instrumentName}`).toBeDefined();
    expect(amountToLots(instrument, side.amount)).toBeGreaterThanOrEqual(1);
  }
  if (intent.bid) {
    expect(intent.bid.price).toBeLessThan(intent.ask!.price);
    expect(intent.bid.price).toBeLessThanOrEqual(theo);
  }
  expect(intent.ask!.price).toBeGreaterThanOrEqual(theo);
}

describe('option maker quotes', () => {
  it('are on the tick grid, positive, bid < ask, around theo — for any theo and vega', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: options.length - 1 }),
        fc.oneof(fc.double({ min: 0, max: 0.0003, noNaN: true }), fc.double({ min: 0, max: 0.01, noNaN: true }), fc.double({ min: 0, max: 0.6, noNaN: true })),
        fc.double({ min: 0, max: 0.002, noNaN: true }),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.integer(),
        (index, theo, vega, expiryYears, z, seed) => {
          const instrument = options[index]!;
          const quote = makeOptionQuote(instrument, { priceCoin: theo, vegaCoinPerVolPt: vega, expiryYears, stdMoneyness: z }, new Rng(seed));
          expectWellFormed(instrument, quote.intent, theo);
          // Bid omitted exactly when theo is under two ticks or the bid would be zero.
          if (theo < 2 * instrument.tickSize) expect(quote.intent.bid).toBeUndefined();
          if (theo > 0.01) expect(quote.intent.bid).toBeDefined();
          expect(quote.halfWidth).toBeGreaterThanOrEqual(tickSizeAt(instrument, theo) - 1e-15);
        },
      ),
      { seed: 424_242, numRuns: 3_000 },
    );
  });

  it('quotes 1–2.5 vol points each side, wider for wings and short expiries', () => {
    const p = DEFAULT_MAKER_PARAMS;
    expect(optionHalfWidthVolPts(0, 1, p)).toBeCloseTo(1, 6);
    expect(optionHalfWidthVolPts(2, 1, p)).toBeCloseTo(2, 6);
    expect(optionHalfWidthVolPts(0, 1 / 365, p)).toBeGreaterThan(optionHalfWidthVolPts(0, 30 / 365, p));
    expect(optionHalfWidthVolPts(5, 1 / 365, p)).toBe(2.5);
    // A liquid ATM option: the spread in vol points is the half-widths, within the noise.
    const instrument = options.find((i) => i.strike === 95_000 && i.currency === 'BTC')!;
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const vega = 0.0004; // coin per vol point
      const quote = makeOptionQuote(instrument, { priceCoin: 0.05, vegaCoinPerVolPt: vega, expiryYears: 0.25, stdMoneyness: 0 }, rng);
      const widthVolPts = (quote.intent.ask!.price - quote.intent.bid!.price) / vega;
      expect(widthVolPts).toBeGreaterThan(2 * (1 - 0.25));
      // Rounding to the 0.0005 grid adds at most one tick per side (1.25 vol points here).
      expect(widthVolPts).toBeLessThan(2 * (1 + 0.25) + 2.6);
    }
  });

  it('draws sizes from a heavy-tailed distribution in lots', () => {
    const instrument = options.find((i) => i.currency === 'BTC')!;
    const rng = new Rng(2);
    const lots = Array.from({ length: 2000 }, () => amountToLots(instrument, makeOptionQuote(instrument, { priceCoin: 0.05, vegaCoinPerVolPt: 0.0004, expiryYears: 0.25, stdMoneyness: 0 }, rng).intent.ask!.amount)!);
    expect(Math.min(...lots)).toBeGreaterThanOrEqual(DEFAULT_MAKER_PARAMS.optionLotsMin);
    expect(Math.max(...lots)).toBeLessThanOrEqual(DEFAULT_MAKER_PARAMS.optionLotsMax);
    const sorted = [...lots].sort((a, b) => a - b);
    expect(sorted[1000]!).toBeLessThan(12);
    expect(lots.filter((l) => l >= 50).length).toBeGreaterThan(20);
  });
});

describe('future maker quotes', () => {
  it('quote a few ticks around fair, on the grid, in contract multiples', () => {
    const rng = new Rng(3);
    for (const instrument of futures) {
      for (let i = 0; i < 50; i++) {
        const fair = (instrument.currency === 'BTC' ? 95_000 : 3_300) * (1 + 0.01 * (rng.next() - 0.5));
        const quote = makeFutureQuote(instrument, fair, rng);
        expectWellFormed(instrument, quote.intent, fair);
        const spreadTicks = (quote.intent.ask!.price - quote.intent.bid!.price) / instrument.tickSize;
        expect(spreadTicks).toBeGreaterThanOrEqual(2);
        expect(spreadTicks).toBeLessThanOrEqual(2 * DEFAULT_MAKER_PARAMS.futureHalfSpreadTicksMax + 2 + 1e-9);
      }
    }
  });
});

describe('requote rule', () => {
  it('requotes when theo moved by more than a fraction of the half-width, or at the refresh time', () => {
    const rng = new Rng(4);
    const instrument = options[10]!;
    const quote = makeOptionQuote(instrument, { priceCoin: 0.05, vegaCoinPerVolPt: 0.0004, expiryYears: 0.25, stdMoneyness: 0 }, rng);
    const record = recordQuote(quote, NOW, rng);
    expect(needsRequote(undefined, 0.05, NOW)).toBe(true);
    expect(record.refreshAtMs - NOW).toBeGreaterThanOrEqual(DEFAULT_MAKER_PARAMS.minRefreshMs);
    expect(needsRequote(record, 0.05, NOW + 1)).toBe(false);
    const threshold = DEFAULT_MAKER_PARAMS.requoteFraction * record.halfWidth;
    expect(needsRequote(record, 0.05 + 0.9 * threshold, NOW + 1)).toBe(false);
    expect(needsRequote(record, 0.05 - 1.1 * threshold, NOW + 1)).toBe(true);
    expect(needsRequote(record, 0.05, record.refreshAtMs)).toBe(true);
    // Refresh intervals average about refreshMeanMs.
    let sum = 0;
    for (let i = 0; i < 2000; i++) sum += recordQuote(quote, 0, rng).refreshAtMs;
    expect(sum / 2000).toBeGreaterThan(0.9 * DEFAULT_MAKER_PARAMS.refreshMeanMs);
    expect(sum / 2000).toBeLessThan(1.2 * DEFAULT_MAKER_PARAMS.refreshMeanMs);
  });
});
