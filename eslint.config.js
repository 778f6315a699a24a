import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer rules from DESIGN.md, enforced here rather than remembered:
 * - core/pricing, core/model and the decision layers (core/quoting, core/risk, core/hedging): no I/O,
 *   no clock, no randomness (injected instead).
 * - only core/venues, core/sim and the web-mode link server import `ws`.
 * - renderer imports from core only core/protocol and pure core/model, core/pricing; no Node.
 * - nothing in core imports electron or react.
 */

const NODE_BUILTINS = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

const noNode = [{ group: ['node:*', ...NODE_BUILTINS], message: 'This layer does no I/O: inject what you need.' }];
const noWs = [{ group: ['ws'], message: 'Only core/venues, core/sim and the engine link server speak WebSocket (DESIGN.md).' }];
const noUi = [{ group: ['electron', 'electron/*', 'react', 'react-dom', 'react-dom/*', 'zustand'], message: 'core never imports Electron or React.' }];
const rendererCore = [
  {
    group: ['**/core/*', '!**/core/protocol', '!**/core/model', '!**/core/pricing', '**/core/*/**', '!**/core/protocol/**', '!**/core/model/**', '!**/core/pricing/**'],
    message: 'The renderer imports from core only core/protocol, core/model and core/pricing.',
  },
];

const pureGlobals = {
  'no-restricted-globals': [
    'error',
    { name: 'performance', message: 'Pure code takes the clock as an argument.' },
    { name: 'setTimeout', message: 'Pure code schedules nothing.' },
    { name: 'setInterval', message: 'Pure code schedules nothing.' },
    { name: 'process', message: 'Pure code reads no environment.' },
    { name: 'fetch', message: 'Pure code does no I/O.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Inject the clock.' },
    { object: 'Math', property: 'random', message: 'Inject randomness (a seeded generator).' },
    { object: 'crypto', property: 'getRandomValues', message: 'Inject randomness.' },
  ],
  'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject the clock: new Date() reads it.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [...noNode, ...noWs, ...rendererCore] }],
    },
  },
  {
    files: ['renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/venues/**', 'core/sim/**', 'core/engine/web/**', 'core/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noWs, ...noUi] }] },
  },
  {
    files: ['core/venues/**/*.ts', 'core/sim/**/*.ts', 'core/engine/web/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: noUi }] },
  },
  {
    files: ['core/pricing/**/*.ts', 'core/model/**/*.ts', 'core/protocol/**/*.ts', 'core/quoting/**/*.ts', 'core/risk/**/*.ts', 'core/hedging/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noNode, ...noWs, ...noUi] }],
      ...pureGlobals,
    },
  },
);
