/**
 * The route tracer's API (`GET /api/trace`, `GET /api/trace/suggestions`): the routing core's answer for one request,
 * exactly as `meshlens trace -o json` prints it, with what the console adds around it — where each rule sits on its
 * object page, what an ignored rule meant, and what the window's telemetry shows for the same source and destination.
 */
import type { TrafficEdge } from './entities.js';
import type { RuleRef, TraceResult } from './trace.js';

/** The request as the console and the CLI write it: `--from`, the URL, `-H` headers, `--sni`, `-X`. */
export interface TraceQuery {
  /** `<namespace>/<workload>`, `gateway:<namespace>/<name>` or `outside`. */
  from: string;
  /** `https://en.wikipedia.org`, `http://reviews:9080/reviews/0`, `tcp://tcp-echo:9000`… */
  url: string;
  /** `name: value`, in order. */
  headers: string[];
  sni?: string;
  method?: string;
  /** `--principal`: the caller's mTLS identity (SPIFFE id or `ns/sa`) where it cannot be derived. */
  principal?: string;
  /** `--request-principal`: the request's JWT principal `<iss>/<sub>`. */
  requestPrincipal?: string;
}

/** The key of a rule in `TraceResponse.ruleLines`: its object and YAML path. */
export function ruleLineKey(rule: Pick<RuleRef, 'object' | 'path'>): string {
  return `${rule.object.kind}/${rule.object.namespace ?? ''}/${rule.object.name}#${rule.path}`;
}

/** What a rule that is not applied meant to do with the request. */
export interface TraceIntent {
  /** The path (index into `result.paths`) and hop whose decision ignored the rule. */
  pathIndex: number;
  hopIndex: number;
  /** The route that would have decided (`VirtualService istio-system/eg1 spec.tls[0].route[0]`). */
  rule: RuleRef;
  /** Where it meant to send the request. */
  target: IntentTarget;
  /** In words: "VirtualService istio-system/eg1 routes *.wikipedia.org from the mesh to the egress gateway …". */
  sentence: string;
  /** Why the proxy does not apply it (the trace's own note on the ignored rule). */
  whyIgnored: string;
}

export interface IntentTarget {
  /** `gateway`: a Service whose pods are an Istio ingress or egress gateway. */
  kind: 'gateway' | 'service' | 'serviceEntry' | 'unknown';
  /** The route destination's host as written, and as the registry knows it. */
  host: string;
  fqdn: string;
  subset?: string;
  port?: number;
  /** The Service or ServiceEntry. */
  namespace?: string;
  name?: string;
  /** The workloads behind it (`ns/name`), the gateway proxies for `gateway`. */
  workloads: string[];
  /** `egress gateway`, `ingress gateway`, `gateway`. */
  role?: string;
  /** In words: "the egress gateway istio-system/istio-egressgateway". */
  description: string;
}

/** One edge of the window's telemetry from the traced source, with the destination hosts its responses name. */
export interface TraceTelemetryEdge extends TrafficEdge {
  /** Share (percent) of the edge's requests by destination host; `unknown` for TCP (Istio does not report a host). */
  hosts: Record<string, number>;
}

/** One node of a path as the diagram draws it: a step of the configuration, and whether the window's telemetry saw it. */
export interface TraceNodeView {
  /** The graph node id in a workload graph (`wl:default:pod1`, `egress:PassthroughCluster`, `se:ns:name`), if it has one. */
  node?: string;
  label: string;
  /** A second line: the host and port of an egress cluster, a subset… */
  detail?: string;
  /** `workload`, `gateway`, `service`, `serviceEntry`, `passthrough`, `blackhole`, `external`, `client`. */
  kind: string;
  /** False: only the configuration has this step on the path (no traffic of the window took it): drawn dashed. */
  observed: boolean;
}

/** What the window's telemetry says next to one path of the trace. */
export interface PathTelemetry {
  /** The steps of the path (the source, then each hop's `to`), each marked seen or not. */
  nodes: TraceNodeView[];
  /** The node the source's proxy reports this path's requests against (its first destination with traffic of its own). */
  expected?: { node: string; label: string };
  /** The window's edges from the source to `expected`, of the request's protocol. */
  matching: TraceTelemetryEdge[];
  /** Edges from the source that may carry this request elsewhere (PassthroughCluster, BlackHoleCluster, a node of the host). */
  elsewhere: TraceTelemetryEdge[];
  /** `agrees`: traffic went where the configuration sends it; `disagrees`: it went elsewhere; `no-traffic`: none seen. */
  verdict: 'agrees' | 'disagrees' | 'no-traffic' | 'unknown';
  /** What the telemetry shows, in a sentence. */
  summary: string;
  /** Where the configuration (what it does, or what an ignored rule of it meant) and the telemetry differ, in words. */
  disagreement?: string;
  /** The steps an ignored rule meant the request to take instead (drawn dashed unless seen). */
  intended?: TraceNodeView[];
}

export interface TraceTelemetry {
  /** The window, seconds; its end, unix seconds. */
  duration: number;
  queryTime: number;
  /** The source's node (`wl:default:pod1`; `unknown` for a client outside the mesh). */
  sourceNode: string;
  /** One per path, in the order of `result.paths`. */
  paths: PathTelemetry[];
  /** Why the comparison is partial or impossible (telemetry unavailable, a source with no proxy…). */
  note?: string;
}

/** `GET /api/trace`. */
export interface TraceResponse {
  query: TraceQuery;
  /** What `meshlens trace --from <from> <url> -o json` prints for the same inventory. */
  result: TraceResult;
  /** The 1-based line of each rule in its object page's YAML (`/config/<kind>/<ns>/<name>?line=`), by `ruleLineKey`. */
  ruleLines: Record<string, number>;
  /** Rules the trace shows as ignored, with where they meant to send the request. */
  intents: TraceIntent[];
  telemetry: TraceTelemetry;
  /** Things the user should know (telemetry unavailable, inventory errors…). */
  warnings?: string[];
}

/** `GET /api/trace/suggestions`: what the tracer's form offers, each list bounded. */
export interface TraceSuggestions {
  /** `ns/name` of workloads with a proxy or not (gateway proxies are in `gateways`). */
  workloads: string[];
  /** `gateway:ns/name` of the gateway proxies. */
  gateways: string[];
  /** Registry hosts: Services' FQDNs and ServiceEntry hosts, with the port and scheme a URL would use. */
  hosts: TraceHostSuggestion[];
  /** True when a list was cut at its bound (narrow it with `q=`). */
  truncated: boolean;
}

export interface TraceHostSuggestion {
  /** A URL the form can use as it stands: `http://reviews.bookinfo.svc.cluster.local:9080`, `https://en.wikipedia.org`. */
  url: string;
  host: string;
  /** Where the host comes from: `Service`, `ServiceEntry` or `Gateway` (a server host of a Gateway). */
  kind: 'Service' | 'ServiceEntry' | 'Gateway';
  /** `ns/name` of the object. */
  object: string;
}
