/**
 * The simulator's answer to a range query: its exact window rates at each step, filtered by the same label
 * matchers Prometheus would get, summed the way the range queries sum (by code, by `le`, TCP bytes).
 */
import type { PromSample } from '@meshlens/model';
import { matchesAll } from './prometheus/promql.js';
import { emptyPoints, stepTimestamps, type TelemetryRangePoints, type TelemetryRangeQuery } from './telemetry-range.js';

/** What the range needs of a simulator: window rates at a time. */
export interface RateSource {
  samplesAt(queryTime: number, durationSec: number): Partial<Record<string, PromSample[]>>;
}

/** Largest number of steps the simulator computes for one chart request. */
export const MAX_SIMULATED_STEPS = 1000;

/** Range points computed from the simulator, one `samplesAt` per step. */
export function simulatedRange(sim: RateSource, q: TelemetryRangeQuery): TelemetryRangePoints {
  const timestamps = stepTimestamps(q.start, q.end, q.step);
  if (timestamps.length > MAX_SIMULATED_STEPS) throw new Error(`${timestamps.length} points asked; at most ${MAX_SIMULATED_STEPS}: use a larger step`);
  const points = emptyPoints(timestamps);
  timestamps.forEach((t, i) => {
    const samples = sim.samplesAt(t, q.rateInterval);
    for (const s of samples.istio_requests_total ?? []) {
      if (!matchesAll(s.metric, q.matchers)) continue;
      const code = s.metric.response_code ?? '0';
      const byCode = points.requestsByCode[i]!;
      byCode[code] = (byCode[code] ?? 0) + Number(s.value[1]);
    }
    for (const s of samples.istio_request_duration_milliseconds_bucket ?? []) {
      const le = s.metric.le;
      if (!le || !matchesAll(s.metric, q.matchers)) continue;
      const b = points.buckets[i]!;
      b[le] = (b[le] ?? 0) + Number(s.value[1]);
    }
    const tcp = (list: PromSample[] | undefined): number | null => {
      let sum: number | null = null;
      for (const s of list ?? []) if (matchesAll(s.metric, q.matchers)) sum = (sum ?? 0) + Number(s.value[1]);
      return sum;
    };
    points.tcpSent[i] = tcp(samples.istio_tcp_received_bytes_total);
    points.tcpReceived[i] = tcp(samples.istio_tcp_sent_bytes_total);
  });
  return points;
}
