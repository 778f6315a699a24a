import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS } from '../defaults.ts';
import { ManualClock } from '../../model/clock.ts';
import { SimVenue } from '../venue.ts';

/**
 * An existing third-party Deribit client — ccxt, the most used JavaScript exchange library —
 * works against the simulator with only its base URL changed, public and signed private calls.
 */
let venue: SimVenue;
let exchange: InstanceType<typeof ccxt.deribit>;

beforeAll(async () => {
  // A frozen market (stepped once, then still): the test reads the same books ccxt reads.
  const clock = new ManualClock(Date.UTC(2026, 10, 21, 15));
  venue = new SimVenue({ seed: 21, clock, currencies: ['BTC'] });
  clock.advance(2_000);
  venue.step();
  const port = await venue.listen(0);
  exchange = new ccxt.deribit({
    apiKey: DEFAULT_CREDENTIALS.clientId,
    secret: DEFAULT_CREDENTIALS.clientSecret,
    urls: { api: { rest: `http://127.0.0.1:${port}` } },
  });
});

afterAll(async () => {
  await venue?.close();
});

describe('ccxt against the simulator', () => {
  it('loads markets and reads tickers and order books', async () => {
    const markets = await exchange.loadMarkets();
    expect(Object.keys(markets).length).toBe(venue.instruments.length);
    const ticker = await exchange.fetchTicker('BTC/USD:BTC');
    expect(ticker.bid).toBeGreaterThan(0);
    expect(ticker.ask).toBeGreaterThan(ticker.bid!);
    const option = Object.values(markets).find((market) => market?.option && market.info?.settlement_period === 'month');
    const book = await exchange.fetchOrderBook(option!.symbol, 5);
    expect(book.asks.length).toBeGreaterThan(0);
  });

  it('authenticates signed private requests and trades', async () => {
    const balance = await exchange.fetchBalance();
    expect((balance.total as unknown as Record<string, number>).BTC).toBeGreaterThan(0);
    const bid = (await exchange.fetchTicker('BTC/USD:BTC')).bid!;
    const order = await exchange.createOrder('BTC/USD:BTC', 'limit', 'buy', 10, Math.round(bid * 0.9), { post_only: true });
    expect(order.status).toBe('open');
    expect(venue.exchange.openOrders(DEFAULT_CREDENTIALS.accountId).map((o) => o.orderId)).toContain(order.id!);
    const cancelled = await exchange.cancelOrder(order.id!);
    expect(cancelled.status).toBe('canceled');
  });

  it('is refused with a wrong secret', async () => {
    const rest = (exchange.urls.api as Record<string, string>).rest;
    const impostor = new ccxt.deribit({ apiKey: DEFAULT_CREDENTIALS.clientId, secret: 'wrong', urls: { api: { rest } } });
    await expect(impostor.fetchBalance()).rejects.toThrow(/unauthorized|13009/i);
  });
});
