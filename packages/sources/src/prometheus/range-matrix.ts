/**
 * A snapshot's charts from Prometheus: the chart families of every namespace over the window, one range query per
 * family whatever the number of namespaces — the graph's selections (graph-queries.ts), summed by the labels the
 * charts read (MATRIX_GROUPS).
 *
 * Unlike the graph's instant queries there is no `> 0`: the live charts draw an idle minute as 0, not as a gap, so
 * the recorded series keep their zeros. Series that are zero at every point are dropped (nothing to draw), and the
 * histogram, twenty times the other families, is asked for only when its estimated size fits the budget.
 */
import {
  budgetReason, CHART_FAMILIES, DEFAULT_BUCKETS_PER_PAIR, DEFAULT_MATRIX_BUDGET, fitMatrixBudget, HISTOGRAM_FAMILY, MATRIX_GROUPS, matrixValues, seriesCost, stepTimestamps,
  type ChartFamily, type FamilySeries, type TelemetryMatrix, type TelemetryMatrixQuery,
} from '../telemetry-range.js';
import { allOrNone, parseSampleValue, type PrometheusClient, type QueryData } from './client.js';
import { namespaceSelections, PAIR_GROUP } from './graph-queries.js';
import { or, rate, selector, sumBy, type LabelMatcher } from './promql.js';

export interface MatrixQuery {
  family: ChartFamily;
  promql: string;
}

/** The range queries of a matrix: one per chart family (4), over `rateInterval`-second rates. */
export function matrixQueries(namespaces: readonly string[], rateInterval: number): MatrixQuery[] {
  if (namespaces.length === 0) return [];
  // As the graph's queries: sidecars, ztunnel (destination) and waypoints; the consumers count each request once.
  const reporters: LabelMatcher = { label: 'reporter', op: '=~', value: 'source|destination|waypoint' };
  const selections = namespaceSelections(namespaces);
  return CHART_FAMILIES.map((family) => ({
    family,
    promql: or(selections.map((ms) => sumBy(MATRIX_GROUPS[family], rate(selector(family, [reporters, ...ms]), rateInterval)))),
  }));
}

/** A range answer as series aligned to `timestamps`; series with no positive value are left out. */
function alignedSeries(data: QueryData, q: TelemetryMatrixQuery, points: number, url: string): FamilySeries[] {
  if (data.resultType !== 'matrix') throw new Error(`Prometheus at ${url} answered a ${data.resultType} to a range query; is it Prometheus-compatible?`);
  const out: FamilySeries[] = [];
  for (const s of data.result) {
    const values = new Array<number | null>(points).fill(null);
    let any = false;
    for (const [t, text] of s.values) {
      const i = Math.round((t - q.start) / q.step);
      const v = parseSampleValue(text);
      if (i < 0 || i >= points || !Number.isFinite(v)) continue;
      values[i] = v;
      if (v > 0) any = true;
    }
    if (any) out.push({ metric: s.metric, values });
  }
  return out;
}

/** Fetches a matrix: requests and TCP first, then the histogram when it fits `maxValues`. */
export async function fetchRangeMatrix(client: PrometheusClient, q: TelemetryMatrixQuery): Promise<TelemetryMatrix> {
  const maxValues = q.maxValues ?? DEFAULT_MATRIX_BUDGET;
  const timestamps = stepTimestamps(q.start, q.end, q.step);
  const matrix: TelemetryMatrix = { start: q.start, end: q.end, step: q.step, rateInterval: q.rateInterval, timestamps, families: {}, omitted: [], warnings: [] };
  const queries = new Map(matrixQueries([...q.namespaces].sort(), q.rateInterval).map((m) => [m.family, m.promql]));
  if (queries.size === 0) return matrix;
  const fetchFamily = async (family: ChartFamily, signal?: AbortSignal) => {
    const answer = await client.queryRange(queries.get(family)!, q.start, q.end, q.step, signal);
    const series = alignedSeries(answer.data, q, timestamps.length, client.url);
    if (series.length > 0) matrix.families[family] = series;
    for (const w of answer.warnings) if (!matrix.warnings.includes(w)) matrix.warnings.push(w);
  };
  await allOrNone(CHART_FAMILIES.filter((f) => f !== HISTOGRAM_FAMILY).map((f) => (signal: AbortSignal) => fetchFamily(f, signal)));
  // Without the histogram already over budget: fitMatrixBudget says so for every family.
  if (matrixValues(matrix) > maxValues) return fitMatrixBudget(matrix, maxValues);
  // Each request pair has one series per bucket: estimate before asking, so an answer that would be thrown away
  // is never fetched (it can be hundreds of MB on a large mesh).
  const pairs = new Map<string, number>();
  for (const s of matrix.families.istio_requests_total ?? []) {
    const present = PAIR_GROUP.filter((l) => s.metric[l] !== undefined);
    pairs.set(present.map((l) => `${l}=${s.metric[l]}`).join('\u0000'), present.length + 1);
  }
  const estimate = pairs.size * DEFAULT_BUCKETS_PER_PAIR;
  const estimatedCost = [...pairs.values()].reduce((n, labels) => n + DEFAULT_BUCKETS_PER_PAIR * seriesCost(labels, timestamps.length), 0);
  if (matrixValues(matrix) + estimatedCost > maxValues) {
    matrix.omitted.push({ families: [HISTOGRAM_FAMILY], reason: budgetReason('duration-histogram', estimate, timestamps.length, maxValues, true) });
    return matrix;
  }
  try {
    await fetchFamily(HISTOGRAM_FAMILY);
  } catch (e) {
    // The other charts are worth keeping when only the largest query fails (timeout, series cap).
    matrix.omitted.push({ families: [HISTOGRAM_FAMILY], reason: `the duration-histogram query failed (${(e as Error).message})` });
  }
  return fitMatrixBudget(matrix, maxValues);
}
