import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { crashHelperSpec, helperImageOf, helperSecurityContext, literalForKubernetes, newHelperName } from '../../../../../src/targets/kubernetes/ephemeral/helper-spec.js';

const pod = (spec: Partial<NonNullable<V1Pod['spec']>> = {}, container: Record<string, unknown> = {}): V1Pod => ({
  metadata: { name: 'web-1' },
  spec: { containers: [{ name: 'web', image: 'web:1', ...container }], ...spec },
});

describe('helperSecurityContext', () => {
  it('runs as the app\'s user with no capability when the spec names it (PodSecurity restricted accepts that)', () => {
    expect(helperSecurityContext(pod({ securityContext: { runAsUser: 1000, runAsGroup: 3000 } }), 'web')).toEqual({
      allowPrivilegeEscalation: false,
      seccompProfile: { type: 'RuntimeDefault' },
      runAsUser: 1000,
      runAsGroup: 3000,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    // The container's own setting beats the pod's.
    expect(helperSecurityContext(pod({ securityContext: { runAsUser: 1000 } }, { securityContext: { runAsUser: 2000 } }), 'web')).toMatchObject({ runAsUser: 2000 });
  });

  it('runs as root with CAP_KILL only when the user is not in the spec (the image\'s USER may be anyone)', () => {
    expect(helperSecurityContext(pod(), 'web')).toEqual({ allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['KILL'] } });
  });

  it('refuses a pod that must run as non-root without naming its user', () => {
    const answer = helperSecurityContext(pod({ securityContext: { runAsNonRoot: true } }), 'web');
    expect(answer).toEqual({ refused: expect.stringMatching(/web-1 must run as non-root .* names no runAsUser for container web/) });
  });
});

describe('the helper container', () => {
  it('doubles every $ so Kubernetes\' $(VAR) and $$ expansion gives bash the script as written', () => {
    expect(literalForKubernetes('a=$(cat x) b=$$ c=${d}')).toBe('a=$$(cat x) b=$$$$ c=$${d}');
  });

  it('targets the main container, is named uniquely, never pulls rebound\'s own image', () => {
    const first = newHelperName();
    expect(first).toMatch(/^rebound-crash-[0-9a-f]{8}$/);
    expect(newHelperName()).not.toBe(first);
    const spec = crashHelperSpec('web', { name: first, image: helperImageOf(undefined), containerId: 'abc123', waitSeconds: 10, notAfter: 1_800_000_000, securityContext: { runAsUser: 0 } });
    expect(spec).toMatchObject({ name: first, image: 'rebound/fault-tools:v1', imagePullPolicy: 'Never', targetContainerName: 'web', terminationMessagePolicy: 'File' });
    expect(spec.command?.slice(-4)).toEqual([first, 'abc123', '10', '1800000000']);
    expect(helperImageOf('registry.example/fault-tools:v1')).toEqual({ image: 'registry.example/fault-tools:v1', pullPolicy: 'IfNotPresent' });
  });
});
