/**
 * The instant queries behind one graph: one per metric family, whatever the number of namespaces.
 *
 * Kiali runs ~6 queries per namespace, one namespace after another. Here the namespaces go into one regex
 * (`=~"a|b|c"`), and both reporters come back from the same query (`reporter` is a kept label), so the graph's
 * reporter de-duplication sees exactly what it would see from the simulator. A series belongs to the graph
 * when its source workload, destination workload or destination service is in a selected namespace: three
 * disjoint selectors joined by `or`, so no series is computed twice.
 */
import { DURATION_QUANTILE_FAMILY, DURATION_QUANTILES, ISTIO_DURATION_BUCKETS_MS, type GraphType } from '@meshlens/model';
import { escapeRegex, oneOf, or, positive, rate, selector, sumBy, type LabelMatcher } from './promql.js';

/** The labels that say who talked to whom (the graph's pair labels) plus the reporter. */
export const PAIR_GROUP = [
  'reporter',
  'source_cluster', 'source_workload_namespace', 'source_workload', 'source_canonical_service', 'source_canonical_revision',
  'destination_cluster', 'destination_workload_namespace', 'destination_workload', 'destination_canonical_service', 'destination_canonical_revision',
  'destination_service', 'destination_service_name', 'destination_service_namespace', 'request_protocol', 'destination_port',
] as const;

/** Requests keep what the graph reads per response: codes, flags, and the mTLS policy (the security appender's input). */
export const REQUEST_GROUP = [...PAIR_GROUP, 'response_code', 'grpc_response_status', 'response_flags', 'connection_security_policy'];
/** Histogram buckets need only the pair and `le`: summing codes away first cuts the biggest query by the number of codes. */
export const BUCKET_GROUP = [...PAIR_GROUP, 'le'];
/**
 * TCP: bytes by flags (the graph's response detail) and mTLS policy, and `app`, which tells ztunnel's reports
 * (`app="ztunnel"`, ambient L4) from a sidecar's for the same pair (graph/ambient.ts counts each byte once).
 */
export const TCP_GROUP = [...PAIR_GROUP, 'response_flags', 'connection_security_policy', 'app'];

/** One query: which metric family it fills and its PromQL. */
export interface GraphQuery {
  family: string;
  promql: string;
}

const FAMILIES: Array<{ metric: string; group: readonly string[] }> = [
  { metric: 'istio_requests_total', group: REQUEST_GROUP },
  { metric: 'istio_request_duration_milliseconds_bucket', group: BUCKET_GROUP },
  { metric: 'istio_request_duration_milliseconds_sum', group: PAIR_GROUP },
  { metric: 'istio_request_duration_milliseconds_count', group: PAIR_GROUP },
  { metric: 'istio_request_bytes_sum', group: PAIR_GROUP },
  { metric: 'istio_response_bytes_sum', group: PAIR_GROUP },
  { metric: 'istio_tcp_sent_bytes_total', group: TCP_GROUP },
  { metric: 'istio_tcp_received_bytes_total', group: TCP_GROUP },
];

/**
 * Three disjoint selections that together cover every series touching the namespaces:
 * outbound (source in), inbound to a workload (source outside, destination workload in), and requests to a
 * service in the namespaces that never reached a workload there (e.g. 503s with no healthy upstream).
 */
export function namespaceSelections(namespaces: readonly string[]): LabelMatcher[][] {
  const inSet = (label: string) => oneOf(label, namespaces);
  const notIn = (label: string): LabelMatcher => {
    const m = oneOf(label, namespaces);
    return { label, op: m.op === '=' ? '!=' : '!~', value: m.value };
  };
  return [
    [inSet('source_workload_namespace')],
    [notIn('source_workload_namespace'), inSet('destination_workload_namespace')],
    [notIn('source_workload_namespace'), notIn('destination_workload_namespace'), inSet('destination_service_namespace')],
  ];
}

/** The duration-histogram families: needed only for response times. */
export const RESPONSE_TIME_FAMILIES = new Set([
  'istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count',
]);

export interface GraphQueryOptions {
  /** Also the duration-histogram queries (edge response times). Default true. */
  responseTimes?: boolean;
  /**
   * The graph type the answer is drawn as. The duration histogram then takes two rounds (`histogramPlanQuery`, then
   * `histogramQueries`): Prometheus computes per-pair quantiles, and sends buckets only for the pairs that share an
   * edge of that graph type. Without it, every pair's buckets in one query (what snapshots record: any graph type
   * can be drawn from them).
   */
  graphType?: GraphType;
}

/**
 * The graph's queries for `namespaces` over `duration` seconds: one per family whatever the namespaces (8, or 5
 * without response times). With a graph type, the bucket family's query is the histogram plan (a count of pairs).
 */
export function graphQueries(namespaces: readonly string[], duration: number, options: GraphQueryOptions = {}): GraphQuery[] {
  if (namespaces.length === 0) return [];
  const families = options.responseTimes === false ? FAMILIES.filter((f) => !RESPONSE_TIME_FAMILIES.has(f.metric)) : FAMILIES;
  const selections = namespaceSelections(namespaces);
  const queries = families.map(({ metric, group }) => ({
    family: metric,
    promql: metric === BUCKET_METRIC && options.graphType !== undefined
      ? histogramPlanQuery(selections, duration)
      : or(selections.map((ms) => positive(sumBy(group, rate(selector(metric, [REPORTERS, ...ms]), duration))))),
  }));
  if (options.graphType !== undefined && options.responseTimes !== false) queries.push({ family: BOUNDS_FAMILY, promql: histogramBoundsQuery(selections, duration) });
  return queries;
}

/** The family name of the first round's bounds query (`histogramBoundsQuery`): not samples, read by the plan. */
export const BOUNDS_FAMILY = 'meshlens_histogram_bounds';

/** Istio's default bucket bounds the bounds query tries as the top of every pair's p99 (ms). */
export const TOP_CANDIDATES = [1000, 10000];

/** A bound as Prometheus may spell it in `le` (`1000`, or `1000.0` once normalised). */
const spellings = (le: number) => [String(le), `${le}.0`];

/**
 * First round, with the plan: per candidate top bound, how many pairs have 99 % of their observations at or below
 * it. When that is every pair, no p50/p95/p99 falls above it, and the quantile queries leave the buckets above it
 * out (the bulk of a histogram's series: 9 of 20 above 1 s) with the same answers.
 */
export function histogramBoundsQuery(selections: readonly LabelMatcher[][], duration: number): string {
  const candidates: LabelMatcher = { label: 'le', op: '=~', value: TOP_CANDIDATES.flatMap(spellings).map(escapeRegex).join('|') };
  const within = selections.map((ms) => {
    const total = positive(sumBy(PAIR_GROUP, rate(selector(BUCKET_METRIC, [REPORTERS, INF, ...ms]), duration)));
    return `${sumBy(BUCKET_GROUP, rate(selector(BUCKET_METRIC, [REPORTERS, candidates, ...ms]), duration))} >= on (${PAIR_GROUP.join(',')}) group_left 0.99 * (${total})`;
  });
  return `count by (le) (${or(within)})`;
}

/**
 * The top bound the quantile queries can stop at: the least candidate every pair with observations (`pairs`, the
 * plan's total) has 99 % of them under; undefined when none.
 */
export function topBound(bounds: ReadonlyArray<{ metric: Labels; value: [number, string] }>, pairs: number): number | undefined {
  const within = new Map<number, number>();
  for (const { metric, value } of bounds) {
    const le = Number(metric.le);
    if (Number.isFinite(le)) within.set(le, (within.get(le) ?? 0) + Number(value[1]));
  }
  return TOP_CANDIDATES.find((le) => pairs > 0 && within.get(le) === pairs);
}

// Sidecars report as source and destination, ztunnel as destination (L4 only), waypoints as waypoint (L7).
const REPORTERS: LabelMatcher = { label: 'reporter', op: '=~', value: 'source|destination|waypoint' };
const BUCKET_METRIC = 'istio_request_duration_milliseconds_bucket';
const INF: LabelMatcher = { label: 'le', op: '=', value: '+Inf' };

const SOURCE_NODE = ['source_workload_namespace', 'source_workload', 'source_canonical_service', 'source_canonical_revision'] as const;
const DESTINATION_NODE = ['destination_workload_namespace', 'destination_workload', 'destination_canonical_service', 'destination_canonical_revision'] as const;
/** What the histogram plan is counted by: the reporter and the labels graph/ids.ts names workload-backed nodes from. */
export const PLAN_GROUP = ['reporter', ...SOURCE_NODE, ...DESTINATION_NODE] as const;

/**
 * First round of a graph's histogram: per reporter and workload pair, how many pairs (`PAIR_GROUP` series) have
 * observations in the window. It reads only the `+Inf` buckets (1/20 of the histogram) and answers a few
 * thousand small series.
 */
export function histogramPlanQuery(selections: readonly LabelMatcher[][], duration: number): string {
  const pairs = or(selections.map((ms) => positive(sumBy(PAIR_GROUP, rate(selector(BUCKET_METRIC, [REPORTERS, INF, ...ms]), duration)))));
  return `count by (${PLAN_GROUP.join(',')}) (${pairs})`;
}

type Labels = Record<string, string | undefined>;
const ok = (v: string | undefined): v is string => v !== undefined && v !== '' && v !== 'unknown';

/**
 * A key of the node a pair's side is drawn as in `graphType`, from its labels (graph/ids.ts `workloadSeed`). Two
 * pairs on the same node always get the same key; a coarser key only pulls more buckets. Nodes that depend on the
 * inventory are keyed coarsely: a service graph's sources by namespace (the Service fronting a workload), and every
 * destination that is no known workload (services, ServiceEntries, external addresses, egress) as `-`.
 */
export function nodeKey(graphType: GraphType, side: 'source' | 'destination', m: Labels): string {
  const [nsLabel, wlLabel, appLabel, versionLabel] = side === 'source' ? SOURCE_NODE : DESTINATION_NODE;
  const ns = m[nsLabel];
  const wl = m[wlLabel];
  if (!ok(ns) || !ok(wl)) return side === 'source' ? 'unknown' : '-';
  if (graphType === 'service') return side === 'source' ? `ns:${ns}` : '-';
  const app = m[appLabel];
  const version = m[versionLabel];
  if (graphType === 'versionedApp' && ok(app)) return ok(version) && version !== 'latest' ? `vapp:${ns}/${app}/${version}` : `app:${ns}/${app}`;
  if (graphType === 'app' && ok(app)) return `app:${ns}/${app}`;
  return `wl:${ns}/${wl}`;
}

/** Workloads to select, by the namespace of the pair's destination workload. */
export type WorkloadSelection = Record<string, { source: string[]; destination: string[] }>;

/** Which duration series the second round fetches (`histogramQueries`). */
export interface HistogramPlan {
  /** Whether any pair was reported by a destination sidecar (its quantiles are fetched). */
  destination: boolean;
  /** Pairs with no destination-side report: their source-reported quantiles are fetched. */
  sourceOnly: WorkloadSelection;
  /** Pairs whose buckets are needed, per reporter side. */
  buckets: { destination?: WorkloadSelection; source?: WorkloadSelection };
  /** Whether waypoints reported (their buckets are always fetched: which edge they land on depends on the inventory). */
  waypoint: boolean;
  /** Pairs counted (with observations in the window, every reporter). */
  pairs: number;
  /** The bound no pair's p99 is above (`topBound`), when the bounds query found one. */
  top?: number;
}

/** Adds a pair's workloads to a selection. */
function select(selection: WorkloadSelection, m: Labels): void {
  const ns = m.destination_workload_namespace ?? '';
  const entry = (selection[ns] ??= { source: [], destination: [] });
  entry.source.push(m.source_workload ?? '');
  entry.destination.push(m.destination_workload ?? '');
}

/** Sorted, without repeats (stable queries for the same plan). */
function tidy(selection: WorkloadSelection): WorkloadSelection {
  const out: WorkloadSelection = {};
  for (const ns of Object.keys(selection).sort()) {
    const e = selection[ns]!;
    out[ns] = { source: [...new Set(e.source)].sort(), destination: [...new Set(e.destination)].sort() };
  }
  return out;
}

/**
 * Plans the second round from the first round's counts. A pair's histogram is read from the side the graph reads
 * it from (graph/histogram.ts): the destination's (or waypoint's) when there is one, else the source's. Per
 * reporter side and (source node, destination node), one pair alone is drawn from its precomputed quantiles;
 * several pairs on one edge need the summed histogram, so their buckets are fetched, as are waypoints'.
 */
export function planHistogram(counts: ReadonlyArray<{ metric: Labels; value: [number, string] }>, graphType: GraphType, bounds?: ReadonlyArray<{ metric: Labels; value: [number, string] }>): HistogramPlan {
  const withServerSide = new Set<string>();
  const pairKey = (m: Labels) => PLAN_GROUP.slice(1).map((l) => m[l] ?? '').join('\u0000');
  for (const { metric: m, value } of counts) if (m.reporter !== 'source' && Number(value[1]) > 0) withServerSide.add(pairKey(m));
  const groups = new Map<string, { pairs: number; waypoint: boolean; series: Labels[] }>();
  const sourceOnly: WorkloadSelection = {};
  let destination = false;
  let waypoint = false;
  let pairs = 0;
  for (const { metric: m, value } of counts) {
    const n = Number(value[1]);
    if (!(n > 0)) continue;
    pairs += n;
    const side = m.reporter === 'source' ? 'source' : 'destination';
    if (m.reporter === 'waypoint') waypoint = true;
    else if (side === 'destination') destination = true;
    if (side === 'source') {
      // A source report is read only when no destination-side proxy reported the pair.
      if (withServerSide.has(pairKey(m))) continue;
      select(sourceOnly, m);
    }
    const key = `${side}|${nodeKey(graphType, 'source', m)}|${nodeKey(graphType, 'destination', m)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { pairs: 0, waypoint: false, series: [] }));
    g.pairs += n;
    g.waypoint ||= m.reporter === 'waypoint';
    g.series.push(m);
  }
  const buckets: HistogramPlan['buckets'] = {};
  for (const [key, g] of groups) {
    if (g.pairs < 2 && !g.waypoint) continue;
    const b = (buckets[key.startsWith('source|') ? 'source' : 'destination'] ??= {});
    for (const m of g.series) if (m.reporter !== 'waypoint') select(b, m);
  }
  if (buckets.destination) buckets.destination = tidy(buckets.destination);
  if (buckets.source) buckets.source = tidy(buckets.source);
  const top = bounds ? topBound(bounds, pairs) : undefined;
  return { destination, sourceOnly: tidy(sourceOnly), buckets, waypoint, pairs, ...(top !== undefined ? { top } : {}) };
}

/** One query of the second round: which family it fills, and for the quantile family the quantile it computes. */
export interface HistogramQuery extends GraphQuery {
  quantile?: string;
}

/** Above this many destination namespaces, one selector for all (a superset) rather than one per namespace. */
const MAX_NAMESPACE_SELECTORS = 50;

/**
 * Matchers for a selection: per destination namespace its workloads (workload names repeat across namespaces);
 * with many namespaces, all names in one selector, which selects more pairs than planned (harmless: the graph
 * reads a pair's extra quantiles or buckets only where they are the edge's).
 */
function selectionMatchers(selection: WorkloadSelection, withSource: boolean): LabelMatcher[][] {
  const namespaces = Object.keys(selection);
  const matchers = (ns: string[], e: { source: string[]; destination: string[] }) => [
    oneOf('destination_workload_namespace', ns),
    oneOf('destination_workload', e.destination),
    ...(withSource ? [oneOf('source_workload', e.source)] : []),
  ];
  if (namespaces.length <= MAX_NAMESPACE_SELECTORS) return namespaces.map((ns) => matchers([ns], selection[ns]!));
  const all = { source: [...new Set(namespaces.flatMap((ns) => selection[ns]!.source))].sort(), destination: [...new Set(namespaces.flatMap((ns) => selection[ns]!.destination))].sort() };
  return [matchers(namespaces, all)];
}

/**
 * Second round of a graph's histogram: per quantile, `histogram_quantile` over each pair's summed buckets from the
 * side the graph reads (destination sidecars, and sources of the pairs no destination reported), so the series
 * pulled are pairs × 3 instead of pairs × buckets; and one query for the buckets the plan needs.
 */
export function histogramQueries(plan: HistogramPlan, selections: readonly LabelMatcher[][], duration: number): HistogramQuery[] {
  // The graph's namespace selections, or (for pairs the plan names) the named workloads alone: those came from the
  // selections already, and a pair named beyond them lands on no edge of the graph.
  const parts = (matchers: LabelMatcher[]) => selections.map((ms) => sumBy(BUCKET_GROUP, rate(selector(BUCKET_METRIC, [...matchers, ...ms]), duration)));
  const part = (matchers: LabelMatcher[]) => or(parts(matchers));
  const named = (matchers: LabelMatcher[]) => sumBy(BUCKET_GROUP, rate(selector(BUCKET_METRIC, matchers), duration));
  // Istio's default bounds above the plan's top bound hold no pair's quantile (bounds of other layouts stay in).
  const above = plan.top === undefined ? [] : ISTIO_DURATION_BUCKETS_MS.filter((le) => le > plan.top!);
  const trim: LabelMatcher[] = above.length === 0 ? [] : [{ label: 'le', op: '!~', value: above.flatMap(spellings).map(escapeRegex).join('|') }];
  // The sides hold disjoint pairs (by reporter, and by the selections' namespace matchers), so each side's quantiles
  // are computed on their own and joined after: an `or` hashes every series of both operands, and joining the
  // per-(pair, le) sums would hash the whole histogram once per side (1.8 s against 0.8 s for 1k workloads).
  const sides: string[] = [];
  if (plan.destination) sides.push(...parts([{ label: 'reporter', op: '=', value: 'destination' }, ...trim]));
  for (const ms of selectionMatchers(plan.sourceOnly, true)) sides.push(named([{ label: 'reporter', op: '=', value: 'source' }, ...trim, ...ms]));
  const out: HistogramQuery[] = [];
  if (sides.length > 0) {
    for (const q of DURATION_QUANTILES) out.push({ family: DURATION_QUANTILE_FAMILY, quantile: q, promql: `(${or(sides.map((h) => `histogram_quantile(${q}, ${h})`))}) >= 0` });
  }
  const bucketSides: string[] = [];
  if (plan.waypoint) bucketSides.push(part([{ label: 'reporter', op: '=', value: 'waypoint' }]));
  for (const side of ['destination', 'source'] as const) {
    const b = plan.buckets[side];
    if (b) for (const ms of selectionMatchers(b, true)) bucketSides.push(named([{ label: 'reporter', op: '=', value: side }, ...ms]));
  }
  if (bucketSides.length > 0) out.push({ family: BUCKET_METRIC, promql: positive(`(${or(bucketSides)})`) });
  return out;
}
