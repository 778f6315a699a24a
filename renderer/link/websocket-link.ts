import type { Command, EngineLink } from '../../core/protocol/index.ts';
import { decodeEventText, encodeCommand, LINK_PATH, LINK_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../core/protocol/index.ts';
import { LinkListeners } from './link-listeners.ts';

export interface WebSocketLinkOptions {
  /** ws:// URL of the engine link endpoint. */
  readonly url: string;
  readonly token: string;
  /** Delay before reconnecting after a close; grows to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

/**
 * Web-mode transport. Reconnects by itself (the web server may restart); each new connection
 * starts with a fresh Snapshot from the engine, so nothing is replayed from here. Commands sent
 * while closed throw (the caller shows them rejected) rather than queue: a trader's click must not fire minutes late.
 */
export function createWebSocketLink(options: WebSocketLinkOptions): EngineLink {
  const listeners = new LinkListeners();
  const baseRetryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  let retryMs = baseRetryMs;
  let socket: WebSocket | undefined;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    listeners.emitStatus({ state: 'connecting' });
    const ws = new WebSocket(options.url, [LINK_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${options.token}`]);
    socket = ws;
    ws.onopen = () => {
      retryMs = baseRetryMs;
      listeners.emitStatus({ state: 'open' });
    };
    ws.onmessage = (message: MessageEvent) => {
      if (typeof message.data !== 'string') return;
      const event = decodeEventText(message.data);
      if (event) listeners.emitEvent(event);
    };
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = undefined;
      const reason = event.reason || (event.code === 1006 ? 'connection lost' : `closed (${event.code})`);
      listeners.emitStatus({ state: 'closed', reason, willRetry: !closed });
      if (closed) return;
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    };
  };
  connect();

  return {
    send(command: Command) {
      if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('engine link is not open');
      socket.send(encodeCommand(command));
    },
    onEvent: (listener) => listeners.onEvent(listener),
    onStatus: (listener) => listeners.onStatus(listener),
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close(1000, 'closed by renderer');
      socket = undefined;
      listeners.clear();
    },
  };
}

/** The link URL for a page served by the web-mode server. */
export function linkUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${LINK_PATH}`;
}
