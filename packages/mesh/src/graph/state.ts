/** The graph under construction: nodes by id and edges by (source, target, protocol). */
import type { Protocol } from '@meshlens/model';
import type { NodeSeed } from './ids.js';
import type { ReporterName } from './reporters.js';

export interface NodeState {
  seed: NodeSeed;
  /** Services requested on this node, by `ns/name`. */
  destServices: Map<string, { namespace: string; name: string }>;
  /** Workload names telemetry gave for this node (a vapp node may stand for several). */
  workloadNames: Set<string>;
  idle: boolean;
}

export interface ResponseTally {
  flags: Map<string, number>;
  hosts: Map<string, number>;
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
  responses: Map<string, ResponseTally>;
  reporters: Set<ReporterName>;
  /** Destination-reported traffic, and the part of it with `connection_security_policy="mutual_tls"`. */
  mtlsAll: number;
  mtlsSecure: number;
  /** Cumulative duration bucket rates, indexed like `GraphState.bucketBounds` (plain arrays of doubles: no allocation per sample). */
  buckets: PerReporter<number[]>;
  durationSum: PerReporter<number>;
  durationCount: PerReporter<number>;
  bodyBytes: PerReporter<number>;
}

export class GraphState {
  readonly nodes = new Map<string, NodeState>();
  readonly edges = new Map<string, EdgeState>();
  /** Upper bounds (ms) of the duration buckets seen, in order of first sight; `Infinity` for `+Inf`. */
  readonly bucketBounds: number[] = [];

  /** The node for a seed, created on first sight. */
  node(seed: NodeSeed): NodeState {
    let n = this.nodes.get(seed.id);
    if (!n) {
      n = { seed, destServices: new Map(), workloadNames: new Set(), idle: false };
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
        responses: new Map(), reporters: new Set(), mtlsAll: 0, mtlsSecure: 0,
        buckets: { destination: [], source: [] },
        durationSum: { destination: 0, source: 0 },
        durationCount: { destination: 0, source: 0 },
        bodyBytes: { destination: 0, source: 0 },
      };
      this.edges.set(id, e);
    }
    return e;
  }
}
