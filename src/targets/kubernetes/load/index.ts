export { ClusterLoad } from './cluster-load.js';
export { DELETE_LOAD_JOB, findLoadJobs, removeLoadJobs, undoLoadJob } from './load-jobs.js';
