import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';

const answers = new WeakMap<KubeApi, Promise<string | undefined>>();

/**
 * Whether the API server serves `pods/ephemeralcontainers` (GA in Kubernetes 1.25; beta and off by
 * default before 1.23): undefined when it does, else why not. Asked once per API (discovery of
 * /api/v1), before anything is added to a pod.
 */
export function ephemeralContainersMissing(api: KubeApi): Promise<string | undefined> {
  let answer = answers.get(api);
  if (answer === undefined) {
    answer = kubeCall('listing the core API resources (/api/v1)', api.server, () => api.core.getAPIResources()).then((list) => {
      const resource = list.resources.find((candidate) => candidate.name === 'pods/ephemeralcontainers');
      if (resource === undefined) return `the API server at ${api.server} has no pods/ephemeralcontainers subresource (ephemeral containers are GA from Kubernetes 1.25)`;
      if (!resource.verbs.includes('patch')) return `the API server at ${api.server} does not allow patch on pods/ephemeralcontainers (verbs: ${resource.verbs.join(', ')})`;
      return undefined;
    });
    // A failed question is asked again next time, not remembered.
    answer.catch(() => answers.delete(api));
    answers.set(api, answer);
  }
  return answer;
}
