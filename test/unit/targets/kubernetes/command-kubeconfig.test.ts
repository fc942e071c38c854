import { existsSync, readFileSync, statSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeApi } from '../../../../src/targets/kubernetes/kube-api.js';
import { CommandKubeconfig } from '../../../../src/targets/kubernetes/command-kubeconfig.js';

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: other
clusters:
  - { name: kind-rebound, cluster: { server: "https://127.0.0.1:6443" } }
  - { name: other, cluster: { server: "https://192.0.2.1:6443" } }
users:
  - { name: u, user: { token: secret } }
contexts:
  - { name: kind-rebound, context: { cluster: kind-rebound, user: u } }
  - { name: other, context: { cluster: other, user: u } }
`;

describe('the kubeconfig handed to setup/teardown commands', () => {
  it('names the context rebound uses as current, is readable by the user only, and is removed', () => {
    const config = new KubeConfig();
    config.loadFromString(KUBECONFIG);
    config.setCurrentContext('kind-rebound');
    const kubeconfig = new CommandKubeconfig({ config, context: 'kind-rebound' } as KubeApi);
    const env = kubeconfig.environment();
    expect(env.REBOUND_KUBE_CONTEXT).toBe('kind-rebound');
    expect(kubeconfig.environment().KUBECONFIG, 'written once').toBe(env.KUBECONFIG);
    expect((parse(readFileSync(env.KUBECONFIG!, 'utf8')) as { 'current-context': string })['current-context']).toBe('kind-rebound');
    expect(statSync(env.KUBECONFIG!).mode & 0o777).toBe(0o600);
    kubeconfig.remove();
    expect(existsSync(env.KUBECONFIG!)).toBe(false);
    kubeconfig.remove();
  });
});
