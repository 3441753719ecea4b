/**
 * A graph at real scale: the neighbourhood of one node (`focus` + `hops`) and the node budget (above `budget` visible
 * nodes, namespaces and then apps collapse into group nodes with summed edges).
 *
 * Why on the server (`GET /api/graph?budget=300&expand=…`) and not in the browser's worker: a 10k-workload graph is
 * ~30 MiB of JSON whose parse alone blocks a page for seconds; grouped, the answer is a few hundred nodes and ~1 MiB,
 * so the browser never holds the hairball at all. The function is pure (graph in, graph out), so the same code could
 * run in a web worker, and it runs after assembly, so the assembled graph underneath is unchanged and still cached.
 */
import type { EdgeData, GraphEdge, GraphNode, GraphResponse, GroupMember, HealthStatus, NodeData, NodeTraffic, ResponseDetail } from '@meshlens/model';
import { roundPercent, roundRate } from './round.js';

/** What the caller asks of the graph on top of assembly. */
export interface GraphViewOptions {
  /** Visible (non-box) nodes above which the graph collapses into groups; 0 or undefined: never. */
  budget?: number;
  /** Groups kept open: a namespace (`team-04`) or an app in a namespace (`team-04/reviews`). */
  expand?: string[];
  /** A node id (or a group id, standing for its members) whose neighbourhood alone is shown when `hops` is set. */
  focus?: string;
  /** 1..3: how far from `focus` the neighbourhood reaches, over edges in either direction. */
  hops?: number;
}

const HEALTH_RANK: Record<HealthStatus, number> = { NA: 0, Healthy: 1, Degraded: 2, Failure: 3 };

/** The worse of two health statuses (Failure > Degraded > Healthy > NA). */
export function worseHealth(a: HealthStatus | undefined, b: HealthStatus | undefined): HealthStatus {
  const x = a ?? 'NA';
  const y = b ?? 'NA';
  return HEALTH_RANK[y] > HEALTH_RANK[x] ? y : x;
}

/** The stable id of a namespace group. */
export const namespaceGroupId = (namespace: string) => `group:ns:${namespace}`;
/** The stable id of an app group inside a namespace. */
export const appGroupId = (namespace: string, app: string) => `group:app:${namespace}:${app}`;

/** Nodes that stand for something outside any namespace: never grouped (there is nothing to name the group after). */
function groupable(node: NodeData): boolean {
  return !node.isBox && !node.isEgressCluster && !node.isExternalIP && node.namespace !== '' && node.namespace !== 'unknown';
}

/** The graph reduced to the nodes within `hops` edges of `focus` (either direction), their boxes and the edges among them. */
export function neighbourhood(graph: GraphResponse, focus: string, hops: number): GraphResponse {
  const leaves = graph.elements.nodes.filter((n) => !n.data.isBox);
  let seeds: string[];
  if (focus.startsWith('group:ns:')) {
    const ns = focus.slice('group:ns:'.length);
    seeds = leaves.filter((n) => groupable(n.data) && n.data.namespace === ns).map((n) => n.data.id);
  } else if (focus.startsWith('group:app:')) {
    const [ns, app] = splitOnce(focus.slice('group:app:'.length), ':');
    seeds = leaves.filter((n) => groupable(n.data) && n.data.namespace === ns && n.data.app === app).map((n) => n.data.id);
  } else {
    seeds = leaves.some((n) => n.data.id === focus) ? [focus] : [];
  }
  // An unknown node (gone since the link was made) shows the whole graph rather than nothing.
  if (seeds.length === 0) return graph;
  const adjacent = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = adjacent.get(a);
    if (list) list.push(b);
    else adjacent.set(a, [b]);
  };
  for (const { data } of graph.elements.edges) {
    link(data.source, data.target);
    link(data.target, data.source);
  }
  const reached = new Set(seeds);
  let frontier = seeds;
  for (let step = 0; step < hops && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const other of adjacent.get(id) ?? []) {
        if (!reached.has(other)) {
          reached.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  const parentOf = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data.parent]));
  const keep = new Set(reached);
  for (const id of reached) {
    for (let p = parentOf.get(id); p && !keep.has(p); p = parentOf.get(p)) keep.add(p);
  }
  return {
    ...graph,
    elements: {
      nodes: graph.elements.nodes.filter((n) => keep.has(n.data.id)),
      edges: graph.elements.edges.filter((e) => reached.has(e.data.source) && reached.has(e.data.target)),
    },
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

interface GroupDraft {
  id: string;
  kind: 'namespace' | 'app';
  key: string;
  namespace: string;
  app?: string;
  parent?: string;
  members: NodeData[];
}

/**
 * The graph with namespaces (then apps) collapsed into group nodes when it has more than `budget` visible nodes.
 *
 * - Every namespace not in `expand` with two or more nodes becomes `group:ns:<namespace>`; if the graph is still over
 *   budget, every app with two or more nodes in an expanded namespace becomes `group:app:<namespace>:<app>` (unless
 *   `<namespace>/<app>` is in `expand`).
 * - A group node carries its members (id, name, health) for find, the worst member health, and how many members are
 *   unhealthy, so a failing workload is never hidden without its group saying so.
 * - Edges are re-pointed to the groups and summed per (source, target, protocol): rates, error and request shares
 *   recomputed, worst health, throughput summed, the slowest p95, mTLS weighted by rate. Edges inside a group are dropped.
 */
export function groupGraph(graph: GraphResponse, budget: number | undefined, expand: readonly string[] = []): GraphResponse {
  const leaves = graph.elements.nodes.filter((n) => !n.data.isBox);
  const total = leaves.length;
  if (!budget || budget <= 0) return graph;
  const expanded = new Set(expand);
  if (total <= budget) return { ...graph, grouping: { budget, total, visible: total, expanded: [...expanded].sort() } };

  // Which group each node falls in (a namespace first).
  const byNamespace = new Map<string, NodeData[]>();
  for (const { data } of leaves) {
    if (!groupable(data)) continue;
    const list = byNamespace.get(data.namespace);
    if (list) list.push(data);
    else byNamespace.set(data.namespace, [data]);
  }
  const groupOf = new Map<string, GroupDraft>();
  const drafts: GroupDraft[] = [];
  let visible = total;
  const open = (draft: GroupDraft) => {
    drafts.push(draft);
    for (const m of draft.members) groupOf.set(m.id, draft);
    visible -= draft.members.length - 1;
  };
  const namespaces = [...byNamespace.keys()].sort();
  for (const ns of namespaces) {
    const members = byNamespace.get(ns)!;
    if (expanded.has(ns) || members.length < 2) continue;
    open({ id: namespaceGroupId(ns), kind: 'namespace', key: ns, namespace: ns, members });
  }
  if (visible > budget) {
    const boxIds = new Set(graph.elements.nodes.filter((n) => n.data.isBox === 'namespace').map((n) => n.data.id));
    for (const ns of namespaces) {
      if (!expanded.has(ns)) continue;
      const byApp = new Map<string, NodeData[]>();
      for (const m of byNamespace.get(ns)!) {
        if (!m.app) continue;
        const list = byApp.get(m.app);
        if (list) list.push(m);
        else byApp.set(m.app, [m]);
      }
      for (const app of [...byApp.keys()].sort()) {
        const members = byApp.get(app)!;
        if (members.length < 2 || expanded.has(`${ns}/${app}`)) continue;
        // The namespace box the members sat in, if boxes are drawn: the app group stays inside it.
        const nsBox = members.map((m) => ancestorBox(graph, m)).find((b) => b && boxIds.has(b));
        open({ id: appGroupId(ns, app), kind: 'app', key: `${ns}/${app}`, namespace: ns, app, parent: nsBox, members });
      }
    }
  }
  if (drafts.length === 0) return { ...graph, grouping: { budget, total, visible: total, expanded: [...expanded].sort() } };

  const nodes: GraphNode[] = [];
  // Boxes left without members go: a collapsed namespace's box, a collapsed app's box.
  const parentOf = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data.parent]));
  const liveBoxes = new Set<string>();
  const markLive = (parent: string | undefined) => {
    for (let p = parent; p && !liveBoxes.has(p); p = parentOf.get(p)) liveBoxes.add(p);
  };
  for (const { data } of leaves) if (!groupOf.has(data.id)) markLive(data.parent);
  for (const d of drafts) markLive(d.parent);
  for (const n of graph.elements.nodes) {
    if (n.data.isBox ? liveBoxes.has(n.data.id) : !groupOf.has(n.data.id)) nodes.push(n);
  }
  for (const d of drafts) nodes.push({ data: groupNode(d) });

  const rep = (id: string) => groupOf.get(id)?.id ?? id;
  const merged = new Map<string, GraphEdge[]>();
  // Where each key first appears among the graph's edges: the order of the view's edges.
  const firstAt = new Map<string, number>();
  // Edges between two collapsed namespaces go as their namespace pair's bucket, whole (namespaceBuckets); the others
  // one by one.
  const collapsed = new Set(drafts.filter((d) => d.kind === 'namespace').map((d) => d.namespace));
  const one = (edge: GraphEdge, at: number) => {
    const source = rep(edge.data.source);
    const target = rep(edge.data.target);
    if (source === target && source !== edge.data.source) return;
    const key = `${source}->${target}:${edge.data.traffic.protocol}`;
    const list = merged.get(key);
    if (list) list.push(edge);
    else {
      merged.set(key, [edge]);
      firstAt.set(key, at);
    }
  };
  const buckets = namespaceBuckets(graph);
  for (const b of buckets.pairs) {
    if (collapsed.has(b.source) && collapsed.has(b.target)) {
      // Inside one group: dropped.
      if (b.source === b.target) continue;
      const key = `${namespaceGroupId(b.source)}->${namespaceGroupId(b.target)}:${b.protocol}`;
      merged.set(key, b.edges.slice());
      firstAt.set(key, b.at[0]!);
    } else for (let i = 0; i < b.edges.length; i++) one(b.edges[i]!, b.at[i]!);
  }
  for (let i = 0; i < buckets.loose.length; i++) one(buckets.loose[i]!, buckets.looseAt[i]!);
  const order = [...firstAt.keys()].sort((a, b) => firstAt.get(a)! - firstAt.get(b)!);
  const outTotals = new Map<string, number>();
  for (const key of order) {
    const first = merged.get(key)![0]!.data;
    const sourceKey = `${rep(first.source)}:${first.traffic.protocol}`;
    outTotals.set(sourceKey, (outTotals.get(sourceKey) ?? 0) + merged.get(key)!.reduce((s, e) => s + edgeRate(e.data), 0));
  }
  let sums = summedEdges.get(graph);
  if (!sums) summedEdges.set(graph, (sums = new Map()));
  const edges: GraphEdge[] = order.map((key) => {
    const list = merged.get(key)!;
    const first = list[0]!.data;
    const source = rep(first.source);
    const target = rep(first.target);
    if (list.length === 1 && source === first.source && target === first.target) return list[0]!;
    const sourceOut = outTotals.get(`${source}:${first.traffic.protocol}`) ?? 0;
    const sumKey = `${key}|${sourceOut}`;
    let data = sums.get(sumKey);
    if (!data) sums.set(sumKey, (data = sumEdges(key, source, target, list.map((e) => e.data), sourceOut)));
    return { data };
  });
  return {
    ...graph,
    elements: { nodes, edges },
    grouping: { budget, total, visible: nodes.filter((n) => !n.data.isBox).length, expanded: [...expanded].sort() },
  };
}

/**
 * A graph's edges between groupable nodes by (source namespace, target namespace, protocol), each with the edges'
 * places in the graph, and the other edges: kept per graph. A view whose both namespaces of a pair are collapsed takes
 * the pair's edges as one group edge's, without looking at them one by one (a 10k-workload graph has 50k edges, of
 * which a view with one group open regroups ~1k).
 */
interface NamespaceBuckets {
  pairs: Array<{ source: string; target: string; protocol: string; edges: GraphEdge[]; at: number[] }>;
  loose: GraphEdge[];
  looseAt: number[];
}
const bucketsByGraph = new WeakMap<GraphResponse, NamespaceBuckets>();

function namespaceBuckets(graph: GraphResponse): NamespaceBuckets {
  const known = bucketsByGraph.get(graph);
  if (known) return known;
  const namespaceOf = new Map<string, string>();
  for (const { data } of graph.elements.nodes) if (groupable(data)) namespaceOf.set(data.id, data.namespace);
  const pairs = new Map<string, NamespaceBuckets['pairs'][number]>();
  const out: NamespaceBuckets = { pairs: [], loose: [], looseAt: [] };
  graph.elements.edges.forEach((edge, i) => {
    const source = namespaceOf.get(edge.data.source);
    const target = namespaceOf.get(edge.data.target);
    if (source === undefined || target === undefined) {
      out.loose.push(edge);
      out.looseAt.push(i);
      return;
    }
    const protocol = edge.data.traffic.protocol;
    const key = `${source}\u0000${target}\u0000${protocol}`;
    let b = pairs.get(key);
    if (!b) {
      pairs.set(key, (b = { source, target, protocol, edges: [], at: [] }));
      out.pairs.push(b);
    }
    b.edges.push(edge);
    b.at.push(i);
  });
  bucketsByGraph.set(graph, out);
  return out;
}

/**
 * Summed edges per graph, reused by its later views. In one graph a group id always stands for the same members (a
 * namespace's, or an app's in a namespace) and a node id for itself, so the edges summed under a key (source,
 * target, protocol) are the same in every view that has that key; so is the source's total out (the key carries it
 * to be sure). Opening one group of a 10k-workload graph changes the keys of that group's edges only, and the ~9k
 * sums between the other groups are taken from the view before (the server keeps the graph parsed: routes/graph.ts).
 */
const summedEdges = new WeakMap<GraphResponse, Map<string, EdgeData>>();

function ancestorBox(graph: GraphResponse, node: NodeData): string | undefined {
  // App boxes sit in namespace boxes: the namespace box is the outermost one.
  let parent = node.parent;
  if (parent?.startsWith('box-app-')) parent = graph.elements.nodes.find((n) => n.data.id === parent)?.data.parent;
  return parent;
}

function memberName(node: NodeData): string {
  if (node.label) return node.label;
  const name = node.workload ?? node.app ?? node.service ?? node.id;
  return node.version && node.app ? `${node.app} ${node.version}` : name;
}

function groupNode(d: GroupDraft): NodeData {
  let health: HealthStatus = 'NA';
  let unhealthy = 0;
  let errorRatio = 0;
  const traffic = new Map<string, Record<string, number>>();
  const members: GroupMember[] = [];
  for (const m of [...d.members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    health = worseHealth(health, m.health);
    if (m.health === 'Degraded' || m.health === 'Failure') unhealthy++;
    errorRatio = Math.max(errorRatio, m.healthErrorRatio ?? 0);
    for (const t of m.traffic ?? []) {
      const rates = traffic.get(t.protocol) ?? {};
      for (const [k, v] of Object.entries(t.rates)) rates[k] = roundRate((rates[k] ?? 0) + v);
      traffic.set(t.protocol, rates);
    }
    const member: GroupMember = { id: m.id, name: memberName(m) };
    if (m.health) member.health = m.health;
    members.push(member);
  }
  const count = d.members.length;
  const data: NodeData = {
    id: d.id,
    nodeType: 'box',
    namespace: d.namespace,
    label: `${d.kind === 'app' ? d.app : d.namespace} (+${count})`,
    group: { kind: d.kind, key: d.key, count, unhealthy, members },
    health,
  };
  if (d.app) data.app = d.app;
  if (d.parent) data.parent = d.parent;
  if (errorRatio > 0) data.healthErrorRatio = errorRatio;
  if (d.members.every((m) => m.isOutside)) data.isOutside = true;
  if (traffic.size > 0) data.traffic = [...traffic].map(([protocol, rates]): NodeTraffic => ({ protocol: protocol as NodeTraffic['protocol'], rates }));
  return data;
}

/** An edge's total: requests/s for HTTP and gRPC, bytes/s for TCP. */
function edgeRate(e: EdgeData): number {
  const r = e.traffic.rates;
  return e.traffic.protocol === 'tcp' ? (r.tcp ?? 0) : e.traffic.protocol === 'grpc' ? (r.grpc ?? 0) : (r.http ?? 0);
}

const SUMMED_RATES = ['http', 'http3xx', 'http4xx', 'http5xx', 'httpNoResponse', 'grpc', 'grpcErr', 'grpcNoResponse', 'tcp'];

function sumEdges(id: string, source: string, target: string, list: EdgeData[], sourceOut: number): EdgeData {
  const protocol = list[0]!.traffic.protocol;
  const rates: Record<string, number> = {};
  let health: HealthStatus | undefined;
  let throughput = 0;
  let hasThroughput = false;
  let responseTime: number | undefined;
  let mtlsWeighted = 0;
  let mtlsWeight = 0;
  const reporters = new Set<EdgeData['reporter']>();
  const telemetry = new Set<NonNullable<EdgeData['telemetry']>[number]>();
  // Per response code: requests/s by flag and by host, from each edge's shares of its own total.
  const responses = new Map<string, { flags: Map<string, number>; hosts: Map<string, number> }>();
  let total = 0;
  for (const e of list) {
    for (const k of SUMMED_RATES) {
      const v = e.traffic.rates[k];
      if (v !== undefined) rates[k] = (rates[k] ?? 0) + v;
    }
    const rate = edgeRate(e);
    total += rate;
    if (e.healthStatus) health = worseHealth(health, e.healthStatus);
    if (e.throughput !== undefined) {
      throughput += e.throughput;
      hasThroughput = true;
    }
    if (e.responseTime !== undefined) responseTime = Math.max(responseTime ?? 0, e.responseTime);
    if (e.isMTLS !== undefined) {
      mtlsWeighted += e.isMTLS * rate;
      mtlsWeight += rate;
    }
    reporters.add(e.reporter);
    for (const t of e.telemetry ?? []) telemetry.add(t);
    for (const [code, detail] of Object.entries(e.traffic.responses)) {
      const acc = responses.get(code) ?? { flags: new Map<string, number>(), hosts: new Map<string, number>() };
      for (const [flag, pct] of Object.entries(detail.flags)) acc.flags.set(flag, (acc.flags.get(flag) ?? 0) + (pct / 100) * rate);
      for (const [host, pct] of Object.entries(detail.hosts)) acc.hosts.set(host, (acc.hosts.get(host) ?? 0) + (pct / 100) * rate);
      responses.set(code, acc);
    }
  }
  for (const k of Object.keys(rates)) rates[k] = roundRate(rates[k]!);
  const percentReq = sourceOut > 0 ? roundPercent((total / sourceOut) * 100) : 100;
  if (protocol === 'http') {
    const err = (rates.http4xx ?? 0) + (rates.http5xx ?? 0) + (rates.httpNoResponse ?? 0);
    if (err > 0 && total > 0) rates.httpPercentErr = roundPercent((err / total) * 100);
    rates.httpPercentReq = percentReq;
  } else if (protocol === 'grpc') {
    const err = (rates.grpcErr ?? 0) + (rates.grpcNoResponse ?? 0);
    if (err > 0 && total > 0) rates.grpcPercentErr = roundPercent((err / total) * 100);
    rates.grpcPercentReq = percentReq;
  } else {
    rates.tcpPercentReq = percentReq;
  }
  const shares = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, total > 0 ? roundPercent((v / total) * 100) : 0]));
  const responseDetails: Record<string, ResponseDetail> = {};
  for (const [code, acc] of [...responses].sort(([a], [b]) => (a < b ? -1 : 1))) responseDetails[code] = { flags: shares(acc.flags), hosts: shares(acc.hosts) };
  const data: EdgeData = {
    id,
    source,
    target,
    traffic: { protocol, rates, responses: responseDetails },
    reporter: reporters.size === 1 ? [...reporters][0]! : 'mixed',
    group: { edges: list.length },
  };
  if (responseTime !== undefined) data.responseTime = responseTime;
  if (hasThroughput) data.throughput = roundRate(throughput);
  if (mtlsWeight > 0) data.isMTLS = roundPercent(mtlsWeighted / mtlsWeight);
  if (telemetry.size > 0) data.telemetry = [...telemetry].sort();
  if (health) data.healthStatus = health;
  return data;
}

/** The graph as the request asked to see it: the neighbourhood of `focus` first, then the node budget. */
export function viewGraph(graph: GraphResponse, options: GraphViewOptions): GraphResponse {
  let out = graph;
  if (options.focus && options.hops && options.hops > 0) {
    out = neighbourhood(out, options.focus, Math.min(3, options.hops));
    out = { ...out, neighbourhood: { focus: options.focus, hops: Math.min(3, options.hops) } };
  }
  return groupGraph(out, options.budget, options.expand);
}
