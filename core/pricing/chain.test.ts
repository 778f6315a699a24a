import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { black76Price } from './black76.ts';
import { ChainPricer, KERNEL_CONSTANTS } from './chain.ts';
import { black76Greeks } from './greeks.ts';
import * as normal from './normal.ts';
import * as normalised from './normalised-black.ts';
import { DAYS_PER_YEAR } from './types.ts';
import { mulberry32 } from '../../test/support/prng.ts';


function fillChain(pricer: ChainPricer, seed: number): void {
  const random = mulberry32(seed);
  for (let i = 0; i < pricer.capacity; i++) {
    const forward = 60_000 * (1 + 0.01 * (random() - 0.5));
    pricer.forward[i] = forward;
    pricer.strike[i] = forward * Math.exp(-2 + 4 * random());
    pricer.expiryYears[i] = Math.exp(Math.log(1 / 8760) + random() * Math.log(3 * 8760));
    pricer.volAnnual[i] = 0.05 + 2 * random();
    pricer.isCall[i] = random() < 0.5 ? 1 : 0;
  }
}

describe('ChainPricer', () => {
  it('keeps exact copies of the constants of normal.ts, normalised-black.ts and types.ts', () => {
    const originals: Record<string, unknown> = { ...normal, ...normalised, DAYS_PER_YEAR };
    for (const [name, value] of Object.entries({ ...KERNEL_CONSTANTS, ...normalised.BRACKET_CONSTANTS })) {
      expect(value, name).toBe(originals[name]);
    }
    expect(Object.keys(normalised.BRACKET_CONSTANTS).length).toBeGreaterThan(35);
  });

  it('writes exactly the scalar black76Price and black76Greeks for every option', () => {
    const pricer = new ChainPricer(2000);
    fillChain(pricer, 7);
    // Edge rows: expired, zero vol, at the money, invalid.
    pricer.expiryYears[0] = 0;
    pricer.volAnnual[1] = 0;
    pricer.strike[2] = pricer.forward[2]!;
    pricer.forward[3] = -1;
    pricer.volAnnual[4] = Infinity;
    pricer.reprice();
    for (let i = 0; i < pricer.capacity; i++) {
      const kind = pricer.isCall[i] === 1 ? 'call' : 'put';
      const f = pricer.forward[i]!;
      const g = black76Greeks(f, pricer.strike[i]!, pricer.expiryYears[i]!, pricer.volAnnual[i]!, kind);
      expect(pricer.price[i]).toBe(g.price);
      if (i !== 3) expect(pricer.price[i]).toBe(black76Price(f, pricer.strike[i]!, pricer.expiryYears[i]!, pricer.volAnnual[i]!, kind));
      expect(pricer.delta[i]).toBe(g.delta);
      expect(pricer.gamma[i]).toBe(g.gamma);
      expect(pricer.vegaPerVolPt[i]).toBe(g.vegaPerVolPt);
      expect(pricer.thetaPerDay[i]).toBe(g.thetaPerDay);
      expect(pricer.vannaPerVolPt[i]).toBe(g.vannaPerVolPt);
      expect(pricer.volgaPerVolPt[i]).toBe(g.volgaPerVolPt);
      expect(pricer.rhoPerPct[i]).toBe(g.rhoPerPct);
      expect(pricer.priceCoin[i]).toBe(g.price / f);
      expect(pricer.deltaPremiumAdjusted[i]).toBe(g.delta - g.price / f);
    }
    expect(pricer.price[3]).toBeNaN();
    expect(pricer.gamma[0]).toBe(0);
  });

  it('reprices only the first `count` options', () => {
    const pricer = new ChainPricer(10);
    fillChain(pricer, 3);
    pricer.price.fill(-1);
    pricer.reprice(4);
    expect(pricer.price[3]).toBeGreaterThanOrEqual(0);
    expect(pricer.price[4]).toBe(-1);
    expect(() => new ChainPricer(-1)).toThrow(RangeError);
  });

  it('allocates nothing in steady state: no garbage collection while repricing', async () => {
    const pricer = new ChainPricer(1000);
    fillChain(pricer, 11);
    for (let i = 0; i < 300; i++) pricer.reprice(); // let the JIT settle
    const collections: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) collections.push(entry.startTime);
    });
    observer.observe({ entryTypes: ['gc'] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const start = performance.now();
    // 2 million option repricings: even 16 bytes each would fill the young generation many times.
    for (let i = 0; i < 2000; i++) pricer.reprice();
    const end = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    expect(collections.filter((t) => t >= start && t <= end)).toEqual([]);
  });
});
