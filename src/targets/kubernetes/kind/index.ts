export { findKind } from './find-kind.js';
export { kindConfig, LOOPBACK_NODE_PORTS } from './kind-config.js';
export { clusterKubeconfig, createCluster, type CreateClusterOptions, deleteCluster, imagePresent, listClusters, loadImages, requireDocker } from './kind-clusters.js';
export { type KindNode, KindNodes } from './kind-nodes.js';
export { NODE_HELPER_DIR, NODE_HELPER_UNIT_PREFIX, NodeHelper, type NodeHelperOptions, type NodeHelperState, startNodeHelper } from './node-helper.js';
export { NodeShell } from './node-shell.js';
export { nodeLeftoverList, type NodeLeftovers, nodeLeftovers } from './node-leftovers.js';
export { missingToolsImage, NODE_TOOLS_BIN, nodeToolsScript } from './node-tools.js';
export { podNamespaces, type PodNamespaces } from './pod-namespaces.js';
