import { describe, expect, it } from 'vitest';
import type { SviParams } from '../pricing/index.ts';
import { MS_PER_YEAR, sviImpliedVol } from '../pricing/index.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/index.ts';
import { smileQuotes, SurfaceFeed } from './surface-feed.ts';

const NOW = Date.UTC(2026, 10, 21);
const EXPIRY = NOW + 0.25 * MS_PER_YEAR;
const TRUE_SMILE: SviParams = { a: 0.01, b: 0.08, rho: -0.3, m: 0.02, sigma: 0.2 };

function option(strike: number, optionType: 'call' | 'put'): InstrumentRow {
  return { instrumentName: `BTC-X-${strike}-${optionType === 'call' ? 'C' : 'P'}`, venueId: 'v', currency: 'BTC', kind: 'option', isPerpetual: false, optionType, strike, expiryMs: EXPIRY, tickSize: 0.0005, minTradeAmount: 0.1, contractSize: 1 };
}

function chain(forward: number, spreadVol = 0.01): { instrument: InstrumentRow; quote: QuoteRow }[] {
  const out: { instrument: InstrumentRow; quote: QuoteRow }[] = [];
  for (let strike = 60_000; strike <= 140_000; strike += 5_000) {
    for (const type of ['call', 'put'] as const) {
      const vol = sviImpliedVol(TRUE_SMILE, Math.log(strike / forward), 0.25);
      const instrument = option(strike, type);
      out.push({ instrument, quote: { instrumentName: instrument.instrumentName, tsMs: NOW, stale: false, bidIv: vol - spreadVol / 2, askIv: vol + spreadVol / 2, markIv: vol, underlyingPrice: forward } });
    }
  }
  return out;
}

describe('surface feed', () => {
  it('reads the out-of-the-money side at each strike', () => {
    const quotes = smileQuotes(chain(100_000), 100_000);
    expect(quotes).toHaveLength(17);
    expect(quotes.every((q) => q.bidVolAnnual! < q.askVolAnnual!)).toBe(true);
  });

  it('recovers the smile it was given and prices theo at the current forward (sticky moneyness)', () => {
    const feed = new SurfaceFeed();
    const outcome = feed.refit('BTC', EXPIRY, chain(100_000), NOW);
    expect(outcome.ok).toBe(true);
    const theo = feed.theo(option(110_000, 'call'), 105_000, NOW)!;
    expect(theo.forwardUsd).toBe(105_000);
    expect(theo.volAnnual).toBeCloseTo(sviImpliedVol(TRUE_SMILE, Math.log(110_000 / 105_000), 0.25), 3);
    expect(theo.uncertaintyVolPts).toBeLessThan(0.1);
  });

  it('keeps the previous smile when a refit fails, and says why', () => {
    const feed = new SurfaceFeed();
    feed.refit('BTC', EXPIRY, chain(100_000), NOW);
    const sparse = chain(100_000).slice(0, 4);
    const outcome = feed.refit('BTC', EXPIRY, sparse, NOW + 1000);
    expect(outcome.ok).toBe(false);
    expect(feed.problem('BTC', EXPIRY)).toMatch(/insufficient-data/);
    expect(feed.smile('BTC', EXPIRY)?.fittedTsMs).toBe(NOW);
  });

  it('refuses stale quotes and expiries within the hour', () => {
    const feed = new SurfaceFeed();
    const stale = chain(100_000).map(({ instrument, quote }) => ({ instrument, quote: { ...quote, stale: true } }));
    expect(feed.refit('BTC', EXPIRY, stale, NOW).ok).toBe(false);
    expect(feed.refit('BTC', EXPIRY, chain(100_000), EXPIRY - 30 * 60_000)).toEqual({ ok: false, reason: expect.stringContaining('within the hour') });
  });
});
