/**
 * The side panel's ways into the route tracer: "Trace a request from here" on a node that stands for a workload, and
 * "Trace this request" on an edge — from its source to its destination's host, with the port and scheme the mesh
 * declares for it (pages/trace/edgeTrace.ts).
 */
import { Link } from '@tanstack/react-router';
import type { EdgeData, NodeData } from '@meshlens/model';
import { useTraceSuggestions } from '../api/trace';
import { edgeRequest, edgeUrl, traceSourceOfNode } from '../pages/trace/edgeTrace';
import { traceLink } from '../router/links';

export function NodeTraceLink({ node }: { node: NodeData }) {
  const from = traceSourceOfNode(node);
  if (!from || from === 'outside') return null;
  return (
    <p className="panel-detail-links">
      <Link {...traceLink({ from })} data-testid="node-trace-link">Trace a request from here</Link>
    </p>
  );
}

/** `resolved`: the request the Why section traced (a host read from the proxy's log when the telemetry names none). */
export function EdgeTraceLink({ edge, source, target, resolved }: { edge: EdgeData; source: NodeData | undefined; target: NodeData | undefined; resolved?: { from: string; url: string } }) {
  const request = edgeRequest(edge, source, target);
  // a Service's ports are not in the graph: the tracer's suggestions have them (one small, cached request)
  const suggestions = useTraceSuggestions(request.host ?? '', request.needsPort && request.host !== null);
  if (!request.from) return null;
  // Until the Service's ports are known the link names no URL (a port-less one would trace port 80, not the Service's).
  const portPending = request.needsPort && request.host !== null && suggestions.isPending;
  const url = portPending ? undefined : (resolved?.url ?? edgeUrl(request, request.needsPort ? suggestions.data?.hosts : []));
  return (
    <p className="panel-detail-links">
      <Link {...traceLink({ from: request.from, url })} data-testid="edge-trace-link">Trace this request</Link>
      {!url && <span className="muted">{' (the telemetry names no host: give the URL on the tracer)'}</span>}
    </p>
  );
}
