/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures are untyped */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { QuoteEntry } from '../venue-adapter.ts';
import { chargesFor, CreditLimiter, DERIBIT_DEFAULT_LIMITS, poolLimitsFor } from './credit-limiter.ts';
import { parseOrderReport } from './parse-orders.ts';
import { cancelledQuoteOrders, cancelQuotesParams, chunkQuoteEntries, massQuoteParams, parseMassQuoteResult } from './parse-quotes.ts';
import { parseUserTrade } from './parse-account.ts';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../../test/fixtures/deribit/${name}`, import.meta.url), 'utf8'));

const entry = (instrumentName: string, side: 'buy' | 'sell', kind: QuoteEntry['kind'] = 'new', price = 0.2, amount = 1): QuoteEntry => ({ label: `${instrumentName}/${side}`, instrumentName, side, kind, price, amount, postOnly: false });

describe('Deribit mass quotes on the wire', () => {
  it('sends the documented request: one quote per instrument with its bid and ask, a cancel as amount 0', () => {
    const documented = fixture('private.mass_quote.json').request.params;
    const params = massQuoteParams('default', '1', 'options', [entry('BTC-25DEC26-100000-C', 'sell', 'new', 0.2035), entry('BTC-25DEC26-100000-C', 'buy', 'amend', 0.2)]);
    const [option] = documented.quotes.filter((q: any) => q.instrument_name === 'BTC-25DEC26-100000-C');
    expect(params).toEqual({ quote_id: '1', mmp_group: 'default', detailed: true, quotes: [{ ...option, bid: { ...option.bid, post_only: false }, ask: { ...option.ask, post_only: false } }] });
    expect(massQuoteParams('g', 'q', 's', [entry('X', 'buy', 'cancel')], 123).quotes).toEqual([{ instrument_name: 'X', quote_set_id: 's', bid: { amount: 0 } }]);
    expect(massQuoteParams('g', 'q', 's', [entry('X', 'buy')], 123).valid_until).toBe(123);
  });

  it('splits entries into requests of at most N instruments, keeping each instrument’s sides together, in order', () => {
    const entries = ['A', 'B', 'C', 'D', 'E'].flatMap((name) => [entry(name, 'buy'), entry(name, 'sell')]);
    entries.push(entry('A', 'sell', 'cancel'));
    const chunks = chunkQuoteEntries(entries, 2);
    expect(chunks.map((chunk) => chunk.map((e) => `${e.instrumentName}${e.side[0]}`).join(' '))).toEqual(['Ab As Bb Bs As', 'Cb Cs Db Ds', 'Eb Es']);
    expect(chunkQuoteEntries([], 100)).toEqual([]);
  });

  it('reads the documented answer: orders tagged as quotes, per-side errors, and refuses what it cannot use', () => {
    const result = fixture('private.mass_quote.json').response.result;
    const parsed = parseMassQuoteResult(result);
    expect(parsed).toMatchObject({ ok: true, errors: [{ instrumentName: 'BTC-PERPETUAL', side: 'buy', code: 10007, reason: 'price_too_high 96481.0' }] });
    if (!parsed.ok) return;
    expect(parsed.orders.map((o) => parseOrderReport('deribit', o))).toEqual([
      expect.objectContaining({ label: '', side: 'buy', price: 0.2, quote: { mmpGroup: 'default', quoteSetId: 'options', quoteId: '1' } }),
      expect.objectContaining({ side: 'sell', quote: expect.objectContaining({ quoteSetId: 'options' }) }),
      expect.objectContaining({ instrumentName: 'BTC-PERPETUAL', quote: expect.objectContaining({ quoteSetId: 'futures' }) }),
    ]);
    expect(parseMassQuoteResult({ orders: [], trades: [], errors: [{ instrument_name: 'X', side: 'ask', code: 11054, message: 'post_only_reject' }] })).toMatchObject({ ok: true, errors: [{ side: 'sell', code: 11054 }] });
    expect(parseMassQuoteResult({ orders: [], trades: [], errors_count: 2 })).toMatchObject({ ok: false });
    expect(parseMassQuoteResult({ orders: 'none' })).toMatchObject({ ok: false });
    expect(parseOrderReport('deribit', fixture('private.sell.json').response.result.order)?.quote).toBeUndefined();
  });

  it('books a quote’s fill under the mass quote id it carries (a quote has no label)', () => {
    const trade = fixture('channel.user.trades.json').notifications[0].params.data[0];
    expect(parseUserTrade('deribit', { ...trade, label: '', quote_id: 'q.abc.7', quote_set_id: 'BTC' })).toMatchObject({ ok: true, value: { label: 'q.abc.7' } });
    expect(parseUserTrade('deribit', { ...trade, label: 'm.abc.1' })).toMatchObject({ ok: true, value: { label: 'm.abc.1' } });
  });

  it('cancels quotes by scope and reads the cancelled orders of a detailed answer', () => {
    expect(cancelQuotesParams({ kind: 'all' }, true)).toEqual({ cancel_type: 'all', detailed: true, freeze_quotes: true });
    expect(cancelQuotesParams({ kind: 'currency', currency: 'BTC' }, false)).toEqual({ cancel_type: 'currency', currency: 'BTC', detailed: true });
    expect(cancelQuotesParams({ kind: 'instrument', instrumentName: 'X' }, false)).toEqual({ cancel_type: 'instrument', instrument_name: 'X', detailed: true });
    expect(cancelQuotesParams({ kind: 'quoteSet', quoteSetId: 's' }, false)).toEqual({ cancel_type: 'quote_set_id', quote_set_id: 's', detailed: true });
    expect(cancelledQuoteOrders([{ order: { order_id: '1' } }, { nope: true }])).toEqual([{ order_id: '1' }]);
    expect(cancelledQuoteOrders(3)).toEqual([]);
  });
});

describe('mass quotes in the credit limiter', () => {
  it('charges a mass quote to the quote pools, one per request and one per instrument, apart from orders', () => {
    expect(chargesFor('private/mass_quote', DERIBIT_DEFAULT_LIMITS, 30)).toEqual([
      { pool: 'massQuotes', credits: 1 },
      { pool: 'quotes', credits: 30 },
    ]);
    expect(chargesFor('private/cancel_quotes', DERIBIT_DEFAULT_LIMITS)).toEqual([{ pool: 'matching', credits: 1_000 }]);
    expect(chargesFor('private/mass_quote', { ...DERIBIT_DEFAULT_LIMITS, massQuotes: undefined }, 30)).toEqual([{ pool: 'matching', credits: 1_000 }]);
  });

  it('holds quotes back when the quote pool cannot pay them, while orders go on', () => {
    const limiter = new CreditLimiter<string>(poolLimitsFor(DERIBIT_DEFAULT_LIMITS), 0);
    // 500 quotes of burst, 125 kept as a margin: three requests of 100 go, the fourth waits.
    for (let i = 0; i < 4; i++) limiter.enqueue(`mq${i}`, { cls: 'replace', charges: chargesFor('private/mass_quote', DERIBIT_DEFAULT_LIMITS, 100) });
    limiter.enqueue('order', { cls: 'place', charges: chargesFor('private/buy', DERIBIT_DEFAULT_LIMITS) });
    expect(limiter.release(0).sort()).toEqual(['mq0', 'mq1', 'mq2', 'order']);
    // 100 quotes at 500 a second: within 200 ms.
    expect(limiter.nextReleaseMs(0)).toBeLessThanOrEqual(200);
    expect(limiter.release(200)).toEqual(['mq3']);
  });
});
