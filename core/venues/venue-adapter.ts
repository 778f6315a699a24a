import type { LevelUpdate } from '../marketdata/l2-book.ts';
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
  | { readonly type: 'OrdersReconciled'; readonly venueId: string; readonly open: readonly VenueOrderReport[] };

export interface VenueAdapter {
  readonly venueId: string;
  /** Starts connecting (and reconnecting after any loss) until `close`. */
  start(): void;
  close(): Promise<void>;
  onEvent(listener: (event: VenueEvent) => void): () => void;
  /** Asks for a fresh snapshot of one book (after a gap or a crossed book). */
  resnapshot(instrumentName: string): void;
  placeOrder(request: PlaceOrderRequest): void;
  replaceOrder(request: { readonly label: string; readonly venueOrderId: string; readonly price: number; readonly amount: number }): void;
  cancelOrder(request: { readonly label: string; readonly venueOrderId: string }): void;
  queryOrder(request: { readonly label: string; readonly venueOrderId: string }): void;
  /** Cancels every order of ours at the venue, or on one instrument. */
  cancelAll(instrumentName?: string): void;
}
