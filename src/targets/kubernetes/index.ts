import { EnvironmentError } from '../../common/errors.js';
import type { TargetOptions } from '../create-target.js';
import type { Target } from '../target.js';

// Placeholder until the Kubernetes target lands (issue 4): refuses clearly with exit 3.
export async function createKubernetesTarget(_options: TargetOptions): Promise<Target> {
  throw new EnvironmentError('the Kubernetes target is not available in this version of rebound', {
    hint: 'run the experiment with --target docker',
  });
}
