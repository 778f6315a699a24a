import type { DeribitRateLimits } from '../venues/deribit/credit-limiter.ts';

/**
 * Which venue the engine worker connects to, handed to it as workerData by the host. Credentials
 * stay inside the engine process: they are never logged and never sent to the renderer.
 */
export interface DeribitVenueConfig {
  readonly kind: 'deribit';
  readonly venueId: string;
  readonly displayName: string;
  /** ws://…/ws/api/v2 of the simulator, testnet or production. */
  readonly url: string;
  readonly credentials?: { readonly clientId: string; readonly clientSecret: string };
  readonly currencies: readonly string[];
  /** The account's rate-limit tier (Deribit's credits); the lowest tier's when absent. */
  readonly rateLimits?: DeribitRateLimits;
  /** The account is granted Deribit's mass quotes (private/mass_quote, on request at Deribit); strategies then quote level 0 with them. */
  readonly massQuote?: boolean;
}

export interface EngineWorkerData {
  readonly venue?: DeribitVenueConfig;
  /** The journal file; without one the engine keeps no record (benchmarks, some tests). */
  readonly journalPath?: string;
  /** limits.json: read at start when present; limit changes from the UI are written back to it. */
  readonly limitsPath?: string;
  /** Whether strategies start ACTIVE on a fresh journal (the embedded simulator) or PAUSED (a real venue). */
  readonly quoteOnStart?: boolean;
}
