/**
 * The Istio standard metric labels, filled the way Envoy's istio_stats filter fills them (reference/istio.md §4.2,
 * §4.3): `unknown` for whatever the reporting proxy cannot know, PassthroughCluster / BlackHoleCluster as the
 * service name of unregistered destinations, and no label at all where Istio leaves one empty (Prometheus drops
 * empty labels, so an HTTP series has no `grpc_response_status`).
 */
import type { WorkloadView } from '@meshlens/mesh';

export const UNKNOWN = 'unknown';

/** What one side of a reported request is, as far as the labels go. */
export interface SourceInfo {
  /** Undefined for clients outside the mesh. */
  workload?: WorkloadView;
  /** spiffe identity, when mTLS carries it. */
  principal: string;
  cluster: string;
}

export interface DestinationInfo {
  /** Undefined when the reporting proxy cannot know which workload answered. */
  workload?: WorkloadView;
  principal: string;
  /** destination_service (a host; `unknown` for TCP passthrough) */
  service: string;
  /** destination_service_name (short name, SE host, PassthroughCluster, BlackHoleCluster) */
  serviceName: string;
  serviceNamespace: string;
  cluster: string;
}

export type Reporter = 'source' | 'destination' | 'waypoint';

/** `spiffe://<trust domain>/ns/<ns>/sa/<sa>` of a workload. */
export function spiffeOf(w: WorkloadView, trustDomain: string): string {
  return `spiffe://${trustDomain}/ns/${w.namespace}/sa/${w.serviceAccount}`;
}

/** Istio's canonical service: the canonical-name label, else app.kubernetes.io/name, else app, else the workload name. */
export function canonicalService(w: WorkloadView): string {
  return w.labels['service.istio.io/canonical-name'] ?? w.labels['app.kubernetes.io/name'] ?? w.labels.app ?? w.name;
}

/** Istio's canonical revision: the canonical-revision label, else app.kubernetes.io/version, else version, else `latest`. */
export function canonicalRevision(w: WorkloadView): string {
  return w.labels['service.istio.io/canonical-revision'] ?? w.labels['app.kubernetes.io/version'] ?? w.labels.version ?? 'latest';
}

function sideLabels(prefix: 'source' | 'destination', w: WorkloadView | undefined): Record<string, string> {
  return {
    [`${prefix}_workload`]: w?.name ?? UNKNOWN,
    [`${prefix}_workload_namespace`]: w?.namespace ?? UNKNOWN,
    [`${prefix}_app`]: w?.labels.app ?? UNKNOWN,
    [`${prefix}_version`]: w?.labels.version ?? UNKNOWN,
    [`${prefix}_canonical_service`]: w ? canonicalService(w) : UNKNOWN,
    [`${prefix}_canonical_revision`]: w ? canonicalRevision(w) : UNKNOWN,
  };
}

export interface RequestLabelInput {
  reporter: Reporter;
  source: SourceInfo;
  destination: DestinationInfo;
  /** `http`, `grpc` or `tcp` */
  protocol: 'http' | 'grpc' | 'tcp';
  /** Only for HTTP/gRPC. */
  responseCode?: string;
  grpcStatus?: string;
  responseFlags: string;
  /** `mutual_tls` / `none` on destination reports; source reports always say `unknown`. */
  mtls: boolean;
}

/** The full label set of one series, in the order Istio's proxies emit it. */
export function istioLabels(x: RequestLabelInput): Record<string, string> {
  const s = sideLabels('source', x.source.workload);
  const d = sideLabels('destination', x.destination.workload);
  const labels: Record<string, string> = {
    reporter: x.reporter,
    source_workload: s.source_workload!,
    source_canonical_service: s.source_canonical_service!,
    source_canonical_revision: s.source_canonical_revision!,
    source_workload_namespace: s.source_workload_namespace!,
    source_principal: x.source.principal,
    source_app: s.source_app!,
    source_version: s.source_version!,
    source_cluster: x.source.cluster,
    destination_workload: d.destination_workload!,
    destination_workload_namespace: d.destination_workload_namespace!,
    destination_principal: x.destination.principal,
    destination_app: d.destination_app!,
    destination_version: d.destination_version!,
    destination_service: x.destination.service,
    destination_canonical_service: d.destination_canonical_service!,
    destination_canonical_revision: d.destination_canonical_revision!,
    destination_service_name: x.destination.serviceName,
    destination_service_namespace: x.destination.serviceNamespace,
    destination_cluster: x.destination.cluster,
    request_protocol: x.protocol,
  };
  if (x.protocol !== 'tcp') {
    labels.response_code = x.responseCode ?? '200';
    if (x.protocol === 'grpc' && x.grpcStatus) labels.grpc_response_status = x.grpcStatus;
  }
  labels.response_flags = x.responseFlags;
  labels.connection_security_policy = x.reporter === 'source' ? UNKNOWN : x.mtls ? 'mutual_tls' : 'none';
  return labels;
}

/** A stable key for a label set (label order is fixed by `istioLabels`). */
export function seriesKey(metric: string, labels: Record<string, string>): string {
  let k = metric;
  for (const [n, v] of Object.entries(labels)) k += `\u0000${n}=${v}`;
  return k;
}

/** Envoy prints several response flags joined by commas in its own fixed order. */
const FLAG_ORDER = ['LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'RL', 'UAEX', 'DC', 'URX'];

/** Joins response flags the way Envoy prints them (`-` when there are none). */
export function joinFlags(flags: string[]): string {
  const set = [...new Set(flags.filter((f) => f && f !== '-'))];
  if (set.length === 0) return '-';
  return set.sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b)).join(',');
}

/** gRPC status Envoy maps an HTTP status to (used when a gRPC request fails before the server answers). */
export function grpcStatusOf(code: string): string {
  switch (code) {
    case '200': return '0';
    case '404': return '12';
    case '504': return '4';
    case '500': return '13';
    default: return '14';
  }
}
