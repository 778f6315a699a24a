import { describe, expect, it } from 'vitest';
import { isPrivateChannel, needsAuthForRaw, parseChannel, scopeMatches } from './channels.ts';

describe('parseChannel', () => {
  it('parses every channel family Deribit documents', () => {
    expect(parseChannel('book.BTC-PERPETUAL.raw')).toEqual({ type: 'book', instrumentName: 'BTC-PERPETUAL', interval: 'raw' });
    expect(parseChannel('book.BTC-25DEC26-100000-C.100ms')).toMatchObject({ type: 'book', interval: '100ms' });
    expect(parseChannel('ticker.BTC-PERPETUAL.100ms')).toMatchObject({ type: 'ticker' });
    expect(parseChannel('trades.BTC-PERPETUAL.100ms')).toEqual({ type: 'trades', scope: { instrumentName: 'BTC-PERPETUAL' }, interval: '100ms' });
    expect(parseChannel('trades.option.BTC.100ms')).toEqual({ type: 'trades', scope: { kind: 'option', currency: 'BTC' }, interval: '100ms' });
    expect(parseChannel('deribit_price_index.btc_usd')).toEqual({ type: 'priceIndex', indexName: 'btc_usd' });
    expect(parseChannel('markprice.options.btc_usd')).toEqual({ type: 'markPrice', indexName: 'btc_usd' });
    expect(parseChannel('user.orders.any.BTC.raw')).toEqual({ type: 'userOrders', scope: { kind: 'any', currency: 'BTC' }, interval: 'raw' });
    expect(parseChannel('user.orders.BTC-PERPETUAL.raw')).toMatchObject({ type: 'userOrders', scope: { instrumentName: 'BTC-PERPETUAL' } });
    expect(parseChannel('user.trades.future.ETH.100ms')).toMatchObject({ type: 'userTrades' });
    expect(parseChannel('user.changes.option.BTC.raw')).toMatchObject({ type: 'userChanges' });
    expect(parseChannel('user.portfolio.btc')).toEqual({ type: 'userPortfolio', currency: 'BTC' });
    expect(parseChannel('user.mmp_trigger.btc_usd')).toEqual({ type: 'userMmpTrigger', indexName: 'btc_usd' });
  });

  it('refuses malformed names', () => {
    for (const name of ['', 'book', 'book.BTC-PERPETUAL', 'book.BTC-PERPETUAL.1s', 'ticker..100ms', 'user.orders.weird.BTC.raw', 'user', 'nonsense.x', 'markprice.futures.btc_usd']) {
      expect(parseChannel(name)).toBeUndefined();
    }
  });

  it('classifies privacy and scope', () => {
    expect(isPrivateChannel(parseChannel('user.portfolio.btc')!)).toBe(true);
    expect(isPrivateChannel(parseChannel('book.BTC-PERPETUAL.raw')!)).toBe(false);
    expect(needsAuthForRaw(parseChannel('book.BTC-PERPETUAL.raw')!)).toBe(true);
    expect(needsAuthForRaw(parseChannel('book.BTC-PERPETUAL.100ms')!)).toBe(false);
    expect(scopeMatches({ kind: 'option', currency: 'BTC' }, 'BTC-25DEC26-100000-C', 'option', 'BTC')).toBe(true);
    expect(scopeMatches({ kind: 'future', currency: 'BTC' }, 'BTC-25DEC26-100000-C', 'option', 'BTC')).toBe(false);
    expect(scopeMatches({ kind: 'any', currency: 'ETH' }, 'BTC-PERPETUAL', 'future', 'BTC')).toBe(false);
  });
});
