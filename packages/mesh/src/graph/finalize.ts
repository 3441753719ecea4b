/** Turns the graph state into the response: edge and node data, node traffic, health, root/outside flags, boxes, order. */
import type { GraphEdge, GraphNode, GraphResponse, NodeData, NodeTraffic, Protocol } from '@meshlens/model';
import { addBoxes } from './boxes.js';
import type { GraphContext } from './context.js';
import { edgeData } from './edge-data.js';
import { healthOf, worseOf, type HealthVerdict } from './health.js';
import { bucketLayout } from './histogram.js';
import { isOK } from './labels.js';
import { baseNodeData, type Decorations } from './node-data.js';
import { roundRate } from './round.js';
import type { GraphState } from './state.js';
import { compareStrings } from './compare.js';
import { addEgressForwards } from './forwards.js';

interface Tally {
  total: number;
  r3xx: number;
  r4xx: number;
  r5xx: number;
  noResponse: number;
  grpcErr: number;
  out: number;
}

type NodeTallies = Partial<Record<Protocol, Tally>>;

const PROTOCOLS: Protocol[] = ['http', 'grpc', 'tcp'];

/** Assembles the final response. */
export function finalizeGraph(ctx: GraphContext, state: GraphState, deco: Decorations, warnings: string[]): GraphResponse {
  const tallies = new Map<string, NodeTallies>();
  const tally = (id: string, p: Protocol): Tally => {
    let t = tallies.get(id);
    if (!t) tallies.set(id, (t = {}));
    return (t[p] ??= { total: 0, r3xx: 0, r4xx: 0, r5xx: 0, noResponse: 0, grpcErr: 0, out: 0 });
  };
  const hasIn = new Set<string>();
  for (const e of state.edges.values()) {
    tally(e.source, e.protocol).out += e.total;
    const t = tally(e.target, e.protocol);
    t.total += e.total;
    t.r3xx += e.r3xx;
    t.r4xx += e.r4xx;
    t.r5xx += e.r5xx;
    t.noResponse += e.noResponse;
    t.grpcErr += e.grpcErr;
    hasIn.add(e.target);
  }
  const layout = bucketLayout(state.bucketBounds);
  // No sort here: the one below orders all edges (forwards included) by a total order (ids are unique).
  const edges: GraphEdge[] = [];
  for (const e of state.edges.values()) edges.push({ data: edgeData(e, tallies.get(e.source)?.[e.protocol]?.out ?? 0, layout, ctx.ambient.active) });

  const nodes: NodeData[] = [];
  for (const n of state.nodes.values()) {
    const data = baseNodeData(ctx, deco, n);
    const t = tallies.get(n.seed.id) ?? {};
    data.traffic = n.idle && Object.keys(t).length === 0 ? [{ protocol: 'http', rates: { httpIn: 0, httpOut: 0 } }] : nodeTraffic(t);
    const health = nodeHealth(t);
    data.health = health.status;
    if (health.status !== 'NA') data.healthErrorRatio = Math.round(health.errorRatio * 10000) / 10000;
    if (!hasIn.has(n.seed.id) && (PROTOCOLS.some((p) => (t[p]?.out ?? 0) > 0))) data.isRoot = true;
    if (isOK(n.seed.namespace) && !ctx.requested.has(n.seed.namespace)) data.isOutside = true;
    if (n.seed.nodeType === 'unknown' || n.seed.egressCluster || (n.seed.nodeType === 'service' && n.seed.namespace === 'unknown' && !n.seed.externalIP)) data.isInaccessible = true;
    nodes.push(data);
  }
  addEgressForwards(nodes, edges);
  edges.sort((a, b) => cmp(a.data.source, b.data.source) || cmp(a.data.target, b.data.target) || cmp(a.data.traffic.protocol, b.data.traffic.protocol) || cmp(a.data.id, b.data.id));
  const boxes = addBoxes(nodes, {
    byNamespace: ctx.options.boxByNamespace !== false,
    byApp: (ctx.graphType === 'app' || ctx.graphType === 'versionedApp') && ctx.options.boxByApp !== false,
    requested: ctx.requested,
  });
  boxes.sort((a, b) => boxRank(a.data) - boxRank(b.data) || compareStrings(a.data.id, b.data.id));
  nodes.sort(compareNodes);
  const response: GraphResponse = {
    timestamp: ctx.options.queryTime,
    duration: ctx.options.duration,
    graphType: ctx.graphType,
    namespaces: [...ctx.options.namespaces],
    elements: { nodes: [...boxes, ...nodes.map((data) => ({ data }))], edges },
  };
  if (warnings.length > 0) response.warnings = warnings;
  return response;
}

function nodeTraffic(t: NodeTallies): NodeTraffic[] {
  const out: NodeTraffic[] = [];
  const put = (rates: Record<string, number>, k: string, v: number) => { if (v > 0) rates[k] = roundRate(v); };
  if (t.http) {
    const r: Record<string, number> = {};
    put(r, 'httpIn', t.http.total);
    put(r, 'httpIn3xx', t.http.r3xx);
    put(r, 'httpIn4xx', t.http.r4xx);
    put(r, 'httpIn5xx', t.http.r5xx);
    put(r, 'httpInNoResponse', t.http.noResponse);
    put(r, 'httpOut', t.http.out);
    out.push({ protocol: 'http', rates: r });
  }
  if (t.grpc) {
    const r: Record<string, number> = {};
    put(r, 'grpcIn', t.grpc.total);
    put(r, 'grpcInErr', t.grpc.grpcErr);
    put(r, 'grpcInNoResponse', t.grpc.noResponse);
    put(r, 'grpcOut', t.grpc.out);
    out.push({ protocol: 'grpc', rates: r });
  }
  if (t.tcp) {
    const r: Record<string, number> = {};
    put(r, 'tcpIn', t.tcp.total);
    put(r, 'tcpOut', t.tcp.out);
    out.push({ protocol: 'tcp', rates: r });
  }
  return out;
}

/** A node's health is the worst verdict over its inbound HTTP and gRPC requests (TCP has no error signal). */
function nodeHealth(t: NodeTallies): HealthVerdict {
  let v: HealthVerdict = { status: 'NA', errorRatio: 0 };
  if (t.http && t.http.total > 0) v = worseOf(v, healthOf({ protocol: 'http', total: t.http.total, http4xx: t.http.r4xx, http5xx: t.http.r5xx, noResponse: t.http.noResponse }));
  if (t.grpc && t.grpc.total > 0) v = worseOf(v, healthOf({ protocol: 'grpc', total: t.grpc.total, grpcErr: t.grpc.grpcErr, noResponse: t.grpc.noResponse }));
  return v;
}

function boxRank(d: NodeData): number {
  return d.isBox === 'namespace' ? 0 : 1;
}

function compareNodes(a: NodeData, b: NodeData): number {
  return cmp(a.namespace, b.namespace) || cmp(a.app, b.app) || cmp(a.version, b.version) || cmp(a.workload, b.workload) || cmp(a.service, b.service) || cmp(a.id, b.id);
}

function cmp(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
