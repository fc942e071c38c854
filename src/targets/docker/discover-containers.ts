import type Docker from 'dockerode';
import type { Discovery, Selector } from '../target.js';
import { instanceOf, matchesSelector } from './container-facts.js';

/** Every container (any state) matching the selector, inspected. */
export async function discoverContainers(docker: Docker, selector: Selector, host: string): Promise<Discovery> {
  const labelFilters = Object.entries(selector.labels).map(([key, value]) => `${key}=${value}`);
  const listed = await docker.listContainers({ all: true, ...(labelFilters.length > 0 && { filters: { label: labelFilters } }) });
  const matching = listed.filter((container) => matchesSelector(selector, container.Labels ?? {}, (container.Names[0] ?? '').replace(/^\//, '')));
  const inspected = await Promise.all(matching.map((container) => docker.getContainer(container.Id).inspect().catch(() => undefined)));
  const instances = inspected.filter((info) => info !== undefined).map((info) => instanceOf(info!, host));
  return {
    instances,
    hosts: [{ name: host, ready: true, schedulable: true, instanceCount: instances.length }],
    desired: instances.length,
  };
}
