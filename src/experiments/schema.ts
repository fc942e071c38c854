import { z } from 'zod';
import { assertionCatalog, type AssertionName } from '../assertions/catalog.js';
import { INSTANCE_FAULT_ROUTES } from '../common/instance-fault-route.js';
import { durationSchema, rateSchema } from '../common/schema-primitives.js';
import { faultCatalog, type FaultName, type FaultParams } from '../faults/index.js';
import { autoscaleSchema, checkDeployResources, resourcesSchema } from './deploy-resources-schema.js';
import { guardCatalog, type GuardName } from '../safety/guards/index.js';
import { measureNames } from './measure-names.js';

// The one experiment schema. Loading, `rebound validate`, `rebound schema` (JSON Schema) and the
// docs all come from it. Field descriptions become editor tooltips.

const loopbackUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => URL.canParse(value) && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(value).hostname), {
    message: 'probe and load traffic only go to loopback: use http://127.0.0.1:<published port or NodePort>/',
  });

const labelsSchema = z.record(z.string().min(1).max(317), z.string().max(63));

const systemSchema = z.strictObject({
  selector: labelsSchema.default({}).describe('Labels every instance of the system carries (container labels / pod labels).'),
  name: z.string().min(1).optional().describe('Glob on container / pod names, e.g. "web-*".'),
  service: z.string().min(1).optional().describe('Docker Compose service name (label com.docker.compose.service).'),
  project: z
    .string()
    .min(1)
    .optional()
    .describe('Docker Compose project (label com.docker.compose.project). Needed when system.service names a service of more than one project: rebound refuses to guess.'),
  owner: z
    .strictObject({ kind: z.enum(['Deployment', 'StatefulSet', 'ReplicaSet']), name: z.string().min(1) })
    .optional()
    .describe('Kubernetes owner whose spec gives the desired replica count.'),
  replicas: z.int().min(0).max(10_000).optional().describe('Desired replica count (default: discovered).'),
  url: z
    .union([loopbackUrl, z.strictObject({ docker: loopbackUrl.optional(), kubernetes: loopbackUrl.optional() })])
    .optional()
    .describe('Where the traffic probe and load go, per target; loopback only.'),
});

const kubernetesSchema = z.strictObject({
  context: z.string().min(1).optional().describe('Kube context; rebound refuses any other.'),
  namespace: z.string().min(1).default('default'),
  allowSystemNamespaces: z.boolean().default(false).describe('Allow kube-system and friends (refused by default).'),
  instanceFaults: z
    .enum(INSTANCE_FAULT_ROUTES)
    .optional()
    .describe('How crash reaches a pod\'s process: node (kind: through the node container), ephemeral (an ephemeral container sharing its PID namespace), auto (default: node access first, else ephemeral). `--instance-faults` overrides it.'),
  helperImage: z
    .string()
    .min(1)
    .optional()
    .describe('Image of the ephemeral helper container (default rebound/fault-tools:v1, which must already be on the node; an image named here may be pulled by the kubelet).'),
});

const probeSchema = z.strictObject({
  rate: rateSchema.default(20).describe('Probe requests per second (default 20/s).'),
  timeout: durationSchema.prefault(1).describe('A probe request not answered within this counts as failed (default 1s).'),
  path: z.string().startsWith('/').optional().describe('Path appended to the system url (default: the url as is).'),
  keepAlive: z.boolean().optional().describe('Reuse connections (default true). false: a new connection per request, to see how a Kubernetes Service spreads connections.'),
});

const loadSchema = z
  .strictObject({
    profile: z.enum(['constant', 'ramp', 'spike']).default('constant'),
    rate: rateSchema.optional().describe('constant: the rate; spike: the base rate before and after the spike.'),
    from: rateSchema.optional().describe('ramp: starting rate.'),
    to: rateSchema.optional().describe('ramp: final rate.'),
    peak: rateSchema.optional().describe('spike: the rate during the spike.'),
    at: durationSchema.optional().describe('spike: when the spike starts (from run start).'),
    hold: durationSchema.optional().describe('spike: how long the spike lasts.'),
    duration: durationSchema.describe('How long the load runs (it always stops by itself).'),
    connections: z.int().min(1).max(1000).default(50),
    path: z.string().startsWith('/').optional(),
    timeout: durationSchema.prefault(2),
    keepAlive: z.boolean().optional().describe('Reuse connections (default true). false: a new connection per request: a Kubernetes Service balances connections, not requests.'),
    // Where the load runs. Optional without defaults, so a LoadSpec written in code (spike-load) stays local.
    in: z
      .enum(['local', 'cluster'])
      .optional()
      .describe('local (default): this process sends, to the loopback url. cluster (Kubernetes): an Indexed Job of the rebound image in kubernetes.namespace sends, to the system\'s Service, and its pods\' results are merged into the timeline.'),
    workers: z.int().min(1).max(50).optional().describe('in: cluster: pods sharing the load (default 1); each sends every N-th request of the schedule, with `connections` of its own.'),
    service: z
      .strictObject({ name: z.string().min(1).max(63), port: z.int().min(1).max(65535).optional() })
      .optional()
      .describe('in: cluster: the Service of the system under test, in kubernetes.namespace (default: the one deploy creates); port default: its first.'),
    avoidFaultedNodes: z.boolean().optional().describe('in: cluster: keep the load pods off the nodes that node faults (drain-node, fail-node) touch (default false).'),
    image: z.string().min(1).optional().describe('in: cluster: the rebound image the workers run (default rebound/rebound:<version>, loaded into kind by setup).'),
    startAfter: durationSchema.optional().describe('in: cluster: when the load starts, from run start (default 8s): time for its pods to start; a pod that starts later skips what it missed, and is reported.'),
  })
  .superRefine((load, context) => {
    if (load.in !== 'cluster') {
      for (const field of ['workers', 'service', 'avoidFaultedNodes', 'image', 'startAfter'] as const) {
        if (load[field] !== undefined) context.addIssue({ code: 'custom', path: [field], message: `\`${field}\` is for the load inside the cluster: set \`in: cluster\` too` });
      }
    }
    const need = (field: 'rate' | 'from' | 'to' | 'peak' | 'at' | 'hold') => {
      if (load[field] === undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `the ${load.profile} profile needs \`${field}\`` });
      }
    };
    if (load.profile === 'constant') need('rate');
    if (load.profile === 'ramp') (['from', 'to'] as const).forEach(need);
    if (load.profile === 'spike') (['rate', 'peak', 'at', 'hold'] as const).forEach(need);
  });

const safetySchema = z.strictObject({
  optInLabel: z
    .boolean()
    .default(true)
    .describe('Only touch instances labelled rebound.dev/chaos=enabled (default true; false turns the guard off).'),
  maxInstances: z.int().min(1).optional().describe('Never touch more instances than this in one fault.'),
});

const faultSchedule = {
  at: durationSchema.prefault(0).describe('When to inject, from run start (after observers are up).'),
  repeat: z.int().min(1).max(1000).default(1).describe('How many times to inject.'),
  interval: durationSchema.optional().describe('Time between repetitions (required when repeat > 1).'),
};

const faultEntrySchema = z
  .strictObject({
    ...faultSchedule,
    ...(Object.fromEntries(
      Object.entries(faultCatalog).map(([name, fault]) => [name, fault.params.optional().describe(fault.summary)]),
    ) as { [K in FaultName]: z.ZodOptional<(typeof faultCatalog)[K]['params']> }),
  })
  .superRefine((entry, context) => {
    const names = Object.keys(faultCatalog).filter((name) => entry[name as FaultName] !== undefined);
    if (names.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          names.length === 0
            ? `a fault entry needs exactly one fault: ${Object.keys(faultCatalog).join(', ')}`
            : `one fault per entry, found ${names.join(' and ')}: split them into two entries`,
      });
    }
    if (entry.repeat > 1 && entry.interval === undefined) {
      context.addIssue({ code: 'custom', path: ['interval'], message: '`repeat` > 1 needs an `interval`' });
    }
  })
  .transform((entry): ScheduledFault => {
    const name = (Object.keys(faultCatalog) as FaultName[]).find((key) => entry[key] !== undefined)!;
    // The entry's one fault, with its module's parameters (defaults applied).
    return { name, params: entry[name], at: entry.at, repeat: entry.repeat, interval: entry.interval ?? 0 } as ScheduledFault;
  });

/** A fault of the experiment: its name and parameters (typed per fault), and when to inject it. */
export type ScheduledFault = {
  [K in FaultName]: { name: K; params: FaultParams<K>; at: number; repeat: number; interval: number };
}[FaultName];

const assertionEntrySchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(assertionCatalog).map(([name, assertion]) => [name, assertion.params.optional().describe(assertion.summary)]),
    ) as { [K in AssertionName]: z.ZodOptional<(typeof assertionCatalog)[K]['params']> },
  )
  .superRefine((entry, context) => {
    const names = Object.keys(entry).filter((name) => entry[name as AssertionName] !== undefined);
    if (names.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `an assertion entry needs exactly one of: ${Object.keys(assertionCatalog).join(', ')}`,
      });
    }
  })
  .transform((entry) => {
    const name = (Object.keys(assertionCatalog) as AssertionName[]).find((key) => entry[key] !== undefined)!;
    return { name, params: entry[name] as unknown };
  });

const guardEntrySchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(guardCatalog).map(([name, guard]) => [name, guard.params.optional().describe(guard.summary)]),
    ) as { [K in GuardName]: z.ZodOptional<(typeof guardCatalog)[K]['params']> },
  )
  .superRefine((entry, context) => {
    const names = Object.keys(entry).filter((name) => entry[name as GuardName] !== undefined);
    if (names.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          names.length === 0
            ? `a guard entry needs exactly one of: ${Object.keys(guardCatalog).join(', ')}`
            : `one guard per entry, found ${names.join(' and ')}: split them into two entries`,
      });
    }
  })
  .transform((entry) => {
    const name = (Object.keys(guardCatalog) as GuardName[]).find((key) => entry[key] !== undefined)!;
    return { name, params: entry[name] as unknown };
  });

const deploySchema = z
  .strictObject({
    image: z.string().min(1).describe('Image to run; it must already be on the Docker host / loaded into the kind nodes (nothing is pulled).'),
    replicas: z.int().min(1).max(20).default(3).describe('How many instances (default 3).'),
    port: z.int().min(1).max(65535).default(8080).describe('Port the app listens on inside the container (default 8080).'),
    healthPath: z.string().startsWith('/').default('/healthz').describe('HTTP health path: the Kubernetes readiness probe (Docker uses the image HEALTHCHECK).'),
    restartPolicy: z
      .enum(['no', 'always', 'on-failure', 'unless-stopped'])
      .default('always')
      .describe('Docker restart policy. A Kubernetes Deployment always restarts its containers (Always): there the field is reported, not applied.'),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}).describe('Environment variables for the app.'),
    resources: resourcesSchema.optional(),
    autoscale: autoscaleSchema.optional(),
    docker: z
      .strictObject({ hostPort: z.int().min(1024).max(65_000).describe('Replica i is published on 127.0.0.1:(hostPort + i).') })
      .optional()
      .describe('Docker side: published ports (loopback only). Plain Docker has no load balancer: the probe goes to replica 0.'),
    kubernetes: z
      .strictObject({
        nodePort: z.int().min(30_000).max(32_767).optional().describe('NodePort of the Service; the kind cluster maps it to 127.0.0.1 (without one: a ClusterIP Service).'),
        minAvailable: z.int().min(0).optional().describe('Adds a PodDisruptionBudget with this minAvailable.'),
        tolerationSeconds: z
          .int()
          .min(0)
          .max(3600)
          .optional()
          .describe('Tolerations for not-ready/unreachable nodes: how long pods stay on a failed node before eviction (Kubernetes default 300).'),
        spread: z.boolean().default(true).describe('Spread the pods over the nodes, at most one apart (topologySpreadConstraints on kubernetes.io/hostname; default true).'),
        progressDeadlineSeconds: z
          .int()
          .min(1)
          .max(3600)
          .optional()
          .describe('How long a rollout may make no progress before the Deployment reports ProgressDeadlineExceeded (rebound\'s deploy: 30; Kubernetes default 600).'),
        preStopSleepSeconds: z
          .int()
          .min(1)
          .max(60)
          .optional()
          .describe('A preStop sleep (lifecycle.preStop.sleep): a terminating pod keeps serving this long while kube-proxy takes it out of the Service, as zero-downtime rolling updates need (default: none). Counts against the 5 s termination grace period, which grows to fit.'),
      })
      .optional()
      .describe('Kubernetes side: Deployment + NodePort Service (+ PDB) in kubernetes.namespace.'),
  })
  .superRefine(checkDeployResources)
  .describe('Deploy the system under test for the run and tear it down afterwards, the same definition on both targets.');

const commandSchema = z.strictObject({
  run: z.array(z.string().min(1)).min(1).describe('Program and arguments, run without a shell, e.g. ["docker", "compose", "up", "-d"].'),
  target: z.enum(['docker', 'kubernetes']).optional().describe('Only for this target (default: both).'),
  timeout: durationSchema.prefault(120).describe('Killed after this long (default 2m).'),
});

const claimSchema = z
  .strictObject({
    text: z.string().min(1).max(500).describe('The claim, in words, e.g. "Docker: a dead container stays dead; Kubernetes restarts it".'),
    expect: z
      .strictObject({
        docker: z.enum(['pass', 'fail']).optional(),
        kubernetes: z.enum(['pass', 'fail']).optional(),
      })
      .describe('What the claim predicts for the assertions on each target: pass or fail.'),
    headline: z
      .enum(measureNames)
      .optional()
      .describe('The measure the compare overview shows for this claim (default: recovery time when measured, else failed requests).'),
  })
  .describe('rebound compare checks the claim against the measurement: confirmed, contradicted or mixed.');

export const experimentSchema = z.strictObject({
  apiVersion: z.literal('rebound/v1'),
  kind: z.literal('Experiment'),
  metadata: z.strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes, at most 63')
      .describe('Experiment name, used in reports and resource names.'),
    description: z.string().max(2000).optional(),
  }),
  target: z.enum(['docker', 'kubernetes']).optional().describe('Default target; `--target` overrides it.'),
  targets: z
    .array(z.enum(['docker', 'kubernetes']))
    .min(1)
    .optional()
    .describe('The targets the experiment means something on; `rebound compare` skips the others and says so (default: both).'),
  system: systemSchema,
  kubernetes: kubernetesSchema.default({ namespace: 'default', allowSystemNamespaces: false }),
  probe: probeSchema.default({ rate: 20, timeout: 1000 }),
  load: loadSchema.optional(),
  duration: durationSchema.optional().describe('Total observation time from run start (default: last fault + 30s, or the load duration).'),
  settle: durationSchema.prefault(2).describe('How long the steady state must hold to count as recovered (default 2s).'),
  until: z
    .enum(['duration', 'recovered'])
    .default('duration')
    .describe('When observation ends: after `duration` (default), or as soon as every fault has recovered (steady state held for `settle`, every timed fault undone, the load finished), at most `duration`.'),
  faults: z.array(faultEntrySchema).min(1).max(100),
  assertions: z.array(assertionEntrySchema).max(100).default([]),
  guards: z
    .array(guardEntrySchema)
    .max(20)
    .default([])
    .describe('Abort conditions, armed from the first fault: when one is violated past its grace the run stops, rolls back and reports "aborted by guard" (exit 1).'),
  iterations: z.int().min(1).max(1000).default(1),
  maxIterations: z
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('`rebound compare` and `rebound demo` run this experiment at most this many times per target, whatever --iterations says (a slow scenario); the report says so.'),
  safety: safetySchema.default({ optInLabel: true }),
  deploy: deploySchema.optional(),
  setup: z.array(commandSchema).max(20).default([]).describe('Commands run before the run (e.g. compose up, kubectl apply); a failure stops the run (exit 3).'),
  teardown: z.array(commandSchema).max(20).default([]).describe('Commands run after the run, also when it failed or was interrupted.'),
  claim: claimSchema.optional(),
});

export type Experiment = z.output<typeof experimentSchema>;
export type ExperimentFault = Experiment['faults'][number];
export type ExperimentAssertion = Experiment['assertions'][number];
export type ExperimentGuard = Experiment['guards'][number];
export type LoadSpec = NonNullable<Experiment['load']>;
export type DeploySpec = NonNullable<Experiment['deploy']>;
export type CommandSpec = Experiment['setup'][number];
export type ClaimSpec = NonNullable<Experiment['claim']>;
