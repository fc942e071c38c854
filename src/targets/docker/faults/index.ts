import { crashContainers } from './crash-containers.js';
import type { DockerFaults } from './docker-fault.js';
import { failHost } from './fail-host.js';
import { killContainers } from './kill-containers.js';
import { oomContainers } from './oom-containers.js';
import { networkFaultOnContainers } from './network-containers.js';
import { pauseContainers } from './pause-containers.js';
import { removeContainers } from './remove-containers.js';
import { rollContainers } from './roll-containers.js';
import { scaleContainers } from './scale-containers.js';
import { squeezeContainers } from './squeeze-containers.js';
import { restartContainers, stopContainers } from './stop-containers.js';
import { cpuStressContainers, memoryStressContainers } from './stress-containers.js';

export type { DockerFaultContext, DockerUndoContext, LiveHelper } from './docker-fault.js';
export { startContainers } from './start-containers.js';

/** What each fault does on a Docker host: one entry for every fault the catalog says Docker supports. */
export const dockerFaults = {
  crash: crashContainers,
  kill: killContainers,
  stop: stopContainers,
  restart: restartContainers,
  pause: pauseContainers,
  remove: removeContainers,
  'fail-node': failHost,
  scale: scaleContainers,
  'cpu-stress': cpuStressContainers,
  'memory-stress': memoryStressContainers,
  oom: oomContainers,
  squeeze: squeezeContainers,
  rollout: rollContainers,
  'network-delay': networkFaultOnContainers('network-delay'),
  'network-loss': networkFaultOnContainers('network-loss'),
  'network-bandwidth': networkFaultOnContainers('network-bandwidth'),
  partition: networkFaultOnContainers('partition'),
  'connection-fault': networkFaultOnContainers('connection-fault'),
  'network-corrupt': networkFaultOnContainers('network-corrupt'),
  'network-duplicate': networkFaultOnContainers('network-duplicate'),
} satisfies DockerFaults;
