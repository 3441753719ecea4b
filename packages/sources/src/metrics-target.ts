/**
 * From a graph node (and, for an edge, its peer) to the label matchers of its series. The labels are the ones
 * the graph used to make that node, so a chart counts the same requests as the node or edge it belongs to.
 *
 * - inbound: destination labels for the node, source labels for the peer, the destination proxy's reports
 *   (it saw the requests that reached the node) — but a service node is seen by its clients: `reporter="source"`,
 *   which also counts requests that never reached a workload.
 * - outbound: source labels for the node, destination labels for the peer, the source proxy's reports.
 */
import { workloadsOfService, type Inventory } from '@meshlens/mesh';
import type { MetricsQuery, MetricsTarget } from '@meshlens/model';
import { eq, oneOf, type LabelMatcher } from './prometheus/promql.js';

export class MetricsTargetError extends Error {}

type Side = 'source' | 'destination';

/** The node a query names, or undefined when it names none. */
function targetOf(ns: string | undefined, t: { workload?: string; app?: string; version?: string; service?: string }, what: string): MetricsTarget | undefined {
  const given = [t.workload, t.app, t.service].filter((v) => v !== undefined && v !== '').length;
  if (ns === undefined && given === 0) return undefined;
  if (!ns) throw new MetricsTargetError(`${what}: namespace is required with workload, app or service`);
  if (given !== 1) throw new MetricsTargetError(`${what}: give exactly one of workload, app or service (as in the graph node's data)`);
  if (t.version && !t.app) throw new MetricsTargetError(`${what}: version only narrows an app`);
  return { namespace: ns, ...(t.workload ? { workload: t.workload } : {}), ...(t.app ? { app: t.app } : {}), ...(t.version ? { version: t.version } : {}), ...(t.service ? { service: t.service } : {}) };
}

/** Matchers that select one node's series on one side of the request. */
export function nodeMatchers(inv: Inventory, node: MetricsTarget, side: Side): LabelMatcher[] {
  const p = side === 'source' ? 'source' : 'destination';
  if (node.workload) return [eq(`${p}_workload_namespace`, node.namespace), eq(`${p}_workload`, node.workload)];
  if (node.app) {
    return [eq(`${p}_workload_namespace`, node.namespace), eq(`${p}_canonical_service`, node.app), ...(node.version ? [eq(`${p}_canonical_revision`, node.version)] : [])];
  }
  const service = node.service!;
  if (side === 'destination') return [eq('destination_service_namespace', node.namespace), eq('destination_service_name', service)];
  // A service as a caller (service graphs draw callers as the Service that fronts them): its workloads.
  const svc = inv.services.find((s) => s.namespace === node.namespace && s.name === service);
  const names = svc ? workloadsOfService(inv, svc).map((w) => w.name).sort() : [];
  if (names.length === 0) return [eq('source_workload_namespace', node.namespace), eq('source_canonical_service', service)];
  return [eq('source_workload_namespace', node.namespace), oneOf('source_workload', names)];
}

export interface ResolvedMetricsTarget {
  target: MetricsTarget;
  peer?: MetricsTarget;
  direction: 'inbound' | 'outbound';
  matchers: LabelMatcher[];
}

/** Validates a `/api/metrics` query and returns the matchers of its series; throws MetricsTargetError with a sentence to show. */
export function resolveMetricsTarget(inv: Inventory, q: Omit<MetricsQuery, 'namespace'> & { namespace?: string }): ResolvedMetricsTarget {
  const target = targetOf(q.namespace, q, 'the node');
  if (!target) throw new MetricsTargetError('namespace and one of workload, app or service are required (the selected graph node\'s data)');
  const peer = targetOf(q.peerNamespace, { workload: q.peerWorkload, app: q.peerApp, version: q.peerVersion, service: q.peerService }, 'the peer');
  const direction = q.direction ?? 'inbound';
  if (direction === 'outbound' && target.service) {
    throw new MetricsTargetError('a service node has only inbound traffic: ask direction=inbound, or ask the calling node with direction=outbound');
  }
  const own: Side = direction === 'inbound' ? 'destination' : 'source';
  const other: Side = own === 'source' ? 'destination' : 'source';
  const reporter = direction === 'outbound' || target.service ? 'source' : 'destination';
  const matchers = [eq('reporter', reporter), ...nodeMatchers(inv, target, own), ...(peer ? nodeMatchers(inv, peer, other) : [])];
  return { target, direction, matchers, ...(peer ? { peer } : {}) };
}
