export * from './status.js';
export * from './replicas.js';
export * from './pod-status.js';
