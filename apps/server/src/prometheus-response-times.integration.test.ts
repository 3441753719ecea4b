/**
 * Edge response times from a real Prometheus (Debian's /usr/bin/prometheus on loopback, own data dir, stopped at
 * the end), filled with the demo simulator's counters: the graph drawn from Prometheus' per-pair quantiles (and the
 * buckets of edges made of several pairs) gives every edge the same p50/p95/p99 bucket as the graph the builder
 * computes from every pair's raw buckets, for each graph type, ambient waypoints included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '@meshlens/mesh';
import { DURATION_QUANTILE_FAMILY, ISTIO_DURATION_BUCKETS_MS, type GraphResponse, type GraphType, type TelemetrySamples } from '@meshlens/model';
import { createDemoSource, createPrometheusClient, createPrometheusTelemetry, PrometheusError, type PrometheusClient, type PrometheusTelemetry } from '@meshlens/sources';
import { startDemoPrometheus, type DemoPrometheus } from './__fixtures__/demo-prometheus.js';

const INTERVAL = 60;
const END = Math.floor(Date.now() / 1000 / INTERVAL) * INTERVAL - 300;
const DURATION = 600;

/** The Istio bucket a duration falls in (its index; the last one is `+Inf`). */
function bucketOf(ms: number): number {
  const i = ISTIO_DURATION_BUCKETS_MS.findIndex((le) => ms <= le);
  return i < 0 ? ISTIO_DURATION_BUCKETS_MS.length : i;
}

/**
 * Same bucket, a value on a bound counting for both buckets it closes and opens: when a quantile's rank equals a
 * bucket's count (half the requests of a 50 % delay fault), rounding decides whether it is that bucket's top or the
 * next one's, in Prometheus as in the builder.
 */
function sameBucket(a: number, b: number): boolean {
  const onBound = (v: number) => ISTIO_DURATION_BUCKETS_MS.includes(v);
  return bucketOf(a) === bucketOf(b) || (onBound(a) && bucketOf(a) + 1 === bucketOf(b)) || (onBound(b) && bucketOf(b) + 1 === bucketOf(a));
}

/** Every edge whose response times differ: a missing edge or quantile, or a quantile in another bucket. */
function differences(planned: GraphResponse, raw: GraphResponse): string[] {
  const out: string[] = [];
  const rawEdges = new Map(raw.elements.edges.map((e) => [e.data.id, e.data]));
  expect(planned.elements.edges.map((e) => e.data.id).sort()).toEqual([...rawEdges.keys()].sort());
  for (const { data: p } of planned.elements.edges) {
    const r = rawEdges.get(p.id)!;
    for (const k of ['p50', 'p95', 'p99'] as const) {
      const a = p.responseTimes?.[k];
      const b = r.responseTimes?.[k];
      if (a === undefined || b === undefined) {
        if (a !== b) out.push(`${p.id} ${k}: ${a} vs ${b}`);
      } else if (!sameBucket(a, b)) out.push(`${p.id} ${k}: ${a} ms (bucket ${bucketOf(a)}) vs ${b} ms (bucket ${bucketOf(b)})`);
    }
    if (p.responseTimes?.avg !== r.responseTimes?.avg) out.push(`${p.id} avg: ${p.responseTimes?.avg} vs ${r.responseTimes?.avg}`);
  }
  return out;
}

/** Edges whose p50/p95/p99 differ in value at all (same bucket or not). */
function inexact(planned: GraphResponse, raw: GraphResponse): number {
  const rawEdges = new Map(raw.elements.edges.map((e) => [e.data.id, e.data]));
  return planned.elements.edges.filter(({ data: p }) => (['p50', 'p95', 'p99'] as const).some((k) => {
    const a = p.responseTimes?.[k];
    const b = rawEdges.get(p.id)?.responseTimes?.[k];
    return a !== undefined && b !== undefined && Math.abs(a - b) > 0.011 + 1e-6 * Math.max(a, b);
  })).length;
}

describe('edge response times from Prometheus-computed quantiles', () => {
  const demo = createDemoSource({ seed: 1 });
  const inv = demo.inventory();
  const namespaces = [...inv.namespaces.keys()].sort();
  let demoProm: DemoPrometheus | undefined;
  let telemetry: PrometheusTelemetry;
  let raw: TelemetrySamples;

  beforeAll(async () => {
    demoProm = await startDemoPrometheus(demo.simulator, { end: END, hours: 0.5, interval: INTERVAL });
    telemetry = createPrometheusTelemetry({ url: demoProm.prometheus.url, cacheTtlMs: 0 });
    // Without a graph type: every pair's raw buckets, what the builder computed from before (and snapshots record).
    raw = await telemetry.samples({ queryTime: END, duration: DURATION, namespaces });
  }, 90_000);

  afterAll(async () => {
    await demoProm?.stop();
  });

  it('records raw buckets, waypoint reports included, when no graph type is given', () => {
    expect(raw[DURATION_QUANTILE_FAMILY]).toBeUndefined();
    const reporters = new Set(raw.istio_request_duration_milliseconds_bucket!.map((s) => s.metric.reporter));
    expect([...reporters].sort()).toEqual(['destination', 'source', 'waypoint']);
  });

  const cases: Array<{ graphType: GraphType; showWaypoints: boolean }> = [
    { graphType: 'workload', showWaypoints: false },
    { graphType: 'workload', showWaypoints: true },
    { graphType: 'app', showWaypoints: false },
    { graphType: 'versionedApp', showWaypoints: false },
    { graphType: 'versionedApp', showWaypoints: true },
    { graphType: 'service', showWaypoints: false },
  ];
  for (const { graphType, showWaypoints } of cases) {
    it(`gives every ${graphType} graph edge${showWaypoints ? ' (waypoints shown)' : ''} the same response-time buckets as raw buckets`, async () => {
      const planned = await telemetry.samples({ queryTime: END, duration: DURATION, namespaces, graphType });
      const timing = telemetry.lastGraphTiming()!;
      const opts = { graphType, namespaces, duration: DURATION, queryTime: END, includeIdle: false, boxByNamespace: true, showWaypoints };
      const fromPlanned = buildGraph(inv, planned, opts);
      const fromRaw = buildGraph(inv, raw, opts);
      const withTimes = fromRaw.elements.edges.filter((e) => e.data.responseTimes?.p95 !== undefined).length;
      expect(withTimes).toBeGreaterThan(30);
      expect(differences(fromPlanned, fromRaw)).toEqual([]);
      // Mostly the same numbers too. The odd edge differs inside its bucket: its pair has no series below the
      // quantile's bucket (the simulator writes no never-incremented bucket; Prometheus starts that bucket at 0, the
      // builder at the graph's previous bound), or its rank ties a bucket's count (above).
      expect(inexact(fromPlanned, fromRaw)).toBeLessThanOrEqual(Math.floor(withTimes * 0.1));
      // Quantiles for the pairs, buckets only for some (waypoints always), fewer series than every pair's buckets.
      const quantiles = planned[DURATION_QUANTILE_FAMILY]!;
      expect(new Set(quantiles.map((s) => s.metric.quantile))).toEqual(new Set(['0.5', '0.95', '0.99']));
      const buckets = planned.istio_request_duration_milliseconds_bucket ?? [];
      expect(buckets.some((s) => s.metric.reporter === 'waypoint')).toBe(true);
      expect(buckets.length).toBeLessThan(raw.istio_request_duration_milliseconds_bucket!.length);
      expect(timing.queries).toBeGreaterThanOrEqual(12);
    }, 30_000);
  }

  it('asks one instant query per quantile where Prometheus refuses the range query (no `@` before 2.33), with the same answers', async () => {
    const real = createPrometheusClient({ url: demoProm!.prometheus.url });
    let refused = 0;
    const withoutAt: PrometheusClient = {
      url: real.url,
      timeoutMs: real.timeoutMs,
      get requests() {
        return real.requests;
      },
      query: (promql, time, signal) => real.query(promql, time, signal),
      get: (path, signal) => real.get(path, signal),
      queryRange: async () => {
        refused++;
        throw new PrometheusError('api', `Prometheus at ${real.url} refused the query (bad_data): @ modifier is disabled`, `${real.url}/api/v1/query_range`, { errorType: 'bad_data' });
      },
    };
    const old = createPrometheusTelemetry({ url: real.url, client: withoutAt, cacheTtlMs: 0 });
    const q = { queryTime: END, duration: DURATION, namespaces, graphType: 'workload' as const };
    const key = (s: { metric: Record<string, string>; value: [number, string] }) => `${Object.entries(s.metric).sort().join(';')}=${s.value[1]}`;
    const ranged = (await telemetry.samples(q))[DURATION_QUANTILE_FAMILY]!.map(key).sort();
    const instant = (await old.samples(q))[DURATION_QUANTILE_FAMILY]!.map(key).sort();
    expect(instant.length).toBeGreaterThan(30);
    expect(instant).toEqual(ranged);
    // Refused once (the destination side's two range queries, the namespaces in halves, and its mean duration and
    // throughput, a step per family): asked as instant queries from then on (3 quantiles of the destination side, 3 for
    // its mean duration and throughput, 3 of pairs only a source reported, 3 for their mean duration and throughput,
    // and 3 for the pairs above the top bound), beside the first round (4 and the bounds) and 1 for the buckets of
    // edges of several pairs.
    await old.samples({ ...q, graphType: 'app' });
    expect([refused, old.lastGraphTiming()!.queries]).toEqual([3, 5 + 3 + 3 + 3 + 3 + 3 + 1]);
  }, 30_000);

  it('plans from the +Inf buckets where the `_count` series were dropped, with the same answers', async () => {
    const real = createPrometheusClient({ url: demoProm!.prometheus.url });
    // A Prometheus whose relabelling drops the histogram's `_count` (and `_sum`) series: they answer nothing.
    const dropped = (promql: string) => /istio_request_duration_milliseconds_(count|sum)\b/.test(promql);
    const withoutCount: PrometheusClient = {
      url: real.url,
      timeoutMs: real.timeoutMs,
      get requests() {
        return real.requests;
      },
      query: (promql, time, signal) => real.query(dropped(promql) ? 'vector(1) < 0' : promql, time, signal),
      get: (path, signal) => real.get(path, signal),
      queryRange: (promql, start, end, step, signal) => real.queryRange(promql, start, end, step, signal),
    };
    const pruned = createPrometheusTelemetry({ url: real.url, client: withoutCount, cacheTtlMs: 0 });
    const q = { queryTime: END, duration: DURATION, namespaces, graphType: 'versionedApp' as const };
    const key = (s: { metric: Record<string, string>; value: [number, string] }) => `${Object.entries(s.metric).sort().join(';')}=${s.value[1]}`;
    const fromCount = await telemetry.samples(q);
    const queries = telemetry.lastGraphTiming()!.queries;
    const fromBuckets = await pruned.samples(q);
    expect((fromBuckets as Record<string, unknown>).istio_request_duration_milliseconds_count).toBeUndefined();
    expect(fromBuckets[DURATION_QUANTILE_FAMILY]!.map(key).sort()).toEqual(fromCount[DURATION_QUANTILE_FAMILY]!.map(key).sort());
    expect(fromBuckets.istio_request_duration_milliseconds_bucket!.map(key).sort()).toEqual(fromCount.istio_request_duration_milliseconds_bucket!.map(key).sort());
    // One query more: the plan's own.
    expect(pruned.lastGraphTiming()!.queries).toBe(queries + 1);
  }, 30_000);

  it('asks the second round only for the graph type it was given, and caches per graph type', async () => {
    const cached = createPrometheusTelemetry({ url: demoProm!.prometheus.url });
    const q = { queryTime: END, duration: DURATION, namespaces: ['bookinfo-routing'] };
    const a = await cached.samples({ ...q, graphType: 'app' });
    const b = await cached.samples({ ...q, graphType: 'app' });
    const c = await cached.samples({ ...q, graphType: 'workload' });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a[DURATION_QUANTILE_FAMILY]!.length).toBeGreaterThan(0);
    // Without response times: no histogram query at all, whatever the graph type.
    const before = cached.client.requests;
    const none = await cached.samples({ ...q, graphType: 'app', responseTimes: false });
    expect([cached.client.requests - before, none[DURATION_QUANTILE_FAMILY], none.istio_request_duration_milliseconds_bucket]).toEqual([5, undefined, undefined]);
  }, 30_000);
});
