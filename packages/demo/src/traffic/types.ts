/** The demo's traffic model: who sends what, how much and how fast, per scenario (packages/demo/traffic/*.yaml). */
import type { LoadError, TraceProtocol, TraceRequest, TraceSource } from '@meshlens/model';

/** Where an entry is written, so a bad one can be pointed at. */
export interface WrittenAt {
  file: string;
  line: number;
  column: number;
}

/** The request a class sends: TraceRequest without its source. */
export type TrafficRequest = Omit<TraceRequest, 'source'>;

/** Body bytes per request (HTTP), or bytes each way per connection (TCP). */
export interface TrafficBytes {
  /** Client → server. */
  request: number;
  /** Server → client. */
  response: number;
}

/** The application's own latency (without injected delays), as two quantiles of a log-normal. */
export interface LatencySpec {
  p50: number;
  p95: number;
}

/** A downstream call the destination workload makes for each request it receives. */
export interface NestedCall {
  request: TrafficRequest;
  /** Calls per incoming request (may be fractional, e.g. 0.5). */
  perRequest: number;
  latencyMs: LatencySpec;
  bytes: TrafficBytes;
  errorRate: number;
  /** Only these versions of the calling workload make the call (e.g. reviews v2/v3 call ratings). */
  onlyFromVersions?: string[];
  calls: NestedCall[];
  at: WrittenAt;
}

/** A steady stream of requests (or TCP connections) from one source. */
export interface TrafficClass {
  scenario: string;
  name: string;
  source: TraceSource;
  request: TrafficRequest;
  /** Requests per second (TCP: connections per second), before the time-of-day variation. */
  rps: number;
  bytes: TrafficBytes;
  latencyMs: LatencySpec;
  /** Share of delivered requests the application answers with 500. */
  errorRate: number;
  /** Requests in flight at once (what a load generator's `-c` sets); drives circuit breaking. */
  concurrency?: number;
  calls: NestedCall[];
  at: WrittenAt;
}

/** A recurring bad period of one workload: error bursts and/or latency spikes. */
export interface Incident {
  scenario: string;
  name: string;
  target: { namespace: string; workload: string };
  everyMinutes: number;
  lastMinutes: number;
  /** Share of requests to the target that fail with 503 during the incident. */
  errorRate?: number;
  /** Multiplies the target's latency during the incident. */
  latencyFactor?: number;
  at: WrittenAt;
}

/** One traffic file. */
export interface ScenarioTraffic {
  scenario: string;
  file: string;
  classes: TrafficClass[];
  incidents: Incident[];
}

/** Every traffic file, with what could not be loaded. */
export interface TrafficModel {
  scenarios: ScenarioTraffic[];
  errors: LoadError[];
}

/** All classes of a model, in file order. */
export function allClasses(model: TrafficModel): TrafficClass[] {
  return model.scenarios.flatMap((s) => s.classes);
}

/** All incidents of a model, in file order. */
export function allIncidents(model: TrafficModel): Incident[] {
  return model.scenarios.flatMap((s) => s.incidents);
}

export type { TraceProtocol, TraceSource };
