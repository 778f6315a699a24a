import type { MmpConfig, PlaceOrderRequest } from '../venues/venue-adapter.ts';

/** What the kernel asks of a venue; the caller (worker entry, replay driver) carries it out. */
export type VenueRequest =
  | { readonly type: 'Resnapshot'; readonly venueId: string; readonly instrumentName: string }
  | { readonly type: 'PlaceOrder'; readonly venueId: string; readonly request: PlaceOrderRequest }
  | { readonly type: 'ReplaceOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string; readonly price: number; readonly amount: number; readonly priority?: number }
  | { readonly type: 'CancelOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string }
  | { readonly type: 'QueryOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string }
  /**
   * Cancels every order of ours at the venue(s), or on one instrument or underlying; where the
   * venue holds our mass quotes, they go too (and new ones are frozen for a moment).
   */
  | { readonly type: 'CancelAll'; readonly instrumentName?: string; readonly currency?: string }
  /** Sets the venue's market maker protection (Deribit MMP) for one index, or one of its mass-quote groups (config.mmpGroup). */
  | { readonly type: 'ConfigureMmp'; readonly venueId: string; readonly config: MmpConfig }
  /** Unfreezes the protection of one index and of its mass-quote groups. */
  | { readonly type: 'ResetMmp'; readonly venueId: string; readonly indexName: string };
