import type Docker from 'dockerode';
import { OPT_IN_LABEL, OPT_IN_VALUE } from '../../common/labels.js';
import type { Instance, Selector } from '../target.js';

export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

/** Glob (`*`, `?`) to a whole-name regular expression. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Whether a container (labels + name without the leading slash) belongs to the selected system. */
export function matchesSelector(selector: Selector, labels: Record<string, string>, name: string): boolean {
  for (const [key, value] of Object.entries(selector.labels)) if (labels[key] !== value) return false;
  if (selector.service !== undefined && labels[COMPOSE_SERVICE_LABEL] !== selector.service) return false;
  if (selector.project !== undefined && labels[COMPOSE_PROJECT_LABEL] !== selector.project) return false;
  if (selector.name !== undefined && !globToRegExp(selector.name).test(name)) return false;
  return true;
}

/**
 * A Compose service name is only unique inside its project: two projects with a `web` service
 * both match `system.service: web`. Without `system.project` that is ambiguous, and rebound
 * refuses rather than put faults into a system nobody meant. Returns the projects (each with its
 * matched container names) when the selection is ambiguous, else undefined.
 */
export function ambiguousComposeProjects(selector: Selector, containers: readonly { name: string; labels: Record<string, string> }[]): Map<string, string[]> | undefined {
  if (selector.service === undefined || selector.project !== undefined) return undefined;
  const projects = new Map<string, string[]>();
  for (const container of containers) {
    const project = container.labels[COMPOSE_PROJECT_LABEL] ?? '(no Compose project)';
    projects.set(project, [...(projects.get(project) ?? []), container.name]);
  }
  return projects.size > 1 ? projects : undefined;
}

export function protectedReason(labels: Record<string, string>): string | undefined {
  if (labels[KIND_CLUSTER_LABEL] !== undefined) return `a kind node of cluster ${labels[KIND_CLUSTER_LABEL]} (only fail-node may touch it)`;
  if (labels[OPT_IN_LABEL] !== OPT_IN_VALUE) return `no opt-in label ${OPT_IN_LABEL}=${OPT_IN_VALUE}`;
  return undefined;
}

export function instanceOf(info: Docker.ContainerInspectInfo, host: string): Instance {
  const labels = info.Config.Labels ?? {};
  const hasHealthcheck = info.Config.Healthcheck !== undefined && !(info.Config.Healthcheck.Test?.[0] === 'NONE');
  const running = info.State.Running && !info.State.Paused;
  const reason = protectedReason(labels);
  const ports = Object.keys(info.Config.ExposedPorts ?? {}).filter((key) => key.endsWith('/tcp')).map((key) => Number(key.split('/')[0]));
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    host,
    createdAt: Date.parse(info.Created),
    running,
    ready: running && (!hasHealthcheck || info.State.Health?.Status === 'healthy'),
    labels,
    restartPolicy: info.HostConfig.RestartPolicy?.Name || 'no',
    ...(info.HostConfig.RestartPolicy?.Name === 'on-failure' && { maximumRetryCount: info.HostConfig.RestartPolicy.MaximumRetryCount ?? 0 }),
    restartCount: info.RestartCount,
    hasHealthcheck,
    ...(ports.length > 0 && { ports }),
    ...(reason !== undefined && { protectedReason: reason }),
  };
}

/** A restart policy as `docker run --restart` writes it: "on-failure:2", "always". */
export function restartPolicyText(policy: { Name?: string; MaximumRetryCount?: number } | undefined): string {
  const name = policy?.Name || 'no';
  return name === 'on-failure' && (policy?.MaximumRetryCount ?? 0) > 0 ? `on-failure:${policy!.MaximumRetryCount}` : name;
}
