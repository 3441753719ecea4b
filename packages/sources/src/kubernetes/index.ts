export * from './config.js';
export * from './http.js';
export * from './resources.js';
export * from './reflector.js';
export * from './kind-watch.js';
export * from './source.js';
export * from './cluster-set.js';
export * from './prometheus-discovery.js';
