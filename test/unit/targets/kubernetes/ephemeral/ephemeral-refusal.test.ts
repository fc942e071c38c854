import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../../../src/common/errors.js';
import { ephemeralRefusal } from '../../../../../src/targets/kubernetes/ephemeral/add-ephemeral-container.js';

const refused = (code: number, message: string) => new ApiException(code, 'refused', { kind: 'Status', code, message }, {});

describe('ephemeralRefusal', () => {
  it('names PodSecurity and what each level accepts (exit 3)', () => {
    const error = ephemeralRefusal(refused(403, 'pods "web-1" is forbidden: violates PodSecurity "restricted:latest": unrestricted capabilities'), 'shop', 'adding x', 'https://api');
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toMatch(/namespace shop's PodSecurity admission refuses the crash helper .* violates PodSecurity "restricted:latest"/);
    expect((error as EnvironmentError).hint).toMatch(/baseline.*restricted/);
  });

  it('names the RBAC rule to grant', () => {
    const error = ephemeralRefusal(refused(403, 'pods "web-1" is forbidden: User "system:serviceaccount:shop:ci" cannot patch resource "pods/ephemeralcontainers"'), 'shop', 'adding x', 'https://api');
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toMatch(/may not add ephemeral containers in namespace shop/);
    expect((error as EnvironmentError).hint).toMatch(/resources \["pods\/ephemeralcontainers"\], verbs \["patch"\]/);
  });

  it('tells an API without the subresource from a pod that is gone', () => {
    expect(ephemeralRefusal(refused(404, 'the server could not find the requested resource'), 'shop', 'adding x', 'https://api')).toBeInstanceOf(EnvironmentError);
    const gone = ephemeralRefusal(refused(404, 'pods "web-1" not found'), 'shop', 'adding x', 'https://api');
    expect(gone).not.toBeInstanceOf(EnvironmentError);
    expect(gone.message).toMatch(/adding x failed: 404: pods "web-1" not found/);
  });
});
