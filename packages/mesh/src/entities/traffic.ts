/**
 * An entity's edges and its one-hop node graph, cut from the same graph assembly as GET /api/graph: which nodes
 * stand for the entity in a graph of some type, the edges that touch them, and the graph reduced to them and their
 * neighbours.
 */
import type { GraphNode, GraphResponse, GraphType, NodeData, TrafficEdge, TrafficPeer } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/types.js';
import { isOK, isOKVersion } from '../graph/labels.js';

/** What a detail page is about. */
export type EntityRef =
  | { kind: 'workload'; workload: WorkloadView; services: ServiceView[] }
  | { kind: 'service'; service: ServiceView }
  | { kind: 'application'; namespace: string; app: string; workloads: WorkloadView[]; services: ServiceView[] };

/** The graph type a detail page's traffic list reads: the entity's own node type. */
export function detailGraphType(e: EntityRef): GraphType {
  return e.kind === 'workload' ? 'workload' : e.kind === 'service' ? 'service' : 'app';
}

function workloadIds(w: WorkloadView, graphType: GraphType, services: ServiceView[]): string[] {
  const { namespace: ns, name } = w;
  const app = w.app;
  if (graphType === 'versionedApp' && isOK(app)) return [isOKVersion(w.version) ? `vapp:${ns}:${app}:${w.version}` : `app:${ns}:${app}`];
  if (graphType === 'app' && isOK(app)) return [`app:${ns}:${app}`];
  if (graphType === 'service') return [...services.map((s) => `svc:${s.namespace}:${s.name}`), `wl:${ns}:${name}`];
  return [`wl:${ns}:${name}`];
}

/**
 * The ids of the nodes that stand for the entity in `graph`: its workload/app/service node ids by the graph's id
 * rules (ids.ts), plus, for a service, every node that received requests for it (`destServices`).
 */
export function entityNodeIds(e: EntityRef, graph: GraphResponse): Set<string> {
  const ids = new Set<string>();
  const type = graph.graphType;
  if (e.kind === 'workload') for (const id of workloadIds(e.workload, type, e.services)) ids.add(id);
  else if (e.kind === 'application') {
    for (const w of e.workloads) for (const id of workloadIds(w, type, e.services)) ids.add(id);
    if (type === 'service') for (const s of e.services) ids.add(`svc:${s.namespace}:${s.name}`);
  } else {
    const { namespace, name } = e.service;
    ids.add(`svc:${namespace}:${name}`);
    if (type !== 'service') {
      for (const n of graph.elements.nodes) {
        if (n.data.destServices?.some((d) => d.namespace === namespace && d.name === name)) ids.add(n.data.id);
      }
    }
  }
  const present = new Set(graph.elements.nodes.map((n) => n.data.id));
  return new Set([...ids].filter((id) => present.has(id)));
}

function peerOf(d: NodeData): TrafficPeer {
  const peer: TrafficPeer = { id: d.id, nodeType: d.nodeType === 'box' ? 'unknown' : d.nodeType, namespace: d.namespace, label: d.label ?? d.id };
  if (d.workload) peer.workload = d.workload;
  if (d.app) peer.app = d.app;
  if (d.version) peer.version = d.version;
  if (d.service) peer.service = d.service;
  if (d.isEgressCluster) peer.egressCluster = d.isEgressCluster;
  if (d.isServiceEntry) peer.serviceEntry = d.isServiceEntry.name;
  if (d.isOutside || !isOK(d.namespace)) peer.isOutside = true;
  return peer;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The edges of `graph` that touch `focus` nodes, inbound first, then outbound; each by peer label and protocol. */
export function trafficEdges(graph: GraphResponse, focus: ReadonlySet<string>): TrafficEdge[] {
  const nodes = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data]));
  const out: TrafficEdge[] = [];
  for (const { data: e } of graph.elements.edges) {
    const inbound = focus.has(e.target);
    const outbound = focus.has(e.source);
    if (!inbound && !outbound) continue;
    // A call between two nodes of the entity (an app calling itself) is listed once, as outbound.
    const direction = outbound ? 'outbound' : 'inbound';
    const peerNode = nodes.get(direction === 'outbound' ? e.target : e.source);
    if (!peerNode) continue;
    const t = e.traffic;
    const rate = t.protocol === 'http' ? t.rates.http : t.protocol === 'grpc' ? t.rates.grpc : t.rates.tcp;
    const codes: Record<string, number> = {};
    const flags: Record<string, number> = {};
    for (const [code, detail] of Object.entries(t.responses)) {
      for (const [flag, share] of Object.entries(detail.flags)) {
        codes[code] = round1((codes[code] ?? 0) + share);
        flags[flag] = round1((flags[flag] ?? 0) + share);
      }
    }
    const edge: TrafficEdge = {
      direction,
      peer: peerOf(peerNode),
      node: direction === 'outbound' ? e.source : e.target,
      protocol: t.protocol,
      rate: rate ?? 0,
      responseCodes: codes,
      responseFlags: flags,
      reporter: e.reporter,
    };
    if (t.protocol !== 'tcp') edge.errorPercent = (t.protocol === 'http' ? t.rates.httpPercentErr : t.rates.grpcPercentErr) ?? 0;
    if (e.responseTime !== undefined) edge.p95Ms = e.responseTime;
    if (e.isMTLS !== undefined) edge.mtlsPercent = e.isMTLS;
    if (e.healthStatus) edge.health = e.healthStatus;
    out.push(edge);
  }
  const rank = (d: string) => (d === 'inbound' ? 0 : 1);
  return out.sort((a, b) => rank(a.direction) - rank(b.direction) || cmp(a.peer.label, b.peer.label) || cmp(a.peer.id, b.peer.id) || cmp(a.protocol, b.protocol) || cmp(a.node, b.node));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The graph reduced to the `focus` nodes, their one-hop neighbours and the edges touching the focus (Kiali's node
 * graph), keeping the boxes those nodes sit in. The focus nodes are marked `isRoot`-free: the page highlights them by id.
 */
export function focusGraph(graph: GraphResponse, focus: ReadonlySet<string>): GraphResponse {
  const edges = graph.elements.edges.filter((e) => focus.has(e.data.source) || focus.has(e.data.target));
  const keep = new Set<string>(focus);
  for (const e of edges) {
    keep.add(e.data.source);
    keep.add(e.data.target);
  }
  const byId = new Map(graph.elements.nodes.map((n) => [n.data.id, n]));
  // Boxes: the parents (and their parents) of kept nodes.
  for (const id of [...keep]) {
    let parent = byId.get(id)?.data.parent;
    while (parent && !keep.has(parent)) {
      keep.add(parent);
      parent = byId.get(parent)?.data.parent;
    }
  }
  const nodes: GraphNode[] = graph.elements.nodes.filter((n) => keep.has(n.data.id));
  return { ...graph, elements: { nodes, edges } };
}
