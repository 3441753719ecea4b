/** The graph under construction: nodes by id and edges by (source, target, protocol). */
import type { Protocol } from '@meshlens/model';
import type { NodeSeed } from './ids.js';
import type { PrecomputedTimes } from './histogram.js';

export interface NodeState {
  seed: NodeSeed;
  /** Services requested on this node, by `ns/name`; created on first use (many nodes are only called by name or only call). */
  destServices: Map<string, { namespace: string; name: string }> | undefined;
  /** Workload names telemetry gave for this node (a vapp node may stand for several); created on first use. */
  workloadNames: Set<string> | undefined;
  idle: boolean;
}

/**
 * Traffic of one response code with one response flag (or one requested host). An edge has a handful of
 * these, so a flat list scanned linearly replaces a Map per code and two per tally: far fewer objects for
 * the garbage collector on large meshes. Values add up in sample order, as with the Maps before.
 */
export interface ResponseCount {
  code: string;
  /** The response flag (`flagCounts`) or requested host (`hostCounts`). */
  key: string;
  value: number;
}

export interface PerReporter<T> {
  destination: T;
  source: T;
}

export interface EdgeState {
  id: string;
  source: string;
  target: string;
  protocol: Protocol;
  /** Requests/s (http, grpc) or bytes/s both ways (tcp). */
  total: number;
  r3xx: number;
  r4xx: number;
  r5xx: number;
  noResponse: number;
  grpcErr: number;
  /** TCP bytes/s from the client to the server and back. */
  tcpSent: number;
  tcpReceived: number;
  /** Per response code: traffic by response flag, and by requested host (see `ResponseCount`). */
  flagCounts: ResponseCount[];
  hostCounts: ResponseCount[];
  /** Which proxies reported the edge's traffic (two booleans: a Set per edge only fed the garbage collector). */
  fromSource: boolean;
  fromDestination: boolean;
  /** Which proxies' reports were counted, as `TELEMETRY_BITS` (ambient.ts). */
  telemetry: number;
  /** A hop into or out of a shown waypoint. */
  waypoint: { direction: 'to' | 'from'; namespace: string; name: string } | undefined;
  /**
   * ztunnel's destination-side L4 reports of this edge's requests (not counted: the L7 reports count them), and the
   * mutual-TLS part: the only word on mTLS when no destination proxy reported the requests.
   */
  l4MtlsAll: number;
  l4MtlsSecure: number;
  /** Destination-reported traffic, and the part of it with `connection_security_policy="mutual_tls"`. */
  mtlsAll: number;
  mtlsSecure: number;
  /** Cumulative duration bucket rates, indexed like `GraphState.bucketBounds` (plain arrays of doubles: no allocation per sample). */
  buckets: PerReporter<number[]>;
  durationSum: PerReporter<number>;
  durationCount: PerReporter<number>;
  bodyBytes: PerReporter<number>;
  /** Duration quantiles Prometheus computed per pair (histogram.ts `PrecomputedTimes`); undefined without them. */
  precomputed: PrecomputedTimes | undefined;
}

/**
 * The empty bucket list every new edge starts with: most edges never see a duration histogram, and
 * `grown()` (histogram.ts) replaces an empty list with a new array before writing, so sharing one is safe
 * and saves two arrays per edge. Never push to it.
 */
export const NO_BUCKETS: number[] = [];

/**
 * Shared, frozen per-reporter holders for edges with no histogram or byte series (most edges of the
 * console's default request): histogram.ts gives an edge its own object before its first write. Frozen, so a
 * write that forgot to do that fails loudly instead of adding to every edge.
 */
export const NO_BUCKET_LISTS: PerReporter<number[]> = Object.freeze({ destination: NO_BUCKETS, source: NO_BUCKETS });
export const NO_TOTALS: PerReporter<number> = Object.freeze({ destination: 0, source: 0 });

/** Same idea for response counts: `addCount()` (traffic.ts) replaces it with a one-element list (a first push would reserve 17 slots). */
export const NO_COUNTS: ResponseCount[] = [];

export class GraphState {
  readonly nodes = new Map<string, NodeState>();
  readonly edges = new Map<string, EdgeState>();
  /** Upper bounds (ms) of the duration buckets seen, in order of first sight; `Infinity` for `+Inf`. */
  readonly bucketBounds: number[] = [];

  /** The node for a seed, created on first sight. */
  node(seed: NodeSeed): NodeState {
    let n = this.nodes.get(seed.id);
    if (!n) {
      n = { seed, destServices: undefined, workloadNames: undefined, idle: false };
      this.nodes.set(seed.id, n);
    }
    return n;
  }

  /** The edge between two nodes for a protocol, created on first sight. */
  edge(source: string, target: string, protocol: Protocol): EdgeState {
    const id = `${source}->${target}:${protocol}`;
    let e = this.edges.get(id);
    if (!e) {
      e = {
        id, source, target, protocol,
        total: 0, r3xx: 0, r4xx: 0, r5xx: 0, noResponse: 0, grpcErr: 0, tcpSent: 0, tcpReceived: 0,
        flagCounts: NO_COUNTS, hostCounts: NO_COUNTS, fromSource: false, fromDestination: false, telemetry: 0, waypoint: undefined, l4MtlsAll: 0, l4MtlsSecure: 0, mtlsAll: 0, mtlsSecure: 0,
        buckets: NO_BUCKET_LISTS, durationSum: NO_TOTALS, durationCount: NO_TOTALS, bodyBytes: NO_TOTALS, precomputed: undefined,
      };
      this.edges.set(id, e);
    }
    return e;
  }
}
