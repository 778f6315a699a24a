/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures are untyped */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAccount, parsePosition, parseUserTrade, parseUserTrades } from './parse-account.ts';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../../test/fixtures/deribit/${name}`, import.meta.url), 'utf8'));

describe('fills, positions and accounts from Deribit messages (documented shapes)', () => {
  it('reads user.trades notifications as fills: our side, maker or taker, fee in coin', () => {
    const [taker, maker] = (fixture('channel.user.trades.json').notifications as any[]).map((n) => parseUserTrades('deribit', n.params.data));
    expect(taker).toEqual({
      fills: [
        {
          venueId: 'deribit',
          tradeId: '389771234',
          venueOrderId: '76843219875',
          label: 'sim-opt-0001',
          instrumentName: 'BTC-25DEC26-100000-C',
          side: 'buy',
          amount: 1,
          price: 0.2035,
          feeCoin: 0.0003,
          indexPrice: 95012.37,
          liquidity: 'taker',
          tsMs: 1768478460000,
        },
      ],
      refused: [],
    });
    expect(maker!.fills[0]).toMatchObject({ liquidity: 'maker', label: 'mm-opt-bid', price: 0.1985 });
  });

  it('reads the trades of get_user_trades_by_currency and of an order response', () => {
    const page = fixture('private.get_user_trades_by_currency.json').response.result;
    const parsed = parseUserTrades('deribit', page.trades);
    expect(parsed.refused).toEqual([]);
    expect(parsed.fills).toHaveLength(page.trades.length);
    const buy = fixture('private.buy.json').response.result.trades[0];
    expect(parseUserTrade('deribit', buy)).toMatchObject({ ok: true, value: { side: 'buy', amount: 1, instrumentName: 'BTC-25DEC26-100000-C' } });
  });

  it('refuses a malformed trade with a reason and keeps its neighbours', () => {
    const good = fixture('channel.user.trades.json').notifications[0].params.data[0];
    const parsed = parseUserTrades('deribit', [good, { ...good, trade_id: 'x2', amount: 'lots' }, { ...good, trade_id: 'x3', liquidity: 'Q' }, { ...good, trade_id: 'x4' }]);
    expect(parsed.fills.map((f) => f.tradeId)).toEqual(['389771234', 'x4']);
    expect(parsed.refused).toHaveLength(2);
    expect(parsed.refused[0]).toMatch(/amount/);
    expect(parseUserTrades('deribit', { not: 'an array' }).refused).toEqual(['user trades: not an array']);
  });

  it('reads get_positions: signed USD for futures, coin for options', () => {
    const [perp, option] = (fixture('private.get_positions.json').response.result as any[]).map((p) => parsePosition('deribit', p, 5));
    expect(perp).toEqual({
      ok: true,
      value: { venueId: 'deribit', instrumentName: 'BTC-PERPETUAL', size: -10000, averagePrice: 95055, markPrice: 95055.2, realizedPnlCoin: -6e-8, floatingPnlCoin: -2e-8, tsMs: 5 },
    });
    expect(option).toMatchObject({ ok: true, value: { size: 1, averagePrice: 0.2035, floatingPnlCoin: -0.00176342 } });
    expect(parsePosition('deribit', { instrument_name: 'X' }, 0)).toMatchObject({ ok: false, reason: expect.stringContaining('position refused') });
  });

  it('reads account summaries and portfolio notifications alike', () => {
    const summary = parseAccount('deribit', fixture('private.get_account_summary.json').response.result, 7);
    const portfolio = parseAccount('deribit', fixture('channel.user.portfolio.json').notifications[0].params.data, 7);
    expect(summary).toEqual(portfolio);
    expect(summary).toMatchObject({ ok: true, value: { currency: 'BTC', equityCoin: 1.49783656, balanceCoin: 1.4996, initialMarginCoin: 0.00841716, deltaTotal: 0.296918 } });
    expect(parseAccount('deribit', { currency: 'BTC', equity: 'rich' }, 0).ok).toBe(false);
  });
});
