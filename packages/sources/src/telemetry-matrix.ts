/**
 * The chart families over a whole window, for every namespace at once: what a snapshot records so the side
 * panel's charts (requests by code, error %, p50/p95/p99, TCP bytes) can be redrawn offline for any node or edge.
 *
 * A matrix holds, per family, label sets (those the chart matchers and sums read: the graph's pair labels plus
 * `response_code` or `le`) and one rate per timestamp — the same numbers the live chart query would have summed.
 */
import { ISTIO_DURATION_BUCKETS_MS } from '@meshlens/model';
import { PAIR_GROUP } from './prometheus/graph-queries.js';

/** The families the side-panel charts read (telemetry-range.ts sums them). */
export type ChartFamily =
  | 'istio_requests_total'
  | 'istio_request_duration_milliseconds_bucket'
  | 'istio_tcp_received_bytes_total'
  | 'istio_tcp_sent_bytes_total';

export const CHART_FAMILIES: readonly ChartFamily[] = [
  'istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total',
];

/**
 * The labels a matrix keeps per family: the graph's pair labels (what chart matchers select on), plus what the
 * charts sum by. Response flags, gRPC status and the mTLS policy, which the graph keeps, are summed away: the
 * charts never read them, and each would multiply the series.
 */
export const MATRIX_GROUPS: Record<ChartFamily, readonly string[]> = {
  istio_requests_total: [...PAIR_GROUP, 'response_code'],
  istio_request_duration_milliseconds_bucket: [...PAIR_GROUP, 'le'],
  istio_tcp_received_bytes_total: PAIR_GROUP,
  istio_tcp_sent_bytes_total: PAIR_GROUP,
};

/** The duration histogram: by far the largest family (one series per pair, reporter and bucket), dropped first. */
export const HISTOGRAM_FAMILY: ChartFamily = 'istio_request_duration_milliseconds_bucket';

/** Buckets per pair and reporter in Istio's default histogram (the finite bounds plus `+Inf`). */
export const DEFAULT_BUCKETS_PER_PAIR = ISTIO_DURATION_BUCKETS_MS.length + 1;

/**
 * Largest number of values a matrix keeps: 2 million, counting each series' label values with its points (a
 * series costs points + labels). One costs ~13 bytes of JSON (measured on the demo), so this bounds the section to
 * ~25 MB of JSON to write, read back and hold — still a file one attaches to an incident ticket and opens in a
 * browser. The labels count because short windows have few points: a 10-minute window at a 2-minute scrape has 6,
 * and 185 000 histogram series of 6 points would otherwise pass as 1.1 M values yet weigh 40 MB of JSON. With 41
 * points (10m at 15 s) it is ~35 000 series: about 750 edges with their duration histograms, 6 000 without.
 */
export const DEFAULT_MATRIX_BUDGET = 2_000_000;

export interface TelemetryMatrixQuery {
  /** Every namespace of the window. */
  namespaces: string[];
  /** Unix seconds, inclusive; `end − start` is a multiple of `step`. */
  start: number;
  end: number;
  step: number;
  /** The `rate()` window of each point, seconds. */
  rateInterval: number;
  /** Largest Σ series (points + labels) to return (default DEFAULT_MATRIX_BUDGET); what does not fit is left out and said. */
  maxValues?: number;
}

/** One series over the matrix's timestamps: a rate per point, null where the series had no (positive) rate. */
export interface FamilySeries {
  metric: Record<string, string>;
  values: Array<number | null>;
}

/** Families that are not in a matrix, and why (a sentence fragment: "… were not recorded: <reason>"). */
export interface MatrixOmission {
  families: ChartFamily[];
  reason: string;
}

export interface TelemetryMatrix {
  start: number;
  end: number;
  step: number;
  rateInterval: number;
  /** start..end by step. */
  timestamps: number[];
  families: Partial<Record<ChartFamily, FamilySeries[]>>;
  omitted: MatrixOmission[];
  warnings: string[];
}

/** What one series costs against the budget: its points and its label values. */
export const seriesCost = (labels: number, points: number): number => points + labels;

/** The budget cost of the families present: Σ over series of points + labels. */
export function matrixValues(m: Pick<TelemetryMatrix, 'families' | 'timestamps'>): number {
  let n = 0;
  for (const list of Object.values(m.families)) for (const s of list ?? []) n += seriesCost(Object.keys(s.metric).length, m.timestamps.length);
  return n;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Why a part did not fit, in words the charts can show. */
export function budgetReason(what: string, series: number, points: number, maxValues: number, estimated = false): string {
  return `${estimated ? 'about ' : ''}${fmt(series)} ${what} series × ${points} points (with their labels) ${estimated ? 'would be' : 'is'} more than the ${fmt(maxValues)} values a snapshot keeps`;
}

/**
 * Keeps a matrix within `maxValues`: the duration histogram goes first (the charts keep requests, errors and TCP),
 * then everything. What is left out is recorded in `omitted`.
 */
export function fitMatrixBudget(m: TelemetryMatrix, maxValues = DEFAULT_MATRIX_BUDGET): TelemetryMatrix {
  if (matrixValues(m) <= maxValues) return m;
  const points = m.timestamps.length;
  const families = { ...m.families };
  const omitted = [...m.omitted];
  const histogram = families[HISTOGRAM_FAMILY];
  if (histogram) {
    delete families[HISTOGRAM_FAMILY];
    omitted.push({ families: [HISTOGRAM_FAMILY], reason: budgetReason('duration-histogram', histogram.length, points, maxValues) });
  }
  if (matrixValues({ families, timestamps: m.timestamps }) > maxValues) {
    const rest = (Object.keys(families) as ChartFamily[]).filter((f) => families[f] !== undefined);
    const series = rest.reduce((n, f) => n + families[f]!.length, 0) + (histogram?.length ?? 0);
    omitted.length = m.omitted.length;
    omitted.push({ families: [...CHART_FAMILIES], reason: budgetReason('chart', series, points, maxValues) });
    return { ...m, families: {}, omitted };
  }
  return { ...m, families, omitted };
}
