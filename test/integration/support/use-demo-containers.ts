import { afterEach } from 'vitest';
import { type DemoContainers, type DemoContainersOptions, startDemoContainers } from './demo-containers.js';

export interface DemoContainersOfTest {
  /** startDemoContainers, removed again after the test that started them. */
  start(options: DemoContainersOptions): Promise<DemoContainers>;
}

/**
 * Registers an afterEach in the calling file that removes the demo containers each test started,
 * whether it passed or failed. Call it at the top of a test file, then `start` in the tests.
 */
export function useDemoContainers(): DemoContainersOfTest {
  const started: DemoContainers[] = [];
  afterEach(async () => {
    // Dropped only once removed: a removal that fails is tried again after the next test.
    while (started.length > 0) {
      await started[0]!.remove();
      started.shift();
    }
  });
  return {
    start: async (options) => {
      const demo = await startDemoContainers(options);
      started.push(demo);
      return demo;
    },
  };
}
