import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeribitRateLimits, RequestClass } from './credit-limiter.ts';
import { chargesFor, CreditLimiter, DERIBIT_DEFAULT_LIMITS, poolLimitsFor, poolOf } from './credit-limiter.ts';

/** Tier 4 as the simulator models it: burst 20, 5 per second. */
const LIMITS: DeribitRateLimits = { matching: { maxCredits: 20_000, refillPerSec: 5_000, costPerRequest: 1_000 }, nonMatching: { maxCredits: 50_000, refillPerSec: 10_000, costPerRequest: 500 } };

function limiter(limits: DeribitRateLimits = LIMITS, nowMs = 0): CreditLimiter<string> {
  return new CreditLimiter<string>(poolLimitsFor(limits), nowMs);
}

function enqueue(l: CreditLimiter<string>, item: string, method: string, cls: RequestClass, priority?: number): void {
  l.enqueue(item, { cls, ...(priority !== undefined && { priority }), charges: chargesFor(method, LIMITS) });
}

describe('credit limiter', () => {
  it('classifies methods as Deribit does', () => {
    expect(poolOf('private/buy')).toBe('matching');
    expect(poolOf('private/cancel_all')).toBe('matching');
    expect(poolOf('private/get_positions')).toBe('nonMatching');
    expect(chargesFor('private/subscribe', DERIBIT_DEFAULT_LIMITS)).toEqual([
      { pool: 'nonMatching', credits: 500 },
      { pool: 'subscribe', credits: 3_000 },
    ]);
    expect(chargesFor('public/get_instruments', LIMITS)).toEqual([{ pool: 'nonMatching', credits: 500 }]);
  });

  it('lets a burst through up to the pool, keeping a safety margin and a reserve for cancels, then paces at the refill rate', () => {
    const l = limiter();
    for (let i = 0; i < 30; i++) enqueue(l, `p${i}`, 'private/buy', 'place');
    // 20,000 credits less 1,250 of safety and 2,000 kept for cancels: 16 orders of 1,000.
    expect(l.release(0)).toHaveLength(16);
    expect(l.queued).toBe(14);
    expect(l.nextReleaseMs(0)).toBe(50);
    expect(l.release(49)).toEqual([]);
    expect(l.release(50)).toEqual(['p16']);
    expect(l.release(250)).toEqual(['p17']);
    // 5 per second from here on.
    expect(l.release(1250)).toHaveLength(5);
  });

  it('sends cancels before amends before queries before new orders, new orders by priority then age', () => {
    const l = limiter();
    // Drain the pool to what one request needs, so order is decided one request at a time.
    for (let i = 0; i < 16; i++) enqueue(l, `warm${i}`, 'private/buy', 'place');
    l.release(0);
    enqueue(l, 'far', 'private/buy', 'place', 9);
    enqueue(l, 'near', 'private/buy', 'place', 1);
    enqueue(l, 'near-later', 'private/buy', 'place', 1);
    enqueue(l, 'amend', 'private/edit', 'replace');
    enqueue(l, 'cancel', 'private/cancel', 'cancel');
    // The cancel may spend the reserve: it goes at once.
    expect(l.release(0)).toEqual(['cancel']);
    const order: string[] = [];
    for (let t = 0; l.queued > 0 && t < 10_000; t += 50) order.push(...l.release(t));
    expect(order).toEqual(['amend', 'near', 'near-later', 'far']);
  });

  it('keeps queues per pool: waiting orders do not hold back other requests', () => {
    const l = limiter();
    for (let i = 0; i < 20; i++) enqueue(l, `p${i}`, 'private/buy', 'place');
    l.enqueue('positions', { cls: 'control', charges: chargesFor('private/get_positions', LIMITS) });
    const sent = l.release(0);
    expect(sent[0]).toBe('positions');
    expect(sent).toHaveLength(17);
  });

  it('releases in one turn cancels ahead of everything else', () => {
    const l = limiter();
    enqueue(l, 'place', 'private/buy', 'place');
    enqueue(l, 'query', 'private/get_order_state', 'query');
    enqueue(l, 'cancel', 'private/cancel', 'cancel');
    expect(l.release(0)).toEqual(['cancel', 'query', 'place']);
  });

  it('starts from empty after the venue says too_many_requests', () => {
    const l = limiter();
    l.exhausted('matching', 1_000);
    expect(l.available('matching', 1_000)).toBe(0);
    enqueue(l, 'cancel', 'private/cancel', 'cancel');
    // 1,000 for the cancel over 1,250 of safety: 450 ms at 5,000 per second.
    expect(l.nextReleaseMs(1_000)).toBe(1_450);
    expect(l.release(1_449)).toEqual([]);
    expect(l.release(1_450)).toEqual(['cancel']);
  });

  it('takes out waiting requests on demand, best first', () => {
    const l = limiter();
    l.exhausted('matching', 0);
    enqueue(l, 'a', 'private/buy', 'place', 2);
    enqueue(l, 'b', 'private/edit', 'replace');
    enqueue(l, 'c', 'private/cancel', 'cancel');
    expect(l.remove((_, cls) => cls !== 'cancel')).toEqual(['b', 'a']);
    expect(l.queued).toBe(1);
  });

  it('lets a request costlier than the pool go once the pool is full instead of never', () => {
    const l = limiter({ ...LIMITS, matching: { maxCredits: 1_000, refillPerSec: 1_000, costPerRequest: 1_000 } });
    enqueue(l, 'big', 'private/buy', 'place');
    expect(l.release(0)).toEqual(['big']);
    enqueue(l, 'next', 'private/buy', 'place');
    expect(l.nextReleaseMs(0)).toBe(1_000);
  });

  it('never overdraws a venue pool with the same rules, even when the network delays requests unevenly (up to 200 ms)', () => {
    const step = fc.record({
      dtMs: fc.integer({ min: 0, max: 400 }),
      arrivals: fc.array(fc.record({ cls: fc.constantFrom<RequestClass>('cancel', 'replace', 'place', 'query', 'control'), priority: fc.integer({ min: 0, max: 5 }) }), { maxLength: 30 }),
      delayMs: fc.integer({ min: 0, max: 200 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const l = limiter();
        // The venue's pools, as core/sim/rpc/credits.ts keeps them.
        const venue = { matching: { credits: 20_000, lastMs: 0, ...LIMITS.matching }, nonMatching: { credits: 50_000, lastMs: 0, ...LIMITS.nonMatching } };
        const take = (pool: 'matching' | 'nonMatching', atMs: number): boolean => {
          const p = venue[pool];
          p.credits = Math.min(p.maxCredits, p.credits + (Math.max(0, atMs - p.lastMs) * p.refillPerSec) / 1000);
          p.lastMs = Math.max(p.lastMs, atMs);
          if (p.credits < p.costPerRequest) return false;
          p.credits -= p.costPerRequest;
          return true;
        };
        let nowMs = 0;
        let arrivedMs = 0;
        let id = 0;
        let sent = 0;
        let total = 0;
        const methodOf: Record<RequestClass, string> = { cancel: 'private/cancel', replace: 'private/edit', place: 'private/buy', query: 'private/get_order_state', control: 'public/test' };
        const deliver = (released: readonly string[], delayMs: number): void => {
          // A TCP stream keeps order: a request arrives no earlier than the one before it.
          arrivedMs = Math.max(arrivedMs, nowMs + delayMs);
          for (const item of released) {
            expect(take(poolOf(methodOf[item.split(':')[0] as RequestClass]), arrivedMs)).toBe(true);
            sent += 1;
          }
        };
        for (const s of steps) {
          nowMs += s.dtMs;
          for (const a of s.arrivals) {
            l.enqueue(`${a.cls}:${id++}`, { cls: a.cls, priority: a.priority, charges: chargesFor(methodOf[a.cls], LIMITS) });
            total += 1;
          }
          deliver(l.release(nowMs), s.delayMs);
        }
        // Everything goes eventually.
        for (let next = l.nextReleaseMs(nowMs); next !== undefined; next = l.nextReleaseMs(nowMs)) {
          nowMs = next;
          deliver(l.release(nowMs), 0);
        }
        expect(sent).toBe(total);
      }),
      { seed: 424242, numRuns: 200 },
    );
  });
});
