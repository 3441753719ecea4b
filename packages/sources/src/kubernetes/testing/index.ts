/** The Kubernetes test API server, for tests, end-to-end tests and benchmarks (`@meshlens/sources/testing`). */
export * from './server.js';
export * from './kubeconfig.js';
export * from './rbac.js';
export * from './resources.js';
export * from './tls.js';
export { ObjectStore } from './store.js';
export { PodLogBook, rfc3339Nano, type LogLine } from './logs.js';
