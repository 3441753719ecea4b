/** The graph JSON served by `GET /api/graph` and printed by `meshlens graph`: cytoscape elements with Kiali's field names. */

export type GraphType = 'app' | 'versionedApp' | 'workload' | 'service';
export const GRAPH_TYPES: GraphType[] = ['versionedApp', 'app', 'workload', 'service'];

export type NodeType = 'app' | 'workload' | 'service' | 'box' | 'unknown';
export type HealthStatus = 'Healthy' | 'Degraded' | 'Failure' | 'NA';
export type Protocol = 'http' | 'grpc' | 'tcp';
/** Which proxy's report an edge's numbers come from. `mixed` when some series came from each. */
export type Reporter = 'destination' | 'source' | 'mixed' | 'none';

export interface ServiceEntryInfo {
  hosts: string[];
  location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  namespace: string;
  name: string;
  resolution?: string;
  ports?: Array<{ number: number; protocol?: string; name?: string }>;
}

export interface GatewayInfo {
  ingressInfo?: { hostnames: string[] };
  egressInfo?: { hostnames: string[] };
  /** A Gateway API gateway: the listeners' hostnames (`*` for a listener without one). */
  gatewayAPIInfo?: { hostnames: string[] };
}

/**
 * Which proxy's report an edge's numbers come from. `sidecar-*` are Envoy sidecars and gateways (Istio's
 * `reporter="source"` / `"destination"`), `waypoint` an ambient waypoint's L7 report (`reporter="waypoint"`),
 * `ztunnel-*` ambient ztunnel's L4 reports (`istio_tcp_*` emitted by a ztunnel pod).
 */
export type TelemetrySource = 'sidecar-source' | 'sidecar-destination' | 'waypoint' | 'ztunnel-source' | 'ztunnel-destination';

/** Node-level traffic: rates in/out per protocol. */
export interface NodeTraffic {
  protocol: Protocol;
  rates: Record<string, number>;
}

/** What Meshlens knows of a pod behind a node (seed 003: pod IP, node IP, host aliases). */
export interface PodInfo {
  name: string;
  ip?: string;
  hostIP?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
  hasSidecar: boolean;
}

/** A port forwarded by an egress-router style pod to an address outside the cluster. */
export interface EgressForward {
  port: number;
  protocol: string;
  targetIP: string;
  targetPort: number;
}

export interface NodeData {
  id: string;
  nodeType: NodeType;
  cluster?: string;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
  /** Compound parent (namespace or app box). */
  parent?: string;
  isBox?: 'namespace' | 'app';
  /** Human label drawn on the node. */
  label?: string;
  isRoot?: boolean;
  isOutside?: boolean;
  isInaccessible?: boolean;
  isIdle?: boolean;
  isDead?: boolean;
  isServiceEntry?: ServiceEntryInfo;
  isGateway?: GatewayInfo;
  /** A Gateway API gateway workload (Kiali's `isK8sGatewayAPI`), with the Gateway object it was deployed for. */
  isK8sGatewayAPI?: { namespace: string; name: string; gatewayClassName?: string };
  /** An ambient waypoint proxy (a Gateway of class `istio-waypoint`); only in graphs that show waypoints. */
  isWaypoint?: boolean;
  /** The workloads are enrolled in the ambient mesh (ztunnel captures their traffic). */
  isAmbient?: boolean;
  /** Gateway API routes (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute) whose backends include this node's Service. */
  hasK8sRoutes?: Array<{ kind: string; namespace: string; name: string }>;
  /** PassthroughCluster / BlackHoleCluster nodes. */
  isEgressCluster?: 'PassthroughCluster' | 'BlackHoleCluster';
  /** A destination reached by IP address with no service behind it (`203.0.113.25:443`). */
  isExternalIP?: { ip: string; port?: number };
  /** An egress-router style pod and what it forwards. */
  isEgressRouter?: { forwards: EgressForward[] };
  hasVS?: { hostnames: string[]; objects: Array<{ namespace: string; name: string }> };
  hasCB?: boolean;
  hasFaultInjection?: boolean;
  hasMirroring?: boolean;
  hasRequestRouting?: boolean;
  hasRequestTimeout?: boolean;
  hasTrafficShifting?: boolean;
  hasTCPTrafficShifting?: boolean;
  hasMissingSidecar?: boolean;
  hasWorkloadEntry?: Array<{ name: string }>;
  /** Services requested on this node. */
  destServices?: Array<{ namespace: string; name: string }>;
  labels?: Record<string, string>;
  pods?: PodInfo[];
  traffic?: NodeTraffic[];
  health?: HealthStatus;
  /** Worst error ratio seen on inbound traffic (0..1), the basis of `health`. */
  healthErrorRatio?: number;
  /** A collapsed group (node budget): `health` is its members' worst. Group ids: `group:ns:<ns>`, `group:app:<ns>:<app>`. */
  group?: NodeGroup;
}

/** One node inside a collapsed group, enough to find it and say how it is. */
export interface GroupMember {
  id: string;
  name: string;
  health?: HealthStatus;
}

/** A namespace or an app collapsed into one node because the graph is over its node budget. */
export interface NodeGroup {
  kind: 'namespace' | 'app';
  /** What `expand=` takes to open it: `team-04` or `team-04/reviews`. */
  key: string;
  count: number;
  /** Members whose health is Degraded or Failure. */
  unhealthy: number;
  members: GroupMember[];
}

/** Per response code: share of the edge's requests (percent) by Envoy response flags and by destination host. */
export interface ResponseDetail {
  flags: Record<string, number>;
  hosts: Record<string, number>;
}

export interface EdgeTraffic {
  protocol: Protocol;
  /**
   * http: http, http3xx, http4xx, http5xx, httpNoResponse, httpPercentErr, httpPercentReq;
   * grpc: grpc, grpcErr, grpcNoResponse, grpcPercentErr, grpcPercentReq;
   * tcp: tcp (bytes/s), tcpPercentReq.
   */
  rates: Record<string, number>;
  responses: Record<string, ResponseDetail>;
}

export interface ResponseTimes {
  avg?: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  traffic: EdgeTraffic;
  /** p95 in ms (Kiali's default edge response time). */
  responseTime?: number;
  responseTimes?: ResponseTimes;
  /** bytes/s: request+response bodies for HTTP, sent+received for TCP. */
  throughput?: number;
  /** Percent of traffic with `connection_security_policy="mutual_tls"`. */
  isMTLS?: number;
  reporter: Reporter;
  /**
   * Every proxy whose reports the edge's numbers were taken from, after de-duplication (sorted). Ambient meshes
   * mix sidecars, waypoints and ztunnel; each request and byte is counted once, from one of these.
   */
  telemetry?: TelemetrySource[];
  /**
   * Part of a path through an ambient waypoint, when waypoints are shown: `to` the waypoint or `from` it.
   * With waypoints hidden the path is one edge from the client to the destination.
   */
  waypoint?: { direction: 'to' | 'from'; namespace: string; name: string };
  healthStatus?: HealthStatus;
  /** A mirrored (shadow) copy of traffic: its responses are ignored by the caller. */
  isMirror?: boolean;
  /**
   * Drawn from configuration, not telemetry (reporter `none`): a port an egress router forwards to an
   * address outside the cluster. Its pod has no sidecar, so no proxy reports what crosses it (seed 003).
   */
  isConfigured?: { kind: 'egressRouterForward'; port: number; protocol: string; targetPort: number };
  /** An edge to or from a collapsed group: the sum of `edges` edges (rates summed, worst health, slowest p95). */
  group?: { edges: number };
}

export interface GraphNode {
  data: NodeData;
}
export interface GraphEdge {
  data: EdgeData;
}

export interface GraphResponse {
  /** Unix seconds of the end of the window. */
  timestamp: number;
  /** Window length in seconds. */
  duration: number;
  graphType: GraphType;
  namespaces: string[];
  elements: { nodes: GraphNode[]; edges: GraphEdge[] };
  /** Things the user should know about this graph (telemetry unavailable, truncated…). */
  warnings?: string[];
  /** Present when a node budget was asked: how many nodes the graph has, how many are drawn, what is open. */
  grouping?: { budget: number; total: number; visible: number; expanded: string[] };
  /** Present when only a node's neighbourhood is shown. */
  neighbourhood?: { focus: string; hops: number };
}

export interface GraphOptions {
  graphType: GraphType;
  namespaces: string[];
  /** Window in seconds. */
  duration: number;
  /** End of the window, unix seconds. */
  queryTime: number;
  includeIdle?: boolean;
  /** Boxes per namespace (default true) and per app (app/versionedApp graphs). */
  boxByNamespace?: boolean;
  boxByApp?: boolean;
  /**
   * Draw ambient waypoints as nodes (client → waypoint → destination). Off by default, as in Kiali: edges then
   * go from the client to the destination directly and the waypoint's reports count the requests once.
   */
  showWaypoints?: boolean;
}
