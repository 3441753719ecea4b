/**
 * The instant queries behind one graph: one per metric family, whatever the number of namespaces.
 *
 * Kiali runs ~6 queries per namespace, one namespace after another. Here the namespaces go into one regex
 * (`=~"a|b|c"`), and both reporters come back from the same query (`reporter` is a kept label), so the graph's
 * reporter de-duplication sees exactly what it would see from the simulator. A series belongs to the graph
 * when its source workload, destination workload or destination service is in a selected namespace: three
 * disjoint selectors joined by `or`, so no series is computed twice.
 */
import { DURATION_QUANTILE_FAMILY, DURATION_QUANTILES, type GraphType, type PromSample } from '@meshlens/model';
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
   * The graph type the answer is drawn as. The duration histogram is then not asked as buckets in the first round:
   * Prometheus computes per-pair quantiles (`destinationQuantileQueries` with the first round, `histogramQueries`
   * from the plan: `planFromPairs`), and sends buckets only for the pairs that share an edge of that graph type.
   * Without it, every pair's buckets in one query (what snapshots record: any graph type can be drawn from them).
   */
  graphType?: GraphType;
}

/**
 * Whether the duration histogram is planned (a graph type, with response times): then the first round asks no
 * buckets, the plan comes from the `_count` answer and Prometheus computes the quantiles.
 */
export function plansHistogram(options: GraphQueryOptions): boolean {
  return options.graphType !== undefined && options.responseTimes !== false;
}

/**
 * Families the graph reads from one reporter side per edge, the destination's wherever it reported (graph/histogram.ts:
 * mean duration, throughput). With a graph type and response times they are not asked in the first round but with the
 * histogram's: destination-side reporters at once (`serverSideQueries`), and the sources of the pairs no destination
 * reported from the plan (`sourceSideQueries`): half their series, which Prometheus encodes and Meshlens parses for
 * nothing otherwise. Their series have the same labels (`PAIR_GROUP`), so they are asked as one range query, a step
 * per family (`familyQueries`).
 */
export const SERVER_SIDE_FAMILIES: readonly string[] = ['istio_request_duration_milliseconds_sum', 'istio_request_bytes_sum', 'istio_response_bytes_sum'];
const SERVER_REPORTERS: LabelMatcher = { label: 'reporter', op: '=~', value: 'destination|waypoint' };

/**
 * The graph's queries for `namespaces` over `duration` seconds: one per family whatever the namespaces (8, 5 without
 * response times, 4 with a graph type: the buckets are not asked as such, the plan comes from the `_count` family's
 * answer, `planFromPairs`, and `SERVER_SIDE_FAMILIES` come with the histogram's queries).
 */
export function graphQueries(namespaces: readonly string[], duration: number, options: GraphQueryOptions = {}): GraphQuery[] {
  if (namespaces.length === 0) return [];
  const planned = plansHistogram(options);
  const families = FAMILIES.filter((f) => options.responseTimes === false
    ? !RESPONSE_TIME_FAMILIES.has(f.metric)
    : !(planned && (f.metric === BUCKET_METRIC || SERVER_SIDE_FAMILIES.includes(f.metric))));
  const selections = namespaceSelections(namespaces);
  return families.map(({ metric, group }) => ({ family: metric, promql: or(selections.map((ms) => positive(sumBy(group, rate(selector(metric, [REPORTERS, ...ms]), duration))))) }));
}

/**
 * What tells step i of a range query of `steps` steps (at time + i, from `time`) from the others: after the half-way
 * time before it, before the one after it (the first and last open-ended). The range forms pick their quantile or
 * family by these.
 */
function stepBounds(time: number, i: number, steps: number): Array<['>' | '<', number]> {
  return [...(i > 0 ? [['>', time + i - 0.5] as ['>', number]] : []), ...(i < steps - 1 ? [['<', time + i + 0.5] as ['<', number]] : [])];
}

/** How many steps a histogram query's range form asks (a quantile each and its top, or a family each); undefined when it is an instant query. */
export function rangeSteps(hq: HistogramQuery): number | undefined {
  return hq.quantiles ? hq.quantiles.length + (hq.withTop ? 1 : 0) : hq.families?.length;
}

/**
 * One query per family, or in the range form one for all of them: step i (at time + i) answers family i, each pinned
 * to the graph's time (`@`), so that Prometheus evaluates every family once whatever the step, and the step only picks
 * which one answers. Families of the same labels then send each pair's labels once instead of once per family.
 */
function familyQueries(families: readonly string[], promqlOf: (metric: string, at: number | undefined) => string, options: Pick<HistogramQueryOptions, 'time' | 'form'>): HistogramQuery[] {
  if (options.form === 'instant' || families.length < 2) return families.map((family) => ({ family, promql: promqlOf(family, undefined) }));
  const t = options.time;
  const only = (i: number) => `vector(time())${stepBounds(t, i, families.length).map(([op, at]) => ` ${op} ${at}`).join('')}`;
  return [{ family: families[0]!, families, promql: or(families.map((metric, i) => `(${promqlOf(metric, t)}) and on() (${only(i)})`)) }];
}

/** `SERVER_SIDE_FAMILIES` from the reporters `reporter` selects, per pair of `matchers`' selections. */
function perPairFamilies(reporter: LabelMatcher, matchers: readonly LabelMatcher[][], duration: number, options: Pick<HistogramQueryOptions, 'time' | 'form'>): HistogramQuery[] {
  if (matchers.length === 0) return [];
  return familyQueries(SERVER_SIDE_FAMILIES, (metric, at) => or(matchers.map((ms) => positive(sumBy(PAIR_GROUP, rate(selector(metric, [reporter, ...ms]), duration, at))))), options);
}

/** The destination side of `SERVER_SIDE_FAMILIES` for a planned graph, with its first round: it needs no plan. */
export function serverSideQueries(selections: readonly LabelMatcher[][], duration: number, options: Pick<HistogramQueryOptions, 'time' | 'form'>): HistogramQuery[] {
  return perPairFamilies(SERVER_REPORTERS, selections, duration, options);
}

/**
 * The source side of `SERVER_SIDE_FAMILIES` for a planned graph: the pairs only their source reported (`sourceOnly`,
 * from the plan), or, without a plan (no duration histogram in the window at all), every source-reported pair of the
 * graph's namespace `selections`.
 */
export function sourceSideQueries(sourceOnly: WorkloadSelection | undefined, selections: readonly LabelMatcher[][], duration: number, options: Pick<HistogramQueryOptions, 'time' | 'form'>): HistogramQuery[] {
  return perPairFamilies({ label: 'reporter', op: '=', value: 'source' }, sourceOnly ? selectionMatchers(sourceOnly) : selections, duration, options);
}

/** The duration histogram's `_count` family: one series per pair and reporter, the `+Inf` bucket's twin. */
export const DURATION_COUNT_METRIC = 'istio_request_duration_milliseconds_count';

/**
 * The top bound (ms) the quantile queries read the histogram up to; buckets above it are left out (9 of Istio's 20).
 * A pair whose quantile lies above it is answered again from every bucket (`recheckSelection`).
 */
export const QUANTILE_TOP_MS = 1000;

/** The `le` spellings above the top bound (left out of the quantile queries) and the finite bounds at or below it. */
export interface BucketTrim {
  leaveOut: string[];
  kept: number[];
}

/**
 * First round, with the plan: the duration histogram's `le` values over the window, from Prometheus' index alone
 * (no samples are read; about a millisecond). Every spelling (`1000`, `1000.0`, `1e+06`) and every layout
 * (Istio's default, custom `statsHistogramBuckets`) is there as it is stored.
 */
export function bucketBoundsPath(time: number, duration: number): string {
  const params = new URLSearchParams({ 'match[]': selector(BUCKET_METRIC, [REPORTERS]), start: String(time - duration), end: String(time) });
  return `/api/v1/label/le/values?${params}`;
}

/** Which bounds the quantile queries leave out, from `bucketBoundsPath`'s answer; nothing when it is unknown. */
export function bucketTrim(les: readonly unknown[] | undefined, top = QUANTILE_TOP_MS): BucketTrim {
  const leaveOut = new Set<string>();
  const kept = new Set<number>();
  for (const le of les ?? []) {
    if (typeof le !== 'string' || le.trim() === '') continue;
    const bound = Number(le);
    if (!Number.isFinite(bound)) continue;
    if (bound > top) leaveOut.add(le);
    else kept.add(bound);
  }
  return { leaveOut: [...leaveOut].sort(), kept: [...kept].sort((a, b) => a - b) };
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
 * The histogram plan: per reporter and workload pair, how many pairs (`PAIR_GROUP` series) have observations in the
 * window. From the `+Inf` buckets (1/20 of the histogram), where the `_count` family is missing (`planFromPairs`).
 */
export function histogramPlanQuery(selections: readonly LabelMatcher[][], duration: number): string {
  const pairs = or(selections.map((ms) => positive(sumBy(PAIR_GROUP, rate(selector(BUCKET_METRIC, [REPORTERS, INF, ...ms]), duration)))));
  return `count by (${PLAN_GROUP.join(',')}) (${pairs})`;
}

type Labels = Record<string, string | undefined>;

/**
 * The histogram plan (`histogramPlanQuery`'s answer) from the first round's `_count` answer: its series are the pairs
 * with observations (a rate above 0, per `PAIR_GROUP`), counted per `PLAN_GROUP`, labels Prometheus would leave out
 * (absent or empty) left out. `_count` is the `+Inf` bucket, so the plan is the same without a query of its own.
 */
export function planFromPairs(pairs: ReadonlyArray<{ metric: Labels; value: [number, string] }>): PromSample[] {
  const groups = new Map<string, { metric: Record<string, string>; at: number; n: number }>();
  for (const { metric: m, value } of pairs) {
    if (!(Number(value[1]) > 0)) continue;
    const key = planId(m);
    let g = groups.get(key);
    if (!g) {
      const metric: Record<string, string> = {};
      for (const l of PLAN_GROUP) if (m[l]) metric[l] = m[l];
      groups.set(key, (g = { metric, at: value[0], n: 0 }));
    }
    g.n++;
  }
  return [...groups.values()].map((g) => ({ metric: g.metric, value: [g.at, String(g.n)] }));
}
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
  /** Pairs with no destination-side report: their source-reported quantiles are fetched. */
  sourceOnly: WorkloadSelection;
  /** Pairs whose buckets are needed, per reporter side. */
  buckets: { destination?: WorkloadSelection; source?: WorkloadSelection };
  /** Whether waypoints reported (their buckets are always fetched: which edge they land on depends on the inventory). */
  waypoint: boolean;
  /** Pairs counted (with observations in the window, every reporter). */
  pairs: number;
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

/** A plan entry's workload pair, whoever reported it (`PLAN_GROUP` without the reporter). */
const pairKey = (m: Labels) => PLAN_GROUP.slice(1).map((l) => m[l] ?? '').join('\u0000');

/**
 * The plan's pairs (`pairKey`) a destination-side proxy (sidecar, ztunnel or waypoint) reported: the graph reads their
 * histogram from that side, and a source's report of them only where there is none.
 */
function serverSidePairs(counts: ReadonlyArray<{ metric: Labels; value: [number, string] }>): Set<string> {
  const out = new Set<string>();
  for (const { metric: m, value } of counts) if (m.reporter !== 'source' && Number(value[1]) > 0) out.add(pairKey(m));
  return out;
}

/**
 * Plans the second round from the first round's counts. A pair's histogram is read from the side the graph reads
 * it from (graph/histogram.ts): the destination's (or waypoint's) when there is one, else the source's. Per
 * reporter side and (source node, destination node), one pair alone is drawn from its precomputed quantiles;
 * several pairs on one edge need the summed histogram, so their buckets are fetched, as are waypoints'.
 */
export function planHistogram(counts: ReadonlyArray<{ metric: Labels; value: [number, string] }>, graphType: GraphType): HistogramPlan {
  const withServerSide = serverSidePairs(counts);
  const groups = new Map<string, { pairs: number; waypoint: boolean; series: Labels[] }>();
  const sourceOnly: WorkloadSelection = {};
  let waypoint = false;
  let pairs = 0;
  for (const { metric: m, value } of counts) {
    const n = Number(value[1]);
    if (!(n > 0)) continue;
    pairs += n;
    const side = m.reporter === 'source' ? 'source' : 'destination';
    if (m.reporter === 'waypoint') waypoint = true;
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
  return { sourceOnly: tidy(sourceOnly), buckets, waypoint, pairs };
}

/**
 * One query of the second round: which family it fills. The quantile family's query is a range query by default
 * (`quantiles`: the quantile each step computes, the first at the graph's time, the next a second later, …);
 * `@` pins its histogram to the graph's time, so Prometheus sums the buckets once and computes every quantile from
 * that one sum (an expression that is the same at every step is evaluated once for all of them). Where Prometheus
 * refuses that (`@` is off before 2.33), one instant query per quantile (`quantile`: the one it computes).
 */
export interface HistogramQuery extends GraphQuery {
  quantile?: string;
  quantiles?: readonly string[];
  /** A range query whose step i answers family i (`familyQueries`); `family` is the first. */
  families?: readonly string[];
  /** A last step after `quantiles`' computes the quantile 1 of each pair: its top (`recheckSelection`). */
  withTop?: boolean;
}

/** How the quantiles are asked: one range query, or one instant query per quantile. */
export type QuantileForm = 'range' | 'instant';

/** The graph's time and how to ask for quantiles. `trim`: what the quantile queries leave out (`bucketTrim`). */
export interface HistogramQueryOptions {
  time: number;
  form: QuantileForm;
  trim?: BucketTrim;
  /** The selected namespaces in two halves (`namespaceHalves`): the range form asks its quantiles in two queries. */
  halves?: [string[], string[]];
}

/** Above this many destination namespaces, one selector for all (a superset) rather than one per namespace. */
const MAX_NAMESPACE_SELECTORS = 50;

/**
 * Matchers for a selection: per destination namespace its workloads (workload names repeat across namespaces);
 * with many namespaces, all names in one selector, which selects more pairs than planned (harmless: the graph
 * reads a pair's extra quantiles or buckets only where they are the edge's).
 */
function selectionMatchers(selection: WorkloadSelection): LabelMatcher[][] {
  const namespaces = Object.keys(selection);
  const matchers = (ns: string[], e: { source: string[]; destination: string[] }) => [
    oneOf('destination_workload_namespace', ns),
    oneOf('destination_workload', e.destination),
    oneOf('source_workload', e.source),
  ];
  if (namespaces.length <= MAX_NAMESPACE_SELECTORS) return namespaces.map((ns) => matchers([ns], selection[ns]!));
  const all = { source: [...new Set(namespaces.flatMap((ns) => selection[ns]!.source))].sort(), destination: [...new Set(namespaces.flatMap((ns) => selection[ns]!.destination))].sort() };
  return [matchers(namespaces, all)];
}

/**
 * The duration buckets `matchers` select, summed per pair and `le` over `duration` seconds; with `at`, the window
 * ending at that time whatever the step it is evaluated at (`@`: the same at every step of a range query).
 */
function bucketSum(matchers: readonly LabelMatcher[], duration: number, at?: number): string {
  return sumBy(BUCKET_GROUP, rate(selector(BUCKET_METRIC, matchers), duration, at));
}

/**
 * `histogram_quantile` of every side (each side's pairs summed by `le`), joined: one range query per group of sides
 * computing each of `DURATION_QUANTILES` at its own step, or one instant query per quantile; none without sides.
 */
function quantileQueries(sides: (at: number | undefined) => string[][], options: HistogramQueryOptions): HistogramQuery[] {
  const join = (phi: string, list: string[]) => `(${or(list.map((h) => `histogram_quantile(${phi}, ${h})`))}) >= 0`;
  if (options.form === 'instant') {
    const list = sides(undefined).flat();
    if (list.length === 0) return [];
    return DURATION_QUANTILES.map((q) => ({ family: DURATION_QUANTILE_FAMILY, quantile: q, promql: join(q, list) }));
  }
  // The quantile of step i (at time + i): a sum of `q × (step is i)`, each test `bool` against half-way times. A last
  // step computes the quantile 1: each pair's top (`recheckSelection`).
  const t = options.time;
  const phis = [...DURATION_QUANTILES, '1'];
  const step = (i: number) => `${phis[i]} * ${stepBounds(t, i, phis.length).map(([op, at]) => `(time() ${op} bool ${at})`).join(' * ')}`;
  const phi = `(${phis.map((_, i) => step(i)).join(' + ')})`;
  return sides(t).filter((list) => list.length > 0).map((list) => ({ family: DURATION_QUANTILE_FAMILY, quantiles: DURATION_QUANTILES, withTop: true, promql: join(phi, list) }));
}

/**
 * The selected namespaces in two halves (every other one, by name): the destination side's quantiles are asked as two
 * range queries, one per half of the pairs from the selected namespaces, which Prometheus evaluates at once on two
 * cores. They are asked with the first round, before any answer could weigh the namespaces. Undefined for fewer than
 * two namespaces.
 */
export function namespaceHalves(namespaces: readonly string[]): [string[], string[]] | undefined {
  const sorted = [...new Set(namespaces)].sort();
  if (sorted.length < 2) return undefined;
  return [sorted.filter((_, i) => i % 2 === 0), sorted.filter((_, i) => i % 2 === 1)];
}

/** The `le` matcher leaving out the bounds above the top (`BucketTrim`), if any. */
function trimMatchers(trim: BucketTrim | undefined): LabelMatcher[] {
  const leaveOut = trim?.leaveOut ?? [];
  return leaveOut.length === 0 ? [] : [{ label: 'le', op: '!~', value: leaveOut.map(escapeRegex).join('|') }];
}

/**
 * The quantiles of every pair a destination sidecar reported, from its summed buckets: `histogram_quantile` per pair
 * of the graph's namespace selections, so the series pulled are pairs × quantiles instead of pairs × buckets. The
 * graph reads a pair's histogram from the destination's side wherever there is one (graph/histogram.ts), so these
 * need no plan: they are asked with the first round. With `halves` (range form), in two queries: the first half's own
 * pairs, then the second half's and the pairs into the namespaces from outside them.
 */
export function destinationQuantileQueries(selections: readonly LabelMatcher[][], duration: number, options: HistogramQueryOptions): HistogramQuery[] {
  const destination: LabelMatcher[] = [{ label: 'reporter', op: '=', value: 'destination' }, ...trimMatchers(options.trim)];
  const halves = options.form === 'range' ? options.halves : undefined;
  const sides = (at: number | undefined) => {
    const sum = (ms: LabelMatcher[]) => bucketSum([...destination, ...ms], duration, at);
    if (!halves) return [selections.map(sum)];
    return [[sum([oneOf('source_workload_namespace', halves[0])])], [sum([oneOf('source_workload_namespace', halves[1])]), ...selections.slice(1).map(sum)]];
  };
  return quantileQueries(sides, options);
}

/**
 * What the plan adds to `destinationQuantileQueries`: the quantiles of pairs only their source reported (no
 * destination sidecar), and one query for the buckets of pairs that share an edge (their histograms are summed) and
 * of waypoints.
 */
export function histogramQueries(plan: HistogramPlan, selections: readonly LabelMatcher[][], duration: number, options: HistogramQueryOptions): HistogramQuery[] {
  // The graph's namespace selections, or (for pairs the plan names) the named workloads alone: those came from the
  // selections already, and a pair named beyond them lands on no edge of the graph.
  const parts = (matchers: LabelMatcher[]) => selections.map((ms) => bucketSum([...matchers, ...ms], duration));
  const source: LabelMatcher[] = [{ label: 'reporter', op: '=', value: 'source' }, ...trimMatchers(options.trim)];
  const sides = (at: number | undefined) => [selectionMatchers(plan.sourceOnly).map((ms) => bucketSum([...source, ...ms], duration, at))];
  const out = quantileQueries(sides, options);
  const bucketSides: string[] = [];
  if (plan.waypoint) bucketSides.push(or(parts([{ label: 'reporter', op: '=', value: 'waypoint' }])));
  for (const side of ['destination', 'source'] as const) {
    const b = plan.buckets[side];
    if (b) for (const ms of selectionMatchers(b)) bucketSides.push(bucketSum([{ label: 'reporter', op: '=', value: side }, ...ms], duration));
  }
  if (bucketSides.length > 0) out.push({ family: BUCKET_METRIC, promql: positive(`(${or(bucketSides)})`) });
  return out;
}

/** The pairs a trimmed quantile query may have answered wrongly, to be asked again from every bucket. */
export interface Recheck {
  /** Their workloads, per reporter side. */
  selection: { destination?: WorkloadSelection; source?: WorkloadSelection };
  /** Pairs (`pairId`) answered with a bound they may lie above. */
  pairs: Set<string>;
  /** Plan entries (`planId`) with fewer answers than pairs: some had no bucket at or below the top bound. */
  planned: Set<string>;
}

/** A pair's identity in a quantile answer: its `PAIR_GROUP` labels. */
export const pairId = (m: Labels) => PAIR_GROUP.map((l) => m[l] ?? '').join('\u0000');
/** A plan entry's identity: its `PLAN_GROUP` labels. */
export const planId = (m: Labels) => PLAN_GROUP.map((l) => m[l] ?? '').join('\u0000');

/**
 * What the quantile answers (`answers`, one sample per pair and quantile) computed without the buckets above the top
 * bound may have got wrong. With those left out, a pair's quantile is exact unless its rank lies above its highest
 * bucket left in; `histogram_quantile` then answers that bucket's bound exactly (a rank in `+Inf` answers the highest
 * finite bound), so an answer equal to a kept bound is asked again. With `tops` (each pair's quantile 1 from the same
 * buckets), only where it equals its top too: a rank in `+Inf` makes every higher quantile answer that same bound, and
 * a quantile below 1 inside the finite buckets stays below the top. A pair with no kept finite bucket has no answer at
 * all (NaN is dropped): a plan entry (`counts`) with fewer answered pairs than it counted is asked again too.
 * Undefined when nothing was left out or nothing needs asking again.
 */
export function recheckSelection(
  answers: ReadonlyArray<{ metric: Labels; value: [number, string] }>,
  counts: ReadonlyArray<{ metric: Labels; value: [number, string] }>,
  trim: BucketTrim,
  tops?: ReadonlyMap<string, number>,
): Recheck | undefined {
  if (trim.leaveOut.length === 0) return undefined;
  const kept = new Set(trim.kept);
  const selection: Recheck['selection'] = {};
  const pairs = new Set<string>();
  const planned = new Set<string>();
  const answered = new Map<string, Set<string>>();
  for (const { metric: m, value } of answers) {
    const id = pairId(m);
    const key = planId(m);
    let seen = answered.get(key);
    if (!seen) answered.set(key, (seen = new Set()));
    seen.add(id);
    const v = Number(value[1]);
    // (a pair without a top is asked again: it is not known to lie below it)
    const top = tops?.get(id);
    if (!kept.has(v) || (top !== undefined && top !== v) || pairs.has(id)) continue;
    pairs.add(id);
    select((selection[m.reporter === 'source' ? 'source' : 'destination'] ??= {}), m);
  }
  const withServerSide = serverSidePairs(counts);
  for (const { metric: m, value } of counts) {
    const n = Number(value[1]);
    // The quantile queries read destination sidecars, and sources only where no destination-side proxy reported.
    if (!(n > 0) || (m.reporter !== 'destination' && m.reporter !== 'source')) continue;
    if (m.reporter === 'source' && withServerSide.has(pairKey(m))) continue;
    const key = planId(m);
    if ((answered.get(key)?.size ?? 0) >= n) continue;
    planned.add(key);
    select((selection[m.reporter === 'source' ? 'source' : 'destination'] ??= {}), m);
  }
  if (pairs.size === 0 && planned.size === 0) return undefined;
  if (selection.destination) selection.destination = tidy(selection.destination);
  if (selection.source) selection.source = tidy(selection.source);
  return { selection, pairs, planned };
}

/** The quantile queries asking `recheck`'s pairs again, every bucket read (a superset of them: see `mergeRechecked`). */
export function recheckQueries(recheck: Recheck, duration: number, options: HistogramQueryOptions): HistogramQuery[] {
  const sides = (at: number | undefined) => [(['destination', 'source'] as const).flatMap((side) => {
    const selection = recheck.selection[side];
    if (!selection) return [];
    return selectionMatchers(selection).map((ms) => bucketSum([{ label: 'reporter', op: '=', value: side }, ...ms], duration, at));
  })];
  return quantileQueries(sides, options);
}

/** The quantile answers with `recheck`'s pairs answered again (`again`); other pairs `again` holds are left out. */
export function mergeRechecked<T extends { metric: Labels }>(first: readonly T[], again: readonly T[], recheck: Recheck): T[] {
  const redone = (s: T) => recheck.pairs.has(pairId(s.metric)) || recheck.planned.has(planId(s.metric));
  return [...first.filter((s) => !redone(s)), ...again.filter(redone)];
}
