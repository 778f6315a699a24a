import { describe, expect, it } from 'vitest';
import type { PositionRow, QuoteRow, TheoRow } from '../../../core/protocol/index.ts';
import { buildChainIndex, findExpiry } from '../market/chain-index.ts';
import { chainInstruments, EXPIRY_A, instrumentsOf, option, quote } from '../market/test-fixtures.ts';
import type { ChainSide } from './chain-rows.ts';
import { deriveChainRows, marketEdge, marketEdgeUsd, marketMid, quoteEdges, rowsById, usdPerCoin } from './chain-rows.ts';

const chain = findExpiry(buildChainIndex(instrumentsOf([...chainInstruments('BTC', EXPIRY_A, [94_000, 95_000, 96_000]), option('BTC', EXPIRY_A, 97_000, 'call')])), 'BTC', EXPIRY_A)!;
const C = (strike: number) => `BTC-27NOV26-${strike}-C`;
const P = (strike: number) => `BTC-27NOV26-${strike}-P`;

function quotesAt(forward: number): Record<string, QuoteRow> {
  const quotes: Record<string, QuoteRow> = {};
  for (const name of chain.names) quotes[name] = quote(name, { underlyingPrice: forward, bidPrice: 0.01, askPrice: 0.011, markIv: 0.5 });
  return quotes;
}

describe('chain rows', () => {
  it('makes one row per strike, ascending, id = strike, with calls and puts', () => {
    const { rows, changed, forward, atmStrike } = deriveChainRows(chain, { quotes: quotesAt(95_300) }, undefined);
    expect(rows.map((row) => row.id)).toEqual(['94000', '95000', '96000', '97000']);
    expect(changed).toEqual(rows);
    expect(forward).toBe(95_300);
    expect(atmStrike).toBe(95_000);
    expect(rows[1]!.call?.instrumentName).toBe(C(95_000));
    expect(rows[1]!.put?.quote?.bidPrice).toBe(0.01);
    expect(rows[3]!.put).toBeUndefined();
  });

  it('flags the ATM row and the in-the-money side against the forward', () => {
    const { rows } = deriveChainRows(chain, { quotes: quotesAt(95_300) }, undefined);
    expect(rows.map((row) => row.atm)).toEqual([false, true, false, false]);
    expect(rows.map((row) => row.call?.itm)).toEqual([true, true, false, false]);
    expect(rows.map((row) => row.put?.itm)).toEqual([false, false, true, undefined]);
    const none = deriveChainRows(chain, { quotes: {} }, undefined);
    expect(none.rows.every((row) => !row.atm && !row.call?.itm && !row.put?.itm)).toBe(true);
    expect(none.forward).toBeUndefined();
  });

  it('reuses unchanged rows so only changed ones reach the grid', () => {
    const quotes = quotesAt(95_300);
    const first = deriveChainRows(chain, { quotes: quotes }, undefined);
    const same = deriveChainRows(chain, { quotes: quotes }, undefined, rowsById(first.rows));
    expect(same.changed).toEqual([]);
    expect(same.rows[0]).toBe(first.rows[0]);

    // applyChanges replaces only the entries that changed: one put ticks.
    const ticked = { ...quotes, [P(96_000)]: { ...quotes[P(96_000)]!, bidPrice: 0.012 } };
    const next = deriveChainRows(chain, { quotes: ticked }, undefined, rowsById(first.rows));
    expect(next.changed.map((row) => row.id)).toEqual(['96000']);
    expect(next.rows[2]!.call).toBe(first.rows[2]!.call);
    expect(next.rows[2]!.put?.quote?.bidPrice).toBe(0.012);
  });

  it('moves the ATM flag and the moneyness with the forward', () => {
    const first = deriveChainRows(chain, { quotes: quotesAt(95_300) }, undefined);
    const moved = deriveChainRows(chain, { quotes: quotesAt(95_700) }, undefined, rowsById(first.rows));
    expect(moved.atmStrike).toBe(96_000);
    expect(moved.rows.map((row) => row.atm)).toEqual([false, false, true, false]);
  });

  it('marks the selected side and changes only the rows it leaves and enters', () => {
    const quotes = quotesAt(95_300);
    const first = deriveChainRows(chain, { quotes: quotes }, C(94_000));
    expect(first.rows[0]!.call?.selected).toBe(true);
    expect(first.rows[0]!.put?.selected).toBe(false);
    const moved = deriveChainRows(chain, { quotes: quotes }, P(96_000), rowsById(first.rows));
    expect(moved.changed.map((row) => row.id)).toEqual(['94000', '96000']);
    expect(moved.rows[2]!.put?.selected).toBe(true);
  });

  it('values a premium in USD at its own underlying, else the forward', () => {
    const { rows } = deriveChainRows(chain, { quotes: quotesAt(95_300) }, undefined);
    expect(usdPerCoin(rows[0]!.call, 1)).toBe(95_300);
    expect(usdPerCoin({ instrumentName: 'x', quote: undefined, theo: undefined, position: undefined, itm: false, selected: false }, 95_000)).toBe(95_000);
    expect(usdPerCoin(undefined, undefined)).toBeUndefined();
  });

  it('carries our theo and position, and re-derives a row only when they change', () => {
    const quotes = quotesAt(95_300);
    const theos: Record<string, TheoRow> = { [C(95_000)]: theo(C(95_000), 0.0105) };
    const positions: Record<string, PositionRow> = { [P(94_000)]: position(P(94_000), -0.3), [C(96_000)]: position(C(96_000), 0) };
    const first = deriveChainRows(chain, { quotes, theos, positions }, undefined);
    expect(first.rows[1]!.call?.theo?.theoPrice).toBe(0.0105);
    expect(first.rows[0]!.put?.position).toBe(-0.3);
    // A closed position (size 0) shows as none.
    expect(first.rows[2]!.call?.position).toBeUndefined();

    // A mark move re-publishes the position with the same size: nothing to redraw.
    const marked = { ...positions, [P(94_000)]: { ...positions[P(94_000)]!, markPrice: 0.002, unrealizedPnlCoin: 0.0001 } };
    expect(deriveChainRows(chain, { quotes, theos, positions: marked }, undefined, rowsById(first.rows)).changed).toEqual([]);

    const requoted = { ...theos, [C(95_000)]: theo(C(95_000), 0.0107) };
    const traded = { ...positions, [P(94_000)]: position(P(94_000), -0.5) };
    const next = deriveChainRows(chain, { quotes, theos: requoted, positions: traded }, undefined, rowsById(first.rows));
    expect(next.changed.map((row) => row.id)).toEqual(['94000', '95000']);
    expect(next.rows[0]!.put?.position).toBe(-0.5);
  });

  it('measures edge as theo minus the market mid, and our quotes against theo', () => {
    const base: ChainSide = { instrumentName: C(95_000), quote: quote(C(95_000), { bidPrice: 0.01, askPrice: 0.011 }), theo: theo(C(95_000), 0.0108), position: undefined, itm: false, selected: false };
    expect(marketMid(base.quote)).toBeCloseTo(0.0105, 12);
    expect(marketEdge(base)).toBeCloseTo(0.0003, 12);
    expect(marketEdge({ ...base, theo: theo(C(95_000), 0.0101) })).toBeCloseTo(-0.0004, 12);
    expect(marketEdge({ ...base, quote: quote(C(95_000), { bidPrice: 0.01 }) })).toBeUndefined();
    expect(marketEdge({ ...base, theo: undefined })).toBeUndefined();
    expect(marketEdgeUsd({ ...base, quote: { ...base.quote!, underlyingPrice: 100_000 } })).toBeCloseTo(30, 9);
    expect(marketEdgeUsd(base)).toBeUndefined();
    const edges = quoteEdges({ ...theo(C(95_000), 0.0108), bidPrice: 0.0100, askPrice: 0.0115 });
    expect(edges.bid).toBeCloseTo(0.0008, 12);
    expect(edges.ask).toBeCloseTo(0.0007, 12);
    expect(quoteEdges({ ...theo(C(95_000), 0.0108), bidOff: 'max position' })).toEqual({ bid: undefined, ask: undefined });
    expect(quoteEdges(undefined)).toEqual({ bid: undefined, ask: undefined });
  });
});

function theo(instrumentName: string, theoPrice: number): TheoRow {
  return { instrumentName, theoPrice, theoIv: 0.5 };
}

function position(instrumentName: string, size: number): PositionRow {
  return { instrumentName, venueId: 'sim', currency: 'BTC', size, averagePrice: 0.01, realizedPnlCoin: 0, unrealizedPnlCoin: 0, feesCoin: 0, deltaCoin: 0, vegaUsdPerVolPt: 0, updatedTsMs: 1 };
}
