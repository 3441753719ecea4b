/** Telemetry from a Prometheus-compatible HTTP API. */
export * from './client.js';
export * from './errors.js';
export * from './promql.js';
export * from './graph-queries.js';
export * from './time-info.js';
export * from './telemetry.js';
export * from './local-prometheus.js';
export * from './range-matrix.js';
