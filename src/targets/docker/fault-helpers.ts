// The Docker side of the network and resource faults' helpers, in one import for the fault modules.
export { FAULT_TOOLS_IMAGE } from '../fault-tools/index.js';
export { type HelperCommandResult, inspectContainerNetns, runHelperCommand } from './helper-command.js';
export { HelperContainer, type HelperContainerOptions, type HelperExit, startHelperContainer } from './helper-container.js';
export { type HelperJoin } from './helper-host-config.js';
export { type DockerLeftovers, dockerLeftovers, type HelperContainerSummary, listHelperContainers } from './helper-leftovers.js';
