import { defineConfig } from 'vitest/config';

// Two projects: `unit` (everything beside the code, fast, no browser) and `e2e` (the built app in
// Debian's Chromium). `npm test` builds first, so e2e always runs against fresh bundles.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'electron/**/*.test.ts', 'test/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          // Tests that start worker threads and sockets need headroom on a loaded 2-core machine;
          // this bounds a hang, it measures nothing.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One browser at a time: the machine has two cores and the engine needs one.
          fileParallelism: false,
        },
      },
    ],
  },
});
