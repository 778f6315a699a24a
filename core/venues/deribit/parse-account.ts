import { z } from 'zod';
import type { Fill, VenueAccount, VenuePosition } from '../../model/trading.ts';

/**
 * Deribit's records of our trading — user trades (user.trades.* notifications and
 * private/get_user_trades_by_currency), positions (private/get_positions) and account summaries
 * (private/get_account_summary, user.portfolio.*) — in the workstation's terms. Each is checked
 * with a schema: these messages move money, so a malformed one is refused with a reason, and the
 * records around it are still read.
 */

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** zod 4 numbers refuse NaN and ±Infinity already. */
const finite = z.number();
/** Deribit ids are strings; some older shapes send numbers. */
const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

const UserTradeSchema = z.object({
  trade_id: id,
  order_id: id,
  instrument_name: z.string().min(1),
  direction: z.enum(['buy', 'sell']),
  amount: finite.positive(),
  price: finite,
  fee: finite,
  index_price: finite.nonnegative(),
  liquidity: z.enum(['M', 'T']),
  timestamp: finite.nonnegative(),
  label: z.string().optional(),
  quote_id: z.string().optional(),
});

const PositionSchema = z.object({
  instrument_name: z.string().min(1),
  size: finite,
  average_price: finite.nonnegative(),
  mark_price: finite.nonnegative(),
  realized_profit_loss: finite.optional(),
  floating_profit_loss: finite.optional(),
});

const AccountSchema = z.object({
  currency: z.string().min(1),
  equity: finite,
  balance: finite,
  available_funds: finite,
  initial_margin: finite,
  maintenance_margin: finite,
  total_pl: finite,
  delta_total: finite,
});

function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid';
}

/** One user trade as a fill of ours (`direction` is our side: see the fixture's caveat). */
export function parseUserTrade(venueId: string, data: unknown): Parsed<Fill> {
  const parsed = UserTradeSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `user trade refused: ${reasonOf(parsed.error)}` };
  const t = parsed.data;
  return {
    ok: true,
    value: {
      venueId,
      tradeId: t.trade_id,
      venueOrderId: t.order_id,
      // A quote has no label: its fill carries our id of the mass quote that set it (quote_id).
      label: t.label || (t.quote_id ?? ''),
      instrumentName: t.instrument_name,
      side: t.direction,
      amount: t.amount,
      price: t.price,
      feeCoin: t.fee,
      indexPrice: t.index_price,
      liquidity: t.liquidity === 'M' ? 'maker' : 'taker',
      tsMs: t.timestamp,
    },
  };
}

/** An array of user trades (a notification's data, a page's `trades`): every good one, a reason for each bad one. */
export function parseUserTrades(venueId: string, data: unknown): { readonly fills: Fill[]; readonly refused: string[] } {
  if (!Array.isArray(data)) return { fills: [], refused: ['user trades: not an array'] };
  const fills: Fill[] = [];
  const refused: string[] = [];
  for (const entry of data) {
    const parsed = parseUserTrade(venueId, entry);
    if (parsed.ok) fills.push(parsed.value);
    else refused.push(parsed.reason);
  }
  return { fills, refused };
}

/** One entry of private/get_positions; `tsMs` is when we received it (positions carry no time). */
export function parsePosition(venueId: string, data: unknown, tsMs: number): Parsed<VenuePosition> {
  const parsed = PositionSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `position refused: ${reasonOf(parsed.error)}` };
  const p = parsed.data;
  return {
    ok: true,
    value: {
      venueId,
      instrumentName: p.instrument_name,
      size: p.size,
      averagePrice: p.average_price,
      markPrice: p.mark_price,
      realizedPnlCoin: p.realized_profit_loss ?? 0,
      floatingPnlCoin: p.floating_profit_loss ?? 0,
      tsMs,
    },
  };
}

/** An account summary (a get_account_summary result or a user.portfolio notification). */
export function parseAccount(venueId: string, data: unknown, tsMs: number): Parsed<VenueAccount> {
  const parsed = AccountSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `account summary refused: ${reasonOf(parsed.error)}` };
  const a = parsed.data;
  return {
    ok: true,
    value: {
      venueId,
      currency: a.currency.toUpperCase(),
      equityCoin: a.equity,
      balanceCoin: a.balance,
      availableFundsCoin: a.available_funds,
      initialMarginCoin: a.initial_margin,
      maintenanceMarginCoin: a.maintenance_margin,
      totalPnlCoin: a.total_pl,
      deltaTotal: a.delta_total,
      tsMs,
    },
  };
}
