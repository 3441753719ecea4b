/** Metrics over time (side-panel charts): node → matchers, points → series, the simulator's range answer. */
export * from './metrics-target.js';
export * from './metrics-series.js';
export * from './simulated-range.js';
