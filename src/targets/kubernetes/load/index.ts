export { ClusterLoad } from './cluster-load.js';
export { findLoadJobs, removeLoadJobs, undoLoadJob } from './load-jobs.js';
