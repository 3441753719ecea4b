/**
 * Telemetry over time for the side panel's charts, in a shape both Prometheus (range queries) and the
 * simulator (samples at each step) can produce: per timestamp, requests by response code, duration buckets
 * by `le`, and TCP bytes in each direction — already filtered to one node or edge by label matchers.
 */
import type { LabelMatcher } from './prometheus/promql.js';

export interface TelemetryRangeQuery {
  /** Which series: reporter, node and peer labels. */
  matchers: LabelMatcher[];
  /** Unix seconds, inclusive; `end − start` is a multiple of `step`. */
  start: number;
  end: number;
  step: number;
  /** The `rate()` window of each point, seconds. */
  rateInterval: number;
}

export interface TelemetryRangePoints {
  /** start..end by step. */
  timestamps: number[];
  /** Per timestamp: requests/s by `response_code` (`0` = no response). Empty object = no series at that time. */
  requestsByCode: Array<Record<string, number>>;
  /** Per timestamp: duration-bucket rates by `le` (`+Inf` included). */
  buckets: Array<Record<string, number>>;
  /** Per timestamp: bytes/s client → server (`istio_tcp_received_bytes_total`), null without data. */
  tcpSent: Array<number | null>;
  /** Per timestamp: bytes/s server → client (`istio_tcp_sent_bytes_total`), null without data. */
  tcpReceived: Array<number | null>;
  warnings: string[];
}

/** What the telemetry can answer in time: from Prometheus' flags/config/runtimeinfo, or the simulator's nature. */
export interface TelemetryTimeInfo {
  /** Seconds. */
  scrapeInterval: number;
  /** Seconds; undefined when unknown. */
  retention?: number;
  notes: string[];
}

/** The timestamps start..end by step. */
export function stepTimestamps(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let t = start; t <= end + 1e-9; t += step) out.push(t);
  return out;
}

/** Empty points for `timestamps`, to be filled. */
export function emptyPoints(timestamps: number[]): TelemetryRangePoints {
  return {
    timestamps,
    requestsByCode: timestamps.map(() => ({})),
    buckets: timestamps.map(() => ({})),
    tcpSent: timestamps.map(() => null),
    tcpReceived: timestamps.map(() => null),
    warnings: [],
  };
}
