import type { DeploySpec } from '../experiments/schema.js';
import type { TargetKind } from '../targets/target.js';
import { autoscalerInWords, noAutoscalerSentence, resourcesInWords } from '../targets/resources-in-words.js';

/** The deploy in words: `facts` for the run facts, `notes` for beside the verdicts too. */
export interface DeployFacts {
  facts: string[];
  /** What changes how the verdicts read (a Docker host has no autoscaler): every reporter shows it under the run. */
  notes: string[];
}

/**
 * What the experiment's deploy means on this target beyond its image and count: the limits per
 * instance, who scales it (a Docker host: nobody, said so), and on Kubernetes whether the pods are
 * spread over the nodes.
 */
export function deployFacts(deploy: DeploySpec, target: TargetKind): DeployFacts {
  const facts: string[] = [];
  const notes: string[] = [];
  const limits = resourcesInWords(deploy.resources);
  if (limits !== undefined) facts.push(`each instance limited to ${limits} (${target === 'kubernetes' ? 'requests = limits' : '--cpus/--memory'})`);
  const { autoscale } = deploy;
  if (autoscale !== undefined && target === 'kubernetes') facts.push(autoscalerInWords({ min: autoscale.min ?? deploy.replicas, max: autoscale.max, cpuPercent: autoscale.cpu }));
  if (autoscale !== undefined && target === 'docker') notes.push(noAutoscalerSentence(deploy.replicas));
  if (target === 'kubernetes') {
    facts.push(deploy.kubernetes?.spread === false ? 'pods not spread over the nodes (deploy.kubernetes.spread: false)' : 'pods spread over the nodes: at most one more on any node than on another');
  }
  return { facts: [...facts, ...notes], notes };
}
