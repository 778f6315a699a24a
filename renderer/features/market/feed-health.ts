import type { EngineState, LinkStatus } from '../../../core/protocol/index.ts';

/**
 * Whether what a panel shows from a venue is live, and if not, why, in words for the trader.
 * An empty string means live: panels select it as a primitive so they re-render only when the
 * answer changes, not on every tick.
 */
export function feedStaleReason(link: LinkStatus, state: EngineState | undefined, venueId: string | undefined): string {
  if (link.state === 'closed') return `engine link lost: ${link.reason}`;
  if (link.state === 'connecting' && !state) return 'connecting to the engine';
  if (!state) return 'waiting for the engine snapshot';
  if (link.state !== 'open') return `engine link ${link.state}`;
  if (state.engine.runState !== 'running') return `engine ${state.engine.runState}${state.engine.reason ? `: ${state.engine.reason}` : ''}`;
  if (venueId === undefined) return '';
  const venue = state.venues.find((candidate) => candidate.venueId === venueId);
  if (!venue) return `venue ${venueId} not reporting`;
  if (venue.state !== 'connected') return `${venue.displayName} ${venue.state}${venue.detail ? `: ${venue.detail}` : ''}`;
  return '';
}
