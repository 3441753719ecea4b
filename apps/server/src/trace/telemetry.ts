/**
 * Configuration against telemetry: next to each path of a trace, what the window's workload graph shows from the
 * same source toward the same destination, and where the two disagree, a sentence that says so. Seed 001: the
 * configuration (VirtualService eg1) meant the egress gateway, the trace and the telemetry both say
 * PassthroughCluster. Pure: a function of the inventory, the trace and a graph built from the window's samples.
 */
import { serviceByHost, trafficEdges, type Inventory } from '@meshlens/mesh';
import type {
  Endpoint, GraphResponse, PathTelemetry, Protocol, TraceIntent, TraceNodeView, TracePath, TraceProtocol, TraceResult, TraceSource, TraceTelemetry,
  TraceTelemetryEdge,
} from '@meshlens/model';
import { gatewayRole } from './intent.js';

/** The workload graph's node of the traced source: the workload (a pod name stands for its workload), or `unknown`. */
export function sourceNodeOf(inv: Inventory, source: TraceSource): string {
  if (source.kind === 'outside') return 'unknown';
  const direct = inv.workloadsByKey.get(`${source.namespace}/${source.name}`);
  if (direct) return `wl:${direct.namespace}:${direct.name}`;
  const pod = inv.pods.find((p) => p.namespace === source.namespace && p.name === source.name);
  return `wl:${source.namespace}:${pod?.workload ?? source.name}`;
}

/** `wl:default:pod1` → `default/pod1`. */
function nodeName(node: string): string {
  if (node === 'unknown') return 'clients outside the mesh (source unknown)';
  const m = /^wl:([^:]+):(.+)$/.exec(node);
  return m ? `${m[1]}/${m[2]}` : node;
}

/** The diagram's step for an endpoint, with the workload graph's node that stands for it. */
export function endpointView(e: Endpoint): Omit<TraceNodeView, 'observed'> {
  switch (e.kind) {
    case 'client': return { node: 'unknown', label: e.namespace && e.workload ? `${e.namespace}/${e.workload}` : e.description, kind: 'client' };
    case 'workload': return { node: `wl:${e.namespace}:${e.name}`, label: `${e.namespace}/${e.name}`, detail: `${e.pods} pod${e.pods === 1 ? '' : 's'}`, kind: 'workload' };
    // 15008 is HBONE's port: only an ambient waypoint is reached on it (routing/ambient-waypoint.ts)
    case 'gateway': return { node: `wl:${e.namespace}:${e.workload}`, label: `${e.namespace}/${e.workload}`, detail: e.port === 15008 ? 'waypoint, HBONE port 15008' : `gateway, port ${e.port}`, kind: 'gateway' };
    case 'service': return { node: `svc:${e.namespace}:${e.name}`, label: `${e.host}:${e.port}`, ...(e.subset ? { detail: `subset ${e.subset}` } : {}), kind: 'service' };
    case 'serviceEntry': return { node: `se:${e.namespace}:${e.name}`, label: `${e.host}:${e.port}`, detail: `ServiceEntry ${e.namespace}/${e.name}`, kind: 'serviceEntry' };
    case 'passthrough': return { node: 'egress:PassthroughCluster', label: 'PassthroughCluster', detail: `${e.host ?? e.ip}:${e.port}`, kind: 'passthrough' };
    case 'blackhole': return { node: 'egress:BlackHoleCluster', label: 'BlackHoleCluster', detail: `${e.host ?? e.ip}:${e.port}`, kind: 'blackhole' };
    case 'external': return { ...(e.ip ? { node: `ext:${e.ip}:${e.port}` } : {}), label: `${e.host ?? e.ip}:${e.port}`, detail: 'outside the mesh', kind: 'external' };
  }
}

/**
 * Whether an endpoint is a node of its own in the workload graph, one that a proxy reports traffic to: workloads,
 * gateways, egress clusters; a Service or ServiceEntry only where no workload follows it (a request that ended there).
 */
function isTrafficNode(e: Endpoint, prev: Endpoint | undefined, next: Endpoint | undefined): boolean {
  switch (e.kind) {
    case 'client': case 'workload': case 'gateway': case 'passthrough': case 'blackhole': return true;
    case 'service': case 'serviceEntry': return next === undefined || (next.kind !== 'workload' && next.kind !== 'gateway');
    case 'external': return e.ip !== undefined && prev?.kind !== 'serviceEntry' && prev?.kind !== 'passthrough' && prev?.kind !== 'blackhole';
  }
}

/** The telemetry protocols a hop of this protocol is reported as (TLS passed through is TCP to Istio). */
function telemetryProtocols(p: TraceProtocol): Protocol[] {
  if (p === 'http' || p === 'http2') return ['http', 'grpc'];
  if (p === 'grpc') return ['grpc', 'http'];
  return ['tcp'];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The window's outbound edges of `node`, with the destination hosts their responses name. */
export function outboundEdges(graph: GraphResponse, node: string): TraceTelemetryEdge[] {
  const byKey = new Map(graph.elements.edges.filter((e) => e.data.source === node).map((e) => [`${e.data.target}|${e.data.traffic.protocol}`, e.data]));
  return trafficEdges(graph, new Set([node]))
    .filter((e) => e.direction === 'outbound' && e.node === node)
    .map((e) => {
      const hosts: Record<string, number> = {};
      for (const detail of Object.values(byKey.get(`${e.peer.id}|${e.protocol}`)?.traffic.responses ?? {})) {
        for (const [host, share] of Object.entries(detail.hosts)) hosts[host] = round1((hosts[host] ?? 0) + share);
      }
      return { ...e, hosts };
    });
}

interface Ask {
  /** The request's host (or IP), as telemetry would name it. */
  host?: string;
  protocols: Protocol[];
  /** The host is outside the cluster (no Service has it): TCP to an egress cluster, whose host Istio does not report, may be it. */
  external: boolean;
}

/**
 * An edge that may carry this request: of its protocol and, toward an egress cluster, naming its host — or, for TCP,
 * whose host Istio reports as `unknown`, when the request leaves the cluster (a Service's host never reaches an
 * egress cluster unless the configuration sends it there).
 */
function carries(e: TraceTelemetryEdge, ask: Ask, expected?: string): boolean {
  if (!ask.protocols.includes(e.protocol) || e.rate <= 0) return false;
  if (!e.peer.egressCluster) return true;
  const hosts = Object.keys(e.hosts);
  if (hosts.length === 0) return true;
  if (ask.host !== undefined && hosts.includes(ask.host)) return true;
  return e.protocol === 'tcp' && hosts.includes('unknown') && (ask.external || e.peer.id === expected);
}

const BYTE_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'];
function significant(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  return Number(value.toPrecision(2)).toString();
}

/** `61 KiB/s of TCP`, `0.13 rps of HTTP` (the console's units, format/units.ts). */
export function rateWords(protocol: Protocol, rate: number): string {
  if (protocol !== 'tcp') return `${significant(rate)} rps of ${protocol === 'grpc' ? 'gRPC' : 'HTTP'}`;
  let value = rate;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${significant(value)} ${BYTE_UNITS[unit]} of TCP`;
}

/** `10 minutes`, `1 hour`, `2 days`. */
export function durationWords(seconds: number): string {
  const units: Array<[number, string]> = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, word] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${word}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** The edges, by protocol, in words: `61 KiB/s of TCP to PassthroughCluster`. */
function edgesWords(edges: TraceTelemetryEdge[], withPeer: boolean): string {
  const totals = new Map<string, { protocol: Protocol; rate: number; peer: string }>();
  for (const e of edges) {
    const key = `${withPeer ? e.peer.label : ''}|${e.protocol}`;
    const t = totals.get(key) ?? { protocol: e.protocol, rate: 0, peer: e.peer.label };
    t.rate += e.rate;
    totals.set(key, t);
  }
  return [...totals.values()].map((t) => `${rateWords(t.protocol, t.rate)}${withPeer ? ` to ${t.peer}` : ''}`).join(' and ');
}

/** `; 33% of them failed (Envoy flags UO)` for HTTP and gRPC edges with errors, else nothing. */
function failureWords(edges: TraceTelemetryEdge[]): string {
  const l7 = edges.filter((e) => e.protocol !== 'tcp');
  const total = l7.reduce((n, e) => n + e.rate, 0);
  if (total <= 0) return '';
  const failed = l7.reduce((n, e) => n + e.rate * (e.errorPercent ?? 0) / 100, 0);
  if (failed <= 0) return '';
  const flags = [...new Set(l7.flatMap((e) => Object.keys(e.responseFlags).filter((f) => f !== '-')))].sort();
  const share = Math.round((failed / total) * 1000) / 10;
  return `; ${share}% of them failed${flags.length > 0 ? ` (Envoy flag${flags.length === 1 ? '' : 's'} ${flags.join(', ')})` : ''}`;
}

/** Where a step sends the request, in words: `through the egress gateway istio-system/istio-egressgateway`. */
function stepWords(inv: Inventory, e: Endpoint): string {
  switch (e.kind) {
    case 'gateway': {
      const w = inv.workloadsByKey.get(`${e.namespace}/${e.workload}`);
      return `through the ${(w && gatewayRole(w)) ?? 'gateway'} ${e.namespace}/${e.workload}`;
    }
    case 'workload': return `to workload ${e.namespace}/${e.name}`;
    case 'service': return `to ${e.host}:${e.port}${e.subset ? ` (subset ${e.subset})` : ''}, which no pod answers`;
    case 'serviceEntry': return `to ${e.host}:${e.port} (ServiceEntry ${e.namespace}/${e.name})`;
    case 'passthrough': return `to PassthroughCluster, straight to ${e.host ?? e.ip}:${e.port}`;
    case 'blackhole': return `to BlackHoleCluster, where it is dropped`;
    case 'external': return `to ${e.host ?? e.ip}:${e.port}`;
    case 'client': return `to ${e.description}`;
  }
}

/** The short name of an intent's target for "… and nothing to the egress gateway". */
function intentShort(intent: TraceIntent): string {
  const t = intent.target;
  if (t.kind === 'gateway') return `the ${t.role ?? 'gateway'}`;
  if (t.kind === 'service') return `Service ${t.namespace}/${t.name}`;
  if (t.kind === 'serviceEntry') return `ServiceEntry ${t.namespace}/${t.name}`;
  return t.fqdn;
}

/** Why the proxy does not apply an ignored rule, as a clause: "because no Service or ServiceEntry defines en.wikipedia.org". */
function whyClause(why: string): string {
  const m = /no Service or ServiceEntry defines ([^\s,]+)/.exec(why);
  return m ? `because no Service or ServiceEntry defines ${m[1]}` : `(${why.replace(/\.$/, '')})`;
}

interface Leg {
  from: number;
  to: number;
  observed: boolean;
}

interface Context {
  inv: Inventory;
  source: TraceSource;
  sourceNode: string;
  sourceWords: string;
  edges: TraceTelemetryEdge[];
  graphNodes: Set<string>;
  graph: GraphResponse;
  window: string;
  host?: string;
  /** The request's host is outside the cluster (see Ask). */
  external: boolean;
  available: boolean;
  unavailable?: string;
  /** The source is a workload without a sidecar (not a gateway): it reports nothing itself. */
  noSidecar: boolean;
}

/** The steps of a path, with the legs between its traffic nodes and whether the window saw each. */
function stepsOf(ctx: Context, eps: Endpoint[], protocols: TraceProtocol[]): { views: TraceNodeView[]; legs: Leg[]; traffic: number[] } {
  const base = eps.map(endpointView);
  const traffic = eps.map((e, i) => i).filter((i) => i === 0 || isTrafficNode(eps[i]!, eps[i - 1], eps[i + 1]));
  const legs: Leg[] = [];
  for (let k = 1; k < traffic.length; k++) {
    const from = traffic[k - 1]!;
    const to = traffic[k]!;
    const a = base[from]!.node;
    const b = base[to]!.node;
    const ask: Ask = { host: ctx.host, external: ctx.external, protocols: telemetryProtocols(protocols[to - 1] ?? protocols[0] ?? 'http') };
    const observed = ctx.available && a !== undefined && b !== undefined
      && (a === ctx.sourceNode ? ctx.edges : outboundEdges(ctx.graph, a)).some((e) => e.peer.id === b && carries(e, ask, b));
    legs.push({ from, to, observed });
  }
  const views: TraceNodeView[] = base.map((v, i) => {
    if (i === 0) return { ...v, observed: ctx.graphNodes.has(ctx.sourceNode) };
    const into = legs.find((l) => l.to === i);
    const out = legs.find((l) => l.from === i);
    if (into || out) return { ...v, observed: Boolean(into?.observed || out?.observed) };
    // a step inside a leg (a Service before its pods) is seen when the leg is; one after the last traffic node, when that node is
    const inside = legs.find((l) => l.from < i && l.to > i);
    if (inside) return { ...v, observed: inside.observed };
    const last = [...traffic].reverse().find((t) => t < i) ?? 0;
    const lastLeg = legs.find((l) => l.to === last);
    return { ...v, observed: last === 0 ? ctx.graphNodes.has(ctx.sourceNode) && legs.length === 0 : Boolean(lastLeg?.observed) };
  });
  return { views, legs, traffic };
}

function pathTelemetry(ctx: Context, path: TracePath, intents: TraceIntent[]): PathTelemetry {
  const first = path.hops[0];
  const eps: Endpoint[] = first ? [first.from, ...path.hops.map((h) => h.to)] : [];
  const protocols = path.hops.map((h) => h.protocol);
  const { views, traffic } = stepsOf(ctx, eps, protocols);
  const ask: Ask = { host: ctx.host, external: ctx.external, protocols: telemetryProtocols(first?.protocol ?? 'http') };
  const expectedIndex = traffic[1];
  const expectedNode = expectedIndex !== undefined ? views[expectedIndex]!.node : undefined;
  const expectedLabel = expectedIndex !== undefined ? views[expectedIndex]!.label : undefined;
  const relevant = ctx.edges.filter((e) => carries(e, ask, expectedNode));
  // requests that never reached a workload end at the Service (or ServiceEntry) before it: an overflow (UO) at the client
  const onTheWay = new Set(expectedIndex !== undefined ? views.slice(1, expectedIndex + 1).map((v) => v.node).filter((n): n is string => n !== undefined) : []);
  const matching = relevant.filter((e) => onTheWay.has(e.peer.id));
  const related = new Set(views.map((v) => v.node).filter((n): n is string => n !== undefined));
  for (const i of intents) for (const w of i.target.workloads) related.add(`wl:${w.replace('/', ':')}`);
  const elsewhere = relevant.filter((e) => !onTheWay.has(e.peer.id)
    && (e.peer.egressCluster !== undefined || related.has(e.peer.id) || (ctx.host !== undefined && e.hosts[ctx.host] !== undefined)));
  const out: PathTelemetry = { nodes: views, matching, elsewhere, verdict: 'unknown', summary: '' };
  if (expectedNode && expectedLabel) out.expected = { node: expectedNode, label: expectedLabel };
  const src = ctx.sourceWords;

  if (!ctx.available) {
    out.summary = ctx.unavailable ?? 'The telemetry of the window is unavailable: nothing to compare the configuration with.';
  } else if (!expectedNode || !first) {
    out.summary = ctx.noSidecar
      ? `${src} has no sidecar and nothing on this path has a proxy: no proxy reports this request, so the telemetry cannot show it.`
      : 'No proxy on this path reports its requests against a node of the graph, so the telemetry cannot show it.';
  } else if (!ctx.graphNodes.has(ctx.sourceNode) || ctx.edges.length === 0) {
    out.verdict = 'no-traffic';
    out.summary = `In ${ctx.window} the telemetry shows no traffic from ${src} at all.`;
  } else if (matching.length > 0) {
    out.verdict = 'agrees';
    const hosts = matching.flatMap((e) => Object.keys(e.hosts));
    const hostNote = matching.some((e) => e.peer.egressCluster) && hosts.length > 0 && hosts.every((h) => h === 'unknown')
      ? ` (Istio does not report the host of TCP traffic there, so it may carry other hosts too)` : '';
    out.summary = `In ${ctx.window} ${src} sent ${edgesWords(matching, false)} to ${expectedLabel}, as the configuration says${hostNote}${failureWords(matching)}.`;
  } else if (elsewhere.length > 0) {
    out.verdict = 'disagrees';
    out.summary = `In ${ctx.window} ${src} sent nothing of this kind to ${expectedLabel}, but ${edgesWords(elsewhere, true)}.`;
    out.disagreement = `The configuration sends this request ${stepWords(ctx.inv, eps[expectedIndex!]!)}, but in ${ctx.window} the telemetry shows ${src} sending ${edgesWords(elsewhere, true)}, and nothing to ${expectedLabel}.`;
  } else {
    out.verdict = 'no-traffic';
    out.summary = `In ${ctx.window} the telemetry shows no ${ask.protocols[0] === 'grpc' ? 'gRPC' : ask.protocols[0]!.toUpperCase()} traffic from ${src} to ${expectedLabel}.`;
  }

  const intent = intents[0];
  if (intent) {
    const tNode = intent.target.workloads[0] ? `wl:${intent.target.workloads[0].replace('/', ':')}` : intent.target.kind === 'serviceEntry' ? `se:${intent.target.namespace}:${intent.target.name}` : undefined;
    const seen = ctx.available && tNode !== undefined && relevant.some((e) => e.peer.id === tNode);
    const srcView = views[0] ?? { label: nodeName(ctx.sourceNode), kind: 'workload', node: ctx.sourceNode, observed: ctx.graphNodes.has(ctx.sourceNode) };
    const serviceView: TraceNodeView = {
      label: `${intent.target.fqdn}${intent.target.port ? `:${intent.target.port}` : ''}`,
      ...(intent.target.subset ? { detail: `subset ${intent.target.subset}` } : {}),
      kind: intent.target.kind === 'serviceEntry' ? 'serviceEntry' : 'service',
      observed: seen,
    };
    out.intended = [srcView, serviceView, ...intent.target.workloads.map((w): TraceNodeView => ({
      node: `wl:${w.replace('/', ':')}`, label: w, ...(intent.target.role ? { detail: intent.target.role } : {}), kind: intent.target.kind === 'gateway' ? 'gateway' : 'workload', observed: seen,
    }))];
    if (tNode !== expectedNode) {
      const proxy = ctx.source.kind === 'workload' ? `the sidecar of ${src}` : ctx.source.kind === 'gateway' ? `the gateway ${src}` : 'the proxy';
      const meant = `The configuration meant ${intent.target.description}: ${intent.sentence.replace(/: [^:]*\.$/, '')} (${intent.rule.path}), but ${proxy} never applies it, ${whyClause(intent.whyIgnored)}.`;
      let telemetry = '';
      if (ctx.available) {
        if (seen) {
          const toTarget = relevant.filter((e) => e.peer.id === tNode);
          telemetry = ` Yet in ${ctx.window} the telemetry shows ${src} sending ${edgesWords(toTarget, false)} to ${intentShort(intent)}: the configuration may have changed within the window.`;
        } else if (out.verdict === 'agrees') {
          telemetry = ` The telemetry agrees with the trace, not with that intent: in ${ctx.window} ${src} sent ${edgesWords(matching, false)} to ${expectedLabel} and nothing to ${intentShort(intent)}.`;
        } else if (out.verdict === 'disagrees') {
          telemetry = ` In ${ctx.window} the telemetry shows ${src} sending ${edgesWords(elsewhere, true)}, and nothing to ${intentShort(intent)}.`;
        } else {
          telemetry = ` In ${ctx.window} the telemetry shows no traffic from ${src} to ${expectedLabel} or to ${intentShort(intent)}.`;
        }
      }
      out.disagreement = `${meant}${telemetry}${out.disagreement ? ` ${out.disagreement}` : ''}`;
    }
  }
  return out;
}

/** Compares each path of `result` with the window's workload graph `graph` (built over the namespaces the paths touch). */
export function compareWithTelemetry(
  inv: Inventory, result: TraceResult, intents: TraceIntent[], graph: GraphResponse | undefined, window: { duration: number; queryTime: number; live: boolean },
  unavailable?: string,
): TraceTelemetry {
  const source = result.request.source;
  const sourceNode = sourceNodeOf(inv, source);
  const g: GraphResponse = graph ?? { timestamp: window.queryTime, duration: window.duration, graphType: 'workload', namespaces: [], elements: { nodes: [], edges: [] } };
  const span = durationWords(window.duration);
  const host = result.request.host ?? result.request.ip;
  const wl = source.kind === 'outside' ? undefined : inv.workloadsByKey.get(nodeName(sourceNode));
  const noSidecar = wl !== undefined && !wl.hasSidecar && !gatewayRole(wl);
  const ctx: Context = {
    inv, source, sourceNode,
    sourceWords: source.kind === 'outside' ? 'clients outside the mesh' : nodeName(sourceNode),
    edges: outboundEdges(g, sourceNode),
    graphNodes: new Set(g.elements.nodes.map((n) => n.data.id)),
    graph: g,
    window: window.live ? `the last ${span}` : `the ${span} up to ${new Date(window.queryTime * 1000).toISOString().replace('.000Z', 'Z')}`,
    ...(host !== undefined ? { host } : {}),
    external: host !== undefined && !serviceByHost(inv, host, source.kind === 'outside' ? undefined : source.namespace) && !host.endsWith(`.svc.${inv.clusterDomain}`),
    available: graph !== undefined && unavailable === undefined,
    ...(unavailable !== undefined ? { unavailable } : {}),
    noSidecar,
  };
  const out: TraceTelemetry = {
    duration: window.duration,
    queryTime: window.queryTime,
    sourceNode,
    paths: result.paths.map((p, i) => pathTelemetry(ctx, p, intents.filter((x) => x.pathIndex === i))),
  };
  const notes = [
    unavailable,
    source.kind === 'outside' ? 'A client outside the mesh has no proxy: the telemetry shows its requests only as the proxies that receive them report them, with the source unknown.' : undefined,
    noSidecar ? `${ctx.sourceWords} has no sidecar: its requests appear in the telemetry only as the proxies that receive them report them, with the source unknown.` : undefined,
  ].filter((n): n is string => n !== undefined);
  if (notes.length > 0) out.note = notes.join(' ');
  return out;
}
