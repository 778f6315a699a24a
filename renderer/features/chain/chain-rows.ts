import type { QuoteRow } from '../../../core/protocol/index.ts';
import type { ExpiryChain } from '../market/chain-index.ts';
import { atmStrike, expiryForward } from '../market/chain-index.ts';

/**
 * The chain grid's rows, one per strike, derived from the expiry's listing and the quotes record.
 * Rows and their sides are immutable and reused when nothing they carry changed, so "which rows
 * changed" is a reference comparison and the grid is given only those, by row id (the strike).
 *
 * Later topics (our quotes, theo, position) become more fields of `ChainSide`, compared the same
 * way; the grid then needs only new column definitions.
 */

export type OptionSide = 'call' | 'put';

export interface ChainSide {
  readonly instrumentName: string;
  readonly quote: QuoteRow | undefined;
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

export function rowId(strike: number): string {
  return String(strike);
}

function deriveSide(
  name: string | undefined,
  quotes: Readonly<Record<string, QuoteRow>>,
  itm: boolean,
  selectedName: string | undefined,
  previous: ChainSide | undefined,
): ChainSide | undefined {
  if (name === undefined) return undefined;
  const quote = quotes[name];
  const selected = name === selectedName;
  if (previous && previous.instrumentName === name && previous.quote === quote && previous.itm === itm && previous.selected === selected) return previous;
  return { instrumentName: name, quote, itm, selected };
}

export function deriveChainRows(
  chain: ExpiryChain,
  quotes: Readonly<Record<string, QuoteRow>>,
  selectedName: string | undefined,
  previous?: ReadonlyMap<string, ChainRow>,
): ChainRows {
  const forward = expiryForward(chain, quotes);
  const atm = atmStrike(chain.strikes, forward);
  const rows: ChainRow[] = [];
  const changed: ChainRow[] = [];
  for (const strike of chain.strikes) {
    const pair = chain.pairs.get(strike);
    const id = rowId(strike);
    const before = previous?.get(id);
    const call = deriveSide(pair?.call, quotes, forward !== undefined && strike < forward, selectedName, before?.call);
    const put = deriveSide(pair?.put, quotes, forward !== undefined && strike > forward, selectedName, before?.put);
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
