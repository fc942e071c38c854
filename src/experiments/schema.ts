import { z } from 'zod';
import { assertionCatalog, type AssertionName } from '../assertions/catalog.js';
import { durationSchema, faultCatalog, type FaultName, rateSchema } from '../faults/catalog.js';

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
});

const probeSchema = z.strictObject({
  rate: rateSchema.default(20).describe('Probe requests per second (default 20/s).'),
  timeout: durationSchema.prefault(1).describe('A probe request not answered within this counts as failed (default 1s).'),
  path: z.string().startsWith('/').optional().describe('Path appended to the system url (default: the url as is).'),
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
  })
  .superRefine((load, context) => {
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
  .transform((entry) => {
    const name = (Object.keys(faultCatalog) as FaultName[]).find((key) => entry[key] !== undefined)!;
    return {
      name,
      params: entry[name] as Record<string, unknown>,
      at: entry.at,
      repeat: entry.repeat,
      interval: entry.interval ?? 0,
    };
  });

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
  system: systemSchema,
  kubernetes: kubernetesSchema.default({ namespace: 'default', allowSystemNamespaces: false }),
  probe: probeSchema.default({ rate: 20, timeout: 1000 }),
  load: loadSchema.optional(),
  duration: durationSchema.optional().describe('Total observation time from run start (default: last fault + 30s, or the load duration).'),
  settle: durationSchema.prefault(2).describe('How long the steady state must hold to count as recovered (default 2s).'),
  faults: z.array(faultEntrySchema).min(1).max(100),
  assertions: z.array(assertionEntrySchema).max(100).default([]),
  iterations: z.int().min(1).max(1000).default(1),
  safety: safetySchema.default({ optInLabel: true }),
});

export type Experiment = z.output<typeof experimentSchema>;
export type ExperimentFault = Experiment['faults'][number];
export type ExperimentAssertion = Experiment['assertions'][number];
export type LoadSpec = NonNullable<Experiment['load']>;

/** Every key the schema accepts at a given object path, for "did you mean" suggestions. */
export const knownKeys = {
  top: Object.keys(experimentSchema.shape),
  fault: [...Object.keys(faultSchedule), ...Object.keys(faultCatalog)],
  assertion: Object.keys(assertionCatalog),
};
