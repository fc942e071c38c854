import type { DeploymentSpec } from './target.js';

/** "rebound teardown experiments/web.yaml --target docker": how to remove what a deploy left, for hints. */
export function teardownHint(spec: Pick<DeploymentSpec, 'name' | 'teardownCommand'>): string {
  return spec.teardownCommand ?? `rebound teardown <the experiment file of ${spec.name}>`;
}
