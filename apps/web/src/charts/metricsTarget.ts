/**
 * From a selected graph node or edge to the `/api/metrics` query of its charts (contract in
 * packages/model/src/metrics.ts), or a sentence saying why it has none. Pure, so the rules are unit-tested.
 *
 * - A node is named by the label its graph type uses: `workload` for workload nodes, `app` [+ `version`] for
 *   (versioned) app nodes, `service` for service nodes — for a ServiceEntry its host, which is what Istio
 *   reports as `destination_service_name`. Unknown callers are Istio's `unknown` workload.
 * - An edge S → T asks T's inbound traffic with S as the peer; when T is a service node (a Service, a
 *   ServiceEntry, an egress cluster) it asks S's outbound traffic with T as the peer, since no workload of
 *   T reports it. When both are service nodes (service graph), T inbound with S as the peer.
 */
import type { EdgeData, MetricsQuery, MetricsTarget, NodeData } from '@meshlens/model';

export type TargetResult = { ok: true; target: MetricsTarget } | { ok: false; reason: string };

/** The metrics target of a node. */
export function nodeTarget(node: NodeData): TargetResult {
  if (node.isBox) return { ok: false, reason: 'A box groups other nodes: select a node inside it to see its charts.' };
  const ns = node.namespace;
  if (node.nodeType === 'unknown') return { ok: true, target: { namespace: 'unknown', workload: 'unknown' } };
  if (node.nodeType === 'workload' && node.workload) return { ok: true, target: { namespace: ns, workload: node.workload } };
  if (node.nodeType === 'app' && node.app) return { ok: true, target: { namespace: ns, app: node.app, ...(node.version ? { version: node.version } : {}) } };
  if (node.nodeType === 'service') {
    const service = node.isServiceEntry?.hosts[0] ?? node.service;
    if (service) return { ok: true, target: { namespace: ns, service } };
  }
  return { ok: false, reason: 'This node carries no workload, app or service name, so its telemetry cannot be selected.' };
}

/** Is this node drawn for a service (no workload of its own reports its traffic)? */
function isServiceNode(node: NodeData): boolean {
  return node.nodeType === 'service';
}

export interface MetricsSubject {
  target: MetricsTarget;
  direction: 'inbound' | 'outbound';
  peer?: MetricsTarget;
}

export type SubjectResult = { ok: true; subject: MetricsSubject } | { ok: false; reason: string };

/** The charts of a node, inbound (traffic it receives) or outbound (traffic it sends; not for service nodes). */
export function nodeSubject(node: NodeData, direction: 'inbound' | 'outbound'): SubjectResult {
  const t = nodeTarget(node);
  if (!t.ok) return t;
  const dir = isServiceNode(node) ? 'inbound' : node.nodeType === 'unknown' ? 'outbound' : direction;
  return { ok: true, subject: { target: t.target, direction: dir } };
}

/** The charts of an edge from `source` to `target`. */
export function edgeSubject(source: NodeData | undefined, target: NodeData | undefined): SubjectResult {
  if (!source || !target) return { ok: false, reason: 'One end of this edge is not in the graph any more.' };
  const s = nodeTarget(source);
  const t = nodeTarget(target);
  if (!s.ok) return s;
  if (!t.ok) return t;
  if (isServiceNode(target) && !isServiceNode(source) && source.nodeType !== 'unknown') {
    return { ok: true, subject: { target: s.target, direction: 'outbound', peer: t.target } };
  }
  return { ok: true, subject: { target: t.target, direction: 'inbound', peer: s.target } };
}

/** The `/api/metrics` URL of a subject over [start, end]. */
export function metricsPath(subject: MetricsSubject, start: number, end: number, step?: number): string {
  const q: MetricsQuery = { ...subject.target, direction: subject.direction, start, end, ...(step !== undefined ? { step } : {}) };
  const p = new URLSearchParams();
  const add = (key: string, value: string | number | undefined) => {
    if (value !== undefined) p.set(key, String(value));
  };
  add('namespace', q.namespace);
  add('workload', q.workload);
  add('app', q.app);
  add('version', q.version);
  add('service', q.service);
  add('direction', q.direction);
  if (subject.peer) {
    add('peerNamespace', subject.peer.namespace);
    add('peerWorkload', subject.peer.workload);
    add('peerApp', subject.peer.app);
    add('peerVersion', subject.peer.version);
    add('peerService', subject.peer.service);
  }
  add('start', q.start);
  add('end', q.end);
  add('step', q.step);
  return `/api/metrics?${p.toString()}`;
}

/** Which charts fit an edge: TCP bytes for TCP edges, requests/errors/latency for HTTP and gRPC ones. */
export function edgeCharts(edge: EdgeData): Array<'requests' | 'errors' | 'latency' | 'tcp'> {
  return edge.traffic.protocol === 'tcp' ? ['tcp'] : ['requests', 'errors', 'latency'];
}
