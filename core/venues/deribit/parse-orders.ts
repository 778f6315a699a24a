import { z } from 'zod';
import type { VenueOrderReport } from '../venue-adapter.ts';

/** Deribit order objects (responses and user.orders notifications) as venue order reports; a mass quote's carries its quote fields. */
const OrderSchema = z.object({
  order_id: z.string().min(1),
  label: z.string().optional(),
  instrument_name: z.string().min(1),
  direction: z.enum(['buy', 'sell']),
  price: z.union([z.number(), z.string()]),
  amount: z.number().nonnegative(),
  filled_amount: z.number().nonnegative(),
  average_price: z.number().nonnegative().optional(),
  order_state: z.string(),
  cancel_reason: z.string().optional(),
  post_only: z.boolean().optional(),
  reduce_only: z.boolean().optional(),
  last_update_timestamp: z.number(),
  // Present only on mass quotes (private/mass_quote's order object).
  quote: z.boolean().optional(),
  mmp_group: z.string().optional(),
  quote_set_id: z.string().optional(),
  quote_id: z.string().optional(),
});

const STATES: Readonly<Record<string, VenueOrderReport['venueState'] | undefined>> = { open: 'open', filled: 'filled', cancelled: 'cancelled', rejected: 'rejected' };

/** A report, or undefined for malformed data and order kinds we do not trade (trigger orders). */
export function parseOrderReport(venueId: string, data: unknown): VenueOrderReport | undefined {
  const parsed = OrderSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const o = parsed.data;
  const venueState = STATES[o.order_state];
  if (!venueState) return undefined;
  const price = typeof o.price === 'number' ? o.price : Number(o.average_price ?? 0);
  return {
    venueId,
    venueOrderId: o.order_id,
    label: o.label ?? '',
    instrumentName: o.instrument_name,
    side: o.direction,
    price,
    amount: o.amount,
    filledAmount: o.filled_amount,
    averagePrice: o.average_price ?? 0,
    venueState,
    ...(o.cancel_reason !== undefined && { cancelReason: o.cancel_reason }),
    postOnly: o.post_only ?? false,
    reduceOnly: o.reduce_only ?? false,
    tsMs: o.last_update_timestamp,
    ...(o.quote === true && o.mmp_group !== undefined && { quote: { mmpGroup: o.mmp_group, quoteSetId: o.quote_set_id ?? '', quoteId: o.quote_id ?? '' } }),
  };
}
