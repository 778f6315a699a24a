import type { MmpConfig, PlaceOrderRequest } from '../venues/venue-adapter.ts';

/** What the kernel asks of a venue; the caller (worker entry, replay driver) carries it out. */
export type VenueRequest =
  | { readonly type: 'Resnapshot'; readonly venueId: string; readonly instrumentName: string }
  | { readonly type: 'PlaceOrder'; readonly venueId: string; readonly request: PlaceOrderRequest }
  | { readonly type: 'ReplaceOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string; readonly price: number; readonly amount: number; readonly priority?: number }
  | { readonly type: 'CancelOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string }
  | { readonly type: 'QueryOrder'; readonly venueId: string; readonly label: string; readonly venueOrderId: string }
  /** Cancels every order of ours at the venue(s), or on one instrument; `freezeQuotes` also freezes the venue's mass quotes where it has them. */
  | { readonly type: 'CancelAll'; readonly instrumentName?: string; readonly currency?: string }
  /** Sets the venue's market maker protection (Deribit MMP) for one index. */
  | { readonly type: 'ConfigureMmp'; readonly venueId: string; readonly config: MmpConfig }
  | { readonly type: 'ResetMmp'; readonly venueId: string; readonly indexName: string };
