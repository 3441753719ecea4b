/**
 * Config-health markers on graph nodes. The rule: a finding concerns a node when the finding's object, or
 * one of the objects it references, is — in the node's namespace —
 *   - the node's Service (`service`, or one of the Services requested on it, `destServices`),
 *   - the node's workload (a Deployment, StatefulSet… named like `workload`),
 *   - one of the node's pods (a Pod by name),
 *   - a VirtualService the node carries (`hasVS`),
 *   - or the ServiceEntry the node stands for.
 * DestinationRules, Gateways and policies reach nodes through their references (a subset finding names the
 * host's Service, a gateway finding its workload), so the finding lands where its traffic goes.
 */
import type { Finding, GraphResponse, NodeData, ObjectRef, Severity } from '@meshlens/model';

export interface NodeConfigHealth {
  error: number;
  warning: number;
  info: number;
  /** Finding codes, each once, in order of first appearance. */
  codes: string[];
}

/** Node data as the graph page draws it: the server's, plus config health when findings concern the node. */
export type MarkedNodeData = NodeData & { mlConfig?: NodeConfigHealth };

/** Whether `ref` is one of the objects the node stands for (see the rule above). */
export function nodeHasObject(node: NodeData, ref: ObjectRef): boolean {
  if (node.isBox) return false;
  if (ref.kind === 'ServiceEntry') return node.isServiceEntry?.namespace === ref.namespace && node.isServiceEntry?.name === ref.name;
  if (ref.namespace !== node.namespace) return false;
  if (ref.kind === 'Service') return node.service === ref.name || (node.destServices ?? []).some((s) => s.namespace === ref.namespace && s.name === ref.name);
  if (WORKLOAD_KINDS.has(ref.kind)) return node.workload === ref.name;
  if (ref.kind === 'Pod') return (node.pods ?? []).some((p) => p.name === ref.name);
  if (ref.kind === 'VirtualService') return (node.hasVS?.objects ?? []).some((o) => o.namespace === ref.namespace && o.name === ref.name);
  return false;
}

/** Whether a finding concerns the node. */
export function findingConcerns(node: NodeData, finding: Finding): boolean {
  return nodeHasObject(node, finding.object) || finding.references.some((r) => nodeHasObject(node, r.object));
}

/** Config health of every node some finding concerns, by node id. */
export function configHealthByNode(graph: GraphResponse, findings: Finding[]): Map<string, NodeConfigHealth> {
  const out = new Map<string, NodeConfigHealth>();
  for (const { data } of graph.elements.nodes) {
    if (data.isBox) continue;
    let health: NodeConfigHealth | undefined;
    for (const f of findings) {
      if (!findingConcerns(data, f)) continue;
      health ??= { error: 0, warning: 0, info: 0, codes: [] };
      health[f.severity]++;
      if (!health.codes.includes(f.code)) health.codes.push(f.code);
    }
    if (health) out.set(data.id, health);
  }
  return out;
}

/** The worst severity of a node's config health. */
export function worstOf(health: NodeConfigHealth): Severity {
  return health.error > 0 ? 'error' : health.warning > 0 ? 'warning' : 'info';
}

/**
 * The graph with `mlConfig` on the nodes findings concern. With `onlyWithFindings`, the other nodes go,
 * with the edges that touch them and the boxes left empty.
 */
export function markGraph(graph: GraphResponse, findings: Finding[], onlyWithFindings: boolean): GraphResponse {
  const health = configHealthByNode(graph, findings);
  if (health.size === 0 && !onlyWithFindings) return graph;
  let nodes = graph.elements.nodes.map((n) => {
    const h = health.get(n.data.id);
    return h ? { ...n, data: { ...n.data, mlConfig: h } as MarkedNodeData } : n;
  });
  let edges = graph.elements.edges;
  if (onlyWithFindings) {
    const parentOf = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data.parent]));
    const keep = new Set<string>();
    for (const id of health.keys()) {
      // a kept node keeps its boxes (namespace, app), so it is still drawn where it belongs
      for (let at: string | undefined = id; at && !keep.has(at); at = parentOf.get(at)) keep.add(at);
    }
    nodes = nodes.filter((n) => keep.has(n.data.id));
    edges = edges.filter((e) => keep.has(e.data.source) && keep.has(e.data.target));
  }
  return { ...graph, elements: { nodes, edges } };
}

/** The `mlConfig` of node data, when the graph page marked it. */
export function configHealthOf(node: NodeData): NodeConfigHealth | undefined {
  return (node as MarkedNodeData).mlConfig;
}

/** The cytoscape class of a marked node (`config-error`…), or undefined. */
export function configClass(node: NodeData): string | undefined {
  const h = configHealthOf(node);
  return h ? `config-${worstOf(h)}` : undefined;
}

/** The side panel's sentence for a marked node. */
export function describeConfigHealth(node: NodeData): string {
  const h = configHealthOf(node);
  if (!h) return '';
  const parts = [h.error ? `${h.error} error${h.error === 1 ? '' : 's'}` : '', h.warning ? `${h.warning} warning${h.warning === 1 ? '' : 's'}` : '', h.info ? `${h.info} info` : ''].filter(Boolean);
  return `Configuration findings: ${parts.join(', ')} (${h.codes.join(', ')}); the Config page lists them`;
}

/** Kinds whose objects run as pods: a finding about one of them maps to graph nodes by workload name. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/** Whether an object can show on the graph (and so deserves a "show in graph" link). */
export function onGraph(ref: ObjectRef): boolean {
  return ref.kind === 'Service' || ref.kind === 'Pod' || ref.kind === 'ServiceEntry' || ref.kind === 'VirtualService' || WORKLOAD_KINDS.has(ref.kind);
}
