/**
 * Deribit's JSON-RPC error codes and messages the simulator returns, so a client's error handling
 * is exercised exactly as against the venue. Messages are Deribit's snake_case identifiers.
 */
export interface SimError {
  readonly code: number;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export const ERRORS = {
  orderNotFound: { code: 10004, message: 'order_not_found' },
  notEnoughFunds: { code: 10009, message: 'not_enough_funds' },
  alreadyClosed: { code: 10010, message: 'already_closed' },
  bookClosed: { code: 10012, message: 'book_closed' },
  invalidInstrument: { code: 10020, message: 'invalid_or_unsupported_instrument' },
  invalidAmount: { code: 10021, message: 'invalid_amount' },
  invalidPrice: { code: 10023, message: 'invalid_price' },
  tooManyRequests: { code: 10028, message: 'too_many_requests' },
  matchingEngineQueueFull: { code: 10047, message: 'matching_engine_queue_full' },
  notOwnerOfOrder: { code: 10029, message: 'not_owner_of_order' },
  priceWrongTick: { code: 10043, message: 'price_wrong_tick' },
  otherReject: { code: 11030, message: 'other_reject' },
  badArgument: { code: 11043, message: 'bad_argument' },
  notOpenOrder: { code: 11044, message: 'not_open_order' },
  badRequest: { code: 11050, message: 'bad_request' },
  postOnlyReject: { code: 11054, message: 'post_only_reject' },
  invalidCredentials: { code: 13004, message: 'invalid_credentials' },
  unauthorized: { code: 13009, message: 'unauthorized' },
  notFound: { code: 13020, message: 'not_found' },
  forbidden: { code: 13021, message: 'forbidden' },
  mmpTrigger: { code: 13030, message: 'mmp_trigger' },
  codNotEnabled: { code: 13042, message: 'cod_not_enabled' },
  quotesFrozen: { code: 13043, message: 'quotes_frozen' },
  timedOut: { code: 13888, message: 'timed_out' },
  massQuotesDisabled: { code: 13902, message: 'mass_quotes_disabled' },
  tooManyQuotes: { code: 13903, message: 'too_many_quotes' },
  methodNotFound: { code: -32601, message: 'Method not found' },
  invalidParams: { code: -32602, message: 'Invalid params' },
  parseError: { code: -32700, message: 'Parse error' },
} as const satisfies Record<string, SimError>;

/** Deribit has no plain "too many open orders" code outside portfolio margin; it rejects with other_reject. */
export const TOO_MANY_OPEN_ORDERS: SimError = { code: 11030, message: 'other_reject', data: { reason: 'too many open orders' } };

export function withData(error: SimError, data: Readonly<Record<string, unknown>>): SimError {
  return { ...error, data };
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SimError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: SimError): Result<T> => ({ ok: false, error });
