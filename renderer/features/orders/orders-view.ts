import type { OrderRow } from '../../../core/protocol/index.ts';

/**
 * The blotter's filter. With the strategy quoting, hundreds of its orders churn through the
 * blotter; the trader's own (manual) and the hedger's orders must stay findable.
 */

export type OriginFilter = 'all' | OrderRow['origin'];

export const ORIGIN_FILTERS: readonly { readonly id: OriginFilter; readonly label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'manual', label: 'Manual' },
  { id: 'hedge', label: 'Hedge' },
  { id: 'strategy', label: 'Strategy' },
];

/** Orders still working or whose fate is not known yet. */
export const LIVE_STATES: ReadonlySet<OrderRow['state']> = new Set(['pending-new', 'open', 'partially-filled', 'pending-cancel', 'pending-replace', 'unknown']);

export function isLive(order: OrderRow): boolean {
  return LIVE_STATES.has(order.state);
}

export function filterOrders(orders: readonly OrderRow[], origin: OriginFilter, liveOnly: boolean): OrderRow[] {
  return orders.filter((order) => (origin === 'all' || order.origin === origin) && (!liveOnly || isLive(order)));
}

/** Live orders by origin, for the filter buttons' counts. */
export function liveCounts(orders: readonly OrderRow[]): Readonly<Record<OriginFilter, number>> {
  const counts: Record<OriginFilter, number> = { all: 0, manual: 0, hedge: 0, strategy: 0 };
  for (const order of orders) {
    if (!isLive(order)) continue;
    counts.all++;
    counts[order.origin]++;
  }
  return counts;
}
