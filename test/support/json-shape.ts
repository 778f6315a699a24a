/**
 * Compares a response or notification with the shape Deribit documents: every documented field
 * must be present with the same JSON type (null matches anything, as Deribit nulls absent
 * values). Arrays compare their first elements.
 */

/** Fields that Deribit documents but that describe features the simulator does not model. */
export const NOT_MODELLED: ReadonlySet<string> = new Set([
  'interest_value', 'settlement_price', 'block_trade_tick_size', 'estimated_liquidation_price', 'realized_funding', 'leverage',
  'initial_margin', 'maintenance_margin', 'open_orders_margin', 'average_price_usd', 'floating_profit_loss_usd', 'max_show',
  'matching_id', 'underlying_index', 'volume_usd', 'stats',
]);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Paths where `actual` lacks a documented field or has another type. */
export function shapeDifferences(documented: unknown, actual: unknown, path = '', ignore: ReadonlySet<string> = NOT_MODELLED): string[] {
  if (documented === null || actual === null) return [];
  if (jsonType(documented) !== jsonType(actual)) return [`${path}: documented ${jsonType(documented)}, got ${jsonType(actual)}`];
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length === 0 || actual.length === 0) return [];
    return shapeDifferences(documented[0], actual[0], `${path}[0]`, ignore);
  }
  if (typeof documented === 'object' && typeof actual === 'object') {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(documented as object)) {
      if (ignore.has(key)) continue;
      if (!(key in (actual as object))) problems.push(`${path}.${key}: missing`);
      else problems.push(...shapeDifferences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`, ignore));
    }
    return problems;
  }
  return [];
}
