import { z } from 'zod';
import { parseCpu, parseMemory } from '../common/resource-quantity.js';

// deploy.resources and deploy.autoscale: what each instance may use, and how Kubernetes scales the
// Deployment on CPU. Docker gets the same limits and, having no autoscaler, a sentence saying so.

const cpuSchema = z
  .union([z.string(), z.number()])
  .transform((value, context) => {
    const cpu = parseCpu(value);
    if (typeof cpu === 'string') {
      context.addIssue({ code: 'custom', message: cpu });
      return z.NEVER;
    }
    return cpu;
  })
  .describe('CPU per instance: "100m" (millicores) or "0.5" (cores). Docker: --cpus; Kubernetes: request = limit.');

const memorySchema = z
  .union([z.string(), z.number()])
  .transform((value, context) => {
    const memory = parseMemory(value);
    if (typeof memory === 'string') {
      context.addIssue({ code: 'custom', message: memory });
      return z.NEVER;
    }
    return memory;
  })
  .describe('Memory per instance: "64Mi", "128M", "1Gi" or bytes. Docker: --memory; Kubernetes: request = limit.');

export const resourcesSchema = z
  .strictObject({ cpu: cpuSchema.optional(), memory: memorySchema.optional() })
  .refine((resources) => resources.cpu !== undefined || resources.memory !== undefined, { message: 'name `cpu`, `memory` or both' })
  .describe('Limits per instance, the same on both targets: Docker --cpus/--memory; Kubernetes requests = limits.');

const percentSchema = z
  .union([z.string(), z.number()])
  .transform((value, context) => {
    const match = /^\s*(\d+)\s*%?\s*$/.exec(String(value));
    const percent = match ? Number(match[1]) : Number.NaN;
    if (!Number.isInteger(percent) || percent < 1 || percent > 1000) {
      context.addIssue({ code: 'custom', message: `expected a whole percentage of the CPU request such as "50%" (1 to 1000), got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return percent;
  });

export const autoscaleSchema = z
  .strictObject({
    min: z.int().min(1).max(100).optional().describe('Fewest instances (default: deploy.replicas).'),
    max: z.int().min(1).max(100).describe('Most instances.'),
    cpu: percentSchema.describe('Target average CPU use, as a share of the CPU request: "50%".'),
  })
  .describe('Kubernetes: a HorizontalPodAutoscaler (autoscaling/v2) on CPU; needs resources.cpu. Docker has no autoscaler: the run says so and stays at deploy.replicas.');

/** The rules between deploy fields: autoscale needs a CPU request and must contain deploy.replicas. */
export function checkDeployResources(
  deploy: { replicas: number; resources?: { cpu?: unknown } | undefined; autoscale?: { min?: number | undefined; max: number } | undefined },
  context: z.RefinementCtx,
): void {
  const { autoscale, replicas } = deploy;
  if (autoscale === undefined) return;
  if (deploy.resources?.cpu === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['autoscale'],
      message: 'autoscale needs resources.cpu: the autoscaler\'s CPU target is a share of each pod\'s CPU request (add e.g. `resources: { cpu: 100m }`)',
    });
  }
  const min = autoscale.min ?? replicas;
  if (min > autoscale.max) {
    context.addIssue({ code: 'custom', path: ['autoscale', 'max'], message: `max (${autoscale.max}) is below min (${min}${autoscale.min === undefined ? ', from deploy.replicas' : ''})` });
  } else if (replicas < min || replicas > autoscale.max) {
    context.addIssue({ code: 'custom', path: ['replicas'], message: `the Deployment starts at deploy.replicas (${replicas}): with autoscale it must lie within min ${min} and max ${autoscale.max}` });
  }
}
