/** Host names, exportTo visibility and the service registry, as Istio's routing sees them. */
export * from './names.js';
export * from './export-to.js';
export * from './registry.js';
