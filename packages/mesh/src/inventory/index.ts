export * from './types.js';
export * from './parse.js';
export * from './build.js';
export * from './query.js';
export * from './system-namespaces.js';
export { isWorkloadKind, MAX_SYNTHETIC_PODS } from './workloads.js';
export * from './ambient.js';
