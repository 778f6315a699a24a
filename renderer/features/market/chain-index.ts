import type { IndexRow, InstrumentRow, QuoteRow } from '../../../core/protocol/index.ts';

/**
 * The option chain as panels need it: per underlying and expiry, the strikes and the call and put
 * listed at each. Built once per `instruments` record (that record is replaced only when a venue
 * lists or delists something), then read against the ticking `quotes` record by name.
 */

export interface StrikePair {
  readonly strike: number;
  readonly call: string | undefined;
  readonly put: string | undefined;
}

export interface ExpiryChain {
  readonly currency: string;
  /** The venue listing the expiry's options (the first one seen, should several list it). */
  readonly venueId: string;
  readonly expiryMs: number;
  /** Ascending. */
  readonly strikes: readonly number[];
  readonly pairs: ReadonlyMap<number, StrikePair>;
  /** Every option name of the expiry, calls then puts, for cheap change scans. */
  readonly names: readonly string[];
}

export interface ChainIndex {
  /** Currencies with listed options, sorted. */
  readonly currencies: readonly string[];
  /** Per currency, its expiries ascending. */
  readonly expiries: ReadonlyMap<string, readonly ExpiryChain[]>;
}

const EMPTY_INDEX: ChainIndex = { currencies: [], expiries: new Map() };
const cache = new WeakMap<object, ChainIndex>();

export function buildChainIndex(instruments: Readonly<Record<string, InstrumentRow>> | undefined): ChainIndex {
  if (!instruments) return EMPTY_INDEX;
  const cached = cache.get(instruments);
  if (cached) return cached;
  const byCurrency = new Map<string, Map<number, Map<number, { call?: string; put?: string }>>>();
  const venues = new Map<string, string>();
  for (const instrument of Object.values(instruments)) {
    if (instrument.kind !== 'option' || instrument.strike === undefined || instrument.optionType === undefined) continue;
    let expiries = byCurrency.get(instrument.currency);
    if (!expiries) byCurrency.set(instrument.currency, (expiries = new Map()));
    let strikes = expiries.get(instrument.expiryMs);
    if (!strikes) expiries.set(instrument.expiryMs, (strikes = new Map()));
    let pair = strikes.get(instrument.strike);
    if (!pair) strikes.set(instrument.strike, (pair = {}));
    pair[instrument.optionType] = instrument.instrumentName;
    const key = `${instrument.currency}@${instrument.expiryMs}`;
    if (!venues.has(key)) venues.set(key, instrument.venueId);
  }
  const expiries = new Map<string, ExpiryChain[]>();
  for (const [currency, byExpiry] of byCurrency) {
    const chains: ExpiryChain[] = [];
    for (const [expiryMs, byStrike] of byExpiry) {
      const strikes = [...byStrike.keys()].sort((a, b) => a - b);
      const pairs = new Map<number, StrikePair>();
      const calls: string[] = [];
      const puts: string[] = [];
      for (const strike of strikes) {
        const pair = byStrike.get(strike)!;
        pairs.set(strike, { strike, call: pair.call, put: pair.put });
        if (pair.call) calls.push(pair.call);
        if (pair.put) puts.push(pair.put);
      }
      chains.push({ currency, venueId: venues.get(`${currency}@${expiryMs}`) ?? '', expiryMs, strikes, pairs, names: [...calls, ...puts] });
    }
    chains.sort((a, b) => a.expiryMs - b.expiryMs);
    expiries.set(currency, chains);
  }
  const index: ChainIndex = { currencies: [...expiries.keys()].sort(), expiries };
  cache.set(instruments, index);
  return index;
}

export function findExpiry(index: ChainIndex, currency: string | undefined, expiryMs: number | undefined): ExpiryChain | undefined {
  if (currency === undefined || expiryMs === undefined) return undefined;
  return index.expiries.get(currency)?.find((chain) => chain.expiryMs === expiryMs);
}

/** The chain a panel shows by default: the first currency's nearest unexpired expiry. */
export function defaultChain(index: ChainIndex, nowMs: number, currency?: string): ExpiryChain | undefined {
  const chosen = currency !== undefined && index.expiries.has(currency) ? currency : index.currencies[0];
  if (chosen === undefined) return undefined;
  const chains = index.expiries.get(chosen) ?? [];
  return chains.find((chain) => chain.expiryMs > nowMs) ?? chains.at(-1);
}

/**
 * The expiry's forward as the venue reports it: options carry their expiry's underlying price
 * (Deribit: the matching future, or the synthetic one). The freshest quote that has one wins.
 */
export function expiryForward(chain: ExpiryChain, quotes: Readonly<Record<string, QuoteRow>>): number | undefined {
  let best: QuoteRow | undefined;
  for (const name of chain.names) {
    const quote = quotes[name];
    if (quote?.underlyingPrice === undefined || !Number.isFinite(quote.underlyingPrice)) continue;
    if (!best || quote.tsMs > best.tsMs) best = quote;
  }
  return best?.underlyingPrice;
}

/** The listed strike nearest the forward (the lower one on a tie), or undefined without a forward. */
export function atmStrike(strikes: readonly number[], forward: number | undefined): number | undefined {
  if (forward === undefined || strikes.length === 0) return undefined;
  let best = strikes[0]!;
  for (const strike of strikes) if (Math.abs(strike - forward) < Math.abs(best - forward)) best = strike;
  return best;
}

/** The currency's spot index (`btc_usd` for BTC), whatever else the venue publishes. */
export function indexFor(indices: Readonly<Record<string, IndexRow>> | undefined, currency: string | undefined): IndexRow | undefined {
  if (!indices || currency === undefined) return undefined;
  const preferred = indices[`${currency.toLowerCase()}_usd`];
  if (preferred) return preferred;
  return Object.values(indices).find((index) => index.currency === currency);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Deribit's date style, in UTC (expiries are at 08:00 UTC): "27 NOV 26". */
export function expiryDate(expiryMs: number): string {
  const date = new Date(expiryMs);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** Time left: hours under a day, days with a decimal under ten days, whole days after. */
export function timeToExpiry(expiryMs: number, nowMs: number): string {
  const leftMs = expiryMs - nowMs;
  if (leftMs <= 0) return 'expired';
  if (leftMs < DAY_MS) return `${Math.max(1, Math.round(leftMs / HOUR_MS))}h`;
  const days = leftMs / DAY_MS;
  return days < 10 ? `${days.toFixed(1)}d` : `${Math.round(days)}d`;
}

/** "27 NOV 26 · 5.7d" */
export function expiryLabel(expiryMs: number, nowMs: number): string {
  return `${expiryDate(expiryMs)} · ${timeToExpiry(expiryMs, nowMs)}`;
}

/** The short form for tight axes: "27NOV". */
export function expiryShort(expiryMs: number): string {
  const date = new Date(expiryMs);
  return `${date.getUTCDate()}${MONTHS[date.getUTCMonth()]}`;
}
