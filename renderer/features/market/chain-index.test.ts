import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../../../core/protocol/index.ts';
import { atmStrike, buildChainIndex, defaultChain, expiryDate, expiryForward, expiryLabel, expiryShort, findExpiry, indexFor, timeToExpiry } from './chain-index.ts';
import { chainInstruments, EXPIRY_A, EXPIRY_B, instrumentsOf, option, quote } from './test-fixtures.ts';

const future: InstrumentRow = { instrumentName: 'BTC-PERPETUAL', venueId: 'sim', currency: 'BTC', kind: 'future', isPerpetual: true, expiryMs: 32503708800000, tickSize: 0.5, minTradeAmount: 10, contractSize: 10 };
const instruments = instrumentsOf([
  future,
  ...chainInstruments('BTC', EXPIRY_B, [100_000, 90_000]),
  ...chainInstruments('BTC', EXPIRY_A, [96_000, 94_000, 95_000]),
  option('BTC', EXPIRY_A, 97_000, 'call'),
  ...chainInstruments('ETH', EXPIRY_A, [3000]),
]);

describe('chain index', () => {
  it('groups options by currency and expiry, sorted, with calls and puts paired by strike', () => {
    const index = buildChainIndex(instruments);
    expect(index.currencies).toEqual(['BTC', 'ETH']);
    const btc = index.expiries.get('BTC')!;
    expect(btc.map((chain) => chain.expiryMs)).toEqual([EXPIRY_A, EXPIRY_B]);
    const nov = btc[0]!;
    expect(nov.strikes).toEqual([94_000, 95_000, 96_000, 97_000]);
    expect(nov.venueId).toBe('sim');
    expect(nov.pairs.get(95_000)).toEqual({ strike: 95_000, call: 'BTC-27NOV26-95000-C', put: 'BTC-27NOV26-95000-P' });
    expect(nov.pairs.get(97_000)).toEqual({ strike: 97_000, call: 'BTC-27NOV26-97000-C', put: undefined });
    expect(nov.names).toHaveLength(7);
    expect(findExpiry(index, 'BTC', EXPIRY_B)?.strikes).toEqual([90_000, 100_000]);
    expect(findExpiry(index, 'ETH', EXPIRY_B)).toBeUndefined();
    expect(findExpiry(index, undefined, EXPIRY_A)).toBeUndefined();
  });

  it('is built once per instruments record', () => {
    expect(buildChainIndex(instruments)).toBe(buildChainIndex(instruments));
    expect(buildChainIndex({ ...instruments })).not.toBe(buildChainIndex(instruments));
    expect(buildChainIndex(undefined).currencies).toEqual([]);
  });

  it('defaults to the first currency and its nearest unexpired expiry', () => {
    const index = buildChainIndex(instruments);
    expect(defaultChain(index, EXPIRY_A - 1)?.expiryMs).toBe(EXPIRY_A);
    expect(defaultChain(index, EXPIRY_A + 1)?.expiryMs).toBe(EXPIRY_B);
    expect(defaultChain(index, EXPIRY_A - 1, 'ETH')?.currency).toBe('ETH');
    expect(defaultChain(index, EXPIRY_A - 1, 'XRP')?.currency).toBe('BTC');
    expect(defaultChain(buildChainIndex({}), 0)).toBeUndefined();
  });

  it("takes the expiry's forward from its freshest quote", () => {
    const nov = findExpiry(buildChainIndex(instruments), 'BTC', EXPIRY_A)!;
    const quotes = {
      'BTC-27NOV26-95000-C': quote('BTC-27NOV26-95000-C', { underlyingPrice: 95_010, tsMs: 5 }),
      'BTC-27NOV26-96000-P': quote('BTC-27NOV26-96000-P', { underlyingPrice: 95_020, tsMs: 7 }),
      'BTC-27NOV26-94000-C': quote('BTC-27NOV26-94000-C', { tsMs: 9 }),
    };
    expect(expiryForward(nov, quotes)).toBe(95_020);
    expect(expiryForward(nov, {})).toBeUndefined();
  });

  it('finds the ATM strike nearest the forward', () => {
    expect(atmStrike([94_000, 95_000, 96_000], 95_400)).toBe(95_000);
    expect(atmStrike([94_000, 95_000, 96_000], 95_600)).toBe(96_000);
    expect(atmStrike([94_000, 96_000], 95_000)).toBe(94_000);
    expect(atmStrike([94_000, 96_000], 10)).toBe(94_000);
    expect(atmStrike([94_000], undefined)).toBeUndefined();
    expect(atmStrike([], 95_000)).toBeUndefined();
  });

  it("finds the currency's spot index", () => {
    const btc = { indexName: 'btc_usd', currency: 'BTC', price: 95_000, tsMs: 1 };
    const eth = { indexName: 'eth_usdc', currency: 'ETH', price: 3000, tsMs: 1 };
    expect(indexFor({ btc_usd: btc, eth_usdc: eth }, 'BTC')).toBe(btc);
    expect(indexFor({ btc_usd: btc, eth_usdc: eth }, 'ETH')).toBe(eth);
    expect(indexFor({ btc_usd: btc }, 'SOL')).toBeUndefined();
    expect(indexFor(undefined, 'BTC')).toBeUndefined();
  });

  it('labels expiries in Deribit style with the time left', () => {
    const hour = 3_600_000;
    expect(expiryDate(EXPIRY_A)).toBe('27 NOV 26');
    expect(expiryShort(EXPIRY_B)).toBe('25DEC');
    expect(timeToExpiry(EXPIRY_A, EXPIRY_A - 16 * hour)).toBe('16h');
    expect(timeToExpiry(EXPIRY_A, EXPIRY_A - 10 * 60_000)).toBe('1h');
    expect(timeToExpiry(EXPIRY_A, EXPIRY_A - 137 * hour)).toBe('5.7d');
    expect(timeToExpiry(EXPIRY_A, EXPIRY_A - 34 * 24 * hour)).toBe('34d');
    expect(timeToExpiry(EXPIRY_A, EXPIRY_A + 1)).toBe('expired');
    expect(expiryLabel(EXPIRY_A, EXPIRY_A - 6 * 24 * hour)).toBe('27 NOV 26 · 6.0d');
  });
});
