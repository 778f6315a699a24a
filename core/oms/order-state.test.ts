import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order, OrderEvent, OrderState } from './order-state.ts';
import { acceptedEvents, TERMINAL_STATES, transition } from './order-state.ts';

const NEW: Order = {
  clientOrderId: 'c1',
  venueId: 'sim',
  instrumentName: 'BTC-PERPETUAL',
  side: 'buy',
  price: 95_000,
  amount: 100,
  filledAmount: 0,
  averagePrice: 0,
  postOnly: true,
  reduceOnly: false,
  origin: 'manual',
  state: 'pending-new',
  createdTsMs: 0,
  updatedTsMs: 0,
};

const event: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc.record({ type: fc.constant('Acknowledged' as const), venueOrderId: fc.constant('v1'), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('Rejected' as const), reason: fc.constant('r'), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('Filled' as const), filledAmount: fc.integer({ min: 0, max: 100 }), averagePrice: fc.constant(95_000), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('CancelRequested' as const), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('CancelRejected' as const), reason: fc.constant('r'), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('Cancelled' as const), reason: fc.constant('user_request'), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('ReplaceRequested' as const), price: fc.constant(95_010), amount: fc.constant(100), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('Replaced' as const), price: fc.constant(95_010), amount: fc.constant(100), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('ReplaceRejected' as const), reason: fc.constant('r'), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('AckLost' as const), tsMs: fc.nat() }),
  fc.record({ type: fc.constant('ReconcileNeeded' as const), tsMs: fc.nat() }),
  fc.record({
    type: fc.constant('Reconciled' as const),
    venueState: fc.constantFrom('open' as const, 'filled' as const, 'cancelled' as const, 'rejected' as const, 'missing' as const),
    filledAmount: fc.integer({ min: 0, max: 100 }),
    tsMs: fc.nat(),
  }),
);

describe('order state machine', () => {
  it('keeps its invariants for any sequence of venue events', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let order = NEW;
        for (const e of events) {
          const before = order;
          const result = transition(order, e);
          if (!result.ok) {
            // A refused event changes nothing and names the state it was refused in.
            expect(result.order).toBe(before);
            expect(result.reason).toContain(before.state);
            continue;
          }
          order = result.order;
          expect(order.filledAmount).toBeGreaterThanOrEqual(before.filledAmount);
          expect(order.filledAmount).toBeLessThanOrEqual(order.amount);
          if (TERMINAL_STATES.has(before.state)) expect(order.state).toBe(before.state);
          if (before.state === 'unknown' && order.state !== 'unknown') expect(e.type).toBe('Reconciled');
          if (order.state === 'filled') expect(order.filledAmount).toBe(order.amount);
          if (order.state !== 'pending-replace') expect(order.pendingReplace).toBeUndefined();
        }
      }),
      { seed: 2024, numRuns: 2000 },
    );
  });

  it('walks the happy paths', () => {
    const steps = (events: OrderEvent[]) => events.reduce<Order>((order, e) => transition(order, e).order, NEW);
    expect(steps([{ type: 'Acknowledged', venueOrderId: 'v', tsMs: 1 }, { type: 'Filled', filledAmount: 40, averagePrice: 1, tsMs: 2 }, { type: 'Filled', filledAmount: 100, averagePrice: 1, tsMs: 3 }]).state).toBe('filled');
    const replaced = steps([{ type: 'Acknowledged', venueOrderId: 'v', tsMs: 1 }, { type: 'ReplaceRequested', price: 94_990, amount: 50, tsMs: 2 }, { type: 'Replaced', price: 94_990, amount: 50, tsMs: 3 }]);
    expect(replaced).toMatchObject({ state: 'open', price: 94_990, amount: 50 });
    expect(replaced.pendingReplace).toBeUndefined();
    expect(steps([{ type: 'Acknowledged', venueOrderId: 'v', tsMs: 1 }, { type: 'CancelRequested', tsMs: 2 }, { type: 'Cancelled', reason: 'user_request', tsMs: 3 }]).state).toBe('cancelled');
  });

  it('moves to unknown when an acknowledgement is lost, and only reconciliation brings it back', () => {
    const lost = transition(NEW, { type: 'AckLost', tsMs: 1 }).order;
    expect(lost.state).toBe('unknown');
    expect(transition(lost, { type: 'CancelRequested', tsMs: 2 }).ok).toBe(false);
    expect(transition(lost, { type: 'Reconciled', venueState: 'open', venueOrderId: 'v9', filledAmount: 0, tsMs: 3 }).order).toMatchObject({ state: 'open', venueOrderId: 'v9' });
    expect(transition(lost, { type: 'Reconciled', venueState: 'missing', tsMs: 3 }).order.state).toBe('rejected');
  });

  it('returns to where it was when the venue refuses a replace, and hands refused cancels to reconciliation', () => {
    const open = transition(NEW, { type: 'Acknowledged', venueOrderId: 'v', tsMs: 1 }).order;
    const pending = transition(open, { type: 'ReplaceRequested', price: 1, amount: 100, tsMs: 2 }).order;
    expect(transition(pending, { type: 'ReplaceRejected', reason: 'post_only_reject', tsMs: 3 }).order).toMatchObject({ state: 'open', price: 95_000 });
    const cancelling = transition(open, { type: 'CancelRequested', tsMs: 2 }).order;
    expect(transition(cancelling, { type: 'CancelRejected', reason: 'already_closed', tsMs: 3 }).order.state).toBe('unknown');
  });

  it('documents every state with the events it accepts', () => {
    const states: OrderState[] = ['pending-new', 'open', 'partially-filled', 'filled', 'pending-cancel', 'pending-replace', 'cancelled', 'rejected', 'unknown'];
    for (const state of states) expect(acceptedEvents(state).length).toBeGreaterThan(0);
    expect(acceptedEvents('unknown')).toEqual(['Reconciled', 'Filled']);
  });
});
