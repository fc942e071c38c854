import type { DockerFault } from './docker-fault.js';
import { startsWhatStaysDown } from './start-containers.js';

// One Docker host cannot be failed from inside it: "failing" it stops every selected container
// (docker stop -t 0), and nothing restarts them elsewhere. The list is journalled before any stops.
export const failHost: DockerFault<'fail-node'> = {
  planUndo: () => ({ action: 'start', containers: [] }),
  async inject(_fault, context, run) {
    const running = (await context.discover()).instances.filter((instance) => instance.running).map((instance) => instance.name);
    run.record({ action: 'start', containers: running });
    for (const name of running) await context.docker.getContainer(name).stop({ t: 0 });
    return {
      undo: { action: 'start', containers: running },
      note: 'a stopped Docker host: its containers stay down until someone starts them (no other host takes over)',
      facts: { staysDown: 'a stopped Docker host: its containers stay down until someone starts them (no other host takes over)' },
    };
  },
  undo: startsWhatStaysDown.undo,
};
