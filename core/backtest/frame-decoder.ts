import type { InstrumentRow } from '../protocol/index.ts';
import type { BookMessage } from '../venues/deribit/parse.ts';
import { parseBook, parseIndex, parseInstruments, parseTicker, priceToTicks, scanBookFrame, scanTickerFrame } from '../venues/deribit/parse.ts';
import type { RecordLine } from '../venues/recorder/format.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';

/**
 * Recorded Deribit frames into VenueEvents with the adapter's own parsers (parse.ts): the book and
 * ticker fast paths first (scanBookFrame, scanTickerFrame), then the generic JSON path dispatching
 * on the channel as the adapter's #onNotification does. Public trades, which the adapter does not
 * subscribe to, become MarketTrades for the fill simulator. Responses are matched to their
 * requests through the recorded outbound lines (only instrument lists matter here).
 */

/** One public trade: `direction` is the aggressor's side. */
export interface MarketTrade {
  readonly instrumentName: string;
  readonly tradeId: string;
  readonly price: number;
  readonly priceTicks: number;
  readonly amount: number;
  readonly direction: 'buy' | 'sell';
  readonly indexPrice: number | undefined;
  readonly tsMs: number;
}

export interface DecodeSink {
  event(event: VenueEvent): void;
  trade(trade: MarketTrade): void;
}

export interface DecoderStats {
  frames: number;
  events: number;
  trades: number;
  ignored: number;
  malformed: number;
}

export class FrameDecoder {
  readonly venueId: string;
  readonly stats: DecoderStats = { frames: 0, events: 0, trades: 0, ignored: 0, malformed: 0 };
  readonly #tickSizes = new Map<string, number>();
  readonly #instruments = new Map<string, InstrumentRow>();
  readonly #methods = new Map<number, string>();
  readonly #tickSizeOf = (name: string): number | undefined => this.#tickSizes.get(name);

  constructor(venueId: string) {
    this.venueId = venueId;
  }

  instrument(name: string): InstrumentRow | undefined {
    return this.#instruments.get(name);
  }

  get instrumentCount(): number {
    return this.#instruments.size;
  }

  decode(line: RecordLine, sink: DecodeSink): void {
    if (line.kind === 'out') {
      if (line.id !== undefined) this.#methods.set(line.id, line.method);
      return;
    }
    this.stats.frames += 1;
    const text = line.text;
    const book = scanBookFrame(text, this.#tickSizeOf);
    if (book) return this.#emitBook(book, sink);
    const ticker = scanTickerFrame(text);
    if (ticker) return this.#emit({ type: 'TickerUpdated', ticker }, sink);
    let message: { id?: unknown; method?: unknown; params?: { channel?: unknown; data?: unknown }; result?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.stats.malformed += 1;
      return;
    }
    if (typeof message !== 'object' || message === null) {
      this.stats.malformed += 1;
      return;
    }
    if (message.method === 'subscription' && typeof message.params?.channel === 'string') return this.#notification(message.params.channel, message.params.data, sink);
    if (typeof message.id === 'number' && this.#methods.get(message.id) === 'public/get_instruments' && message.result !== undefined) {
      this.#methods.delete(message.id);
      const parsed = parseInstruments(this.venueId, message.result);
      this.stats.malformed += parsed.rejected;
      for (const row of parsed.instruments) {
        this.#instruments.set(row.instrumentName, row);
        this.#tickSizes.set(row.instrumentName, row.tickSize);
      }
      // The adapter lists every currency's instruments at once: the list so far, as a whole.
      return this.#emit({ type: 'InstrumentsListed', instruments: [...this.#instruments.values()] }, sink);
    }
    this.stats.ignored += 1;
  }

  #notification(channel: string, data: unknown, sink: DecodeSink): void {
    if (channel.startsWith('book.')) {
      const book = parseBook(data, this.#tickSizeOf);
      if (book) this.#emitBook(book, sink);
      else this.stats.malformed += 1;
      return;
    }
    if (channel.startsWith('ticker.')) {
      const ticker = parseTicker(data);
      if (ticker) this.#emit({ type: 'TickerUpdated', ticker }, sink);
      else this.stats.malformed += 1;
      return;
    }
    if (channel.startsWith('deribit_price_index.')) {
      const index = parseIndex(data);
      if (index) this.#emit({ type: 'IndexUpdated', index: { ...index, currency: index.indexName.split('_')[0]!.toUpperCase() } }, sink);
      else this.stats.malformed += 1;
      return;
    }
    if (channel.startsWith('trades.')) {
      if (!Array.isArray(data)) {
        this.stats.malformed += 1;
        return;
      }
      for (const raw of data) {
        const trade = parseMarketTrade(raw, this.#tickSizeOf);
        if (!trade) {
          this.stats.malformed += 1;
          continue;
        }
        this.stats.trades += 1;
        sink.trade(trade);
      }
      return;
    }
    this.stats.ignored += 1;
  }

  #emitBook(book: BookMessage, sink: DecodeSink): void {
    if (book.type === 'snapshot') this.#emit({ type: 'BookSnapshot', instrumentName: book.instrumentName, changeId: book.changeId, bids: book.bids, asks: book.asks, tsMs: book.tsMs }, sink);
    else this.#emit({ type: 'BookChanged', instrumentName: book.instrumentName, prevChangeId: book.prevChangeId, changeId: book.changeId, bids: book.bids, asks: book.asks, tsMs: book.tsMs }, sink);
  }

  #emit(event: VenueEvent, sink: DecodeSink): void {
    this.stats.events += 1;
    sink.event(event);
  }
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** One entry of a `trades.*` notification (checked by hand: it is on the hot path). */
export function parseMarketTrade(raw: unknown, tickSizeOf: (name: string) => number | undefined): MarketTrade | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const d = raw as Record<string, unknown>;
  const instrumentName = d.instrument_name;
  const price = num(d.price);
  const amount = num(d.amount);
  const tsMs = num(d.timestamp);
  const direction = d.direction;
  const tradeId = d.trade_id;
  if (typeof instrumentName !== 'string' || price === undefined || amount === undefined || amount <= 0 || tsMs === undefined) return undefined;
  if (direction !== 'buy' && direction !== 'sell') return undefined;
  const tickSize = tickSizeOf(instrumentName);
  const priceTicks = tickSize === undefined ? undefined : priceToTicks(price, tickSize);
  if (priceTicks === undefined) return undefined;
  return { instrumentName, tradeId: typeof tradeId === 'string' || typeof tradeId === 'number' ? String(tradeId) : '', price, priceTicks, amount, direction, indexPrice: num(d.index_price), tsMs };
}
