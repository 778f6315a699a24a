import { impliedVolFromCoinPrice } from '../../pricing/index.ts';
import type { OrderBook } from '../book/order-book.ts';
import type { AccountSummary, SimExchange } from '../exchange/exchange.ts';
import type { Mark, MmpConfig, SimOrder, SimPosition, SimTrade } from '../exchange/types.ts';
import { lotsToAmount, roundDecimals, ticksToPrice } from '../instruments/ticks.ts';
import type { Currency, SimInstrument } from '../instruments/types.ts';

/**
 * Deribit's JSON shapes for the simulator's state (see test/fixtures/deribit/ for the documented
 * originals). Field names, units and nullability follow Deribit: IVs in percent, option prices
 * in coin, future amounts in USD with `contracts` beside them.
 */

/** What the RPC layer needs of the market model beyond the exchange's own state. */
export interface MarketView {
  indexPrice(currency: Currency): number | undefined;
  /** The forward an option's IV refers to (Deribit's underlying_price). */
  forward(currency: Currency, expiryMs: number): number | undefined;
  funding(instrument: SimInstrument): { readonly current: number; readonly eightHour: number } | undefined;
}

const YEAR_MS = 365 * 86_400_000;
const DERIBIT_CANCEL_REASONS: ReadonlySet<string> = new Set(['user_request', 'cancel_on_disconnect', 'mmp_trigger', 'mmp_config_curtailment', 'settlement']);

const round = roundDecimals;

export function renderInstrument(instrument: SimInstrument, active: boolean): Record<string, unknown> {
  const option = instrument.kind === 'option';
  return {
    tick_size: instrument.tickSize,
    tick_size_steps: instrument.tickSizeSteps.map((step) => ({ above_price: step.abovePrice, tick_size: step.tickSize })),
    taker_commission: instrument.takerCommission,
    ...(option && { strike: instrument.strike, option_type: instrument.optionType }),
    settlement_period: instrument.settlementPeriod,
    settlement_currency: instrument.settlementCurrency,
    quote_currency: instrument.quoteCurrency,
    price_index: instrument.priceIndex,
    min_trade_amount: instrument.minTradeAmount,
    maker_commission: instrument.makerCommission,
    ...(!option && { max_leverage: 50, max_liquidation_commission: 0.0075, future_type: 'reversed' }),
    kind: instrument.kind,
    is_active: active,
    instrument_name: instrument.instrumentName,
    instrument_id: instrument.instrumentId,
    instrument_type: 'reversed',
    expiration_timestamp: instrument.expirationTimestamp,
    creation_timestamp: instrument.creationTimestamp,
    counter_currency: instrument.counterCurrency,
    contract_size: instrument.contractSize,
    block_trade_tick_size: option ? instrument.tickSize : 0.01,
    block_trade_min_trade_amount: option ? 25 : 200_000,
    block_trade_commission: option ? instrument.takerCommission : 0.00025,
    base_currency: instrument.baseCurrency,
    rfq: false,
    state: active ? 'open' : 'closed',
  };
}

function contracts(instrument: SimInstrument, amount: number): number {
  return instrument.kind === 'option' ? amount : amount / instrument.contractSize;
}

export function renderOrder(order: SimOrder, instrument: SimInstrument): Record<string, unknown> {
  return {
    web: false,
    time_in_force: order.timeInForce,
    replaced: order.replaced,
    reduce_only: order.reduceOnly,
    price: order.price ?? 'market_price',
    post_only: order.postOnly,
    ...(order.postOnly && { reject_post_only: order.rejectPostOnly }),
    order_type: order.orderType,
    order_state: order.orderState,
    order_id: order.orderId,
    max_show: order.amount,
    last_update_timestamp: order.lastUpdateTimestamp,
    label: order.label,
    is_rebalance: false,
    is_liquidation: false,
    instrument_name: order.instrumentName,
    filled_amount: order.filledAmount,
    direction: order.direction,
    creation_timestamp: order.creationTimestamp,
    average_price: order.filledAmount > 0 ? order.averagePrice : 0,
    api: true,
    amount: order.amount,
    contracts: contracts(instrument, order.amount),
    mmp: order.mmp,
    ...(order.cancelReason === 'mmp_trigger' && { mmp_cancelled: true }),
    risk_reducing: false,
    ...(order.cancelReason !== undefined && DERIBIT_CANCEL_REASONS.has(order.cancelReason) && { cancel_reason: order.cancelReason }),
    commission: order.commission,
    // Deribit: present only for quote orders.
    ...(order.quote && { quote: true, mmp_group: order.quote.mmpGroup, quote_set_id: order.quote.quoteSetId, quote_id: order.quote.quoteId }),
  };
}

/** A trade from one account's side (private/buy results, user.trades, get_user_trades). */
export function renderUserTrade(trade: SimTrade, accountId: string, instrument: SimInstrument, order: SimOrder | undefined, underlyingPrice: number | undefined): Record<string, unknown> {
  const maker = trade.makerAccountId === accountId;
  const direction = maker ? (trade.direction === 'buy' ? 'sell' : 'buy') : trade.direction;
  return {
    trade_seq: trade.tradeSeq,
    trade_id: trade.tradeId,
    timestamp: trade.timestamp,
    tick_direction: trade.tickDirection,
    state: order?.orderState ?? 'filled',
    reduce_only: order?.reduceOnly ?? false,
    price: trade.price,
    post_only: order?.postOnly ?? false,
    order_type: order?.orderType ?? 'limit',
    order_id: maker ? trade.makerOrderId : trade.takerOrderId,
    matching_id: null,
    mark_price: trade.markPrice,
    liquidity: maker ? 'M' : 'T',
    ...(trade.iv !== undefined && { iv: round(trade.iv * 100, 2) }),
    ...(instrument.kind === 'option' && underlyingPrice !== undefined && { underlying_price: underlyingPrice }),
    instrument_name: trade.instrumentName,
    index_price: trade.indexPrice,
    fee_currency: instrument.settlementCurrency,
    fee: maker ? trade.makerFee : trade.takerFee,
    direction,
    amount: trade.amount,
    contracts: contracts(instrument, trade.amount),
    label: order?.label ?? '',
    mmp: order?.mmp ?? false,
    risk_reducing: false,
    api: true,
    profit_loss: 0,
    // Deribit: present only for trades of orders placed with private/mass_quote.
    ...(order?.quote && { quote_set_id: order.quote.quoteSetId, quote_id: order.quote.quoteId }),
  };
}

/** A public trade (trades.* channels). */
export function renderPublicTrade(trade: SimTrade, instrument: SimInstrument): Record<string, unknown> {
  return {
    trade_seq: trade.tradeSeq,
    trade_id: trade.tradeId,
    timestamp: trade.timestamp,
    tick_direction: trade.tickDirection,
    price: trade.price,
    mark_price: trade.markPrice,
    ...(trade.iv !== undefined && { iv: round(trade.iv * 100, 2) }),
    instrument_name: trade.instrumentName,
    index_price: trade.indexPrice,
    direction: trade.direction,
    amount: trade.amount,
    contracts: contracts(instrument, trade.amount),
  };
}

/** An MMP configuration as private/set_mmp_config answers it and private/get_mmp_config lists it. */
export function renderMmpConfig(config: MmpConfig): Record<string, unknown> {
  return {
    index_name: config.indexName,
    ...(config.mmpGroup !== undefined && { mmp_group: config.mmpGroup }),
    interval: config.intervalSec,
    frozen_time: config.frozenTimeSec,
    quantity_limit: config.quantityLimit,
    ...(config.deltaLimit !== undefined && { delta_limit: config.deltaLimit }),
    ...(config.vegaLimit !== undefined && { vega_limit: config.vegaLimit }),
    ...(config.maxQuoteQuantity !== undefined && { max_quote_quantity: config.maxQuoteQuantity }),
  };
}

export function renderPosition(position: SimPosition, instrument: SimInstrument, mark: Mark | undefined, indexPrice: number, floatingPnl: number): Record<string, unknown> {
  const option = instrument.kind === 'option';
  const direction = position.size > 0 ? 'buy' : position.size < 0 ? 'sell' : 'zero';
  const markPrice = mark?.markPrice ?? 0;
  const delta = option ? position.size * (mark?.deltaCoin ?? 0) : markPrice > 0 ? position.size / markPrice : 0;
  return {
    instrument_name: position.instrumentName,
    kind: instrument.kind,
    direction,
    size: position.size,
    ...(!option && { size_currency: markPrice > 0 ? position.size / markPrice : 0 }),
    average_price: position.averagePrice,
    mark_price: markPrice,
    index_price: indexPrice,
    floating_profit_loss: floatingPnl,
    realized_profit_loss: position.realizedPnl,
    total_profit_loss: floatingPnl + position.realizedPnl,
    delta,
    ...(option && {
      gamma: position.size * (mark?.gammaCoin ?? 0),
      vega: position.size * (mark?.vegaUsd ?? 0),
      theta: position.size * (mark?.thetaUsd ?? 0),
    }),
    settlement_price: markPrice,
  };
}

export function renderAccountSummary(summary: AccountSummary, extra: { readonly email?: string; readonly id: number }): Record<string, unknown> {
  return {
    currency: summary.currency,
    balance: summary.balance,
    equity: summary.equity,
    available_funds: summary.availableFunds,
    available_withdrawal_funds: Math.max(0, Math.min(summary.balance, summary.availableFunds)),
    margin_balance: summary.equity,
    initial_margin: summary.initialMargin,
    maintenance_margin: summary.maintenanceMargin,
    total_pl: summary.totalPl,
    session_rpl: summary.sessionRpl,
    session_upl: summary.sessionUpl,
    options_value: summary.optionsValue,
    futures_pl: summary.futuresPl,
    delta_total: summary.deltaTotal,
    fee_balance: 0,
    cash_balance: summary.balance,
    portfolio_margining_enabled: false,
    cross_collateral_enabled: false,
    margin_model: 'segregated_sm',
    id: extra.id,
    ...(extra.email && { email: extra.email }),
  };
}

export interface BookLevels {
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

/** Book levels as [price, amount] in Deribit units, best first. */
export function bookLevels(book: OrderBook, instrument: SimInstrument, depth = Infinity): BookLevels {
  const side = (s: 'buy' | 'sell') => book.depth(s, depth).map((level) => [ticksToPrice(instrument, level.priceTicks), lotsToAmount(instrument, level.lots)] as const);
  return { bids: side('buy'), asks: side('sell') };
}

export interface TickerInputs {
  readonly instrument: SimInstrument;
  readonly book: OrderBook;
  readonly mark: Mark | undefined;
  readonly indexPrice: number;
  readonly underlyingPrice: number | undefined;
  readonly funding: { readonly current: number; readonly eightHour: number } | undefined;
  readonly lastPrice: number | undefined;
  readonly nowMs: number;
  /** Trading halted: the book's state is `closed`. */
  readonly halted?: boolean;
}

/** IV in percent of a coin price, or 0 where none reproduces it (Deribit shows 0 for an empty side). */
function ivPercent(priceCoin: number | undefined, instrument: SimInstrument, forward: number | undefined, nowMs: number): number {
  if (priceCoin === undefined || forward === undefined || instrument.strike === undefined || instrument.optionType === undefined) return 0;
  const expiryYears = (instrument.expirationTimestamp - nowMs) / YEAR_MS;
  if (expiryYears <= 0) return 0;
  const vol = impliedVolFromCoinPrice(priceCoin, forward, instrument.strike, expiryYears, instrument.optionType);
  return vol === undefined ? 0 : round(vol * 100, 2);
}

/**
 * The body of public/ticker and ticker.* notifications. Written out field by field (no spreads):
 * the publisher renders one per subscribed instrument every 100 ms, so this is a hot path.
 */
export function renderTicker(inputs: TickerInputs): Record<string, unknown> {
  const { instrument, book, mark, indexPrice, underlyingPrice, funding, lastPrice, nowMs } = inputs;
  const bidTicks = book.bestBidTicks();
  const askTicks = book.bestAskTicks();
  const bestBid = bidTicks === undefined ? undefined : ticksToPrice(instrument, bidTicks);
  const bestAsk = askTicks === undefined ? undefined : ticksToPrice(instrument, askTicks);
  const option = instrument.kind === 'option';
  // Wire precision as Deribit prints it: option marks to 8 decimals, future marks to cents.
  const markPrice = round(mark?.markPrice ?? 0, option ? 8 : 2);
  const band = option ? Math.max(0.015, markPrice * 0.15) : markPrice * 0.015;
  const ticker: Record<string, unknown> = {
    timestamp: nowMs,
    state: inputs.halted ? 'closed' : 'open',
    stats: { volume: 0, price_change: null, low: null, high: null },
    open_interest: 0,
    min_price: Math.max(instrument.tickSize, round(markPrice - band, 8)),
    max_price: round(markPrice + band, 8),
    mark_price: markPrice,
    last_price: lastPrice ?? null,
    instrument_name: instrument.instrumentName,
    index_price: indexPrice,
    estimated_delivery_price: indexPrice,
    best_bid_price: bestBid ?? 0,
    best_bid_amount: bestBid === undefined ? 0 : lotsToAmount(instrument, book.bestLots('buy')),
    best_ask_price: bestAsk ?? 0,
    best_ask_amount: bestAsk === undefined ? 0 : lotsToAmount(instrument, book.bestLots('sell')),
  };
  if (option) {
    ticker.mark_iv = round((mark?.markIv ?? 0) * 100, 2);
    ticker.bid_iv = ivPercent(bestBid, instrument, underlyingPrice, nowMs);
    ticker.ask_iv = ivPercent(bestAsk, instrument, underlyingPrice, nowMs);
    ticker.interest_rate = 0;
    ticker.underlying_price = round(underlyingPrice ?? indexPrice, 2);
    ticker.underlying_index = 'index_price';
    ticker.greeks = {
      delta: round(mark?.deltaCoin ?? 0, 5),
      gamma: round(mark?.gammaCoin ?? 0, 5),
      vega: round(mark?.vegaUsd ?? 0, 5),
      theta: round(mark?.thetaUsd ?? 0, 5),
      rho: 0,
    };
  } else if (instrument.isPerpetual) {
    ticker.current_funding = funding?.current ?? 0;
    ticker.funding_8h = funding?.eightHour ?? 0;
    ticker.interest_value = 0;
  }
  return ticker;
}

/** The ticker of an active instrument from the exchange's and the market's current state. */
export function tickerFor(exchange: SimExchange, market: MarketView, instrument: SimInstrument, nowMs: number): Record<string, unknown> {
  return renderTicker({
    instrument,
    book: exchange.book(instrument.instrumentName)!,
    mark: exchange.mark(instrument.instrumentName),
    indexPrice: market.indexPrice(instrument.currency) ?? 0,
    underlyingPrice: instrument.kind === 'option' ? market.forward(instrument.currency, instrument.expirationTimestamp) : undefined,
    funding: instrument.isPerpetual ? market.funding(instrument) : undefined,
    lastPrice: exchange.lastPrice(instrument.instrumentName),
    nowMs,
    halted: exchange.isHalted(instrument.instrumentName),
  });
}
