/**
 * What Electron's preload exposes to the renderer as `window.workstation`: one function per
 * operation, never ipcRenderer. Absent in web mode.
 */
export interface WorkstationBridge {
  /**
   * Asks the main process for a fresh engine-link MessagePort. The port arrives as a window
   * `message` event whose data is `ENGINE_PORT_MESSAGE` (ports cannot cross the context bridge).
   */
  openEngineLink(): void;
}

export const ENGINE_PORT_MESSAGE = 'workstation:engine-port';
/** IPC channel names between preload and main (not visible to the renderer). */
export const IPC_OPEN_ENGINE_LINK = 'engine-link:open';
export const IPC_ENGINE_PORT = 'engine-link:port';
