import { UsageError } from '../../../common/errors.js';
import type { DeploymentSpec } from '../../target.js';

// The API server's own rules (apimachinery validation), checked before anything is created so a
// bad name fails with the experiment field to fix rather than a 422 half-way through a deploy.
/** DNS-1035 label: Service names must also start with a letter. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const MAX_LABEL_LENGTH = 63;
/** The API server's default --service-node-port-range. */
const NODE_PORT_RANGE = { min: 30000, max: 32767 };

/** Refuses (exit 2) a spec the API server would reject, naming the experiment field. */
export function checkDeploymentSpec(spec: DeploymentSpec, namespace: string): void {
  const problems = deploymentSpecProblems(spec, namespace);
  if (problems.length > 0) {
    throw new UsageError(`cannot deploy ${spec.name} on Kubernetes: ${problems.join('; ')}`, {
      hint: 'names: lower-case letters, digits and "-", at most 63 characters; label values: letters, digits, "-", "_", "." (fix the experiment)',
    });
  }
}

/** Every problem of the spec, each naming the experiment field; empty when the spec is fine. */
function deploymentSpecProblems(spec: DeploymentSpec, namespace: string): string[] {
  const problems: string[] = [];
  if (!isLabel(spec.name, DNS_1035_LABEL)) problems.push(`metadata.name "${spec.name}" is not a valid Kubernetes name (it names the Deployment, Service and PDB; it must start with a letter)`);
  if (!isLabel(namespace, DNS_1123_LABEL)) problems.push(`kubernetes.namespace "${namespace}" is not a valid namespace name`);
  for (const [key, value] of Object.entries(spec.labels)) {
    if (!isLabelKey(key)) problems.push(`label key "${key}" is not valid`);
    if (value.length > MAX_LABEL_LENGTH || !LABEL_VALUE.test(value)) problems.push(`label ${key}: value "${value}" is not a valid label value`);
  }
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1) problems.push(`deploy.replicas must be a whole number ≥ 1, got ${spec.replicas}`);
  if (!isPort(spec.port)) problems.push(`deploy.port must be 1-65535, got ${spec.port}`);
  if (!spec.healthPath.startsWith('/')) problems.push(`deploy.healthPath must start with "/", got "${spec.healthPath}"`);
  if (spec.nodePort !== undefined && (!Number.isInteger(spec.nodePort) || spec.nodePort < NODE_PORT_RANGE.min || spec.nodePort > NODE_PORT_RANGE.max)) {
    problems.push(`deploy.kubernetes.nodePort must be ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}, got ${spec.nodePort}`);
  }
  if (spec.minAvailable !== undefined && (!Number.isInteger(spec.minAvailable) || spec.minAvailable < 0)) problems.push(`deploy.kubernetes.minAvailable must be a whole number ≥ 0, got ${spec.minAvailable}`);
  if (spec.tolerationSeconds !== undefined && (!Number.isInteger(spec.tolerationSeconds) || spec.tolerationSeconds < 0)) {
    problems.push(`deploy.kubernetes.tolerationSeconds must be a whole number ≥ 0, got ${spec.tolerationSeconds}`);
  }
  if (spec.progressDeadlineSeconds !== undefined && (!Number.isInteger(spec.progressDeadlineSeconds) || spec.progressDeadlineSeconds < 1)) {
    problems.push(`deploy.kubernetes.progressDeadlineSeconds must be a whole number ≥ 1, got ${spec.progressDeadlineSeconds}`);
  }
  if (spec.preStopSleepSeconds !== undefined && (!Number.isInteger(spec.preStopSleepSeconds) || spec.preStopSleepSeconds < 1)) {
    problems.push(`deploy.kubernetes.preStopSleepSeconds must be a whole number ≥ 1, got ${spec.preStopSleepSeconds}`);
  }
  return problems;
}

function isLabel(text: string, pattern: RegExp): boolean {
  return text.length <= MAX_LABEL_LENGTH && pattern.test(text);
}

/** `name` or `prefix/name`, the prefix a DNS subdomain (rebound.dev). */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_1123_SUBDOMAIN.test(prefix))) return false;
  return isLabel(name, LABEL_NAME);
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
