import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog, strikesFor } from './catalog.ts';
import { listedExpiries } from './expiries.ts';
import { optionName, parseInstrumentName } from './naming.ts';
import { amountToLots, lotsToAmount, priceToTicks, roundDecimals, roundPriceToTicks, ticksToPrice } from './ticks.ts';
import type { SimInstrument } from './types.ts';

const NOW = Date.UTC(2026, 10, 21, 15, 0); // Saturday 21 Nov 2026, 15:00 UTC

describe('listed expiries', () => {
  it('lists dailies, weeklies, monthlies and quarterlies at 08:00 UTC, in order', () => {
    const expiries = listedExpiries(NOW);
    expect(expiries.length).toBeGreaterThanOrEqual(8);
    expect(expiries.every((e) => new Date(e.expiryMs).getUTCHours() === 8 && e.expiryMs > NOW)).toBe(true);
    expect(expiries.map((e) => e.expiryMs)).toEqual([...expiries.map((e) => e.expiryMs)].sort((a, b) => a - b));
    expect(expiries[0]!.expiryMs).toBe(Date.UTC(2026, 10, 22, 8));
    expect(expiries.filter((e) => e.quarterly).map((e) => new Date(e.expiryMs).toISOString().slice(0, 10))).toEqual(['2026-12-25', '2027-03-26', '2027-06-25', '2027-09-24']);
    expect(expiries.find((e) => e.expiryMs === Date.UTC(2026, 10, 27, 8))?.period).toBe('month');
  });

  it('always lists at least eight distinct future expiries', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2032, 0, 1) }), (nowMs) => {
        const expiries = listedExpiries(nowMs);
        expect(new Set(expiries.map((e) => e.expiryMs)).size).toBe(expiries.length);
        expect(expiries.length).toBeGreaterThanOrEqual(8);
        expect(expiries[0]!.expiryMs - nowMs).toBeLessThanOrEqual(86_400_000);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('instrument names', () => {
  it('formats and parses Deribit names', () => {
    expect(optionName('BTC', Date.UTC(2026, 11, 25, 8), 100000, 'call')).toBe('BTC-25DEC26-100000-C');
    expect(optionName('ETH', Date.UTC(2027, 0, 1, 8), 3250, 'put')).toBe('ETH-1JAN27-3250-P');
    expect(parseInstrumentName('BTC-25DEC26-100000-C')).toEqual({ currency: 'BTC', kind: 'option', perpetual: false, expiryCode: '25DEC26', strike: 100000, optionType: 'call' });
    expect(parseInstrumentName('BTC-PERPETUAL')).toMatchObject({ kind: 'future', perpetual: true });
    expect(parseInstrumentName('BTC-25DEC26')).toMatchObject({ kind: 'future', perpetual: false });
    expect(parseInstrumentName('BTC-25DEC26-abc-C')).toBeUndefined();
    expect(parseInstrumentName('nonsense')).toBeUndefined();
  });
});

describe('catalog', () => {
  const expiries = listedExpiries(NOW);
  const catalog = buildCatalog({
    currency: 'BTC',
    nowMs: NOW,
    expiries,
    strikeInputs: (expiryMs) => ({ forward: 95_000, atmVolAnnual: 0.55, expiryYears: (expiryMs - NOW) / (365 * 86_400_000) }),
    firstInstrumentId: 1,
  });

  it('scales to a Deribit-sized chain with unique names and ids', () => {
    const options = catalog.filter((i) => i.kind === 'option');
    expect(options.length).toBeGreaterThan(400);
    expect(new Set(catalog.map((i) => i.instrumentName)).size).toBe(catalog.length);
    expect(new Set(catalog.map((i) => i.instrumentId)).size).toBe(catalog.length);
    expect(catalog.filter((i) => i.isPerpetual).map((i) => i.instrumentName)).toEqual(['BTC-PERPETUAL']);
  });

  it('spans roughly 0.05 to 0.95 delta on every expiry', () => {
    for (const expiry of expiries) {
      const expiryYears = (expiry.expiryMs - NOW) / (365 * 86_400_000);
      const strikes = strikesFor({ forward: 95_000, atmVolAnnual: 0.55, expiryYears });
      const sd = 0.55 * Math.sqrt(expiryYears);
      expect(Math.log(strikes[0]! / 95_000)).toBeLessThanOrEqual(-1.6 * sd);
      expect(Math.log(strikes.at(-1)! / 95_000)).toBeGreaterThanOrEqual(1.6 * sd);
      expect(strikes.length).toBeGreaterThanOrEqual(10);
      expect(strikes.length).toBeLessThanOrEqual(60);
    }
  });
});

describe('ticks and lots', () => {
  const option: SimInstrument = buildCatalog({
    currency: 'BTC',
    nowMs: NOW,
    expiries: listedExpiries(NOW).slice(0, 1),
    strikeInputs: () => ({ forward: 95_000, atmVolAnnual: 0.55, expiryYears: 0.01 }),
    firstInstrumentId: 1,
  }).find((instrument) => instrument.kind === 'option')!;
  it('accepts prices on the tick grid that applies at that price, and nothing else', () => {
    expect(priceToTicks(option, 0.0042)).toBe(42);
    expect(priceToTicks(option, 0.0345)).toBe(345);
    expect(priceToTicks(option, 0.0346)).toBeUndefined();
    expect(priceToTicks(option, 0.00425)).toBeUndefined();
    expect(priceToTicks(option, Number.NaN)).toBeUndefined();
    expect(ticksToPrice(option, 345)).toBe(0.0345);
    expect(roundPriceToTicks(option, 0.03462, 'buy')).toBe(345);
    expect(roundPriceToTicks(option, 0.03462, 'sell')).toBe(350);
  });

  it('round-trips every valid price and amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (ticks, lots) => {
        const price = ticksToPrice(option, ticks);
        const onGrid = priceToTicks(option, price);
        if (price <= 0.005 || ticks % 5 === 0) expect(onGrid).toBe(ticks);
        else expect(onGrid).toBeUndefined();
        expect(amountToLots(option, lotsToAmount(option, lots))).toBe(lots);
      }),
      { seed: 5, numRuns: 2000 },
    );
    expect(amountToLots(option, 0.15)).toBeUndefined();
    expect(amountToLots(option, 0)).toBeUndefined();
    expect(amountToLots(option, 0.1 + 0.2)).toBe(3);
  });
});

describe('roundDecimals', () => {
  it('is Number(value.toFixed(decimals)), for any value and decimals, ties included', () => {
    const same = (value: number, decimals: number): boolean => roundDecimals(value, decimals) === Number(value.toFixed(decimals));
    fc.assert(fc.property(fc.double({ noNaN: true, min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 12 }), same), { numRuns: 20_000 });
    // Exact halves and their neighbours, where rounding is decided by the binary value.
    fc.assert(
      fc.property(fc.integer({ min: -1e7, max: 1e7 }), fc.integer({ min: 0, max: 8 }), (units, decimals) => {
        const half = (units + 0.5) / 10 ** decimals;
        return same(half, decimals) && same(half + Number.EPSILON * Math.abs(half), decimals) && same(half - Number.EPSILON * Math.abs(half), decimals);
      }),
      { numRuns: 20_000 },
    );
    for (const [value, decimals] of [[1.005, 2], [0.0035000000000000005, 5], [2.5, 0], [-2.5, 0], [1e21, 2], [Infinity, 2], [123.456, 20]] as const) expect(same(value, decimals)).toBe(true);
  });
});
