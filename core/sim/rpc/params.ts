import { z } from 'zod';

/**
 * Parameter schemas for the simulator's JSON-RPC methods. Over HTTP GET every parameter arrives
 * as a string, as Deribit accepts them, so numbers and booleans also parse from their text.
 */

export const num = z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value), z.number().finite());
export const bool = z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean());
const str = z.string().min(1).max(256);

export const currency = z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(['BTC', 'ETH']));
const currencyOrAny = z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(['BTC', 'ETH', 'ANY']));
const kind = z.enum(['future', 'option', 'any']);
const direction = z.enum(['buy', 'sell']);
const timeInForce = z.enum(['good_til_cancelled', 'good_til_day', 'fill_or_kill', 'immediate_or_cancel']);
/** Deribit's MMP group names: user-defined, case sensitive, 1 to 64 characters. */
const mmpGroup = z.string().min(1).max(64);
const quoteSide = z.object({ price: num.optional(), amount: num.pipe(z.number().min(0)).optional(), post_only: bool.optional(), reject_post_only: bool.optional() });
const channels = z.preprocess((value) => (typeof value === 'string' ? value.split(',') : value), z.array(z.string().min(1).max(200)).min(1).max(1000));

export const PARAMS = {
  'public/auth': z.object({
    grant_type: z.enum(['client_credentials', 'refresh_token', 'client_signature']),
    client_id: str.optional(),
    client_secret: str.optional(),
    refresh_token: str.optional(),
    scope: z.string().max(512).optional(),
    state: z.string().max(512).optional(),
  }),
  'public/get_time': z.object({}),
  'public/test': z.object({ expected_result: z.string().optional() }),
  'public/hello': z.object({ client_name: z.string().optional(), client_version: z.string().optional() }),
  'public/set_heartbeat': z.object({ interval: num.refine((value) => value >= 10, 'interval must be at least 10 seconds') }),
  'public/disable_heartbeat': z.object({}),
  // Deribit answers without a currency (all of them); widely used clients (ccxt) rely on that.
  'public/get_instruments': z.object({ currency: currencyOrAny.optional(), kind: kind.optional(), expired: bool.optional() }),
  'public/get_currencies': z.object({}),
  'public/get_index_price': z.object({ index_name: str }),
  'public/get_order_book': z.object({ instrument_name: str, depth: num.optional() }),
  'public/ticker': z.object({ instrument_name: str }),
  'public/get_book_summary_by_currency': z.object({ currency, kind: kind.optional() }),
  'public/subscribe': z.object({ channels }),
  'public/unsubscribe': z.object({ channels }),
  'public/unsubscribe_all': z.object({}),
  'private/subscribe': z.object({ channels }),
  'private/unsubscribe': z.object({ channels }),
  'private/unsubscribe_all': z.object({}),
  'private/buy': orderSchema(),
  'private/sell': orderSchema(),
  'private/edit': z.object({
    order_id: str,
    amount: num.optional(),
    contracts: num.optional(),
    price: num.optional(),
    post_only: bool.optional(),
    reject_post_only: bool.optional(),
    reduce_only: bool.optional(),
    mmp: bool.optional(),
  }),
  'private/cancel': z.object({ order_id: str }),
  'private/cancel_all': z.object({ detailed: bool.optional(), freeze_quotes: bool.optional() }),
  'private/cancel_all_by_instrument': z.object({ instrument_name: str, type: z.string().optional(), detailed: bool.optional() }),
  'private/cancel_all_by_currency': z.object({ currency, kind: kind.optional(), type: z.string().optional(), detailed: bool.optional() }),
  'private/get_open_orders_by_currency': z.object({ currency, kind: kind.optional(), type: z.string().optional() }),
  'private/get_order_state': z.object({ order_id: str }),
  'private/get_positions': z.object({ currency: currencyOrAny.optional(), kind: kind.optional() }),
  'private/get_account_summary': z.object({ currency, extended: bool.optional() }),
  'private/get_account_summaries': z.object({ extended: bool.optional() }),
  'private/get_user_trades_by_currency': z.object({
    currency,
    kind: kind.optional(),
    count: num.pipe(z.number().int().min(1).max(1000)).optional(),
    sorting: z.enum(['asc', 'desc', 'default']).optional(),
  }),
  'private/enable_cancel_on_disconnect': z.object({ scope: z.enum(['connection', 'account']).optional() }),
  'private/disable_cancel_on_disconnect': z.object({ scope: z.enum(['connection', 'account']).optional() }),
  'private/get_cancel_on_disconnect': z.object({ scope: z.enum(['connection', 'account']).optional() }),
  'private/set_mmp_config': z.object({
    index_name: str,
    interval: num.pipe(z.number().min(0)),
    frozen_time: num.pipe(z.number().min(0)),
    quantity_limit: num.pipe(z.number().min(0)).optional(),
    delta_limit: num.pipe(z.number().min(0)).optional(),
    vega_limit: num.pipe(z.number().min(0)).optional(),
    mmp_group: mmpGroup.optional(),
    max_quote_quantity: num.pipe(z.number().min(0)).optional(),
  }),
  'private/get_mmp_config': z.object({ index_name: str.optional(), mmp_group: mmpGroup.optional() }),
  'private/reset_mmp': z.object({ index_name: str, mmp_group: mmpGroup.optional() }),
  'private/get_mmp_status': z.object({ index_name: str.optional(), mmp_group: mmpGroup.optional(), block_rfq: bool.optional() }),
  // docs.deribit.com/api-reference/trading/private-mass_quote; at most 100 quotes a request (the mass quotes article).
  'private/mass_quote': z.object({
    quote_id: str,
    mmp_group: mmpGroup,
    detailed: bool.optional(),
    wait_for_response: bool.optional(),
    valid_until: num.optional(),
    quotes: z
      .array(
        z
          .object({ instrument_name: str, quote_set_id: z.string().max(64).default(''), bid: quoteSide.optional(), ask: quoteSide.optional() })
          .refine((quote) => quote.bid !== undefined || quote.ask !== undefined, 'a quote needs a bid or an ask'),
      )
      .min(1)
      .max(100),
  }),
  // docs.deribit.com/api-reference/trading/private-cancel_quotes
  'private/cancel_quotes': z.object({
    cancel_type: z.enum(['delta', 'quote_set_id', 'instrument', 'instrument_kind', 'kind', 'currency', 'currency_pair', 'all']),
    min_delta: num.optional(),
    max_delta: num.optional(),
    quote_set_id: z.string().max(64).optional(),
    instrument_name: str.optional(),
    kind: kind.optional(),
    currency: currency.optional(),
    currency_pair: str.optional(),
    detailed: bool.optional(),
    freeze_quotes: bool.optional(),
  }),
} as const;

function orderSchema() {
  return z.object({
    instrument_name: str,
    amount: num.optional(),
    contracts: num.optional(),
    type: z.enum(['limit', 'market']).optional(),
    price: num.optional(),
    label: z.string().max(64).optional(),
    time_in_force: timeInForce.optional(),
    post_only: bool.optional(),
    reject_post_only: bool.optional(),
    reduce_only: bool.optional(),
    mmp: bool.optional(),
  });
}

export type MethodName = keyof typeof PARAMS;
export type ParamsOf<M extends MethodName> = z.infer<(typeof PARAMS)[M]>;
export const DIRECTIONS = direction.options;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(PARAMS, name);
}

/** Describes the first schema problem the way Deribit's -32602 data does: which param, why. */
export function describeIssue(error: z.ZodError): { param: string; reason: string } {
  const issue = error.issues[0];
  return { param: issue?.path.join('.') || '(params)', reason: issue?.message ?? 'invalid' };
}
