import { isDeepStrictEqual } from 'node:util';
import type { RecordedContainer } from '../../../faults/index.js';
import type { RolloutTo } from '../../../faults/modules/rollout.js';

/** What a container's configuration took from its image (`docker image inspect` .Config), when the image changes. */
export interface ImageDefaults {
  Env?: string[] | null;
  Labels?: Record<string, string> | null;
  [key: string]: unknown;
}

/**
 * Fields `docker create` fills from the image when the caller leaves them out. A container's
 * inspected Config holds them merged; a successor of another image must get the new image's, so a
 * value still equal to the old image's is left out (Compose builds from the Compose file, which has
 * none of them unless the user wrote them: the same outcome).
 */
const FROM_IMAGE = ['Cmd', 'Entrypoint', 'Healthcheck', 'WorkingDir', 'User', 'ExposedPorts', 'StopSignal', 'Volumes', 'OnBuild', 'Shell'] as const;

const envKey = (entry: string) => entry.slice(0, Math.max(0, entry.indexOf('=')) || entry.length);

/**
 * The configuration of a container's successor in a rollout: the recorded container with the new
 * image and environment (`to.env` overrides by name, the rest stays), everything else as it was
 * (labels, restart policy, published ports, networks). When the image changes, what the old image
 * contributed (its ENV, LABELs, CMD, HEALTHCHECK …) is dropped so the new image's apply. The
 * Hostname goes when it was Docker's default (the old container's short id).
 */
export function successorConfig(recorded: RecordedContainer, to: RolloutTo, oldImage?: ImageDefaults): RecordedContainer {
  const config: Record<string, unknown> = { ...recorded.config };
  const imageChanges = to.image !== undefined && to.image !== config.Image;
  let env = Array.isArray(config.Env) ? (config.Env as string[]) : [];
  if (imageChanges && oldImage) {
    const inherited = new Set(oldImage.Env ?? []);
    env = env.filter((entry) => !inherited.has(entry));
    const labels = { ...((config.Labels as Record<string, string> | null) ?? {}) };
    for (const [key, value] of Object.entries(oldImage.Labels ?? {})) if (labels[key] === value) delete labels[key];
    config.Labels = labels;
    for (const field of FROM_IMAGE) if (field in config && isDeepStrictEqual(config[field], oldImage[field] ?? null)) delete config[field];
  }
  if (to.env !== undefined) {
    const overrides = Object.entries(to.env).map(([key, value]) => `${key}=${value}`);
    const keys = new Set(Object.keys(to.env));
    env = [...env.filter((entry) => !keys.has(envKey(entry))), ...overrides];
  }
  config.Env = env;
  if (imageChanges) config.Image = to.image;
  if (config.Hostname === recorded.id.slice(0, 12)) delete config.Hostname;
  return { ...recorded, config };
}

/** Whether the new release is what the container runs already: Compose then leaves it alone ("Running"). */
export function alreadyReleased(recorded: RecordedContainer, to: RolloutTo): boolean {
  if (to.image !== undefined && to.image !== recorded.config.Image) return false;
  const env = new Set(Array.isArray(recorded.config.Env) ? (recorded.config.Env as string[]) : []);
  return Object.entries(to.env ?? {}).every(([key, value]) => env.has(`${key}=${value}`));
}

/**
 * Whether a container runs the recorded release: same image, environment and labels (what a
 * rollout changes; Compose decides the same way, from a hash of the service's configuration). Then
 * there is nothing to re-create, whatever its id.
 */
export function sameRelease(current: RecordedContainer, recorded: RecordedContainer): boolean {
  const env = (container: RecordedContainer) => [...((container.config.Env as string[] | null) ?? [])].sort();
  return current.config.Image === recorded.config.Image && isDeepStrictEqual(env(current), env(recorded)) && isDeepStrictEqual(current.config.Labels ?? {}, recorded.config.Labels ?? {});
}
