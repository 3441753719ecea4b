/** The resource types the test API server serves, as a real API server's discovery describes them. */

export interface ServedResource {
  group: string;
  /** Versions served, newest first; objects are stored once and shown in the version asked for. */
  versions: string[];
  /** Plural resource name, as in the URL. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Built-in types: list items carry no apiVersion/kind (CRD lists do), as on a real API server. */
  builtin: boolean;
}

const core = (resource: string, kind: string, namespaced = true): ServedResource => ({ group: '', versions: ['v1'], resource, kind, namespaced, builtin: true });
const apps = (resource: string, kind: string): ServedResource => ({ group: 'apps', versions: ['v1'], resource, kind, namespaced: true, builtin: true });
const crd = (group: string, versions: string[], resource: string, kind: string): ServedResource => ({ group, versions, resource, kind, namespaced: true, builtin: false });

export const BUILTIN_RESOURCES: ServedResource[] = [
  core('namespaces', 'Namespace', false),
  core('services', 'Service'),
  core('pods', 'Pod'),
  core('serviceaccounts', 'ServiceAccount'),
  core('configmaps', 'ConfigMap'),
  core('secrets', 'Secret'),
  core('endpoints', 'Endpoints'),
  apps('deployments', 'Deployment'),
  apps('statefulsets', 'StatefulSet'),
  apps('daemonsets', 'DaemonSet'),
  apps('replicasets', 'ReplicaSet'),
  { group: 'batch', versions: ['v1'], resource: 'jobs', kind: 'Job', namespaced: true, builtin: true },
  { group: 'batch', versions: ['v1'], resource: 'cronjobs', kind: 'CronJob', namespaced: true, builtin: true },
];

/** Istio's CRDs with the versions Istio 1.22+ serves. */
export function istioResources(options: { networkingVersions?: string[]; securityVersions?: string[]; telemetryVersions?: string[] } = {}): ServedResource[] {
  const net = options.networkingVersions ?? ['v1', 'v1beta1', 'v1alpha3'];
  const sec = options.securityVersions ?? ['v1', 'v1beta1'];
  const tel = options.telemetryVersions ?? ['v1', 'v1alpha1'];
  const g = 'networking.istio.io';
  return [
    crd(g, net, 'virtualservices', 'VirtualService'),
    crd(g, net, 'destinationrules', 'DestinationRule'),
    crd(g, net, 'gateways', 'Gateway'),
    crd(g, net, 'serviceentries', 'ServiceEntry'),
    crd(g, net, 'sidecars', 'Sidecar'),
    crd(g, net, 'workloadentries', 'WorkloadEntry'),
    crd(g, net, 'workloadgroups', 'WorkloadGroup'),
    // EnvoyFilter is only served as v1alpha3, whatever the other kinds are at.
    crd(g, ['v1alpha3'], 'envoyfilters', 'EnvoyFilter'),
    crd('security.istio.io', sec, 'peerauthentications', 'PeerAuthentication'),
    crd('security.istio.io', sec, 'requestauthentications', 'RequestAuthentication'),
    crd('security.istio.io', sec, 'authorizationpolicies', 'AuthorizationPolicy'),
    crd('telemetry.istio.io', tel, 'telemetries', 'Telemetry'),
  ];
}

/**
 * The Gateway API's CRDs as a cluster serves them: the standard channel (GatewayClass, Gateway, HTTPRoute,
 * GRPCRoute at v1, ReferenceGrant at v1beta1) and, with `experimental`, TCPRoute and TLSRoute at v1alpha2.
 */
export function gatewayApiResources(options: { standardVersions?: string[]; referenceGrantVersions?: string[]; experimental?: boolean } = {}): ServedResource[] {
  const g = 'gateway.networking.k8s.io';
  const std = options.standardVersions ?? ['v1', 'v1beta1'];
  return [
    { ...crd(g, std, 'gatewayclasses', 'GatewayClass'), namespaced: false },
    crd(g, std, 'gateways', 'Gateway'),
    crd(g, std, 'httproutes', 'HTTPRoute'),
    crd(g, ['v1'], 'grpcroutes', 'GRPCRoute'),
    crd(g, options.referenceGrantVersions ?? ['v1beta1'], 'referencegrants', 'ReferenceGrant'),
    ...(options.experimental === false ? [] : [crd(g, ['v1alpha2'], 'tcproutes', 'TCPRoute'), crd(g, ['v1alpha2'], 'tlsroutes', 'TLSRoute')]),
  ];
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
