// Packaging for `npm run dist` (electron-builder). Validated against app-builder-lib's schema by
// electron/builder-config.test.ts.
//
// Layout shipped: the esbuild/Vite output in dist/ plus package.json (whose "main" is
// dist/electron/main.cjs), nothing else. Everything is bundled, so no source and no node_modules
// are shipped. Source maps are left out: they embed the full sources and are most of dist/ by
// size (the renderer's alone is ~7 MB). dist/web/ (the web-mode server) is not used by the
// desktop app and is left out too.
//
// The engine and simulator workers are unpacked from app.asar: worker_threads load their script
// from the real file system, and main.ts computes the app.asar.unpacked path for them. The
// simulator's standalone CLI (dist/sim/cli.mjs) is for `npm run sim`, not the desktop app.

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'com.optionsworkstation.app',
  productName: 'Options Workstation',
  copyright: 'Copyright © Options Workstation',
  directories: {
    output: 'release',
    buildResources: 'assets',
  },
  // The bundles import nothing from node_modules (main and preload keep only `electron` external;
  // ws's optional bufferutil/utf-8-validate are probed in try/catch), so the runtime
  // `dependencies` electron-builder would otherwise copy in (~48 MB) are left out. Revisit if a
  // native module is ever added.
  files: ['dist/**/*', '!dist/**/*.map', '!dist/web{,/**/*}', '!dist/sim/cli.mjs', 'package.json', '!node_modules{,/**/*}'],
  // electron-builder's deb target refuses to build without a project homepage and a maintainer
  // (or an author with an email); package.json has neither, so they are supplied here. They are
  // also merged into the packaged package.json. The .invalid addresses can never resolve: set the
  // team's real homepage and maintainer before publishing installers.
  extraMetadata: {
    homepage: 'https://options-workstation.invalid',
    author: { name: 'Options Workstation', email: 'maintainers@options-workstation.invalid' },
  },
  asar: true,
  asarUnpack: ['dist/engine/**', 'dist/sim/**'],
  icon: 'assets/icon.png',

  linux: {
    target: ['AppImage', 'deb'],
    // Desktop-entry categories: Finance is an additional category under the Office main one.
    category: 'Office;Finance',
    synopsis: 'Options market-making workstation',
    icon: 'assets/icon.png',
  },
  deb: {
    maintainer: 'Options Workstation <maintainers@options-workstation.invalid>',
    // The Debian section; the desktop entry's categories come from linux.category.
    packageCategory: 'misc',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.finance',
    hardenedRuntime: true,
    darkModeSupport: true,
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },

  // Flipped in the Electron binary at package time (@electron/fuses).
  electronFuses: {
    // No ELECTRON_RUN_AS_NODE: the binary cannot be used as a plain Node interpreter.
    runAsNode: false,
    enableCookieEncryption: true,
    // NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect are ignored in the shipped app.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // Validates app.asar against the hash embedded at package time (macOS, Windows).
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app://workstation, never file://.
    grantFileProtocolExtraPrivileges: false,
  },
};

module.exports = config;
