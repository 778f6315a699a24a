import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { DeribitVenueConfig } from '../core/engine/venue-config.ts';
import type { VenueSettingsInput, VenueSettingsResult, VenueSettingsView } from '../core/protocol/index.ts';
import { VenueSettingsInputSchema } from '../core/protocol/index.ts';

/**
 * The desktop app's venue settings: a small JSON file in the user-data folder whose API secret is
 * encrypted with Electron's safeStorage (the OS keychain). Where safeStorage would fall back to
 * plain text (Linux without a secret service: the 'basic_text' backend) keys are refused, not
 * stored weakly. The secret is never logged and never goes back to the renderer.
 */

/** The parts of Electron's safeStorage this store uses (injected: tests pass a fake). */
export interface Keychain {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const StoredSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulator') }).strict(),
  z
    .object({
      kind: z.literal('deribit'),
      url: z.string().url(),
      currencies: z.array(z.string()).min(1),
      clientId: z.string().optional(),
      /** base64 of safeStorage.encryptString(secret). */
      encryptedSecret: z.string().optional(),
      /** The account is granted Deribit's mass quotes; absent (files written before the switch) is off. */
      massQuote: z.boolean().optional(),
    })
    .strict(),
]);
type Stored = z.infer<typeof StoredSchema>;

/** What the engine runs with now, to tell whether saved settings need a restart. */
export type RunningVenue = Pick<DeribitVenueConfig, 'url' | 'massQuote'>;

/**
 * Stored settings from the file's JSON. A bad mass-quote switch costs only mass quotes, not the
 * venue and keys with it: they are off (ordinary post-only orders work on every account) until
 * the settings are saved again. Anything else unreadable falls back to the simulator.
 */
export function parseStored(json: unknown, path: string): { readonly stored: Stored; readonly problem?: string } {
  const parsed = StoredSchema.safeParse(json);
  if (parsed.success) return { stored: parsed.data };
  const onlyMassQuote = parsed.error.issues.every((issue) => issue.path.length === 1 && issue.path[0] === 'massQuote');
  if (onlyMassQuote && typeof json === 'object' && json !== null) {
    const { massQuote: _unreadable, ...rest } = json as Record<string, unknown>;
    const withoutSwitch = StoredSchema.safeParse(rest);
    if (withoutSwitch.success) {
      const why = parsed.error.issues.map((issue) => issue.message).join('; ');
      return { stored: withoutSwitch.data, problem: `venue settings ${path}: massQuote: ${why}; mass quotes are off until the settings are saved again, the venue and keys in the file are used, the file is left as it is` };
    }
  }
  return { stored: { kind: 'simulator' }, problem: `venue settings ${path}: ${z.prettifyError(parsed.error)}; using the simulator, the file is left as it is` };
}

export function keychainStatus(keychain: Keychain, platform: NodeJS.Platform): { readonly available: boolean; readonly detail: string } {
  if (!keychain.isEncryptionAvailable()) return { available: false, detail: 'the operating system keychain is not available: API keys cannot be stored' };
  const backend = platform === 'linux' ? keychain.getSelectedStorageBackend?.() : undefined;
  if (backend === 'basic_text') return { available: false, detail: 'only plain-text storage is available (no secret service running): API keys are refused rather than stored in the clear' };
  return { available: true, detail: backend ? `OS keychain (${backend})` : 'OS keychain' };
}

export class VenueSettingsStore {
  constructor(
    private readonly path: string,
    private readonly keychain: Keychain,
    private readonly platform: NodeJS.Platform,
  ) {}

  /** The stored settings, or the problem reading them (the file is then left as it is). */
  #read(): { readonly stored: Stored; readonly problem?: string } {
    if (!existsSync(this.path)) return { stored: { kind: 'simulator' } };
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      return { stored: { kind: 'simulator' }, problem: `venue settings ${this.path} are not JSON (${(error as Error).message}); using the simulator, the file is left as it is` };
    }
    return parseStored(json, this.path);
  }

  /** What the engine should connect to. */
  venue(): { readonly venue: DeribitVenueConfig | 'simulator'; readonly problem?: string } {
    const { stored, problem } = this.#read();
    if (stored.kind === 'simulator') return { venue: 'simulator', ...(problem && { problem }) };
    let credentials: DeribitVenueConfig['credentials'];
    if (stored.clientId !== undefined && stored.encryptedSecret !== undefined) {
      try {
        credentials = { clientId: stored.clientId, clientSecret: this.keychain.decryptString(Buffer.from(stored.encryptedSecret, 'base64')) };
      } catch {
        const decryptProblem = 'the stored API secret cannot be decrypted with this keychain (another user or machine?): enter the keys again; using the simulator';
        return { venue: 'simulator', problem: problem ? `${problem}\n${decryptProblem}` : decryptProblem };
      }
    }
    return {
      venue: {
        kind: 'deribit',
        venueId: 'deribit',
        displayName: stored.url.includes('test.') ? 'Deribit testnet' : 'Deribit',
        url: stored.url,
        currencies: stored.currencies,
        ...(credentials && { credentials }),
        ...(stored.massQuote === true && { massQuote: true }),
      },
      ...(problem && { problem }),
    };
  }

  /** The settings for the panel, without the secret; `running` is the venue the engine uses now (none: the simulator). */
  view(running: RunningVenue | undefined): VenueSettingsView {
    const { stored, problem } = this.#read();
    const keychain = keychainStatus(this.keychain, this.platform);
    const saved: RunningVenue | undefined = stored.kind === 'deribit' ? { url: stored.url, massQuote: stored.massQuote === true } : undefined;
    return {
      venue:
        stored.kind === 'simulator'
          ? { kind: 'simulator' }
          : { kind: 'deribit', url: stored.url, currencies: stored.currencies, ...(stored.clientId !== undefined && { clientId: stored.clientId }), hasSecret: stored.encryptedSecret !== undefined, massQuote: stored.massQuote === true },
      keychain,
      ...(problem && { problem }),
      restartNeeded: saved?.url !== running?.url || (saved?.massQuote ?? false) !== (running?.massQuote ?? false),
    };
  }

  save(raw: unknown): VenueSettingsResult {
    const parsed = VenueSettingsInputSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: z.prettifyError(parsed.error) };
    const input: VenueSettingsInput = parsed.data;
    let stored: Stored;
    if (input.kind === 'simulator') stored = { kind: 'simulator' };
    else {
      if (input.clientSecret !== undefined) {
        const keychain = keychainStatus(this.keychain, this.platform);
        if (!keychain.available) return { ok: false, reason: keychain.detail };
      }
      stored = {
        kind: 'deribit',
        url: input.url,
        currencies: input.currencies,
        ...(input.clientId !== undefined && { clientId: input.clientId }),
        ...(input.clientSecret !== undefined && { encryptedSecret: this.keychain.encryptString(input.clientSecret).toString('base64') }),
        massQuote: input.massQuote === true,
      };
    }
    const temp = `${this.path}.saving`;
    writeFileSync(temp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
    return { ok: true };
  }
}
