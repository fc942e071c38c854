import { defineConfig } from 'vitest/config';

// Unit tests need no engine and run in seconds; integration tests drive the real Docker engine and
// the real kind cluster, so they run one file at a time (they share the engines and the 2 cores).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Prints "faults injected N / rolled back N / left over 0" at the end; fails on leftovers.
          globalSetup: ['test/integration/support/reliability-figures.global.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
