import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePublicTrades } from './parse-trades.ts';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/deribit/channel.trades.100ms.json', import.meta.url), 'utf8')) as { notifications: { params: { data: unknown } }[] };

describe('public trades', () => {
  it('reads the documented notification', () => {
    const { trades, refused } = parsePublicTrades(fixture.notifications[0]!.params.data);
    expect(refused).toBe(0);
    expect(trades[0]).toEqual({ tradeId: '389771234', instrumentName: 'BTC-25DEC26-100000-C', price: 0.2035, amount: 1, takerSide: 'buy', tsMs: 1768478460000 });
  });

  it('loses only the malformed trade', () => {
    const good = { trade_id: '1', instrument_name: 'X', price: 1, amount: 1, direction: 'sell', timestamp: 5 };
    expect(parsePublicTrades([good, { ...good, price: 'NaN' }])).toEqual({ trades: [{ tradeId: '1', instrumentName: 'X', price: 1, amount: 1, takerSide: 'sell', tsMs: 5 }], refused: 1 });
    expect(parsePublicTrades({})).toEqual({ trades: [], refused: 1 });
  });
});
