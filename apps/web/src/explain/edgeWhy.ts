/**
 * The graph panel's "Why" for an edge: which edges get one, the request the tracer is asked about (from the edge's
 * telemetry — for TCP to PassthroughCluster, where Istio reports no host, from the source proxy's access log or the
 * hosts the configuration names), and the tracer's answer told in one sentence with the rules that decided it. Pure.
 */
import type { EdgeData, Endpoint, NodeData, PathTelemetry, PodLogLine, RuleRef, TraceHostSuggestion, TraceIntent, TracePath, TraceResponse } from '@meshlens/model';
import { formatRef, ruleLineKey, type ObjectRef } from '@meshlens/model';
import { edgePercentErr, edgeTotal } from '../graph/edgeTraffic';
import { edgeRequest, edgeUrl } from '../pages/trace/edgeTrace';

/**
 * Why an edge gets a "Why" section: it leaves the mesh's registry (`passthrough`, `blackhole`), it carries errors, or
 * (`check`) the tracer is asked anyway and the section shows only when the telemetry disagrees with the configuration.
 */
export type WhyReason = 'passthrough' | 'blackhole' | 'errors' | 'check';

/** Whether some of the edge's traffic failed: HTTP/gRPC errors, or Envoy response flags on TCP connections. */
export function edgeHasErrors(edge: EdgeData): boolean {
  if (edge.traffic.protocol !== 'tcp') return edgeTotal(edge) > 0 && edgePercentErr(edge) > 0;
  return Object.values(edge.traffic.responses).some((detail) => Object.entries(detail.flags).some(([flag, share]) => flag !== '-' && share > 0));
}

/** The reason an edge gets a Why section; null for edges drawn from configuration alone (no traffic to explain). */
export function whyReason(edge: EdgeData, target: NodeData | undefined): WhyReason | null {
  if (edge.isConfigured || edge.reporter === 'none') return null;
  if (target?.isEgressCluster === 'PassthroughCluster') return 'passthrough';
  if (target?.isEgressCluster === 'BlackHoleCluster') return 'blackhole';
  if (edgeHasErrors(edge)) return 'errors';
  return 'check';
}

/** A destination the source's proxy logged for an egress cluster: the SNI or authority, else the address. */
export interface LoggedHost {
  host: string;
  port?: number;
  /** The TLS server name was logged (the connection is TLS). */
  sni: boolean;
  /** Lines that named it. */
  count: number;
}

function portOf(address: string | undefined): number | undefined {
  const m = address ? /:(\d+)$/.exec(address) : null;
  return m ? Number(m[1]) : undefined;
}

function hostOfAddress(address: string | undefined): string | undefined {
  if (!address || address === '-') return undefined;
  const m = /^\[?([^\]]+?)\]?:\d+$/.exec(address);
  return m ? m[1] : address;
}

/**
 * The destinations an Envoy access log names for `cluster` (`PassthroughCluster`, `BlackHoleCluster`), most logged first:
 * what Istio's TCP metrics cannot say (they report the host of passthrough TCP as `unknown`), the proxy's log can.
 */
export function hostsOfAccessLog(lines: PodLogLine[], cluster: string): LoggedHost[] {
  const out = new Map<string, LoggedHost>();
  for (const line of lines) {
    const log = line.accessLog;
    if (!log || log.upstreamCluster !== cluster || log.direction === 'inbound') continue;
    const sniName = log.requestedServerName && log.requestedServerName !== '-' ? log.requestedServerName : undefined;
    const authority = log.authority && log.authority !== '-' ? log.authority.replace(/:\d+$/, '') : undefined;
    const host = sniName ?? authority ?? hostOfAddress(log.downstreamLocalAddress) ?? hostOfAddress(log.upstreamHost);
    if (!host) continue;
    const port = portOf(log.downstreamLocalAddress) ?? portOf(log.upstreamHost) ?? portOf(log.authority);
    const key = `${host}:${port ?? ''}`;
    const seen = out.get(key);
    if (seen) seen.count++;
    else out.set(key, { host, ...(port !== undefined ? { port } : {}), sni: sniName !== undefined, count: 1 });
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.host.localeCompare(b.host));
}

/** Where the traced host comes from, told next to the answer. */
export type HostSource = 'telemetry' | 'destination' | 'access-log' | 'configuration';

/** The request the tracer answers for an edge, or why there is none. */
export type WhyRequest =
  | { from: string; url: string; hostFrom: HostSource; host: string }
  | { from: string | null; url: null; missing: string };

const bracket = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** A URL for a host the proxy logged: `https://` for TLS on 443, `tls://host:port` for TLS elsewhere, `tcp://`, `http://`. */
export function urlOfLoggedHost(h: LoggedHost, protocol: EdgeData['traffic']['protocol']): string | null {
  const host = bracket(h.host);
  if (protocol !== 'tcp') return `${protocol}://${host}${h.port !== undefined && !(protocol === 'http' && h.port === 80) ? `:${h.port}` : ''}`;
  if (h.sni) return h.port === undefined || h.port === 443 ? `https://${host}` : `tls://${host}:${h.port}`;
  return h.port !== undefined ? `tcp://${host}:${h.port}` : null;
}

/**
 * Hosts the configuration names that may be what leaves through an egress cluster: VirtualService hosts bound to the
 * mesh that look external (not a cluster-local name), as `/api/config` lists them.
 */
export function externalHostsOfConfig(items: Array<{ ref: { kind: string }; hosts?: string[]; gateways?: string[] }>): string[] {
  const out = new Set<string>();
  for (const item of items) {
    if (item.ref.kind !== 'VirtualService') continue;
    const mesh = !item.gateways || item.gateways.length === 0 || item.gateways.includes('mesh');
    if (!mesh) continue;
    for (const h of item.hosts ?? []) if (h.includes('.') && !h.endsWith('.cluster.local') && !/\.svc$/.test(h) && h !== '*') out.add(h);
  }
  return [...out].sort();
}

/**
 * The request behind an edge: its source workload, and the destination host as the edge's telemetry names it (the
 * destination node's Service or ServiceEntry, the Host of passthrough HTTP); for TCP to an egress cluster, the host the
 * source's proxy logged, else the first external host the configuration names.
 */
export function whyRequest(
  edge: EdgeData,
  source: NodeData | undefined,
  target: NodeData | undefined,
  known: { suggestions?: TraceHostSuggestion[]; loggedHosts?: LoggedHost[]; configHosts?: string[] } = {},
): WhyRequest {
  const base = edgeRequest(edge, source, target);
  if (!base.from) return { from: null, url: null, missing: 'its source is not a workload the tracer can start from' };
  if (base.host) {
    const url = edgeUrl(base, base.needsPort ? known.suggestions ?? [] : []);
    if (url) return { from: base.from, url, host: base.host, hostFrom: target?.isEgressCluster ? 'telemetry' : 'destination' };
    return { from: base.from, url: null, missing: `the port of ${base.host} is not known yet` };
  }
  if (target?.isEgressCluster) {
    for (const logged of known.loggedHosts ?? []) {
      const url = urlOfLoggedHost(logged, edge.traffic.protocol);
      if (url) return { from: base.from, url, host: logged.host, hostFrom: 'access-log' };
    }
    const named = known.configHosts?.[0];
    if (named) {
      const url = edge.traffic.protocol === 'tcp' ? `https://${named}` : `${edge.traffic.protocol}://${named}`;
      return { from: base.from, url, host: named, hostFrom: 'configuration' };
    }
    return { from: base.from, url: null, missing: `Istio reports no host for ${edge.traffic.protocol.toUpperCase()} to ${target.isEgressCluster}, and neither the proxy's log nor the configuration names one` };
  }
  return { from: base.from, url: null, missing: "the edge's telemetry names no destination host" };
}

/** Where the traced host comes from, in words (after "Traced for …"). */
export const HOST_SOURCE_WORDS: Record<HostSource, string> = {
  telemetry: "the host the edge's telemetry names",
  destination: 'the destination of the edge',
  'access-log': "the host the source proxy's access log names (Istio's TCP metrics do not report it)",
  configuration: "a host the configuration names (Istio's TCP metrics do not report it, and the proxy's log was not readable)",
};

/** A rule of the answer, with its line on its object page. */
export interface WhyRule {
  rule: RuleRef;
  line?: number;
  /** `decided`: applied on the path; `meant`: an ignored rule and what it meant; `limit`: a fault, pool or TLS setting. */
  role: 'decided' | 'meant' | 'limit';
}

/** The tracer's answer for an edge's traffic, in words. */
export interface EdgeWhy {
  /** One sentence. */
  sentence: string;
  /** Why, in the tracer's own words. */
  because?: string;
  rules: WhyRule[];
  /** The configuration meant the traffic elsewhere, or the telemetry went elsewhere than the configuration says. */
  disagrees: boolean;
  /** Some of the requests fail by configuration (fault, no route, blackhole…). */
  failsByConfig: boolean;
}

const PROTOCOL_WORDS: Record<string, string> = { http: 'HTTP', https: 'HTTPS', grpc: 'gRPC', tls: 'TLS', tcp: 'TCP' };

function sourceText(trace: TraceResponse): string {
  const s = trace.result.request.source;
  return s.kind === 'outside' ? 'outside the mesh' : `${s.namespace}/${s.name}`;
}

/** `HTTPS to en.wikipedia.org:443 from default/pod1`. */
export function requestText(trace: TraceResponse): string {
  const r = trace.result.request;
  return `${PROTOCOL_WORDS[r.protocol] ?? r.protocol.toUpperCase()} to ${r.host ?? r.ip ?? '?'}:${r.port} from ${sourceText(trace)}`;
}

function endpointWords(e: Endpoint): string {
  switch (e.kind) {
    case 'client': return e.description;
    case 'gateway': return `the gateway ${e.namespace}/${e.workload}`;
    case 'service': return `${e.host}${e.subset ? ` (subset ${e.subset})` : ''}`;
    case 'workload': return `the workload ${e.namespace}/${e.name}`;
    case 'serviceEntry': return `${e.host} (ServiceEntry ${e.namespace}/${e.name})`;
    case 'passthrough': return 'PassthroughCluster';
    case 'blackhole': return 'BlackHoleCluster';
    case 'external': return `${e.host ?? e.ip}:${e.port} outside the mesh`;
  }
}

function outcomeWords(path: TracePath): string {
  const o = path.outcome;
  switch (o.kind) {
    case 'delivered': return 'delivered';
    case 'fault-abort': return `aborted with ${o.responseCode} by an injected fault (FI)`;
    case 'no-route': return 'answered 404 NR (no route)';
    case 'blackhole': return 'dropped by BlackHoleCluster (502 for HTTP)';
    case 'no-healthy-upstream': return `answered ${o.responseCode} ${o.responseFlags === '-' ? '' : `${o.responseFlags} `}(no healthy upstream)`;
    case 'timeout': return "answered 504 UT (the route's timeout)";
    case 'connection-refused': return 'answered 503 UF (connection failure)';
    case 'denied-by-policy': return `refused by ${o.policy ? formatRef(o.policy) : `an ${o.action} AuthorizationPolicy`} (${o.responseCode === 403 ? '403' : 'connection closed'})`;
    case 'plaintext-refused': return `refused: plaintext to a STRICT mTLS server${o.policy ? ` (${formatRef(o.policy)})` : ''}`;
    default: return 'not delivered';
  }
}

/** The index of the trace path that is the edge's: its steps (as the trace's telemetry draws them) reach the edge's target. */
export function pathOfEdge(trace: TraceResponse, targetId: string, target?: Pick<NodeData, 'isEgressCluster'>): number {
  const byNode = trace.telemetry.paths.findIndex((p) => p.expected?.node === targetId || p.nodes.some((n, i) => i > 0 && n.node === targetId));
  if (byNode >= 0) return byNode;
  if (target?.isEgressCluster) {
    const kind = target.isEgressCluster === 'PassthroughCluster' ? 'passthrough' : 'blackhole';
    const byKind = trace.result.paths.findIndex((p) => p.destination.kind === kind);
    if (byKind >= 0) return byKind;
  }
  return 0;
}

function withLines(trace: TraceResponse, rules: Array<{ rule: RuleRef; role: WhyRule['role'] }>): WhyRule[] {
  const seen = new Set<string>();
  const out: WhyRule[] = [];
  for (const { rule, role } of rules) {
    const key = ruleLineKey(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    const line = trace.ruleLines[key];
    out.push({ rule, role, ...(line !== undefined ? { line } : {}) });
  }
  return out;
}

/** The rules that decided a path, the ignored rules that meant it elsewhere, and its limits (faults, pools, TLS). */
export function decidingRules(trace: TraceResponse, pathIndex: number): WhyRule[] {
  const path = trace.result.paths[pathIndex];
  const rules: Array<{ rule: RuleRef; role: WhyRule['role'] }> = [];
  for (const intent of trace.intents.filter((i) => i.pathIndex === pathIndex)) rules.push({ rule: intent.rule, role: 'meant' });
  for (const hop of path?.hops ?? []) for (const rule of hop.decidedBy) rules.push({ rule, role: 'decided' });
  for (const hop of path?.hops ?? []) for (const step of hop.security ?? []) if (step.verdict !== 'allowed') for (const rule of step.decidedBy) rules.push({ rule, role: 'decided' });
  if (path?.fault?.abort) rules.push({ rule: path.fault.abort.rule, role: 'limit' });
  if (path?.fault?.delay) rules.push({ rule: path.fault.delay.rule, role: 'limit' });
  if (path?.connectionPool) rules.push({ rule: path.connectionPool.rule, role: 'limit' });
  if (path?.tls?.rule) rules.push({ rule: path.tls.rule, role: 'limit' });
  return withLines(trace, rules);
}

function intentOf(trace: TraceResponse, pathIndex: number, target: NodeData | undefined): TraceIntent | undefined {
  const intent = trace.intents.find((i) => i.pathIndex === pathIndex) ?? trace.intents[0];
  // the traffic went where the ignored rule meant it: nothing to tell apart
  if (intent && target?.workload && intent.target.workloads.includes(`${target.namespace}/${target.workload}`)) return undefined;
  return intent;
}

/**
 * The tracer's answer for an edge's traffic in one sentence (and why): what the configuration meant or does with it,
 * and where the telemetry shows it went — the edge's target, `targetLabel`.
 */
export function explainEdge(
  trace: TraceResponse,
  edge: Pick<EdgeData, 'target'> & Partial<Pick<EdgeData, 'traffic'>>,
  target: NodeData | undefined,
  targetLabel: string,
  reason: WhyReason,
  /** Objects that apply to the destination with a fault (FI badge), named when the telemetry shows injected faults. */
  faultObjects: ObjectRef[] = [],
): EdgeWhy {
  const edgeOf = edge.traffic ? (edge as Pick<EdgeData, 'traffic'>) : undefined;
  const index = pathOfEdge(trace, edge.target, target);
  const path = trace.result.paths[index];
  const seen: PathTelemetry | undefined = trace.telemetry.paths[index];
  const rules = decidingRules(trace, index);
  const request = requestText(trace);
  const failsByConfig = trace.result.paths.some((p) => p.outcome.kind !== 'delivered');
  const intent = intentOf(trace, index, target);
  if (intent) {
    return {
      sentence: `The configuration (${formatRef(intent.rule.object)}) meant this traffic (${request}) for ${intent.target.description}, but it went to ${targetLabel}.`,
      because: intent.whyIgnored,
      rules,
      disagrees: true,
      failsByConfig,
    };
  }
  if (!path) {
    return { sentence: `The tracer finds no path for this traffic (${request}).`, because: trace.result.problems.join(' ') || undefined, rules, disagrees: false, failsByConfig };
  }
  const destination = endpointWords(path.destination);
  if (seen?.verdict === 'disagrees') {
    return {
      sentence: `The configuration sends this traffic (${request}) to ${destination}, but it went to ${targetLabel}.`,
      because: seen.disagreement ?? seen.summary,
      rules,
      disagrees: true,
      failsByConfig,
    };
  }
  const lastHop = path.hops[path.hops.length - 1];
  if (path.outcome.kind !== 'delivered') {
    const share = trace.result.paths.length > 1 ? ` (${Math.round(path.weight * 1000) / 10}% of it)` : '';
    return {
      sentence: `The configuration sends this traffic (${request}) to ${destination}, where it is ${outcomeWords(path)}${share}.`,
      because: lastHop?.explanation,
      rules,
      disagrees: false,
      failsByConfig,
    };
  }
  if (reason === 'errors' && edgeOf) {
    const flags = edgeFlags(edgeOf);
    const fault = flags.find((f) => f.flag === 'FI' || f.flag === 'DI');
    if (fault && !path.fault) {
      const by = faultObjects.length > 0 ? faultObjects.map(formatRef).join(', ') : 'a VirtualService of the destination';
      return {
        sentence: `${fault.share}% of this traffic (${request}) carries Envoy flag ${fault.flag}: a fault that ${by} injects for the requests its match conditions select, and the traced request, matching none of them, is delivered to ${destination}.`,
        because: 'Istio reports no request headers, so the traced request has none: open the full trace and add the headers the fault rule matches (end-user, cookies…) to see it apply.',
        rules,
        disagrees: false,
        failsByConfig,
      };
    }
    const timedOut = flags.find((f) => f.flag === 'UT');
    if (timedOut && path.timeoutMs !== undefined) {
      return {
        sentence: `The configuration delivers this traffic (${request}) to ${destination} with a ${path.timeoutMs} ms route timeout, and ${timedOut.share}% of it took longer: the proxy answered 504 UT.`,
        because: 'The timeout is the route\'s (its VirtualService rule, below); the destination answered too slowly for it.',
        rules,
        disagrees: false,
        failsByConfig,
      };
    }
    const overflow = flags.find((f) => f.flag === 'UO');
    if (overflow && path.connectionPool) {
      return {
        sentence: `The configuration delivers this traffic (${request}) to ${destination} through a circuit breaker (${formatRef(path.connectionPool.rule.object)}), and ${overflow.share}% of it went over its limits: the proxy answered 503 UO.`,
        because: path.connectionPool.rule.note,
        rules,
        disagrees: false,
        failsByConfig,
      };
    }
    return {
      sentence: `The configuration delivers this traffic (${request}) to ${destination}, so its errors (${flags.length > 0 ? flags.map((f) => `${f.share}% ${f.flag}`).join(', ') : 'response codes only'}) come from the proxies or the destination: no rule on its path fails it.`,
      because: flags.map((f) => FLAG_WORDS[f.flag]).filter(Boolean).join(' ') || 'The destination answered with these errors itself (no Envoy response flag).',
      rules,
      disagrees: false,
      failsByConfig,
    };
  }
  return {
    sentence: `The configuration sends this traffic (${request}) to ${destination}${seen?.verdict === 'agrees' ? ', as the telemetry shows' : ''}.`,
    because: lastHop?.explanation,
    rules,
    disagrees: false,
    failsByConfig,
  };
}

/** Envoy response flags an edge's telemetry carries (not `-`), as percent of the edge, most first. */
export function edgeFlags(edge: Pick<EdgeData, 'traffic'>): Array<{ flag: string; share: number }> {
  const shares = new Map<string, number>();
  for (const detail of Object.values(edge.traffic.responses)) {
    for (const [flag, share] of Object.entries(detail.flags)) if (flag !== '-' && share > 0) shares.set(flag, (shares.get(flag) ?? 0) + share);
  }
  return [...shares].map(([flag, share]) => ({ flag, share: Math.round(share * 10) / 10 })).sort((a, b) => b.share - a.share || a.flag.localeCompare(b.flag));
}

/** Envoy's response flags in words, for the errors a routing rule did not cause. */
const FLAG_WORDS: Record<string, string> = {
  UO: 'UO: the circuit breaker (a DestinationRule connectionPool) refused requests over its limit.',
  UH: 'UH: no healthy upstream, every endpoint was ejected or none is ready.',
  UF: 'UF: the proxy could not connect to the destination.',
  URX: 'URX: retries or connection attempts ran out.',
  UT: "UT: the route's timeout expired.",
  UC: 'UC: the upstream closed the connection.',
  NR: 'NR: no route for the request (no matching rule or host).',
  DC: 'DC: the client closed the connection first.',
  RL: 'RL: rate limited.',
  UAEX: 'UAEX: an external authorizer denied the request.',
};

/** Whether a traced edge shows its Why: always for egress clusters and errors; otherwise only when something is off. */
export function showsWhy(reason: WhyReason, why: EdgeWhy | undefined): boolean {
  if (reason !== 'check') return true;
  return why !== undefined && (why.disagrees || why.failsByConfig);
}
