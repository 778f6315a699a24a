import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VenueOrderReport } from '../venues/venue-adapter.ts';
import type { NewOrder } from './order-manager.ts';
import { OrderManager, originOfLabel } from './order-manager.ts';

const REQUEST: NewOrder = { venueId: 'sim', instrumentName: 'BTC-PERPETUAL', side: 'buy', price: 95_000, amount: 100, postOnly: true, reduceOnly: false, origin: 'manual' };

function report(label: string, overrides: Partial<VenueOrderReport> = {}): VenueOrderReport {
  return { venueId: 'sim', venueOrderId: 'v1', label, instrumentName: 'BTC-PERPETUAL', side: 'buy', price: 95_000, amount: 100, filledAmount: 0, averagePrice: 0, venueState: 'open', postOnly: true, reduceOnly: false, tsMs: 1, ...overrides };
}

function submitted(manager: OrderManager, request: NewOrder = REQUEST) {
  const result = manager.submit(request, 0);
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe('OrderManager', () => {
  it('gives every order a fresh client id that carries its origin', () => {
    const manager = new OrderManager('k1');
    const a = submitted(manager);
    const b = submitted(manager, { ...REQUEST, origin: 'strategy' });
    expect(a.clientOrderId).toBe('m.k1.1');
    expect(b.clientOrderId).toBe('s.k1.2');
    expect(originOfLabel(a.clientOrderId)).toBe('manual');
    expect(originOfLabel('somebody-else')).toBeUndefined();
    expect(a.state).toBe('pending-new');
  });

  it('follows venue reports from acknowledgement through fills to cancellation', () => {
    const manager = new OrderManager('k1');
    const order = submitted(manager);
    expect(manager.onReport(report(order.clientOrderId))).toMatchObject({ state: 'open', venueOrderId: 'v1' });
    expect(manager.onReport(report(order.clientOrderId, { filledAmount: 30, averagePrice: 95_000 }))).toMatchObject({ state: 'partially-filled', filledAmount: 30 });
    expect(manager.onReport(report(order.clientOrderId, { filledAmount: 30, venueState: 'cancelled', cancelReason: 'user_request' }))).toMatchObject({ state: 'cancelled', reason: 'user_request' });
    const { changed } = manager.takeChanges();
    expect(changed.map((o) => o.state)).toEqual(['cancelled']);
  });

  it('takes the price and amount the venue acknowledged: a post-only order re-priced, a reduce-only one clamped', () => {
    const manager = new OrderManager('k1');
    const repriced = submitted(manager);
    expect(manager.onReport(report(repriced.clientOrderId, { price: 94_999.5 }))).toMatchObject({ state: 'open', price: 94_999.5, amount: 100 });
    const clamped = submitted(manager, { ...REQUEST, reduceOnly: true, amount: 500 });
    expect(manager.onReport(report(clamped.clientOrderId, { venueOrderId: 'v2', amount: 200, reduceOnly: true }))).toMatchObject({ state: 'open', price: 95_000, amount: 200 });
    // Its whole (clamped) amount filling is a fill, not a partial one waiting for a cancel.
    expect(manager.onReport(report(clamped.clientOrderId, { venueOrderId: 'v2', amount: 200, filledAmount: 200, averagePrice: 95_000, venueState: 'filled', reduceOnly: true }))).toMatchObject({ state: 'filled' });
  });

  it('takes the first report of an order that filled at once', () => {
    const manager = new OrderManager('k1');
    const order = submitted(manager);
    expect(manager.onReport(report(order.clientOrderId, { filledAmount: 100, averagePrice: 94_999, venueState: 'filled' }))).toMatchObject({ state: 'filled', filledAmount: 100 });
  });

  it('blocks exactly the instruments with an order in the unknown state (property)', () => {
    const names = ['BTC-PERPETUAL', 'ETH-PERPETUAL'] as const;
    const step = fc.record({
      kind: fc.constantFrom('submit', 'ack', 'lost', 'reconcile-open', 'reconcile-missing', 'cancel', 'cancelled', 'fill'),
      order: fc.nat(20),
      instrument: fc.constantFrom(0, 1),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const manager = new OrderManager('p');
        const ids: string[] = [];
        steps.forEach((s, t) => {
          const id = ids[s.order % Math.max(1, ids.length)];
          if (s.kind === 'submit' || id === undefined) {
            const result = manager.submit({ ...REQUEST, instrumentName: names[s.instrument]! }, t);
            if (result.ok) ids.push(result.order.clientOrderId);
            return;
          }
          const venueOrderId = `v-${id}`;
          const order = manager.get(id)!;
          if (s.kind === 'ack') manager.onReport(report(id, { venueOrderId, instrumentName: order.instrumentName }));
          else if (s.kind === 'lost') manager.apply(id, { type: 'AckLost', tsMs: t });
          else if (s.kind === 'reconcile-open') manager.apply(id, { type: 'Reconciled', venueState: 'open', venueOrderId, price: order.price, amount: order.amount, filledAmount: order.filledAmount, averagePrice: order.averagePrice, tsMs: t });
          else if (s.kind === 'reconcile-missing') manager.apply(id, { type: 'Reconciled', venueState: 'missing', tsMs: t });
          else if (s.kind === 'cancel') manager.apply(id, { type: 'CancelRequested', tsMs: t });
          else if (s.kind === 'cancelled') manager.onReport(report(id, { venueOrderId, instrumentName: order.instrumentName, venueState: 'cancelled' }));
          else manager.onReport(report(id, { venueOrderId, instrumentName: order.instrumentName, filledAmount: order.amount, averagePrice: order.price, venueState: 'filled' }));
        });
        for (const name of names) expect(manager.isBlocked(name)).toBe([...manager.all()].some((o) => o.instrumentName === name && o.state === 'unknown'));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('blocks an instrument while one of its orders is unknown, until the venue answers', () => {
    const manager = new OrderManager('k1');
    const order = submitted(manager);
    manager.apply(order.clientOrderId, { type: 'AckLost', tsMs: 5 });
    expect(manager.isBlocked('BTC-PERPETUAL')).toBe(true);
    expect(manager.submit(REQUEST, 6)).toMatchObject({ ok: false, reason: expect.stringContaining('unknown state') });
    manager.onReport(report(order.clientOrderId));
    expect(manager.isBlocked('BTC-PERPETUAL')).toBe(false);
    expect(manager.get(order.clientOrderId)).toMatchObject({ state: 'open' });
  });

  it('adopts orders it did not send (placed before a restart or by hand at the venue)', () => {
    const manager = new OrderManager('k2');
    const adopted = manager.onReport(report('s.k1.7', { venueOrderId: 'v7', filledAmount: 10 }));
    expect(adopted).toMatchObject({ clientOrderId: 's.k1.7', origin: 'strategy', state: 'partially-filled' });
    expect(manager.onReport(report('', { venueOrderId: 'v8' }))).toMatchObject({ clientOrderId: 'venue.v8', origin: 'manual' });
  });

  it('reconciles after a reconnect: open ones stay, acknowledged ones are asked about, never-acknowledged ones close', () => {
    const manager = new OrderManager('k1');
    const stillOpen = submitted(manager);
    const goneWithId = submitted(manager);
    const neverAcked = submitted(manager);
    manager.onReport(report(stillOpen.clientOrderId, { venueOrderId: 'a' }));
    manager.onReport(report(goneWithId.clientOrderId, { venueOrderId: 'b' }));
    const toQuery = manager.reconcile('sim', [report(stillOpen.clientOrderId, { venueOrderId: 'a', filledAmount: 20 })], 9);
    expect(toQuery.map((o) => o.clientOrderId)).toEqual([goneWithId.clientOrderId]);
    expect(manager.get(stillOpen.clientOrderId)).toMatchObject({ state: 'partially-filled', filledAmount: 20 });
    expect(manager.get(goneWithId.clientOrderId)).toMatchObject({ state: 'unknown' });
    expect(manager.get(neverAcked.clientOrderId)).toMatchObject({ state: 'rejected' });
    manager.onReport(report(goneWithId.clientOrderId, { venueOrderId: 'b', venueState: 'filled', filledAmount: 100, averagePrice: 95_000 }));
    expect(manager.get(goneWithId.clientOrderId)).toMatchObject({ state: 'filled' });
  });

  it('forgets the oldest finished orders beyond its history', () => {
    const manager = new OrderManager('k1');
    for (let i = 0; i < 505; i++) {
      const order = submitted(manager);
      manager.onReport(report(order.clientOrderId, { venueState: 'cancelled' }));
    }
    const { removed } = manager.takeChanges();
    expect(removed).toHaveLength(5);
    expect([...manager.all()]).toHaveLength(500);
  });
});
