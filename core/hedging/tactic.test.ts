import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradeSide } from '../model/trading.ts';
import type { QuoteRow } from '../protocol/state.ts';
import type { TacticAction, TacticEvent, TacticSpec, TacticState } from './tactic.ts';
import { averageFillPriceUsd, createTactic, filledUsd, isTerminal, MAX_CROSS_ATTEMPTS, nextWakeMs, openOrder, remainingUsd, step } from './tactic.ts';
import { isOnTick } from './ticks.ts';

const PERP = { instrumentName: 'BTC-PERPETUAL', tickSize: 0.5 };
const PASSIVE: TacticSpec = { kind: 'passive-then-cross', timeoutMs: 5_000, maxSlippageBps: 10 };
const IMMEDIATE: TacticSpec = { kind: 'immediate', maxSlippageBps: 10 };

const quote = (bid: number | undefined, ask: number | undefined, tsMs = 0, stale = false): QuoteRow => ({
  instrumentName: 'BTC-PERPETUAL',
  ...(bid !== undefined && { bidPrice: bid, bidAmount: 10_000 }),
  ...(ask !== undefined && { askPrice: ask, askAmount: 10_000 }),
  tsMs,
  stale,
});

/** Feeds events one after another, keeping the state and the actions of the last step. */
function run(initial: TacticState) {
  let state = initial;
  let actions: readonly TacticAction[] = [];
  return {
    send(event: TacticEvent) {
      ({ state, actions } = step(state, event));
      return actions;
    },
    get state() {
      return state;
    },
  };
}

describe('tactic walkthroughs', () => {
  it('posts at the touch, follows it, crosses after the timeout, and is done after a partial then a full fill', () => {
    const t = run(createTactic({ tacticId: 'h1', instrument: PERP, side: 'buy', amountUsd: 1_000, spec: PASSIVE }));
    expect(t.state.status).toBe('idle');

    // Post-only at the best bid.
    expect(t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_000.5) })).toEqual([
      { type: 'place', orderRef: 'h1/1', instrumentName: 'BTC-PERPETUAL', side: 'buy', amountUsd: 1_000, priceUsd: 50_000, postOnly: true, timeInForce: 'good_til_cancelled', reduceOnly: false },
    ]);
    expect(nextWakeMs(t.state)).toBe(5_000);
    // Nothing is amended before the venue acknowledges the order.
    expect(t.send({ type: 'quote', nowMs: 100, quote: quote(50_001, 50_002) })).toEqual([]);
    // Acknowledged: the touch moved meanwhile, so follow it.
    expect(t.send({ type: 'order-acknowledged', nowMs: 200, orderRef: 'h1/1' })).toEqual([{ type: 'amend', orderRef: 'h1/1', priceUsd: 50_001, amountUsd: 1_000 }]);
    // One request at a time: the next move waits for the amend's acknowledgement …
    expect(t.send({ type: 'quote', nowMs: 300, quote: quote(50_003, 50_004) })).toEqual([]);
    // … which brings the order to 50,001, still behind the touch: amend again.
    expect(t.send({ type: 'order-acknowledged', nowMs: 400, orderRef: 'h1/1' })).toEqual([{ type: 'amend', orderRef: 'h1/1', priceUsd: 50_003, amountUsd: 1_000 }]);
    expect(t.send({ type: 'order-acknowledged', nowMs: 500, orderRef: 'h1/1' })).toEqual([]);
    expect(openOrder(t.state)).toMatchObject({ priceUsd: 50_003, status: 'live' });
    // Our own order is the touch: nothing to do. A stale quote is ignored.
    expect(t.send({ type: 'quote', nowMs: 600, quote: quote(50_003, 50_004) })).toEqual([]);
    expect(t.send({ type: 'quote', nowMs: 650, quote: quote(49_000, 49_001, 650, true) })).toEqual([]);

    // A partial fill reduces what is left.
    expect(t.send({ type: 'order-partially-filled', nowMs: 700, orderRef: 'h1/1', filledUsd: 300, averagePriceUsd: 50_003 })).toEqual([]);
    expect(remainingUsd(t.state)).toBe(700);

    // Before the deadline a timer does nothing; at it, the passive order is cancelled …
    expect(t.send({ type: 'timer', nowMs: 4_999 })).toEqual([]);
    expect(t.send({ type: 'quote', nowMs: 4_999, quote: quote(50_004, 50_005) })).toEqual([{ type: 'amend', orderRef: 'h1/1', priceUsd: 50_004, amountUsd: 1_000 }]);
    expect(t.send({ type: 'order-acknowledged', nowMs: 5_000, orderRef: 'h1/1' })).toEqual([{ type: 'cancel', orderRef: 'h1/1' }]);
    // … and once it is gone, the remaining 700 crosses with an IOC at the ask + 10 bps:
    // 50,005 × 1.001 = 50,055.005 → 50,055 on the 0.5 tick.
    expect(t.send({ type: 'order-cancelled', nowMs: 5_100, orderRef: 'h1/1', filledUsd: 300 })).toEqual([
      { type: 'place', orderRef: 'h1/2', instrumentName: 'BTC-PERPETUAL', side: 'buy', amountUsd: 700, priceUsd: 50_055, postOnly: false, timeInForce: 'immediate_or_cancel', reduceOnly: false },
    ]);
    expect(t.state).toMatchObject({ status: 'working', phase: { kind: 'crossing', attempts: 1 } });

    expect(t.send({ type: 'order-partially-filled', nowMs: 5_150, orderRef: 'h1/2', filledUsd: 400, averagePriceUsd: 50_005 })).toEqual([]);
    expect(t.send({ type: 'order-filled', nowMs: 5_160, orderRef: 'h1/2', filledUsd: 700, averagePriceUsd: 50_005.5 })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'done', endedTsMs: 5_160 });
    expect(filledUsd(t.state)).toBe(1_000);
    expect(averageFillPriceUsd(t.state)).toBeCloseTo(1_000 / (300 / 50_003 + 700 / 50_005.5), 6);
    // Terminal: nothing more happens.
    expect(t.send({ type: 'timer', nowMs: 9_000 })).toEqual([]);
    expect(isTerminal(t.state)).toBe(true);
  });

  it('fails when the venue rejects the order', () => {
    const t = run(createTactic({ tacticId: 'h2', instrument: PERP, side: 'sell', amountUsd: 500, spec: PASSIVE }));
    expect(t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) })).toMatchObject([{ type: 'place', side: 'sell', priceUsd: 50_001, postOnly: true }]);
    expect(t.send({ type: 'order-rejected', nowMs: 10, orderRef: 'h2/1', request: 'place', reason: 'not_enough_funds' })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'failed', reason: 'order rejected: not_enough_funds' });
  });

  it('crosses at once with an IOC capped by the slippage, retries inside the cap, fails beyond it', () => {
    const t = run(createTactic({ tacticId: 'h3', instrument: PERP, side: 'sell', amountUsd: 2_000, spec: IMMEDIATE }));
    // The bid less 10 bps: 50,000 × 0.999 = 49,950.
    expect(t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) })).toEqual([
      { type: 'place', orderRef: 'h3/1', instrumentName: 'BTC-PERPETUAL', side: 'sell', amountUsd: 2_000, priceUsd: 49_950, postOnly: false, timeInForce: 'immediate_or_cancel', reduceOnly: false },
    ]);
    // The IOC fills 1,200 and the venue cancels the rest; the book still bids inside the cap: again.
    expect(t.send({ type: 'quote', nowMs: 5, quote: quote(49_960, 49_961) })).toEqual([]);
    expect(t.send({ type: 'order-cancelled', nowMs: 10, orderRef: 'h3/1', filledUsd: 1_200, reason: 'immediate_or_cancel' })).toMatchObject([{ type: 'place', orderRef: 'h3/2', amountUsd: 800, priceUsd: 49_950 }]);
    // Nothing fills and the bid has dropped through the cap: stop.
    expect(t.send({ type: 'quote', nowMs: 15, quote: quote(49_900, 49_901) })).toEqual([]);
    expect(t.send({ type: 'order-cancelled', nowMs: 20, orderRef: 'h3/2', filledUsd: 0 })).toEqual([]);
    expect(t.state.status).toBe('failed');
    expect(t.state.status === 'failed' && t.state.reason).toContain('no liquidity inside the slippage cap 49950: 1200 of 2000 USD filled');
  });

  it('stops crossing after MAX_CROSS_ATTEMPTS IOCs', () => {
    const t = run(createTactic({ tacticId: 'h4', instrument: PERP, side: 'buy', amountUsd: 100, spec: IMMEDIATE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    for (let i = 1; i < MAX_CROSS_ATTEMPTS; i++) expect(t.send({ type: 'order-cancelled', nowMs: i, orderRef: `h4/${i}`, filledUsd: 0 })).toHaveLength(1);
    expect(t.send({ type: 'order-cancelled', nowMs: 9, orderRef: `h4/${MAX_CROSS_ATTEMPTS}`, filledUsd: 0 })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'failed', reason: expect.stringContaining(`after ${MAX_CROSS_ATTEMPTS} IOC orders`) });
  });

  it('ends cancelled when the trader stops it, cancelling an unacknowledged order once acknowledged', () => {
    const t = run(createTactic({ tacticId: 'h5', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    expect(t.send({ type: 'stop', nowMs: 1, reason: 'kill switch' })).toEqual([]);
    expect(t.send({ type: 'order-acknowledged', nowMs: 2, orderRef: 'h5/1' })).toEqual([{ type: 'cancel', orderRef: 'h5/1' }]);
    // A refused cancel is asked again later, not at once.
    expect(t.send({ type: 'order-rejected', nowMs: 3, orderRef: 'h5/1', request: 'cancel', reason: 'too_many_requests' })).toEqual([]);
    expect(nextWakeMs(t.state)).toBe(1_003);
    expect(t.send({ type: 'timer', nowMs: 1_003 })).toEqual([{ type: 'cancel', orderRef: 'h5/1' }]);
    expect(t.send({ type: 'order-cancelled', nowMs: 1_004, orderRef: 'h5/1', filledUsd: 0 })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'cancelled', reason: 'kill switch' });
    // Stopping a tactic that never started ends it at once.
    const idle = run(createTactic({ tacticId: 'h6', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    idle.send({ type: 'stop', nowMs: 0, reason: 'trader' });
    expect(idle.state).toMatchObject({ status: 'cancelled', reason: 'trader' });
  });

  it('fails when the venue cancels the passive order by itself, and when there is no market', () => {
    const t = run(createTactic({ tacticId: 'h7', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    t.send({ type: 'order-acknowledged', nowMs: 1, orderRef: 'h7/1' });
    expect(t.send({ type: 'order-cancelled', nowMs: 2, orderRef: 'h7/1', filledUsd: 0, reason: 'mmp_trigger' })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'failed', reason: 'order cancelled by the venue: mmp_trigger' });

    const noQuote = run(createTactic({ tacticId: 'h8', instrument: PERP, side: 'buy', amountUsd: 100, spec: IMMEDIATE }));
    expect(noQuote.send({ type: 'start', nowMs: 0 })).toEqual([]);
    expect(noQuote.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('no market') });
    const stale = run(createTactic({ tacticId: 'h9', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    stale.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001, 0, true) });
    expect(stale.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('stale') });
    // Nothing to cross: an immediate buy into a book with no ask.
    const oneSided = run(createTactic({ tacticId: 'h10', instrument: PERP, side: 'buy', amountUsd: 100, spec: IMMEDIATE }));
    oneSided.send({ type: 'start', nowMs: 0, quote: quote(50_000, undefined) });
    expect(oneSided.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('no ask') });
  });

  it('is done when the passive order fills while being cancelled, and counts repeated fill reports once', () => {
    const t = run(createTactic({ tacticId: 'h11', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    t.send({ type: 'order-acknowledged', nowMs: 1, orderRef: 'h11/1' });
    t.send({ type: 'order-partially-filled', nowMs: 2, orderRef: 'h11/1', filledUsd: 60, averagePriceUsd: 50_000 });
    t.send({ type: 'order-partially-filled', nowMs: 3, orderRef: 'h11/1', filledUsd: 60, averagePriceUsd: 50_000 });
    t.send({ type: 'order-partially-filled', nowMs: 3, orderRef: 'h11/1', filledUsd: 40, averagePriceUsd: 50_000 });
    expect(filledUsd(t.state)).toBe(60);
    expect(t.send({ type: 'timer', nowMs: 5_000 })).toEqual([{ type: 'cancel', orderRef: 'h11/1' }]);
    expect(t.send({ type: 'order-filled', nowMs: 5_001, orderRef: 'h11/1', filledUsd: 100, averagePriceUsd: 50_000 })).toEqual([]);
    expect(t.state.status).toBe('done');
  });
});

// ─── properties against a toy venue ─────────────────────────────────────────────────────────

interface VenueOrder {
  readonly ref: string;
  amountUsd: number;
  filledUsd: number;
  priceUsd: number;
  readonly ioc: boolean;
  acked: boolean;
  closed: boolean;
}

type Request = { readonly kind: 'place' | 'amend' | 'cancel'; readonly ref: string; readonly priceUsd?: number; readonly amountUsd?: number };

const LOT = 10;
const TICK = 0.5;

/** One random thing the world does next; interpreted against the toy venue's state. */
const move = fc.record({ op: fc.integer({ min: 0, max: 9 }), a: fc.nat({ max: 1_000 }), b: fc.nat({ max: 1_000 }) });

const scenario = fc.record({
  side: fc.constantFrom<TradeSide>('buy', 'sell'),
  lots: fc.integer({ min: 1, max: 60 }),
  spec: fc.oneof(
    fc.record({ kind: fc.constant('passive-then-cross' as const), timeoutMs: fc.integer({ min: 1, max: 5_000 }), maxSlippageBps: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant('immediate' as const), maxSlippageBps: fc.integer({ min: 0, max: 50 }) }),
  ),
  startBidTicks: fc.integer({ min: 1_000, max: 200_000 }),
  moves: fc.array(move, { maxLength: 80 }),
});

describe('tactic properties', () => {
  it('keeps one live order at most, never orders more than remains, prices on tick and inside the cap', () => {
    fc.assert(
      fc.property(scenario, ({ side, lots, spec, startBidTicks, moves }) => {
        const amountUsd = lots * LOT;
        let state = createTactic({ tacticId: 't', instrument: PERP, side, amountUsd, spec });
        let nowMs = 0;
        let bidTicks = startBidTicks;
        let askTicks = startBidTicks + 2;
        let stale = false;
        // What the tactic last saw as a usable book, and the opposite touch when crossing began.
        let usableBid = bidTicks * TICK;
        let usableAsk = askTicks * TICK;
        let crossTouch: number | undefined;
        let wasCrossing = false;
        const venue = new Map<string, VenueOrder>();
        const requests: Request[] = [];
        let filledTotal = 0;
        let lastFill: TacticEvent | undefined;

        const book = (): QuoteRow => quote(bidTicks * TICK, askTicks * TICK, nowMs, stale);

        const feed = (event: TacticEvent) => {
          const before = state;
          const result = step(state, event);
          state = result.state;
          if (isTerminal(before)) expect(result.actions).toEqual([]);
          const crossing = state.status === 'working' && state.phase.kind === 'crossing';
          if (crossing && !wasCrossing) crossTouch = side === 'buy' ? usableAsk : usableBid;
          wasCrossing = crossing;
          for (const action of result.actions) check(action);
          // At most one order not closed, in the tactic's view and at the venue.
          expect(state.orders.filter((o) => o.status !== 'closed').length).toBeLessThanOrEqual(1);
          expect([...venue.values()].filter((o) => !o.closed).length).toBeLessThanOrEqual(1);
          if (isTerminal(state)) expect(openOrder(state)).toBeUndefined();
          expect(filledUsd(state)).toBeLessThanOrEqual(amountUsd + 1e-9);
        };

        const check = (action: TacticAction) => {
          const remaining = amountUsd - filledTotal;
          if (action.type === 'place') {
            expect(action.amountUsd).toBeGreaterThan(0);
            expect(action.amountUsd).toBeLessThanOrEqual(remaining + 1e-9);
            expect(isOnTick(action.priceUsd, TICK)).toBe(true);
            if (action.postOnly) {
              // Post-only never at or through the opposite touch.
              if (side === 'buy') expect(action.priceUsd).toBeLessThan(usableAsk);
              else expect(action.priceUsd).toBeGreaterThan(usableBid);
            } else {
              expect(crossTouch).toBeDefined();
              const touch = crossTouch ?? Number.NaN;
              const capBound = side === 'buy' ? touch * (1 + spec.maxSlippageBps / 1e4) : touch * (1 - spec.maxSlippageBps / 1e4);
              if (side === 'buy') expect(action.priceUsd).toBeLessThanOrEqual(capBound + 1e-9);
              else expect(action.priceUsd).toBeGreaterThanOrEqual(capBound - 1e-9);
            }
            expect(venue.has(action.orderRef)).toBe(false);
            venue.set(action.orderRef, { ref: action.orderRef, amountUsd: action.amountUsd, filledUsd: 0, priceUsd: action.priceUsd, ioc: !action.postOnly, acked: false, closed: false });
            requests.push({ kind: 'place', ref: action.orderRef });
            return;
          }
          const order = venue.get(action.orderRef);
          // Amend and cancel only name acknowledged, open orders with nothing else pending.
          expect(order?.acked).toBe(true);
          expect(order?.closed).toBe(false);
          expect(requests.some((r) => r.ref === action.orderRef)).toBe(false);
          if (action.type === 'amend') {
            expect(isOnTick(action.priceUsd, TICK)).toBe(true);
            expect(action.amountUsd - (order?.filledUsd ?? 0)).toBeLessThanOrEqual(remaining + 1e-9);
            if (side === 'buy') expect(action.priceUsd).toBeLessThan(usableAsk);
            else expect(action.priceUsd).toBeGreaterThan(usableBid);
            requests.push({ kind: 'amend', ref: action.orderRef, priceUsd: action.priceUsd, amountUsd: action.amountUsd });
          } else {
            requests.push({ kind: 'cancel', ref: action.orderRef });
          }
        };

        const fill = (order: VenueOrder, lotsToFill: number) => {
          const open = order.amountUsd - order.filledUsd;
          const usd = Math.min(open, lotsToFill * LOT);
          if (usd <= 0) return;
          order.filledUsd += usd;
          filledTotal += usd;
          const full = order.filledUsd >= order.amountUsd;
          if (full) order.closed = true;
          const report: TacticEvent = { type: full ? 'order-filled' : 'order-partially-filled', nowMs, orderRef: order.ref, filledUsd: order.filledUsd, averagePriceUsd: order.priceUsd };
          lastFill = report;
          feed(report);
        };

        feed({ type: 'start', nowMs, quote: book() });
        for (const { op, a, b } of moves) {
          if (isTerminal(state) && op !== 9) continue;
          switch (op) {
            case 0: {
              // The book moves; sometimes the feed marks it stale.
              const mid = bidTicks + ((a % 21) - 10);
              bidTicks = Math.max(10, mid);
              askTicks = bidTicks + 1 + (b % 6);
              stale = b % 7 === 0;
              if (!stale) {
                usableBid = bidTicks * TICK;
                usableAsk = askTicks * TICK;
              }
              feed({ type: 'quote', nowMs, quote: book() });
              break;
            }
            case 1:
            case 2: {
              // The venue answers the oldest request: accepts it, or (op 2, now and then) refuses it.
              const request = requests.shift();
              if (!request) break;
              const order = venue.get(request.ref);
              if (!order) break;
              const refuse = op === 2 && a % 3 === 0;
              if (request.kind === 'place') {
                if (refuse) {
                  order.closed = true;
                  feed({ type: 'order-rejected', nowMs, orderRef: order.ref, request: 'place', reason: 'refused' });
                } else if (order.ioc) {
                  // An IOC trades what it can and is gone.
                  order.acked = true;
                  fill(order, b % (lots + 1));
                  if (!order.closed) {
                    order.closed = true;
                    feed({ type: 'order-cancelled', nowMs, orderRef: order.ref, filledUsd: order.filledUsd, reason: 'immediate_or_cancel' });
                  }
                } else {
                  order.acked = true;
                  feed({ type: 'order-acknowledged', nowMs, orderRef: order.ref });
                }
              } else if (order.closed || refuse) {
                feed({ type: 'order-rejected', nowMs, orderRef: order.ref, request: request.kind, reason: order.closed ? 'not_open_order' : 'refused' });
              } else if (request.kind === 'amend') {
                order.priceUsd = request.priceUsd ?? order.priceUsd;
                order.amountUsd = request.amountUsd ?? order.amountUsd;
                feed({ type: 'order-acknowledged', nowMs, orderRef: order.ref });
              } else {
                order.closed = true;
                feed({ type: 'order-cancelled', nowMs, orderRef: order.ref, filledUsd: order.filledUsd });
              }
              break;
            }
            case 3:
            case 4: {
              // A resting order trades.
              const order = [...venue.values()].find((o) => o.acked && !o.closed && !o.ioc);
              if (order) fill(order, 1 + (a % lots));
              break;
            }
            case 5:
            case 6:
              nowMs += a * 10;
              feed({ type: 'timer', nowMs });
              break;
            case 7: {
              if (a % 4 === 0) feed({ type: 'stop', nowMs, reason: 'trader' });
              else if (a % 4 === 1) {
                // The venue cancels a resting order by itself.
                const order = [...venue.values()].find((o) => o.acked && !o.closed && !o.ioc && !requests.some((r) => r.ref === o.ref));
                if (order) {
                  order.closed = true;
                  feed({ type: 'order-cancelled', nowMs, orderRef: order.ref, filledUsd: order.filledUsd, reason: 'venue' });
                }
              }
              break;
            }
            case 8:
              // A fill report arrives twice.
              if (lastFill) feed(lastFill);
              break;
            case 9:
              // Events after the end change nothing.
              feed({ type: 'timer', nowMs });
              break;
          }
        }
        expect(filledUsd(state)).toBe(filledTotal);
        if (state.status === 'done') expect(filledTotal).toBe(amountUsd);
      }),
      { seed: 4_242, numRuns: 1_500 },
    );
  });
});
