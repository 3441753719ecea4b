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
  /**
   * The caller's mTLS identity where the tracer cannot derive it (`from: outside`, or to try another one):
   * `spiffe://cluster.local/ns/<ns>/sa/<sa>`, `cluster.local/ns/<ns>/sa/<sa>` or `<ns>/<sa>`. Without it a workload's
   * identity comes from its pods' serviceAccountName.
   */
  principal?: string;
  /** The request's JWT principal, `<iss>/<sub>` (`request.auth.principal`), valid where a RequestAuthentication accepts `iss`. */
  requestPrincipal?: string;
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
  /**
   * What the server side of this hop (the `to` workload's sidecar, a gateway, ztunnel or a waypoint) checked before
   * the request reached it, in Istio's order: mTLS (PeerAuthentication), then AuthorizationPolicies (CUSTOM, DENY, ALLOW).
   */
  security?: SecurityStep[];
}

/** One check of the server side of a hop (reference §3.15–3.16). */
export interface SecurityStep {
  /** `mtls`: PeerAuthentication decides whether the connection is accepted; `authz`: AuthorizationPolicies decide on the request. */
  kind: 'mtls' | 'authz';
  /** The proxy that checks: `the sidecar of bookinfo/reviews-v1`, `gateway istio-system/istio-ingressgateway`, `ztunnel`. */
  enforcedBy: string;
  /** `allowed`: the request goes on; `denied`: an AuthorizationPolicy refused it; `refused`: the connection was not accepted. */
  verdict: 'allowed' | 'denied' | 'refused';
  /** mtls: the connection is mutual TLS and the client's identity, `cluster.local/ns/<ns>/sa/<sa>`, is known to the server. */
  mtls?: boolean;
  principal?: string;
  /** mtls: the server's effective PeerAuthentication mode on the port. */
  mode?: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  /** The objects and rules that decided (the matching rule `spec.rules[i]`, or each policy considered), with why. */
  decidedBy: RuleRef[];
  /** In a sentence or two. */
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
  | { kind: 'connection-refused'; responseCode: 503; responseFlags: 'UF' }
  /**
   * An AuthorizationPolicy refused the request at the server side: HTTP answers 403 `RBAC: access denied` (Envoy's
   * flag `-`, response_code 403); a TCP connection is closed (responseCode 0). `policy` and `ruleIndex` name the DENY
   * rule that matched; with `action: 'ALLOW'` no ALLOW policy matched and `considered` lists the ALLOW policies.
   */
  | {
    kind: 'denied-by-policy'; responseCode: 403 | 0; responseFlags: '-'; action: 'DENY' | 'ALLOW';
    policy?: ObjectRef; ruleIndex?: number; considered?: ObjectRef[]; enforcedBy: string;
  }
  /**
   * A plaintext connection to a server whose PeerAuthentication is STRICT: the server's inbound listener has no
   * plaintext filter chain (its Envoy logs NR, filter_chain_not_found) and resets the connection. A client sidecar
   * answers 503 with Envoy's flag UC (upstream connection termination); a client without a proxy gets no HTTP response
   * (responseCode 0, a connection reset).
   */
  | { kind: 'plaintext-refused'; responseCode: 503 | 0; responseFlags: 'UC' | '-'; policy?: ObjectRef; enforcedBy: string };

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
