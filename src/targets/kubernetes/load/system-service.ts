import type { V1Service } from '@kubernetes/client-node';
import { UsageError } from '../../../common/errors.js';
import type { Selector } from '../../target.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { isTerminating, labelSelectorOf, podMatches, podName } from '../pod-facts.js';

/**
 * The cluster load's only address: a Service of the system under test. Checked before the Job is
 * created: the URL names a Service in the experiment's namespace (<service>.<namespace>.svc), the
 * Service exists, has a selector, listens on the port (the one wanted, else its first), and selects
 * at least one pod and only pods of the system (the experiment's selector). Anything else is
 * refused with the reason. Returns the URL with that port.
 */
export async function requireSystemService(api: KubeApi, url: string, namespace: string, selector: Selector, wantedPort?: number): Promise<string> {
  const parsed = new URL(url);
  const [name, inNamespace, svc] = parsed.hostname.split('.');
  if (name === undefined || inNamespace !== namespace || svc !== 'svc') {
    throw new UsageError(`refusing to send the cluster load to ${parsed.hostname}: only a Service of the system in namespace ${namespace} (<service>.${namespace}.svc)`);
  }
  const service = await readService(api, name, namespace);
  const ports = (service.spec?.ports ?? []).map((entry) => entry.port);
  const port = wantedPort ?? ports[0] ?? 80;
  if (!ports.includes(port)) {
    throw new UsageError(`Service ${name} in namespace ${namespace} does not listen on port ${port} (its ports: ${ports.join(', ') || 'none'})`, { hint: 'set load.service.port to one of them' });
  }
  const serviceSelector = service.spec?.selector ?? {};
  if (Object.keys(serviceSelector).length === 0) {
    throw new UsageError(`refusing to send the cluster load to Service ${name}: it has no selector, so rebound cannot tell that it reaches only the system under test`);
  }
  const pods = await kubeCall(`listing the pods of Service ${name}`, api.server, () => api.core.listNamespacedPod({ namespace, labelSelector: labelSelectorOf(serviceSelector) }));
  const live = pods.items.filter((pod) => !isTerminating(pod));
  const foreign = live.filter((pod) => !podMatches(pod, selector)).map(podName);
  if (live.length === 0) throw new UsageError(`Service ${name} in namespace ${namespace} selects no pod: nothing would answer the cluster load`);
  if (foreign.length > 0) {
    throw new UsageError(`refusing to send the cluster load to Service ${name}: it also selects pods that are not the system under test (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''})`, {
      hint: 'name a Service of the system only (load.service), or widen system.selector if those pods are the system',
    });
  }
  parsed.port = String(port);
  return parsed.toString();
}

async function readService(api: KubeApi, name: string, namespace: string): Promise<V1Service> {
  return kubeCall(`reading Service ${name}`, api.server, async () => {
    try {
      return await api.core.readNamespacedService({ name, namespace });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      throw new UsageError(`the cluster load's Service ${name} does not exist in namespace ${namespace}`, { hint: 'deploy the system (deploy:) or name its Service (load.service)' });
    }
  });
}
