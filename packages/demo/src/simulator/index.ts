/** The deterministic Istio telemetry simulator. */
export { createSimulator, type Simulator, type SimulatorOptions, type SimulatedSamples, type SimulatedMetricName, type CounterSample } from './simulator.js';
export type { TraceFn } from './router.js';
