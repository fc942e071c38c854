import type { V1EphemeralContainer, V1Pod, V1SecurityContext } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { FAULT_TOOLS_IMAGE } from '../../fault-tools/index.js';
import { CRASH_SCRIPT } from './crash-script.js';

/** Every ephemeral container rebound adds is named so; the rest is random, one name per injection. */
export const HELPER_NAME_PREFIX = 'rebound-crash-';

/** Ephemeral containers cannot be removed, so a name can never be used twice in a pod: a new one each time. */
export function newHelperName(): string {
  return `${HELPER_NAME_PREFIX}${randomBytes(4).toString('hex')}`;
}

/** The helper image and whether the kubelet may pull it. */
export interface HelperImage {
  image: string;
  /**
   * Never for rebound's own fault-tools image, which is in no registry: the kubelet would try
   * docker.io. IfNotPresent for an image the experiment names (`kubernetes.helperImage`).
   */
  pullPolicy: 'Never' | 'IfNotPresent';
}

export function helperImageOf(configured: string | undefined): HelperImage {
  return configured === undefined ? { image: FAULT_TOOLS_IMAGE, pullPolicy: 'Never' } : { image: configured, pullPolicy: 'IfNotPresent' };
}

/**
 * Kubernetes expands `$(VAR)` in a container's command and turns `$$` into `$` (seen: `echo $$`
 * printed `$`). Doubling every `$` makes the script reach bash exactly as written.
 */
export function literalForKubernetes(text: string): string {
  // A function, not '$$': in a replacement string `$$` itself means one `$`.
  return text.replaceAll('$', () => '$$');
}

/**
 * Who the helper runs as. It must be allowed to signal the target's process: as the same user
 * (when the spec names it: then no capability at all, which PodSecurity "restricted" accepts), or
 * as root with CAP_KILL only (PodSecurity "baseline" allows KILL; "restricted" refuses it). A pod
 * that must run as non-root but names no user leaves no safe choice: the reason is returned instead.
 */
export function helperSecurityContext(pod: V1Pod, containerName: string): V1SecurityContext | { refused: string } {
  const container = pod.spec?.containers?.find((candidate) => candidate.name === containerName);
  const podContext = pod.spec?.securityContext;
  const uid = container?.securityContext?.runAsUser ?? podContext?.runAsUser;
  const gid = container?.securityContext?.runAsGroup ?? podContext?.runAsGroup;
  const base: V1SecurityContext = { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } };
  if (uid !== undefined) {
    return { ...base, runAsUser: uid, ...(gid !== undefined && { runAsGroup: gid }), ...(uid !== 0 && { runAsNonRoot: true }), capabilities: { drop: ['ALL'] } };
  }
  if (container?.securityContext?.runAsNonRoot === true || podContext?.runAsNonRoot === true) {
    return {
      refused: `pod ${pod.metadata?.name} must run as non-root (runAsNonRoot) but names no runAsUser for container ${containerName}: rebound cannot tell which user may signal its process (its image's USER is not in the API)`,
    };
  }
  return { ...base, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['KILL'] } };
}

export interface CrashHelperOptions {
  name: string;
  image: HelperImage;
  /** The target container's runtime id (without the `containerd://` scheme). */
  containerId: string;
  /** How long the helper waits for the process to end after the signal. */
  waitSeconds: number;
  /** Epoch seconds after which a late-started helper does nothing. */
  notAfter: number;
  securityContext: V1SecurityContext;
}

/** The ephemeral container that crashes `containerName`: its PID namespace, the crash script, one line of result. */
export function crashHelperSpec(containerName: string, options: CrashHelperOptions): V1EphemeralContainer {
  return {
    name: options.name,
    image: options.image.image,
    imagePullPolicy: options.image.pullPolicy,
    targetContainerName: containerName,
    command: ['bash', '-c', literalForKubernetes(CRASH_SCRIPT), options.name, options.containerId, String(options.waitSeconds), String(options.notAfter)],
    securityContext: options.securityContext,
    terminationMessagePolicy: 'File',
  };
}
