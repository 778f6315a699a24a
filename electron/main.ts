import { app, BrowserWindow, ipcMain, MessageChannelMain, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkstationEngine } from '../core/engine/workstation-engine.ts';
import { startWorkstationEngine } from '../core/engine/workstation-engine.ts';
import { IPC_GET_VENUE_SETTINGS, IPC_SET_VENUE_SETTINGS } from '../core/protocol/index.ts';
import { relayEngineLink } from './engine-relay.ts';
import { hardenSession, hardenWebContents } from './hardening.ts';
import { serveRendererFile } from './renderer-files.ts';
import { APP_ENTRY_URL, APP_SCHEME, secureWebPreferences } from './security.ts';
import { VenueSettingsStore } from './venue-settings.ts';

// Built layout: dist/electron/main.cjs beside dist/engine/ and dist/renderer/. The engine worker
// is unpacked from the asar archive (see electron-builder.config.cjs) because worker threads
// load their script from the real file system.
const distDir = join(__dirname, '..');
const unpackedDistDir = distDir.replace(`app.asar`, 'app.asar.unpacked');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

let workstation: WorkstationEngine | undefined;

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#0d1117',
    title: 'Options Workstation',
    show: false,
    webPreferences: secureWebPreferences(join(distDir, 'electron', 'preload.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

void app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(join(distDir, 'renderer'), request.url));
  // The engine trades against the embedded simulator (in its own worker) until a venue is configured.
  const settings = new VenueSettingsStore(join(app.getPath('userData'), 'venue.json'), safeStorage, process.platform);
  const configured = settings.venue();
  if (configured.problem) console.error(configured.problem);
  // What this run uses (the venue and its mass-quote switch), so the panel can say when a saved change needs a restart.
  const running = configured.venue === 'simulator' ? undefined : configured.venue;
  ipcMain.handle(IPC_GET_VENUE_SETTINGS, () => settings.view(running));
  ipcMain.handle(IPC_SET_VENUE_SETTINGS, (_event, input: unknown) => settings.save(input));
  workstation = await startWorkstationEngine({
    engineWorkerUrl: pathToFileURL(join(unpackedDistDir, 'engine', 'worker.mjs')),
    simWorkerUrl: pathToFileURL(join(unpackedDistDir, 'sim', 'worker.mjs')),
    venue: configured.venue,
    dataDir: join(app.getPath('userData'), 'journal'),
    onRunState: (health) => console.log(`engine ${health.runState}${health.reason ? `: ${health.reason}` : ''}`),
  });
  relayEngineLink(ipcMain, workstation.host, () => new MessageChannelMain());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void (workstation?.stop() ?? Promise.resolve()).finally(() => app.quit());
});
