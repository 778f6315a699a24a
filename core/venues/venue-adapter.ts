import type { LevelUpdate } from '../marketdata/l2-book.ts';
import type { Fill, VenueAccount, VenuePosition } from '../model/trading.ts';
import type { IndexRow, InstrumentRow, QuoteRow, VenueStatus } from '../protocol/index.ts';

/**
 * What a venue adapter tells the engine, in the workstation's own terms: no venue wire format
 * crosses this line. A second venue (a perpetual exchange for hedging, say) implements the same
 * interface.
 */

/** Market data fields a venue's ticker carries: the quote row's ticker fields (IVs as fractions, Greeks as the venue reports them). */
export type TickerUpdate = Pick<QuoteRow, 'instrumentName' | 'tsMs'> &
  Partial<Pick<QuoteRow, 'markPrice' | 'markIv' | 'bidIv' | 'askIv' | 'lastPrice' | 'underlyingPrice' | 'delta' | 'gamma' | 'vegaUsd' | 'thetaUsd' | 'fundingRate8h'>>;

/** A venue's record of one of our orders (a response, a notification, or a reconciliation answer). */
export interface VenueOrderReport {
  readonly venueId: string;
  readonly venueOrderId: string;
  /** Our client order id, when the order is ours (Deribit's `label`). */
  readonly label: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly amount: number;
  readonly filledAmount: number;
  readonly averagePrice: number;
  readonly venueState: 'open' | 'filled' | 'cancelled' | 'rejected';
  readonly cancelReason?: string;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly tsMs: number;
}

export type OrderRequestKind = 'place' | 'replace' | 'cancel' | 'query';

export interface PlaceOrderRequest {
  readonly label: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly amount: number;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** Default good_til_cancelled; an IOC's unfilled rest is cancelled by the venue at once. */
  readonly timeInForce?: 'good_til_cancelled' | 'immediate_or_cancel';
  /**
   * Among new orders waiting for rate-limit credits, lower goes first (quoting passes distance
   * from the money, so near-the-money quotes refresh first). Cancels always go before amends,
   * amends before new orders, whatever this says. Default 0.
   */
  readonly priority?: number;
}

export interface ReplaceOrderRequest {
  readonly label: string;
  readonly venueOrderId: string;
  readonly price: number;
  readonly amount: number;
  /** As PlaceOrderRequest.priority, among amends. */
  readonly priority?: number;
}

export type VenueEvent =
  | { readonly type: 'StatusChanged'; readonly status: VenueStatus }
  | { readonly type: 'InstrumentsListed'; readonly instruments: readonly InstrumentRow[] }
  | { readonly type: 'BookSnapshot'; readonly instrumentName: string; readonly changeId: number; readonly bids: readonly LevelUpdate[]; readonly asks: readonly LevelUpdate[]; readonly tsMs: number }
  | {
      readonly type: 'BookChanged';
      readonly instrumentName: string;
      readonly prevChangeId: number;
      readonly changeId: number;
      readonly bids: readonly LevelUpdate[];
      readonly asks: readonly LevelUpdate[];
      readonly tsMs: number;
    }
  | { readonly type: 'TickerUpdated'; readonly ticker: TickerUpdate }
  | { readonly type: 'IndexUpdated'; readonly index: IndexRow }
  /** The connection is gone or silent: every book from this venue is stale until resnapshotted. */
  | { readonly type: 'FeedLost'; readonly reason: string }
  | { readonly type: 'OrderReported'; readonly report: VenueOrderReport }
  /** The venue answered an order request with an error (the request did not take effect). */
  | { readonly type: 'OrderRequestFailed'; readonly label: string; readonly request: OrderRequestKind; readonly code: number; readonly reason: string }
  /** No answer in time: whether the request took effect is unknown. */
  | { readonly type: 'OrderRequestLost'; readonly label: string; readonly request: OrderRequestKind; readonly reason: string }
  /** After (re)connecting and before anything is sent: our orders open at the venue. */
  | { readonly type: 'OrdersReconciled'; readonly venueId: string; readonly open: readonly VenueOrderReport[] }
  /**
   * One execution of one of our orders, live or recovered after a reconnect. The same trade may be
   * reported more than once (live and recovered): consumers count it once by venueId + tradeId.
   */
  | { readonly type: 'FillReported'; readonly fill: Fill }
  /**
   * After (re)connecting, after the missed fills were reported and before the venue is connected:
   * the venue's positions (every kind, the adapter's currencies; an instrument not listed is flat)
   * and account summaries, the truth a position book reconciles with.
   */
  | { readonly type: 'PositionsReconciled'; readonly venueId: string; readonly positions: readonly VenuePosition[]; readonly accounts: readonly VenueAccount[] }
  /** A venue's push of an account summary (balance, equity, margins) for one currency. */
  | { readonly type: 'AccountUpdated'; readonly account: VenueAccount }
  /**
   * Something the venue sent that could not be used (a malformed fill, position or account) or a
   * recovery known to be incomplete: for the log and the trader, never fatal; nothing else is lost.
   */
  | { readonly type: 'VenueWarning'; readonly venueId: string; readonly source: string; readonly reason: string };

export interface VenueAdapter {
  readonly venueId: string;
  /** Starts connecting (and reconnecting after any loss) until `close`. */
  start(): void;
  close(): Promise<void>;
  onEvent(listener: (event: VenueEvent) => void): () => void;
  /** Asks for a fresh snapshot of one book (after a gap or a crossed book). */
  resnapshot(instrumentName: string): void;
  placeOrder(request: PlaceOrderRequest): void;
  replaceOrder(request: ReplaceOrderRequest): void;
  cancelOrder(request: { readonly label: string; readonly venueOrderId: string }): void;
  queryOrder(request: { readonly label: string; readonly venueOrderId: string }): void;
  /** Cancels every order of ours at the venue, or on one instrument. */
  cancelAll(instrumentName?: string): void;
}
