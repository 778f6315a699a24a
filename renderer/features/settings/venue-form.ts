import type { VenueSettingsInput, VenueSettingsView } from '../../../core/protocol/index.ts';
import { VenueSettingsInputSchema } from '../../../core/protocol/index.ts';

/**
 * The venue settings form as plain data: what the trader typed, validated with the same schema
 * the main process applies, so a refusal shows before anything is sent. The secret field is never
 * filled from stored settings (the secret never comes back from the main process).
 */

export const DERIBIT_URLS = {
  testnet: 'wss://test.deribit.com/ws/api/v2',
  production: 'wss://www.deribit.com/ws/api/v2',
} as const;

export type VenueChoice = 'simulator' | 'testnet' | 'production' | 'custom';

export interface VenueForm {
  readonly choice: VenueChoice;
  readonly customUrl: string;
  readonly currencies: readonly string[];
  readonly clientId: string;
  readonly clientSecret: string;
  /** Whether the testnet/production account is granted mass quotes; off unless the trader says so. */
  readonly massQuote: boolean;
}

export function formFromView(view: VenueSettingsView): VenueForm {
  // Off for a venue chosen later: without the permission every mass quote would be refused.
  if (view.venue.kind === 'simulator') return { choice: 'simulator', customUrl: '', currencies: ['BTC'], clientId: '', clientSecret: '', massQuote: false };
  const url = view.venue.url;
  const choice: VenueChoice = url === DERIBIT_URLS.testnet ? 'testnet' : url === DERIBIT_URLS.production ? 'production' : 'custom';
  return { choice, customUrl: choice === 'custom' ? url : '', currencies: view.venue.currencies, clientId: view.venue.clientId ?? '', clientSecret: '', massQuote: view.venue.massQuote };
}

/** The mass-quote switch as shown: the simulator always grants mass quotes, so there it is on and fixed. */
export function massQuoteSwitch(form: VenueForm): { readonly checked: boolean; readonly disabled: boolean; readonly note: string } {
  if (form.choice === 'simulator') return { checked: true, disabled: true, note: 'The embedded simulator always takes level-0 quotes as mass quotes.' };
  return { checked: form.massQuote, disabled: false, note: 'Level-0 quotes go as Deribit mass quotes (the account needs mass-quote permission); off, as ordinary post-only orders.' };
}

export type FormCheck = { readonly ok: true; readonly input: VenueSettingsInput } | { readonly ok: false; readonly reason: string };

/**
 * The settings to send. Keys are all or nothing: an id with no secret typed keeps nothing (the
 * stored secret cannot be reused for another id), so the form asks for both.
 */
export function checkForm(form: VenueForm): FormCheck {
  if (form.choice === 'simulator') return { ok: true, input: { kind: 'simulator' } };
  const url = form.choice === 'custom' ? form.customUrl.trim() : DERIBIT_URLS[form.choice];
  const clientId = form.clientId.trim();
  const candidate = {
    kind: 'deribit' as const,
    url,
    currencies: [...form.currencies],
    ...(clientId !== '' && { clientId }),
    ...(form.clientSecret !== '' && { clientSecret: form.clientSecret }),
    massQuote: form.massQuote,
  };
  const parsed = VenueSettingsInputSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ') };
  return { ok: true, input: parsed.data };
}
