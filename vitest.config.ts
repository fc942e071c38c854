import { defineConfig } from 'vitest/config';

// Unit tests need no engine and run in seconds; integration tests drive the real Docker engine and
// the real kind cluster, so they run one file at a time (they share the engines and the 2 cores).
const MECHANISM_TESTS = ['test/integration/docker-network-helpers.test.ts', 'test/integration/docker-resource-helpers.test.ts', 'test/integration/kubernetes/kind-fault-helpers.test.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: MECHANISM_TESTS,
          // Prints "faults injected N / rolled back N / left over 0" at the end; fails on leftovers.
          globalSetup: ['test/integration/support/reliability-figures.global.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { concurrent: false },
        },
      },
      {
        // The helpers' mechanisms one by one (tc, iptables, Toxiproxy, stress-ng in a cgroup, node
        // units), with their figures for src/targets/FAULT-MECHANISMS.md. Every fault built on them
        // is tested end to end in the integration project, so these run on demand
        // (`npm run test:mechanisms`), not in CI, to keep the suite in its 25 minutes.
        test: {
          name: 'mechanisms',
          include: MECHANISM_TESTS,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
