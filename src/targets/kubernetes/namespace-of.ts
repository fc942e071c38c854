import { UsageError } from '../../common/errors.js';
import { PROTECTED_NAMESPACES } from '../../common/labels.js';
import type { Selector } from '../target.js';

/**
 * The namespace a selector points at. System namespaces are refused (exit 2) unless allowed:
 * faults there take the cluster down, not the system under test. Reading them stays allowed
 * (the observers read kube-controller-manager's flags in kube-system).
 */
export function namespaceOf(selector: Selector, allowSystemNamespaces: boolean): string {
  const namespace = selector.namespace ?? 'default';
  if (!allowSystemNamespaces && PROTECTED_NAMESPACES.includes(namespace)) {
    throw new UsageError(`namespace ${namespace} is a system namespace: rebound refuses to run experiments there`, {
      hint: 'set kubernetes.allowSystemNamespaces: true in the experiment if you really mean it',
    });
  }
  return namespace;
}
