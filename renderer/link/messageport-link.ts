import type { Command, EngineEvent, EngineLink, WorkstationBridge } from '../../core/protocol/index.ts';
import { ENGINE_PORT_MESSAGE } from '../../core/protocol/index.ts';
import { LinkListeners } from './link-listeners.ts';

/**
 * Electron transport: a MessagePort whose other end main relays to the engine host. Main hands a
 * fresh port for each request, so reloading the window simply asks again.
 */
export function createMessagePortLink(bridge: WorkstationBridge, target: Window = window): EngineLink {
  const listeners = new LinkListeners();
  let port: MessagePort | undefined;

  const onWindowMessage = (message: MessageEvent): void => {
    // Only the preload (same window) posts the port; anything else is ignored.
    if (message.source !== target || message.data !== ENGINE_PORT_MESSAGE) return;
    const [received] = message.ports;
    if (!received) return;
    port?.close();
    port = received;
    port.onmessage = (event: MessageEvent<EngineEvent>) => listeners.emitEvent(event.data);
    port.start();
    listeners.emitStatus({ state: 'open' });
  };
  target.addEventListener('message', onWindowMessage);
  // Emitted after the caller subscribed: the request is asynchronous.
  queueMicrotask(() => {
    listeners.emitStatus({ state: 'connecting' });
    bridge.openEngineLink();
  });

  return {
    send(command: Command) {
      if (!port) throw new Error('engine link is not open');
      port.postMessage(command);
    },
    onEvent: (listener) => listeners.onEvent(listener),
    onStatus: (listener) => listeners.onStatus(listener),
    close() {
      target.removeEventListener('message', onWindowMessage);
      port?.close();
      port = undefined;
      listeners.clear();
    },
  };
}
