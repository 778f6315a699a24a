import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffQuotes, isActionableState, isPendingState } from './quote-diff.ts';
import type { DesiredQuote, QuoteAction, RefreshTolerance, WorkingOrder } from './quote-diff.ts';
import type { QuoteLevel, QuoteSide } from './quote-types.ts';

const TICK = 0.0005;
const TOLERANCE: RefreshTolerance = { ticks: 1, volPts: 0, sizeFraction: 0 };

const level = (priceCoin: number, amountCoin = 1, limitPriceCoin = priceCoin): QuoteLevel => ({ priceCoin, amountCoin, targetVolAnnual: 0.5, limitPriceCoin });
const side = (...levels: QuoteLevel[]): QuoteSide => ({ quoted: true, levels });
const OFF: QuoteSide = { quoted: false, reason: 'override' };

function desired(bid: QuoteSide, ask: QuoteSide, extra: Partial<DesiredQuote> = {}): DesiredQuote {
  return { instrumentName: 'BTC-X-C', tickSize: TICK, minTradeAmount: 0.1, vegaCoinPerVolPt: 0.001, postOnly: true, locked: false, bid, ask, ...extra };
}
function order(clientOrderId: string, s: 'buy' | 'sell', priceCoin: number, fields: Partial<WorkingOrder> = {}): WorkingOrder {
  return { clientOrderId, side: s, level: 0, priceCoin, amountCoin: 1, state: 'open', ...fields };
}
const kinds = (actions: readonly QuoteAction[]) => actions.map((a) => `${a.kind}:${a.side}:${a.level}${'clientOrderId' in a ? `:${a.clientOrderId}` : ''}`);

describe('diffQuotes: hand-worked cases', () => {
  const quote = desired(side(level(0.05)), side(level(0.06)));

  it('places what is missing and leaves what matches', () => {
    expect(diffQuotes(quote, [], TOLERANCE)).toEqual([
      { kind: 'place', instrumentName: 'BTC-X-C', side: 'buy', level: 0, priceCoin: 0.05, amountCoin: 1, postOnly: true },
      { kind: 'place', instrumentName: 'BTC-X-C', side: 'sell', level: 0, priceCoin: 0.06, amountCoin: 1, postOnly: true },
    ]);
    expect(diffQuotes(quote, [order('b', 'buy', 0.05), order('a', 'sell', 0.06)], TOLERANCE)).toEqual([]);
  });

  it('re-prices only beyond the tolerance, except an order beyond its limit', () => {
    const limitAbove = desired(side(level(0.05, 1, 0.051)), side(level(0.06, 1, 0.0595)));
    // One tick passive of the desired price: within tolerance.
    expect(diffQuotes(limitAbove, [order('b', 'buy', 0.0495), order('a', 'sell', 0.0605)], TOLERANCE)).toEqual([]);
    // Two ticks: refreshed.
    expect(kinds(diffQuotes(limitAbove, [order('b', 'buy', 0.049)], TOLERANCE))).toEqual(['amend:buy:0:b', 'place:sell:0']);
    // One tick more aggressive than desired but inside the limit: within tolerance.
    expect(diffQuotes(limitAbove, [order('b', 'buy', 0.0505), order('a', 'sell', 0.0595)], TOLERANCE)).toEqual([]);
    // One tick more aggressive than the limit itself: refreshed whatever the tolerance.
    const atLimit = desired(side(level(0.05)), side(level(0.06)));
    expect(diffQuotes(atLimit, [order('b', 'buy', 0.0505), order('a', 'sell', 0.0595)], { ticks: 10, volPts: 10, sizeFraction: 1 })).toEqual([
      { kind: 'amend', instrumentName: 'BTC-X-C', clientOrderId: 'b', side: 'buy', level: 0, priceCoin: 0.05, amountCoin: 1, postOnly: true },
      { kind: 'amend', instrumentName: 'BTC-X-C', clientOrderId: 'a', side: 'sell', level: 0, priceCoin: 0.06, amountCoin: 1, postOnly: true },
    ]);
  });

  it('measures the tolerance in vol points through vega', () => {
    // 1 vol pt × 0.001 coin = 2 ticks.
    const tolerance = { ticks: 0, volPts: 1, sizeFraction: 0 };
    expect(diffQuotes(quote, [order('b', 'buy', 0.049), order('a', 'sell', 0.06)], tolerance)).toEqual([]);
    expect(kinds(diffQuotes(quote, [order('b', 'buy', 0.0485), order('a', 'sell', 0.06)], tolerance))).toEqual(['amend:buy:0:b']);
  });

  it('resizes when the open amount is off by half a lot and more than the size fraction', () => {
    expect(kinds(diffQuotes(quote, [order('b', 'buy', 0.05, { amountCoin: 0.6, state: 'partially-filled' }), order('a', 'sell', 0.06)], TOLERANCE))).toEqual(['amend:buy:0:b']);
    expect(diffQuotes(quote, [order('b', 'buy', 0.05, { amountCoin: 0.6 }), order('a', 'sell', 0.06)], { ...TOLERANCE, sizeFraction: 0.5 })).toEqual([]);
    expect(diffQuotes(quote, [order('b', 'buy', 0.05, { amountCoin: 1.04 }), order('a', 'sell', 0.06)], TOLERANCE)).toEqual([]);
  });

  it('cancels the orders of a side that is off, of levels no longer wanted, of impossible levels, and duplicates', () => {
    const working = [order('b', 'buy', 0.05), order('b1', 'buy', 0.049, { level: 1 }), order('b2', 'buy', 0.05), order('a', 'sell', 0.06), order('s', 'sell', 0.07, { level: -1 })];
    expect(kinds(diffQuotes(desired(side(level(0.05)), OFF), working, TOLERANCE))).toEqual(['cancel:sell:-1:s', 'cancel:buy:0:b2', 'cancel:buy:1:b1', 'cancel:sell:0:a']);
  });

  it('leaves a slot alone while one of its orders is pending', () => {
    for (const state of ['pending-new', 'pending-replace', 'pending-cancel', 'unknown'] as const) {
      const working = [order('b', 'buy', 0.04, { state }), order('b2', 'buy', 0.04), order('a', 'sell', 0.07, { state })];
      expect(diffQuotes(quote, working, TOLERANCE)).toEqual([]);
      expect(diffQuotes(desired(OFF, OFF), working, TOLERANCE)).toEqual([]);
    }
  });

  it('ignores finished orders, and does nothing at all for a locked instrument', () => {
    expect(kinds(diffQuotes(quote, [order('f', 'buy', 0.05, { state: 'filled' }), order('c', 'sell', 0.06, { state: 'cancelled' })], TOLERANCE))).toEqual(['place:buy:0', 'place:sell:0']);
    expect(diffQuotes(desired(OFF, OFF, { locked: true }), [order('b', 'buy', 0.01)], TOLERANCE)).toEqual([]);
    expect(diffQuotes(desired(side(level(0.05)), side(level(0.06)), { locked: true }), [], TOLERANCE)).toEqual([]);
  });
});

const STATES: readonly WorkingOrder['state'][] = ['pending-new', 'open', 'partially-filled', 'filled', 'pending-cancel', 'pending-replace', 'cancelled', 'rejected', 'unknown'];

const sideArbitrary = (sign: 1 | -1): fc.Arbitrary<QuoteSide> =>
  fc.oneof(
    fc.constant<QuoteSide>(OFF),
    fc
      .array(fc.record({ stepTicks: fc.integer({ min: 1, max: 3 }), lots: fc.integer({ min: 1, max: 30 }), limitTicks: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 3 })
      .map((levels): QuoteSide => {
        let ticks = sign === 1 ? 100 : 110;
        return {
          quoted: true,
          levels: levels.map((l, index) => {
            if (index > 0) ticks -= sign * l.stepTicks;
            return level(ticks * TICK, l.lots / 10, (ticks + sign * l.limitTicks) * TICK);
          }),
        };
      }),
  );

const desiredArbitrary: fc.Arbitrary<DesiredQuote> = fc
  .record({ bid: sideArbitrary(1), ask: sideArbitrary(-1), vega: fc.double({ min: 0, max: 0.003, noNaN: true }), locked: fc.integer({ min: 0, max: 9 }).map((x) => x === 0) })
  .map((r) => desired(r.bid, r.ask, { vegaCoinPerVolPt: r.vega, locked: r.locked }));

const workingArbitrary: fc.Arbitrary<WorkingOrder[]> = fc
  .array(
    fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      level: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(7)),
      ticks: fc.integer({ min: 90, max: 120 }),
      lots: fc.integer({ min: 1, max: 30 }),
      state: fc.constantFrom(...STATES),
    }),
    { maxLength: 10 },
  )
  .map((orders) => orders.map((o, i): WorkingOrder => ({ clientOrderId: `w${i}`, side: o.side, level: o.level, priceCoin: o.ticks * TICK, amountCoin: o.lots / 10, state: o.state })));

const toleranceArbitrary: fc.Arbitrary<RefreshTolerance> = fc.record({
  ticks: fc.integer({ min: 0, max: 3 }),
  volPts: fc.double({ min: 0, max: 1, noNaN: true }),
  sizeFraction: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

/** The working set once the venue has done what the actions asked, each new or edited order in `state`. */
function apply(working: readonly WorkingOrder[], actions: readonly QuoteAction[], state: WorkingOrder['state']): WorkingOrder[] {
  let next = [...working];
  let placed = 0;
  for (const action of actions) {
    if (action.kind === 'place') next.push({ clientOrderId: `new${placed++}`, side: action.side, level: action.level, priceCoin: action.priceCoin, amountCoin: action.amountCoin, state });
    else if (action.kind === 'amend') next = next.map((o) => (o.clientOrderId === action.clientOrderId ? { ...o, priceCoin: action.priceCoin, amountCoin: action.amountCoin, state: state === 'open' ? o.state : state } : o));
    else next = state === 'open' ? next.filter((o) => o.clientOrderId !== action.clientOrderId) : next.map((o) => (o.clientOrderId === action.clientOrderId ? { ...o, state: 'pending-cancel' } : o));
  }
  return next;
}

describe('diffQuotes: properties', () => {
  const runs = { seed: 42, numRuns: 2000 };

  it('never acts on a pending order nor in a slot that holds one, and acts on each order at most once', () => {
    fc.assert(
      fc.property(desiredArbitrary, workingArbitrary, toleranceArbitrary, (quote, working, tolerance) => {
        const actions = diffQuotes(quote, working, tolerance);
        const frozen = new Set(working.filter((o) => isPendingState(o.state)).map((o) => `${o.side}:${o.level}`));
        const touched = new Set<string>();
        for (const action of actions) {
          expect(frozen.has(`${action.side}:${action.level}`)).toBe(false);
          if (action.kind === 'place') continue;
          const target = working.find((o) => o.clientOrderId === action.clientOrderId)!;
          expect(isActionableState(target.state)).toBe(true);
          expect(touched.has(action.clientOrderId)).toBe(false);
          touched.add(action.clientOrderId);
        }
      }),
      runs,
    );
  });

  it('asked for cancels only, gives exactly the cancels of the full diff', () => {
    fc.assert(
      fc.property(desiredArbitrary, workingArbitrary, toleranceArbitrary, (quote, working, tolerance) => {
        expect(diffQuotes(quote, working, tolerance, true)).toEqual(diffQuotes(quote, working, tolerance).filter((action) => action.kind === 'cancel'));
      }),
      runs,
    );
  });

  it('is idempotent: once the actions are applied, diffing again yields nothing', () => {
    fc.assert(
      fc.property(desiredArbitrary, workingArbitrary, toleranceArbitrary, (quote, working, tolerance) => {
        const actions = diffQuotes(quote, working, tolerance);
        // Acknowledged at once…
        expect(diffQuotes(quote, apply(working, actions, 'open'), tolerance)).toEqual([]);
        // …or still in flight.
        expect(diffQuotes(quote, apply(working, actions, 'pending-new'), tolerance)).toEqual([]);
      }),
      runs,
    );
  });

  it('leaves exactly the desired levels resting where no slot is frozen, and nothing for a locked instrument', () => {
    fc.assert(
      fc.property(desiredArbitrary, workingArbitrary, toleranceArbitrary, (quote, working, tolerance) => {
        const actions = diffQuotes(quote, working, tolerance);
        if (quote.locked) {
          expect(actions).toEqual([]);
          return;
        }
        const after = apply(working, actions, 'open');
        for (const [sideName, quoteSide] of [['buy', quote.bid], ['sell', quote.ask]] as const) {
          const wanted = quoteSide.quoted ? quoteSide.levels.length : 0;
          for (let l = 0; l < 8; l++) {
            if (working.some((o) => o.side === sideName && o.level === l && isPendingState(o.state))) continue;
            const resting = after.filter((o) => o.side === sideName && o.level === l && isActionableState(o.state));
            expect(resting.length).toBe(l < wanted ? 1 : 0);
          }
        }
      }),
      runs,
    );
  });
});
