import type { Clock } from '../../model/clock.ts';
import type { SimExchange } from '../exchange/exchange.ts';
import type { ExchangeEvent, SimOrder, SimTrade } from '../exchange/types.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';
import type { Channel, InstrumentScope, KindScope } from './channels.ts';
import { scopeMatches } from './channels.ts';
import type { MarketView } from './render.ts';
import { bookLevels, renderAccountSummary, renderOrder, renderPosition, renderPublicTrade, renderUserTrade, tickerFor } from './render.ts';
import type { Session } from './session.ts';
import { notificationText } from './session.ts';

/**
 * Fans the exchange's changes out to subscribed sessions in Deribit's notification formats.
 * Raw channels publish per exchange change; 100 ms channels are aggregated and flushed by `tick`.
 * Book feeds carry change_id / prev_change_id so a client can detect a gap.
 */

type Levels = Map<number, number>;

interface BookFeed {
  levels: { bids: Levels; asks: Levels };
  changeId: number;
}

type LevelAction = readonly ['new' | 'change' | 'delete', number, number];

const MARKPRICE_INTERVAL_MS = 1000;

function toMap(levels: ReadonlyArray<readonly [number, number]>): Levels {
  return new Map(levels.map(([price, amount]) => [price, amount]));
}

function diffSide(before: Levels, after: Levels, descending: boolean): LevelAction[] {
  const actions: LevelAction[] = [];
  for (const [price, amount] of after) {
    const previous = before.get(price);
    if (previous === undefined) actions.push(['new', price, amount]);
    else if (previous !== amount) actions.push(['change', price, amount]);
  }
  for (const price of before.keys()) if (!after.has(price)) actions.push(['delete', price, 0]);
  return actions.sort((a, b) => (descending ? b[1] - a[1] : a[1] - b[1]));
}

export class Publisher {
  readonly #sessions = new Set<Session>();
  readonly #rawBooks = new Map<string, BookFeed>();
  readonly #slowBooks = new Map<string, BookFeed>();
  readonly #dirtyBooks = new Set<string>();
  readonly #pendingTrades: SimTrade[] = [];
  readonly #pendingUser = new Map<string, { orders: SimOrder[]; trades: SimTrade[] }>();
  readonly #dirtyPortfolios = new Map<string, Set<Currency>>();
  /** Book feeds (`book.{instrument}.{interval}`) whose next change is to skip a change_id. */
  readonly #pendingGaps = new Set<string>();
  #changeCounter = 1;
  #lastMarkPriceMs = 0;

  constructor(
    private readonly exchange: SimExchange,
    private readonly market: MarketView,
    private readonly clock: Clock,
  ) {}

  addSession(session: Session): void {
    this.#sessions.add(session);
  }

  removeSession(session: Session): void {
    this.#sessions.delete(session);
  }

  /** Registers a subscription and sends what a new subscriber gets first (a book snapshot). */
  subscribe(session: Session, name: string, channel: Channel): void {
    session.subscriptions.set(name, channel);
    if (channel.type === 'book') {
      const feed = this.#feed(channel.interval === 'raw' ? this.#rawBooks : this.#slowBooks, channel.instrumentName);
      if (!feed) return;
      const instrument = this.exchange.instrument(channel.instrumentName)!;
      session.notify(name, {
        type: 'snapshot',
        timestamp: this.clock.nowMs(),
        instrument_name: instrument.instrumentName,
        change_id: feed.changeId,
        bids: [...feed.levels.bids].sort((a, b) => b[0] - a[0]).map(([price, amount]) => ['new', price, amount]),
        asks: [...feed.levels.asks].sort((a, b) => a[0] - b[0]).map(([price, amount]) => ['new', price, amount]),
      });
    }
  }

  /**
   * Fault injection: the next change published on the book feed of `instrumentName` (both
   * intervals unless one is named) carries a prev_change_id the subscribers never saw — as if one
   * change had been lost — so a client must detect the gap and resubscribe. Once per call.
   */
  injectGap(instrumentName: string, interval?: 'raw' | '100ms'): void {
    for (const each of interval ? [interval] : (['raw', '100ms'] as const)) this.#pendingGaps.add(`book.${instrumentName}.${each}`);
  }

  /** Forgets injected gaps not yet published. */
  clearGaps(): void {
    this.#pendingGaps.clear();
  }

  get pendingGaps(): readonly string[] {
    return [...this.#pendingGaps];
  }

  /** Current levels of a book feed; created (from the live book) on first use. */
  #feed(feeds: Map<string, BookFeed>, instrumentName: string): BookFeed | undefined {
    let feed = feeds.get(instrumentName);
    if (feed) return feed;
    const book = this.exchange.book(instrumentName);
    const instrument = this.exchange.instrument(instrumentName);
    if (!book || !instrument) return undefined;
    const levels = bookLevels(book, instrument);
    feed = { levels: { bids: toMap(levels.bids), asks: toMap(levels.asks) }, changeId: this.#changeCounter++ };
    feeds.set(instrumentName, feed);
    return feed;
  }

  /** Applies a batch of exchange events: raw feeds now, the rest at the next tick. */
  onExchangeEvents(events: readonly ExchangeEvent[]): void {
    const rawBooks = new Set<string>();
    for (const event of events) {
      switch (event.type) {
        case 'book':
          this.#dirtyBooks.add(event.instrumentName);
          rawBooks.add(event.instrumentName);
          break;
        case 'trade':
          this.#pendingTrades.push(event.trade);
          this.#publishRawTrades(event.trade);
          break;
        case 'order':
          this.#userBuffer(event.order.accountId).orders.push(event.order);
          this.#publishUser(event.order.accountId, 'raw', [event.order], []);
          break;
        case 'userTrade':
          this.#userBuffer(event.accountId).trades.push(event.trade);
          this.#publishUser(event.accountId, 'raw', [], [event.trade]);
          break;
        case 'portfolio': {
          const set = this.#dirtyPortfolios.get(event.accountId) ?? new Set();
          set.add(event.currency);
          this.#dirtyPortfolios.set(event.accountId, set);
          break;
        }
        case 'mmpTriggered':
          for (const session of this.#sessions) {
            if (session.accountId !== event.accountId) continue;
            for (const [name, channel] of session.subscriptions) {
              if (channel.type === 'userMmpTrigger' && channel.indexName === event.indexName) {
                session.notify(name, { index_name: event.indexName, frozen_until: Number.isFinite(event.frozenUntilMs) ? event.frozenUntilMs : 0, ...(event.mmpGroup !== undefined && { mmp_group: event.mmpGroup }) });
              }
            }
          }
          break;
        case 'instrumentExpired':
          break;
      }
    }
    for (const instrumentName of rawBooks) this.#publishBook(this.#rawBooks, instrumentName, 'raw');
  }

  #userBuffer(accountId: string): { orders: SimOrder[]; trades: SimTrade[] } {
    let buffer = this.#pendingUser.get(accountId);
    if (!buffer) {
      buffer = { orders: [], trades: [] };
      this.#pendingUser.set(accountId, buffer);
    }
    return buffer;
  }

  #publishBook(feeds: Map<string, BookFeed>, instrumentName: string, interval: 'raw' | '100ms'): void {
    const name = `book.${instrumentName}.${interval}`;
    const subscribers = [...this.#sessions].filter((session) => session.subscriptions.has(name));
    const feed = feeds.get(instrumentName);
    if (subscribers.length === 0) {
      // Nobody listens: drop the feed so the next subscriber starts from a fresh snapshot.
      feeds.delete(instrumentName);
      return;
    }
    if (!feed) return;
    const book = this.exchange.book(instrumentName);
    const instrument = this.exchange.instrument(instrumentName);
    if (!book || !instrument) return;
    const levels = bookLevels(book, instrument);
    const after = { bids: toMap(levels.bids), asks: toMap(levels.asks) };
    const bids = diffSide(feed.levels.bids, after.bids, true);
    const asks = diffSide(feed.levels.asks, after.asks, false);
    if (bids.length === 0 && asks.length === 0) return;
    // An injected gap consumes a change_id nobody receives.
    const prevChangeId = this.#pendingGaps.size > 0 && this.#pendingGaps.delete(name) ? this.#changeCounter++ : feed.changeId;
    feed.changeId = this.#changeCounter++;
    feed.levels = after;
    const data = { type: 'change', timestamp: this.clock.nowMs(), prev_change_id: prevChangeId, instrument_name: instrumentName, change_id: feed.changeId, bids, asks };
    const text = notificationText(JSON.stringify(name), JSON.stringify(data));
    for (const session of subscribers) session.sendText(text, name);
  }

  #publishRawTrades(trade: SimTrade): void {
    const instrument = this.exchange.instrument(trade.instrumentName);
    if (!instrument) return;
    this.#publishTrades([trade], instrument, 'raw');
  }

  #publishTrades(trades: readonly SimTrade[], instrument: SimInstrument, interval: 'raw' | '100ms'): void {
    let rendered: unknown[] | undefined;
    for (const session of this.#sessions) {
      for (const [name, channel] of session.subscriptions) {
        if (channel.type !== 'trades' || channel.interval !== interval) continue;
        if (!scopeMatches(channel.scope, instrument.instrumentName, instrument.kind, instrument.currency)) continue;
        rendered ??= trades.map((trade) => renderPublicTrade(trade, instrument));
        session.notify(name, rendered);
      }
    }
  }

  #publishUser(accountId: string, interval: 'raw' | '100ms', orders: readonly SimOrder[], trades: readonly SimTrade[]): void {
    for (const session of this.#sessions) {
      if (session.accountId !== accountId) continue;
      for (const [name, channel] of session.subscriptions) {
        if (channel.type !== 'userOrders' && channel.type !== 'userTrades' && channel.type !== 'userChanges') continue;
        if (channel.interval !== interval) continue;
        this.#publishUserChannel(session, name, channel.type, channel.scope, accountId, interval, orders, trades);
      }
    }
  }

  #publishUserChannel(
    session: Session,
    name: string,
    type: 'userOrders' | 'userTrades' | 'userChanges',
    scope: InstrumentScope | KindScope,
    accountId: string,
    interval: 'raw' | '100ms',
    orders: readonly SimOrder[],
    trades: readonly SimTrade[],
  ): void {
    const inScope = (instrumentName: string): SimInstrument | undefined => {
      const instrument = this.exchange.instrument(instrumentName);
      return instrument && scopeMatches(scope, instrumentName, instrument.kind, instrument.currency) ? instrument : undefined;
    };
    const renderTradeFor = (trade: SimTrade, instrument: SimInstrument) => {
      const orderId = trade.makerAccountId === accountId ? trade.makerOrderId : trade.takerOrderId;
      const order = this.exchange.orderState(accountId, orderId);
      return renderUserTrade(trade, accountId, instrument, order.ok ? order.value : undefined, this.market.forward(instrument.currency, instrument.expirationTimestamp));
    };
    if (type === 'userOrders') {
      const rendered = orders.flatMap((order) => {
        const instrument = inScope(order.instrumentName);
        return instrument ? [renderOrder(order, instrument)] : [];
      });
      if (rendered.length === 0) return;
      if (interval === 'raw') for (const order of rendered) session.notify(name, order);
      else session.notify(name, rendered);
      return;
    }
    if (type === 'userTrades') {
      const rendered = trades.flatMap((trade) => {
        const instrument = inScope(trade.instrumentName);
        return instrument ? [renderTradeFor(trade, instrument)] : [];
      });
      if (rendered.length > 0) session.notify(name, rendered);
      return;
    }
    // user.changes: per instrument, the orders, trades and resulting position.
    const byInstrument = new Map<string, { orders: unknown[]; trades: unknown[] }>();
    for (const order of orders) {
      const instrument = inScope(order.instrumentName);
      if (!instrument) continue;
      const entry = byInstrument.get(order.instrumentName) ?? { orders: [], trades: [] };
      entry.orders.push(renderOrder(order, instrument));
      byInstrument.set(order.instrumentName, entry);
    }
    for (const trade of trades) {
      const instrument = inScope(trade.instrumentName);
      if (!instrument) continue;
      const entry = byInstrument.get(trade.instrumentName) ?? { orders: [], trades: [] };
      entry.trades.push(renderTradeFor(trade, instrument));
      byInstrument.set(trade.instrumentName, entry);
    }
    for (const [instrumentName, entry] of byInstrument) {
      const instrument = this.exchange.instrument(instrumentName)!;
      const position = this.exchange.positions(accountId).find((p) => p.instrumentName === instrumentName);
      const mark = this.exchange.mark(instrumentName);
      const positions = position ? [renderPosition(position, instrument, mark, this.market.indexPrice(instrument.currency) ?? 0, 0)] : [];
      session.notify(name, { instrument_name: instrumentName, trades: entry.trades, orders: entry.orders, positions });
    }
  }

  /** Flushes the 100 ms channels; called every 100 ms of simulated time. */
  tick(): void {
    const nowMs = this.clock.nowMs();
    for (const instrumentName of this.#dirtyBooks) this.#publishBook(this.#slowBooks, instrumentName, '100ms');
    this.#dirtyBooks.clear();

    if (this.#pendingTrades.length > 0) {
      const byInstrument = new Map<string, SimTrade[]>();
      for (const trade of this.#pendingTrades) {
        const list = byInstrument.get(trade.instrumentName) ?? [];
        list.push(trade);
        byInstrument.set(trade.instrumentName, list);
      }
      this.#pendingTrades.length = 0;
      for (const [instrumentName, trades] of byInstrument) {
        const instrument = this.exchange.instrument(instrumentName);
        if (instrument) this.#publishTrades(trades, instrument, '100ms');
      }
    }

    for (const [accountId, buffer] of this.#pendingUser) this.#publishUser(accountId, '100ms', buffer.orders, buffer.trades);
    this.#pendingUser.clear();

    for (const [accountId, currencies] of this.#dirtyPortfolios) {
      for (const session of this.#sessions) {
        if (session.accountId !== accountId) continue;
        for (const currency of currencies) {
          const name = `user.portfolio.${currency.toLowerCase()}`;
          if (!session.subscriptions.has(name)) continue;
          const summary = this.exchange.accountSummary(accountId, currency);
          if (summary) session.notify(name, renderAccountSummary(summary, { id: 1 }));
        }
      }
    }
    this.#dirtyPortfolios.clear();

    const publishMarkPrices = nowMs - this.#lastMarkPriceMs >= MARKPRICE_INTERVAL_MS;
    if (publishMarkPrices) this.#lastMarkPriceMs = nowMs;
    // A ticker is rendered once per tick, however many sessions subscribe to it.
    const tickers = new Map<string, string | null>();
    for (const session of this.#sessions) {
      for (const [name, channel] of session.subscriptions) {
        if (channel.type === 'ticker') this.#sendTicker(session, name, channel.instrumentName, nowMs, tickers);
        else if (channel.type === 'priceIndex') {
          const currency = indexCurrency(channel.indexName);
          const price = currency ? this.market.indexPrice(currency) : undefined;
          if (price !== undefined) session.notify(name, { timestamp: nowMs, price, index_name: channel.indexName });
        } else if (channel.type === 'markPrice' && publishMarkPrices) {
          const currency = indexCurrency(channel.indexName);
          if (!currency) continue;
          const marks = this.exchange.instruments(currency, 'option').flatMap((instrument) => {
            const mark = this.exchange.mark(instrument.instrumentName);
            return mark ? [{ instrument_name: instrument.instrumentName, mark_price: mark.markPrice, iv: mark.markIv ?? 0, timestamp: nowMs }] : [];
          });
          session.notify(name, marks);
        }
      }
    }
  }

  #sendTicker(session: Session, name: string, instrumentName: string, nowMs: number, rendered: Map<string, string | null>): void {
    let text = rendered.get(name);
    if (text === undefined) {
      const instrument = this.exchange.instrument(instrumentName);
      text = instrument && this.exchange.isActive(instrumentName) ? notificationText(JSON.stringify(name), JSON.stringify(tickerFor(this.exchange, this.market, instrument, nowMs))) : null;
      rendered.set(name, text);
    }
    if (text !== null) session.sendText(text, name);
  }
}

export function indexCurrency(indexName: string): Currency | undefined {
  if (indexName === 'btc_usd') return 'BTC';
  if (indexName === 'eth_usd') return 'ETH';
  return undefined;
}
