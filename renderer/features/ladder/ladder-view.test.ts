import { describe, expect, it } from 'vitest';
import type { InstrumentRow, OrderRow } from '../../../core/protocol/index.ts';
import { option, quote } from '../market/test-fixtures.ts';
import { EXPIRY_A } from '../market/test-fixtures.ts';
import { buildLadder, checkDraft, ladderPrices, offLadderText, priceDecimals, tickDown, tickUp } from './ladder-view.ts';

const stepped: InstrumentRow = { ...option('BTC', EXPIRY_A, 95_000, 'call'), tickSize: 0.0001, tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] };
const name = stepped.instrumentName;

function order(id: string, side: 'buy' | 'sell', price: number, fields: Partial<OrderRow> = {}): OrderRow {
  return {
    clientOrderId: id,
    venueId: 'sim',
    instrumentName: name,
    side,
    price,
    amount: 1,
    filledAmount: 0,
    averagePrice: 0,
    postOnly: true,
    reduceOnly: false,
    origin: 'strategy',
    state: 'open',
    createdTsMs: 1,
    updatedTsMs: 1,
    ...fields,
  };
}

describe('ladder prices', () => {
  it('steps one valid price at a time across the tick-size step', () => {
    expect(priceDecimals(stepped)).toBe(4);
    expect(tickUp(stepped, 0.0049)).toBe(0.005);
    expect(tickUp(stepped, 0.005)).toBe(0.0055);
    expect(tickDown(stepped, 0.0055)).toBe(0.005);
    expect(tickDown(stepped, 0.005)).toBe(0.0049);
    expect(tickDown(stepped, 0.0001)).toBe(0.0001);
    expect(ladderPrices(stepped, 0.0065, 0.0047, 100)).toEqual([0.0065, 0.006, 0.0055, 0.005, 0.0049, 0.0048, 0.0047]);
    expect(ladderPrices(stepped, 0.0065, 0.0047, 3)).toEqual([0.0065, 0.006, 0.0055]);
  });
});

describe('ladder', () => {
  const book = quote(name, { bidPrice: 0.0185, bidAmount: 1.3, askPrice: 0.0195, askAmount: 0.7, markPrice: 0.0191, lastPrice: 0.0175 });

  it('puts the top of book on its rows with levels beyond each side', () => {
    const ladder = buildLadder({ instrument: stepped, quote: book, theo: undefined, orders: [], levels: 2 });
    expect(ladder.rows.map((row) => row.key)).toEqual(['0.0205', '0.0200', '0.0195', '0.0190', '0.0185', '0.0180', '0.0175']);
    expect(ladder.rows.find((row) => row.key === '0.0195')).toMatchObject({ askAmount: 0.7, bidAmount: undefined, zone: 'ask' });
    expect(ladder.rows.find((row) => row.key === '0.0185')).toMatchObject({ bidAmount: 1.3, zone: 'bid' });
    expect(ladder.rows.find((row) => row.key === '0.0190')?.zone).toBe('bid');
    expect(ladder.rows.find((row) => row.key === '0.0175')?.markers).toEqual(['last']);
  });

  it('shows the published depth on every level it has, and falls back to the touch while it is stale', () => {
    const depth = { instrumentName: name, bids: [[0.0185, 1.3], [0.018, 4]] as const, asks: [[0.0195, 0.7], [0.02, 2.5]] as const, lastTrades: [], stale: false, tsMs: 1 };
    const ladder = buildLadder({ instrument: stepped, quote: book, theo: undefined, orders: [], levels: 2, book: depth });
    expect(ladder.rows.find((row) => row.key === '0.0180')).toMatchObject({ bidAmount: 4 });
    expect(ladder.rows.find((row) => row.key === '0.0200')).toMatchObject({ askAmount: 2.5 });
    const stale = buildLadder({ instrument: stepped, quote: book, theo: undefined, orders: [], levels: 2, book: { ...depth, stale: true } });
    expect(stale.rows.find((row) => row.key === '0.0180')?.bidAmount).toBeUndefined();
    expect(stale.rows.find((row) => row.key === '0.0185')?.bidAmount).toBe(1.3);
  });

  it('marks theo, our quotes and the mark on their nearest rows', () => {
    const theo = { instrumentName: name, theoPrice: 0.01912, theoIv: 0.5, bidPrice: 0.0185, askPrice: 0.02 };
    const ladder = buildLadder({ instrument: stepped, quote: book, theo, orders: [], levels: 2 });
    const at = (key: string) => ladder.rows.find((row) => row.key === key)?.markers;
    expect(at('0.0190')).toEqual(['theo', 'mark']);
    expect(at('0.0185')).toEqual(['our-bid']);
    expect(at('0.0200')).toEqual(['our-ask']);
    expect(ladder.references).toMatchObject({ theo: 0.01912, mark: 0.0191, last: 0.0175 });
  });

  it('sums our live orders at their prices and counts the ones off the ladder', () => {
    const orders = [
      order('a', 'buy', 0.0185, { amount: 1, filledAmount: 0.4 }),
      order('b', 'buy', 0.0185),
      order('c', 'sell', 0.02),
      order('d', 'buy', 0.0001, { origin: 'manual' }),
      order('e', 'sell', 0.05),
      order('f', 'sell', 0.0195, { state: 'cancelled' }),
      order('g', 'sell', 0.0195, { instrumentName: 'BTC-27NOV26-95000-P' }),
    ];
    const ladder = buildLadder({ instrument: stepped, quote: book, theo: undefined, orders, levels: 2 });
    const row = (key: string) => ladder.rows.find((candidate) => candidate.key === key)!;
    expect(row('0.0185')).toMatchObject({ ourBuyAmount: 1.6, ourBuyOrders: ['a', 'b'], ourSellAmount: 0 });
    expect(row('0.0200')).toMatchObject({ ourSellAmount: 1, ourSellOrders: ['c'] });
    expect(row('0.0195')).toMatchObject({ ourSellAmount: 0 });
    expect(ladder.above).toEqual({ buys: 0, sells: 1 });
    expect(ladder.below).toEqual({ buys: 1, sells: 0 });
    expect(offLadderText('above', ladder.above)).toBe('▲ 1 sell of ours above');
    expect(offLadderText('below', { buys: 2, sells: 1 })).toBe('▼ 2 buys, 1 sell of ours below');
    expect(offLadderText('below', { buys: 0, sells: 0 })).toBe('');
  });

  it('centres a spread wider than the ladder on its mid', () => {
    const wide = quote(name, { bidPrice: 0.0001, askPrice: 0.05 });
    const ladder = buildLadder({ instrument: stepped, quote: wide, theo: undefined, orders: [], levels: 2, maxRows: 20 });
    expect(ladder.rows).toHaveLength(20);
    expect(ladder.rows.some((row) => row.key === '0.0250')).toBe(true);
  });

  it('centres on the mark or theo without a book, and is empty with nothing at all', () => {
    const markOnly = buildLadder({ instrument: stepped, quote: quote(name, { markPrice: 0.0031 }), theo: undefined, orders: [], levels: 1 });
    expect(markOnly.rows.map((row) => row.key)).toEqual(['0.0032', '0.0031', '0.0030']);
    expect(buildLadder({ instrument: stepped, quote: undefined, theo: undefined, orders: [] }).rows).toEqual([]);
  });

  it('checks a clicked price and the amount before asking the engine', () => {
    expect(checkDraft(stepped, { side: 'buy', price: 0.0185 }, '0.5')).toEqual({ ok: true, amount: 0.5 });
    expect(checkDraft(stepped, { side: 'buy', price: 0.0185 }, '0.15')).toMatchObject({ ok: false, reason: expect.stringContaining('multiple of 0.1') });
    expect(checkDraft(stepped, { side: 'sell', price: 0.0186 }, '1')).toMatchObject({ ok: false, reason: expect.stringContaining('tick 0.0005') });
    expect(checkDraft(stepped, { side: 'sell', price: 0.0185 }, '')).toMatchObject({ ok: false });
  });
});
