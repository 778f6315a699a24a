import type { BookMessage } from '../../core/venues/deribit/parse.ts';
import { parseBook } from '../../core/venues/deribit/parse.ts';

/**
 * The generic path a book frame takes without the fast scanner — what RpcConnection#onFrame and
 * DeribitAdapter#onNotification (both private) do: JSON.parse, JSON-RPC routing (not a response,
 * a `subscription` on a `book.` channel), parseBook. The reference the scanner is tested and
 * benchmarked against.
 */
export function parseBookFrameGeneric(text: string, tickSizeOf: (instrumentName: string) => number | undefined): BookMessage | undefined {
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
  if (typeof channel !== 'string' || !channel.startsWith('book.')) return undefined;
  return parseBook(frame.params?.data, tickSizeOf);
}
