export { crashThroughHelper, type HelperCrash, type HelperCrashRequest } from './crash-through-helper.js';
export { type CrashReport, parseCrashReport } from './crash-script.js';
export { HELPER_NAME_PREFIX, helperImageOf, type HelperImage } from './helper-spec.js';
export { helperState, type HelperState } from './helper-status.js';
