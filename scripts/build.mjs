// Builds every runnable piece into dist/: the engine worker and web-mode server (esbuild, Node),
// Electron's main and preload (esbuild, CommonJS as Electron's sandboxed preload requires), and
// the renderer (Vite). `--engine-only` skips the renderer and Electron, for benchmarks.
import { build as esbuild } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const engineOnly = process.argv.includes('--engine-only');
const started = Date.now();

const nodeCommon = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // ws probes for these optional native speed-ups and works without them.
  external: ['bufferutil', 'utf-8-validate'],
};

// Bundled CommonJS dependencies (ws) call require() for Node built-ins; give ESM bundles one.
const esmNode = { ...nodeCommon, format: 'esm', outExtension: { '.js': '.mjs' }, outdir: 'dist', banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" } };

// A full build starts clean; an engine-only build replaces just its own bundles.
if (!engineOnly) await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

const jobs = [
  esbuild({ ...esmNode, entryPoints: { 'engine/worker': 'core/engine/worker-entry.ts', 'web/serve': 'core/engine/web/serve-cli.ts', 'sim/cli': 'core/sim/cli.ts', 'sim/worker': 'core/sim/worker-entry.ts' } }),
];
if (!engineOnly) {
  jobs.push(
    esbuild({
      ...nodeCommon,
      format: 'cjs',
      external: [...nodeCommon.external, 'electron'],
      entryPoints: { 'electron/main': 'electron/main.ts', 'electron/preload': 'electron/preload.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
    }),
  );
  const { build: viteBuild } = await import('vite');
  jobs.push(viteBuild({ configFile: fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url)), logLevel: 'warn' }));
}
await Promise.all(jobs);
console.log(`built dist/ in ${Date.now() - started} ms`);
