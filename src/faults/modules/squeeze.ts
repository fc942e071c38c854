import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { cpuAmountSchema, memoryAmountSchema } from '../resource-amounts.js';
import { selectionShape } from '../selection.js';

const quantities = z.record(z.string(), z.string());

export const squeeze = defineFault({
  name: 'squeeze',
  summary: "Lowers the instance's CPU and/or memory limit (in place, no restart) for `duration`; rollback restores the recorded limits.",
  actsOn: 'instances',
  drivenBy: 'target',
  samplesResources: true,
  params: z
    .strictObject({
      ...selectionShape,
      cpu: cpuAmountSchema.optional().describe('The new CPU limit: "50m", "0.1", or "50%" of the current one.'),
      memory: memoryAmountSchema.optional().describe('The new memory limit: "16Mi", or "50%" of the current one.'),
      duration: durationSchema.optional().describe('Restore the limits after this long (default: at the end of the run).'),
    })
    .refine((params) => params.cpu !== undefined || params.memory !== undefined, { message: 'name `cpu`, `memory` or both: the limits to squeeze' }),
  docker: {
    does: '`docker update` of `--cpus` / `--memory` (and the swap limit with it); the container must have the limit already (docker update cannot take one away again). Below current usage the kernel refuses a memory limit: the fault fails and says so, nothing changed',
    rollback: '`docker update` back to the recorded NanoCpus / CpuQuota / Memory / MemorySwap',
    undo: z.object({
      action: z.literal('restore-limits'),
      containers: z.array(z.object({ name: z.string(), nanoCpus: z.number(), cpuQuota: z.number(), cpuPeriod: z.number(), memory: z.number(), memorySwap: z.number() })),
    }),
  },
  kubernetes: {
    does: "in-place resize through the pod's `resize` subresource (requests lowered with the limits, so the QoS class stays); the kubelet applies it to the running container. Below current usage the kubelet keeps it `PodResizeInProgress` until usage falls (reported as incomplete); refused where the cluster has no resize subresource",
    rollback: 'resize back to the recorded requests and limits',
    undo: z.object({
      action: z.literal('restore-resources'),
      namespace: z.string(),
      pods: z.array(z.object({ pod: z.string(), container: z.string(), requests: quantities, limits: quantities })),
    }),
  },
  durationOf: (params) => params.duration,
});
