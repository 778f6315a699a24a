import { contextBridge, ipcRenderer } from 'electron';
import type { VenueSettingsInput, VenueSettingsResult, VenueSettingsView, WorkstationBridge } from '../core/protocol/bridge.ts';
import { ENGINE_PORT_MESSAGE, IPC_ENGINE_PORT, IPC_GET_VENUE_SETTINGS, IPC_OPEN_ENGINE_LINK, IPC_SET_VENUE_SETTINGS } from '../core/protocol/bridge.ts';

// One function per operation; ipcRenderer itself never reaches the page.
const bridge = {
  openEngineLink: () => ipcRenderer.send(IPC_OPEN_ENGINE_LINK),
  getVenueSettings: () => ipcRenderer.invoke(IPC_GET_VENUE_SETTINGS) as Promise<VenueSettingsView>,
  // Only the one argument crosses; main validates it with the schema before anything is stored.
  setVenueSettings: (input: VenueSettingsInput) => ipcRenderer.invoke(IPC_SET_VENUE_SETTINGS, input) as Promise<VenueSettingsResult>,
} satisfies WorkstationBridge;

contextBridge.exposeInMainWorld('workstation', bridge);

// MessagePorts cannot cross the context bridge; window.postMessage carries them to the page.
ipcRenderer.on(IPC_ENGINE_PORT, (event) => {
  window.postMessage(ENGINE_PORT_MESSAGE, window.location.origin, [...event.ports]);
});
