import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as AppBuilderConfig from 'app-builder-lib/out/util/config/config';
import type * as BuilderUtil from 'builder-util';
import type { Configuration } from 'electron-builder';
import type * as MinimatchModule from 'minimatch';

// The packaging config, checked with electron-builder's own schema validation (the same call
// `electron-builder` makes before building) and then for the settings that matter for security.

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const config = require('../electron-builder.config.cjs') as Configuration;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as typeof AppBuilderConfig;
const { DebugLogger } = require('builder-util') as typeof BuilderUtil;
// The minimatch electron-builder itself matches file patterns with.
const { Minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))('minimatch') as typeof MinimatchModule;
const packageJson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { main: string; productName: string };

/** electron-builder's pattern semantics: the last matching pattern decides, `!` excludes. */
function included(patterns: readonly string[], path: string): boolean {
  let match = false;
  for (const pattern of patterns.map((p) => new Minimatch(p, { dot: true }))) {
    if (match !== pattern.negate) continue;
    match = pattern.match(path);
  }
  return match;
}

function stringPatterns(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

function pngSize(path: URL): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.config.cjs', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would be rejected by the same validation if an option were misspelt (the check has teeth)', async () => {
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/Invalid configuration/);
  });

  it('names the app', () => {
    expect(config.appId).toBe('com.optionsworkstation.app');
    expect(config.productName).toBe('Options Workstation');
    expect(config.productName).toBe(packageJson.productName);
    expect(config.directories?.output).toBe('release');
  });

  it('ships the built app and package.json, without sources, source maps, node_modules or the web-mode server', () => {
    const files = stringPatterns(config.files);
    expect(files).toContain('dist/**/*');
    expect(files).toContain('package.json');
    for (const path of ['package.json', packageJson.main, 'dist/electron/preload.cjs', 'dist/engine/worker.mjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-abc.js']) {
      expect(included(files, path), path).toBe(true);
    }
    for (const path of ['electron/main.ts', 'core/engine/host.ts', 'renderer/App.tsx', 'dist/electron/main.cjs.map', 'dist/renderer/assets/index-abc.js.map', 'dist/web/serve.mjs', 'assets/make-icon.mjs', '.env', 'node_modules/react/index.js', 'node_modules/zod/package.json']) {
      expect(included(files, path), path).toBe(false);
    }
  });

  it('packs into an asar archive, with the engine worker unpacked where main.ts looks for it', () => {
    expect(config.asar).toBe(true);
    const unpack = stringPatterns(config.asarUnpack);
    expect(unpack).toEqual(['dist/engine/**', 'dist/sim/**']);
    expect(included(unpack, 'dist/engine/worker.mjs')).toBe(true);
    expect(included(unpack, 'dist/sim/worker.mjs')).toBe(true);
    expect(included(unpack, packageJson.main)).toBe(false);
    expect(included(unpack, 'dist/renderer/index.html')).toBe(false);
    // main.ts swaps app.asar for app.asar.unpacked and loads <dist>/engine/worker.mjs.
    const mainSource = readFileSync(new URL('electron/main.ts', root), 'utf8');
    expect(mainSource).toMatch(/app\.asar\.unpacked/);
    expect(mainSource).toMatch(/['"]engine['"],\s*['"]worker\.mjs['"]/);
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb for Linux, dmg for macOS, nsis for Windows', () => {
    expect(stringPatterns(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(stringPatterns(config.mac?.target)).toEqual(['dmg']);
    expect(stringPatterns(config.win?.target)).toEqual(['nsis']);
  });

  it('gives the deb target the homepage and maintainer it requires', () => {
    const homepage = (config.extraMetadata as { homepage?: string } | undefined)?.homepage ?? (packageJson as { homepage?: string }).homepage;
    expect(homepage).toMatch(/^https:\/\//);
  });

  it('fills in the platform metadata', () => {
    expect(config.linux?.category?.split(';').filter(Boolean)).toEqual(['Office', 'Finance']);
    expect(config.deb?.maintainer ?? config.linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(config.mac?.category).toBe('public.app-category.finance');
    expect(config.mac?.hardenedRuntime).toBe(true);
  });

  it('uses a 512×512 PNG icon that exists on disk', () => {
    expect(config.icon).toBe('assets/icon.png');
    const icon = new URL(config.icon ?? '', root);
    expect(existsSync(icon)).toBe(true);
    expect(pngSize(icon)).toEqual({ width: 512, height: 512 });
    if (config.linux?.icon) expect(existsSync(new URL(config.linux.icon, root))).toBe(true);
    expect(pngSize(new URL('assets/icon-256.png', root))).toEqual({ width: 256, height: 256 });
  });
});
