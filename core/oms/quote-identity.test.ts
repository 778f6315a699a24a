import { describe, expect, it } from 'vitest';
import { MarketData } from '../marketdata/market-data.ts';
import type { InstrumentRow } from '../protocol/index.ts';
import type { VenueOrderReport } from '../venues/venue-adapter.ts';
import { OrderGateway, isRefusal } from '../engine/order-gateway.ts';
import type { NewOrder } from './order-manager.ts';
import { OrderManager, originOfLabel } from './order-manager.ts';

/**
 * Mass quotes in the OMS: a quote slot (venue, MMP group, instrument, side) maps to one client
 * order at a time; reports that carry no label find it by venue order id or slot; a resend is a
 * replace; a venue order that replaced ours in its slot puts ours in `unknown` and is adopted; no
 * slot is ever tracked twice.
 */
const NAME = 'BTC-27NOV26-95000-C';
const QUOTE: NewOrder = { venueId: 'sim', instrumentName: NAME, side: 'buy', price: 0.02, amount: 1, postOnly: true, reduceOnly: false, origin: 'strategy', mmpGroup: 'mq_btc' };

function report(venueOrderId: string, overrides: Partial<VenueOrderReport> = {}): VenueOrderReport {
  return {
    venueId: 'sim',
    venueOrderId,
    label: '',
    instrumentName: NAME,
    side: 'buy',
    price: 0.02,
    amount: 1,
    filledAmount: 0,
    averagePrice: 0,
    venueState: 'open',
    postOnly: true,
    reduceOnly: false,
    tsMs: 1,
    quote: { mmpGroup: 'mq_btc', quoteSetId: 'BTC', quoteId: 'q.k1.99' },
    ...overrides,
  };
}

function submitted(manager: OrderManager, request: NewOrder = QUOTE) {
  const result = manager.submit(request, 0);
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe('quote identity in the OMS', () => {
  it('gives a quote slot one client order at a time, of the strategy', () => {
    const manager = new OrderManager('k1');
    const bid = submitted(manager);
    expect(bid).toMatchObject({ clientOrderId: 'q.k1.1', origin: 'strategy', mmpGroup: 'mq_btc', state: 'pending-new' });
    expect(manager.submit(QUOTE, 0)).toMatchObject({ ok: false, reason: expect.stringContaining('q.k1.1') });
    expect(manager.submit({ ...QUOTE, origin: 'manual' }, 0)).toMatchObject({ ok: false });
    expect(submitted(manager, { ...QUOTE, side: 'sell' }).clientOrderId).toBe('q.k1.2');
    expect(submitted(manager, { ...QUOTE, mmpGroup: 'layer2' }).clientOrderId).toBe('q.k1.3');
    expect(manager.quoteAt('sim', 'mq_btc', NAME, 'buy')?.clientOrderId).toBe('q.k1.1');
    expect(manager.nextQuoteId()).toBe('q.k1.4');
    expect([originOfLabel('q.k1.4'), originOfLabel('q.k1.4.2'), originOfLabel('q.k1')]).toEqual(['strategy', 'strategy', undefined]);
  });

  it('takes unlabelled reports by slot, then by venue id: acknowledged, amended by resending, filled, and the slot freed', () => {
    const manager = new OrderManager('k1');
    const bid = submitted(manager);
    expect(manager.onReport(report('v1'))).toMatchObject({ clientOrderId: bid.clientOrderId, state: 'open', venueOrderId: 'v1' });
    manager.apply(bid.clientOrderId, { type: 'ReplaceRequested', price: 0.021, amount: 1, tsMs: 2 });
    expect(manager.onReport(report('v1', { price: 0.021, tsMs: 3 }))).toMatchObject({ clientOrderId: bid.clientOrderId, state: 'open', price: 0.021 });
    expect(manager.onReport(report('v1', { price: 0.021, filledAmount: 0.4, averagePrice: 0.021 }))).toMatchObject({ state: 'partially-filled', filledAmount: 0.4 });
    expect(manager.onReport(report('v1', { price: 0.021, filledAmount: 1, averagePrice: 0.021, venueState: 'filled' }))).toMatchObject({ clientOrderId: bid.clientOrderId, state: 'filled' });
    expect(manager.quoteAt('sim', 'mq_btc', NAME, 'buy')).toBeUndefined();
    // The next quote there is a new order, and a late report of the old one still finds the old one.
    const next = submitted(manager);
    expect(next.clientOrderId).not.toBe(bid.clientOrderId);
    expect(manager.onReport(report('v1', { filledAmount: 1, venueState: 'filled' })).clientOrderId).toBe(bid.clientOrderId);
    expect(manager.onReport(report('v2')).clientOrderId).toBe(next.clientOrderId);
  });

  it('settles an amend from the venue’s answer to it, even where the venue re-priced it (post-only)', () => {
    const manager = new OrderManager('k1');
    const bid = submitted(manager);
    manager.onReport(report('v1'));
    manager.apply(bid.clientOrderId, { type: 'ReplaceRequested', price: 0.025, amount: 1, tsMs: 2 });
    // A notification of the order as it was leaves the amend pending; the answer to it settles it.
    expect(manager.onReport(report('v1', { price: 0.02 }))).toMatchObject({ state: 'pending-replace' });
    expect(manager.onReport(report('v1', { price: 0.0235, answersReplace: true }))).toMatchObject({ state: 'open', price: 0.0235 });
  });

  it('puts a quote the venue replaced in its slot in unknown, asks after it, and adopts the venue’s new one', () => {
    const manager = new OrderManager('k1');
    const bid = submitted(manager);
    manager.onReport(report('v1'));
    manager.apply(bid.clientOrderId, { type: 'ReplaceRequested', price: 0.022, amount: 1, tsMs: 2 });
    // v1 filled while the resend was in flight: the resend placed v2.
    const adopted = manager.onReport(report('v2', { price: 0.022, tsMs: 4 }));
    expect(adopted).toMatchObject({ clientOrderId: 'quote.v2', origin: 'strategy', mmpGroup: 'mq_btc', state: 'open' });
    expect(manager.takeSuperseded().map((o) => [o.clientOrderId, o.state, o.venueOrderId])).toEqual([[bid.clientOrderId, 'unknown', 'v1']]);
    expect(manager.isBlocked(NAME)).toBe(true);
    expect(manager.quoteAt('sim', 'mq_btc', NAME, 'buy')?.clientOrderId).toBe('quote.v2');
    expect(manager.onReport(report('v1', { filledAmount: 1, averagePrice: 0.02, venueState: 'filled' }))).toMatchObject({ clientOrderId: bid.clientOrderId, state: 'filled' });
    expect(manager.isBlocked(NAME)).toBe(false);
    // A terminal report of a venue order never seen is recorded, and leaves the slot alone.
    expect(manager.onReport(report('v0', { venueState: 'cancelled' }))).toMatchObject({ clientOrderId: 'quote.v0', state: 'cancelled' });
    expect(manager.quoteAt('sim', 'mq_btc', NAME, 'buy')?.clientOrderId).toBe('quote.v2');
    expect(manager.live(NAME).filter((o) => o.mmpGroup !== undefined)).toHaveLength(1);
  });

  it('reconciles a quote whose acknowledgement was lost from the venue’s report of its slot', () => {
    const manager = new OrderManager('k1');
    const bid = submitted(manager);
    manager.apply(bid.clientOrderId, { type: 'AckLost', tsMs: 1 });
    expect(manager.isBlocked(NAME)).toBe(true);
    expect(manager.onReport(report('v7'))).toMatchObject({ clientOrderId: bid.clientOrderId, state: 'open', venueOrderId: 'v7' });
    expect(manager.isBlocked(NAME)).toBe(false);
  });

  it('after a reconnect: open quotes matched, others asked after, a restarted engine’s quotes adopted', () => {
    const manager = new OrderManager('k2');
    const bid = submitted(manager);
    const ask = submitted(manager, { ...QUOTE, side: 'sell', price: 0.03 });
    manager.onReport(report('v1'));
    manager.onReport(report('v2', { side: 'sell', price: 0.03 }));
    const other = report('v9', { instrumentName: 'BTC-27NOV26-100000-C' });
    const toQuery = manager.reconcile('sim', [report('v1'), other], 5);
    expect(toQuery.map((o) => o.clientOrderId)).toEqual([ask.clientOrderId]);
    expect(manager.get(bid.clientOrderId)?.state).toBe('open');
    expect(manager.get('quote.v9')).toMatchObject({ origin: 'strategy', state: 'open' });
    expect(manager.quoteAt('sim', 'mq_btc', 'BTC-27NOV26-100000-C', 'buy')?.clientOrderId).toBe('quote.v9');
  });
});

describe('quotes through the order gateway', () => {
  const instrument: InstrumentRow = { instrumentName: NAME, venueId: 'sim', currency: 'BTC', kind: 'option', isPerpetual: false, optionType: 'call', strike: 95_000, expiryMs: 1e15, tickSize: 0.0001, minTradeAmount: 0.1, contractSize: 1 };

  function setup() {
    const marketData = new MarketData();
    marketData.apply({ type: 'InstrumentsListed', instruments: [instrument] });
    marketData.apply({ type: 'BookSnapshot', instrumentName: NAME, changeId: 1, bids: [{ action: 'new', priceTicks: 150, amount: 1 }], asks: [{ action: 'new', priceTicks: 300, amount: 1 }], tsMs: 1 });
    const orders = new OrderManager('k1');
    let halted = false;
    const sent: string[] = [];
    const gateway = new OrderGateway({
      marketData,
      orders,
      venue: () => ({ venueId: 'sim', displayName: 'Simulator', state: 'connected', detail: '', sinceTsMs: 0 }),
      halted: () => halted,
      preTrade: (intent) => (intent.amount > 5 ? { ok: false, check: 'max-order', reason: 'too big' } : { ok: true }),
      sent: (_name, kind) => sent.push(kind),
    });
    return { gateway, orders, sent, halt: () => (halted = true) };
  }
  const intent = { instrumentName: NAME, side: 'buy' as const, price: 0.02, amount: 1, postOnly: true, reduceOnly: false, origin: 'strategy' as const, priority: 3 };

  it('asks for a new quote, amends it once it rests (total amount), and refuses it while in flight', () => {
    const { gateway, orders, sent } = setup();
    const first = gateway.quote(intent, 'mq_btc', 'BTC', 1);
    expect(first).toMatchObject({ ok: true, request: { type: 'PlaceOrder', venueId: 'sim', request: { label: 'q.k1.1', price: 0.02, amount: 1, quote: { mmpGroup: 'mq_btc', quoteSetId: 'BTC' }, priority: 3 } } });
    expect(gateway.quote({ ...intent, price: 0.021 }, 'mq_btc', 'BTC', 2)).toMatchObject({ ok: false, check: 'order-state' });
    orders.onReport(report('v1', { filledAmount: 0.5, averagePrice: 0.02 }));
    const amend = gateway.quote({ ...intent, price: 0.021 }, 'mq_btc', 'BTC', 3);
    expect(amend).toMatchObject({ ok: true, order: { clientOrderId: 'q.k1.1', state: 'pending-replace' }, request: { type: 'ReplaceOrder', label: 'q.k1.1', venueOrderId: 'v1', price: 0.021, amount: 1.5, priority: 3 } });
    expect(sent).toEqual(['order', 'message']);
  });

  it('keeps every check in front of quotes: pre-trade limits, tick, and the kill switch', () => {
    const { gateway, halt } = setup();
    expect(gateway.quote({ ...intent, amount: 6 }, 'mq_btc', 'BTC', 1)).toMatchObject({ ok: false, check: 'max-order' });
    expect(gateway.quote({ ...intent, price: 0.02005 }, 'mq_btc', 'BTC', 1)).toMatchObject({ ok: false, check: 'tick' });
    halt();
    expect(gateway.quote(intent, 'mq_btc', 'BTC', 1)).toMatchObject({ ok: false, check: 'kill-switch' });
  });

  it('cancels a quote like any order, and folds the venue’s report of a replaced slot into a query', () => {
    const { gateway, orders } = setup();
    const placed = gateway.quote(intent, 'mq_btc', 'BTC', 1);
    if (!placed.ok) throw new Error(placed.reason);
    orders.onReport(report('v1'));
    const cancel = gateway.cancel(orders.get('q.k1.1')!, 2);
    expect(isRefusal(cancel) ? cancel : cancel.type).toBe('CancelOrder');
    expect(gateway.onOrderEvent({ type: 'OrderReported', report: report('v2') }, 3)).toEqual([{ type: 'QueryOrder', venueId: 'sim', label: 'q.k1.1', venueOrderId: 'v1' }]);
  });
});
