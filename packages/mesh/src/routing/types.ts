/** Internal shapes of the tracer: the proxy that applies rules, and partial paths ("legs") between proxies. */
import type { Endpoint, RuleRef, TracePath, TraceProtocol, TraceRequest } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';

/** Who applies routing rules at this step. */
export interface ProxyContext {
  /** `sidecar`: a mesh workload's sidecar; `gateway`: a gateway proxy; `none`: no proxy (plain Kubernetes routing). */
  kind: 'sidecar' | 'gateway' | 'none';
  /** Namespace of the proxy: config visibility, DestinationRule lookup and short names start here. */
  namespace: string;
  workload?: WorkloadView;
  /** Labels of the proxy's workload (`sourceLabels` matches them). */
  labels: Record<string, string>;
  /** The endpoint hops start from. */
  from: Endpoint;
  /** `who` in explanations: "the sidecar of bookinfo/productpage-v1". */
  who: string;
}

/** A TracePath under construction. `continueAt` asks the tracer to go on from a gateway proxy. */
export interface Leg extends Omit<TracePath, 'weight'> {
  weight: number;
  continueAt?: { gateway: WorkloadView; port: number; arrival: Endpoint };
}

/** What every step needs. */
export interface TraceState {
  inv: Inventory;
  req: TraceRequest;
  problems: string[];
}

/** The request as a proxy sees it at one step. */
export interface Request {
  protocol: TraceProtocol;
  /** Normalized host (no port), when there is one. */
  host?: string;
  ip?: string;
  port: number;
  path: string;
  method: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  sni?: string;
}

/** A route destination chosen by a rule, before the registry resolves it. */
export interface RouteTarget {
  /** `destination.host`, short names expanded in the rule's namespace. */
  host: string;
  port?: number;
  subset?: string;
  /** Share of the rule's traffic (0..1). */
  share: number;
  /** The rule refs that led here (VirtualService rule, match, route entry). */
  refs: RuleRef[];
  /** Sentence start: "The sidecar of x matched rule … of VirtualService …" (the resolver completes it). */
  why: string;
  /** "80% of the requests (spec.http[1].route[0], weight 80)" when the rule splits traffic. */
  shareNote?: string;
}
