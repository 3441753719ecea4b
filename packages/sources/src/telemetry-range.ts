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
  /**
   * The only window lengths (seconds) that have data, when the telemetry holds fixed windows rather than a
   * history (a snapshot holds the windows it recorded); absent = any duration within retention.
   */
  durations?: number[];
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

/** A chart's points: start..end by step (start aligned so the last point is `end`), each a rate over `rateInterval`. */
export interface RangeGrid {
  start: number;
  end: number;
  step: number;
  points: number;
  rateInterval: number;
}

/**
 * The grid `/api/metrics` uses for [start, end] unless told otherwise: about 60 points, never closer than the
 * scrape interval; each point a rate over max(step, 4 × scrape interval), so every point holds several scrapes.
 * A snapshot records its window on this grid, so the reopened charts ask for exactly the recorded points.
 */
export function rangeGrid(start: number, end: number, scrapeInterval: number, given: { step?: number; rateInterval?: number } = {}): RangeGrid {
  const step = given.step ?? Math.max(scrapeInterval, Math.ceil((end - start) / 60));
  const points = Math.floor((end - start) / step) + 1;
  return { start: end - (points - 1) * step, end, step, points, rateInterval: given.rateInterval ?? Math.max(step, 4 * scrapeInterval) };
}

export * from './telemetry-matrix.js';
