export { findKind } from './find-kind.js';
export { kindConfig, LOOPBACK_NODE_PORTS } from './kind-config.js';
export { clusterKubeconfig, createCluster, type CreateClusterOptions, deleteCluster, imagePresent, listClusters, loadImages, requireDocker } from './kind-clusters.js';
export { type KindNode, KindNodes } from './kind-nodes.js';
