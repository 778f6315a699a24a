import type { Command } from './commands.ts';
import type { EngineEvent } from './events.ts';

export type LinkStatus =
  | { readonly state: 'connecting' }
  | { readonly state: 'open' }
  | { readonly state: 'closed'; readonly reason: string; readonly willRetry: boolean };

/**
 * The renderer's view of the engine link. Transports (WebSocket in web mode, a MessagePort relayed
 * by Electron's main process) implement it; nothing above the transport knows which one it has.
 */
export interface EngineLink {
  send(command: Command): void;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  close(): void;
}

/** Subprotocol the web transport speaks; the per-run token travels as a second subprotocol. */
export const LINK_SUBPROTOCOL = 'workstation.link.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'token.';
/** Path of the WebSocket endpoint in web mode. */
export const LINK_PATH = '/link';
