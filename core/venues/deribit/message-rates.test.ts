import { describe, expect, it } from 'vitest';
import { channelFamily, MessageRates } from './message-rates.ts';

describe('messages per second by family', () => {
  it('reports the last complete window', () => {
    const rates = new MessageRates(1000);
    for (let t = 0; t < 1000; t += 10) rates.count('book', t);
    rates.count('ticker', 500);
    expect(rates.perSecond(999)).toEqual({});
    expect(rates.perSecond(1000)).toEqual({ book: 100, ticker: 1 });
    rates.count('book', 1500);
    expect(rates.perSecond(1999)).toEqual({ book: 100, ticker: 1 });
    expect(rates.perSecond(2000)).toEqual({ book: 1 });
    // Silence for more than a window: nothing.
    expect(rates.perSecond(5000)).toEqual({});
  });

  it('names families by the channel’s head', () => {
    expect(channelFamily('book.BTC-PERPETUAL.100ms')).toBe('book');
    expect(channelFamily('ticker.BTC-PERPETUAL.100ms')).toBe('ticker');
    expect(channelFamily('deribit_price_index.btc_usd')).toBe('index');
    expect(channelFamily('user.trades.any.BTC.raw')).toBe('user.trades');
    expect(channelFamily('user.portfolio.btc')).toBe('user.portfolio');
  });
});
