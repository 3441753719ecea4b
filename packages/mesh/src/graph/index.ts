export { buildGraph } from './build.js';
export { histogramQuantile, histogramMeanEstimate, type Bucket } from './histogram.js';
export { healthOf, type RequestTally, type HealthVerdict } from './health.js';
export { parseEgressLine } from './gateways.js';
export { groupGraph, neighbourhood, viewGraph, worseHealth, namespaceGroupId, appGroupId, type GraphViewOptions } from './groups.js';
