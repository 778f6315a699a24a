import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76Price } from './black76.ts';
import { buildForwardCurve, forwardAt, forwardFromParity, impliedCarryRate } from './forwards.ts';
import type { ForwardCurve, ParityQuote } from './forwards.ts';

function curve(perp: number | undefined, futures: { expiryYears: number; price: number }[]): ForwardCurve {
  const built = buildForwardCurve(perp, futures);
  if (!built.ok) throw new Error(built.message);
  return built.curve;
}

describe('forward curve from the perpetual and futures', () => {
  const c = curve(60_000, [
    { expiryYears: 0.25, price: 61_200 },
    { expiryYears: 0.1, price: 60_400 },
    { expiryYears: 1, price: 65_000 },
  ]);

  it('passes through every listed price', () => {
    expect(forwardAt(c, 0)).toBe(60_000);
    expect(forwardAt(c, 0.1)).toBeCloseTo(60_400, 9);
    expect(forwardAt(c, 0.25)).toBeCloseTo(61_200, 9);
    expect(forwardAt(c, 1)).toBe(65_000);
  });

  it('interpolates log-linearly: a constant carry rate between futures', () => {
    const rate = Math.log(61_200 / 60_400) / 0.15;
    for (const t of [0.12, 0.175, 0.24]) expect(forwardAt(c, t)).toBeCloseTo(60_400 * Math.exp(rate * (t - 0.1)), 8);
  });

  it('extrapolates beyond the last future at the average carry of the whole curve', () => {
    const rate = Math.log(65_000 / 60_000);
    expect(forwardAt(c, 2)).toBeCloseTo(65_000 * Math.exp(rate), 8);
    expect(impliedCarryRate(c, 2)).toBeCloseTo(rate, 12);
  });

  it('is monotone in T when the listed curve is (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(forwardAt(c, hi)).toBeGreaterThanOrEqual(forwardAt(c, lo) * (1 - 1e-15));
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('works without a perpetual, and with a single knot is flat', () => {
    const futuresOnly = curve(undefined, [
      { expiryYears: 0.5, price: 62_000 },
      { expiryYears: 1, price: 64_000 },
    ]);
    const rate = Math.log(64_000 / 62_000) / 0.5;
    expect(forwardAt(futuresOnly, 0.25)).toBeCloseTo(62_000 * Math.exp(-rate * 0.25), 8);
    expect(forwardAt(curve(60_000, []), 2)).toBe(60_000);
    expect(forwardAt(futuresOnly, -1)).toBeNaN();
  });

  it('rejects bad data with a reason', () => {
    const reason = (perp: number | undefined, futures: { expiryYears: number; price: number }[]): string => {
      const built = buildForwardCurve(perp, futures);
      return built.ok ? 'ok' : built.reason;
    };
    expect(reason(undefined, [])).toBe('insufficient-data');
    expect(reason(0, [])).toBe('invalid-input');
    expect(reason(60_000, [{ expiryYears: 0.5, price: -1 }])).toBe('invalid-input');
    expect(reason(60_000, [{ expiryYears: 0, price: 60_100 }])).toBe('invalid-input');
    expect(reason(60_000, [{ expiryYears: NaN, price: 60_100 }])).toBe('invalid-input');
    expect(
      reason(60_000, [
        { expiryYears: 0.5, price: 61_000 },
        { expiryYears: 0.5, price: 61_500 },
      ]),
    ).toBe('invalid-input');
  });
});

describe('forward from put–call parity', () => {
  const forward = 61_234.5;
  const t = 30 / 365;
  const strikes = [45_000, 50_000, 55_000, 58_000, 60_000, 62_000, 64_000, 66_000, 70_000, 80_000];
  const vol = (k: number): number => 0.55 + 0.3 * Math.log(k / forward) ** 2;
  const usdQuotes: ParityQuote[] = strikes.map((k) => ({
    strike: k,
    callPrice: black76Price(forward, k, t, vol(k), 'call'),
    putPrice: black76Price(forward, k, t, vol(k), 'put'),
  }));

  it('recovers the forward from USD prices, discounted or not', () => {
    const plain = forwardFromParity(usdQuotes, { premium: 'forward-units' });
    expect(plain.ok && plain.forward).toBeCloseTo(forward, 6);
    const df = 0.996;
    const discounted = usdQuotes.map((q) => ({ ...q, callPrice: df * q.callPrice, putPrice: df * q.putPrice }));
    const result = forwardFromParity(discounted, { premium: 'forward-units', discountFactor: df });
    expect(result.ok && result.forward).toBeCloseTo(forward, 6);
  });

  it('recovers the forward from inverse (coin) prices: C − P = (F − K)/F', () => {
    const coinQuotes = usdQuotes.map((q) => ({ ...q, callPrice: q.callPrice / forward, putPrice: q.putPrice / forward }));
    const result = forwardFromParity(coinQuotes, { premium: 'coin' });
    expect(result.ok && result.forward).toBeCloseTo(forward, 5);
  });

  it('is robust to a bad strike near the money', () => {
    const corrupted = usdQuotes.map((q) => (q.strike === 62_000 ? { ...q, callPrice: q.callPrice + 900 } : q));
    const result = forwardFromParity(corrupted, { premium: 'forward-units' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.forward).toBeCloseTo(forward, 6);
    expect(result.strikesUsed).toBe(5);
    expect(result.dispersion).toBeGreaterThan(0.01);
  });

  it('skips invalid strikes and fails with a reason when none is left', () => {
    const withJunk = [...usdQuotes, { strike: -1, callPrice: 1, putPrice: 1 }, { strike: 60_000, callPrice: NaN, putPrice: 3 }];
    const result = forwardFromParity(withJunk, { premium: 'forward-units' });
    expect(result.ok && result.strikesRejected).toBe(2);
    const none = forwardFromParity([{ strike: 60_000, callPrice: -1, putPrice: 3 }], { premium: 'forward-units' });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.reason).toBe('insufficient-data');
    const bad = forwardFromParity(usdQuotes, { premium: 'forward-units', discountFactor: 0 });
    expect(bad.ok).toBe(false);
    // A coin call worth more than one coin above the put is not a forward at all.
    expect(forwardFromParity([{ strike: 60_000, callPrice: 1.5, putPrice: 0.1 }], { premium: 'coin' }).ok).toBe(false);
  });
});
