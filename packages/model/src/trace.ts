/** The routing core's question and answer: where does this request go, and which rule decided each step. */
import type { ObjectRef } from './kube.js';

export type TraceProtocol = 'http' | 'http2' | 'grpc' | 'https' | 'tls' | 'tcp';

/** Who sends the request. */
export type TraceSource =
  /** A workload of the mesh (its sidecar applies the `mesh` gateway rules, if it has one). */
  | { kind: 'workload'; namespace: string; name: string }
  /** A client outside the mesh reaching an address directly (no sidecar: no VirtualService applies). */
  | { kind: 'outside' }
  /** A request arriving at a gateway workload (ingress or egress) on `port`. */
  | { kind: 'gateway'; namespace: string; name: string };

export interface TraceRequest {
  source: TraceSource;
  protocol: TraceProtocol;
  /** Host header / authority, or the DNS name the client resolves. */
  host?: string;
  /** Destination IP when the client dials an address (an IP host is also accepted in `host`). */
  ip?: string;
  port: number;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** SNI for TLS; defaults to `host`. */
  sni?: string;
}

/** A rule (object + YAML path) that decided something, with where it is written. */
export interface RuleRef {
  object: ObjectRef;
  /** `spec.http[1].route[0]` */
  path: string;
  file?: string;
  line?: number;
  column?: number;
  /** What this rule did, in a sentence. */
  note: string;
}

export type Endpoint =
  | { kind: 'client'; namespace?: string; workload?: string; description: string }
  | { kind: 'gateway'; namespace: string; workload: string; port: number }
  | { kind: 'service'; namespace: string; name: string; host: string; port: number; subset?: string }
  | { kind: 'workload'; namespace: string; name: string; pods: number; version?: string; app?: string }
  | { kind: 'serviceEntry'; namespace: string; name: string; host: string; port: number; location: 'MESH_EXTERNAL' | 'MESH_INTERNAL'; resolution?: string; address?: string }
  | { kind: 'passthrough'; host?: string; ip?: string; port: number }
  | { kind: 'blackhole'; host?: string; ip?: string; port: number }
  | { kind: 'external'; host?: string; ip?: string; port: number };

/** One step of a request's path. */
export interface Hop {
  from: Endpoint;
  to: Endpoint;
  protocol: TraceProtocol;
  /** Rules that decided this hop, in the order they were applied. Empty when defaults decided. */
  decidedBy: RuleRef[];
  /** Why the request went this way, in words a user can check. */
  explanation: string;
}

export interface FaultEffect {
  /** Injected delay in ms and the share of requests it applies to (0..1). */
  delay?: { ms: number; fraction: number; rule: RuleRef };
  abort?: { httpStatus?: number; grpcStatus?: string; fraction: number; rule: RuleRef };
}

export interface ConnectionPoolLimits {
  maxConnections?: number;
  http1MaxPendingRequests?: number;
  http2MaxRequests?: number;
  maxRequestsPerConnection?: number;
  maxRetries?: number;
  outlierDetection?: { consecutive5xxErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
  rule: RuleRef;
}

export interface MirrorTarget {
  to: Endpoint;
  /** Share of requests mirrored (0..1). */
  fraction: number;
  rule: RuleRef;
}

/**
 * How a request ends on one path. Response codes are what the client sees;
 * `responseFlags` uses Envoy's flags (`NR`, `UH`, `UF`, `UO`, `UT`, `DI`, `FI`, `URX`, `-`).
 */
export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'fault-abort'; responseCode: number; responseFlags: 'FI' }
  | { kind: 'no-route'; responseCode: 404; responseFlags: 'NR' }
  | { kind: 'blackhole'; responseCode: 502; responseFlags: '-' }
  /**
   * The route's destination has no cluster or no endpoint: 503 UH. Under Gateway API semantics (routes Istio builds
   * from HTTPRoute/GRPCRoute) a backendRef that cannot be resolved or is refused (no ReferenceGrant, unknown Service,
   * unsupported kind) is answered 500 with Envoy's flag NC (cluster not found), and a rule whose backends all weigh 0
   * is answered 500 directly (`-`).
   */
  | { kind: 'no-healthy-upstream'; responseCode: 503 | 500; responseFlags: 'UH' | 'NC' | '-' }
  | { kind: 'timeout'; responseCode: 504; responseFlags: 'UT' }
  | { kind: 'connection-refused'; responseCode: 503; responseFlags: 'UF' };

/** One weighted way a request can go. The weights of a trace's paths add up to 1. */
export interface TracePath {
  /** Share of requests taking this path (0..1), from route weights and fault percentages. */
  weight: number;
  hops: Hop[];
  outcome: Outcome;
  /** The final destination (the `to` of the last hop). */
  destination: Endpoint;
  /** `destination_service` as Istio's telemetry would report it (FQDN or host), if any. */
  destinationServiceHost?: string;
  fault?: FaultEffect;
  /** Effective route timeout in ms (none when absent: Istio's default is no timeout for HTTP routes). */
  timeoutMs?: number;
  retries?: { attempts: number; perTryTimeoutMs?: number; retryOn?: string };
  mirrors?: MirrorTarget[];
  connectionPool?: ConnectionPoolLimits;
  /** TLS origination or mTLS on the last hop. */
  tls?: { mode: 'ISTIO_MUTUAL' | 'MUTUAL' | 'SIMPLE' | 'DISABLE' | 'PASSTHROUGH' | 'NONE'; rule?: RuleRef };
}

export interface TraceResult {
  request: TraceRequest;
  paths: TracePath[];
  /** Things that went wrong resolving the request itself (unknown source workload, …). */
  problems: string[];
}
