/** The indexed inventory the engine works on: every object, plus views that answer the mesh's questions fast. */
import type { InventoryObject, LoadError } from '@meshlens/model';

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
  nodePort?: number;
}

export interface ServiceView {
  obj: InventoryObject;
  namespace: string;
  name: string;
  /** `name.namespace.svc.cluster.local` */
  hostname: string;
  type: string;
  ports: ServicePort[];
  selector?: Record<string, string>;
  externalName?: string;
  clusterIP?: string;
  /** `networking.istio.io/exportTo` annotation, split. */
  exportTo?: string[];
}

export interface ContainerView {
  name: string;
  image?: string;
  ports: Array<{ name?: string; containerPort: number; protocol?: string }>;
  env?: Array<{ name: string; value?: string }>;
}

export interface PodView {
  namespace: string;
  name: string;
  /** The Istio workload this pod belongs to (Deployment name for Deployment pods). */
  workload: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ip?: string;
  hostIP?: string;
  nodeName?: string;
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
  serviceAccount: string;
  containers: ContainerView[];
  hasSidecar: boolean;
  /** Made from a workload's template because the input held no Pod objects for it. */
  synthetic: boolean;
  obj?: InventoryObject;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'Pod' | 'ReplicationController';

export interface WorkloadView {
  namespace: string;
  name: string;
  kind: WorkloadKind;
  obj?: InventoryObject;
  /** Pod template labels (or the pod's labels for bare pods). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Istio's canonical service / revision (app / version labels). */
  app?: string;
  version?: string;
  serviceAccount: string;
  /** Replicas the controller asks for (`spec.replicas`, clamped to 0..2147483647; 1 for kinds without the field). */
  replicas: number;
  /**
   * The workload's Pod objects from the input, or — when the input has none — at most MAX_SYNTHETIC_PODS pods made
   * from its template that stand for its replicas. Not a count of pods: `podCount` is.
   */
  pods: PodView[];
  containers: ContainerView[];
  hasSidecar: boolean;
  /** An Istio gateway proxy (ingress/egress gateway Deployment): it reports telemetry itself. */
  isGatewayProxy: boolean;
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
}

export interface NamespaceView {
  name: string;
  labels: Record<string, string>;
  obj?: InventoryObject;
  /** Sidecar injection is enabled by a namespace label. */
  injection: boolean;
  /** `istio.io/dataplane-mode=ambient`: the namespace's pods are in the ambient mesh (ztunnel captures them). */
  ambient: boolean;
  /** `istio.io/use-waypoint` (`none` kept as written: it opts out). */
  useWaypoint?: string;
  /** `istio.io/use-waypoint-namespace`: where the waypoint named by useWaypoint lives. */
  useWaypointNamespace?: string;
  /** `istio.io/ingress-use-waypoint=true`: ingress gateways send to the waypoint instead of the pods. */
  ingressUseWaypoint: boolean;
}

export interface MeshConfig {
  rootNamespace: string;
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  trustDomain: string;
  enableAutoMtls: boolean;
  /** The ConfigMap it came from, when there was one. */
  obj?: InventoryObject;
}

/** The Istio kinds the inventory indexes, by kind name. */
export const ISTIO_KINDS = [
  'VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup',
  'PeerAuthentication', 'RequestAuthentication', 'AuthorizationPolicy', 'EnvoyFilter', 'Telemetry',
] as const;
export type IstioKind = (typeof ISTIO_KINDS)[number];

/**
 * The Kubernetes Gateway API kinds the inventory indexes (group gateway.networking.k8s.io, any served version: v1,
 * v1beta1, v1alpha2), by bare kind. Their refs carry the qualified kind `Kind.gateway.networking.k8s.io`
 * (refKindOf in @meshlens/model), so `Gateway` here never meets Istio's `Gateway` in `istio`.
 */
export const GATEWAY_API_KINDS = ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant'] as const;
export type GatewayApiKind = (typeof GATEWAY_API_KINDS)[number];

export interface Inventory {
  objects: InventoryObject[];
  errors: LoadError[];
  /** By `refKey()`. */
  byKey: Map<string, InventoryObject>;
  namespaces: Map<string, NamespaceView>;
  services: ServiceView[];
  /** By FQDN (`name.ns.svc.cluster.local`). */
  servicesByHost: Map<string, ServiceView>;
  workloads: WorkloadView[];
  /** By `ns/name`. */
  workloadsByKey: Map<string, WorkloadView>;
  pods: PodView[];
  serviceAccounts: InventoryObject[];
  /** Secrets as metadata only: `data` is never kept. */
  secrets: InventoryObject[];
  configMaps: InventoryObject[];
  istio: Record<IstioKind, InventoryObject[]>;
  /** Gateway API objects by bare kind (`gatewayApi.Gateway` holds Gateway API Gateways only). */
  gatewayApi: Record<GatewayApiKind, InventoryObject[]>;
  meshConfig: MeshConfig;
  clusterDomain: string;
}
