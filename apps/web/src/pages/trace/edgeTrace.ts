/**
 * "Trace a request from here" and "Trace this request" from the graph: the tracer's `from` for a node, and for an
 * edge, `from` plus the URL of its destination — the destination service's host with the port and scheme the mesh
 * declares for it (from the tracer's suggestions), a ServiceEntry's host, an outside address, or for
 * PassthroughCluster and BlackHoleCluster edges the host their telemetry names. Pure.
 */
import type { EdgeData, NodeData, TraceHostSuggestion } from '@meshlens/model';

/** The tracer's `from` for a graph node: its workload, `outside` for the unknown source; null when it stands for none. */
export function traceSourceOfNode(node: Pick<NodeData, 'id' | 'nodeType' | 'namespace' | 'workload' | 'isBox' | 'isServiceEntry' | 'isEgressCluster'>): string | null {
  if (node.isBox || node.isServiceEntry || node.isEgressCluster) return null;
  if (node.id === 'unknown') return 'outside';
  if (!node.workload || !node.namespace || node.namespace === 'unknown') return null;
  return `${node.namespace}/${node.workload}`;
}

/** What an edge's request is, before the URL's port is looked up: the source, the host, the scheme, a port when known. */
export interface EdgeRequest {
  from: string | null;
  /** The host to trace to (a Service FQDN, a ServiceEntry host, an IP, the host an egress cluster's telemetry names). */
  host: string | null;
  scheme: 'http' | 'grpc' | 'tcp';
  port?: number;
  /** True when the port must come from the mesh's declaration of the host (a Service: the graph does not carry ports). */
  needsPort: boolean;
}

function hostOfResponses(edge: EdgeData): string | null {
  for (const detail of Object.values(edge.traffic.responses)) {
    for (const host of Object.keys(detail.hosts)) if (host && host !== 'unknown' && !host.includes('*')) return host;
  }
  return null;
}

/** The request an edge stands for, from its ends and its telemetry. */
export function edgeRequest(edge: EdgeData, source: NodeData | undefined, target: NodeData | undefined): EdgeRequest {
  const scheme = edge.traffic.protocol;
  const from = source ? traceSourceOfNode(source) : null;
  if (!target) return { from, host: null, scheme, needsPort: false };
  if (target.isEgressCluster) return { from, host: hostOfResponses(edge), scheme, needsPort: false };
  if (target.isExternalIP) return { from, host: target.isExternalIP.ip, scheme, ...(target.isExternalIP.port !== undefined ? { port: target.isExternalIP.port } : {}), needsPort: false };
  if (target.isServiceEntry) {
    const host = target.isServiceEntry.hosts.find((h) => !h.includes('*')) ?? hostOfResponses(edge);
    const port = target.isServiceEntry.ports?.[0]?.number;
    return { from, host, scheme, ...(port !== undefined ? { port } : {}), needsPort: port === undefined };
  }
  // A service node, or a workload/app node: the Service the requests named (destServices), else the one the node is.
  const svc = target.destServices?.[0] ?? (target.service && target.service !== 'unknown' ? { namespace: target.namespace, name: target.service } : undefined);
  if (svc && svc.namespace !== 'unknown') return { from, host: `${svc.name}.${svc.namespace}.svc.cluster.local`, scheme, needsPort: true };
  return { from, host: hostOfResponses(edge), scheme, needsPort: false };
}

function schemeOfUrl(url: string): string {
  return url.slice(0, url.indexOf(':'));
}

/** A URL for the request: a suggested URL of the host whose scheme fits the edge's protocol, else one built from what is known. */
export function edgeUrl(r: EdgeRequest, suggestions: TraceHostSuggestion[] = []): string | null {
  if (!r.host) return null;
  const candidates = suggestions.filter((s) => s.host === r.host);
  const fits = (s: TraceHostSuggestion) => {
    const scheme = schemeOfUrl(s.url);
    return r.scheme === 'tcp' ? scheme === 'tcp' || scheme === 'tls' || scheme === 'https' : scheme === r.scheme || (r.scheme === 'http' && scheme === 'grpc') || (r.scheme === 'grpc' && scheme === 'http');
  };
  const withPort = r.port !== undefined ? candidates.find((s) => fits(s) && s.url.endsWith(`:${r.port}`)) : undefined;
  const picked = withPort ?? candidates.find(fits);
  if (picked) return picked.url;
  const host = r.host.includes(':') && !r.host.startsWith('[') ? `[${r.host}]` : r.host;
  const port = r.port;
  if (r.scheme === 'tcp') {
    if (port === undefined) return null;
    return port === 443 ? `https://${host}` : `tcp://${host}:${port}`;
  }
  return `${r.scheme}://${host}${port !== undefined && !(r.scheme === 'http' && port === 80) ? `:${port}` : ''}`;
}
