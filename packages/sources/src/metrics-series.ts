/**
 * Chart series from range points: request rate by code class, error %, p50/p95/p99 from the duration
 * histogram (the graph's own `histogramQuantile`), TCP bytes. Series with no value anywhere are left out.
 */
import { histogramQuantile } from '@meshlens/mesh';
import type { MetricSeries, MetricSeriesId } from '@meshlens/model';
import type { TelemetryRangePoints } from './telemetry-range.js';

type Spec = Omit<MetricSeries, 'values'>;

const CLASSES: Array<{ id: MetricSeriesId; label: string; test: (code: string) => boolean }> = [
  { id: 'requests.2xx', label: '2xx', test: (c) => c.startsWith('2') || c.startsWith('1') },
  { id: 'requests.3xx', label: '3xx', test: (c) => c.startsWith('3') },
  { id: 'requests.4xx', label: '4xx', test: (c) => c.startsWith('4') },
  { id: 'requests.5xx', label: '5xx', test: (c) => c.startsWith('5') },
  { id: 'requests.noResponse', label: 'no response', test: (c) => c === '0' || c === '' || c === '-' },
];

/** Rounds for the wire: 4 significant decimals are more than a chart can show. */
function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

/** The chart series of a node or edge. */
export function metricSeries(points: TelemetryRangePoints): MetricSeries[] {
  const n = points.timestamps.length;
  const out: MetricSeries[] = [];
  const push = (spec: Spec, values: Array<number | null>) => {
    if (values.some((v) => v !== null)) out.push({ ...spec, values: values.map((v) => (v === null ? null : round(v))) });
  };

  const totals: Array<number | null> = new Array(n).fill(null);
  const errors: number[] = new Array(n).fill(0);
  const perClass = CLASSES.map(() => new Array<number | null>(n).fill(null));
  points.requestsByCode.forEach((byCode, i) => {
    for (const [code, v] of Object.entries(byCode)) {
      const k = CLASSES.findIndex((c) => c.test(code));
      if (k < 0) continue;
      perClass[k]![i] = (perClass[k]![i] ?? 0) + v;
      totals[i] = (totals[i] ?? 0) + v;
      if (k >= 2) errors[i]! += v;
    }
  });
  CLASSES.forEach((c, k) => push({ id: c.id, chart: 'requests', label: c.label, unit: 'req/s' }, perClass[k]!));
  if (totals.some((t) => t !== null)) {
    push({ id: 'errors.percent', chart: 'errors', label: 'errors', unit: '%' }, totals.map((t, i) => (t !== null && t > 0 ? (errors[i]! / t) * 100 : null)));
  }

  for (const [id, label, q] of [['latency.p50', 'p50', 0.5], ['latency.p95', 'p95', 0.95], ['latency.p99', 'p99', 0.99]] as const) {
    push({ id, chart: 'latency', label, unit: 'ms' }, points.buckets.map((b) => {
      const buckets = Object.entries(b).map(([le, value]) => ({ le: le === '+Inf' ? Infinity : Number(le), value }));
      if (buckets.length < 2) return null;
      const v = histogramQuantile(q, buckets);
      return Number.isFinite(v) ? v : null;
    }));
  }

  push({ id: 'tcp.sent', chart: 'tcp', label: 'sent', unit: 'B/s' }, points.tcpSent);
  push({ id: 'tcp.received', chart: 'tcp', label: 'received', unit: 'B/s' }, points.tcpReceived);
  return out;
}
