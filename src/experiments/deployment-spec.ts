import { OPT_IN_LABEL, OPT_IN_VALUE } from '../safety/opt-in.js';
import type { DeploymentSpec, TargetKind } from '../targets/target.js';
import { selectorOf } from './plan.js';
import type { Experiment } from './schema.js';

/** What to deploy on `target` for an experiment with a `deploy` section (undefined without one). */
export function deploymentSpecOf(experiment: Experiment, target: TargetKind): DeploymentSpec | undefined {
  const { deploy } = experiment;
  if (deploy === undefined) return undefined;
  return {
    name: experiment.metadata.name,
    labels: { ...selectorOf(experiment, target).labels, [OPT_IN_LABEL]: OPT_IN_VALUE },
    image: deploy.image,
    replicas: deploy.replicas,
    port: deploy.port,
    healthPath: deploy.healthPath,
    restartPolicy: deploy.restartPolicy,
    env: deploy.env,
    ...(target === 'docker' && deploy.docker && { hostPort: deploy.docker.hostPort }),
    ...(target === 'kubernetes' && deploy.kubernetes && {
      nodePort: deploy.kubernetes.nodePort,
      ...(deploy.kubernetes.minAvailable !== undefined && { minAvailable: deploy.kubernetes.minAvailable }),
      ...(deploy.kubernetes.tolerationSeconds !== undefined && { tolerationSeconds: deploy.kubernetes.tolerationSeconds }),
      namespace: experiment.kubernetes.namespace,
    }),
  };
}
