import { isOnTick, tickSizeAt } from '../../../core/model/ticks.ts';
import type { InstrumentRow } from '../../../core/protocol/index.ts';

/**
 * The order ticket's checks, before a command is sent: the engine checks again (it is the
 * authority), but a trader should not have to wait for a round trip to learn a price is off-tick.
 */
export interface TicketInput {
  readonly priceText: string;
  readonly amountText: string;
}

export type TicketCheck = { readonly ok: true; readonly price: number; readonly amount: number } | { readonly ok: false; readonly reason: string };

function onGrid(value: number, step: number): boolean {
  const units = value / step;
  return Math.abs(units - Math.round(units)) < 1e-6;
}

export function checkTicket(instrument: InstrumentRow | undefined, input: TicketInput): TicketCheck {
  if (!instrument) return { ok: false, reason: 'select an instrument in the chain first' };
  const price = Number(input.priceText);
  const amount = Number(input.amountText);
  if (input.priceText.trim() === '' || !Number.isFinite(price) || price <= 0) return { ok: false, reason: 'price must be a positive number' };
  if (input.amountText.trim() === '' || !Number.isFinite(amount) || amount <= 0) return { ok: false, reason: 'amount must be a positive number' };
  // The tick that applies at the price: Deribit's options tick coarser above 0.005 (tick_size_steps).
  if (!isOnTick(instrument, price)) return { ok: false, reason: `price must be a multiple of the tick ${tickSizeAt(instrument, price)}` };
  if (!onGrid(amount, instrument.minTradeAmount)) return { ok: false, reason: `amount must be a multiple of ${instrument.minTradeAmount}` };
  return { ok: true, price, amount };
}

/** Amount units as Deribit trades them: options in coin, futures in USD. */
export function amountUnit(instrument: InstrumentRow | undefined): string {
  if (!instrument) return '';
  return instrument.kind === 'option' ? instrument.currency : 'USD';
}

/** Price units: inverse options in coin, futures in USD. */
export function priceUnit(instrument: InstrumentRow | undefined): string {
  if (!instrument) return '';
  return instrument.kind === 'option' ? instrument.currency : 'USD';
}
