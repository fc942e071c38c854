import { afterAll, beforeAll } from 'vitest';
import { lockCluster } from './cluster-lock.js';
import { createDemoWorkload, type DemoWorkload, type DemoWorkloadOptions } from './demo-workload.js';
import { type KubeClients, kubeClients } from './kind-cluster.js';
import { restoreWorkers, waitForHealthyNodes } from './workers.js';

/** The kind cluster as a test file holds it. Read it in hooks and tests: it is set in beforeAll. */
export interface SharedCluster {
  /** API clients for the test's own setup and checks (rebound's target builds its own). */
  readonly clients: KubeClients;
}

export interface SharedClusterWithDemoWorkload extends SharedCluster {
  /** The demo workload (createDemoWorkload) in its own namespace. */
  readonly workload: DemoWorkload;
}

// Both register their hooks where they are called: at the top of a test file, around its describe.
// Vitest runs no hook of a file whose tests are all skipped (describe.runIf(false)), and a file's
// own afterAll inside its describe runs first; when it fails, this one still runs.

/**
 * Holds the kind cluster for the whole file: before the first test the cluster lock, then every
 * node Ready and schedulable (a previous run's node fault may still be healing); after the last
 * test the lock is released, whatever happened.
 */
export function useSharedCluster(): SharedCluster {
  return holdSharedCluster({ demoWorkload: false });
}

/**
 * useSharedCluster for files that inject faults into the demo workload and its nodes: the workload
 * is created once the nodes are healthy. After the last test, every worker is running and
 * schedulable again (a node fault whose test failed half-way must not leave the shared cluster
 * degraded), then the workload is removed, then the lock released.
 */
export function useSharedClusterWithDemoWorkload(workload: DemoWorkloadOptions = {}): SharedClusterWithDemoWorkload {
  return holdSharedCluster({ demoWorkload: true, workload });
}

function holdSharedCluster(options: { demoWorkload: boolean; workload?: DemoWorkloadOptions }): SharedClusterWithDemoWorkload {
  let clients: KubeClients | undefined;
  let workload: DemoWorkload | undefined;
  let releaseCluster: (() => void) | undefined;

  beforeAll(async () => {
    clients = kubeClients();
    releaseCluster = await lockCluster();
    await waitForHealthyNodes(clients);
    if (options.demoWorkload) workload = await createDemoWorkload(clients, options.workload);
  });

  // One hook, so that nothing before the release can skip it (vitest stops a suite's afterAll
  // hooks at the first that throws).
  afterAll(async () => {
    try {
      if (options.demoWorkload) {
        if (clients) await restoreWorkers(clients);
        await workload?.remove();
      }
    } finally {
      releaseCluster?.();
    }
  });

  return {
    get clients() {
      return clients ?? notSetUp('clients');
    },
    get workload() {
      return workload ?? notSetUp('workload');
    },
  };
}

function notSetUp(what: 'clients' | 'workload'): never {
  throw new Error(`cluster.${what} is set in the beforeAll of useSharedCluster: read it in a hook or a test, not when the file is loaded`);
}
