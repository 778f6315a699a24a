import { z } from 'zod';

/**
 * What Electron's preload exposes to the renderer as `window.workstation`: one function per
 * operation, never ipcRenderer. Absent in web mode.
 */
export interface WorkstationBridge {
  /**
   * Asks the main process for a fresh engine-link MessagePort. The port arrives as a window
   * `message` event whose data is `ENGINE_PORT_MESSAGE` (ports cannot cross the context bridge).
   */
  openEngineLink(): void;
  /** The configured venue, without its secret, and whether the OS keychain can hold one. */
  getVenueSettings(): Promise<VenueSettingsView>;
  /** Validates, encrypts the secret with the OS keychain and saves; takes effect at the next start. */
  setVenueSettings(input: VenueSettingsInput): Promise<VenueSettingsResult>;
}

export interface VenueSettingsView {
  readonly venue:
    | { readonly kind: 'simulator' }
    | {
        readonly kind: 'deribit';
        readonly url: string;
        readonly currencies: readonly string[];
        readonly clientId?: string;
        readonly hasSecret: boolean;
        /** Level-0 quotes go as Deribit mass quotes (the simulator always grants them). */
        readonly massQuote: boolean;
      };
  /** Whether keys can be stored: refused where only plain-text storage exists. */
  readonly keychain: { readonly available: boolean; readonly detail: string };
  /** A settings file that could not be read, reported rather than overwritten. */
  readonly problem?: string;
  /** True when saved settings differ from what the running engine uses (restart to apply). */
  readonly restartNeeded: boolean;
}

export type VenueSettingsResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const currencyCode = z.string().regex(/^[A-Z]{2,6}$/, 'a currency code such as BTC');

/** What the settings panel sends: the secret crosses once, from the page to the main process, never back. */
export const VenueSettingsInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulator') }).strict(),
  z
    .object({
      kind: z.literal('deribit'),
      url: z
        .string()
        .url()
        .refine((url) => url.startsWith('wss://') || url.startsWith('ws://'), 'a ws:// or wss:// address'),
      currencies: z.array(currencyCode).min(1).max(4),
      clientId: z.string().trim().min(1).max(128).optional(),
      clientSecret: z.string().min(1).max(256).optional(),
      /** The account is granted Deribit's mass quotes (private/mass_quote); absent means off: quotes go as ordinary post-only orders. */
      massQuote: z.boolean().optional(),
    })
    .strict()
    .refine((v) => (v.clientId === undefined) === (v.clientSecret === undefined), 'give both the client id and the secret, or neither (market data only)'),
]);
export type VenueSettingsInput = z.infer<typeof VenueSettingsInputSchema>;

export const ENGINE_PORT_MESSAGE = 'workstation:engine-port';
/** IPC channel names between preload and main (not visible to the renderer). */
export const IPC_OPEN_ENGINE_LINK = 'engine-link:open';
export const IPC_ENGINE_PORT = 'engine-link:port';
export const IPC_GET_VENUE_SETTINGS = 'settings:venue:get';
export const IPC_SET_VENUE_SETTINGS = 'settings:venue:set';
