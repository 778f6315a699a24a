// Worker bootstrap for tests and benchmarks: Node 20 does not apply `--import tsx` to a worker's
// entry, so this plain-JS entry registers tsx and then imports the TypeScript entry named in argv.
import { register } from 'tsx/esm/api';

register();
const entry = process.argv[2];
if (!entry) throw new Error('ts-worker.mjs needs the TypeScript entry URL as its first argument');
await import(entry);
