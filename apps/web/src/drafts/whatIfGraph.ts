/**
 * The graph "with drafts", computed in the browser (graph.worker.ts) from the live objects and the drafted ones:
 * - the demo: its traffic simulator re-run over the drafted inventory and the graph assembled by the engine's
 *   graph builder from those samples, as the server does from the simulator's;
 * - other sources (files, cluster, snapshots): the window's graph with the configuration's badges recomputed, and
 *   where the tracer sends a request of an edge elsewhere, the predicted edges (dashed) instead of the ones it leaves.
 * And, for both, the requests whose path changes, for the edge panel's links to the full trace. Pure, for unit tests.
 */
import { buildGraph, traceRequest, viewGraph, type Inventory } from '@meshlens/mesh';
import { allClasses, createSimulator, type TrafficModel } from '@meshlens/demo';
import type { DraftSimulation, EdgeData, Endpoint, GraphResponse, GraphType, NodeData, TelemetrySamples, TraceProtocol, TraceRequest, TraceResult } from '@meshlens/model';
import type { WhatIfEdgeFields } from './graphDiff';

/** The view the page shows: the graph query's options. */
export interface WhatIfView {
  graphType: GraphType;
  namespaces: string[];
  includeIdle: boolean;
  showWaypoints: boolean;
  responseTimes: boolean;
  budget: number;
  expand: string[];
  focus?: string;
  hops?: number;
}

/** Where one request goes, now or with the drafts: the first proxy or destination on its path as a graph node, and its share. */
export interface RequestTarget {
  node: string;
  label: string;
  weight: number;
}

/** A request whose path the drafts change. */
export interface ChangedRequest {
  /** The graph node of its source, when the view has it. */
  sourceNode?: string;
  /** `ns/workload`, the trace page's `from=`. */
  from: string;
  /** `tls://en.wikipedia.org:443`, the trace page's `url=`. */
  url: string;
  now: RequestTarget[];
  withDrafts: RequestTarget[];
}

export interface WhatIfGraphResult {
  /** `simulated`: the demo's traffic re-run; `predicted`: the window's telemetry with the tracer's predictions. */
  kind: 'simulated' | 'predicted';
  graph: GraphResponse;
  changed: ChangedRequest[];
  /** What the re-simulation could not resolve (traffic classes with file and line). */
  problems: string[];
}

/** What "with drafts" means for the source, in one sentence. */
export function whatIfNote(simulation: DraftSimulation): string {
  return simulation.kind === 'demo'
    ? 'With drafts: the demo\'s simulated traffic re-run in your browser over the live objects with your drafts in place.'
    : `With drafts: this window's telemetry, with badges and findings recomputed and the tracer's predicted paths (dashed) where your drafts send traffic elsewhere (${simulation.reason}).`;
}

const DURATION_FAMILIES = ['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count'];

function viewed(graph: GraphResponse, view: WhatIfView): GraphResponse {
  return viewGraph(graph, { budget: view.budget, expand: view.expand, ...(view.focus && view.hops ? { focus: view.focus, hops: view.hops } : {}) });
}

/** The trace page's `url=` of a request. */
export function requestUrl(r: Pick<TraceRequest, 'protocol' | 'host' | 'ip' | 'port' | 'path'>): string {
  const host = r.host ?? (r.ip?.includes(':') ? `[${r.ip}]` : r.ip) ?? '';
  return `${r.protocol}://${host}:${r.port}${r.path && (r.protocol === 'http' || r.protocol === 'grpc') ? r.path : ''}`;
}

/** The graph node a trace endpoint stands for in `graph` (by its data, so any graph type), or the id the builder gives it. */
export function endpointNode(graph: GraphResponse, e: Endpoint): { id: string; label: string; data?: NodeData } {
  const nodes = graph.elements.nodes.map((n) => n.data).filter((n) => !n.isBox && !n.group);
  const find = (ok: (n: NodeData) => boolean, id: string, label: string) => {
    const hit = nodes.find(ok);
    return hit ? { id: hit.id, label, data: hit } : { id, label };
  };
  switch (e.kind) {
    case 'service':
      return find((n) => n.nodeType === 'service' && n.namespace === e.namespace && n.service === e.name && !n.isServiceEntry, `svc:${e.namespace}:${e.name}`, `service ${e.namespace}/${e.name}`);
    case 'serviceEntry':
      return find((n) => n.isServiceEntry?.namespace === e.namespace && n.isServiceEntry.name === e.name, `se:${e.namespace}:${e.name}`, `ServiceEntry ${e.namespace}/${e.name}`);
    case 'gateway':
      return find((n) => n.namespace === e.namespace && (n.workload === e.workload || (!n.workload && n.app === e.workload)), `wl:${e.namespace}:${e.workload}`, `gateway ${e.namespace}/${e.workload}`);
    case 'workload': {
      // the id the graph builder gives it (graph/ids.ts workloadSeed)
      const id = graph.graphType === 'versionedApp' && e.app && e.version ? `vapp:${e.namespace}:${e.app}:${e.version}`
        : (graph.graphType === 'versionedApp' || graph.graphType === 'app') && e.app ? `app:${e.namespace}:${e.app}` : `wl:${e.namespace}:${e.name}`;
      return find((n) => n.namespace === e.namespace && (n.workload === e.name || (!n.workload && n.app !== undefined && n.app === e.app)), id, `workload ${e.namespace}/${e.name}`);
    }
    case 'passthrough':
      return { id: 'egress:PassthroughCluster', label: 'PassthroughCluster' };
    case 'blackhole':
      return { id: 'egress:BlackHoleCluster', label: 'BlackHoleCluster' };
    case 'external': {
      const addr = e.ip ?? e.host ?? 'unknown';
      return { id: `ext:${addr}:${e.port}`, label: `${addr}:${e.port}` };
    }
    default:
      return { id: 'unknown', label: 'unknown' };
  }
}

/** Where a traced request goes first, per graph node, with shares summed. */
export function targetsOf(graph: GraphResponse, trace: TraceResult): RequestTarget[] {
  const out = new Map<string, RequestTarget>();
  for (const p of trace.paths) {
    // the graph's edge goes to the first proxy or destination on the path: Services are names, not hops (except in a service graph)
    const hop = p.hops.find((h) => h.to.kind !== 'service' || graph.graphType === 'service') ?? p.hops[p.hops.length - 1];
    const to = hop?.to ?? p.destination;
    const n = endpointNode(graph, to);
    const hit = out.get(n.id);
    if (hit) hit.weight += p.weight;
    else out.set(n.id, { node: n.id, label: n.label, weight: p.weight });
  }
  return [...out.values()].map((t) => ({ ...t, weight: Math.round(t.weight * 1000) / 1000 })).sort((a, b) => (a.node < b.node ? -1 : 1));
}

const sameTargets = (a: RequestTarget[], b: RequestTarget[]) => JSON.stringify(a) === JSON.stringify(b);

function sourceNodeOf(graph: GraphResponse, namespace: string, workload: string, inv: Inventory): string | undefined {
  const app = inv.workloadsByKey.get(`${namespace}/${workload}`)?.app;
  return graph.elements.nodes.find((n) => !n.data.isBox && !n.data.group && n.data.nodeType !== 'service' && n.data.namespace === namespace && (n.data.workload === workload || (!n.data.workload && app !== undefined && n.data.app === app)))?.data.id;
}

/** Traces every request with and without the drafts; those whose first hop changes. */
function changedRequests(requests: TraceRequest[], base: Inventory, drafted: Inventory, now: GraphResponse, withDrafts: GraphResponse): ChangedRequest[] {
  const out: ChangedRequest[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    const key = JSON.stringify(request);
    if (seen.has(key) || request.source.kind !== 'workload') continue;
    seen.add(key);
    const before = targetsOf(now, safeTrace(base, request));
    const after = targetsOf(withDrafts, safeTrace(drafted, request));
    if (sameTargets(before, after)) continue;
    const { namespace, name } = request.source;
    const sourceNode = sourceNodeOf(now, namespace, name, base) ?? sourceNodeOf(withDrafts, namespace, name, drafted);
    out.push({ ...(sourceNode ? { sourceNode } : {}), from: `${namespace}/${name}`, url: requestUrl(request), now: before, withDrafts: after });
  }
  return out;
}

function safeTrace(inv: Inventory, request: TraceRequest): TraceResult {
  try {
    return traceRequest(inv, request);
  } catch (e) {
    return { request, paths: [], problems: [`the routing core failed: ${(e as Error).message}`] };
  }
}

/**
 * The demo: the simulator re-run over `drafted` with the server's model, seed and cluster, for the window of the
 * `now` graph (its timestamp and duration), then assembled and viewed as GET /api/graph does.
 */
export function simulatedWhatIf(
  base: Inventory, drafted: Inventory, simulation: Extract<DraftSimulation, { kind: 'demo' }>, now: GraphResponse, view: WhatIfView,
  onProgress: (step: string) => void = () => undefined,
): WhatIfGraphResult {
  const model = simulation.trafficModel as TrafficModel;
  onProgress('re-running the simulated traffic over the drafted objects');
  const simulator = createSimulator(drafted, model, { seed: simulation.seed, cluster: simulation.cluster });
  let samples = simulator.samplesAt(now.timestamp, now.duration) as TelemetrySamples;
  if (!view.responseTimes) {
    const copy: Record<string, unknown> = { ...samples };
    for (const family of DURATION_FAMILIES) delete copy[family];
    samples = copy as TelemetrySamples;
  }
  onProgress('assembling the graph');
  const graph = viewed(buildGraph(drafted, samples, {
    graphType: view.graphType, namespaces: view.namespaces, duration: now.duration, queryTime: now.timestamp,
    includeIdle: view.includeIdle, boxByNamespace: true, showWaypoints: view.showWaypoints,
  }), view);
  onProgress('tracing the requests whose path changes');
  const requests = allClasses(model).map((c) => ({ ...c.request, source: c.source }) as TraceRequest);
  return { kind: 'simulated', graph, changed: changedRequests(requests, base, drafted, now, graph), problems: simulator.problems };
}

/** Node fields the configuration decides (badges), recomputed with the drafts. */
const BADGES = [
  'hasVS', 'hasCB', 'hasFaultInjection', 'hasMirroring', 'hasRequestRouting', 'hasRequestTimeout', 'hasTrafficShifting',
  'hasTCPTrafficShifting', 'hasMissingSidecar', 'hasWorkloadEntry', 'hasK8sRoutes',
] as const;

function configOnly(inv: Inventory, now: GraphResponse, view: WhatIfView): Map<string, NodeData> {
  const g = buildGraph(inv, {}, { graphType: view.graphType, namespaces: view.namespaces, duration: now.duration, queryTime: now.timestamp, includeIdle: true, boxByNamespace: true, showWaypoints: view.showWaypoints });
  return new Map(g.elements.nodes.map((n) => [n.data.id, n.data]));
}

function protocolOf(edge: EdgeData, port: { protocol?: string } | undefined): TraceProtocol {
  if (edge.traffic.protocol !== 'tcp') return edge.traffic.protocol;
  const p = (port?.protocol ?? '').toUpperCase();
  return p === 'TLS' || p === 'HTTPS' ? 'tls' : 'tcp';
}

/** The distinct requests of the window's edges: (source workload, destination host, port, protocol). */
export function edgeRequests(graph: GraphResponse, inv: Inventory): Array<{ edge: string; request: TraceRequest }> {
  const nodes = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data]));
  const out: Array<{ edge: string; request: TraceRequest }> = [];
  for (const { data: e } of graph.elements.edges) {
    if (e.group || e.isMirror || e.isConfigured) continue;
    const s = nodes.get(e.source);
    const t = nodes.get(e.target);
    if (!s || !t || s.nodeType === 'service' || s.isBox || s.group || t.group) continue;
    const workload = s.workload ?? inv.workloads.find((w) => w.namespace === s.namespace && w.app !== undefined && w.app === s.app)?.name;
    if (!workload || !inv.workloadsByKey.has(`${s.namespace}/${workload}`)) continue;
    const source = { kind: 'workload' as const, namespace: s.namespace, name: workload };
    // the destination's host: its Service or ServiceEntry, and the hosts the telemetry reports (`responses[*].hosts`)
    const targets: Array<{ host: string; ports: Array<{ number: number; protocol?: string }> }> = [];
    const portsOf = (host: string) => (inv.servicesByHost.get(host)?.ports ?? []).map((p) => ({ number: p.port, protocol: p.protocol }));
    if (t.isServiceEntry) {
      const host = t.isServiceEntry.hosts.find((h) => !h.startsWith('*'));
      if (host) targets.push({ host, ports: t.isServiceEntry.ports ?? [] });
    } else {
      const svc = t.service && t.nodeType === 'service' && !t.isEgressCluster ? { namespace: t.namespace, name: t.service } : t.destServices?.[0];
      if (svc) {
        const host = `${svc.name}.${svc.namespace}.svc.${inv.clusterDomain}`;
        targets.push({ host, ports: portsOf(host) });
      }
    }
    for (const r of Object.values(e.traffic.responses ?? {})) {
      for (const host of Object.keys(r.hosts ?? {})) {
        if (host === 'unknown' || targets.some((x) => x.host === host) || /^\d+\.\d+\.\d+\.\d+$/.test(host)) continue;
        const known = portsOf(host);
        // a host outside the mesh: the protocol's usual port
        const ports = known.length > 0 ? known : e.traffic.protocol === 'tcp' ? [] : [{ number: 80, protocol: 'HTTP' }];
        targets.push({ host, ports });
      }
    }
    for (const { host, ports } of targets) {
      const wanted = e.traffic.protocol === 'tcp' ? ports : ports.filter((p) => !/^(TCP|TLS|HTTPS|MONGO|MYSQL|REDIS)$/i.test(p.protocol ?? ''));
      for (const port of (wanted.length > 0 ? wanted : ports).slice(0, 4)) {
        const protocol = protocolOf(e, port);
        const request: TraceRequest = {
          source, protocol, host, port: port.number,
          ...(protocol === 'http' || protocol === 'grpc' ? { path: '/', method: 'GET', headers: {} } : {}),
          ...(protocol === 'tls' ? { sni: host } : {}),
        };
        out.push({ edge: e.id, request });
      }
    }
  }
  return out;
}

/**
 * Other sources: the window's telemetry graph, badges recomputed with the drafts, and for each request of its edges
 * that the drafts send elsewhere, predicted edges (dashed, `mlPredicted`, carrying the left edges' traffic by the new
 * shares) in place of the edges it leaves.
 */
export function predictedWhatIf(base: Inventory, drafted: Inventory, now: GraphResponse, view: WhatIfView): WhatIfGraphResult {
  const before = configOnly(base, now, view);
  const after = configOnly(drafted, now, view);
  const nodes = now.elements.nodes.map((n) => {
    const b = before.get(n.data.id);
    const a = after.get(n.data.id);
    if (!b || !a) return n;
    const data: Record<string, unknown> = { ...n.data };
    let changed = false;
    for (const k of BADGES) {
      if (JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
      changed = true;
      if (a[k] === undefined) delete data[k];
      else data[k] = a[k];
    }
    return changed ? { data: data as unknown as NodeData } : n;
  });
  const graph: GraphResponse = { ...now, elements: { nodes, edges: [...now.elements.edges] } };
  const requests = edgeRequests(now, base);
  const changed = changedRequests(requests.map((r) => r.request), base, drafted, now, graph);
  const edgesById = new Map(now.elements.edges.map((e) => [e.data.id, e.data]));
  const perEdge = new Map<string, number>();
  for (const r of requests) perEdge.set(r.edge, (perEdge.get(r.edge) ?? 0) + 1);
  const rateOf = (e: EdgeData) => e.traffic.rates[e.traffic.protocol] ?? 0;
  // each changed request's traffic moves from its targets now to its targets with the drafts, by their shares
  const delta = new Map<string, { source: string; target: string; template: EdgeData; amount: number }>();
  const move = (source: string, target: string, template: EdgeData, amount: number) => {
    const id = `${source}->${target}:${template.traffic.protocol}`;
    const hit = delta.get(id);
    if (hit) hit.amount += amount;
    else delta.set(id, { source, target, template, amount });
  };
  for (const c of changed) {
    if (!c.sourceNode) continue;
    const origins = requests.filter((r) => requestUrl(r.request) === c.url && `${r.request.source.kind === 'workload' ? `${r.request.source.namespace}/${r.request.source.name}` : ''}` === c.from)
      .map((r) => edgesById.get(r.edge)).filter((e): e is EdgeData => e !== undefined && c.now.some((t) => t.node === e.target));
    const template = origins[0];
    if (!template) continue;
    const volume = [...new Set(origins)].reduce((sum, e) => sum + rateOf(e) / (perEdge.get(e.id) ?? 1), 0);
    for (const t of c.now) move(c.sourceNode, t.node, template, -volume * t.weight);
    for (const t of c.withDrafts) move(c.sourceNode, t.node, template, volume * t.weight);
  }
  const nodeIds = new Set(nodes.map((n) => n.data.id));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const edges: GraphResponse['elements']['edges'] = [];
  for (const e of now.elements.edges) {
    const d = delta.get(e.data.id);
    if (!d || Math.abs(d.amount) < 1e-9) {
      edges.push(e);
      continue;
    }
    const rate = rateOf(e.data) + d.amount;
    // all of its traffic goes elsewhere: the edge goes away
    if (rate <= rateOf(e.data) * 1e-6) continue;
    // its rate by protocol only: the error and share figures of the window no longer hold
    edges.push({ data: { ...e.data, traffic: { ...e.data.traffic, rates: { [e.data.traffic.protocol]: round(rate) } }, mlPredicted: true } as EdgeData & WhatIfEdgeFields });
  }
  for (const [id, d] of delta) {
    if (edgesById.has(id) || d.amount <= 0) continue;
    const protocol = d.template.traffic.protocol;
    edges.push({ data: { id, source: d.source, target: d.target, traffic: { protocol, rates: { [protocol]: round(d.amount) }, responses: {} }, reporter: 'none', mlPredicted: true } as EdgeData & WhatIfEdgeFields });
    if (!nodeIds.has(d.target)) {
      nodeIds.add(d.target);
      const label = changed.flatMap((c) => c.withDrafts).find((t) => t.node === d.target)?.label ?? d.target;
      nodes.push({ data: predictedNode({ node: d.target, label, weight: 1 }, drafted, now) });
    }
  }
  graph.elements.edges = edges;
  return { kind: 'predicted', graph, changed, problems: [] };
}

/** A node the window's graph does not have, for a predicted edge's end. */
function predictedNode(t: RequestTarget, inv: Inventory, now: GraphResponse): NodeData {
  const [kind, ns, name] = t.node.split(':');
  const box = ns && now.elements.nodes.some((n) => n.data.id === `box-ns-${ns}`) ? `box-ns-${ns}` : undefined;
  const base = { id: t.node, label: t.label, ...(box ? { parent: box } : {}) };
  if (kind === 'svc' && ns && name) return { ...base, nodeType: 'service', namespace: ns, service: name, label: name };
  if (kind === 'se' && ns && name) {
    const se = inv.istio.ServiceEntry.find((o) => o.ref.namespace === ns && o.ref.name === name);
    const spec = (se?.object.spec ?? {}) as { hosts?: string[]; location?: string };
    return { ...base, nodeType: 'service', namespace: ns, service: name, label: name, isServiceEntry: { hosts: spec.hosts ?? [], location: spec.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' : 'MESH_EXTERNAL', namespace: ns, name } };
  }
  if (kind === 'wl' && ns && name) return { ...base, nodeType: 'workload', namespace: ns, workload: name, label: name };
  const version = t.node.split(':')[3];
  if (kind === 'vapp' && ns && name && version) return { ...base, nodeType: 'app', namespace: ns, app: name, version, label: `${name} ${version}` };
  if (kind === 'app' && ns && name) return { ...base, nodeType: 'app', namespace: ns, app: name, label: name };
  if (kind === 'egress') return { id: t.node, nodeType: 'service', namespace: 'unknown', service: ns, label: ns, isEgressCluster: ns as 'PassthroughCluster' | 'BlackHoleCluster' };
  return { id: t.node, nodeType: 'unknown', namespace: 'unknown', label: t.label };
}
