import type { PositionRow, QuoteRow, TheoRow } from '../../../core/protocol/index.ts';
import type { ExpiryChain } from '../market/chain-index.ts';
import { atmStrike, expiryForward } from '../market/chain-index.ts';

/**
 * The chain grid's rows, one per strike, derived from the expiry's listing and the engine's
 * records: the venue's quotes, the strategy's theos (theo, our quotes) and our positions. Rows and
 * their sides are immutable and reused when nothing they carry changed, so "which rows changed" is
 * a reference comparison and the grid is given only those, by row id (the strike).
 */

export type OptionSide = 'call' | 'put';

export interface ChainSide {
  readonly instrumentName: string;
  readonly quote: QuoteRow | undefined;
  /** The strategy's theo and working quote for this option, when it prices it. */
  readonly theo: TheoRow | undefined;
  /** Our position's size (coin), when we hold one. Only the size: a mark move does not re-derive the row. */
  readonly position: number | undefined;
  /** In the money against the expiry's forward. */
  readonly itm: boolean;
  readonly selected: boolean;
}

export interface ChainRow {
  /** The strike as a string: the grid's row id. */
  readonly id: string;
  readonly strike: number;
  /** The listed strike nearest the forward. */
  readonly atm: boolean;
  readonly call: ChainSide | undefined;
  readonly put: ChainSide | undefined;
}

export interface ChainRows {
  readonly rows: readonly ChainRow[];
  /** Rows that are new objects compared with `previous` (all of them without one). */
  readonly changed: readonly ChainRow[];
  readonly forward: number | undefined;
  readonly atmStrike: number | undefined;
}

/** What the chain reads from the engine state. */
export interface ChainSources {
  readonly quotes: Readonly<Record<string, QuoteRow>>;
  readonly theos?: Readonly<Record<string, TheoRow>>;
  /** Keyed by instrument name, as the engine publishes them. */
  readonly positions?: Readonly<Record<string, PositionRow>>;
}

export function rowId(strike: number): string {
  return String(strike);
}

function deriveSide(name: string | undefined, sources: ChainSources, itm: boolean, selectedName: string | undefined, previous: ChainSide | undefined): ChainSide | undefined {
  if (name === undefined) return undefined;
  const quote = sources.quotes[name];
  const theo = sources.theos?.[name];
  const size = sources.positions?.[name]?.size;
  const position = size === undefined || size === 0 ? undefined : size;
  const selected = name === selectedName;
  if (
    previous &&
    previous.instrumentName === name &&
    previous.quote === quote &&
    previous.theo === theo &&
    previous.position === position &&
    previous.itm === itm &&
    previous.selected === selected
  ) {
    return previous;
  }
  return { instrumentName: name, quote, theo, position, itm, selected };
}

export function deriveChainRows(chain: ExpiryChain, sources: ChainSources, selectedName: string | undefined, previous?: ReadonlyMap<string, ChainRow>): ChainRows {
  const forward = expiryForward(chain, sources.quotes);
  const atm = atmStrike(chain.strikes, forward);
  const rows: ChainRow[] = [];
  const changed: ChainRow[] = [];
  for (const strike of chain.strikes) {
    const pair = chain.pairs.get(strike);
    const id = rowId(strike);
    const before = previous?.get(id);
    const call = deriveSide(pair?.call, sources, forward !== undefined && strike < forward, selectedName, before?.call);
    const put = deriveSide(pair?.put, sources, forward !== undefined && strike > forward, selectedName, before?.put);
    const isAtm = strike === atm;
    const row = before && before.call === call && before.put === put && before.atm === isAtm ? before : { id, strike, atm: isAtm, call, put };
    rows.push(row);
    if (row !== before) changed.push(row);
  }
  return { rows, changed, forward, atmStrike: atm };
}

export function rowsById(rows: readonly ChainRow[]): Map<string, ChainRow> {
  return new Map(rows.map((row) => [row.id, row]));
}

/** The forward to value a side's premium in USD: its own quote's underlying, else the expiry's. */
export function usdPerCoin(side: ChainSide | undefined, forward: number | undefined): number | undefined {
  return side?.quote?.underlyingPrice ?? forward;
}

/** Market mid: both sides of the book, else none. */
export function marketMid(quote: QuoteRow | undefined): number | undefined {
  if (quote?.bidPrice === undefined || quote.askPrice === undefined) return undefined;
  return (quote.bidPrice + quote.askPrice) / 2;
}

/**
 * The chain's edge: theo − market mid (coin per contract). Above 0 the market trades below our
 * theo (cheap: buying there earns edge); below 0 it is rich. Needs a two-sided book and a theo.
 */
export function marketEdge(side: ChainSide): number | undefined {
  const mid = marketMid(side.quote);
  const theo = side.theo?.theoPrice;
  return mid === undefined || theo === undefined || !Number.isFinite(theo) ? undefined : theo - mid;
}

/** The market edge in USD per contract, at the option's own underlying price. */
export function marketEdgeUsd(side: ChainSide): number | undefined {
  const edge = marketEdge(side);
  const underlying = side.quote?.underlyingPrice;
  return edge === undefined || underlying === undefined ? undefined : edge * underlying;
}

/** Our own quotes' edge against theo: what a fill of our bid (theo − bid) or ask (ask − theo) earns. */
export function quoteEdges(theo: TheoRow | undefined): { readonly bid: number | undefined; readonly ask: number | undefined } {
  if (!theo || !Number.isFinite(theo.theoPrice)) return { bid: undefined, ask: undefined };
  return {
    bid: theo.bidPrice === undefined ? undefined : theo.theoPrice - theo.bidPrice,
    ask: theo.askPrice === undefined ? undefined : theo.askPrice - theo.theoPrice,
  };
}
