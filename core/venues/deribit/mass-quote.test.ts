import { afterEach, describe, expect, it } from 'vitest';
import { priceToTicks, ticksToPrice, tickSizeAt } from '../../sim/instruments/ticks.ts';
import type { SimVenue } from '../../sim/venue.ts';
import { DEFAULT_CREDENTIALS } from '../../sim/venue.ts';
import type { MassQuoteRequest, QuoteEntry, VenueEvent } from '../venue-adapter.ts';
import type { DeribitAdapter } from './deribit-adapter.ts';
import type { Collected } from './sim-harness.ts';
import { collect, Harness, insideBid, restingBid } from './sim-harness.ts';

/**
 * Mass quotes through the adapter against the simulator over 127.0.0.1: the capability is the
 * account's, MMP groups are configured like any protection, every entry's outcome comes back
 * under its label (orders tagged as quotes, per-side refusals, a cancel of nothing), fills carry
 * the mass quote's id, bulk cancels pull quotes and freeze them, requests stay within 100
 * instruments and wait for the venue's separate quote limits, and a venue that refuses mass
 * quotes turns them off.
 */
const harness = new Harness();
afterEach(() => harness.close());

type Of<T extends VenueEvent['type']> = Extract<VenueEvent, { type: T }>;
const TAKER = 'sim-taker';
const GROUP = 'mq_btc';

async function connected(options: { massQuote?: boolean; seed?: number } = {}): Promise<{ venue: SimVenue; adapter: DeribitAdapter; collected: Collected; options: string[] }> {
  const { venue, url } = await harness.venue({ seed: options.seed ?? 17 });
  const adapter = harness.adapter(url, { massQuote: options.massQuote ?? true });
  const collected = collect(adapter);
  const live = collected.next((e) => e.type === 'StatusChanged' && e.status.state === 'connected');
  adapter.start();
  await live;
  const names = venue.exchange
    .instruments('BTC', 'option')
    .filter((i) => venue.exchange.mark(i.instrumentName)!.markPrice > 0.002)
    .map((i) => i.instrumentName)
    .sort();
  return { venue, adapter, collected, options: names };
}

async function group(adapter: DeribitAdapter, collected: Collected, quantityLimitCoin = 50): Promise<void> {
  const done = collected.next<Of<'MmpConfigured'>>((e) => e.type === 'MmpConfigured' || e.type === 'MmpRequestFailed', 5_000, 'the group configuration');
  adapter.configureMmp({ indexName: 'btc_usd', mmpGroup: GROUP, intervalSec: 1, frozenTimeSec: 0, quantityLimitCoin });
  expect(await done).toMatchObject({ type: 'MmpConfigured', config: { mmpGroup: GROUP } });
}

/** A post-only ask well above the mark (twice it), on the venue's grid: it rests. */
function restingAsk(venue: SimVenue, instrumentName: string): number {
  const instrument = venue.exchange.instrument(instrumentName)!;
  const twice = venue.exchange.mark(instrumentName)!.markPrice * 2;
  const step = Math.round(tickSizeAt(instrument, twice) / instrument.tickSize);
  return ticksToPrice(instrument, Math.ceil(priceToTicks(instrument, Math.round(twice / instrument.tickSize) * instrument.tickSize)! / step) * step);
}

/**
 * Quotes a bid alone at the top of a book and, in the same turn of the event loop as the check
 * that it is still there, sells `amount` into it as the simulator's taker (the makers re-quote
 * every 100 ms: a bid they overtook is tried again). Resolves with the quote's report.
 */
async function quoteAndHit(venue: SimVenue, adapter: DeribitAdapter, collected: Collected, label: string, amount: number, quoteAmount: number): Promise<Of<'OrderReported'>['report']> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const names = venue.exchange.instruments('BTC', 'option').filter((i) => insideBid(venue, i.instrumentName) !== undefined);
    const instrumentName = names[attempt % Math.max(1, names.length)]?.instrumentName;
    const price = instrumentName === undefined ? undefined : insideBid(venue, instrumentName);
    if (instrumentName === undefined || price === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const request: MassQuoteRequest = { mmpGroup: GROUP, quoteId: `${label}.${attempt}`, quoteSetId: 'BTC', entries: [entry(label, instrumentName, 'buy', 'new', price, quoteAmount)] };
    const answered = outcomes(collected, request);
    adapter.massQuote(request);
    const outcome = (await answered).get(label)!;
    if (outcome.type !== 'OrderReported' || outcome.report.venueState !== 'open') continue;
    const instrument = venue.exchange.instrument(instrumentName)!;
    if (venue.exchange.book(instrumentName)?.bestBidTicks() === priceToTicks(instrument, price)) {
      const sold = venue.exchange.place(TAKER, { instrumentName, direction: 'sell', amount, type: 'limit', price, timeInForce: 'immediate_or_cancel' });
      if (sold.ok && sold.value.trades.every((t) => t.makerOrderId === outcome.report.venueOrderId)) return outcome.report;
    }
    const pulled = collected.next((e) => e.type === 'OrderReported' && e.report.venueOrderId === outcome.report.venueOrderId && e.report.venueState !== 'open');
    adapter.massQuote({ ...request, quoteId: `${label}.${attempt}.x`, entries: [entry(label, instrumentName, 'buy', 'cancel', 0, 0)] });
    await pulled;
  }
  throw new Error('no quote stayed at the top of a book long enough to be hit in 30 attempts');
}

const entry = (label: string, instrumentName: string, side: 'buy' | 'sell', kind: QuoteEntry['kind'], price: number, amount: number): QuoteEntry => ({ label, instrumentName, side, kind, price, amount, postOnly: true });

/** Resolves once every label of `entries` has an outcome (a report of its slot, a failure or a loss). */
function outcomes(collected: Collected, request: MassQuoteRequest): Promise<Map<string, VenueEvent>> {
  const pending = new Map(request.entries.map((e) => [e.label, e]));
  const found = new Map<string, VenueEvent>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no outcome for ${[...pending.keys()].join(', ')}`)), 10_000);
    const check = (event: VenueEvent): void => {
      for (const [label, e] of pending) {
        const reported = event.type === 'OrderReported' && event.report.quote?.quoteId === request.quoteId && event.report.instrumentName === e.instrumentName && event.report.side === e.side;
        const failed = (event.type === 'OrderRequestFailed' || event.type === 'OrderRequestLost') && event.label === label;
        if (reported || failed) {
          found.set(label, event);
          pending.delete(label);
        }
      }
      if (pending.size === 0) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    void collected.next((e) => (check(e), pending.size === 0), 10_000).catch(() => undefined);
  });
}

describe('mass quotes through the Deribit adapter', () => {
  it('offers mass quotes only where the account is granted them', async () => {
    const { adapter, collected, options } = await connected({ massQuote: false });
    expect(adapter.capabilities).toMatchObject({ mmp: true, massQuote: false, maxQuotesPerRequest: 100 });
    const refused = collected.next<Of<'OrderRequestFailed'>>((e) => e.type === 'OrderRequestFailed' && e.label === 'a');
    adapter.massQuote({ mmpGroup: GROUP, quoteId: 'q.t.1', quoteSetId: 'BTC', entries: [entry('a', options[0]!, 'buy', 'new', 0.001, 1)] });
    expect(await refused).toMatchObject({ request: 'place', code: 0, reason: expect.stringContaining('no mass quotes') });
    expect(collected.events.filter((e) => e.type === 'StatusChanged').every((e) => e.status.massQuote === undefined)).toBe(true);

    const granted = await connected({ massQuote: true });
    expect(granted.adapter.capabilities.massQuote).toBe(true);
    expect(granted.collected.events.filter((e): e is Of<'StatusChanged'> => e.type === 'StatusChanged').at(-1)!.status.massQuote).toBe(true);
  });

  it('quotes, amends by resending, reports every entry under its label, and books fills under the mass quote id', async () => {
    const { venue, adapter, collected, options } = await connected();
    await group(adapter, collected);
    const [a, b] = options;
    const bidA = restingBid(venue, a!);
    const first: MassQuoteRequest = {
      mmpGroup: GROUP,
      quoteId: 'q.t.1',
      quoteSetId: 'BTC',
      entries: [entry('q.t.2', a!, 'buy', 'new', bidA, 1), entry('q.t.3', a!, 'sell', 'new', restingAsk(venue, a!), 1), entry('q.t.4', b!, 'buy', 'new', restingBid(venue, b!) + 0.00001, 1)],
    };
    const answered = outcomes(collected, first);
    adapter.massQuote(first);
    const outcome = await answered;
    const bid = outcome.get('q.t.2') as Of<'OrderReported'>;
    expect(bid.report).toMatchObject({ label: '', side: 'buy', price: bidA, amount: 1, venueState: 'open', quote: { mmpGroup: GROUP, quoteSetId: 'BTC', quoteId: 'q.t.1' } });
    expect(outcome.get('q.t.3')).toMatchObject({ type: 'OrderReported', report: { side: 'sell', venueState: 'open' } });
    expect(outcome.get('q.t.4')).toMatchObject({ type: 'OrderRequestFailed', request: 'place', code: 10043 });

    const amend: MassQuoteRequest = { mmpGroup: GROUP, quoteId: 'q.t.5', quoteSetId: 'BTC', entries: [entry('q.t.2', a!, 'buy', 'amend', bidA, 2), entry('q.t.4', b!, 'buy', 'cancel', 0, 0)] };
    const amended = outcomes(collected, amend);
    adapter.massQuote(amend);
    const second = await amended;
    expect(second.get('q.t.2')).toMatchObject({ type: 'OrderReported', report: { venueOrderId: bid.report.venueOrderId, amount: 2, quote: { quoteId: 'q.t.5' } } });
    // The cancel found nothing resting: reported so, for the OMS to ask after its order.
    expect(second.get('q.t.4')).toMatchObject({ type: 'OrderRequestFailed', request: 'cancel', code: 10004 });

    const cancelled = collected.next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.venueOrderId === bid.report.venueOrderId && e.report.venueState === 'cancelled');
    adapter.cancelQuotes({ scope: { kind: 'instrument', instrumentName: a! }, labels: ['q.t.2', 'q.t.3'] });
    expect((await cancelled).report).toMatchObject({ quote: { mmpGroup: GROUP } });
    expect(venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).filter((o) => o.instrumentName === a)).toEqual([]);

    const fills: Array<Of<'FillReported'>['fill']> = [];
    adapter.onEvent((e) => (e.type === 'FillReported' ? fills.push(e.fill) : undefined));
    const hit = await quoteAndHit(venue, adapter, collected, 'q.t.9', 0.5, 1);
    await collected.next((e) => e.type === 'FillReported' && e.fill.venueOrderId === hit.venueOrderId);
    expect(fills.filter((f) => f.venueOrderId === hit.venueOrderId)).toEqual([expect.objectContaining({ label: hit.quote!.quoteId, side: 'buy', amount: 0.5, price: hit.price, liquidity: 'maker' })]);
  });

  it('sends the quotes, amends and cancels asked for in one turn as one mass quote per group, and lets a cancel-all take the turn’s cancels', async () => {
    const { venue, adapter, collected, options } = await connected();
    await group(adapter, collected);
    const methods: Array<{ method: string; params: Record<string, unknown> }> = [];
    const handle = venue.server.handleRequest.bind(venue.server);
    venue.server.handleRequest = (session, raw, bearer) => {
      const request = raw as { method?: string; params?: Record<string, unknown> };
      if (request.method === 'private/mass_quote' || request.method === 'private/cancel_quotes' || request.method === 'private/cancel_all') methods.push({ method: request.method, params: request.params ?? {} });
      return handle(session, raw, bearer);
    };
    const [a, b] = options;
    const quote = { mmpGroup: GROUP, quoteSetId: 'BTC' };
    const open = (label: string) => collected.next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.quote !== undefined && e.report.venueState === 'open' && e.report.instrumentName === (label.startsWith('a') ? a : b) && e.report.side === (label.endsWith('b') ? 'buy' : 'sell'));
    const acks = [open('a-b'), open('a-s'), open('b-b')];
    adapter.placeOrder({ label: 'a-b', instrumentName: a!, side: 'buy', price: restingBid(venue, a!), amount: 1, postOnly: true, reduceOnly: false, quote });
    adapter.placeOrder({ label: 'a-s', instrumentName: a!, side: 'sell', price: restingAsk(venue, a!), amount: 1, postOnly: true, reduceOnly: false, quote });
    adapter.placeOrder({ label: 'b-b', instrumentName: b!, side: 'buy', price: restingBid(venue, b!), amount: 1, postOnly: true, reduceOnly: false, quote });
    const [aBid, aAsk, bBid] = (await Promise.all(acks)).map((e) => e.report);
    expect(methods.map((m) => [m.method, (m.params.quotes as unknown[]).length])).toEqual([['private/mass_quote', 2]]);

    const amended = collected.next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.venueOrderId === aBid!.venueOrderId && e.report.amount === 2);
    const gone = collected.next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.venueOrderId === bBid!.venueOrderId && e.report.venueState === 'cancelled');
    adapter.replaceOrder({ label: 'a-b', venueOrderId: aBid!.venueOrderId, price: aBid!.price, amount: 2 });
    adapter.cancelOrder({ label: 'b-b', venueOrderId: bBid!.venueOrderId });
    await Promise.all([amended, gone]);
    expect(methods[1]).toMatchObject({ method: 'private/mass_quote', params: { mmp_group: GROUP, quotes: [{ instrument_name: a, quote_set_id: 'BTC', bid: { amount: 2 } }, { instrument_name: b, bid: { amount: 0 } }] } });

    // A kill: every quote cancelled and the venue's cancel-all in the same turn; the cancels ride on cancel_quotes.
    const pulled = [aBid!, aAsk!].map((r) => collected.next((e) => e.type === 'OrderReported' && e.report.venueOrderId === r.venueOrderId && e.report.venueState === 'cancelled'));
    adapter.cancelOrder({ label: 'a-b', venueOrderId: aBid!.venueOrderId });
    adapter.cancelOrder({ label: 'a-s', venueOrderId: aAsk!.venueOrderId });
    adapter.cancelAll();
    await Promise.all(pulled);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(methods.slice(2).map((m) => m.method).sort()).toEqual(['private/cancel_all', 'private/cancel_quotes']);
    expect(methods.find((m) => m.method === 'private/cancel_all')?.params).toEqual({ freeze_quotes: true });
    expect(collected.events.filter((e) => e.type === 'OrderRequestFailed' || e.type === 'OrderRequestLost')).toEqual([]);
  });

  it('pulls quotes with every cancel-all and freezes them against quotes still in flight', async () => {
    const { venue, adapter, collected, options } = await connected();
    await group(adapter, collected);
    const quote = (quoteId: string): Promise<Map<string, VenueEvent>> => {
      const request: MassQuoteRequest = { mmpGroup: GROUP, quoteId, quoteSetId: 'BTC', entries: [entry(`${quoteId}.b`, options[0]!, 'buy', 'new', restingBid(venue, options[0]!), 1)] };
      const done = outcomes(collected, request);
      adapter.massQuote(request);
      return done;
    };
    expect((await quote('q.t.1')).get('q.t.1.b')).toMatchObject({ type: 'OrderReported' });
    const pulled = collected.next((e) => e.type === 'OrderReported' && e.report.quote !== undefined && e.report.venueState === 'cancelled');
    adapter.cancelAllByCurrency('BTC');
    await pulled;
    expect((await quote('q.t.2')).get('q.t.2.b')).toMatchObject({ type: 'OrderRequestFailed', code: 13043 });
  });

  it('sends at most 100 instruments a request and waits for the venue’s quote limits instead of meeting too_many_quotes', async () => {
    const { venue, adapter, collected, options } = await connected();
    await group(adapter, collected);
    const sizes: number[] = [];
    const handle = venue.server.handleRequest.bind(venue.server);
    venue.server.handleRequest = (session, raw, bearer) => {
      const request = raw as { method?: string; params?: { quotes?: unknown[] } };
      if (request.method === 'private/mass_quote') sizes.push(request.params?.quotes?.length ?? 0);
      return handle(session, raw, bearer);
    };
    const names = options.slice(0, 150);
    expect(names.length).toBeGreaterThan(100);
    const rounds = 8;
    const acknowledged = new Set<string>();
    const done = collected.next((e) => {
      if (e.type === 'OrderReported' && e.report.quote) acknowledged.add(`${e.report.quote.quoteId.split('.').slice(0, 3).join('.')}|${e.report.instrumentName}`);
      return acknowledged.size === rounds * names.length;
    }, 20_000);
    for (let round = 0; round < rounds; round++) {
      adapter.massQuote({
        mmpGroup: GROUP,
        quoteId: `q.r.${round}`,
        quoteSetId: 'BTC',
        entries: names.map((name, i) => entry(`l.${i}`, name, 'buy', round === 0 ? 'new' : 'amend', restingBid(venue, name, round % 2), 1)),
      });
    }
    await done;
    expect(Math.max(...sizes)).toBe(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(rounds * names.length);
    expect(adapter.tooManyRequests).toBe(0);
    expect(collected.events.filter((e) => e.type === 'OrderRequestFailed')).toEqual([]);
  });

  it('reports a group’s MMP trigger and reset as the group’s', async () => {
    const { adapter, collected, venue } = await connected();
    await group(adapter, collected, 1);
    const triggered = collected.next<Of<'MmpTriggered'>>((e) => e.type === 'MmpTriggered');
    // 0.9 of a quantity limit of 1 traded leaves the group live; 0.3 more trips it.
    const first = await quoteAndHit(venue, adapter, collected, 'q.t.1', 0.9, 0.9);
    await collected.next((e) => e.type === 'OrderReported' && e.report.venueOrderId === first.venueOrderId && e.report.venueState === 'filled');
    expect(collected.events.some((e) => e.type === 'MmpTriggered')).toBe(false);
    const cancelled = collected.next<Of<'OrderReported'>>((e) => e.type === 'OrderReported' && e.report.venueState === 'cancelled' && e.report.cancelReason === 'mmp_trigger');
    await quoteAndHit(venue, adapter, collected, 'q.t.2', 0.3, 0.8);
    expect(await triggered).toMatchObject({ indexName: 'btc_usd', mmpGroup: GROUP, frozenUntilMs: Number.POSITIVE_INFINITY });
    expect((await cancelled).report).toMatchObject({ filledAmount: 0.3, quote: { mmpGroup: GROUP } });
    const reset = collected.next<Of<'MmpReset'>>((e) => e.type === 'MmpReset');
    adapter.resetMmp('btc_usd', GROUP);
    expect(await reset).toMatchObject({ indexName: 'btc_usd', mmpGroup: GROUP });
  });

  it('turns mass quotes off when the venue refuses them, until the next connection', async () => {
    const { venue, adapter, collected, options } = await connected();
    await group(adapter, collected);
    venue.faults.apply({ type: 'rejectOrders', count: 1, error: { code: 13902, message: 'mass_quotes_disabled' }, methods: ['private/mass_quote'] });
    const off = collected.next<Of<'StatusChanged'>>((e) => e.type === 'StatusChanged' && e.status.massQuote === false);
    const request: MassQuoteRequest = { mmpGroup: GROUP, quoteId: 'q.t.1', quoteSetId: 'BTC', entries: [entry('q.t.2', options[0]!, 'buy', 'new', restingBid(venue, options[0]!), 1)] };
    const first = outcomes(collected, request);
    adapter.massQuote(request);
    expect((await first).get('q.t.2')).toMatchObject({ type: 'OrderRequestFailed', code: 13902 });
    await off;
    expect(collected.events.some((e) => e.type === 'VenueWarning' && e.source === 'private/mass_quote')).toBe(true);
    const again = outcomes(collected, { ...request, quoteId: 'q.t.3' });
    adapter.massQuote({ ...request, quoteId: 'q.t.3' });
    expect((await again).get('q.t.2')).toMatchObject({ type: 'OrderRequestFailed', code: 13902 });
  });
});
