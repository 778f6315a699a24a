import type { Clock } from '../../model/clock.ts';
import type { Result } from '../exchange/errors.ts';
import { ERRORS, fail, ok, withData } from '../exchange/errors.ts';
import type { OrderOutcome, PlaceOrderParams, QuoteCancelFilter, QuoteSideParams, SimExchange } from '../exchange/exchange.ts';
import { floatingPnl } from '../exchange/position-math.ts';
import type { Currency, InstrumentKind, SimInstrument } from '../instruments/types.ts';
import type { TokenIssuer } from './auth.ts';
import { isPrivateChannel, needsAuthForRaw, parseChannel } from './channels.ts';
import type { MethodName, ParamsOf } from './params.ts';
import type { Publisher } from './publisher.ts';
import { indexCurrency } from './publisher.ts';
import type { MarketView } from './render.ts';
import { bookLevels, renderAccountSummary, renderInstrument, renderMmpConfig, renderOrder, renderPosition, renderUserTrade, tickerFor } from './render.ts';
import type { Session } from './session.ts';

/**
 * The simulator's JSON-RPC methods, each a function of validated params and the caller's
 * context. Results are Deribit's shapes; failures are Deribit's error objects.
 */
export interface RpcContext {
  readonly exchange: SimExchange;
  readonly market: MarketView;
  readonly tokens: TokenIssuer;
  readonly publisher: Publisher;
  readonly clock: Clock;
  /** Undefined over HTTP. */
  readonly session: Session | undefined;
  readonly accountId: string | undefined;
  /** Accounts with cancel-on-disconnect at account scope. */
  readonly accountCod: Set<string>;
}

type Handler<M extends MethodName> = (ctx: RpcContext, params: ParamsOf<M>) => Result<unknown>;

const WS_ONLY = ERRORS.badRequest;

function kindOf(kind: 'future' | 'option' | 'any' | undefined): InstrumentKind | undefined {
  return kind === 'any' ? undefined : kind;
}

function requireAccount(ctx: RpcContext): string | undefined {
  return ctx.accountId;
}

function instrumentOf(ctx: RpcContext, name: string): SimInstrument | undefined {
  return ctx.exchange.instrument(name);
}

function renderOutcome(ctx: RpcContext, accountId: string, outcome: OrderOutcome): Record<string, unknown> {
  const instrument = instrumentOf(ctx, outcome.order.instrumentName)!;
  const forward = ctx.market.forward(instrument.currency, instrument.expirationTimestamp);
  return {
    order: renderOrder(outcome.order, instrument),
    trades: outcome.trades.map((trade) => renderUserTrade(trade, accountId, instrument, outcome.order, forward)),
  };
}

function amountFrom(instrument: SimInstrument, amount: number | undefined, contractCount: number | undefined): number | undefined {
  const fromContracts = contractCount === undefined ? undefined : instrument.kind === 'option' ? contractCount : contractCount * instrument.contractSize;
  if (amount !== undefined && fromContracts !== undefined && Math.abs(amount - fromContracts) > 1e-9) return Number.NaN;
  return amount ?? fromContracts;
}

function placeOrder<M extends 'private/buy' | 'private/sell'>(direction: 'buy' | 'sell'): Handler<M> {
  return (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const instrument = instrumentOf(ctx, params.instrument_name);
    if (!instrument) return fail(withData(ERRORS.invalidInstrument, { param: 'instrument_name' }));
    const amount = amountFrom(instrument, params.amount, params.contracts);
    if (amount === undefined) return fail(withData(ERRORS.invalidParams, { param: 'amount', reason: 'amount or contracts is required' }));
    if (Number.isNaN(amount)) return fail(withData(ERRORS.invalidParams, { param: 'contracts', reason: 'amount and contracts disagree' }));
    const type = params.type ?? 'limit';
    if (type === 'limit' && params.price === undefined) return fail(withData(ERRORS.invalidParams, { param: 'price', reason: 'required for limit orders' }));
    const order: PlaceOrderParams = {
      instrumentName: params.instrument_name,
      direction,
      amount,
      type,
      ...(params.price !== undefined && { price: params.price }),
      ...(params.time_in_force !== undefined && { timeInForce: params.time_in_force }),
      ...(params.post_only !== undefined && { postOnly: params.post_only }),
      ...(params.reject_post_only !== undefined && { rejectPostOnly: params.reject_post_only }),
      ...(params.reduce_only !== undefined && { reduceOnly: params.reduce_only }),
      ...(params.label !== undefined && { label: params.label }),
      ...(params.mmp !== undefined && { mmp: params.mmp }),
    };
    const result = ctx.exchange.place(accountId, order);
    if (!result.ok) return result;
    if (result.value.order.orderState === 'open') ctx.session?.createdOrderIds.add(result.value.order.orderId);
    return ok(renderOutcome(ctx, accountId, result.value));
  };
}

function subscribe(ctx: RpcContext, channels: readonly string[], allowPrivate: boolean): Result<unknown> {
  const session = ctx.session;
  if (!session) return fail(WS_ONLY);
  const subscribed: string[] = [];
  for (const name of channels) {
    const channel = parseChannel(name);
    if (!channel) continue;
    if (isPrivateChannel(channel) && (!allowPrivate || !session.accountId)) continue;
    if (needsAuthForRaw(channel) && !session.accountId) continue;
    if ((channel.type === 'book' || channel.type === 'ticker') && !ctx.exchange.isActive(channel.instrumentName)) continue;
    ctx.publisher.subscribe(session, name, channel);
    subscribed.push(name);
  }
  return ok(subscribed);
}

function unsubscribe(ctx: RpcContext, channels: readonly string[]): Result<unknown> {
  const session = ctx.session;
  if (!session) return fail(WS_ONLY);
  const removed = channels.filter((name) => session.subscriptions.delete(name));
  return ok(removed);
}

function summaryFor(ctx: RpcContext, instrument: SimInstrument): Record<string, unknown> {
  const ticker = summaryTicker(ctx, instrument);
  const bid = ticker.best_bid_price === 0 ? null : ticker.best_bid_price;
  const ask = ticker.best_ask_price === 0 ? null : ticker.best_ask_price;
  return {
    volume: 0,
    ...(instrument.kind === 'option' && { underlying_price: ticker.underlying_price, underlying_index: ticker.underlying_index, interest_rate: 0, mark_iv: ticker.mark_iv }),
    quote_currency: instrument.quoteCurrency,
    price_change: null,
    open_interest: 0,
    mid_price: bid !== null && ask !== null ? (Number(bid) + Number(ask)) / 2 : null,
    mark_price: ticker.mark_price,
    low: null,
    last: ticker.last_price,
    instrument_name: instrument.instrumentName,
    high: null,
    estimated_delivery_price: ticker.estimated_delivery_price,
    creation_timestamp: ctx.clock.nowMs(),
    bid_price: bid,
    base_currency: instrument.baseCurrency,
    ask_price: ask,
    ...(instrument.isPerpetual && { funding_8h: ticker.funding_8h, current_funding: ticker.current_funding }),
  };
}

const CURRENCIES: ReadonlyArray<Record<string, unknown>> = [
  { coin_type: 'BITCOIN', currency: 'BTC', currency_long: 'Bitcoin', min_confirmations: 1, min_withdrawal_fee: 0.0001, withdrawal_fee: 0.0001, withdrawal_priorities: [], network_currency: 'BTC', network_fee: 0.0001, decimals: 8 },
  { coin_type: 'ETHER', currency: 'ETH', currency_long: 'Ethereum', min_confirmations: 1, min_withdrawal_fee: 0.0001, withdrawal_fee: 0.0006, withdrawal_priorities: [], network_currency: 'ETH', network_fee: 0.0006, decimals: 6 },
];

export const HANDLERS: { readonly [M in MethodName]: Handler<M> } = {
  'public/auth': (ctx, params) => {
    let outcome;
    if (params.grant_type === 'client_credentials') {
      if (!params.client_id || !params.client_secret) return fail(withData(ERRORS.invalidParams, { param: 'client_secret', reason: 'client_id and client_secret are required' }));
      outcome = ctx.tokens.clientCredentials(params.client_id, params.client_secret, params.scope);
    } else if (params.grant_type === 'refresh_token') {
      if (!params.refresh_token) return fail(withData(ERRORS.invalidParams, { param: 'refresh_token', reason: 'required' }));
      outcome = ctx.tokens.refreshToken(params.refresh_token);
    } else {
      return fail(withData(ERRORS.invalidParams, { param: 'grant_type', reason: 'client_signature is not supported by the simulator' }));
    }
    if (!outcome.ok) return fail(ERRORS.invalidCredentials);
    if (ctx.session) {
      ctx.session.accountId = outcome.grant.accountId;
      if (ctx.accountCod.has(outcome.grant.accountId)) ctx.session.cancelOnDisconnect = true;
    }
    return ok({
      access_token: outcome.grant.accessToken,
      expires_in: outcome.grant.expiresInSec,
      refresh_token: outcome.grant.refreshToken,
      scope: outcome.grant.scope,
      enabled_features: [],
      token_type: 'bearer',
      ...(params.state !== undefined && { state: params.state }),
    });
  },
  'public/get_time': (ctx) => ok(ctx.clock.nowMs()),
  'public/test': (ctx) => {
    if (ctx.session) ctx.session.awaitingTestReply = false;
    return ok({ version: '2.1.1' });
  },
  'public/hello': () => ok({ version: '2.1.1' }),
  'public/set_heartbeat': (ctx, params) => {
    if (!ctx.session) return fail(WS_ONLY);
    ctx.session.heartbeatIntervalSec = params.interval;
    ctx.session.lastHeartbeatMs = ctx.clock.nowMs();
    ctx.session.awaitingTestReply = false;
    return ok('ok');
  },
  'public/disable_heartbeat': (ctx) => {
    if (!ctx.session) return fail(WS_ONLY);
    ctx.session.heartbeatIntervalSec = undefined;
    return ok('ok');
  },
  'public/get_instruments': (ctx, params) => {
    const currency = params.currency === 'ANY' || params.currency === undefined ? undefined : params.currency;
    if (params.expired) return ok([]);
    return ok(ctx.exchange.instruments(currency, kindOf(params.kind)).map((instrument) => renderInstrument(instrument, true)));
  },
  'public/get_currencies': () => ok(CURRENCIES),
  'public/get_index_price': (ctx, params) => {
    const currency = indexCurrency(params.index_name);
    const price = currency ? ctx.market.indexPrice(currency) : undefined;
    if (price === undefined) return fail(withData(ERRORS.invalidParams, { param: 'index_name', reason: 'unknown index' }));
    return ok({ index_price: price, estimated_delivery_price: price });
  },
  'public/get_order_book': (ctx, params) => {
    const instrument = instrumentOf(ctx, params.instrument_name);
    const book = ctx.exchange.book(params.instrument_name);
    if (!instrument || !book || !ctx.exchange.isActive(params.instrument_name)) return fail(withData(ERRORS.invalidInstrument, { param: 'instrument_name' }));
    const levels = bookLevels(book, instrument, params.depth ?? 20);
    const ticker = summaryTicker(ctx, instrument);
    return ok({ ...ticker, change_id: 0, bids: levels.bids, asks: levels.asks });
  },
  'public/ticker': (ctx, params) => {
    const instrument = instrumentOf(ctx, params.instrument_name);
    if (!instrument || !ctx.exchange.isActive(params.instrument_name)) return fail(withData(ERRORS.invalidInstrument, { param: 'instrument_name' }));
    return ok(summaryTicker(ctx, instrument));
  },
  'public/get_book_summary_by_currency': (ctx, params) => ok(ctx.exchange.instruments(params.currency, kindOf(params.kind)).map((instrument) => summaryFor(ctx, instrument))),
  'public/subscribe': (ctx, params) => subscribe(ctx, params.channels, false),
  'public/unsubscribe': (ctx, params) => unsubscribe(ctx, params.channels),
  'public/unsubscribe_all': (ctx) => {
    ctx.session?.subscriptions.clear();
    return ok('ok');
  },
  'private/subscribe': (ctx, params) => subscribe(ctx, params.channels, true),
  'private/unsubscribe': (ctx, params) => unsubscribe(ctx, params.channels),
  'private/unsubscribe_all': (ctx) => {
    ctx.session?.subscriptions.clear();
    return ok('ok');
  },
  'private/buy': placeOrder<'private/buy'>('buy'),
  'private/sell': placeOrder<'private/sell'>('sell'),
  'private/edit': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const state = ctx.exchange.orderState(accountId, params.order_id);
    if (!state.ok) return state;
    const instrument = instrumentOf(ctx, state.value.instrumentName)!;
    const amount = amountFrom(instrument, params.amount, params.contracts);
    if (Number.isNaN(amount)) return fail(withData(ERRORS.invalidParams, { param: 'contracts', reason: 'amount and contracts disagree' }));
    const result = ctx.exchange.edit(accountId, {
      orderId: params.order_id,
      amount: amount ?? state.value.amount,
      ...(params.price !== undefined && { price: params.price }),
      ...(params.post_only !== undefined && { postOnly: params.post_only }),
      ...(params.reject_post_only !== undefined && { rejectPostOnly: params.reject_post_only }),
      ...(params.reduce_only !== undefined && { reduceOnly: params.reduce_only }),
      ...(params.mmp !== undefined && { mmp: params.mmp }),
    });
    return result.ok ? ok(renderOutcome(ctx, accountId, result.value)) : result;
  },
  'private/cancel': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const result = ctx.exchange.cancel(accountId, params.order_id);
    return result.ok ? ok(renderOrder(result.value, instrumentOf(ctx, result.value.instrumentName)!)) : result;
  },
  'private/cancel_all': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const count = ctx.exchange.cancelAll(accountId);
    // Deribit: freeze_quotes also refuses incoming quotes for a second.
    if (params.freeze_quotes) ctx.exchange.freezeQuotes(accountId);
    return ok(count);
  },
  'private/cancel_all_by_instrument': (ctx, params) => {
    if (!instrumentOf(ctx, params.instrument_name)) return fail(withData(ERRORS.invalidInstrument, { param: 'instrument_name' }));
    return ok(ctx.exchange.cancelAll(requireAccount(ctx)!, { instrumentName: params.instrument_name }));
  },
  'private/cancel_all_by_currency': (ctx, params) => {
    const kind = kindOf(params.kind);
    return ok(ctx.exchange.cancelAll(requireAccount(ctx)!, { currency: params.currency, ...(kind && { kind }) }));
  },
  'private/get_open_orders_by_currency': (ctx, params) => {
    const kind = kindOf(params.kind);
    const orders = ctx.exchange.openOrders(requireAccount(ctx)!, { currency: params.currency, ...(kind && { kind }) });
    return ok(orders.map((order) => renderOrder(order, instrumentOf(ctx, order.instrumentName)!)));
  },
  'private/get_order_state': (ctx, params) => {
    const result = ctx.exchange.orderState(requireAccount(ctx)!, params.order_id);
    return result.ok ? ok(renderOrder(result.value, instrumentOf(ctx, result.value.instrumentName)!)) : result;
  },
  'private/get_positions': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const currency: Currency | undefined = params.currency === 'ANY' ? undefined : params.currency;
    return ok(
      ctx.exchange.positions(accountId, currency, kindOf(params.kind)).map((position) => {
        const instrument = instrumentOf(ctx, position.instrumentName)!;
        const mark = ctx.exchange.mark(position.instrumentName);
        return renderPosition(position, instrument, mark, ctx.market.indexPrice(instrument.currency) ?? 0, floatingPnl(instrument, position, mark));
      }),
    );
  },
  'private/get_account_summary': (ctx, params) => {
    const summary = ctx.exchange.accountSummary(requireAccount(ctx)!, params.currency);
    if (!summary) return fail(ERRORS.unauthorized);
    return ok(renderAccountSummary(summary, { id: 1, ...(params.extended && { email: 'trader@simulator.invalid' }) }));
  },
  'private/get_account_summaries': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const summaries = (['BTC', 'ETH'] as const).flatMap((currency) => {
      const summary = ctx.exchange.accountSummary(accountId, currency);
      return summary ? [renderAccountSummary(summary, { id: 1 })] : [];
    });
    return ok({ id: 1, ...(params.extended && { email: 'trader@simulator.invalid' }), summaries });
  },
  'private/get_user_trades_by_currency': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    const kind = kindOf(params.kind);
    let trades = ctx.exchange.userTrades(accountId, params.currency, 10_000).filter((trade) => !kind || instrumentOf(ctx, trade.instrumentName)?.kind === kind);
    const count = params.count ?? 10;
    const hasMore = trades.length > count;
    trades = trades.slice(0, count);
    if (params.sorting === 'asc') trades.reverse();
    return ok({
      trades: trades.map((trade) => {
        const instrument = instrumentOf(ctx, trade.instrumentName)!;
        const orderId = trade.makerAccountId === accountId ? trade.makerOrderId : trade.takerOrderId;
        const order = ctx.exchange.orderState(accountId, orderId);
        return renderUserTrade(trade, accountId, instrument, order.ok ? order.value : undefined, ctx.market.forward(instrument.currency, instrument.expirationTimestamp));
      }),
      has_more: hasMore,
    });
  },
  'private/enable_cancel_on_disconnect': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    if ((params.scope ?? 'connection') === 'account') ctx.accountCod.add(accountId);
    else if (!ctx.session) return fail(WS_ONLY);
    if (ctx.session) ctx.session.cancelOnDisconnect = true;
    return ok('ok');
  },
  'private/disable_cancel_on_disconnect': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    if ((params.scope ?? 'connection') === 'account') ctx.accountCod.delete(accountId);
    if (ctx.session) ctx.session.cancelOnDisconnect = false;
    return ok('ok');
  },
  'private/get_cancel_on_disconnect': (ctx, params) => {
    const scope = params.scope ?? 'connection';
    const enabled = scope === 'account' ? ctx.accountCod.has(requireAccount(ctx)!) : (ctx.session?.cancelOnDisconnect ?? false);
    return ok({ scope, enabled });
  },
  'private/set_mmp_config': (ctx, params) => {
    const config = {
      indexName: params.index_name,
      ...(params.mmp_group !== undefined && { mmpGroup: params.mmp_group }),
      intervalSec: params.interval,
      frozenTimeSec: params.frozen_time,
      quantityLimit: params.quantity_limit ?? 0,
      ...(params.delta_limit !== undefined && { deltaLimit: params.delta_limit }),
      ...(params.vega_limit !== undefined && { vegaLimit: params.vega_limit }),
      ...(params.max_quote_quantity !== undefined && { maxQuoteQuantity: params.max_quote_quantity }),
    };
    if (!indexCurrency(params.index_name)) return fail(withData(ERRORS.invalidParams, { param: 'index_name', reason: 'unknown index' }));
    const result = ctx.exchange.setMmpConfig(requireAccount(ctx)!, config);
    if (!result.ok) return result;
    return ok(renderMmpConfig(config));
  },
  // Deribit: without mmp_group, the orders' configurations and the groups'; with one, that group's.
  'private/get_mmp_config': (ctx, params) => {
    const configs = ctx.exchange
      .mmpConfigs(requireAccount(ctx)!)
      .filter((config) => (!params.index_name || config.indexName === params.index_name) && (params.mmp_group === undefined || config.mmpGroup === params.mmp_group));
    return ok(configs.map(renderMmpConfig));
  },
  // Deribit: the triggered (frozen) indices only; frozen_until 0 means until private/reset_mmp.
  'private/get_mmp_status': (ctx, params) => {
    if (params.block_rfq) return ok([]);
    const statuses = ctx.exchange
      .mmpStatuses(requireAccount(ctx)!)
      .filter((status) => (!params.index_name || status.indexName === params.index_name) && (params.mmp_group === undefined || status.mmpGroup === params.mmp_group));
    return ok(statuses.map((status) => ({ index_name: status.indexName, frozen_until: Number.isFinite(status.frozenUntilMs) ? status.frozenUntilMs : 0, ...(status.mmpGroup !== undefined && { mmp_group: status.mmpGroup }) })));
  },
  'private/reset_mmp': (ctx, params) => {
    const result = ctx.exchange.resetMmp(requireAccount(ctx)!, params.index_name, params.mmp_group);
    return result.ok ? ok('ok') : result;
  },
  'private/mass_quote': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    // Deribit: mass quotes need cancel-on-disconnect, so a vanished quoter leaves no quotes behind.
    if (!ctx.session?.cancelOnDisconnect && !(ctx.session && ctx.accountCod.has(accountId))) return fail(ERRORS.codNotEnabled);
    if (params.valid_until !== undefined && ctx.clock.nowMs() > params.valid_until) return fail(ERRORS.timedOut);
    const result = ctx.exchange.massQuote(accountId, {
      mmpGroup: params.mmp_group,
      quoteId: params.quote_id,
      quotes: params.quotes.map((quote) => ({
        instrumentName: quote.instrument_name,
        quoteSetId: quote.quote_set_id,
        ...(quote.bid && { bid: quoteSide(quote.bid) }),
        ...(quote.ask && { ask: quoteSide(quote.ask) }),
      })),
    });
    if (!result.ok) return result;
    const { orders, trades, errors } = result.value;
    for (const order of orders) if (order.orderState === 'open') ctx.session?.createdOrderIds.add(order.orderId);
    const renderedErrors = errors.map((e) => ({ instrument_name: e.instrumentName, side: e.side, error: { code: e.error.code, message: e.error.message } }));
    const errorPart = params.detailed ? { errors: renderedErrors } : { errors_count: errors.length };
    // The simulator processes a request whole before answering: nothing is ever left pending.
    if (params.wait_for_response === false) return ok({ ...errorPart, ...(params.detailed ? { pending_requests: [] } : { pending_requests_count: 0 }) });
    return ok({
      orders: orders.map((order) => renderOrder(order, instrumentOf(ctx, order.instrumentName)!)),
      trades: trades.map((trade) => {
        const instrument = instrumentOf(ctx, trade.instrumentName)!;
        const orderId = trade.makerAccountId === accountId ? trade.makerOrderId : trade.takerOrderId;
        const order = ctx.exchange.orderState(accountId, orderId);
        return renderUserTrade(trade, accountId, instrument, order.ok ? order.value : undefined, ctx.market.forward(instrument.currency, instrument.expirationTimestamp));
      }),
      ...errorPart,
    });
  },
  'private/cancel_quotes': (ctx, params) => {
    const accountId = requireAccount(ctx)!;
    if (!ctx.session?.cancelOnDisconnect && !(ctx.session && ctx.accountCod.has(accountId))) return fail(ERRORS.codNotEnabled);
    const filter = quoteCancelFilter(params);
    if (!filter.ok) return filter;
    const cancelled = ctx.exchange.cancelQuotes(accountId, filter.value, params.freeze_quotes ?? false);
    return ok(params.detailed ? cancelled.map((order) => ({ order: renderOrder(order, instrumentOf(ctx, order.instrumentName)!) })) : cancelled.length);
  },
};

function quoteSide(side: { price?: number | undefined; amount?: number | undefined; post_only?: boolean | undefined; reject_post_only?: boolean | undefined }): QuoteSideParams {
  return {
    ...(side.price !== undefined && { price: side.price }),
    ...(side.amount !== undefined && { amount: side.amount }),
    ...(side.post_only !== undefined && { postOnly: side.post_only }),
    ...(side.reject_post_only !== undefined && { rejectPostOnly: side.reject_post_only }),
  };
}

/** cancel_quotes' criteria, each with the parameter it needs. */
function quoteCancelFilter(params: ParamsOf<'private/cancel_quotes'>): Result<QuoteCancelFilter> {
  const missing = (param: string): Result<QuoteCancelFilter> => fail(withData(ERRORS.invalidParams, { param, reason: `required for cancel_type ${params.cancel_type}` }));
  switch (params.cancel_type) {
    case 'all':
      return ok({ kind: 'all' });
    case 'instrument':
      return params.instrument_name ? ok({ kind: 'instrument', instrumentName: params.instrument_name }) : missing('instrument_name');
    case 'instrument_kind':
    case 'kind': {
      const kind = kindOf(params.kind);
      return params.kind === 'any' ? ok({ kind: 'all' }) : kind ? ok({ kind: 'instrument_kind', instrumentKind: kind }) : missing('kind');
    }
    case 'currency':
      return params.currency ? ok({ kind: 'currency', currency: params.currency }) : missing('currency');
    case 'currency_pair':
      return params.currency_pair ? ok({ kind: 'currency_pair', indexName: params.currency_pair.toLowerCase() }) : missing('currency_pair');
    case 'quote_set_id':
      return params.quote_set_id !== undefined ? ok({ kind: 'quote_set_id', quoteSetId: params.quote_set_id }) : missing('quote_set_id');
    case 'delta':
      if (params.min_delta === undefined) return missing('min_delta');
      if (params.max_delta === undefined) return missing('max_delta');
      return ok({ kind: 'delta', minDelta: params.min_delta, maxDelta: params.max_delta });
  }
}

function summaryTicker(ctx: RpcContext, instrument: SimInstrument): Record<string, unknown> {
  return tickerFor(ctx.exchange, ctx.market, instrument, ctx.clock.nowMs());
}
