import type { IndexRow, InstrumentRow, QuoteRow } from '../protocol/index.ts';
import type { PublicTrade, TickerUpdate, VenueEvent } from '../venues/venue-adapter.ts';
import type { BookStatus } from './l2-book.ts';
import { L2Book } from './l2-book.ts';

/** Trades kept per instrument for the ladder. */
const LAST_TRADES = 20;

/**
 * The engine's view of every venue's market data: instruments, L2 books, tickers and indices,
 * folded into one QuoteRow per instrument. Applying a venue event returns what changed and what
 * must be asked of the venue (a resnapshot after a gap), so the kernel stays free of I/O.
 */
export interface MarketDataChanges {
  readonly quotes: readonly string[];
  readonly instruments: readonly string[];
  readonly removedInstruments: readonly string[];
  readonly indices: readonly string[];
  readonly resnapshot: readonly string[];
  /** Instruments with new public trades. */
  readonly trades?: readonly string[];
}

const NO_CHANGES: MarketDataChanges = { quotes: [], instruments: [], removedInstruments: [], indices: [], resnapshot: [] };

const TICKER_FIELDS = ['instrumentName', 'tsMs', 'markPrice', 'markIv', 'bidIv', 'askIv', 'lastPrice', 'underlyingPrice', 'delta', 'gamma', 'vegaUsd', 'thetaUsd', 'fundingRate8h'] as const;
type Uncopied = Exclude<keyof TickerUpdate, (typeof TICKER_FIELDS)[number]>;
export const TICKER_FIELDS_COPIED: [Uncopied] extends [never] ? readonly (keyof TickerUpdate)[] : never = TICKER_FIELDS;

/** 10^decimals that prints every multiple of a tick size exactly, by tick size. */
const tickScales = new Map<number, number>();

function tickScale(tickSize: number): number {
  let scale = tickScales.get(tickSize);
  if (scale === undefined) {
    scale = 10 ** Math.max(0, Math.ceil(-Math.log10(tickSize)) + 1);
    tickScales.set(tickSize, scale);
  }
  return scale;
}

/**
 * Printing a tick multiple exactly: 0.0005 * 7 would otherwise be 0.0035000000000000005. An
 * integer over a power of ten is the double nearest that decimal, as Number(x.toFixed(d)) is,
 * without the string.
 */
function roundToScaledTick(ticks: number, tickSize: number, scale: number): number {
  return Math.round(ticks * tickSize * scale) / scale;
}

export function roundToTick(ticks: number, tickSize: number): number {
  return roundToScaledTick(ticks, tickSize, tickScale(tickSize));
}

/** Why a book in this status is stale (a quote row's staleReason), undefined when it is live. */
function staleReasonOf(status: BookStatus): string | undefined {
  if (status.state === 'live') return undefined;
  return status.state === 'stale' ? status.reason : 'no snapshot yet';
}

/** What the engine holds of one listed instrument: one lookup finds it all (every quoted frame reads it). */
interface Listed {
  instrument: InstrumentRow;
  /** tickScale of its tick size. */
  scale: number;
  readonly book: L2Book;
  ticker: TickerUpdate | undefined;
  /** quote()'s row, built when read after its book or ticker changed (outdated): a burst of changes between two publications costs one rebuild. */
  row: QuoteRow | undefined;
  outdated: boolean;
}

/** What quoteFields writes. */
export interface QuoteFields {
  bidPrice: number;
  askPrice: number;
  markPrice: number;
  underlyingPrice: number;
  stale: boolean;
}

export class MarketData {
  readonly #instruments = new Map<string, InstrumentRow>();
  /** Every listed instrument's book and ticker, by name (its keys are #instruments'). */
  readonly #listed = new Map<string, Listed>();
  readonly #indices = new Map<string, IndexRow>();
  /** The latest trades per instrument, newest first (the ladder's last trades). */
  readonly #trades = new Map<string, PublicTrade[]>();

  instrument(name: string): InstrumentRow | undefined {
    return this.#instruments.get(name);
  }

  instrumentsMap(): ReadonlyMap<string, InstrumentRow> {
    return this.#instruments;
  }

  indicesMap(): ReadonlyMap<string, IndexRow> {
    return this.#indices;
  }

  quote(name: string): QuoteRow | undefined {
    const listed = this.#listed.get(name);
    if (!listed) return undefined;
    if (listed.outdated) {
      listed.outdated = false;
      this.#rebuild(name, listed);
    }
    return listed.row;
  }

  /**
   * The fields of quote(name) the quoter reads, without building the row (it runs on every quoted
   * frame): written into `out`, NaN where quote() has none; false (out untouched) for an unknown
   * instrument or one with no book.
   */
  quoteFields(name: string, out: QuoteFields): boolean {
    const listed = this.#listed.get(name);
    if (!listed) return false;
    const { book, ticker, instrument, scale } = listed;
    const bid = book.bestBidTicks();
    const ask = book.bestAskTicks();
    out.stale = book.status.state !== 'live';
    out.bidPrice = bid === undefined ? NaN : roundToScaledTick(bid, instrument.tickSize, scale);
    out.askPrice = ask === undefined ? NaN : roundToScaledTick(ask, instrument.tickSize, scale);
    out.markPrice = ticker?.markPrice ?? NaN;
    out.underlyingPrice = ticker?.underlyingPrice ?? NaN;
    return true;
  }

  /** The instrument's latest ticker as the venue sent it (marks, IVs, forward): a read of quote()'s ticker fields without building the row. */
  ticker(name: string): TickerUpdate | undefined {
    return this.#listed.get(name)?.ticker;
  }

  /**
   * Why quotes on the instrument are stale (quote(name)'s staleReason, or that it has no book),
   * undefined when its book is live: without building the row (every order's check reads it).
   */
  staleReason(name: string): string | undefined {
    const listed = this.#listed.get(name);
    return listed ? staleReasonOf(listed.book.status) : 'no market data';
  }

  lastTrades(name: string): readonly PublicTrade[] {
    return this.#trades.get(name) ?? [];
  }

  index(indexName: string): IndexRow | undefined {
    return this.#indices.get(indexName);
  }

  book(name: string): L2Book | undefined {
    return this.#listed.get(name)?.book;
  }

  apply(event: VenueEvent): MarketDataChanges {
    switch (event.type) {
      case 'StatusChanged':
        return NO_CHANGES;
      case 'InstrumentsListed': {
        const listed = new Set(event.instruments.map((instrument) => instrument.instrumentName));
        const removed: string[] = [];
        for (const [name, instrument] of this.#instruments) {
          if (instrument.venueId === event.instruments[0]?.venueId && !listed.has(name)) {
            this.#instruments.delete(name);
            this.#listed.delete(name);
            this.#trades.delete(name);
            removed.push(name);
          }
        }
        for (const instrument of event.instruments) {
          this.#instruments.set(instrument.instrumentName, instrument);
          const listed = this.#listed.get(instrument.instrumentName);
          if (listed) {
            listed.instrument = instrument;
            listed.scale = tickScale(instrument.tickSize);
          } else this.#listed.set(instrument.instrumentName, { instrument, scale: tickScale(instrument.tickSize), book: new L2Book(instrument.instrumentName), ticker: undefined, row: undefined, outdated: false });
        }
        return { ...NO_CHANGES, instruments: [...listed], removedInstruments: removed };
      }
      case 'BookSnapshot': {
        const listed = this.#listed.get(event.instrumentName);
        if (!listed) return NO_CHANGES;
        listed.book.applySnapshot(event.changeId, event.bids, event.asks, event.tsMs);
        listed.outdated = true;
        return this.#quoteChanged(event.instrumentName, listed.book.status.state === 'stale');
      }
      case 'BookChanged': {
        const listed = this.#listed.get(event.instrumentName);
        if (!listed) return NO_CHANGES;
        const wasLive = listed.book.status.state === 'live';
        const status = listed.book.applyChange(event.prevChangeId, event.changeId, event.bids, event.asks, event.tsMs);
        listed.outdated = true;
        // Ask for a snapshot once, when the book turns stale, not for every change after it.
        return this.#quoteChanged(event.instrumentName, wasLive && status.state === 'stale');
      }
      case 'TickerUpdated':
        return this.applyTicker(event.ticker) ? this.#quoteChanged(event.ticker.instrumentName, false) : NO_CHANGES;
      case 'PublicTrades': {
        const names = new Set<string>();
        for (const trade of event.trades) {
          if (!this.#instruments.has(trade.instrumentName)) continue;
          const list = this.#trades.get(trade.instrumentName) ?? [];
          list.unshift(trade);
          if (list.length > LAST_TRADES) list.length = LAST_TRADES;
          this.#trades.set(trade.instrumentName, list);
          names.add(trade.instrumentName);
        }
        return { ...NO_CHANGES, trades: [...names] };
      }
      case 'IndexUpdated':
        this.#indices.set(event.index.indexName, event.index);
        return { ...NO_CHANGES, indices: [event.index.indexName] };
      case 'FeedLost': {
        const changed: string[] = [];
        for (const [name, listed] of this.#listed) {
          if (listed.book.status.state === 'stale') continue;
          listed.book.markStale(`feed lost: ${event.reason}`);
          listed.outdated = true;
          changed.push(name);
        }
        return { ...NO_CHANGES, quotes: changed };
      }
      case 'OrderReported':
      case 'OrderRequestFailed':
      case 'OrderRequestLost':
      case 'OrdersReconciled':
      case 'FillReported':
      case 'PositionsReconciled':
      case 'AccountUpdated':
      case 'VenueWarning':
      case 'MmpConfigured':
      case 'MmpTriggered':
      case 'MmpReset':
      case 'MmpRequestFailed':
        return NO_CHANGES;
    }
  }

  /** A ticker, folded in without building a change record (apply's TickerUpdated, for the hot path): false when the instrument is not listed. */
  applyTicker(ticker: TickerUpdate): boolean {
    const listed = this.#listed.get(ticker.instrumentName);
    if (!listed) return false;
    listed.ticker = ticker;
    listed.outdated = true;
    return true;
  }

  #quoteChanged(name: string, resnapshot: boolean): MarketDataChanges {
    return { ...NO_CHANGES, quotes: [name], resnapshot: resnapshot ? [name] : [] };
  }

  #rebuild(name: string, listed: Listed): void {
    const { instrument, book, ticker } = listed;
    const status = book.status;
    const bid = book.bestBidTicks();
    const ask = book.bestAskTicks();
    const row: { -readonly [K in keyof QuoteRow]: QuoteRow[K] } = {
      instrumentName: name,
      tsMs: Math.max(book.updatedTsMs, ticker?.tsMs ?? 0),
      stale: status.state !== 'live',
    };
    const staleReason = staleReasonOf(status);
    if (staleReason !== undefined) row.staleReason = staleReason;
    if (bid !== undefined) {
      row.bidPrice = roundToScaledTick(bid, instrument.tickSize, listed.scale);
      row.bidAmount = book.amountAt('bid', bid)!;
    }
    if (ask !== undefined) {
      row.askPrice = roundToScaledTick(ask, instrument.tickSize, listed.scale);
      row.askAmount = book.amountAt('ask', ask)!;
    }
    if (ticker) {
      // Field by field rather than a rest spread: this runs for every quoted option's frame
      // (TICKER_FIELDS below fails to compile when TickerUpdate gains a field not copied here).
      if (ticker.markPrice !== undefined) row.markPrice = ticker.markPrice;
      if (ticker.markIv !== undefined) row.markIv = ticker.markIv;
      if (ticker.bidIv !== undefined) row.bidIv = ticker.bidIv;
      if (ticker.askIv !== undefined) row.askIv = ticker.askIv;
      if (ticker.lastPrice !== undefined) row.lastPrice = ticker.lastPrice;
      if (ticker.underlyingPrice !== undefined) row.underlyingPrice = ticker.underlyingPrice;
      if (ticker.delta !== undefined) row.delta = ticker.delta;
      if (ticker.gamma !== undefined) row.gamma = ticker.gamma;
      if (ticker.vegaUsd !== undefined) row.vegaUsd = ticker.vegaUsd;
      if (ticker.thetaUsd !== undefined) row.thetaUsd = ticker.thetaUsd;
      if (ticker.fundingRate8h !== undefined) row.fundingRate8h = ticker.fundingRate8h;
    }
    listed.row = row;
  }
}
