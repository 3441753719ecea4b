import { describe, expect, it } from 'vitest';
import {
  bucketBoundsPath, bucketTrim, destinationQuantileQueries, graphQueries, histogramPlanQuery, histogramQueries, mergeRechecked, namespaceHalves, namespaceSelections, nodeKey, pairId, planFromPairs, planHistogram, SERVER_SIDE_FAMILIES, serverSideQueries, sourceSideQueries, recheckQueries, recheckSelection,
  type HistogramPlan,
} from './graph-queries.js';

/** Parenthesised operands joined as promql.ts `or` nests them: `a or (b or c)`. */
/** As promql.ts `or`: one operand as it is, more parenthesised and joined. */
const ors = (parts: string[]): string => (parts.length === 1 ? parts[0]! : joinOr(parts.map((p) => `(${p})`)));
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
  it('leaves the buckets out of the first round when a graph type is given, and plans from the pairs `_count` answers', () => {
    const queries = graphQueries(['bookinfo'], 600, { graphType: 'app' });
    // Every other query is the same as without a graph type but for the families the graph reads from the destination
    // side (mean duration, throughput): those come with the histogram's queries (`serverSideQueries`). Without response
    // times there is no histogram query, and no plan to add the sources those need.
    expect(queries).toEqual(graphQueries(['bookinfo'], 600).filter((q) => q.family !== BUCKET && !SERVER_SIDE_FAMILIES.includes(q.family)));
    expect(queries.map((q) => q.family)).toEqual(['istio_requests_total', 'istio_request_duration_milliseconds_count', 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total']);
    expect(graphQueries(['bookinfo'], 600, { graphType: 'app', responseTimes: false })).toEqual(graphQueries(['bookinfo'], 600, { responseTimes: false }));
    // Where `_count` is missing, the plan from the +Inf buckets.
    expect(histogramPlanQuery(namespaceSelections(['bookinfo']), 600)).toBe(
      `count by (${PLAN}) ((sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",source_workload_namespace="bookinfo"}[600s])) > 0)`
      + ` or ((sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",source_workload_namespace!="bookinfo",destination_workload_namespace="bookinfo"}[600s])) > 0)`
      + ` or (sum by (${PAIR}) (rate(${BUCKET}{reporter=~"source|destination|waypoint",le="+Inf",source_workload_namespace!="bookinfo",destination_workload_namespace!="bookinfo",destination_service_namespace="bookinfo"}[600s])) > 0)))`,
    );
    // The same plan from the `_count` pairs: counted per reporter and workload pair, whatever else tells them apart
    // (two Services, two ports), pairs without observations left out, empty labels left out as Prometheus does.
    const pair = (reporter: string, service: string, rate: string, extra: Record<string, string> = {}) => ({
      metric: { ...count(reporter, 'a/web-v1', 'b/api-v1').metric, destination_service: service, request_protocol: 'http', source_cluster: 'c1', ...extra },
      value: [1000, rate] as [number, string],
    });
    expect(planFromPairs([
      pair('destination', 'api.b.svc.cluster.local', '2.5'), pair('destination', 'api-canary.b.svc.cluster.local', '0.1'), pair('source', 'api.b.svc.cluster.local', '2.5'),
      pair('source', 'api-canary.b.svc.cluster.local', '0'),
      pair('waypoint', 'api.b.svc.cluster.local', '1', { source_workload: 'batch', source_canonical_service: 'batch', source_canonical_revision: '' }),
    ])).toEqual([
      { ...count('destination', 'a/web-v1', 'b/api-v1', 2), value: [1000, '2'] },
      { ...count('source', 'a/web-v1', 'b/api-v1', 1), value: [1000, '1'] },
      { metric: (({ source_canonical_revision: _, ...m }) => m)(count('waypoint', 'a/batch', 'b/api-v1').metric), value: [1000, '1'] },
    ]);
    expect(planFromPairs([])).toEqual([]);
  });

  it('asks the source side of those families for the pairs only a source reported, or for every pair without a plan', () => {
    const sourceOnly = { b: { source: ['web-v1'], destination: ['legacy-v1', 'unknown'] } };
    const named = (metric: string) => `sum by (${PAIR}) (rate(${metric}{reporter="source",destination_workload_namespace="b",destination_workload=~"legacy-v1|unknown",source_workload="web-v1"}[300s])) > 0`;
    const instant = { time: 1000, form: 'instant' as const };
    expect(sourceSideQueries(sourceOnly, namespaceSelections(['a', 'b']), 300, instant)).toEqual(SERVER_SIDE_FAMILIES.map((family) => ({ family, promql: named(family) })));
    // As one range query, a step per family, each pinned to the graph's time.
    const pinned = (metric: string) => named(metric).replace('[300s])', '[300s] @ 1000)');
    expect(sourceSideQueries(sourceOnly, namespaceSelections(['a', 'b']), 300, { time: 1000, form: 'range' })).toEqual([{
      family: SERVER_SIDE_FAMILIES[0], families: SERVER_SIDE_FAMILIES,
      promql: joinOr([
        `((${pinned(SERVER_SIDE_FAMILIES[0]!)}) and on() (vector(time()) < 1000.5))`,
        `((${pinned(SERVER_SIDE_FAMILIES[1]!)}) and on() (vector(time()) > 1000.5 < 1001.5))`,
        `((${pinned(SERVER_SIDE_FAMILIES[2]!)}) and on() (vector(time()) > 1001.5))`,
      ]),
    }]);
    // Nothing only a source reported: nothing to ask.
    expect(sourceSideQueries({}, namespaceSelections(['a', 'b']), 300, instant)).toEqual([]);
    expect(sourceSideQueries({}, namespaceSelections(['a', 'b']), 300, { time: 1000, form: 'range' })).toEqual([]);
    // No plan (no duration histogram at all): the source side of every pair of the graph's selections.
    const all = sourceSideQueries(undefined, namespaceSelections(['a']), 300, instant);
    expect(all.map((q) => q.family)).toEqual([...SERVER_SIDE_FAMILIES]);
    expect(all[1]!.promql).toBe(joinOr([
      `(sum by (${PAIR}) (rate(istio_request_bytes_sum{reporter="source",source_workload_namespace="a"}[300s])) > 0)`,
      `(sum by (${PAIR}) (rate(istio_request_bytes_sum{reporter="source",source_workload_namespace!="a",destination_workload_namespace="a"}[300s])) > 0)`,
      `(sum by (${PAIR}) (rate(istio_request_bytes_sum{reporter="source",source_workload_namespace!="a",destination_workload_namespace!="a",destination_service_namespace="a"}[300s])) > 0)`,
    ]));
  });

  it('asks the destination side of those families with the histogram, as one range query with a step per family', () => {
    const selections = namespaceSelections(['a']);
    const side = (metric: string, at = '') => joinOr([
      `(sum by (${PAIR}) (rate(${metric}{reporter=~"destination|waypoint",source_workload_namespace="a"}[300s]${at})) > 0)`,
      `(sum by (${PAIR}) (rate(${metric}{reporter=~"destination|waypoint",source_workload_namespace!="a",destination_workload_namespace="a"}[300s]${at})) > 0)`,
      `(sum by (${PAIR}) (rate(${metric}{reporter=~"destination|waypoint",source_workload_namespace!="a",destination_workload_namespace!="a",destination_service_namespace="a"}[300s]${at})) > 0)`,
    ]);
    // Instant (a Prometheus that refuses `@`): one query per family, as the first round asked them before.
    expect(serverSideQueries(selections, 300, { time: 1000, form: 'instant' })).toEqual(SERVER_SIDE_FAMILIES.map((family) => ({ family, promql: side(family) })));
    expect(serverSideQueries(selections, 300, { time: 1000, form: 'range' })).toEqual([{
      family: SERVER_SIDE_FAMILIES[0], families: SERVER_SIDE_FAMILIES,
      promql: joinOr(SERVER_SIDE_FAMILIES.map((metric, i) => `((${side(metric, ' @ 1000')}) and on() (${['vector(time()) < 1000.5', 'vector(time()) > 1000.5 < 1001.5', 'vector(time()) > 1001.5'][i]}))`)),
    }]);
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
      sourceOnly: { b: { source: ['web-v1'], destination: ['legacy-v1'] } }, waypoint: true, pairs: 10,
      buckets: { destination: { b: { source: ['web-v1'], destination: ['db-v1'] } } },
    } satisfies HistogramPlan);
    // In an app graph api-v1 and api-v2 are one node: that edge needs the summed buckets.
    expect(planHistogram(counts, 'app').buckets).toEqual({ destination: { a: { source: ['web-v1'], destination: ['api-v1', 'api-v2'] }, b: { source: ['web-v1'], destination: ['db-v1'] } } });
    expect(planHistogram(counts, 'versionedApp').buckets).toEqual(workload.buckets);
    // A service graph keys destinations coarsely: every pair from one namespace with a destination side shares a key.
    expect(planHistogram(counts, 'service').buckets).toEqual({ destination: { a: { source: ['web-v1'], destination: ['api-v1', 'api-v2'] }, b: { source: ['web-v1'], destination: ['db-v1'] } } });
    expect(planHistogram([], 'app')).toEqual({ sourceOnly: {}, waypoint: false, buckets: {}, pairs: 0 });
  });

  it('asks the bounds from the index and leaves out those above the top bound, whatever their spelling', () => {
    expect(decodeURIComponent(bucketBoundsPath(1000, 600))).toBe(`/api/v1/label/le/values?match[]=${BUCKET}{reporter=~"source|destination|waypoint"}&start=400&end=1000`);
    // Istio's default layout (Prometheus 3 spells some `1000.0`, `3.6e+06`), and a custom bound.
    expect(bucketTrim(['+Inf', '0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000.0', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1800000', '3.6e+06', '750'])).toEqual({
      leaveOut: ['10000', '1800000', '2500', '3.6e+06', '30000', '300000', '5000', '60000', '600000'],
      kept: [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 750, 1000],
    });
    // Unknown bounds (the index could not be asked): nothing left out.
    expect(bucketTrim(undefined)).toEqual({ leaveOut: [], kept: [] });
    expect(bucketTrim([7, null, '', 'NaN', '+Inf', '2000'], 1000)).toEqual({ leaveOut: ['2000'], kept: [] });
  });

  it('halves the namespaces every other one by name, once, for two or more', () => {
    expect(namespaceHalves(['e', 'a', 'c', 'b', 'd', 'a'])).toEqual([['a', 'c', 'e'], ['b', 'd']]);
    expect(namespaceHalves(['b', 'a'])).toEqual([['a'], ['b']]);
    expect(namespaceHalves(['a', 'a'])).toBeUndefined();
    expect(namespaceHalves([])).toBeUndefined();
  });

  it('asks again the pairs whose quantile may lie above the bounds left in, and no others', () => {
    const trim = bucketTrim(['+Inf', '50', '100', '1000', '2500', '5000']);
    const answer = (reporter: string, src: string, dst: string, quantile: string, v: number, port = '8080') => {
      const c = count(reporter, src, dst);
      return { metric: { ...c.metric, destination_port: port, quantile }, value: [0, String(v)] as [number, string] };
    };
    const counts = [
      count('destination', 'a/web-v1', 'a/api-v1'), count('source', 'a/web-v1', 'a/api-v1'),
      count('destination', 'a/web-v1', 'a/slow-v1'),
      count('source', 'a/web-v1', 'b/legacy-v1'),
      count('destination', 'a/web-v1', 'a/odd-v1'),
      // Two pairs counted, one answered (the other has no bucket at or below the top bound).
      count('destination', 'a/web-v1', 'a/two-v1', 2),
    ];
    const answers = [
      answer('destination', 'a/web-v1', 'a/api-v1', '0.5', 42), answer('destination', 'a/web-v1', 'a/api-v1', '0.99', 100),
      // Its p99 on the top bound (the rank in +Inf): every bucket is needed.
      answer('destination', 'a/web-v1', 'a/slow-v1', '0.5', 80), answer('destination', 'a/web-v1', 'a/slow-v1', '0.99', 1000),
      answer('source', 'a/web-v1', 'b/legacy-v1', '0.99', 50),
      answer('destination', 'a/web-v1', 'a/odd-v1', '0.99', 730),
      answer('destination', 'a/web-v1', 'a/two-v1', '0.99', 12, '80'),
    ];
    const conservative = recheckSelection(answers, counts, trim)!;
    // Without each pair's top, an answer on any kept bound is asked again.
    expect(conservative.selection).toEqual({
      destination: { a: { source: ['web-v1'], destination: ['api-v1', 'slow-v1', 'two-v1'] } },
      source: { b: { source: ['web-v1'], destination: ['legacy-v1'] } },
    });
    const id = (a: { metric: Record<string, string> }) => pairId(a.metric);
    // With the tops: api-v1's p99 of 100 lies below its top (1000: observations up to there); legacy-v1's top is 50.
    const tops = new Map([[id(answers[1]!), 1000], [id(answers[3]!), 1000], [id(answers[4]!), 50], [id(answers[5]!), 1000]]);
    const recheck = recheckSelection(answers, counts, trim, tops)!;
    expect(recheck.selection).toEqual({
      destination: { a: { source: ['web-v1'], destination: ['slow-v1', 'two-v1'] } },
      source: { b: { source: ['web-v1'], destination: ['legacy-v1'] } },
    });
    expect([...recheck.pairs].sort()).toEqual([id(answers[3]!), id(answers[4]!)].sort());
    // A pair on a kept bound whose top is not known is asked again.
    expect([...recheckSelection(answers, counts, trim, new Map([...tops].filter(([k]) => k !== id(answers[1]!))))!.pairs].sort()).toEqual([id(answers[1]!), id(answers[3]!), id(answers[4]!)].sort());
    expect(recheck.planned.size).toBe(1);
    // Nothing left out, or nothing doubtful: no recheck.
    expect(recheckSelection(answers, counts, { leaveOut: [], kept: [] })).toBeUndefined();
    expect(recheckSelection(answers.filter((_, i) => i < 3), counts.slice(0, 2), trim, tops)).toBeUndefined();
    // Asked again from every bucket, per side and destination namespace, as instant queries here.
    const again = recheckQueries(recheck, 600, { time: 0, form: 'instant' });
    expect(again.map((q) => q.quantile)).toEqual(['0.5', '0.95', '0.99']);
    expect(again[0]!.promql).toBe(`(${joinOr([
      `(histogram_quantile(0.5, sum by (${PAIR},le) (rate(${BUCKET}{reporter="destination",destination_workload_namespace="a",destination_workload=~"slow-v1|two-v1",source_workload="web-v1"}[600s]))))`,
      `(histogram_quantile(0.5, sum by (${PAIR},le) (rate(${BUCKET}{reporter="source",destination_workload_namespace="b",destination_workload="legacy-v1",source_workload="web-v1"}[600s]))))`,
    ])}) >= 0`);
    // The answers again replace the doubtful pairs' and the under-answered plan entry's, and nothing else.
    const redone = [
      answer('destination', 'a/web-v1', 'a/slow-v1', '0.5', 80), answer('destination', 'a/web-v1', 'a/slow-v1', '0.99', 1840),
      answer('source', 'a/web-v1', 'b/legacy-v1', '0.99', 50),
      answer('destination', 'a/web-v1', 'a/two-v1', '0.99', 12, '80'), answer('destination', 'a/web-v1', 'a/two-v1', '0.99', 3100, '9090'),
      // A pair the superset selector also matched: not asked again, left as first answered.
      answer('destination', 'a/web-v1', 'a/api-v1', '0.99', 100),
    ];
    expect(mergeRechecked(answers, redone, recheck).map((s) => `${s.metric.destination_workload}:${s.metric.destination_port}:${s.metric.quantile}=${s.value[1]}`).sort()).toEqual([
      'api-v1:8080:0.5=42', 'api-v1:8080:0.99=100', 'legacy-v1:8080:0.99=50', 'odd-v1:8080:0.99=730',
      'slow-v1:8080:0.5=80', 'slow-v1:8080:0.99=1840', 'two-v1:80:0.99=12', 'two-v1:9090:0.99=3100',
    ]);
  });

  it('writes the quantiles of the destination side without a plan, and those and the buckets the plan names from one', () => {
    const plan: HistogramPlan = {
      sourceOnly: { b: { source: ['web-v1'], destination: ['legacy-v1', 'unknown'] } }, waypoint: true, pairs: 9,
      buckets: { destination: { b: { source: ['web-v1'], destination: ['db-v1'] } }, source: { c: { source: ['a', 'b'], destination: ['c'] } } },
    };
    const trimmed = bucketTrim(['+Inf', '100', '1000', '10000', '3.6e+06']);
    const selections = namespaceSelections(['a', 'b']);
    const sels = ['source_workload_namespace=~"a|b"', 'source_workload_namespace!~"a|b",destination_workload_namespace=~"a|b"', 'source_workload_namespace!~"a|b",destination_workload_namespace!~"a|b",destination_service_namespace=~"a|b"'];
    const sel = (r: string) => joinOr(sels.map((ns) => `(sum by (${PAIR},le) (rate(${BUCKET}{${r},${ns}}[300s])))`));
    const named = (r: string) => `sum by (${PAIR},le) (rate(${BUCKET}{${r}}[300s]))`;
    // The bounds above the top (1 s) are left out of the quantile queries, as Prometheus spells them.
    const trim = 'le!~"10000|3\\\\.6e\\\\+06"';
    const destination = (at: string) => sels.map((ns) => `sum by (${PAIR},le) (rate(${BUCKET}{reporter="destination",${trim},${ns}}[300s]${at}))`);
    const sourceOnly = (at: string) => `sum by (${PAIR},le) (rate(${BUCKET}{reporter="source",${trim},destination_workload_namespace="b",destination_workload=~"legacy-v1|unknown",source_workload="web-v1"}[300s]${at}))`;
    const buckets = {
      family: BUCKET,
      promql: `(${joinOr([`(${sel('reporter="waypoint"')})`, `(${named('reporter="destination",destination_workload_namespace="b",destination_workload="db-v1",source_workload="web-v1"')})`, `(${named('reporter="source",destination_workload_namespace="c",destination_workload="c",source_workload=~"a|b"')})`])}) > 0`,
    };
    const instant = (sides: string[]) => ['0.5', '0.95', '0.99'].map((q) => ({ family: 'istio_request_duration_milliseconds_quantile', quantile: q, promql: `(${ors(sides.map((h) => `histogram_quantile(${q}, ${h})`))}) >= 0` }));
    // One histogram_quantile per side (the sides hold disjoint pairs), joined after; one query per quantile.
    expect(destinationQuantileQueries(selections, 300, { time: 1000, form: 'instant', trim: trimmed })).toEqual(instant(destination('')));
    expect(histogramQueries(plan, selections, 300, { time: 1000, form: 'instant', trim: trimmed })).toEqual([...instant([sourceOnly('')]), buckets]);
    // As one range query: the histogram pinned to the graph's time by `@`, the quantile chosen by the step's time, a
    // last step for each pair's top.
    const phi = '(0.5 * (time() < bool 1000.5) + 0.95 * (time() > bool 1000.5) * (time() < bool 1001.5) + 0.99 * (time() > bool 1001.5) * (time() < bool 1002.5) + 1 * (time() > bool 1002.5))';
    const range = (sides: string[]) => ({ family: 'istio_request_duration_milliseconds_quantile', quantiles: ['0.5', '0.95', '0.99'], withTop: true, promql: `(${ors(sides.map((h) => `histogram_quantile(${phi}, ${h})`))}) >= 0` });
    expect(destinationQuantileQueries(selections, 300, { time: 1000, form: 'range', trim: trimmed })).toEqual([range(destination(' @ 1000'))]);
    expect(histogramQueries(plan, selections, 300, { time: 1000, form: 'range', trim: trimmed })).toEqual([range([sourceOnly(' @ 1000')]), buckets]);
    // In two range queries where the namespaces come in halves: the first half's own pairs, then the second half's and
    // the pairs into the namespaces from outside.
    const half = (ns: string) => `sum by (${PAIR},le) (rate(${BUCKET}{reporter="destination",${trim},source_workload_namespace="${ns}"}[300s] @ 1000))`;
    const [, ...inbound] = destination(' @ 1000');
    expect(destinationQuantileQueries(selections, 300, { time: 1000, form: 'range', trim: trimmed, halves: [['b'], ['a']] })).toEqual([range([half('b')]), range([half('a'), ...inbound])]);
    // The instant form stays one query per quantile.
    expect(destinationQuantileQueries(selections, 300, { time: 1000, form: 'instant', trim: trimmed, halves: [['b'], ['a']] })).toEqual(instant(destination('')));
    // Nothing only a source reported and no shared edge: nothing planned.
    expect(histogramQueries({ sourceOnly: {}, waypoint: false, buckets: {}, pairs: 0 }, namespaceSelections(['a']), 60, { time: 0, form: 'range' })).toEqual([]);
    // Only a waypoint: its buckets, no quantiles.
    expect(histogramQueries({ sourceOnly: {}, waypoint: true, buckets: {}, pairs: 1 }, namespaceSelections(['a']), 60, { time: 0, form: 'range' }).map((q) => q.family)).toEqual([BUCKET]);
  });
});
