import { z } from 'zod';
import type { PublicTrade } from '../venue-adapter.ts';

/**
 * Public trades (`trades.{kind}.{currency}.{interval}`): what traded, at what price, which side
 * took. One malformed trade in a notification loses itself, not its neighbours.
 */
const TradeSchema = z.object({
  trade_id: z.string().min(1),
  instrument_name: z.string().min(1),
  price: z.number().finite().positive(),
  amount: z.number().finite().positive(),
  direction: z.enum(['buy', 'sell']),
  timestamp: z.number().finite(),
});

export function parsePublicTrades(data: unknown): { readonly trades: PublicTrade[]; readonly refused: number } {
  if (!Array.isArray(data)) return { trades: [], refused: 1 };
  const trades: PublicTrade[] = [];
  let refused = 0;
  for (const raw of data) {
    const parsed = TradeSchema.safeParse(raw);
    if (!parsed.success) {
      refused += 1;
      continue;
    }
    const t = parsed.data;
    trades.push({ tradeId: t.trade_id, instrumentName: t.instrument_name, price: t.price, amount: t.amount, takerSide: t.direction, tsMs: t.timestamp });
  }
  return { trades, refused };
}
