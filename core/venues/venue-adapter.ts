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
  /**
   * Set when the order is a mass quote (Deribit's quote: true). Its `label` is then empty: the
   * venue knows a quote by its slot — MMP group, instrument, side — not by a client id.
   */
  readonly quote?: QuoteTag;
  /**
   * The venue's answer to our amend of this order (a mass quote resent): its price and amount are
   * the amend's outcome, even where the venue adjusted them (post-only, a crossing price).
   */
  readonly answersReplace?: boolean;
}

/** What the venue says of a mass quote: its group, its quote set and the mass quote request that last set it. */
export interface QuoteTag {
  readonly mmpGroup: string;
  readonly quoteSetId: string;
  readonly quoteId: string;
}

/**
 * One side of one instrument in a mass quote. The venue holds one quote per slot (MMP group,
 * instrument, side) and amends it when it is sent again; `label` is the client order id the OMS
 * tracks for the slot's order (never sent: the venue's quotes carry no label), by which the
 * outcome of this entry is reported.
 */
export interface QuoteEntry {
  readonly label: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  /** new: the slot holds none of ours; amend: it holds our acknowledged quote; cancel: take it out (amount 0). */
  readonly kind: 'new' | 'amend' | 'cancel';
  readonly price: number;
  /** The quote's total amount, filled part included (as private/edit takes it); 0 for a cancel. */
  readonly amount: number;
  readonly postOnly: boolean;
  /** As PlaceOrderRequest.priority: the request goes out at its best entry's priority. */
  readonly priority?: number;
}

/**
 * Quotes of one MMP group, sent in as few requests as the venue allows (capabilities.maxQuotesPerRequest
 * instruments each). Each entry's outcome is reported under its label: OrderReported (the venue's
 * order, with `quote` set), OrderRequestFailed (that side refused; a refused amend or cancel
 * leaves the venue's quote cancelled or gone: reconcile), or OrderRequestLost.
 */
export interface MassQuoteRequest {
  readonly mmpGroup: string;
  /** Our id of this request (Deribit's quote_id), echoed on the orders and fills it sets. */
  readonly quoteId: string;
  /** Deribit's quote_set_id of every entry: quotes can be cancelled by it. */
  readonly quoteSetId: string;
  readonly entries: readonly QuoteEntry[];
}

/** Which of our quotes a bulk cancel takes (Deribit's private/cancel_quotes). */
export type QuoteCancelScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'currency'; readonly currency: string }
  | { readonly kind: 'instrument'; readonly instrumentName: string }
  | { readonly kind: 'quoteSet'; readonly quoteSetId: string };

export interface CancelQuotesRequest {
  readonly scope: QuoteCancelScope;
  /** Refuse new quotes for a moment after the cancel (Deribit: one second), so none in flight lands behind it. */
  readonly freeze?: boolean;
  /** The OMS orders this cancel is meant to end: reported failed or lost under these labels if it is. */
  readonly labels: readonly string[];
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
  /**
   * Market maker protection applies to this order (Deribit's `mmp` flag, limit orders): the venue
   * counts its fills against the MMP limits of its index and cancels it when they trigger. Only
   * meaningful where `capabilities.mmp` is true and MMP is configured for the index (MmpConfigured).
   */
  readonly mmp?: boolean;
  /**
   * Sent as a mass quote (where capabilities.massQuote): one side of the slot (MMP group,
   * instrument, side), which must hold none of ours. The adapter sends the quotes asked for in
   * one turn of the event loop — these, and the replaceOrder and cancelOrder of quote orders (the
   * adapter knows them by venue order id from their reports) — as mass quote requests, one per
   * group and quote set, split at capabilities.maxQuotesPerRequest instruments.
   */
  readonly quote?: { readonly mmpGroup: string; readonly quoteSetId: string };
}

export interface ReplaceOrderRequest {
  readonly label: string;
  readonly venueOrderId: string;
  readonly price: number;
  readonly amount: number;
  /** As PlaceOrderRequest.priority, among amends. */
  readonly priority?: number;
}

/**
 * Market maker protection of one index, in the venue's terms (Deribit's private/set_mmp_config):
 * fills of MMP orders are summed over a rolling interval; when a limit is reached, the venue
 * cancels every MMP order of the index and refuses new ones until the freeze ends.
 */
export interface MmpConfig {
  /** The index the protection covers (Deribit: 'btc_usd', 'eth_usd'). */
  readonly indexName: string;
  /**
   * A mass-quote MMP group of the index (Deribit's mmp_group): its own limits and freeze, covering
   * only the quotes sent in it. Absent: the protection of the index's MMP orders.
   */
  readonly mmpGroup?: string;
  /** The rolling window fills are summed over; 0 removes the protection. */
  readonly intervalSec: number;
  /** How long a trigger freezes MMP orders; 0 until an explicit reset. */
  readonly frozenTimeSec: number;
  /** Traded quantity of MMP orders (either side) within the interval, in the base coin. */
  readonly quantityLimitCoin?: number;
  /** |net delta| traded by MMP orders within the interval, in coin. */
  readonly deltaLimitCoin?: number;
  /** |net vega| traded by MMP orders within the interval, in USD. */
  readonly vegaLimitUsd?: number;
  /** Deribit's maximum quote quantity: open MMP size per side per book, in the base coin. */
  readonly maxQuoteQuantityCoin?: number;
}

/** What a venue offers beyond the basics; the kernel asks before it relies on any of it. */
export interface VenueCapabilities {
  /** Market maker protection: configureMmp and resetMmp act, the Mmp* events are reported, PlaceOrderRequest.mmp is honoured. */
  readonly mmp: boolean;
  /**
   * Mass quotes (massQuote, cancelQuotes, MMP groups). A venue may grant them per account
   * (Deribit: on request), so the adapter is told; VenueStatus.massQuote says whether they are
   * usable now (a venue that refuses them turns it off).
   */
  readonly massQuote: boolean;
  /** Instruments (each with a bid and an ask) in one mass quote request (Deribit: 100). */
  readonly maxQuotesPerRequest: number;
}

export type MmpRequestKind = 'configure' | 'reset';

/** A trade in the market (anyone's): the ladder's last trades. */
export interface PublicTrade {
  readonly tradeId: string;
  readonly instrumentName: string;
  readonly price: number;
  readonly amount: number;
  /** The side that took liquidity. */
  readonly takerSide: 'buy' | 'sell';
  readonly tsMs: number;
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
  | { readonly type: 'PublicTrades'; readonly trades: readonly PublicTrade[] }
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
  | { readonly type: 'VenueWarning'; readonly venueId: string; readonly source: string; readonly reason: string }
  /**
   * The venue holds this MMP configuration: accepted after configureMmp, or found (or re-applied)
   * on a (re)connect before StatusChanged 'connected'. From now on, orders of the index may carry `mmp`.
   */
  | { readonly type: 'MmpConfigured'; readonly venueId: string; readonly config: MmpConfig; readonly tsMs: number }
  /* The MMP events below carry `mmpGroup` when they concern a mass-quote group, not the index's MMP orders. */
  /**
   * MMP triggered on an index (live), or a (re)connect found it frozen (before 'connected'): the
   * venue cancelled (or is cancelling) every MMP order of the index and refuses new ones until
   * `frozenUntilMs` (venue time; +Infinity: until resetMmp). The cancels arrive as OrderReported
   * with cancelReason 'mmp_trigger'.
   */
  | { readonly type: 'MmpTriggered'; readonly venueId: string; readonly indexName: string; readonly mmpGroup?: string; readonly frozenUntilMs: number; readonly tsMs: number }
  /**
   * MMP orders of the index are allowed again: the venue accepted resetMmp, or a (re)connect found
   * not frozen an index last reported frozen. (A timed freeze ends by itself at frozenUntilMs
   * without any event.)
   */
  | { readonly type: 'MmpReset'; readonly venueId: string; readonly indexName: string; readonly mmpGroup?: string; readonly tsMs: number }
  /** configureMmp or resetMmp did not take effect: refused by the venue (code), not connected or not supported (code 0). */
  | { readonly type: 'MmpRequestFailed'; readonly venueId: string; readonly indexName: string; readonly mmpGroup?: string; readonly request: MmpRequestKind; readonly code: number; readonly reason: string };

export interface VenueAdapter {
  readonly venueId: string;
  readonly capabilities: VenueCapabilities;
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
  /** Cancels every order of ours on one underlying's instruments. */
  cancelAllByCurrency(currency: string): void;
  /**
   * Sets MMP for an index (intervalSec 0 removes it). The adapter keeps the last configuration of
   * each index and makes sure the venue holds it after every (re)connect. Answered by
   * MmpConfigured or MmpRequestFailed (at once on a venue without MMP).
   */
  configureMmp(config: MmpConfig): void;
  /**
   * Unfreezes MMP of an index now, and of its mass-quote groups (one `mmpGroup` only, when given):
   * answered by MmpReset (one per index or group) or MmpRequestFailed.
   */
  resetMmp(indexName: string, mmpGroup?: string): void;
  /**
   * Sends quotes (see MassQuoteRequest) at once; every entry fails where capabilities.massQuote is
   * false. (The kernel's quotes come through placeOrder with `quote`, which batches into this.)
   * Optional: a venue without mass quotes need not have it.
   */
  massQuote?(request: MassQuoteRequest): void;
  /** Cancels our mass quotes in bulk; the cancelled orders are reported as OrderReported. */
  cancelQuotes?(request: CancelQuotesRequest): void;
}
