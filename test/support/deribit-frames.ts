import fc from 'fast-check';
import type { BookMessage } from '../../core/venues/deribit/parse.ts';
import { parseBook, parseTicker } from '../../core/venues/deribit/parse.ts';
import type { TickerUpdate } from '../../core/venues/venue-adapter.ts';

/**
 * The generic path a notification frame takes without the fast scanners (scanBookFrame,
 * scanTickerFrame) — what RpcConnection#onFrame and DeribitAdapter#onNotification (both private)
 * do: JSON.parse, JSON-RPC routing (not a response, a `subscription` on the channel family), the
 * family's parser. The references the scanners are tested and benchmarked against; and the frame
 * damage their property tests apply.
 */

/** The `data` of a subscription notification on a channel starting with `channelPrefix`, or undefined when the frame is not one. */
function subscriptionData(text: string, channelPrefix: string): { readonly data: unknown } | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const frame = message as { id?: unknown; method?: unknown; params?: { channel?: unknown; data?: unknown } };
  if (typeof frame.id === 'number' || frame.method !== 'subscription') return undefined;
  const channel = frame.params?.channel;
  if (typeof channel !== 'string' || !channel.startsWith(channelPrefix)) return undefined;
  return { data: frame.params?.data };
}

export function parseBookFrameGeneric(text: string, tickSizeOf: (instrumentName: string) => number | undefined): BookMessage | undefined {
  const notification = subscriptionData(text, 'book.');
  return notification && parseBook(notification.data, tickSizeOf);
}

export function parseTickerFrameGeneric(text: string): TickerUpdate | undefined {
  const notification = subscriptionData(text, 'ticker.');
  return notification && parseTicker(notification.data);
}

/** Whether the text is JSON at all: a damaged frame that is not must be declined by a scanner. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Damage of the kind a broken venue, proxy or test might produce. */
const ALPHABET = ['"', ',', ':', '[', ']', '{', '}', '0', '1', '5', '.', '-', '+', 'e', 'E', ' ', '\\', '\n', '\u0001', 'a', 'n', 'u', 'l', 't', 'r', '\u00e9'];
export const frameDamage = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...ALPHABET) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.constantFrom(...ALPHABET) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
);
type FrameDamage = typeof frameDamage extends fc.Arbitrary<infer M> ? M : never;

export function damage(text: string, m: FrameDamage): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
  }
}
