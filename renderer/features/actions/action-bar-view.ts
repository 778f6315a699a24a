import type { KillSwitchView } from '../../../core/protocol/index.ts';
import { AcknowledgeHaltSchema } from '../../../core/protocol/index.ts';
import { formatClock } from '../../ui/format.ts';

/** The kill switch latch and the underlying the action bar acts on. */

/** The exact words the engine requires to release the halt (core/protocol AcknowledgeHaltSchema). */
export const HALT_ACKNOWLEDGEMENT = AcknowledgeHaltSchema.shape.acknowledgement.value;

export const KILL_REASON = 'kill switch pulled by the trader';

const SOURCES: Readonly<Record<NonNullable<KillSwitchView['source']>, string>> = {
  trader: 'the trader',
  limit: 'a risk limit',
  'venue-disconnect': 'a venue disconnect',
  engine: 'the engine',
};

/** "kill switch pulled by the trader · by the trader at 14:03:07 · 3 orders still live". */
export function haltDescription(kill: KillSwitchView): string {
  const parts: string[] = [kill.reason ?? 'no reason given'];
  const by = kill.source ? `by ${SOURCES[kill.source]}` : '';
  const at = kill.tsMs !== undefined ? `at ${formatClock(kill.tsMs).slice(0, 8)}` : '';
  if (by || at) parts.push([by, at].filter(Boolean).join(' '));
  parts.push(kill.ordersLeft > 0 ? `${kill.ordersLeft} order${kill.ordersLeft === 1 ? '' : 's'} still live at the venue` : 'no orders left');
  return parts.join(' · ');
}

/** The acknowledgement, only once the trader has ticked that positions and orders were checked. */
export function acknowledgeCommand(checked: boolean): { readonly type: 'AcknowledgeHalt'; readonly acknowledgement: typeof HALT_ACKNOWLEDGEMENT } | undefined {
  return checked ? { type: 'AcknowledgeHalt', acknowledgement: HALT_ACKNOWLEDGEMENT } : undefined;
}

/** Underlyings the bar can act on, from comma-joined lists (selected as strings to stay primitive). */
export function actionCurrencies(...lists: readonly string[]): readonly string[] {
  const all = new Set<string>();
  for (const list of lists) for (const currency of list.split(',')) if (currency !== '') all.add(currency);
  return [...all].sort();
}

/** An underlying picked in the bar, and the chain's underlying at the time. */
export interface CurrencyPick {
  readonly currency: string;
  readonly selectionUnderlying: string | undefined;
}

/**
 * The underlying the bar acts on: the trader's pick in the bar while it is offered and the chain
 * still shows what it showed at the pick (selecting another chain makes the bar follow), else the
 * chain's underlying, else the first offered.
 */
export function pickCurrency(picked: CurrencyPick | undefined, selectionUnderlying: string | undefined, offered: readonly string[]): string | undefined {
  if (picked !== undefined && picked.selectionUnderlying === selectionUnderlying && offered.includes(picked.currency)) return picked.currency;
  if (selectionUnderlying !== undefined) return selectionUnderlying;
  return offered[0];
}
