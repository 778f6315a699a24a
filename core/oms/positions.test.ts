import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill, VenuePosition } from '../model/trading.ts';
import { applyFill as simApplyFill, floatingPnl as simFloatingPnl } from '../sim/exchange/position-math.ts';
import type { SimInstrument } from '../sim/instruments/types.ts';
import type { PositionKind } from './positions.ts';
import { applyToPosition, PositionBook, termsFromName, unrealizedPnlCoin } from './positions.ts';

const OPTION = 'BTC-25DEC26-100000-C';
const FUTURE = 'BTC-PERPETUAL';

let nextId = 1;
function fill(partial: Partial<Fill> & Pick<Fill, 'side' | 'amount' | 'price'>): Fill {
  return { venueId: 'sim', tradeId: `t${nextId++}`, venueOrderId: 'o', label: '', instrumentName: OPTION, feeCoin: 0, indexPrice: 95_000, liquidity: 'maker', tsMs: 1, ...partial };
}

function venuePosition(instrumentName: string, size: number, averagePrice: number, markPrice = 0): VenuePosition {
  return { venueId: 'sim', instrumentName, size, averagePrice, markPrice, realizedPnlCoin: 0, floatingPnlCoin: 0, tsMs: 0 };
}

describe('position arithmetic', () => {
  it('reads kind and coin from Deribit names', () => {
    expect(termsFromName(OPTION)).toEqual({ kind: 'option', currency: 'BTC' });
    expect(termsFromName('ETH-26JUN26-3000-P')).toEqual({ kind: 'option', currency: 'ETH' });
    expect(termsFromName(FUTURE)).toEqual({ kind: 'future', currency: 'BTC' });
    expect(termsFromName('BTC-25DEC26')).toEqual({ kind: 'future', currency: 'BTC' });
  });

  it('averages options linearly, realizes on reducing, and reopens the remainder of a flip at the fill price', () => {
    const book = new PositionBook();
    book.applyFill(fill({ side: 'buy', amount: 1, price: 0.02, feeCoin: 0.0003 }));
    book.applyFill(fill({ side: 'buy', amount: 1, price: 0.04, feeCoin: 0.0003 }));
    expect(book.position('sim', OPTION)).toMatchObject({ size: 2, averagePrice: 0.03, realizedPnlCoin: 0 });
    const outcome = book.applyFill(fill({ side: 'sell', amount: 3, price: 0.05, feeCoin: 0.0003 }));
    expect(outcome.realizedPnlCoin).toBeCloseTo(0.04, 12);
    const position = book.position('sim', OPTION)!;
    expect(position).toMatchObject({ size: -1, averagePrice: 0.05, fillCount: 3 });
    expect(position.feesCoin).toBeCloseTo(0.0009, 12);
    book.setMarks((name) => (name === OPTION ? 0.045 : undefined));
    // Short 1 at 0.05, marked at 0.045: 0.005 coin up.
    expect(book.position('sim', OPTION)!.unrealizedPnlCoin).toBeCloseTo(0.005, 12);
  });

  it('averages inverse futures harmonically and realizes size·(1/entry − 1/exit) coin', () => {
    const book = new PositionBook();
    book.applyFill(fill({ instrumentName: FUTURE, side: 'buy', amount: 10_000, price: 50_000 }));
    book.applyFill(fill({ instrumentName: FUTURE, side: 'buy', amount: 10_000, price: 40_000 }));
    // 20,000 USD bought for 0.2 + 0.25 coin: the average is 20,000 / 0.45.
    expect(book.position('sim', FUTURE)!.averagePrice).toBeCloseTo(20_000 / 0.45, 9);
    book.setMarks((name) => (name === FUTURE ? 50_000 : undefined));
    expect(book.position('sim', FUTURE)!.unrealizedPnlCoin).toBeCloseTo(0.45 - 0.4, 12);
    const closed = book.applyFill(fill({ instrumentName: FUTURE, side: 'sell', amount: 20_000, price: 50_000 }));
    expect(closed.realizedPnlCoin).toBeCloseTo(0.05, 12);
    expect(book.position('sim', FUTURE)).toMatchObject({ size: 0, averagePrice: 0, unrealizedPnlCoin: 0 });
  });

  it('counts a trade once per venue, however often it is delivered', () => {
    const book = new PositionBook();
    const once = fill({ side: 'buy', amount: 1, price: 0.02 });
    expect(book.applyFill(once).applied).toBe(true);
    expect(book.applyFill({ ...once }).applied).toBe(false);
    expect(book.applyFill({ ...once, venueId: 'other' }).applied).toBe(true);
    expect(book.position('sim', OPTION)!.size).toBe(1);
    expect(book.position('other', OPTION)!.size).toBe(1);
    expect(book.hasFill('sim', once.tradeId)).toBe(true);
  });

  it('totals PnL per coin, and in USD at the index price set (else the latest fill’s)', () => {
    const book = new PositionBook();
    book.applyFill(fill({ side: 'buy', amount: 2, price: 0.02, feeCoin: 0.001, indexPrice: 90_000 }));
    book.applyFill(fill({ instrumentName: 'ETH-26JUN26-3000-P', side: 'sell', amount: 1, price: 0.1, indexPrice: 3_000 }));
    book.setMarks((name) => (name === OPTION ? 0.03 : undefined));
    const [btc, eth] = book.totals();
    expect(btc).toMatchObject({ currency: 'BTC', indexPriceUsd: 90_000 });
    expect(btc!.unrealizedPnlCoin).toBeCloseTo(0.02, 12);
    expect(btc!.netPnlCoin).toBeCloseTo(0.019, 12);
    expect(btc!.netPnlUsd).toBeCloseTo(0.019 * 90_000, 6);
    expect(eth).toMatchObject({ currency: 'ETH', unrealizedPnlCoin: 0, indexPriceUsd: 3_000 });
    book.setIndexPrice('BTC', 100_000);
    expect(book.totals()[0]!.netPnlUsd).toBeCloseTo(0.019 * 100_000, 6);
  });
  it('lists positions by venue and name, instruments first traded later included', () => {
    const book = new PositionBook();
    book.applyFill(fill({ instrumentName: OPTION, side: 'buy', amount: 1, price: 0.02 }));
    expect(book.positions().map((p) => p.instrumentName)).toEqual([OPTION]);
    book.applyFill(fill({ instrumentName: FUTURE, side: 'sell', amount: 10, price: 95_000 }));
    book.applyFill(fill({ venueId: 'other', instrumentName: 'BTC-26JUN26-3000-P', side: 'buy', amount: 1, price: 0.1 }));
    expect(book.positions().map((p) => `${p.venueId} ${p.instrumentName}`)).toEqual(['other BTC-26JUN26-3000-P', `sim ${OPTION}`, `sim ${FUTURE}`]);
    // The views are of the moment: a mark set after one listing shows in the next.
    book.setMarks((name) => (name === OPTION ? 0.03 : undefined));
    const option = book.positions().find((p) => p.instrumentName === OPTION)!;
    expect(option.markPrice).toBe(0.03);
    expect(option.unrealizedPnlCoin).toBeCloseTo(0.01, 12);
  });

  it('lists the held positions in the same order, one array until a size changes', () => {
    const book = new PositionBook();
    book.applyFill(fill({ instrumentName: OPTION, side: 'buy', amount: 1, price: 0.02 }));
    book.applyFill(fill({ instrumentName: FUTURE, side: 'sell', amount: 10, price: 95_000 }));
    const held = book.held();
    expect(held).toEqual([
      { venueId: 'sim', instrumentName: OPTION, size: 1 },
      { venueId: 'sim', instrumentName: FUTURE, size: -10 },
    ]);
    // Marks and fees move nothing held.
    book.setMarks(() => 0.03);
    expect(book.held()).toBe(held);
    book.applyFill(fill({ instrumentName: OPTION, side: 'sell', amount: 1, price: 0.03 }));
    expect(book.held()).toEqual([{ venueId: 'sim', instrumentName: FUTURE, size: -10 }]);
    const afterFill = book.held();
    book.reconcile('sim', [venuePosition(FUTURE, -20, 95_000)]);
    expect(book.held()).not.toBe(afterFill);
    expect(book.held().map((p) => p.size)).toEqual([-20]);
  });
});

describe('reconciliation with the venue’s positions', () => {
  it('adopts the venue’s size and average where sizes differ, and reports it', () => {
    const book = new PositionBook();
    book.applyFill(fill({ side: 'buy', amount: 1, price: 0.02 }));
    const differences = book.reconcile('sim', [venuePosition(OPTION, 1.5, 0.021, 0.025)]);
    expect(differences).toEqual([{ venueId: 'sim', instrumentName: OPTION, field: 'size', ours: 1, venue: 1.5 }]);
    expect(book.position('sim', OPTION)).toMatchObject({ size: 1.5, averagePrice: 0.021, markPrice: 0.025 });
    expect(book.reconcile('sim', [venuePosition(OPTION, 1.5, 0.021)])).toEqual([]);
  });

  it('tolerates rounding of the average price, adopts anything beyond', () => {
    const book = new PositionBook({ averagePriceTolerance: 1e-4 });
    book.applyFill(fill({ side: 'buy', amount: 1, price: 0.02 }));
    expect(book.reconcile('sim', [venuePosition(OPTION, 1, 0.020001)])).toEqual([]);
    expect(book.reconcile('sim', [venuePosition(OPTION, 1, 0.0205)])).toEqual([{ venueId: 'sim', instrumentName: OPTION, field: 'averagePrice', ours: 0.02, venue: 0.0205 }]);
    expect(book.position('sim', OPTION)!.averagePrice).toBe(0.0205);
  });

  it('flattens what the venue does not list, adopts what only the venue knows, and leaves other venues alone', () => {
    const book = new PositionBook();
    book.applyFill(fill({ side: 'buy', amount: 1, price: 0.02 }));
    book.applyFill(fill({ venueId: 'other', instrumentName: FUTURE, side: 'sell', amount: 100, price: 90_000 }));
    const differences = book.reconcile('sim', [venuePosition(FUTURE, -50, 91_000), venuePosition('BTC-25DEC26', 0, 0)]);
    expect(differences).toEqual([
      { venueId: 'sim', instrumentName: FUTURE, field: 'size', ours: 0, venue: -50 },
      { venueId: 'sim', instrumentName: OPTION, field: 'size', ours: 1, venue: 0 },
    ]);
    expect(book.position('sim', OPTION)).toMatchObject({ size: 0, averagePrice: 0, realizedPnlCoin: 0 });
    expect(book.position('sim', 'BTC-25DEC26')).toBeUndefined();
    expect(book.position('other', FUTURE)!.size).toBe(-100);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

/** Fills on a venue's grids: options 0.1 coin lots at 0.0005 ticks; futures 10 USD lots at 0.5 ticks. */
function fillsOf(kind: PositionKind, maxLength = 30): fc.Arbitrary<Fill[]> {
  const instrumentName = kind === 'option' ? OPTION : FUTURE;
  const one = fc.record({
    buy: fc.boolean(),
    lots: fc.integer({ min: 1, max: 50 }),
    ticks: kind === 'option' ? fc.integer({ min: 1, max: 400 }) : fc.integer({ min: 60_000, max: 240_000 }),
    feeCoin: fc.double({ min: -0.0001, max: 0.001, noNaN: true }),
  });
  return fc.array(one, { minLength: 1, maxLength }).map((raw) =>
    raw.map((r, i) =>
      fill({
        tradeId: `p${i}`,
        instrumentName,
        side: r.buy ? 'buy' : 'sell',
        amount: kind === 'option' ? r.lots / 10 : r.lots * 10,
        price: kind === 'option' ? r.ticks * 0.0005 : r.ticks * 0.5,
        feeCoin: r.feeCoin,
        tsMs: i,
      }),
    ),
  );
}

const kinds = fc.constantFrom<PositionKind>('option', 'future');

/** Exact signed sum in integer lots, back in venue units. */
function signedSum(fills: readonly Fill[], kind: PositionKind): number {
  const lots = fills.reduce((sum, f) => sum + (f.side === 'buy' ? 1 : -1) * Math.round(kind === 'option' ? f.amount * 10 : f.amount / 10), 0);
  return kind === 'option' ? lots / 10 : lots * 10;
}

describe('position book properties', () => {
  it('size is the signed sum of the fills, whatever their order and however often each is delivered', () => {
    fc.assert(
      fc.property(
        kinds.chain((kind) =>
          fillsOf(kind).chain((fills) =>
            fc.tuple(fc.constant(kind), fc.constant(fills), fc.shuffledSubarray(fills, { minLength: fills.length }), fc.array(fc.nat({ max: fills.length - 1 }), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 })),
          ),
        ),
        ([kind, fills, permuted, duplicates, positions]) => {
          const delivery = [...permuted];
          duplicates.forEach((index, i) => delivery.splice((positions[i] ?? 0) % (delivery.length + 1), 0, fills[index]!));
          const book = new PositionBook();
          for (const f of delivery) book.applyFill(f);
          const position = book.position('sim', fills[0]!.instrumentName)!;
          expect(position.size).toBe(signedSum(fills, kind));
          expect(position.fillCount).toBe(fills.length);
          expect(position.feesCoin).toBeCloseTo(fills.reduce((sum, f) => sum + f.feeCoin, 0), 12);
        },
      ),
      { seed: 20260115, numRuns: 300 },
    );
  });

  it('realized + unrealized PnL is what closing everything at the mark would realize', () => {
    fc.assert(
      fc.property(
        kinds.chain((kind) => fc.tuple(fc.constant(kind), fillsOf(kind), kind === 'option' ? fc.integer({ min: 1, max: 400 }).map((t) => t * 0.0005) : fc.integer({ min: 60_000, max: 240_000 }).map((t) => t * 0.5))),
        ([, fills, markPrice]) => {
          const book = new PositionBook();
          for (const f of fills) book.applyFill(f);
          const instrumentName = fills[0]!.instrumentName;
          book.setMarks((name) => (name === instrumentName ? markPrice : undefined));
          const before = book.position('sim', instrumentName)!;
          const promised = before.realizedPnlCoin + before.unrealizedPnlCoin;
          if (before.size !== 0) book.applyFill(fill({ instrumentName, side: before.size > 0 ? 'sell' : 'buy', amount: Math.abs(before.size), price: markPrice, tsMs: 1e6 }));
          const after = book.position('sim', instrumentName)!;
          expect(after.size).toBe(0);
          expect(after.unrealizedPnlCoin).toBe(0);
          // Coin PnL of up to 30 fills of at most 5 coin (or 500 USD): far above 1e-9 of rounding.
          expect(after.realizedPnlCoin).toBeCloseTo(promised, 9);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('a round trip at one price realizes nothing but the fees', () => {
    fc.assert(
      fc.property(
        kinds.chain((kind) => fillsOf(kind, 1).map((fills) => [kind, fills[0]!] as const)),
        fc.double({ min: -0.0001, max: 0.001, noNaN: true }),
        ([, open], closingFee) => {
          const book = new PositionBook();
          book.applyFill(open);
          book.applyFill({ ...open, tradeId: 'close', side: open.side === 'buy' ? 'sell' : 'buy', feeCoin: closingFee });
          const position = book.position('sim', open.instrumentName)!;
          expect(position.size).toBe(0);
          expect(position.realizedPnlCoin).toBeCloseTo(0, 12);
          const [totals] = book.totals();
          expect(totals!.netPnlCoin).toBeCloseTo(-(open.feeCoin + closingFee), 12);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('agrees with the simulator’s position arithmetic (average, realized, floating PnL)', () => {
    fc.assert(
      fc.property(
        kinds.chain((kind) => fc.tuple(fc.constant(kind), fillsOf(kind), kind === 'option' ? fc.constant(0.0123) : fc.constant(95_000.5))),
        ([kind, fills, markPrice]) => {
          const instrument = { kind } as SimInstrument;
          let sim = { instrumentName: fills[0]!.instrumentName, size: 0, averagePrice: 0, realizedPnl: 0 };
          let ours = { size: 0, averagePrice: 0 };
          let realized = 0;
          for (const f of fills) {
            const signed = f.side === 'buy' ? f.amount : -f.amount;
            sim = simApplyFill(instrument, sim, signed, f.price).position;
            const next = applyToPosition(kind, ours, signed, f.price);
            ours = next;
            realized += next.realizedPnlCoin;
          }
          expect(ours.size).toBe(sim.size);
          expect(ours.averagePrice).toBeCloseTo(sim.averagePrice, 9);
          expect(realized).toBeCloseTo(sim.realizedPnl, 12);
          const simMark = { markPrice } as Parameters<typeof simFloatingPnl>[2];
          expect(unrealizedPnlCoin(kind, ours, markPrice)).toBeCloseTo(simFloatingPnl(instrument, sim, simMark), 12);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });
});
