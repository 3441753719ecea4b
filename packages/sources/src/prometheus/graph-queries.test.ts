import { describe, expect, it } from 'vitest';
import { graphQueries, histogramPlanQuery, histogramQueries, namespaceSelections, nodeKey, planHistogram, type HistogramPlan } from './graph-queries.js';

/** Parenthesised operands joined as promql.ts `or` nests them: `a or (b or c)`. */
const joinOr = (parts: string[]): string => (parts.length === 1 ? parts[0]! : `${parts[0]} or ${parts.length === 2 ? parts[1] : `(${joinOr(parts.slice(1))})`}`);

const PAIR = 'reporter,source_cluster,source_workload_namespace,source_workload,source_canonical_service,source_canonical_revision,destination_cluster,destination_workload_namespace,destination_workload,destination_canonical_service,destination_canonical_revision,destination_service,destination_service_name,destination_service_namespace,request_protocol,destination_port';
const PLAN = 'reporter,source_workload_namespace,source_workload,source_canonical_service,source_canonical_revision,destination_workload_namespace,destination_workload,destination_canonical_service,destination_canonical_revision';
const BUCKET = 'istio_request_duration_milliseconds_bucket';

/** A first-round count: reporter, the two workloads (app = workload without its `-vN`), and how many pairs. */
function count(reporter: string, src: string, dst: string, pairs = 1, extra: Record<string, string> = {}) {
  const [sns, swl] = src.split('/') as [string, string];
  const [dns, dwl] = dst.split('/') as [string, string];
  const app = (w: string) => w.replace(/-v\d+$/, '');
  const version = (w: string) => /-(v\d+)$/.exec(w)?.[1] ?? 'latest';
  return {
    metric: {
      reporter, source_workload_namespace: sns, source_workload: swl, source_canonical_service: app(swl), source_canonical_revision: version(swl),
      destination_workload_namespace: dns, destination_workload: dwl, destination_canonical_service: app(dwl), destination_canonical_revision: version(dwl), ...extra,
    },
    value: [0, String(pairs)] as [number, string],
  };
}

describe('duration histogram queries for a graph type', () => {
  it('replaces the bucket query by the plan (a count of pairs with observations) when a graph type is given', () => {
    const queries = graphQueries(['bookinfo'], 600, { graphType: 'app' });
    expect(queries.map((q) => q.family)).toEqual([...graphQueries(['bookinfo'], 600).map((q) => q.family), 'meshlens_histogram_bounds']);
    expect(queries[1]!.promql).toBe(histogramPlanQuery(namespaceSelections(['bookinfo']), 600));
    expect(queries[1]!.promql).toBe(
      `count by (${PLAN}) ((sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",source_workload_namespace="bookinfo"}[600s])) > 0)`
      + ` or ((sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",source_workload_namespace!="bookinfo",destination_workload_namespace="bookinfo"}[600s])) > 0)`
      + ` or (sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",source_workload_namespace!="bookinfo",destination_workload_namespace!="bookinfo",destination_service_namespace="bookinfo"}[600s])) > 0)))`,
    );
    // Every other query is the same as without a graph type; without response times there is no histogram query.
    expect(queries.slice(0, 8).filter((_, i) => i !== 1)).toEqual(graphQueries(['bookinfo'], 600).filter((_, i) => i !== 1));
    expect(graphQueries(['bookinfo'], 600, { graphType: 'app', responseTimes: false })).toEqual(graphQueries(['bookinfo'], 600, { responseTimes: false }));
  });

  it('keys nodes as graph/ids.ts names them, coarsely where the inventory decides', () => {
    const m = count('destination', 'ns/reviews-v2', 'other/ratings-v1').metric;
    expect((['workload', 'app', 'versionedApp', 'service'] as const).map((t) => [nodeKey(t, 'source', m), nodeKey(t, 'destination', m)])).toEqual([
      ['wl:ns/reviews-v2', 'wl:other/ratings-v1'],
      ['app:ns/reviews', 'app:other/ratings'],
      ['vapp:ns/reviews/v2', 'vapp:other/ratings/v1'],
      ['ns:ns', '-'],
    ]);
    expect([
      nodeKey('versionedApp', 'source', { ...m, source_canonical_revision: 'latest' }),
      nodeKey('versionedApp', 'source', { ...m, source_canonical_revision: 'unknown' }),
      nodeKey('versionedApp', 'source', { ...m, source_canonical_service: 'unknown' }),
      nodeKey('app', 'source', { ...m, source_canonical_service: '' }),
      nodeKey('workload', 'source', { ...m, source_workload: 'unknown' }),
      nodeKey('workload', 'destination', { ...m, destination_workload_namespace: '' }),
      nodeKey('app', 'destination', {}),
    ]).toEqual(['app:ns/reviews', 'app:ns/reviews', 'wl:ns/reviews-v2', 'wl:ns/reviews-v2', 'unknown', '-', '-']);
  });

  it('plans quantiles from the destination side, sources only where no destination reported, buckets for shared edges', () => {
    const counts = [
      // Both sides reported: the destination's histogram is read.
      count('destination', 'a/web-v1', 'a/api-v1'), count('source', 'a/web-v1', 'a/api-v1'),
      count('destination', 'a/web-v1', 'a/api-v2'), count('source', 'a/web-v1', 'a/api-v2'),
      // Source only (no server sidecar).
      count('source', 'a/web-v1', 'b/legacy-v1'),
      // Two pairs between the same workloads (two Services): one edge in every graph type.
      count('destination', 'a/web-v1', 'b/db-v1', 2), count('source', 'a/web-v1', 'b/db-v1', 2),
      // A waypoint's report.
      count('waypoint', 'a/web-v1', 'c/ambient-v1'),
      count('destination', 'a/web-v1', 'c/zero-v1', 0),
    ];
    const workload = planHistogram(counts, 'workload');
    expect(workload).toEqual({
      destination: true, sourceOnly: { b: { source: ['web-v1'], destination: ['legacy-v1'] } }, waypoint: true, pairs: 10,
      buckets: { destination: { b: { source: ['web-v1'], destination: ['db-v1'] } } },
    } satisfies HistogramPlan);
    // In an app graph api-v1 and api-v2 are one node: that edge needs the summed buckets.
    expect(planHistogram(counts, 'app').buckets).toEqual({ destination: { a: { source: ['web-v1'], destination: ['api-v1', 'api-v2'] }, b: { source: ['web-v1'], destination: ['db-v1'] } } });
    expect(planHistogram(counts, 'versionedApp').buckets).toEqual(workload.buckets);
    // A service graph keys destinations coarsely: every pair from one namespace with a destination side shares a key.
    expect(planHistogram(counts, 'service').buckets).toEqual({ destination: { a: { source: ['web-v1'], destination: ['api-v1', 'api-v2'] }, b: { source: ['web-v1'], destination: ['db-v1'] } } });
    expect(planHistogram([], 'app')).toEqual({ destination: false, sourceOnly: {}, waypoint: false, buckets: {}, pairs: 0 });
  });

  it('finds the least candidate bound every pair has 99 % of its observations under', () => {
    const bounds = (within: Record<string, number>) => Object.entries(within).map(([le, n]) => ({ metric: { le }, value: [0, String(n)] as [number, string] }));
    const counts = [count('destination', 'a/web-v1', 'a/api-v1', 3), count('source', 'a/web-v1', 'a/api-v1', 3)];
    expect(planHistogram(counts, 'workload', bounds({ 1000: 6, 10000: 6 })).top).toBe(1000);
    // Spelled two ways (Prometheus 3 writes `1000.0`), counted together.
    expect(planHistogram(counts, 'workload', bounds({ 1000: 2, '1000.0': 4, 10000: 6 })).top).toBe(1000);
    expect(planHistogram(counts, 'workload', bounds({ 1000: 5, 10000: 6 })).top).toBe(10000);
    expect(planHistogram(counts, 'workload', bounds({ 1000: 5 })).top).toBeUndefined();
    expect(planHistogram(counts, 'workload', []).top).toBeUndefined();
    const queries = graphQueries(['a'], 600, { graphType: 'service' });
    const sels = ['source_workload_namespace="a"', 'source_workload_namespace!="a",destination_workload_namespace="a"', 'source_workload_namespace!="a",destination_workload_namespace!="a",destination_service_namespace="a"'];
    expect(queries.map((q) => q.family).at(-1)).toBe('meshlens_histogram_bounds');
    expect(queries.at(-1)!.promql).toBe(
      `count by (le) (${joinOr(sels.map((ns) => `(sum by (${PAIR},le) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le=~"1000|1000\\\\.0|10000|10000\\\\.0",${ns}}[600s]))`
        + ` >= on (${PAIR}) group_left 0.99 * (sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",${ns}}[600s])) > 0))`))})`,
    );
  });

  it('writes one histogram_quantile per quantile over the planned sides, and one bucket query for the shared edges', () => {
    const plan: HistogramPlan = {
      destination: true, sourceOnly: { b: { source: ['web-v1'], destination: ['legacy-v1', 'unknown'] } }, waypoint: true, pairs: 9, top: 10000,
      buckets: { destination: { b: { source: ['web-v1'], destination: ['db-v1'] } }, source: { c: { source: ['a', 'b'], destination: ['c'] } } },
    };
    const queries = histogramQueries(plan, namespaceSelections(['a', 'b']), 300);
    const sels = ['source_workload_namespace=~"a|b"', 'source_workload_namespace!~"a|b",destination_workload_namespace=~"a|b"', 'source_workload_namespace!~"a|b",destination_workload_namespace!~"a|b",destination_service_namespace=~"a|b"'];
    const sel = (r: string) => joinOr(sels.map((ns) => `(sum by (${PAIR},le) (rate(${BUCKET}{${r},${ns}}[300s])))`));
    const named = (r: string) => `sum by (${PAIR},le) (rate(${BUCKET}{${r}}[300s]))`;
    // Istio's bounds above the plan's top (10 s) are left out of the quantile queries.
    const trim = 'le!~"30000|30000\\\\.0|60000|60000\\\\.0|300000|300000\\\\.0|600000|600000\\\\.0|1800000|1800000\\\\.0|3600000|3600000\\\\.0"';
    // One histogram_quantile per side (the sides hold disjoint pairs), joined after.
    const sides = [
      ...sels.map((ns) => `sum by (${PAIR},le) (rate(${BUCKET}{reporter="destination",${trim},${ns}}[300s]))`),
      named(`reporter="source",${trim},destination_workload_namespace="b",destination_workload=~"legacy-v1|unknown",source_workload="web-v1"`),
    ];
    expect(queries).toEqual([
      ...['0.5', '0.95', '0.99'].map((q) => ({ family: 'istio_request_duration_milliseconds_quantile', quantile: q, promql: `(${joinOr(sides.map((h) => `(histogram_quantile(${q}, ${h}))`))}) >= 0` })),
      {
        family: BUCKET,
        promql: `(${joinOr([`(${sel('reporter="waypoint"')})`, `(${named('reporter="destination",destination_workload_namespace="b",destination_workload="db-v1",source_workload="web-v1"')})`, `(${named('reporter="source",destination_workload_namespace="c",destination_workload="c",source_workload=~"a|b"')})`])}) > 0`,
      },
    ]);
    expect(histogramQueries({ destination: false, sourceOnly: {}, waypoint: false, buckets: {}, pairs: 0 }, namespaceSelections(['a']), 60)).toEqual([]);
    // Only a waypoint: its buckets, no quantiles.
    expect(histogramQueries({ destination: false, sourceOnly: {}, waypoint: true, buckets: {}, pairs: 1 }, namespaceSelections(['a']), 60).map((q) => q.family)).toEqual([BUCKET]);
  });
});
