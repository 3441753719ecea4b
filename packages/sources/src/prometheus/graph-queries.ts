/**
 * The instant queries behind one graph: one per metric family, whatever the number of namespaces.
 *
 * Kiali runs ~6 queries per namespace, one namespace after another. Here the namespaces go into one regex
 * (`=~"a|b|c"`), and both reporters come back from the same query (`reporter` is a kept label), so the graph's
 * reporter de-duplication sees exactly what it would see from the simulator. A series belongs to the graph
 * when its source workload, destination workload or destination service is in a selected namespace: three
 * disjoint selectors joined by `or`, so no series is computed twice.
 */
import { oneOf, or, positive, rate, selector, sumBy, type LabelMatcher } from './promql.js';

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

/**
 * The graph's queries for `namespaces` over `duration` seconds: one per family whatever the namespaces (8, or 5
 * without response times).
 */
export function graphQueries(namespaces: readonly string[], duration: number, options: { responseTimes?: boolean } = {}): GraphQuery[] {
  if (namespaces.length === 0) return [];
  const families = options.responseTimes === false ? FAMILIES.filter((f) => !RESPONSE_TIME_FAMILIES.has(f.metric)) : FAMILIES;
  // Sidecars report as source and destination, ztunnel as destination (L4 only), waypoints as waypoint (L7).
  const reporters: LabelMatcher = { label: 'reporter', op: '=~', value: 'source|destination|waypoint' };
  const selections = namespaceSelections(namespaces);
  return families.map(({ metric, group }) => ({
    family: metric,
    promql: or(selections.map((ms) => positive(sumBy(group, rate(selector(metric, [reporters, ...ms]), duration))))),
  }));
}

