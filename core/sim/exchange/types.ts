import type { Side } from '../book/order-book.ts';
import type { Currency } from '../instruments/types.ts';

export type OrderState = 'open' | 'filled' | 'rejected' | 'cancelled';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'good_til_cancelled' | 'good_til_day' | 'fill_or_kill' | 'immediate_or_cancel';
/** Why an order left the book without filling. */
export type CancelReason = 'user_request' | 'mmp_trigger' | 'mmp_config_curtailment' | 'cancel_on_disconnect' | 'settlement' | 'self_trade' | 'immediate_or_cancel' | 'edit_zero' | 'reduce_only';

/** What makes an order a mass quote (private/mass_quote): its group, set and request ids. */
export interface QuoteTag {
  readonly mmpGroup: string;
  readonly quoteSetId: string;
  readonly quoteId: string;
}

/** An order as the exchange keeps it; the RPC layer renders Deribit's order object from it. */
export interface SimOrder {
  readonly orderId: string;
  readonly accountId: string;
  readonly instrumentName: string;
  readonly direction: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly rejectPostOnly: boolean;
  readonly reduceOnly: boolean;
  readonly mmp: boolean;
  readonly label: string;
  /** Limit price; market orders report their average fill price. */
  readonly price: number | undefined;
  readonly amount: number;
  readonly filledAmount: number;
  readonly averagePrice: number;
  readonly orderState: OrderState;
  readonly cancelReason?: CancelReason;
  readonly commission: number;
  readonly replaced: boolean;
  readonly creationTimestamp: number;
  readonly lastUpdateTimestamp: number;
  /** Set for a mass quote: one per side per instrument per MMP group, amended by resending it. */
  readonly quote?: QuoteTag;
}

/** One match between a taker and a resting maker. */
export interface SimTrade {
  readonly tradeId: string;
  readonly tradeSeq: number;
  readonly timestamp: number;
  readonly instrumentName: string;
  readonly price: number;
  readonly amount: number;
  /** The taker's direction (Deribit's public trade direction). */
  readonly direction: Side;
  readonly makerOrderId: string;
  readonly takerOrderId: string;
  readonly makerAccountId: string;
  readonly takerAccountId: string;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly indexPrice: number;
  readonly markPrice: number;
  readonly iv?: number;
  readonly tickDirection: 0 | 1 | 2 | 3;
}

export interface SimPosition {
  readonly instrumentName: string;
  /** Signed: BTC for options, USD for futures. */
  readonly size: number;
  readonly averagePrice: number;
  readonly realizedPnl: number;
}

/** Mark data the market model supplies for every instrument. */
export interface Mark {
  readonly markPrice: number;
  /** Options only. */
  readonly markIv?: number;
  readonly deltaCoin?: number;
  readonly gammaCoin?: number;
  readonly vegaUsd?: number;
  readonly thetaUsd?: number;
}

export interface MmpConfig {
  readonly indexName: string;
  /** A mass-quote MMP group (its own limits and freeze); absent for the orders' protection of the index. */
  readonly mmpGroup?: string;
  readonly intervalSec: number;
  readonly frozenTimeSec: number;
  readonly quantityLimit: number;
  readonly deltaLimit?: number;
  readonly vegaLimit?: number;
  /**
   * Deribit's max_quote_quantity (MQQ), base coin: the largest open size a side of one book may
   * hold. Enforced on a mass-quote group's quotes (mmp.ts, quoteFitsGroup); kept and reported,
   * not enforced, on the orders' protection of an index.
   */
  readonly maxQuoteQuantity?: number;
}

export type ExchangeEvent =
  | { readonly type: 'book'; readonly instrumentName: string }
  | { readonly type: 'trade'; readonly trade: SimTrade }
  | { readonly type: 'order'; readonly order: SimOrder }
  | { readonly type: 'userTrade'; readonly accountId: string; readonly trade: SimTrade }
  | { readonly type: 'portfolio'; readonly accountId: string; readonly currency: Currency }
  | { readonly type: 'mmpTriggered'; readonly accountId: string; readonly indexName: string; readonly frozenUntilMs: number; readonly mmpGroup?: string }
  | { readonly type: 'instrumentExpired'; readonly instrumentName: string; readonly deliveryPrice: number };
