import { describe, expect, it } from 'vitest';
import type { PromSample, TelemetrySamples } from '@meshlens/model';
import { graph, telemetry } from './__fixtures__/load.js';
import { histogramQuantile } from './index.js';

type Family = NonNullable<TelemetrySamples['istio_request_duration_milliseconds_bucket']>;

/** What Prometheus' `histogram_quantile` answers per series (labels without `le`) for p50/p95/p99. */
function quantilesOf(buckets: Family): PromSample[] {
  const groups = new Map<string, { metric: Record<string, string>; buckets: Array<{ le: number; value: number }> }>();
  for (const s of buckets) {
    const { le, ...rest } = s.metric;
    const key = JSON.stringify(Object.entries(rest).sort());
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { metric: rest, buckets: [] }));
    g.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), value: Number(s.value[1]) });
  }
  return [...groups.values()].flatMap((g) => ['0.5', '0.95', '0.99'].map((q) => ({ metric: { ...g.metric, quantile: q }, value: [0, String(histogramQuantile(Number(q), g.buckets))] as [number, string] })));
}

const raw = telemetry('bookinfo-telemetry.json');
const DETAILS = 'vapp:bookinfo:productpage:v1->vapp:bookinfo:details:v1:http';
const rawBuckets = raw.istio_request_duration_milliseconds_bucket!;
const times = (samples: TelemetrySamples, graphType: 'versionedApp' | 'app' = 'versionedApp') =>
  Object.fromEntries(graph('bookinfo.yaml', samples, { graphType, namespaces: ['bookinfo'] }).elements.edges
    .filter((e) => e.data.responseTimes !== undefined).map((e) => [e.data.id, e.data.responseTimes]));

/** The details edge's destination histogram again, as a second pair of the same edge (another port), scaled. */
const secondPair: Family = rawBuckets
  .filter((s) => s.metric.reporter === 'destination' && s.metric.destination_workload === 'details-v1')
  // Three times the requests, all slower: in (50, 100] ms.
  .map((s) => ({
    metric: { ...s.metric, destination_port: '9081' } as Record<string, string>,
    value: [s.value[0], Number(s.metric.le) < 100 ? '0' : String(Number(s.value[1]) * 3)] as [number, string],
  }));

describe('response times from quantiles Prometheus computed per pair', () => {
  it('takes a one-pair edge\'s quantiles as they came, and its mean from _sum/_count', () => {
    const fromBuckets = times(raw);
    const fromQuantiles = times({ ...raw, istio_request_duration_milliseconds_bucket: undefined, istio_request_duration_milliseconds_quantile: quantilesOf(rawBuckets) });
    // reviews v1: p50 in (25,50] from its own buckets; details: the fixture's worked example (graph.bookinfo.test.ts).
    expect(fromBuckets).toEqual({
      [DETAILS]: { avg: 13.35, p50: 8.75, p95: 40.62, p99: 75 },
      'vapp:bookinfo:productpage:v1->vapp:bookinfo:reviews:v1:http': { avg: 30, p50: 37.5, p95: 48.75, p99: 49.75 },
    });
    // details has no _sum/_count in the fixture: without its buckets there is no mean to estimate.
    expect(fromQuantiles).toEqual({ ...fromBuckets, [DETAILS]: { p50: 8.75, p95: 40.62, p99: 75 } });
  });

  it('reads the summed buckets of an edge of several pairs when every pair sent them, as from buckets alone', () => {
    const all = [...rawBuckets, ...secondPair];
    const fromBuckets = times({ ...raw, istio_request_duration_milliseconds_bucket: all });
    // The sum of both histograms (10 fast + 30 slow observations: rank 20 falls in (50,100]), not either pair's.
    expect(fromBuckets[DETAILS]).toEqual({ avg: 59.59, p50: 66.89, p95: 96.69, p99: 99.34 });
    expect(times({ ...raw, istio_request_duration_milliseconds_bucket: all, istio_request_duration_milliseconds_quantile: quantilesOf(all) })).toEqual(fromBuckets);
  });

  it('stands in the highest of the pairs\' quantiles when an edge of several pairs lacks some buckets', () => {
    const all = [...rawBuckets, ...secondPair];
    // The slow pair's quantiles (75, 97.5, 99.5) are above the fast one's (8.75, 40.62, 75).
    const expected = { p50: 75, p95: 97.5, p99: 99.5 };
    const withoutBuckets = times({ ...raw, istio_request_duration_milliseconds_bucket: undefined, istio_request_duration_milliseconds_quantile: quantilesOf(all) });
    expect(withoutBuckets[DETAILS]).toEqual(expected);
    // Buckets of one pair only: not the edge's histogram, so the quantiles still stand in.
    const oneOfTwo = times({ ...raw, istio_request_duration_milliseconds_bucket: secondPair, istio_request_duration_milliseconds_quantile: quantilesOf(all) });
    expect(oneOfTwo[DETAILS]).toEqual(expected);
  });

  it('prefers the destination side whichever form its histogram came in, and ignores bad quantile samples', () => {
    const destination = rawBuckets.filter((s) => s.metric.reporter === 'destination');
    const source = rawBuckets.filter((s) => s.metric.reporter === 'source').map((s) => ({ ...s, value: [s.value[0], s.metric.le === '1' || s.metric.le === '5' ? '0' : s.value[1]] as [number, string] }));
    const bad: PromSample[] = [
      { metric: { ...destination[0]!.metric, quantile: '0.5' }, value: [0, 'NaN'] },
      { metric: { ...destination[0]!.metric, quantile: '0.75' }, value: [0, '3'] },
      { metric: { ...destination[0]!.metric, reporter: 'proxy', quantile: '0.5' }, value: [0, '3'] },
    ];
    const mixed = times({ ...raw, istio_request_duration_milliseconds_bucket: source, istio_request_duration_milliseconds_quantile: [...quantilesOf(destination), ...bad] });
    const { avg: _estimated, ...details } = times(raw)[DETAILS]!;
    expect(mixed).toEqual({ ...times(raw), [DETAILS]: details });
  });
});
