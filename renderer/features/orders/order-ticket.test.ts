import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../../../core/protocol/index.ts';
import { amountUnit, checkTicket } from './order-ticket.ts';

const option: InstrumentRow = { instrumentName: 'BTC-27NOV26-95000-C', venueId: 'sim', currency: 'BTC', kind: 'option', isPerpetual: false, optionType: 'call', strike: 95_000, expiryMs: 0, tickSize: 0.0001, minTradeAmount: 0.1, contractSize: 1 };

describe('order ticket checks', () => {
  it('accepts on-grid prices and amounts', () => {
    expect(checkTicket(option, { priceText: '0.0215', amountText: '1.5' })).toEqual({ ok: true, price: 0.0215, amount: 1.5 });
  });

  it('says what is wrong', () => {
    expect(checkTicket(undefined, { priceText: '1', amountText: '1' })).toMatchObject({ ok: false, reason: expect.stringContaining('select an instrument') });
    expect(checkTicket(option, { priceText: '', amountText: '1' })).toMatchObject({ ok: false, reason: expect.stringContaining('price') });
    expect(checkTicket(option, { priceText: 'abc', amountText: '1' })).toMatchObject({ ok: false });
    expect(checkTicket(option, { priceText: '0.02155', amountText: '1' })).toMatchObject({ ok: false, reason: expect.stringContaining('tick') });
    expect(checkTicket(option, { priceText: '0.02', amountText: '0.15' })).toMatchObject({ ok: false, reason: expect.stringContaining('multiple of 0.1') });
    expect(checkTicket(option, { priceText: '-1', amountText: '1' })).toMatchObject({ ok: false });
  });

  it('applies the tick of the price band the price is in', () => {
    const stepped = { ...option, tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] };
    expect(checkTicket(stepped, { priceText: '0.0049', amountText: '1' })).toMatchObject({ ok: true });
    expect(checkTicket(stepped, { priceText: '0.0213', amountText: '1' })).toMatchObject({ ok: false, reason: expect.stringContaining('tick 0.0005') });
    expect(checkTicket(stepped, { priceText: '0.0215', amountText: '1' })).toMatchObject({ ok: true });
  });

  it('names the units Deribit trades in', () => {
    expect(amountUnit(option)).toBe('BTC');
    expect(amountUnit({ ...option, kind: 'future' })).toBe('USD');
  });
});
