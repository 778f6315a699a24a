import type { VenueAdapter } from '../venues/venue-adapter.ts';
import type { Engine, VenueRequest } from './engine.ts';

/**
 * Joins the kernel to a venue adapter: venue events go into the kernel, and what the kernel asks
 * of the venue is carried out on the adapter. The kernel itself does no I/O. `beforeSend` runs
 * before any request leaves (the worker makes the journal durable there).
 */
export interface VenueLink {
  perform(requests: readonly VenueRequest[]): void;
  dispose(): void;
}

export function linkVenue(engine: Engine, adapter: VenueAdapter | undefined, beforeSend: () => void = () => {}): VenueLink {
  const perform = (requests: readonly VenueRequest[]): void => {
    if (!adapter || requests.length === 0) return;
    beforeSend();
    for (const request of requests) {
      switch (request.type) {
        case 'Resnapshot':
          adapter.resnapshot(request.instrumentName);
          break;
        case 'PlaceOrder':
          adapter.placeOrder(request.request);
          break;
        case 'ReplaceOrder':
          adapter.replaceOrder({ label: request.label, venueOrderId: request.venueOrderId, price: request.price, amount: request.amount, ...(request.priority !== undefined && { priority: request.priority }) });
          break;
        case 'CancelOrder':
          adapter.cancelOrder(request);
          break;
        case 'QueryOrder':
          adapter.queryOrder(request);
          break;
        case 'CancelAll':
          if (request.currency !== undefined && request.instrumentName === undefined) adapter.cancelAllByCurrency(request.currency);
          else adapter.cancelAll(request.instrumentName);
          break;
        case 'ConfigureMmp':
          adapter.configureMmp(request.config);
          break;
        case 'ResetMmp':
          adapter.resetMmp(request.indexName);
          break;
      }
    }
  };
  const unsubscribe = adapter?.onEvent((event) => perform(engine.onVenueEvent(event)));
  return { perform, dispose: () => unsubscribe?.() };
}
