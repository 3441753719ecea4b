export * from './kube.js';
export * from './telemetry.js';
export * from './graph.js';
export * from './trace.js';
export * from './api.js';
export * from './findings.js';
export * from './metrics.js';
export * from './auth.js';
