import type { MarketData } from '../marketdata/market-data.ts';
import type { BookRow } from '../protocol/index.ts';
import { KeyedTopic } from './keyed-topic.ts';

/** Books published with depth at once (the ladders open); the oldest watch lapses first. */
const WATCHED_BOOKS = 8;
const BOOK_DEPTH = 20;

/** The depth of the few books someone watches (WatchBook), republished as they change. */
export class BookWatch {
  readonly topic = new KeyedTopic<BookRow>();
  readonly #watched: string[] = [];

  constructor(private readonly marketData: MarketData) {}

  watch(instrumentName: string): void {
    const at = this.#watched.indexOf(instrumentName);
    if (at >= 0) this.#watched.splice(at, 1);
    this.#watched.push(instrumentName);
    while (this.#watched.length > WATCHED_BOOKS) this.topic.delete(this.#watched.shift()!);
    this.#publish(instrumentName);
  }

  /** Before a publication: the watched books whose quotes or trades changed are republished. */
  refresh(changed: ReadonlySet<string>): void {
    for (const name of this.#watched) if (changed.has(name)) this.#publish(name);
  }

  #publish(instrumentName: string): void {
    const book = this.marketData.book(instrumentName);
    const instrument = this.marketData.instrument(instrumentName);
    if (!book || !instrument) return;
    const decimals = Math.max(0, -Math.floor(Math.log10(instrument.tickSize)) + 1);
    const side = (s: 'bid' | 'ask') => book.levels(s, BOOK_DEPTH).map(([ticks, amount]) => [Number((ticks * instrument.tickSize).toFixed(decimals)), amount] as const);
    const lastTrades = this.marketData.lastTrades(instrumentName).map((t) => ({ price: t.price, amount: t.amount, takerSide: t.takerSide, tsMs: t.tsMs }));
    this.topic.set(instrumentName, { instrumentName, bids: side('bid'), asks: side('ask'), lastTrades, stale: book.status.state !== 'live', tsMs: book.updatedTsMs });
  }
}
