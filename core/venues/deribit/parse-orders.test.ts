/* eslint-disable @typescript-eslint/no-explicit-any -- documented JSON fixtures are untyped */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOrderReport } from './parse-orders.ts';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../../../test/fixtures/deribit/${name}`, import.meta.url), 'utf8'));

describe('order reports from Deribit order objects (documented shapes)', () => {
  it('reads a filled order from private/buy', () => {
    const order = fixture('private.buy.json').response.result.order;
    expect(parseOrderReport('deribit', order)).toEqual({
      venueId: 'deribit',
      venueOrderId: order.order_id,
      label: order.label,
      instrumentName: 'BTC-25DEC26-100000-C',
      side: 'buy',
      price: 0.2035,
      amount: 1,
      filledAmount: 1,
      averagePrice: 0.2035,
      venueState: 'filled',
      postOnly: false,
      reduceOnly: false,
      tsMs: order.last_update_timestamp,
    });
  });

  it('reads user.orders notifications, including an MMP cancellation', () => {
    const notifications = fixture('channel.user.orders.instrument.raw.json').notifications as any[];
    const reports = notifications.map((n) => parseOrderReport('deribit', n.params.data));
    expect(reports.every((r) => r !== undefined)).toBe(true);
    expect(reports[0]).toMatchObject({ venueState: 'open', postOnly: true, side: expect.any(String) });
    expect(reports.some((r) => r?.venueState === 'cancelled' && r.cancelReason === 'mmp_trigger')).toBe(true);
  });

  it('skips trigger orders and refuses malformed objects', () => {
    const stop = fixture('private.buy.json').variants.find((v: any) => /stop/i.test(v.name)).response.result.order;
    expect(parseOrderReport('deribit', stop)).toBeUndefined();
    expect(parseOrderReport('deribit', { order_id: 'x' })).toBeUndefined();
    expect(parseOrderReport('deribit', null)).toBeUndefined();
    expect(parseOrderReport('deribit', { ...fixture('private.buy.json').response.result.order, direction: 'up' })).toBeUndefined();
  });
});
