/** Words for the side panel: node kinds, rate names, health. Pure, so the wording is unit-tested. */
import type { HealthStatus, NodeData } from '@meshlens/model';
import { formatBytesPerSecond, formatRps } from '../format/units';

/** What kind of thing a node is, in words. */
export function nodeKind(node: NodeData): string {
  if (node.isBox === 'namespace') return 'Namespace';
  if (node.isBox === 'app') return 'App box';
  if (node.isEgressCluster) return node.isEgressCluster === 'BlackHoleCluster' ? 'Blocked egress (BlackHoleCluster)' : 'Unregistered egress (PassthroughCluster)';
  if (node.isExternalIP) return 'External IP address';
  if (node.isServiceEntry) return `Service entry (${node.isServiceEntry.location === 'MESH_EXTERNAL' ? 'external' : 'internal'})`;
  if (node.isGateway) return node.isGateway.egressInfo && !node.isGateway.ingressInfo ? 'Egress gateway' : 'Ingress gateway';
  if (node.isEgressRouter) return 'Egress router';
  switch (node.nodeType) {
    case 'app':
      return 'App';
    case 'workload':
      return 'Workload';
    case 'service':
      return 'Service';
    case 'unknown':
      return 'Unknown source';
    default:
      return node.nodeType;
  }
}

/** Why an egress-cluster node exists, for people who have not met Envoy's clusters. */
export const EGRESS_CLUSTER_HELP: Record<NonNullable<NodeData['isEgressCluster']>, string> = {
  PassthroughCluster:
    'Requests to a destination that no Service or ServiceEntry defines, let through because outboundTrafficPolicy is ALLOW_ANY. Define a ServiceEntry to see and control this traffic.',
  BlackHoleCluster:
    'Requests to a destination that no Service or ServiceEntry defines, dropped because outboundTrafficPolicy is REGISTRY_ONLY. Add a ServiceEntry if this traffic is wanted.',
};

export const HEALTH_WORDS: Record<HealthStatus, string> = {
  Healthy: 'Healthy',
  Degraded: 'Degraded',
  Failure: 'Failure',
  NA: 'No health information',
};

const RATE_WORDS: Record<string, string> = {
  httpIn: 'HTTP in',
  httpIn3xx: 'HTTP in 3xx',
  httpIn4xx: 'HTTP in 4xx',
  httpIn5xx: 'HTTP in 5xx',
  httpInNoResponse: 'HTTP in, no response',
  httpOut: 'HTTP out',
  grpcIn: 'gRPC in',
  grpcInErr: 'gRPC in errors',
  grpcInNoResponse: 'gRPC in, no response',
  grpcOut: 'gRPC out',
  tcpIn: 'TCP in',
  tcpOut: 'TCP out',
};

/** A node rate key in words ("httpIn5xx" → "HTTP in 5xx"); unknown keys are shown as they are. */
export function rateName(key: string): string {
  return RATE_WORDS[key] ?? key;
}

/** A node rate with its unit: bytes/s for TCP keys, requests/s otherwise. */
export function formatNodeRate(key: string, value: number): string {
  return key.startsWith('tcp') ? formatBytesPerSecond(value) : formatRps(value);
}
