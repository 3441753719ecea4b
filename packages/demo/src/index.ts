/** @meshlens/demo: the bundled demo scenarios, their traffic model, and the simulator that turns both into Istio telemetry. */
export { loadDemoManifests, loadTrafficModel, parseTrafficModel, type DemoFile } from './scenarios.js';
export { parseTrafficFile } from './traffic/parse.js';
export * from './traffic/types.js';
export * from './simulator/index.js';
export * from './openmetrics.js';
export { createDemoLogs, demoPodStatus, podStartTime, kubeletTimestamp, DemoLogError, type DemoLogs, type DemoLogQuery } from './logs/index.js';
