import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../../../core/protocol/index.ts';
import { EXPIRY_A, option } from '../market/test-fixtures.ts';
import { currencyFromName, decimalsOf, kindFromName, rowUnits } from './blotter-units.ts';

const perpetual: InstrumentRow = { instrumentName: 'BTC-PERPETUAL', venueId: 'sim', currency: 'BTC', kind: 'future', isPerpetual: true, expiryMs: 9e15, tickSize: 0.5, minTradeAmount: 10, contractSize: 10 };

describe('blotter units', () => {
  it('counts tick decimals', () => {
    expect(decimalsOf(0.5)).toBe(1);
    expect(decimalsOf(0.0005)).toBe(4);
    expect(decimalsOf(0.05)).toBe(2);
    expect(decimalsOf(1)).toBe(0);
    expect(decimalsOf(0)).toBe(2);
  });

  it('reads kind and currency off a Deribit name', () => {
    expect(kindFromName('BTC-27NOV26-95000-C')).toBe('option');
    expect(kindFromName('ETH-27NOV26-3000-P')).toBe('option');
    expect(kindFromName('BTC-PERPETUAL')).toBe('future');
    expect(kindFromName('BTC-27NOV26')).toBe('future');
    expect(currencyFromName('ETH-PERPETUAL')).toBe('ETH');
  });

  it('prices options in coin and futures in USD', () => {
    expect(rowUnits('x', option('BTC', EXPIRY_A, 95_000, 'call'))).toEqual({ kind: 'option', amountUnit: 'BTC', priceUnit: 'BTC', priceDecimals: 4 });
    expect(rowUnits('BTC-PERPETUAL', perpetual)).toEqual({ kind: 'future', amountUnit: 'USD', priceUnit: 'USD', priceDecimals: 1 });
    expect(rowUnits('ETH-27NOV26-3000-P', undefined)).toEqual({ kind: 'option', amountUnit: 'ETH', priceUnit: 'ETH', priceDecimals: 4 });
    expect(rowUnits('ETH-PERPETUAL', undefined)).toMatchObject({ kind: 'future', amountUnit: 'USD', priceDecimals: 2 });
  });
});
