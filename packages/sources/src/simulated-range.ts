/**
 * The simulator's answer to a range query: its exact window rates at each step, filtered by the same label
 * matchers Prometheus would get, summed the way the range queries sum (by code, by `le`, TCP bytes).
 *
 * The summing (`sumChartSamples`) is shared with the snapshot source, which answers the same charts from a
 * recorded matrix: both must count a node's or an edge's series exactly as the live chart query does.
 */
import type { PromSample } from '@meshlens/model';
import { matchesAll, type LabelMatcher } from './prometheus/promql.js';
import {
  CHART_FAMILIES, emptyPoints, fitMatrixBudget, MATRIX_GROUPS, stepTimestamps,
  type ChartFamily, type FamilySeries, type TelemetryMatrix, type TelemetryMatrixQuery, type TelemetryRangePoints, type TelemetryRangeQuery,
} from './telemetry-range.js';

/** What the range needs of a simulator: window rates at a time. */
export interface RateSource {
  samplesAt(queryTime: number, durationSec: number): Partial<Record<string, PromSample[]>>;
}

/** Largest number of steps the simulator computes for one chart request. */
export const MAX_SIMULATED_STEPS = 1000;

/** One series' rate at one time. */
export interface ChartSample {
  metric: Record<string, string>;
  value: number;
}

/** The chart families' series at one time. */
export type ChartSamples = Partial<Record<ChartFamily, Iterable<ChartSample>>>;

/**
 * Adds the series matching `matchers` into point `i`, as the chart range queries sum them: requests by
 * `response_code`, buckets by `le`, TCP bytes in each direction (null stays null when nothing matches).
 */
export function sumChartSamples(points: TelemetryRangePoints, i: number, samples: ChartSamples, matchers: readonly LabelMatcher[]): void {
  const byCode = points.requestsByCode[i]!;
  for (const s of samples.istio_requests_total ?? []) {
    if (!matchesAll(s.metric, matchers)) continue;
    const code = s.metric.response_code ?? '0';
    byCode[code] = (byCode[code] ?? 0) + s.value;
  }
  const buckets = points.buckets[i]!;
  for (const s of samples.istio_request_duration_milliseconds_bucket ?? []) {
    const le = s.metric.le;
    if (!le || !matchesAll(s.metric, matchers)) continue;
    buckets[le] = (buckets[le] ?? 0) + s.value;
  }
  // Both proxies count bytes from their downstream's side: received = client → server ("sent" on the chart).
  for (const s of samples.istio_tcp_received_bytes_total ?? []) if (matchesAll(s.metric, matchers)) points.tcpSent[i] = (points.tcpSent[i] ?? 0) + s.value;
  for (const s of samples.istio_tcp_sent_bytes_total ?? []) if (matchesAll(s.metric, matchers)) points.tcpReceived[i] = (points.tcpReceived[i] ?? 0) + s.value;
}

function* asChartSamples(list: PromSample[] | undefined): Iterable<ChartSample> {
  for (const s of list ?? []) yield { metric: s.metric, value: Number(s.value[1]) };
}

/** The chart families of a simulator's (or any instant) answer, values as numbers. */
export function chartSamplesOf(samples: Partial<Record<string, PromSample[]>>): ChartSamples {
  const out: ChartSamples = {};
  for (const f of CHART_FAMILIES) if (samples[f]) out[f] = asChartSamples(samples[f]);
  return out;
}

/** Range points computed from the simulator, one `samplesAt` per step. */
export function simulatedRange(sim: RateSource, q: TelemetryRangeQuery): TelemetryRangePoints {
  const timestamps = stepTimestamps(q.start, q.end, q.step);
  if (timestamps.length > MAX_SIMULATED_STEPS) throw new Error(`${timestamps.length} points asked; at most ${MAX_SIMULATED_STEPS}: use a larger step`);
  const points = emptyPoints(timestamps);
  timestamps.forEach((t, i) => sumChartSamples(points, i, chartSamplesOf(sim.samplesAt(t, q.rateInterval)), q.matchers));
  return points;
}

/**
 * The simulator's matrix: `samplesAt` at each step, each family summed by its matrix group (as Prometheus'
 * `sum by` does), so the series and their sums are those a Prometheus holding the simulator's counters returns.
 */
export function simulatedMatrix(sim: RateSource, q: TelemetryMatrixQuery): TelemetryMatrix {
  const timestamps = stepTimestamps(q.start, q.end, q.step);
  if (timestamps.length > MAX_SIMULATED_STEPS) throw new Error(`${timestamps.length} points asked; at most ${MAX_SIMULATED_STEPS}: use a larger step`);
  const namespaces = new Set(q.namespaces);
  const series = new Map<ChartFamily, Map<string, FamilySeries>>(CHART_FAMILIES.map((f) => [f, new Map()]));
  timestamps.forEach((t, i) => {
    const samples = sim.samplesAt(t, q.rateInterval);
    for (const family of CHART_FAMILIES) {
      const group = MATRIX_GROUPS[family];
      const byKey = series.get(family)!;
      for (const s of samples[family] ?? []) {
        const m = s.metric;
        // The graph queries' three selections: source, destination workload or destination service in the set.
        if (!namespaces.has(m.source_workload_namespace ?? '') && !namespaces.has(m.destination_workload_namespace ?? '') && !namespaces.has(m.destination_service_namespace ?? '')) continue;
        const values = group.map((l) => m[l] ?? '');
        const key = values.join('\u0000');
        let entry = byKey.get(key);
        if (!entry) {
          const metric: Record<string, string> = {};
          group.forEach((l, k) => { if (values[k] !== '') metric[l] = values[k]!; });
          entry = { metric, values: new Array<number | null>(timestamps.length).fill(null) };
          byKey.set(key, entry);
        }
        entry.values[i] = (entry.values[i] ?? 0) + Number(s.value[1]);
      }
    }
  });
  const families: TelemetryMatrix['families'] = {};
  for (const [family, byKey] of series) if (byKey.size > 0) families[family] = [...byKey.values()];
  return fitMatrixBudget({ start: q.start, end: q.end, step: q.step, rateInterval: q.rateInterval, timestamps, families, omitted: [], warnings: [] }, q.maxValues);
}
