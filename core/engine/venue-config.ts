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
}

export interface EngineWorkerData {
  readonly venue?: DeribitVenueConfig;
}
