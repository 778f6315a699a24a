import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradeSide } from '../model/trading.ts';
import type { QuoteRow } from '../protocol/state.ts';
import type { TacticAction, TacticEvent, TacticSpec, TacticState } from './tactic.ts';
import { AMEND_ANSWER_TIMEOUT_MS, averageFillPriceUsd, createTactic, filledUsd, GIVE_UP_AFTER_MS, isTerminal, MAX_CROSS_ATTEMPTS, nextWakeMs, openOrder, remainingUsd, RETRY_AFTER_REFUSAL_MS, step } from './tactic.ts';
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

describe('tactic walkthroughs: answers that never come', () => {
  it('cancels an amend left unanswered once overdue (the venue re-priced it), then crosses', () => {
    const t = run(createTactic({ tacticId: 'r1', instrument: PERP, side: 'sell', amountUsd: 20_000, spec: { kind: 'passive-then-cross', timeoutMs: 1_000, maxSlippageBps: 20 } }));
    expect(t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) })).toMatchObject([{ type: 'place', orderRef: 'r1/1', priceUsd: 50_001, postOnly: true }]);
    t.send({ type: 'order-acknowledged', nowMs: 10, orderRef: 'r1/1' });
    expect(t.send({ type: 'quote', nowMs: 100, quote: quote(50_000, 50_000.5) })).toEqual([{ type: 'amend', orderRef: 'r1/1', priceUsd: 50_000.5, amountUsd: 20_000 }]);
    // No answer the kernel can match comes back. At the passive timeout nothing may be asked yet …
    expect(t.send({ type: 'timer', nowMs: 1_000 })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'working', phase: { kind: 'switching' } });
    expect(nextWakeMs(t.state)).toBe(100 + AMEND_ANSWER_TIMEOUT_MS);
    expect(t.send({ type: 'timer', nowMs: 100 + AMEND_ANSWER_TIMEOUT_MS - 1 })).toEqual([]);
    // … and once the answer is overdue, a cancel overtakes the amend.
    expect(t.send({ type: 'timer', nowMs: 100 + AMEND_ANSWER_TIMEOUT_MS })).toEqual([{ type: 'cancel', orderRef: 'r1/1' }]);
    // The amend's answer arriving now changes nothing: the cancel is what is awaited.
    expect(t.send({ type: 'order-acknowledged', nowMs: 2_200, orderRef: 'r1/1' })).toEqual([]);
    expect(openOrder(t.state)).toMatchObject({ status: 'pending-cancel' });
    expect(t.send({ type: 'order-cancelled', nowMs: 2_300, orderRef: 'r1/1', filledUsd: 0 })).toEqual([
      { type: 'place', orderRef: 'r1/2', instrumentName: 'BTC-PERPETUAL', side: 'sell', amountUsd: 20_000, priceUsd: 49_900, postOnly: false, timeInForce: 'immediate_or_cancel', reduceOnly: false },
    ]);
    t.send({ type: 'order-filled', nowMs: 2_400, orderRef: 'r1/2', filledUsd: 20_000, averagePriceUsd: 50_000 });
    expect(t.state.status).toBe('done');
  });

  it('while passive, posts again after an overdue amend, shrinks the new order on a late fill, and takes it out once filled elsewhere', () => {
    const t = run(createTactic({ tacticId: 'r2', instrument: PERP, side: 'buy', amountUsd: 1_000, spec: { kind: 'passive-then-cross', timeoutMs: 60_000, maxSlippageBps: 10 } }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    t.send({ type: 'order-acknowledged', nowMs: 10, orderRef: 'r2/1' });
    expect(t.send({ type: 'quote', nowMs: 100, quote: quote(50_001, 50_003) })).toMatchObject([{ type: 'amend', priceUsd: 50_001 }]);
    expect(t.send({ type: 'timer', nowMs: 100 + AMEND_ANSWER_TIMEOUT_MS })).toEqual([{ type: 'cancel', orderRef: 'r2/1' }]);
    // Cancelled with 200 filled: post the rest again at the touch.
    expect(t.send({ type: 'order-cancelled', nowMs: 2_200, orderRef: 'r2/1', filledUsd: 200 })).toEqual([
      { type: 'place', orderRef: 'r2/2', instrumentName: 'BTC-PERPETUAL', side: 'buy', amountUsd: 800, priceUsd: 50_001, postOnly: true, timeInForce: 'good_til_cancelled', reduceOnly: false },
    ]);
    t.send({ type: 'order-acknowledged', nowMs: 2_300, orderRef: 'r2/2' });
    // A late report says the first order had filled 500: the second is larger than what is left.
    expect(t.send({ type: 'order-partially-filled', nowMs: 2_400, orderRef: 'r2/1', filledUsd: 500, averagePriceUsd: 50_000 })).toEqual([{ type: 'amend', orderRef: 'r2/2', priceUsd: 50_001, amountUsd: 500 }]);
    t.send({ type: 'order-acknowledged', nowMs: 2_500, orderRef: 'r2/2' });
    // And then that it had filled everything: the second order is taken out and the tactic is done.
    expect(t.send({ type: 'order-filled', nowMs: 2_600, orderRef: 'r2/1', filledUsd: 1_000, averagePriceUsd: 50_000 })).toEqual([{ type: 'cancel', orderRef: 'r2/2' }]);
    expect(t.state).toMatchObject({ status: 'working', phase: { kind: 'stopping', outcome: { status: 'done' } } });
    t.send({ type: 'order-cancelled', nowMs: 2_700, orderRef: 'r2/2', filledUsd: 0 });
    expect(t.state.status).toBe('done');
    expect(filledUsd(t.state)).toBe(1_000);
  });

  it('waits RETRY_AFTER_REFUSAL_MS after a refused amend before asking again', () => {
    const t = run(createTactic({ tacticId: 'r3', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    t.send({ type: 'order-acknowledged', nowMs: 1, orderRef: 'r3/1' });
    expect(t.send({ type: 'quote', nowMs: 2, quote: quote(50_000.5, 50_001) })).toMatchObject([{ type: 'amend', priceUsd: 50_000.5 }]);
    expect(t.send({ type: 'order-rejected', nowMs: 3, orderRef: 'r3/1', request: 'amend', reason: 'other_reject' })).toEqual([]);
    expect(openOrder(t.state)).toMatchObject({ status: 'live', priceUsd: 50_000 });
    expect(t.send({ type: 'quote', nowMs: 4, quote: quote(50_000.5, 50_001) })).toEqual([]);
    expect(nextWakeMs(t.state)).toBe(3 + RETRY_AFTER_REFUSAL_MS);
    expect(t.send({ type: 'timer', nowMs: 3 + RETRY_AFTER_REFUSAL_MS })).toEqual([{ type: 'amend', orderRef: 'r3/1', priceUsd: 50_000.5, amountUsd: 100 }]);
  });

  it('gives up at giveUpAtMs on a venue that answers nothing, closing the order it waited on as abandoned', () => {
    const t = run(createTactic({ tacticId: 'r4', instrument: PERP, side: 'buy', amountUsd: 100, spec: IMMEDIATE }));
    expect(t.send({ type: 'start', nowMs: 1_000, quote: quote(50_000, 50_001) })).toMatchObject([{ type: 'place', orderRef: 'r4/1', timeInForce: 'immediate_or_cancel' }]);
    expect(t.state.giveUpAtMs).toBe(1_000 + GIVE_UP_AFTER_MS);
    expect(nextWakeMs(t.state)).toBe(1_000 + GIVE_UP_AFTER_MS);
    expect(t.send({ type: 'timer', nowMs: GIVE_UP_AFTER_MS + 999 })).toEqual([]);
    expect(t.state.status).toBe('working');
    expect(t.send({ type: 'timer', nowMs: GIVE_UP_AFTER_MS + 1_000 })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'failed', reason: `gave up after ${GIVE_UP_AFTER_MS / 1000} s: order r4/1 still pending-new at the venue; 0 of 100 USD filled` });
    expect(openOrder(t.state)).toBeUndefined();
    expect(t.state.orders[0]).toMatchObject({ status: 'closed', closedReason: 'abandoned while pending-new' });
    // Its fills, should they be reported after all, are still counted.
    expect(t.send({ type: 'order-filled', nowMs: GIVE_UP_AFTER_MS + 2_000, orderRef: 'r4/1', filledUsd: 100, averagePriceUsd: 50_001 })).toEqual([]);
    expect(filledUsd(t.state)).toBe(100);
    expect(t.state.status).toBe('failed');
  });

  it('ends a stop the venue never carries out as cancelled at giveUpAtMs; a stop whose order went first ends as it meant to', () => {
    const t = run(createTactic({ tacticId: 'r5', instrument: PERP, side: 'sell', amountUsd: 100, spec: PASSIVE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    t.send({ type: 'order-acknowledged', nowMs: 1, orderRef: 'r5/1' });
    expect(t.send({ type: 'stop', nowMs: 2, reason: 'trader' })).toEqual([{ type: 'cancel', orderRef: 'r5/1' }]);
    const giveUpAtMs = PASSIVE.kind === 'passive-then-cross' ? PASSIVE.timeoutMs + GIVE_UP_AFTER_MS : Number.NaN;
    expect(nextWakeMs(t.state)).toBe(giveUpAtMs);
    t.send({ type: 'timer', nowMs: giveUpAtMs });
    expect(t.state).toMatchObject({ status: 'cancelled', reason: expect.stringMatching(/^trader; gave up after \d+ s: order r5\/1 still pending-cancel at the venue/) });

    const late = run(createTactic({ tacticId: 'r6', instrument: PERP, side: 'sell', amountUsd: 100, spec: PASSIVE }));
    late.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    late.send({ type: 'order-acknowledged', nowMs: 1, orderRef: 'r6/1' });
    late.send({ type: 'stop', nowMs: 2, reason: 'trader' });
    // The kernel was not ticking: the cancel's answer is the first event after the give-up time.
    late.send({ type: 'order-cancelled', nowMs: giveUpAtMs + 5, orderRef: 'r6/1', filledUsd: 0 });
    expect(late.state).toMatchObject({ status: 'cancelled', reason: 'trader' });
  });

  it('fails at the start on nothing to trade, a bad tick size or a crossed book, and when re-posting finds no price', () => {
    const zero = run(createTactic({ tacticId: 's1', instrument: PERP, side: 'buy', amountUsd: 0, spec: PASSIVE }));
    zero.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    expect(zero.state).toMatchObject({ status: 'failed', reason: 'nothing to trade: amount 0 USD' });
    const tick = run(createTactic({ tacticId: 's2', instrument: { ...PERP, tickSize: 0 }, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    tick.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    expect(tick.state).toMatchObject({ status: 'failed', reason: 'invalid tick size 0' });
    const crossed = run(createTactic({ tacticId: 's3', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    crossed.send({ type: 'start', nowMs: 0, quote: quote(50_001, 50_000) });
    expect(crossed.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('the book is empty or crossed') });

    // A buyer whose own side emptied and whose ask sits at one tick has no price to post at.
    const t = run(createTactic({ tacticId: 's4', instrument: PERP, side: 'buy', amountUsd: 100, spec: PASSIVE }));
    t.send({ type: 'start', nowMs: 0, quote: quote(50_000, 50_001) });
    t.send({ type: 'order-acknowledged', nowMs: 1, orderRef: 's4/1' });
    t.send({ type: 'quote', nowMs: 2, quote: quote(50_000.5, 50_001) });
    t.send({ type: 'quote', nowMs: 3, quote: quote(undefined, 0.5) });
    expect(t.send({ type: 'timer', nowMs: 2 + AMEND_ANSWER_TIMEOUT_MS })).toEqual([{ type: 'cancel', orderRef: 's4/1' }]);
    expect(t.send({ type: 'order-cancelled', nowMs: 2_100, orderRef: 's4/1', filledUsd: 0 })).toEqual([]);
    expect(t.state).toMatchObject({ status: 'failed', reason: 'no price to post at: the book has no usable touch' });
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

type Request = { readonly kind: 'place' | 'amend' | 'cancel'; readonly ref: string; readonly sentMs: number; readonly priceUsd?: number; readonly amountUsd?: number };

const LOT = 10;
const TICK = 0.5;

/** One random thing the world does next; interpreted against the toy venue's state. */
const move = fc.record({ op: fc.integer({ min: 0, max: 10 }), a: fc.nat({ max: 1_000 }), b: fc.nat({ max: 1_000 }) });

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
  it('keeps one live order at most, asks once per order, prices on tick and inside the cap, and always ends by its give-up time', () => {
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
        /** Requests the venue has yet to take up, oldest first. */
        const queue: Request[] = [];
        /** Requests whose answer the tactic has not had (taken up silently ones included), by order. */
        const unanswered = new Map<string, Request>();
        let filledTotal = 0;
        let swallowed = false;
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
          // Whatever the venue did or did not answer, nothing is still working past the give-up time.
          if (state.giveUpAtMs !== undefined && event.nowMs >= state.giveUpAtMs) expect(isTerminal(state)).toBe(true);
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
            const request: Request = { kind: 'place', ref: action.orderRef, sentMs: nowMs };
            queue.push(request);
            unanswered.set(action.orderRef, request);
            return;
          }
          const order = venue.get(action.orderRef);
          // Amend and cancel only name acknowledged, open orders …
          expect(order?.acked).toBe(true);
          expect(order?.closed).toBe(false);
          // … with nothing else unanswered, but for a cancel overtaking an overdue amend.
          const pending = unanswered.get(action.orderRef);
          if (pending) {
            expect(action.type).toBe('cancel');
            expect(pending.kind).toBe('amend');
            expect(nowMs - pending.sentMs).toBeGreaterThanOrEqual(AMEND_ANSWER_TIMEOUT_MS);
          }
          const request: Request =
            action.type === 'amend'
              ? { kind: 'amend', ref: action.orderRef, sentMs: nowMs, priceUsd: action.priceUsd, amountUsd: action.amountUsd }
              : { kind: 'cancel', ref: action.orderRef, sentMs: nowMs };
          if (action.type === 'amend') {
            expect(isOnTick(action.priceUsd, TICK)).toBe(true);
            expect(action.amountUsd - (order?.filledUsd ?? 0)).toBeLessThanOrEqual(remaining + 1e-9);
            if (side === 'buy') expect(action.priceUsd).toBeLessThan(usableAsk);
            else expect(action.priceUsd).toBeGreaterThan(usableBid);
          }
          queue.push(request);
          unanswered.set(action.orderRef, request);
        };

        const answered = (ref: string) => unanswered.delete(ref);

        const fill = (order: VenueOrder, lotsToFill: number, report = true) => {
          const open = order.amountUsd - order.filledUsd;
          const usd = Math.min(open, lotsToFill * LOT);
          if (usd <= 0) return;
          order.filledUsd += usd;
          filledTotal += usd;
          const full = order.filledUsd >= order.amountUsd;
          if (full) order.closed = true;
          if (!report) return;
          const event: TacticEvent = { type: full ? 'order-filled' : 'order-partially-filled', nowMs, orderRef: order.ref, filledUsd: order.filledUsd, averagePriceUsd: order.priceUsd };
          lastFill = event;
          feed(event);
        };

        /** The venue takes up its oldest request: answers it (refusing it now and then, with `refuse`), or does it without a word. */
        const takeUp = (how: 'answer' | 'refuse' | 'silently', b: number) => {
          const request = queue.shift();
          if (!request) return;
          const order = venue.get(request.ref);
          if (!order) return;
          if (how === 'silently') {
            // Done at the venue, but no answer the tactic can read ever comes: a lost answer, or a
            // post-only amend re-priced to a price the kernel cannot match to its request.
            swallowed = true;
            if (order.closed) return;
            if (request.kind === 'place') {
              order.acked = true;
              if (order.ioc) {
                fill(order, b % (lots + 1), false);
                order.closed = true;
              }
            } else if (request.kind === 'amend') {
              order.priceUsd = (request.priceUsd ?? order.priceUsd) + (side === 'buy' ? -TICK : TICK);
              order.amountUsd = request.amountUsd ?? order.amountUsd;
            } else {
              order.closed = true;
            }
            return;
          }
          answered(request.ref);
          if (request.kind === 'place') {
            if (how === 'refuse') {
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
          } else if (order.closed || how === 'refuse') {
            feed({ type: 'order-rejected', nowMs, orderRef: order.ref, request: request.kind, reason: order.closed ? 'not_open_order' : 'refused' });
          } else if (request.kind === 'amend') {
            order.priceUsd = request.priceUsd ?? order.priceUsd;
            order.amountUsd = request.amountUsd ?? order.amountUsd;
            feed({ type: 'order-acknowledged', nowMs, orderRef: order.ref });
          } else {
            order.closed = true;
            feed({ type: 'order-cancelled', nowMs, orderRef: order.ref, filledUsd: order.filledUsd });
          }
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
            case 2:
              // The venue answers the oldest request: accepts it, or (op 2, now and then) refuses it.
              takeUp(op === 2 && a % 3 === 0 ? 'refuse' : 'answer', b);
              break;
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
                const order = [...venue.values()].find((o) => o.acked && !o.closed && !o.ioc && !queue.some((r) => r.ref === o.ref));
                if (order) {
                  order.closed = true;
                  answered(order.ref);
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
            case 10:
              // Now and then the venue does what it was asked without an answer the tactic can read.
              if (a % 4 === 0) takeUp('silently', b);
              break;
          }
        }
        if (!swallowed) expect(filledUsd(state)).toBe(filledTotal);
        else expect(filledUsd(state)).toBeLessThanOrEqual(filledTotal);
        if (state.status === 'done') expect(filledUsd(state)).toBe(amountUsd);

        // From here the venue never answers again: timers alone end the tactic, by its give-up time.
        let silent = state;
        for (let i = 0; i < 10 && !isTerminal(silent); i++) {
          const wake = nextWakeMs(silent);
          expect(wake).toBeDefined();
          silent = step(silent, { type: 'timer', nowMs: Math.max(nowMs, wake ?? nowMs) }).state;
        }
        expect(isTerminal(silent)).toBe(true);
        if (silent.giveUpAtMs !== undefined && 'endedTsMs' in silent) expect(silent.endedTsMs).toBeLessThanOrEqual(Math.max(nowMs, silent.giveUpAtMs));

        // Or it answers everything, at once and without liquidity: the tactic ends too.
        for (let i = 0; i < 200 && !isTerminal(state); i++) {
          if (queue.length > 0) takeUp('answer', 0);
          else {
            nowMs = Math.max(nowMs, nextWakeMs(state) ?? nowMs);
            feed({ type: 'timer', nowMs });
          }
        }
        expect(isTerminal(state)).toBe(true);
      }),
      { seed: 4_242, numRuns: 1_500 },
    );
  });
});
