import { z } from 'zod';
import { durationSchema, rateSchema } from '../common/schema-primitives.js';
import type { FaultDefinition, Support } from './fault.js';
import { selectionShape } from './selection.js';

// The fault catalog. `rebound list`, the experiment schema and the JSON Schema come from here.


const everywhere: Support = { supported: true };
const onlyKubernetes = (reason: string): Record<'docker' | 'kubernetes', Support> => ({
  docker: { supported: false, reason },
  kubernetes: everywhere,
});

const crash = {
  name: 'crash',
  summary: "SIGKILL of the main process: Docker's restart policy applies; the kubelet restarts the container.",
  actsOn: 'instances',
  params: z.strictObject({ ...selectionShape }),
  support: {
    docker: everywhere,
    kubernetes: { supported: true, note: 'needs node access: works on kind (docker exec into the node)' },
  },
} satisfies FaultDefinition;

const kill = {
  name: 'kill',
  summary: 'Docker: `docker kill`, a manual stop (the restart policy does NOT apply). Kubernetes: pod delete.',
  actsOn: 'instances',
  params: z.strictObject({
    ...selectionShape,
    gracePeriod: durationSchema.prefault(0).describe('Kubernetes pod deletion grace period (default 0).'),
  }),
  support: { docker: everywhere, kubernetes: everywhere },
} satisfies FaultDefinition;

const stop = {
  name: 'stop',
  summary: 'Graceful stop (SIGTERM, then SIGKILL after the timeout); a manual stop, no restart on Docker.',
  actsOn: 'instances',
  params: z.strictObject({ ...selectionShape, timeout: durationSchema.prefault(10).describe('Grace before SIGKILL.') }),
  support: { docker: everywhere, kubernetes: { supported: true, note: 'pod delete with the given grace period' } },
} satisfies FaultDefinition;

const pause = {
  name: 'pause',
  summary: 'Freezes every process of the instance for `duration` (cgroup freezer); rollback unpauses.',
  actsOn: 'instances',
  params: z.strictObject({ ...selectionShape, duration: durationSchema.describe('How long to stay paused.') }),
  support: {
    docker: everywhere,
    kubernetes: { supported: false, reason: 'Kubernetes has no pause; use fail-node with mode: pause on kind' },
  },
  durationOf: (params: { duration: number }) => params.duration,
} satisfies FaultDefinition<{ duration: number }>;

const restart = {
  name: 'restart',
  summary: 'Graceful restart of the instance (docker restart; Kubernetes: not supported, use kill).',
  actsOn: 'instances',
  params: z.strictObject({ ...selectionShape, timeout: durationSchema.prefault(10) }),
  support: { docker: everywhere, kubernetes: { supported: false, reason: 'a pod is not restarted in place; use kill or crash' } },
} satisfies FaultDefinition;

const remove = {
  name: 'remove',
  summary: 'Force-removes the container (Docker); rollback recreates it from its recorded configuration.',
  actsOn: 'instances',
  params: z.strictObject({ ...selectionShape }),
  support: { docker: everywhere, kubernetes: { supported: true, note: 'same as kill: the pod is deleted' } },
} satisfies FaultDefinition;

const drainNode = {
  name: 'drain-node',
  summary: 'Cordon + Eviction API for every evictable pod, honouring PodDisruptionBudgets; rollback uncordons.',
  actsOn: 'hosts',
  params: z.strictObject({
    node: z.string().optional().describe('Node name; default: the worker holding the most selected pods.'),
    timeout: durationSchema.prefault(120).describe('Give up evicting (429 from a PDB is retried) after this long.'),
  }),
  support: onlyKubernetes('a Docker host has no scheduler to move containers to another host'),
} satisfies FaultDefinition;

const failNode = {
  name: 'fail-node',
  summary: "A kind node's container stopped or paused; rollback starts or unpauses it.",
  actsOn: 'hosts',
  params: z.strictObject({
    node: z.string().optional().describe('Node name; default: the worker holding the most selected pods.'),
    mode: z.enum(['stop', 'pause']).default('stop'),
    duration: durationSchema.optional().describe('Bring the node back after this long (default: at the end of the run).'),
  }),
  support: {
    docker: {
      supported: true,
      note: 'the Docker host itself cannot be failed; on Docker this stops every selected container, which stay down',
    },
    kubernetes: { supported: true, note: 'kind only: the node is a container on this machine' },
  },
  durationOf: (params: { duration?: number }) => params.duration,
} satisfies FaultDefinition<{ duration?: number }>;

const scale = {
  name: 'scale',
  summary: 'Sets the replica count (Deployment/StatefulSet; Docker: starts or removes labelled containers); rollback restores it.',
  actsOn: 'system',
  params: z.strictObject({ replicas: z.int().min(0).max(1000).describe('The new replica count.') }),
  support: { docker: everywhere, kubernetes: everywhere },
} satisfies FaultDefinition;

const spikeLoad = {
  name: 'spike-load',
  summary: 'Sends extra load at `rate` for `duration` through the shared load generator (loopback only).',
  actsOn: 'system',
  params: z.strictObject({
    rate: rateSchema,
    duration: durationSchema,
    connections: z.int().min(1).max(1000).default(50),
  }),
  support: { docker: everywhere, kubernetes: everywhere },
  durationOf: (params: { duration: number }) => params.duration,
} satisfies FaultDefinition<{ duration: number }>;

export const faultCatalog = {
  crash,
  kill,
  stop,
  pause,
  restart,
  remove,
  'drain-node': drainNode,
  'fail-node': failNode,
  scale,
  'spike-load': spikeLoad,
} satisfies Record<string, FaultDefinition<any>>;

export type FaultName = keyof typeof faultCatalog;
export const faultNames = Object.keys(faultCatalog) as FaultName[];
