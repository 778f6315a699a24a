import type { IpcMain, IpcMainEvent, MessagePortMain } from 'electron';
import type { EngineHost } from '../core/engine/host.ts';
import { IPC_ENGINE_PORT, IPC_OPEN_ENGINE_LINK } from '../core/protocol/index.ts';
import { isTrustedSender } from './security.ts';

interface ChannelPair {
  readonly port1: MessagePortMain;
  readonly port2: MessagePortMain;
}

/**
 * The Electron transport of the engine link: on the renderer's request, main creates a
 * MessageChannel, keeps one end connected to the engine host and hands the other to the page.
 * Engine traffic then flows over the port; IPC carries only the request.
 */
export function relayEngineLink(ipcMain: Pick<IpcMain, 'on'>, host: EngineHost, createChannel: () => ChannelPair): void {
  ipcMain.on(IPC_OPEN_ENGINE_LINK, (event: IpcMainEvent) => {
    if (!isTrustedSender(event.senderFrame)) return;
    const { port1, port2 } = createChannel();
    const handle = host.connect({ deliver: (engineEvent) => port1.postMessage(engineEvent) });
    port1.on('message', (message) => handle.submit(message.data));
    port1.on('close', () => handle.disconnect());
    port1.start();
    event.sender.postMessage(IPC_ENGINE_PORT, null, [port2]);
  });
}
