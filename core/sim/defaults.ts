import type { Credentials } from './rpc/auth.ts';
import type { Currency } from './instruments/types.ts';

/** The credentials `npm run sim` and the engine use unless told otherwise (documented in the README). */
export const DEFAULT_CREDENTIALS: Credentials = { clientId: 'sim-trader', clientSecret: 'sim-secret', accountId: 'trader' };

/** Starting balances of the trading account, in coin. */
export const DEFAULT_BALANCES: Readonly<Record<Currency, number>> = { BTC: 10, ETH: 150 };
