// deploy / removeDeployment of the Kubernetes target: the system under test as rebound creates it.
export { deployWorkload } from './deploy-workload.js';
export { findWorkload } from './remove-workload.js';
export { teardownWorkload } from './teardown-workload.js';
export { workloadManifests } from './workload-manifests.js';
