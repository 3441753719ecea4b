/**
 * Telemetry from Prometheus: the graph's instant queries (a constant number, see graph-queries.ts), shared
 * between identical concurrent requests and cached for a few seconds; range queries for the side-panel charts;
 * scrape interval and retention for the duration choices.
 */
import { DURATION_QUANTILE_FAMILY, type PromSample, type TelemetrySamples } from '@meshlens/model';
import type { TelemetryProvider, TelemetryQuery } from '../source.js';
import { emptyPoints, stepTimestamps, type TelemetryMatrix, type TelemetryMatrixQuery, type TelemetryRangePoints, type TelemetryRangeQuery, type TelemetryTimeInfo } from '../telemetry-range.js';
import { allOrNone, createPrometheusClient, type MatrixSeries, type PrometheusClient, type PrometheusClientOptions, type QueryAnswer, type QueryData } from './client.js';
import { PrometheusError } from './errors.js';
import {
  bucketBoundsPath, bucketTrim, DURATION_COUNT_METRIC, destinationQuantileQueries, graphQueries, histogramPlanQuery, histogramQueries, mergeRechecked, namespaceHalves, namespaceSelections, pairId, planFromPairs, planHistogram, plansHistogram, rangeSteps, serverSideQueries, sourceSideQueries, recheckQueries, recheckSelection,
  type GraphQuery, type HistogramQuery, type QuantileForm,
} from './graph-queries.js';
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
  let quantileForm: QuantileForm = 'range';
  // Quantiles as one range query over one step per quantile, families of the same labels as one over a step per
  // family (graph-queries.ts), or one instant query each.
  const ask = (hq: HistogramQuery, time: number, signal: AbortSignal) => {
    const steps = rangeSteps(hq);
    return steps ? client.queryRange(hq.promql, time, time + steps - 1, 1, signal) : client.query(hq.promql, time, signal);
  };
  let timeInfo: { at: number; value: Promise<TelemetryTimeInfo> } | undefined;

  // What Prometheus warned about in the last answer per key (malformed series left out, its own warnings): told by
  // windowNote, which the routes add to the page's warnings.
  const notes = new Map<string, string>();
  const keyOf = (q: TelemetryQuery) => `${q.duration}|${q.responseTimes === false ? 'no-rt' : `rt:${q.graphType ?? 'buckets'}`}|${[...q.namespaces].sort().join(',')}`;

  async function fetchSamples(q: TelemetryQuery): Promise<TelemetrySamples> {
    const namespaces = [...q.namespaces].sort();
    const planned = plansHistogram(q);
    const queries = graphQueries(namespaces, q.duration, { responseTimes: q.responseTimes, graphType: q.graphType });
    const started = performance.now();
    // Every request of this graph stops when one part fails (its answers would be thrown away).
    const stop = new AbortController();
    const guarded = (run: (signal: AbortSignal) => Promise<QueryAnswer<QueryData>>) => (signal: AbortSignal) => run(AbortSignal.any([signal, stop.signal]));
    const run = (list: readonly GraphQuery[]) => allOrNone(list.map((gq) => guarded((signal) => client.query(gq.promql, q.queryTime, signal))));
    const out: Record<string, PromSample[]> = {};
    let series = 0;
    let count = queries.length;
    const warnings: string[] = [];
    const vector = (a: QueryAnswer<QueryData>): PromSample[] => {
      const data = a.data;
      if (data.resultType !== 'vector') throw new Error(`Prometheus at ${client.url} answered a ${data.resultType} to an instant query; is it Prometheus-compatible?`);
      series += data.result.length;
      return data.result as PromSample[];
    };
    /** A round of histogram queries, each answer as samples of its families (a quantile's labelled with it). */
    const histogramRound = async (build: (form: QuantileForm) => HistogramQuery[]) => {
      let list = build(quantileForm);
      let got: Array<QueryAnswer<QueryData>>;
      try {
        got = await allOrNone(list.map((hq) => guarded((signal) => ask(hq, q.queryTime, signal))));
      } catch (error) {
        if (quantileForm !== 'range' || !refusesRangeQuantiles(error)) throw error;
        // Before 2.33 Prometheus refuses `@` unless a feature flag is on: one instant query per quantile from now on.
        quantileForm = 'instant';
        list = build(quantileForm);
        got = await run(list);
      }
      count += list.length;
      warnings.push(...got.flatMap((a) => a.warnings));
      return list.flatMap((hq, i) => (hq.families ? familiesOf(hq.families, got[i]!, q.queryTime) : [{ family: hq.family, samples: samplesOf(hq, got[i]!, q.queryTime) }]));
    };
    const matrix = (a: QueryAnswer<QueryData>) => {
      if (a.data.resultType !== 'matrix') throw new Error(`Prometheus at ${client.url} answered a ${a.data.resultType} to a range query; is it Prometheus-compatible?`);
      series += a.data.result.length;
      return a.data.result;
    };
    /** A range answer whose step i is family i: each series' value at step i is that family's sample of the pair. */
    const familiesOf = (families: readonly string[], a: QueryAnswer<QueryData>, time: number) => {
      const lists = families.map((family) => ({ family, samples: [] as PromSample[] }));
      for (const s of matrix(a)) {
        for (const [t, v] of s.values) lists[Math.round(t - time)]?.samples.push({ metric: s.metric, value: [time, v] } as PromSample);
      }
      return lists;
    };
    // Each pair's top (`HistogramQuery.withTop`), by `pairId`: none when the quantiles came as instant queries, and a
    // pair without one is asked again wherever its answer is on a kept bound (`recheckSelection`).
    const tops = new Map<string, number>();
    const samplesOf = (hq: HistogramQuery, a: QueryAnswer<QueryData>, time: number): PromSample[] => {
      if (hq.quantiles === undefined) {
        const result = vector(a);
        return hq.quantile === undefined ? result : result.map((s) => ({ metric: { ...s.metric, quantile: hq.quantile! }, value: s.value }));
      }
      const list: PromSample[] = [];
      for (const s of matrix(a)) {
        for (const [t, v] of s.values) {
          const i = Math.round(t - time);
          const quantile = hq.quantiles[i];
          if (quantile !== undefined) list.push({ metric: { ...s.metric, quantile }, value: [time, v] } as PromSample);
          else if (hq.withTop && i === hq.quantiles.length) tops.set(pairId(s.metric), Number(v));
        }
      }
      return list;
    };
    /**
     * The histogram: per-pair quantiles from the buckets up to the top bound, those of destination sidecars asked as
     * soon as the bounds are known (with the first round: they need no plan), the rest from the plan (pairs only their
     * source reported, the buckets of pairs that share an edge: graph-queries.ts); then, for the few pairs a quantile
     * may lie on or above that bound, every bucket. With each side's quantiles, its mean duration and throughput
     * (`serverSideQueries`, `sourceSideQueries`). `bounds`: the `le` spellings (asked beside the plan, from the index).
     */
    const histogram = async (planRows: Promise<PromSample[]>, bounds: Promise<unknown[] | undefined>) => {
      const trim = bucketTrim(await bounds);
      const selections = namespaceSelections(namespaces);
      const halves = namespaceHalves(namespaces);
      const own = histogramRound((form) => [
        ...destinationQuantileQueries(selections, q.duration, { time: q.queryTime, form, trim, ...(halves ? { halves } : {}) }),
        ...serverSideQueries(selections, q.duration, { time: q.queryTime, form }),
      ]);
      const fromPlan = planRows.then(async (plan) => {
        const histogramPlan = plan.length === 0 ? undefined : planHistogram(plan, q.graphType!);
        const results = await histogramRound((form) => [
          ...(histogramPlan ? histogramQueries(histogramPlan, selections, q.duration, { time: q.queryTime, form, trim }) : []),
          ...sourceSideQueries(histogramPlan?.sourceOnly, selections, q.duration, { time: q.queryTime, form }),
        ]);
        return { plan, results };
      });
      const [destination, { plan, results }] = await Promise.all([own, fromPlan]);
      const second = [...destination, ...results];
      let quantiles: PromSample[] = second.filter((r) => r.family === DURATION_QUANTILE_FAMILY).flatMap((r) => r.samples);
      const recheck = recheckSelection(quantiles, plan, trim, tops);
      if (recheck) {
        const again = await histogramRound((form) => recheckQueries(recheck, q.duration, { time: q.queryTime, form }));
        quantiles = mergeRechecked(quantiles, again.flatMap((r) => r.samples), recheck);
      }
      return [...second.filter((r) => r.family !== DURATION_QUANTILE_FAMILY), { family: DURATION_QUANTILE_FAMILY, samples: quantiles }];
    };
    // The bounds before the round: sent behind its queries, the small request waited ~0.15 s for Prometheus' busy cores
    // (1k workloads), and the destination side's quantiles, the longest queries, wait for it.
    const bounds = planned
      ? client.get<unknown>(bucketBoundsPath(q.queryTime, q.duration), stop.signal).then((a) => (Array.isArray(a.data) ? a.data : undefined), () => undefined)
      : undefined;
    let counts: Promise<QueryAnswer<QueryData>> | undefined;
    const first = allOrNone(queries.map((gq) => guarded((signal) => {
      const answer = client.query(gq.promql, q.queryTime, signal);
      // With a graph type, the histogram's plan comes from the pairs the `_count` family answers.
      if (planned && gq.family === DURATION_COUNT_METRIC) counts = answer;
      return answer;
    })));
    let rest: Promise<Array<{ family: string; samples: PromSample[] }>> = Promise.resolve([]);
    if (counts && bounds) {
      count++;
      const plan = counts.then(async (pairsAnswer) => {
        const pairs = pairsAnswer.data.resultType === 'vector' ? (pairsAnswer.data.result as PromSample[]) : [];
        if (pairs.length > 0) return planFromPairs(pairs);
        // No `_count` series (dropped by relabelling, or no request in the window): the plan from the `+Inf` buckets.
        count++;
        const answer = await client.query(histogramPlanQuery(namespaceSelections(namespaces), q.duration), q.queryTime, stop.signal);
        warnings.push(...answer.warnings);
        return vector(answer);
      });
      rest = histogram(plan, bounds);
    }
    const [answers, more] = await Promise.all([first, rest]).catch((error: unknown) => {
      stop.abort(error);
      throw error;
    });
    answers.forEach((a, i) => {
      const family = queries[i]!.family;
      const result = vector(a);
      if (result.length > 0) out[family] = result;
    });
    warnings.unshift(...answers.flatMap((a) => a.warnings));
    for (const r of more) if (r.samples.length > 0) out[r.family] = [...(out[r.family] ?? []), ...r.samples];
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

/**
 * Whether Prometheus refused the quantiles' range query as a query (`@` disabled before 2.33, or a
 * Prometheus-compatible store without it), not for being slow or unreachable: then instant queries are asked.
 */
export function refusesRangeQuantiles(error: unknown): boolean {
  if (!(error instanceof PrometheusError)) return false;
  if (error.kind === 'api') return error.detail?.errorType === 'bad_data';
  return error.kind === 'http' && [400, 404, 405, 422, 501].includes(error.detail?.status ?? 0);
}
