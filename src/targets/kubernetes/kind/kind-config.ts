import { stringify } from 'yaml';

/** NodePorts rebound's experiments use, published on the host's loopback only. */
export const LOOPBACK_NODE_PORTS = [30080, 30081, 30082, 30083, 30084, 30085, 30086, 30087, 30088, 30089];

export interface KindConfigOptions {
  /** Total nodes: 1 control plane + (nodes - 1) workers. */
  nodes: number;
  /** Add the KubeletConfiguration patch that lets kubelet >= 1.34 run on a cgroup v1 host. */
  cgroupV1: boolean;
}

/**
 * A kind cluster config: one control plane publishing NodePorts 30080-30089 on 127.0.0.1 (so
 * experiments reach Services at http://127.0.0.1:3008x/ and nothing is exposed beyond this
 * machine), and the workers.
 */
export function kindConfig(options: KindConfigOptions): string {
  const controlPlane = {
    role: 'control-plane',
    extraPortMappings: LOOPBACK_NODE_PORTS.map((port) => ({ containerPort: port, hostPort: port, listenAddress: '127.0.0.1', protocol: 'TCP' })),
  };
  const workers = Array.from({ length: Math.max(0, options.nodes - 1) }, () => ({ role: 'worker' }));
  const config: Record<string, unknown> = { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', nodes: [controlPlane, ...workers] };
  // kubelet 1.35 refuses cgroup v1 by default and 1.34 warns: keep it running on v1 hosts.
  if (options.cgroupV1) config.kubeadmConfigPatches = ['kind: KubeletConfiguration\nfailCgroupV1: false\n'];
  return stringify(config);
}
