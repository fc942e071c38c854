import type Docker from 'dockerode';
import { UsageError } from '../../common/errors.js';
import type { Discovery, Selector } from '../target.js';
import { ambiguousComposeProjects, instanceOf, matchesSelector } from './container-facts.js';

/** Every container (any state) matching the selector, inspected. */
export async function discoverContainers(docker: Docker, selector: Selector, host: string): Promise<Discovery> {
  const labelFilters = Object.entries(selector.labels).map(([key, value]) => `${key}=${value}`);
  const listed = await docker.listContainers({ all: true, ...(labelFilters.length > 0 && { filters: { label: labelFilters } }) });
  const nameOf = (container: Docker.ContainerInfo) => (container.Names[0] ?? '').replace(/^\//, '');
  const matching = listed.filter((container) => matchesSelector(selector, container.Labels ?? {}, nameOf(container)));
  const ambiguous = ambiguousComposeProjects(selector, matching.map((container) => ({ name: nameOf(container), labels: container.Labels ?? {} })));
  if (ambiguous) {
    const list = [...ambiguous].sort(([a], [b]) => a.localeCompare(b)).map(([project, names]) => `${project}: ${names.sort().join(', ')}`);
    throw new UsageError(`system.service ${selector.service} matches containers of ${ambiguous.size} Compose projects (${list.join('; ')}): refusing to guess which one is under test`, {
      hint: `set system.project to one of: ${[...ambiguous.keys()].sort().join(', ')}`,
    });
  }
  const inspected = await Promise.all(matching.map((container) => docker.getContainer(container.Id).inspect().catch(() => undefined)));
  const instances = inspected.filter((info) => info !== undefined).map((info) => instanceOf(info!, host));
  return {
    instances,
    hosts: [{ name: host, ready: true, schedulable: true, instanceCount: instances.length }],
    desired: instances.length,
  };
}
