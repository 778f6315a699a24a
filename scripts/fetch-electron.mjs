// `npm run fetch-electron`: (re)try downloading the Electron binary, whatever happened before.
import { electronBinaryPath, electronVersion, fetchElectron } from './electron-binary.mjs';

if (electronBinaryPath() && !process.argv.includes('--force')) {
  console.log(`Electron ${electronVersion} binary already present: ${electronBinaryPath()}`);
  process.exit(0);
}
console.log(`Fetching the Electron ${electronVersion} binary…`);
const result = await fetchElectron();
console.log(result.ok ? result.message : `Could not fetch Electron: ${result.message}`);
process.exit(result.ok ? 0 : 1);
