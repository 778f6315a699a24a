import { contextBridge, ipcRenderer } from 'electron';
import type { WorkstationBridge } from '../core/protocol/bridge.ts';
import { ENGINE_PORT_MESSAGE, IPC_ENGINE_PORT, IPC_OPEN_ENGINE_LINK } from '../core/protocol/bridge.ts';

// One function per operation; ipcRenderer itself never reaches the page.
const bridge = {
  openEngineLink: () => ipcRenderer.send(IPC_OPEN_ENGINE_LINK),
} satisfies WorkstationBridge;

contextBridge.exposeInMainWorld('workstation', bridge);

// MessagePorts cannot cross the context bridge; window.postMessage carries them to the page.
ipcRenderer.on(IPC_ENGINE_PORT, (event) => {
  window.postMessage(ENGINE_PORT_MESSAGE, window.location.origin, [...event.ports]);
});
