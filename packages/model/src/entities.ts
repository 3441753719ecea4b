/**
 * The entity pages' payloads: the Overview, the lists of applications, workloads and services, their detail pages,
 * and pod logs (issue 10). Routes, in short (all GET; every list/overview route answers any number of namespaces in
 * one call, with one telemetry query per metric family):
 *
 * - `/api/overview?namespaces=a,b&duration=600&queryTime=<unix>` → `OverviewResponse`
 * - `/api/applications|workloads|services?namespaces=a,b&duration=600&queryTime=<unix>` → `ApplicationListResponse` |
 *   `WorkloadListResponse` | `ServiceListResponse`
 * - `/api/namespaces/:namespace/applications|workloads|services/:name?duration=&queryTime=` → `ApplicationDetail` |
 *   `WorkloadDetail` | `ServiceDetail`
 * - `/api/namespaces/:namespace/applications|workloads|services/:name/graph?graphType=&duration=&queryTime=&responseTime=`
 *   → `NodeGraphResponse`: the one-hop node graph (graph.ts's `GraphResponse` cut to the entity's nodes, listed in
 *   `focus`, and their neighbours); graphType defaults to `workload` for workloads, `versionedApp` otherwise
 * - `/api/namespaces/:namespace/pods/:pod/logs?container=&tailLines=&sinceSeconds=&follow=` → `PodLogsResponse`, or
 *   with `follow=true` an NDJSON stream (`application/x-ndjson`) of `PodLogLine` objects, one per line, ending with
 *   a `PodLogStreamEnd` line when the server stops following. `tailLines` ≤ 10,000 (default 1,000 without
 *   `sinceSeconds`); errors: 400 (which container?), 403 (RBAC, naming `get` `pods/log` and the namespace), 404 (no
 *   such pod or container), 501 (snapshots and manifest files carry no logs).
 *
 * Without `namespaces` a route covers every namespace the caller can see; `duration` is 60 s to 30 days (default 600);
 * `queryTime` defaults to now (a snapshot's capture time on snapshots). A bad parameter gets a 400 naming it.
 */
import type { Finding } from './findings.js';
import type { GraphResponse, HealthStatus, Protocol, Reporter } from './graph.js';
import type { ObjectRef } from './kube.js';

// ---------------------------------------------------------------------------------------------------------------
// Health

/**
 * An entity's health, worst first: `Failure` > `Degraded` > `NotReady` > `Healthy` > `NA`. `NA` means there is
 * nothing to judge: no requests in the window (services, and applications/workloads whose pods are fine but have no
 * requests are `Healthy`) — the lists' "no traffic".
 */
export type EntityStatus = 'Failure' | 'Degraded' | 'NotReady' | 'Healthy' | 'NA';

/** Statuses from worst to best, the order of "worst first" sorting. */
export const ENTITY_STATUSES: readonly EntityStatus[] = ['Failure', 'Degraded', 'NotReady', 'Healthy', 'NA'];

/** Replica state of a workload (or the sum over an application's workloads), Kiali's `WorkloadStatus`. */
export interface ReplicaStatus {
  /** Replicas the controller asks for (`spec.replicas`; a DaemonSet's desired number scheduled; pods of a Job or bare Pod). */
  desired: number;
  /** Replicas that exist (`status.replicas`). */
  current: number;
  /** Replicas available to serve (`status.availableReplicas`, or pods Running and Ready). */
  available: number;
  /** True when the input holds no status for it (manifest files, the demo): the numbers assume every replica is up. */
  assumed?: boolean;
}

/** The request health behind a status, one direction: rates over the window, deduplicated across reporters. */
export interface RequestHealth {
  /** HTTP and gRPC requests per second. */
  rate: number;
  /** Share (0..1) of the requests in the category that decided this direction's verdict (5xx, 4xx, no response, gRPC error). */
  errorRatio: number;
}

/**
 * An entity's health, as Kiali computes it with its default tolerances (reference kiali.md §4.5): error ratios per
 * protocol and direction (inbound for services; inbound and outbound for workloads and applications), and replicas.
 */
export interface EntityHealth {
  /** The verdict: the worst of the request health and, for workloads and applications, the replica status. */
  status: EntityStatus;
  /** One sentence saying why (`5xx on 12.3% of inbound requests (failure from 10%)`, `1 of 2 replicas available`). */
  reason?: string;
  /** The inbound request part of the verdict; absent without inbound requests. */
  requests?: RequestHealth;
  /** The outbound request part (workloads and applications); absent without outbound requests. */
  outbound?: RequestHealth;
  /** The replica part of the verdict (workloads; applications: summed over their workloads). */
  replicas?: ReplicaStatus;
}

/** How many entities are in each status (the Overview's health bars). */
export interface HealthCounts {
  /** Status `Healthy`. */
  healthy: number;
  /** Status `Degraded`. */
  degraded: number;
  /** Status `Failure`. */
  failure: number;
  /** Status `NotReady`: no replica wanted or none started yet. */
  notReady: number;
  /** Status `NA`: no traffic and nothing else to judge. */
  noTraffic: number;
}

/** Configuration findings by severity. */
export interface FindingCounts {
  /** Findings of severity `error`. */
  error: number;
  /** Findings of severity `warning`. */
  warning: number;
  /** Findings of severity `info`. */
  info: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Istio configuration that applies

/**
 * Badge kinds, the graph's badges plus one per policy kind: `VS` VirtualService routes to it, `RR` request routing
 * (matches, subsets or several routes), `TS` traffic shifting (weights), `TCPTS` TCP traffic shifting, `FI` fault
 * injection, `RT` request timeout, `MI` mirroring, `DR` DestinationRule, `CB` circuit breaker (connectionPool or
 * outlierDetection), `GW` Gateway (selects the workload, or a VirtualService binds it to one), `SE` ServiceEntry,
 * `SC` Sidecar, `PA` PeerAuthentication, `RA` RequestAuthentication, `AP` AuthorizationPolicy, `EF` EnvoyFilter,
 * `TM` Telemetry, `WE` WorkloadEntry.
 */
export type IstioBadge = 'VS' | 'RR' | 'TS' | 'TCPTS' | 'FI' | 'RT' | 'MI' | 'DR' | 'CB' | 'GW' | 'SE' | 'SC' | 'PA' | 'RA' | 'AP' | 'EF' | 'TM' | 'WE';

/**
 * Why an object applies: `host` (its hosts name the service, or route to it), `selector` (its workload selector
 * selects the pods), `namespace` (namespace-wide: no selector, same namespace), `mesh` (mesh-wide: the root
 * namespace), `gateway` (a Gateway serving the workload, or bound by a VirtualService that routes to it).
 */
export type AppliesVia = 'host' | 'selector' | 'namespace' | 'mesh' | 'gateway';

/** One Istio object that applies to an entity (a list row carries these without findings). */
export interface AppliedConfigRef {
  /** Kind, namespace and name of the Istio object. */
  ref: ObjectRef;
  /** How it reaches the entity. */
  via: AppliesVia;
  /** The badges this object contributes (a VirtualService can give `VS`, `RR`, `TS`, `FI`…). */
  badges: IstioBadge[];
  /** Its findings by severity (the checks of GET /api/findings). */
  findings: FindingCounts;
}

/** On detail pages: the object with its findings in full. */
export interface AppliedConfig extends AppliedConfigRef {
  /** The object's findings, as GET /api/findings gives them (messages, paths, lines, fixes). */
  findingList: Finding[];
}

/** The Istio configuration of a list row: the objects and the union of their badges. */
export interface AppliedConfigSummary {
  /** Every object that applies, sorted by kind, namespace, name. */
  objects: AppliedConfigRef[];
  /** Union of the objects' badges, in the order of `IstioBadge`'s documentation. */
  badges: IstioBadge[];
}

// ---------------------------------------------------------------------------------------------------------------
// Traffic

/** Inbound traffic of an entity over the window (deduplicated across reporters, as the graph counts it). */
export interface InboundTraffic {
  /** Inbound HTTP + gRPC requests per second. */
  requestRate: number;
  /** Percent (0..100) of inbound requests that failed (4xx, 5xx, no response, gRPC non-OK); absent without requests. */
  errorPercent?: number;
  /** Inbound TCP bytes per second (both directions of the connections it accepts); absent without TCP traffic. */
  tcpBytesRate?: number;
}

/** The far end of a traffic edge, as the graph names nodes. */
export interface TrafficPeer {
  /** The graph node id (`wl:ns:name`, `svc:ns:name`, `app:ns:app`, `vapp:ns:app:v`, `unknown`, `egress:PassthroughCluster`…). */
  id: string;
  /** The graph node type. */
  nodeType: 'app' | 'workload' | 'service' | 'unknown';
  /** Namespace of the node (`unknown` for the unknown source and outside destinations). */
  namespace: string;
  /** What the graph draws on the node. */
  label: string;
  /** Workload name, when the node is (or stands for one) workload. */
  workload?: string;
  /** Canonical service (app). */
  app?: string;
  /** Canonical revision (version). */
  version?: string;
  /** Service name (service nodes). */
  service?: string;
  /** `PassthroughCluster` / `BlackHoleCluster` nodes. */
  egressCluster?: 'PassthroughCluster' | 'BlackHoleCluster';
  /** The node stands for a ServiceEntry (its name). */
  serviceEntry?: string;
  /** The node's namespace was not among the requested ones (or is unknown). */
  isOutside?: boolean;
}

/** One inbound or outbound edge of an entity, from the same graph assembly as GET /api/graph. */
export interface TrafficEdge {
  /** `inbound`: the peer calls the entity; `outbound`: the entity calls the peer. */
  direction: 'inbound' | 'outbound';
  /** The other end. */
  peer: TrafficPeer;
  /** Which of the entity's nodes the edge touches (an application has one per version in a versioned graph). */
  node: string;
  /** `http`, `grpc` or `tcp`. */
  protocol: Protocol;
  /** Requests per second (http, grpc) or bytes per second (tcp). */
  rate: number;
  /** Percent (0..100) of requests that failed; absent for TCP. */
  errorPercent?: number;
  /** Response time p95 in milliseconds (destination-reported when there is a destination report). */
  p95Ms?: number;
  /** Share (percent of the edge) of each response code; `-` for no response (and for TCP). */
  responseCodes: Record<string, number>;
  /** Share (percent of the edge) of each Envoy response flag (`-` for none; `UO`, `NR`, `FI`…). */
  responseFlags: Record<string, number>;
  /** Percent of the edge's destination-reported traffic with `connection_security_policy="mutual_tls"`. */
  mtlsPercent?: number;
  /** Which proxy's report the numbers come from. */
  reporter: Reporter;
  /** The edge's health with Kiali's tolerances. */
  health?: HealthStatus;
}

// ---------------------------------------------------------------------------------------------------------------
// List rows

/** What every list row has. */
export interface EntityRowBase {
  /** Namespace of the entity. */
  namespace: string;
  /** Name: the workload's, the Service's, or the application's (its `app` / canonical-name label). */
  name: string;
  /** Kubernetes labels (workloads: the pod template's; services: the Service's; applications: those all its workloads share). */
  labels: Record<string, string>;
  /** Health with Kiali's default tolerances. */
  health: EntityHealth;
  /** Some pod runs without an Envoy sidecar and is not in an ambient namespace (control-plane namespaces exempt). */
  missingSidecar: boolean;
  /** The pods are enrolled in the ambient mesh (`istio.io/dataplane-mode=ambient` on the pod or namespace). */
  ambient: boolean;
  /** The Istio objects that apply, and their badges. */
  istioConfig: AppliedConfigSummary;
  /** Inbound traffic over the window. */
  traffic: InboundTraffic;
  /** Findings of the entity's own objects and of the Istio objects that apply, by severity. */
  findings: FindingCounts;
}

/** A row of GET /api/workloads. */
export interface WorkloadRow extends EntityRowBase {
  /** Controller kind: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, ReplicationController. */
  kind: string;
  /** Canonical service (`app` label, or `service.istio.io/canonical-name`, or `app.kubernetes.io/name`). */
  app?: string;
  /** Canonical revision (`version` label, …). */
  version?: string;
  /** The pods' service account. */
  serviceAccount: string;
  /** Pods of the workload. */
  podCount: number;
  /** An Istio ingress or egress gateway proxy. */
  gateway?: 'ingress' | 'egress';
  /** The Services whose selector selects it (names, same namespace). */
  services: string[];
}

/** A row of GET /api/applications: the workloads sharing one canonical service name in a namespace. */
export interface ApplicationRow extends EntityRowBase {
  /** Its workloads' names. */
  workloads: string[];
  /** The versions (canonical revisions) of its workloads, sorted. */
  versions: string[];
  /** Services selecting any of its workloads. */
  services: string[];
}

/** A row of GET /api/services. */
export interface ServiceRow extends EntityRowBase {
  /** ClusterIP, NodePort, LoadBalancer, ExternalName. */
  type: string;
  /** Ports as `name port/protocol` (`http 9080/TCP`). */
  ports: string[];
  /** Workloads the selector selects (names). */
  workloads: string[];
  /** The Service's selector; absent for selector-less Services. */
  selector?: Record<string, string>;
}

/** Common envelope of the list routes. */
export interface EntityListBase {
  /** End of the window, unix seconds. */
  timestamp: number;
  /** Window length, seconds. */
  duration: number;
  /** Namespaces covered. */
  namespaces: string[];
  /** Things the user should know (telemetry unavailable, a snapshot answering another window…). */
  warnings?: string[];
}

/** `GET /api/workloads`. */
export interface WorkloadListResponse extends EntityListBase {
  /** Rows sorted by namespace, then name. */
  workloads: WorkloadRow[];
}

/** `GET /api/applications`. */
export interface ApplicationListResponse extends EntityListBase {
  /** Rows sorted by namespace, then name. */
  applications: ApplicationRow[];
}

/** `GET /api/services`. */
export interface ServiceListResponse extends EntityListBase {
  /** Rows sorted by namespace, then name. */
  services: ServiceRow[];
}

// ---------------------------------------------------------------------------------------------------------------
// Pods and details

/** One container of a pod. */
export interface ContainerInfo {
  /** Container name. */
  name: string;
  /** Image reference as written. */
  image?: string;
  /** The container is the Envoy sidecar (or a gateway's proxy). */
  isProxy: boolean;
  /** Added by sidecar injection: the input held the template, not the injected pod. */
  injected?: boolean;
  /** Ready according to the pod status. */
  ready?: boolean;
  /** Restart count from the pod status. */
  restarts?: number;
  /** `running`, `waiting: CrashLoopBackOff`, `terminated: Completed`… */
  state?: string;
}

/** A pod on a detail page. */
export interface PodDetail {
  /** Pod name (the value of `:pod` in the logs route). */
  name: string;
  /** Namespace. */
  namespace: string;
  /** The workload it belongs to. */
  workload: string;
  /** `Running`, `Pending`, `Succeeded`, `Failed`, `Unknown`. */
  phase: string;
  /** Ready containers over containers, as kubectl prints it: `2/2`. */
  ready: string;
  /** Every container is ready (and the pod is Running), or the pod Succeeded. */
  isReady: boolean;
  /** Sum of the containers' restart counts. */
  restarts: number;
  /** `status.podIP`. */
  podIP?: string;
  /** `spec.nodeName`. */
  nodeName?: string;
  /** `status.hostIP`: the node's address. */
  hostIP?: string;
  /** `spec.hostAliases`: extra /etc/hosts entries. */
  hostAliases: Array<{ ip: string; hostnames: string[] }>;
  /** Containers (init containers left out), the sidecar included. */
  containers: ContainerInfo[];
  /** Version of the istio-proxy image (its tag), when the pod has one. */
  istioProxyVersion?: string;
  /** Pod labels. */
  labels: Record<string, string>;
  /** The pod's service account. */
  serviceAccount: string;
  /** ISO 8601 creation (or start) time, when known. */
  createdAt?: string;
  /** True when the input held no status for this pod (manifest files): phase and readiness are assumed. */
  statusAssumed?: boolean;
}

/** The common part of a detail page. */
export interface EntityDetailBase {
  /** End of the window, unix seconds. */
  timestamp: number;
  /** Window length, seconds. */
  duration: number;
  /** Pods behind the entity, sorted by name. */
  pods: PodDetail[];
  /** The Istio objects that apply, with their findings in full. */
  istioConfig: AppliedConfig[];
  /** Inbound then outbound edges, from the graph of the window (one-hop, both directions). */
  traffic: TrafficEdge[];
  /** Findings of the entity's own objects (the Service, the Deployment…). */
  findings: Finding[];
  /**
   * Findings of other objects that involve the entity's objects (name them in `references`): a DestinationRule's
   * finding naming the client pod that carries its subset's labels. Absent when none.
   */
  involving?: Finding[];
  /** Things the user should know (telemetry unavailable…). */
  warnings?: string[];
}

/** A Service that selects a workload. */
export interface ServiceRefInfo {
  /** Service namespace. */
  namespace: string;
  /** Service name. */
  name: string;
  /** Its ports (`name port/protocol`). */
  ports: string[];
}

/** `GET /api/namespaces/:namespace/workloads/:name`. */
export interface WorkloadDetail extends EntityDetailBase {
  /** The list row of the workload (health, config badges, traffic). */
  workload: WorkloadRow;
  /** Services that select it. */
  services: ServiceRefInfo[];
  /**
   * Requests for those Services that no workload received, with a response flag: the caller's proxy (or a gateway)
   * answered them itself (UO circuit breaking, UH no healthy upstream, NR no route…). They are logged by the
   * caller's proxy, not by this workload's; each edge's peer is the caller. Absent when there are none.
   */
  unreached?: UnreachedEdge[];
}

/** Requests a caller's proxy answered itself, with its response flags explained (`-` left out). */
export interface UnreachedEdge extends TrafficEdge {
  explained: ResponseFlagInfo[];
}

/** One port of a Service. */
export interface ServicePortInfo {
  /** Port name. */
  name?: string;
  /** Service port. */
  port: number;
  /** Target port (number or named port). */
  targetPort?: number | string;
  /** Kubernetes L4 protocol (TCP, UDP). */
  protocol: string;
  /** `appProtocol`, when set. */
  appProtocol?: string;
  /** What Istio takes it for (from appProtocol or the name prefix); `auto` when it detects the protocol itself. */
  istioProtocol: string;
}

/** A workload behind a Service, with what routing sends it. */
export interface ServiceBackend {
  /** Workload name. */
  name: string;
  /** Workload kind. */
  kind: string;
  /** `version` (canonical revision), when labelled. */
  version?: string;
  /** Pod template labels. */
  labels: Record<string, string>;
  /** DestinationRule subsets whose labels select it. */
  subsets: string[];
  /**
   * Percent of the default route's traffic a VirtualService sends it (its last, match-less HTTP or TCP rule),
   * shared between workloads of one subset by pod count; absent when no VirtualService routes the host (Kubernetes
   * spreads requests over pods).
   */
  weight?: number;
  /** The workload's health. */
  health: EntityHealth;
}

/** One route of a VirtualService for the Service's host: where its traffic goes. */
export interface ServiceRoute {
  /** The VirtualService. */
  virtualService: ObjectRef;
  /** YAML path of the rule (`spec.http[1]`). */
  path: string;
  /** `http`, `tcp` or `tls`. */
  protocol: 'http' | 'tcp' | 'tls';
  /** The rule has match conditions (headers, URIs, ports, SNI…). */
  matched: boolean;
  /** Human text of the matches (`headers end-user exact jason`). */
  match?: string;
  /** Weighted destinations. */
  destinations: Array<{ host: string; subset?: string; port?: number; weight: number; workloads: string[] }>;
}

/** `GET /api/namespaces/:namespace/services/:name`. */
export interface ServiceDetail extends EntityDetailBase {
  /** The list row of the service. */
  service: ServiceRow;
  /** `name.namespace.svc.<domain>`. */
  hostname: string;
  /** ClusterIP (`None` for headless). */
  clusterIP?: string;
  /** Its ports. */
  ports: ServicePortInfo[];
  /** Workloads behind it. */
  backends: ServiceBackend[];
  /** VirtualService rules for its host, in order. */
  routes: ServiceRoute[];
}

/** `GET /api/namespaces/:namespace/applications/:name`. */
export interface ApplicationDetail extends EntityDetailBase {
  /** The list row of the application. */
  application: ApplicationRow;
  /** Its workloads (list rows). */
  workloads: WorkloadRow[];
  /** Services selecting its workloads (list rows). */
  services: ServiceRow[];
}

/**
 * `GET /api/namespaces/:namespace/{workloads|services|applications}/:name/graph`: the graph of the entity's namespace
 * over the window, reduced to the entity's nodes, their one-hop neighbours and the edges between them (Kiali's node
 * graph), with the boxes they sit in.
 */
export interface NodeGraphResponse extends GraphResponse {
  /** Ids of the nodes that stand for the entity (to highlight); empty when it had no traffic in the window. */
  focus: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Overview

/** mTLS mode of a namespace's server side (what its sidecars accept). */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

/**
 * Where a namespace's mTLS mode comes from: `namespace` (a selector-less PeerAuthentication in it), `mesh` (the
 * mesh-wide one in the root namespace), `default` (none set: Istio's default, PERMISSIVE).
 */
export interface MtlsStatus {
  /** The mode in force; `UNSET` at namespace level inherits the mesh's, so `mode` is never `UNSET` unless nothing decides. */
  mode: MtlsMode;
  /** Which level decided. */
  source: 'namespace' | 'mesh' | 'default';
  /** The PeerAuthentication that decided, when one did. */
  policy?: ObjectRef;
  /** Workload-level PeerAuthentications (with selectors) in the namespace that may override it for some pods. */
  workloadPolicies: ObjectRef[];
}

/** How sidecars get into a namespace's pods. */
export interface InjectionStatus {
  /**
   * `enabled` (istio-injection=enabled), `disabled` (istio-injection=disabled), `revision` (istio.io/rev=<rev>),
   * `ambient` (istio.io/dataplane-mode=ambient), `unset` (no label: no automatic injection).
   */
  mode: 'enabled' | 'disabled' | 'revision' | 'ambient' | 'unset';
  /** The label that decides, as `key=value`. */
  label?: string;
  /** The Istio revision the namespace's proxies come from (`istio.io/rev`, or `default` for istio-injection=enabled). */
  revision?: string;
  /** More than one of istio-injection, istio.io/rev and istio.io/dataplane-mode is set (IST0123). */
  conflicting?: boolean;
}

/** A sparkline over the window: inbound request rate and error percent at evenly spaced times. */
export interface Sparkline {
  /** Unix seconds of each point. */
  timestamps: number[];
  /** Inbound requests/s at each point; null where there was no data. */
  requestRate: Array<number | null>;
  /** Error percent at each point; null without requests. */
  errorPercent: Array<number | null>;
}

/** One namespace card of the Overview. */
export interface NamespaceOverview {
  /** Namespace name. */
  name: string;
  /** Namespace labels. */
  labels: Record<string, string>;
  /** Sidecar injection / revision label state. */
  injection: InjectionStatus;
  /** mTLS mode resolved from PeerAuthentications. */
  mtls: MtlsStatus;
  /** istiod's or a gateway's namespace (the mesh's root namespace included). */
  isControlPlane: boolean;
  /** How many applications, workloads, services and Istio objects it holds. */
  counts: { applications: number; workloads: number; services: number; istioObjects: number };
  /** Health counts per entity type. */
  health: { applications: HealthCounts; workloads: HealthCounts; services: HealthCounts };
  /** Inbound traffic to the namespace's workloads and services over the window. */
  traffic: InboundTraffic;
  /** Inbound request rate and error percent over the window; absent when the telemetry has no history or was too large. */
  sparkline?: Sparkline;
  /** Findings of the namespace's objects by severity. */
  findings: FindingCounts;
  /** The worst status of its applications, workloads and services (`NA` when there is nothing). */
  worstStatus: EntityStatus;
}

/** One istiod pod of the control-plane strip. */
export interface IstiodPod {
  /** Pod name. */
  name: string;
  /** Namespace. */
  namespace: string;
  /** Phase (`Running`…). */
  phase: string;
  /** `1/1`. */
  ready: string;
  /** Ready and Running. */
  isReady: boolean;
  /** Version from the image tag (or the `operator.istio.io/version` label). */
  version?: string;
  /** Revision (`istio.io/rev`; `default` when unlabelled). */
  revision: string;
  /** Restart count. */
  restarts: number;
}

/** An ingress or egress gateway of the control-plane strip. */
export interface GatewaySummary {
  /** Namespace of the gateway workload. */
  namespace: string;
  /** Workload name. */
  name: string;
  /** Ingress or egress. */
  kind: 'ingress' | 'egress';
  /** Its health (replicas and the requests it received). */
  health: EntityHealth;
  /** Ready pods over pods (`1/1`). */
  ready: string;
  /** Revision (`istio.io/rev`), when labelled. */
  revision?: string;
  /** Version of its proxy image. */
  version?: string;
  /** Requests/s it forwarded over the window (source-reported: a gateway reports what it sends). */
  requestRate: number;
}

/** The control-plane strip of the Overview. */
export interface ControlPlaneSummary {
  /** istiod pods (every revision). */
  istiod: IstiodPod[];
  /** Ingress and egress gateway workloads. */
  gateways: GatewaySummary[];
  /** The mesh's root namespace. */
  rootNamespace: string;
  /** The mesh-wide mTLS mode (root-namespace PeerAuthentication, else Istio's default PERMISSIVE). */
  meshMtls: MtlsStatus;
  /** `ALLOW_ANY` or `REGISTRY_ONLY`. */
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
}

/** `GET /api/overview`. */
export interface OverviewResponse {
  /** End of the window, unix seconds. */
  timestamp: number;
  /** Window length, seconds. */
  duration: number;
  /** One card per namespace, sorted by name (the page sorts worst first by `worstStatus`). */
  namespaces: NamespaceOverview[];
  /** istiod and gateways. */
  controlPlane: ControlPlaneSummary;
  /** Things the user should know (telemetry unavailable, sparklines left out…). */
  warnings?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Logs

/** One Envoy response flag and what it means. */
export interface ResponseFlagInfo {
  /** The short flag as logged (`UO`). */
  flag: string;
  /** Envoy's long name (`UpstreamOverflow`). */
  name: string;
  /** One sentence saying what happened. */
  meaning: string;
}

/** An istio-proxy access-log line in Istio's default format, split into its fields (`-` fields are left out). */
export interface EnvoyAccessLog {
  /** `%START_TIME%` (ISO 8601). */
  startTime: string;
  /** HTTP method; absent for TCP. */
  method?: string;
  /** `%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%`. */
  path?: string;
  /** `HTTP/1.1`, `HTTP/2`; absent for TCP. */
  protocol?: string;
  /** `%RESPONSE_CODE%`; 0 when no response was sent (and for TCP). */
  responseCode: number;
  /** `%RESPONSE_FLAGS%`, split, each explained; empty when `-`. */
  responseFlags: ResponseFlagInfo[];
  /** `%RESPONSE_CODE_DETAILS%` (`via_upstream`, `route_not_found`, `upstream_reset_before_response_started{overflow}`). */
  responseCodeDetails?: string;
  /** `%CONNECTION_TERMINATION_DETAILS%`. */
  connectionTerminationDetails?: string;
  /** `%UPSTREAM_TRANSPORT_FAILURE_REASON%` (TLS errors). */
  upstreamTransportFailureReason?: string;
  /** `%BYTES_RECEIVED%`. */
  bytesReceived: number;
  /** `%BYTES_SENT%`. */
  bytesSent: number;
  /** `%DURATION%`, milliseconds. */
  durationMs: number;
  /** `%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%`, milliseconds. */
  upstreamServiceTimeMs?: number;
  /** `%REQ(X-FORWARDED-FOR)%`. */
  forwardedFor?: string;
  /** `%REQ(USER-AGENT)%`. */
  userAgent?: string;
  /** `%REQ(X-REQUEST-ID)%`. */
  requestId?: string;
  /** `%REQ(:AUTHORITY)%`. */
  authority?: string;
  /** `%UPSTREAM_HOST%`: the address the request went to. */
  upstreamHost?: string;
  /** `%UPSTREAM_CLUSTER_RAW%` (`outbound|8000||httpbin.ns.svc.cluster.local`, `inbound|80||`, `PassthroughCluster`). */
  upstreamCluster?: string;
  /** `%UPSTREAM_LOCAL_ADDRESS%`. */
  upstreamLocalAddress?: string;
  /** `%DOWNSTREAM_LOCAL_ADDRESS%`. */
  downstreamLocalAddress?: string;
  /** `%DOWNSTREAM_REMOTE_ADDRESS%`. */
  downstreamRemoteAddress?: string;
  /** `%REQUESTED_SERVER_NAME%` (SNI). */
  requestedServerName?: string;
  /** `%ROUTE_NAME%`. */
  routeName?: string;
  /** From the upstream cluster: `inbound` (into this pod), `outbound` (from it); absent when it cannot tell. */
  direction?: 'inbound' | 'outbound';
}

/** One log line. */
export interface PodLogLine {
  /** The kubelet's RFC 3339 timestamp of the line (nanoseconds kept as written). */
  timestamp?: string;
  /** The line without its timestamp. */
  message: string;
  /** For istio-proxy lines in Istio's default access-log format: the parsed fields. */
  accessLog?: EnvoyAccessLog;
}

/** `GET /api/namespaces/:namespace/pods/:pod/logs` (without `follow`). */
export interface PodLogsResponse {
  /** Namespace. */
  namespace: string;
  /** Pod. */
  pod: string;
  /** The container read (the only one when none was named). */
  container: string;
  /** Lines, oldest first. */
  lines: PodLogLine[];
  /** Where the lines come from: the cluster's API server, or the demo's simulator. */
  source: 'kubernetes' | 'demo';
  /** More lines matched `sinceSeconds` than one answer carries (10,000): the oldest were left out. */
  truncated?: boolean;
}

/** The last line of a followed (`follow=true`) NDJSON stream: why it ended. */
export interface PodLogStreamEnd {
  /** Always true: distinguishes this line from a `PodLogLine`. */
  end: true;
  /** Why the stream ended (`the container stopped`, an error message). */
  reason: string;
  /** HTTP-like status of an error that ended it (403, 404…), absent for a normal end. */
  statusCode?: number;
}
