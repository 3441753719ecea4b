/** Response times from duration histograms, and request/response body throughput, per edge. */
import type { ResponseTimes, TelemetrySamples } from '@meshlens/model';
import { label } from './labels.js';
import { sampleValue } from './reporters.js';
import { roundMs } from './round.js';
import type { EdgeState, GraphState, PerReporter } from './state.js';
import type { EndpointResolver } from './traffic.js';

export interface Bucket {
  /** Upper bound; `Infinity` for `+Inf`. */
  le: number;
  /** Cumulative count (or rate) of observations ≤ le. */
  value: number;
}

/**
 * Prometheus' `histogram_quantile`: linear interpolation inside the bucket where the rank falls, the first
 * bucket starting at 0, a rank in the `+Inf` bucket answering the highest finite bound; NaN without a
 * `+Inf` bucket, with fewer than two buckets or with no observations. Counts are made monotonic first, as
 * Prometheus does, since rates of separately scraped buckets can dip.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  return quantileOfSorted(q, sorted.map((b) => b.le), monotonic(sorted.map((b) => b.value)));
}

/** Running maximum, in place: Prometheus' fix for bucket counts that dip. */
function monotonic(counts: number[]): number[] {
  for (let i = 1; i < counts.length; i++) if (counts[i]! < counts[i - 1]!) counts[i] = counts[i - 1]!;
  return counts;
}

/** `histogramQuantile` over bounds already sorted ascending and monotonic cumulative counts. */
function quantileOfSorted(q: number, les: readonly number[], counts: readonly number[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const n = les.length;
  if (n < 2 || les[n - 1] !== Infinity) return NaN;
  const total = counts[n - 1]!;
  if (total === 0) return NaN;
  const rank = q * total;
  let i = 0;
  while (counts[i]! < rank) i++;
  if (i === n - 1) return les[n - 2]!;
  if (i === 0 && les[0]! <= 0) return les[0]!;
  const start = i > 0 ? les[i - 1]! : 0;
  const countStart = i > 0 ? counts[i - 1]! : 0;
  const end = les[i]!;
  const inBucket = counts[i]! - countStart;
  if (inBucket === 0) return end;
  return start + (end - start) * ((rank - countStart) / inBucket);
}

/**
 * Mean from buckets alone: each bucket's observations at its midpoint (the `+Inf` bucket at its lower bound).
 * Used only when `_sum`/`_count` are not in the telemetry; it overstates short requests inside wide buckets.
 */
export function histogramMeanEstimate(buckets: readonly Bucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  return meanOfSorted(sorted.map((b) => b.le), monotonic(sorted.map((b) => b.value)));
}

function meanOfSorted(les: readonly number[], counts: readonly number[]): number {
  let prevLe = 0;
  let prevCount = 0;
  let weighted = 0;
  for (let i = 0; i < les.length; i++) {
    const le = les[i]!;
    const n = counts[i]! - prevCount;
    weighted += n * (le === Infinity ? prevLe : (prevLe + le) / 2);
    if (le !== Infinity) prevLe = le;
    prevCount = counts[i]!;
  }
  return prevCount > 0 ? weighted / prevCount : NaN;
}

/** Loosely typed access to series the model does not name (`_sum`/`_count` of the duration histogram). */
function extraSeries(samples: TelemetrySamples, name: string) {
  return (samples as Record<string, TelemetrySamples['istio_requests_total']>)[name];
}

/** Accumulates duration buckets (and `_sum`/`_count` when present) and body bytes onto the edges traffic already created. */
export function addLatencyAndBytes(state: GraphState, resolver: EndpointResolver, samples: TelemetrySamples): void {
  const each = (list: TelemetrySamples['istio_requests_total'], fn: (e: EdgeState, reporter: 'source' | 'destination', m: Record<string, string>, v: number) => void) => {
    if (!list) return;
    for (const s of list) {
      const m = s.metric;
      const reporter = m.reporter;
      if (reporter !== 'source' && reporter !== 'destination') continue;
      const ends = resolver.resolve(m);
      if (!ends) continue;
      // Series whose labels differ from the request series (an extra label) still find their edge by id.
      const e = ends.edge ?? state.edges.get(`${ends.source.id}->${ends.target.id}:${m.request_protocol === 'grpc' ? 'grpc' : 'http'}`);
      if (e) fn(e, reporter, m, sampleValue(s));
    }
  };
  // The bucket loop is written out (no callback): it runs once per bucket of every series, the bulk of the telemetry.
  const slots = new Map<string, number>();
  for (const s of samples.istio_request_duration_milliseconds_bucket ?? []) {
    const m = s.metric;
    const reporter = m.reporter;
    if (reporter !== 'source' && reporter !== 'destination') continue;
    const ends = resolver.resolve(m);
    if (!ends) continue;
    const e = ends.edge ?? state.edges.get(`${ends.source.id}->${ends.target.id}:${m.request_protocol === 'grpc' ? 'grpc' : 'http'}`);
    if (!e) continue;
    const le = m.le ?? '';
    let slot = slots.get(le);
    if (slot === undefined) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      slot = Number.isNaN(bound) ? -1 : state.bucketBounds.push(bound) - 1;
      slots.set(le, slot);
    }
    if (slot < 0) continue;
    const counts = reporter === 'destination' ? e.buckets.destination : e.buckets.source;
    while (counts.length <= slot) counts.push(0);
    counts[slot] += sampleValue(s);
  }
  each(extraSeries(samples, 'istio_request_duration_milliseconds_sum'), (e, r, _m, v) => { e.durationSum[r] += v; });
  each(extraSeries(samples, 'istio_request_duration_milliseconds_count'), (e, r, _m, v) => { e.durationCount[r] += v; });
  each(samples.istio_request_bytes_sum, (e, r, _m, v) => { e.bodyBytes[r] += v; });
  each(samples.istio_response_bytes_sum, (e, r, _m, v) => { e.bodyBytes[r] += v; });
}

const QUANTILES = [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const;

/** The bucket bounds of a graph, ascending, and the slot each one is stored in. */
export interface BucketLayout {
  les: number[];
  order: number[];
}

/** Sorts the bounds seen once per graph, so each edge's quantiles need no sort. */
export function bucketLayout(bounds: readonly number[]): BucketLayout {
  const order = bounds.map((_, i) => i).sort((a, b) => bounds[a]! - bounds[b]!);
  return { les: order.map((i) => bounds[i]!), order };
}

/** Which proxy's histogram to read: the destination's when it reported this edge (it timed the served requests), else the source's. */
function preferred<T>(e: EdgeState, per: PerReporter<T>, present: (v: T) => boolean): T | undefined {
  if (e.reporters.has('destination') && present(per.destination)) return per.destination;
  if (present(per.source)) return per.source;
  return present(per.destination) ? per.destination : undefined;
}

/** p50/p95/p99 and mean (ms) of an edge, quantiles over the summed buckets of all its series. */
export function responseTimesOf(e: EdgeState, layout: BucketLayout): ResponseTimes | undefined {
  const slots = preferred(e, e.buckets, (c) => c.length > 0);
  if (!slots) return undefined;
  // Slots are in order of first sight; the layout says which slot holds which bound, ascending.
  const counts = monotonic(layout.order.map((slot) => slots[slot] ?? 0));
  const out: ResponseTimes = {};
  const reporter = slots === e.buckets.destination ? 'destination' : 'source';
  const avg = e.durationCount[reporter] > 0 ? e.durationSum[reporter] / e.durationCount[reporter] : meanOfSorted(layout.les, counts);
  if (Number.isFinite(avg)) out.avg = roundMs(avg);
  for (const [key, q] of QUANTILES) {
    const v = quantileOfSorted(q, layout.les, counts);
    if (Number.isFinite(v)) out[key] = roundMs(v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Request + response body bytes/s of an HTTP/gRPC edge, from the same proxy as its requests. */
export function throughputOf(e: EdgeState): number | undefined {
  return preferred(e, e.bodyBytes, (v) => v > 0);
}
