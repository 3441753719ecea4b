/**
 * Egress routers (a pod that forwards ports to fixed external IPs, seed 003) run without a sidecar, so no
 * proxy reports the leg from the router to the outside. Their forwarding table is configuration Meshlens
 * can read: draw each forward as a configured edge to its external address, so the graph shows where the
 * traffic that enters the router leaves the cluster.
 */
import type { GraphEdge, NodeData } from '@meshlens/model';

/** Adds `ext:ip:port` nodes and configured edges for the forwards of every egress-router node in the graph. */
export function addEgressForwards(nodes: NodeData[], edges: GraphEdge[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // The router's workload node and the Service in front of it both carry the table; draw each forward once,
  // from the workload side when it is in the graph (the Service only when it stands alone).
  const routers = nodes.filter((n) => n.isEgressRouter).sort((a, b) => Number(a.nodeType === 'service') - Number(b.nodeType === 'service'));
  const drawn = new Set<string>();
  for (const router of routers) {
    for (const f of router.isEgressRouter!.forwards) {
      // A bare-IP fallback line (port 0) forwards every other port: there is no single address to draw.
      if (!f.targetIP || f.port === 0) continue;
      const key = `${router.namespace}/${f.port}/${f.targetIP}/${f.targetPort}`;
      if (drawn.has(key)) continue;
      drawn.add(key);
      const targetPort = f.targetPort || f.port;
      const id = `ext:${f.targetIP.includes(':') ? `[${f.targetIP}]` : f.targetIP}:${targetPort}`;
      if (!byId.has(id)) {
        const label = id.slice(4);
        const node: NodeData = { id, nodeType: 'service', namespace: 'unknown', service: label, label, isExternalIP: { ip: f.targetIP, port: targetPort }, traffic: [], health: 'NA' };
        byId.set(id, node);
        nodes.push(node);
      }
      const edge: GraphEdge = {
        data: {
          id: `${router.id}->${id}:forward:${f.port}`,
          source: router.id,
          target: id,
          traffic: { protocol: 'tcp', rates: {}, responses: {} },
          reporter: 'none',
          isConfigured: { kind: 'egressRouterForward', port: f.port, protocol: f.protocol, targetPort },
        },
      };
      edges.push(edge);
    }
  }
}
