/**
 * Telemetry from Prometheus: the graph's instant queries (a constant number, see graph-queries.ts), shared
 * between identical concurrent requests and cached for a few seconds; range queries for the side-panel charts;
 * scrape interval and retention for the duration choices.
 */
import type { PromSample, TelemetrySamples } from '@meshlens/model';
import type { TelemetryProvider, TelemetryQuery } from '../source.js';
import { emptyPoints, stepTimestamps, type TelemetryMatrix, type TelemetryMatrixQuery, type TelemetryRangePoints, type TelemetryRangeQuery, type TelemetryTimeInfo } from '../telemetry-range.js';
import { allOrNone, createPrometheusClient, type MatrixSeries, type PrometheusClient, type PrometheusClientOptions, type QueryAnswer, type QueryData } from './client.js';
import { BOUNDS_FAMILY, graphQueries, histogramQueries, namespaceSelections, planHistogram, type GraphQuery } from './graph-queries.js';
import { rate, selector, sumBy } from './promql.js';
import { readTimeInfo } from './time-info.js';
import { fetchRangeMatrix } from './range-matrix.js';

export interface PrometheusTelemetryOptions extends PrometheusClientOptions {
  /** How long a graph's answer is reused, ms (default 5 000). 0 disables the cache (in-flight sharing stays). */
  cacheTtlMs?: number;
  /** A ready client (tests, benchmarks); otherwise one is built from the options. */
  client?: PrometheusClient;
}

/** Where a graph request's time went: Prometheus (queries in parallel, wall time) and how many queries. */
export interface GraphFetchTiming {
  queries: number;
  prometheusMs: number;
  series: number;
  cached: boolean;
}

export interface PrometheusTelemetry extends TelemetryProvider {
  kind: 'prometheus';
  url: string;
  client: PrometheusClient;
  range(query: TelemetryRangeQuery): Promise<TelemetryRangePoints>;
  timeInfo(): Promise<TelemetryTimeInfo>;
  /** A snapshot's charts: the chart families of every namespace over a window (range-matrix.ts). */
  rangeMatrix(query: TelemetryMatrixQuery): Promise<TelemetryMatrix>;
  /** The last graph fetch's timing (benchmarks separate Prometheus time from the server's own). */
  lastGraphTiming(): GraphFetchTiming | undefined;
}

interface CacheEntry {
  queryTime: number;
  expires: number;
  value: Promise<TelemetrySamples>;
}

/** Builds the Prometheus telemetry provider. */
export function createPrometheusTelemetry(options: PrometheusTelemetryOptions): PrometheusTelemetry {
  const client = options.client ?? createPrometheusClient(options);
  const ttl = options.cacheTtlMs ?? 5_000;
  const entries = new Map<string, CacheEntry>();
  let lastTiming: GraphFetchTiming | undefined;
  let timeInfo: { at: number; value: Promise<TelemetryTimeInfo> } | undefined;

  // What Prometheus warned about in the last answer per key (malformed series left out, its own warnings): told by
  // windowNote, which the routes add to the page's warnings.
  const notes = new Map<string, string>();
  const keyOf = (q: TelemetryQuery) => `${q.duration}|${q.responseTimes === false ? 'no-rt' : `rt:${q.graphType ?? 'buckets'}`}|${[...q.namespaces].sort().join(',')}`;

  async function fetchSamples(q: TelemetryQuery): Promise<TelemetrySamples> {
    const namespaces = [...q.namespaces].sort();
    const planned = q.graphType !== undefined && q.responseTimes !== false;
    const queries = graphQueries(namespaces, q.duration, { responseTimes: q.responseTimes, graphType: q.graphType });
    const started = performance.now();
    const run = (list: readonly GraphQuery[]) => allOrNone(list.map((gq) => (signal: AbortSignal) => client.query(gq.promql, q.queryTime, signal)));
    const answers = await run(queries);
    const out: Record<string, PromSample[]> = {};
    let series = 0;
    let count = queries.length;
    const vector = (a: QueryAnswer<QueryData>): PromSample[] => {
      const data = a.data;
      if (data.resultType !== 'vector') throw new Error(`Prometheus at ${client.url} answered a ${data.resultType} to an instant query; is it Prometheus-compatible?`);
      series += data.result.length;
      return data.result as PromSample[];
    };
    let plan: PromSample[] | undefined;
    let bounds: PromSample[] | undefined;
    answers.forEach((a, i) => {
      const result = vector(a);
      const family = queries[i]!.family;
      // With a graph type, the bucket family's first answer is the histogram plan, not samples.
      if (planned && family === 'istio_request_duration_milliseconds_bucket') plan = result;
      else if (family === BOUNDS_FAMILY) bounds = result;
      else if (result.length > 0) out[family] = result;
    });
    const warnings = answers.flatMap((a) => a.warnings);
    if (plan !== undefined && plan.length > 0) {
      // Second round: per-pair quantiles, and the buckets of pairs that share an edge (graph-queries.ts).
      const second = histogramQueries(planHistogram(plan, q.graphType!, bounds), namespaceSelections(namespaces), q.duration);
      count += second.length;
      const more = await run(second);
      more.forEach((a, i) => {
        const result = vector(a);
        const hq = second[i]!;
        if (result.length === 0) return;
        const list = hq.quantile === undefined ? result : result.map((s) => ({ metric: { ...s.metric, quantile: hq.quantile! }, value: s.value }));
        out[hq.family] = [...(out[hq.family] ?? []), ...list];
      });
      warnings.push(...more.flatMap((a) => a.warnings));
    }
    lastTiming = { queries: count, prometheusMs: performance.now() - started, series, cached: false };
    const warned = [...new Set(warnings)];
    if (warned.length > 0) notes.set(keyOf(q), warned.join(' '));
    else notes.delete(keyOf(q));
    if (notes.size > 64) notes.delete(notes.keys().next().value!);
    return out as TelemetrySamples;
  }

  return {
    kind: 'prometheus',
    url: client.url,
    client,
    lastGraphTiming: () => lastTiming,
    windowNote: (q) => notes.get(keyOf(q)),
    samples(q) {
      const key = keyOf(q);
      const now = Date.now();
      const hit = entries.get(key);
      // "Now" moves every second: an answer a few seconds old for the same window and namespaces is still the
      // answer. An in-flight request is shared whatever its age, which is what protects Prometheus from a burst.
      if (hit && hit.expires >= now && Math.abs(hit.queryTime - q.queryTime) * 1000 <= Math.max(ttl, 1000)) {
        if (lastTiming) lastTiming = { ...lastTiming, cached: true, prometheusMs: 0, queries: 0 };
        return hit.value;
      }
      const value = fetchSamples(q);
      const entry: CacheEntry = { queryTime: q.queryTime, expires: Number.POSITIVE_INFINITY, value };
      entries.set(key, entry);
      value.then(
        () => { entry.expires = Date.now() + ttl; },
        () => { if (entries.get(key) === entry) entries.delete(key); },
      );
      // Keep the map small: drop expired answers.
      if (entries.size > 64) for (const [k, e] of entries) if (e.expires < now) entries.delete(k);
      return value;
    },
    async range(q) {
      const timestamps = stepTimestamps(q.start, q.end, q.step);
      const points = emptyPoints(timestamps);
      const sel = (metric: string) => rate(selector(metric, q.matchers), q.rateInterval);
      const run = (promql: string) => (signal: AbortSignal) => client.queryRange(promql, q.start, q.end, q.step, signal);
      const [requests, buckets, received, sent] = await allOrNone([
        run(sumBy(['response_code'], sel('istio_requests_total'))),
        run(sumBy(['le'], sel('istio_request_duration_milliseconds_bucket'))),
        run(sumBy([], sel('istio_tcp_received_bytes_total'))),
        run(sumBy([], sel('istio_tcp_sent_bytes_total'))),
      ]) as [QueryAnswer<QueryData>, QueryAnswer<QueryData>, QueryAnswer<QueryData>, QueryAnswer<QueryData>];
      const index = (t: number) => Math.round((t - q.start) / q.step);
      const each = (data: QueryData, fn: (series: MatrixSeries, i: number, v: number) => void) => {
        if (data.resultType !== 'matrix') return;
        for (const s of data.result) {
          for (const [t, text] of s.values) {
            const i = index(t);
            const v = Number(text);
            if (i >= 0 && i < timestamps.length && Number.isFinite(v)) fn(s, i, v);
          }
        }
      };
      each(requests.data, (s, i, v) => { points.requestsByCode[i]![s.metric.response_code ?? '0'] = v; });
      each(buckets.data, (s, i, v) => { if (s.metric.le) points.buckets[i]![s.metric.le] = v; });
      each(received.data, (_s, i, v) => { points.tcpSent[i] = v; });
      each(sent.data, (_s, i, v) => { points.tcpReceived[i] = v; });
      points.warnings.push(...new Set([...requests.warnings, ...buckets.warnings, ...received.warnings, ...sent.warnings]));
      return points;
    },
    rangeMatrix: (q) => fetchRangeMatrix(client, q),
    timeInfo() {
      // Retention and scrape interval change only on a Prometheus restart: ask once a minute at most.
      if (!timeInfo || Date.now() - timeInfo.at > 60_000) timeInfo = { at: Date.now(), value: readTimeInfo(client) };
      return timeInfo.value;
    },
  };
}
