/** Response times from duration histograms, and request/response body throughput, per edge. */
import { DURATION_QUANTILE_FAMILY, type ResponseTimes, type TelemetrySamples } from '@meshlens/model';
import { parseRate, sampleValue } from './reporters.js';
import { roundMs } from './round.js';
import { NO_BUCKET_LISTS, NO_BUCKETS, NO_TOTALS, type EdgeState, type GraphState } from './state.js';
import type { Resolvers } from './traffic.js';

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
export function addLatencyAndBytes(state: GraphState, resolvers: Resolvers, samples: TelemetrySamples): void {
  // The bucket loop is written out (no callback): it runs once per bucket of every series, the bulk of the telemetry.
  const slots = new Map<string, number>();
  const buckets = samples.istio_request_duration_milliseconds_bucket;
  const n = buckets === undefined ? 0 : buckets.length;
  for (let i = 0; i < n; i++) {
    const s = buckets![i]!;
    const m = s.metric;
    const reported = m.reporter;
    // A waypoint's histogram stands where a destination proxy's would (it answered the client).
    if (reported !== 'source' && reported !== 'destination' && reported !== 'waypoint') continue;
    const reporter = reported === 'source' ? 'source' : 'destination';
    const e = edgeOf(state, reported === 'waypoint' ? resolvers.waypoint : resolvers.reports, m);
    if (e === undefined) continue;
    const le = m.le ?? '';
    let slot = slots.get(le);
    if (slot === undefined) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      slot = Number.isNaN(bound) ? -1 : state.bucketBounds.push(bound) - 1;
      slots.set(le, slot);
    }
    if (slot < 0) continue;
    let counts = e.buckets[reporter];
    if (counts.length <= slot) counts = grown(e, reporter, slot + 1, state.bucketBounds.length);
    counts[slot] += sampleValue(s);
  }
  const quantiles = samples[DURATION_QUANTILE_FAMILY];
  if (quantiles !== undefined && quantiles.length > 0) addPrecomputed(state, resolvers, quantiles, buckets);
  addPerReporter(state, resolvers, extraSeries(samples, 'istio_request_duration_milliseconds_sum'), 'durationSum');
  addPerReporter(state, resolvers, extraSeries(samples, 'istio_request_duration_milliseconds_count'), 'durationCount');
  addPerReporter(state, resolvers, samples.istio_request_bytes_sum, 'bodyBytes');
  addPerReporter(state, resolvers, samples.istio_response_bytes_sum, 'bodyBytes');
}

/** Zeros in a double-elements array (it held 0.5 once, and V8 never narrows an array's kind back). */
const ZEROS: number[] = [0.5];
ZEROS[0] = 0;

/**
 * An edge's bucket counts, long enough for `needed` slots. A first array is cut to every bound seen so far
 * from a double array of zeros: growing `[]` one push at a time reallocated it several times per edge.
 */
function grown(e: EdgeState, reporter: 'source' | 'destination', needed: number, known: number): number[] {
  const counts = e.buckets[reporter];
  if (counts.length === 0) {
    const n = Math.max(needed, known);
    while (ZEROS.length < n) ZEROS.push(0);
    if (e.buckets === NO_BUCKET_LISTS) e.buckets = { destination: NO_BUCKETS, source: NO_BUCKETS };
    return (e.buckets[reporter] = ZEROS.slice(0, n));
  }
  while (counts.length < needed) counts.push(0);
  return counts;
}

/** The edge a series' traffic went to, or undefined for bad or unrequested telemetry and pairs without traffic. */
function edgeOf(state: GraphState, resolver: Resolvers['reports'], m: Record<string, string>): EdgeState | undefined {
  const ends = resolver.resolve(m);
  if (!ends) return undefined;
  // Series whose labels differ from the request series (an extra label) still find their edge by id.
  return ends.edge ?? state.edges.get(`${ends.source.id}->${ends.target.id}:${m.request_protocol === 'grpc' ? 'grpc' : 'http'}`);
}

/** One reporter side of an edge's precomputed quantiles: how many pairs sent them, and their values (ms). */
export interface PrecomputedSide {
  /** Pairs with quantiles (their `0.5` series). */
  pairs: number;
  /** Pairs with buckets (their `+Inf` series): when every pair has them, the summed buckets are exact. */
  bucketPairs: number;
  /** p50/p95/p99: the one pair's, or the highest of several (see `precomputedTimes`). */
  values: [number, number, number];
}

/** Per reporter side, what Prometheus computed for an edge (`TelemetrySamples.istio_request_duration_milliseconds_quantile`). */
export interface PrecomputedTimes {
  destination: PrecomputedSide | undefined;
  source: PrecomputedSide | undefined;
}

const QUANTILE_SLOT: Record<string, number> = { '0.5': 0, '0.95': 1, '0.99': 2 };

/**
 * Adds the quantiles Prometheus computed per pair to their edges, and counts the pairs whose buckets came too (the
 * graph then knows, per edge side, whether its buckets are the whole histogram).
 */
function addPrecomputed(state: GraphState, resolvers: Resolvers, quantiles: NonNullable<TelemetrySamples['istio_requests_total']>, buckets: TelemetrySamples['istio_request_duration_milliseconds_bucket']): void {
  const sideOf = (e: EdgeState, reporter: 'source' | 'destination'): PrecomputedSide => {
    const p = (e.precomputed ??= { destination: undefined, source: undefined });
    return (p[reporter] ??= { pairs: 0, bucketPairs: 0, values: [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY] });
  };
  for (const s of quantiles) {
    const m = s.metric;
    const slot = QUANTILE_SLOT[m.quantile ?? ''];
    const reported = m.reporter;
    if (slot === undefined || (reported !== 'source' && reported !== 'destination' && reported !== 'waypoint')) continue;
    const v = parseRate(s.value[1]);
    if (!Number.isFinite(v) || v < 0) continue;
    const e = edgeOf(state, reported === 'waypoint' ? resolvers.waypoint : resolvers.reports, m);
    if (e === undefined) continue;
    const side = sideOf(e, reported === 'source' ? 'source' : 'destination');
    if (slot === 0) side.pairs++;
    if (v > side.values[slot]!) side.values[slot] = v;
  }
  if (!buckets) return;
  for (const s of buckets) {
    const m = s.metric;
    const reported = m.reporter;
    if (m.le !== '+Inf' || (reported !== 'source' && reported !== 'destination' && reported !== 'waypoint') || sampleValue(s) === 0) continue;
    const e = edgeOf(state, reported === 'waypoint' ? resolvers.waypoint : resolvers.reports, m);
    if (e !== undefined) sideOf(e, reported === 'source' ? 'source' : 'destination').bucketPairs++;
  }
}

/** Sums one per-reporter counter (`_sum`, `_count`, body bytes) onto its edges. */
function addPerReporter(state: GraphState, resolvers: Resolvers, list: TelemetrySamples['istio_requests_total'], field: 'durationSum' | 'durationCount' | 'bodyBytes'): void {
  if (!list) return;
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    const m = s.metric;
    const reported = m.reporter;
    if (reported !== 'source' && reported !== 'destination' && reported !== 'waypoint') continue;
    const reporter = reported === 'source' ? 'source' : 'destination';
    const e = edgeOf(state, reported === 'waypoint' ? resolvers.waypoint : resolvers.reports, m);
    if (e === undefined) continue;
    let per = e[field];
    if (per === NO_TOTALS) per = e[field] = { destination: 0, source: 0 };
    per[reporter] += sampleValue(s);
  }
}

const QUANTILES = [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const;

/** The bucket bounds of a graph, ascending, and the slot each one is stored in. */
export interface BucketLayout {
  les: number[];
  order: number[];
  /** Scratch space for one edge's counts in bound order, reused edge after edge (results are plain numbers). */
  counts: number[];
}

/** Sorts the bounds seen once per graph, so each edge's quantiles need no sort. */
export function bucketLayout(bounds: readonly number[]): BucketLayout {
  const order = bounds.map((_, i) => i).sort((a, b) => bounds[a]! - bounds[b]!);
  return { les: order.map((i) => bounds[i]!), order, counts: order.map(() => 0.5) };
}

/** Whether a reporter side of an edge has a histogram: buckets, or quantiles Prometheus computed. */
function hasHistogram(e: EdgeState, reporter: 'source' | 'destination'): boolean {
  return e.buckets[reporter].length > 0 || e.precomputed?.[reporter] !== undefined;
}

/** Which proxy's histogram to read: the destination's when it reported this edge (it timed the served requests), else the source's. */
function preferredReporter(e: EdgeState): 'source' | 'destination' | undefined {
  if (e.fromDestination && hasHistogram(e, 'destination')) return 'destination';
  if (hasHistogram(e, 'source')) return 'source';
  return hasHistogram(e, 'destination') ? 'destination' : undefined;
}

/**
 * The precomputed p50/p95/p99 of an edge side, or undefined when its buckets say it all. One pair's quantiles are
 * the edge's. Several pairs need their summed buckets, which Prometheus sends for every pair of such an edge; if
 * some did not come (labels that hide a shared node from the plan), the highest of the pairs' quantiles stands in:
 * a quantile of a mix of histograms is never above its parts' highest.
 */
function precomputedTimes(e: EdgeState, reporter: 'source' | 'destination'): readonly [number, number, number] | undefined {
  const side = e.precomputed?.[reporter];
  if (side === undefined || side.pairs === 0 || (side.bucketPairs >= side.pairs && e.buckets[reporter].length > 0)) return undefined;
  return side.values;
}

/**
 * p50/p95/p99 and mean (ms) of an edge: quantiles over the summed buckets of all its series, or those Prometheus
 * computed for the one pair the edge is made of.
 */
export function responseTimesOf(e: EdgeState, layout: BucketLayout): ResponseTimes | undefined {
  const reporter = preferredReporter(e);
  if (!reporter) return undefined;
  const out: ResponseTimes = {};
  let any = false;
  const precomputed = precomputedTimes(e, reporter);
  const { order, counts } = layout;
  if (precomputed === undefined) {
    // Slots are in order of first sight; the layout says which slot holds which bound, ascending.
    const slots = e.buckets[reporter];
    for (let i = 0; i < order.length; i++) counts[i] = slots[order[i]!] ?? 0;
    monotonic(counts);
  }
  const avg = e.durationCount[reporter] > 0 ? e.durationSum[reporter] / e.durationCount[reporter] : precomputed === undefined ? meanOfSorted(layout.les, counts) : NaN;
  if (Number.isFinite(avg)) {
    out.avg = roundMs(avg);
    any = true;
  }
  for (let k = 0; k < QUANTILES.length; k++) {
    const [key, q] = QUANTILES[k]!;
    const v = precomputed === undefined ? quantileOfSorted(q, layout.les, counts) : precomputed[k]!;
    if (Number.isFinite(v)) {
      out[key] = roundMs(v);
      any = true;
    }
  }
  return any ? out : undefined;
}

/** Request + response body bytes/s of an HTTP/gRPC edge, from the same proxy as its requests. */
export function throughputOf(e: EdgeState): number | undefined {
  const per = e.bodyBytes;
  if (e.fromDestination && per.destination > 0) return per.destination;
  if (per.source > 0) return per.source;
  return per.destination > 0 ? per.destination : undefined;
}
