import { OPT_IN_LABEL, OPT_IN_VALUE } from '../common/labels.js';
import type { DeploymentSpec, TargetKind } from '../targets/target.js';
import { selectorOf } from './plan-experiment.js';
import type { Experiment } from '../experiments/schema.js';

/**
 * What to deploy on `target` for an experiment with a `deploy` section (undefined without one).
 * `file`, when known, goes into the spec's hints: `rebound teardown <file> --target <target>`.
 */
export function deploymentSpecOf(experiment: Experiment, target: TargetKind, file?: string): DeploymentSpec | undefined {
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
    ...(deploy.resources !== undefined && { resources: deploy.resources }),
    ...(deploy.autoscale !== undefined && { autoscale: { min: deploy.autoscale.min ?? deploy.replicas, max: deploy.autoscale.max, cpuPercent: deploy.autoscale.cpu } }),
    ...(file !== undefined && { teardownCommand: teardownCommandFor(file, target) }),
    ...(target === 'docker' && deploy.docker && { hostPort: deploy.docker.hostPort }),
    // Where the selector looks (kubernetes.namespace), with or without deploy.kubernetes.
    ...(target === 'kubernetes' && { namespace: experiment.kubernetes.namespace }),
    ...(target === 'kubernetes' && deploy.kubernetes && {
      ...(deploy.kubernetes.nodePort !== undefined && { nodePort: deploy.kubernetes.nodePort }),
      ...(!deploy.kubernetes.spread && { spread: false }),
      ...(deploy.kubernetes.minAvailable !== undefined && { minAvailable: deploy.kubernetes.minAvailable }),
      ...(deploy.kubernetes.tolerationSeconds !== undefined && { tolerationSeconds: deploy.kubernetes.tolerationSeconds }),
      ...(deploy.kubernetes.progressDeadlineSeconds !== undefined && { progressDeadlineSeconds: deploy.kubernetes.progressDeadlineSeconds }),
      ...(deploy.kubernetes.preStopSleepSeconds !== undefined && { preStopSleepSeconds: deploy.kubernetes.preStopSleepSeconds }),
    }),
  };
}

/** The command that removes what the experiment in `file` deployed on `target`, ready to paste into a shell. */
export function teardownCommandFor(file: string, target: TargetKind): string {
  return `rebound teardown ${shellWord(file)} --target ${target}`;
}

/** A path as one shell word: as it is when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
