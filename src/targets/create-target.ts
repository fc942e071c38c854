import type { Target, TargetKind } from './target.js';
import type { TargetOptions } from './target-options.js';

export type { TargetOptions };

// The one factory for targets. Engine clients are imported lazily so `rebound --help` and
// `rebound validate` never load dockerode or client-node.
export async function createTarget(kind: TargetKind, options: TargetOptions = {}): Promise<Target> {
  if (kind === 'docker') {
    const { createDockerTarget } = await import('./docker/index.js');
    return createDockerTarget({});
  }
  const { createKubernetesTarget } = await import('./kubernetes/index.js');
  return createKubernetesTarget(options);
}
