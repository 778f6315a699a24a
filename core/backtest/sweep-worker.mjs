// Sweep worker bootstrap: Node 20 does not apply `--import tsx` to a worker's entry, so this
// plain-JS entry registers tsx, then loads the TypeScript worker (sweep-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import(new URL('./sweep-worker.ts', import.meta.url).href);
