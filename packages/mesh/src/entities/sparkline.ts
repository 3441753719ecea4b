/**
 * Namespace sparklines from the request series of a window (what `rangeMatrix` returns for the charts and snapshots
 * record): inbound requests/s and error percent per namespace at evenly spaced points, every request counted once.
 */
import type { PromSample, Sparkline } from '@meshlens/model';
import { forEachCountedByNamespace } from './totals.js';
import { isOK } from '../graph/labels.js';

/** Request series over time: one rate per timestamp (null where the series had none). */
export interface RequestSeriesMatrix {
  timestamps: number[];
  series: Array<{ metric: Record<string, string>; values: Array<number | null> }>;
}

function isError(m: Record<string, string>): boolean {
  const code = m.response_code ?? '';
  if (code === '0' || code === '' || code.startsWith('4') || code.startsWith('5')) return true;
  if (m.request_protocol === 'grpc') {
    const g = m.grpc_response_status;
    return g !== undefined && g !== '' && g !== '0';
  }
  return false;
}

/**
 * One sparkline per namespace of `namespaces`, with at most `points` points: adjacent timestamps are merged (rates
 * averaged) when the matrix has more. A request counts for the namespace of the workload that received it, else of
 * the service it asked for.
 */
export function namespaceSparklines(matrix: RequestSeriesMatrix, namespaces: ReadonlySet<string>, points = 24): Map<string, Sparkline> {
  const n = matrix.timestamps.length;
  const totals = new Map<string, Float64Array>();
  const errors = new Map<string, Float64Array>();
  const seen = new Map<string, Uint8Array>();
  for (const ns of namespaces) {
    totals.set(ns, new Float64Array(n));
    errors.set(ns, new Float64Array(n));
    seen.set(ns, new Uint8Array(n));
  }
  const relevant = matrix.series.filter((s) => {
    const ns = isOK(s.metric.destination_workload_namespace) && isOK(s.metric.destination_workload) ? s.metric.destination_workload_namespace : s.metric.destination_service_namespace;
    return ns !== undefined && namespaces.has(ns);
  });
  for (let i = 0; i < n; i++) {
    const samples: PromSample[] = [];
    for (const s of relevant) {
      const v = s.values[i];
      if (v !== null && v !== undefined && v > 0) samples.push({ metric: s.metric, value: [matrix.timestamps[i]!, String(v)] });
    }
    // An empty point still had data when any series was there (zero traffic): only no series at all is a gap.
    for (const s of relevant) {
      if (s.values[i] === null || s.values[i] === undefined) continue;
      const ns = isOK(s.metric.destination_workload_namespace) && isOK(s.metric.destination_workload) ? s.metric.destination_workload_namespace! : s.metric.destination_service_namespace!;
      seen.get(ns)![i] = 1;
    }
    forEachCountedByNamespace(samples, (m, value) => {
      const ns = isOK(m.destination_workload_namespace) && isOK(m.destination_workload) ? m.destination_workload_namespace : m.destination_service_namespace;
      const t = ns ? totals.get(ns) : undefined;
      if (!t) return;
      t[i] += value;
      if (isError(m)) errors.get(ns!)![i] += value;
    });
  }
  const group = Math.max(1, Math.ceil(n / points));
  const out = new Map<string, Sparkline>();
  for (const ns of namespaces) {
    const t = totals.get(ns)!;
    const e = errors.get(ns)!;
    const had = seen.get(ns)!;
    const spark: Sparkline = { timestamps: [], requestRate: [], errorPercent: [] };
    for (let start = 0; start < n; start += group) {
      const end = Math.min(n, start + group);
      let total = 0;
      let errs = 0;
      let present = 0;
      for (let i = start; i < end; i++) {
        if (!had[i]) continue;
        present++;
        total += t[i]!;
        errs += e[i]!;
      }
      // The merged point is stamped with its last timestamp, like a rate over the interval ending there.
      spark.timestamps.push(matrix.timestamps[end - 1]!);
      spark.requestRate.push(present > 0 ? Math.round((total / present) * 1000) / 1000 : null);
      spark.errorPercent.push(present > 0 && total > 0 ? Math.round((errs / total) * 1000) / 10 : null);
    }
    out.set(ns, spark);
  }
  return out;
}
