import type { Credentials } from './rpc/auth.ts';
import type { Currency } from './instruments/types.ts';

/** The credentials `npm run sim` and the engine use unless told otherwise (documented in the README). */
export const DEFAULT_CREDENTIALS: Credentials = { clientId: 'sim-trader', clientSecret: 'sim-secret', accountId: 'trader' };

/** Starting balances of the trading account, in coin: a market maker's, enough margin to quote a chain. */
export const DEFAULT_BALANCES: Readonly<Record<Currency, number>> = { BTC: 100, ETH: 1500 };

/**
 * The embedded simulator's rate limits: a market maker's tier (100 matching-engine requests per
 * second, bursts of 200), so a whole chain can be quoted. The engine's client-side limiter is
 * given the same figures, as it would be given the account's real tier at Deribit.
 */
export const MARKET_MAKER_CREDITS = {
  nonMatching: { maxCredits: 100_000, refillPerSec: 20_000, costPerRequest: 500 },
  matching: { maxCredits: 200_000, refillPerSec: 100_000, costPerRequest: 1_000 },
} as const;
