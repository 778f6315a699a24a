import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../../../core/protocol/index.ts';
import { EXPIRY_A, EXPIRY_B, option } from '../market/test-fixtures.ts';
import { selectionTarget } from './blotter-selection.ts';

const call = option('BTC', EXPIRY_B, 95_000, 'call');
const perpetual: InstrumentRow = { instrumentName: 'BTC-PERPETUAL', venueId: 'sim', currency: 'BTC', kind: 'future', isPerpetual: true, expiryMs: 9e15, tickSize: 0.5, minTradeAmount: 10, contractSize: 10 };
const showingBtc = { underlying: 'BTC', expiryMs: EXPIRY_A, instrumentName: undefined };

describe('blotter selection', () => {
  it('selects an option with its own chain', () => {
    expect(selectionTarget(call.instrumentName, call, showingBtc)).toEqual({ instrumentName: call.instrumentName, underlying: 'BTC', expiryMs: EXPIRY_B });
  });

  it('keeps the chain shown for a future of the same underlying', () => {
    expect(selectionTarget('BTC-PERPETUAL', perpetual, showingBtc)).toEqual({ instrumentName: 'BTC-PERPETUAL', underlying: 'BTC', expiryMs: EXPIRY_A });
    expect(selectionTarget('BTC-PERPETUAL', perpetual, { underlying: 'ETH', expiryMs: EXPIRY_A, instrumentName: undefined })).toEqual({ instrumentName: 'BTC-PERPETUAL', underlying: 'BTC', expiryMs: 9e15 });
  });

  it('selects a delisted instrument only within the chain shown', () => {
    expect(selectionTarget('BTC-1JAN20-1-C', undefined, showingBtc, 'BTC')).toEqual({ instrumentName: 'BTC-1JAN20-1-C', underlying: 'BTC', expiryMs: EXPIRY_A });
    expect(selectionTarget('ETH-1JAN20-1-C', undefined, showingBtc, 'ETH')).toBeUndefined();
    expect(selectionTarget('X', undefined, showingBtc)).toBeUndefined();
  });
});
