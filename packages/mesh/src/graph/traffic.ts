/** Turns de-duplicated request and TCP series into nodes and edges, keeping only traffic that touches a requested namespace. */
import type { PromSample, Protocol, TelemetrySamples } from '@meshlens/model';
import type { GraphContext } from './context.js';
import { destinationSeed, destinationService, sourceSeed, type NodeSeed } from './ids.js';
import { isOK, label } from './labels.js';
import { PairIndex, sameKey } from './pair-index.js';
import { deduplicate, type CountedSeries } from './reporters.js';
import type { EdgeState, GraphState, ResponseTally } from './state.js';

export interface Endpoints {
  source: NodeSeed;
  target: NodeSeed;
  /** The edge these endpoints' traffic went to, once traffic created it (histograms and byte sums look it up here). */
  edge?: EdgeState;
}

/** Resolves a metric's endpoints once per distinct label pair: histograms repeat the same pair for every bucket. */
export class EndpointResolver {
  private readonly cache = new PairIndex<Endpoints | null>();
  /** The last series resolved and its answer: a histogram's buckets usually come one after another. */
  private lastMetric: Record<string, string> | undefined;
  private lastHit: Endpoints | null = null;
  constructor(private readonly ctx: GraphContext) {}

  /** The source and target nodes of a series, or null when it is bad telemetry or touches no requested namespace. */
  resolve(m: Record<string, string>): Endpoints | null {
    // Same answer as the index would give (same pair labels → same entry); any order of samples stays correct.
    if (this.lastMetric !== undefined && (this.lastMetric === m || sameKey(this.lastMetric, m))) return this.lastHit;
    let hit = this.cache.get(m);
    if (hit === undefined) {
      hit = this.compute(m);
      this.cache.set(m, hit);
    }
    this.lastMetric = m;
    this.lastHit = hit;
    return hit;
  }

  private compute(m: Record<string, string>): Endpoints | null {
    const source = sourceSeed(this.ctx, m);
    const target = destinationSeed(this.ctx, m);
    if (!source || !target) return null;
    const r = this.ctx.requested;
    const touches = r.has(source.namespace) || r.has(target.namespace)
      || r.has(label(m, 'source_workload_namespace')) || r.has(label(m, 'destination_workload_namespace')) || r.has(label(m, 'destination_service_namespace'));
    return touches ? { source, target } : null;
  }
}

/** Adds `istio_requests_total` (HTTP and gRPC) to the graph. */
export function addRequestTraffic(ctx: GraphContext, state: GraphState, resolver: EndpointResolver, samples: TelemetrySamples): void {
  for (const c of deduplicate(samples.istio_requests_total)) {
    const ends = resolver.resolve(c.metric);
    if (!ends) continue;
    const protocol: Protocol = c.metric.request_protocol === 'grpc' ? 'grpc' : 'http';
    const e = linkEndpoints(ctx, state, ends, c, protocol);
    const code = responseCode(c.metric, protocol);
    e.total += c.value;
    if (code === '-') e.noResponse += c.value;
    else if (protocol === 'grpc') {
      if (isGrpcError(code)) e.grpcErr += c.value;
    } else if (code.startsWith('3')) e.r3xx += c.value;
    else if (code.startsWith('4')) e.r4xx += c.value;
    else if (code.startsWith('5')) e.r5xx += c.value;
    tallyResponse(e, code, c);
    if (c.reporter === 'destination') {
      e.mtlsAll += c.value;
      if (c.metric.connection_security_policy === 'mutual_tls') e.mtlsSecure += c.value;
    }
  }
}

/**
 * Adds TCP bytes. Istio names TCP byte counters by the direction of the flow, for either reporter:
 * `istio_tcp_received_bytes_total` counts bytes the server received (client → server, Kiali's `rateTcp=sent`)
 * and `istio_tcp_sent_bytes_total` bytes the server sent back. An edge's `tcp` is both together.
 */
export function addTcpTraffic(ctx: GraphContext, state: GraphState, resolver: EndpointResolver, samples: TelemetrySamples): void {
  const add = (list: PromSample[] | undefined, direction: 'tcpSent' | 'tcpReceived') => {
    for (const c of deduplicate(list)) {
      const ends = resolver.resolve(c.metric);
      if (!ends) continue;
      const e = linkEndpoints(ctx, state, ends, c, 'tcp');
      e.total += c.value;
      e[direction] += c.value;
      tallyResponse(e, '-', c);
      if (c.reporter === 'destination') {
        e.mtlsAll += c.value;
        if (c.metric.connection_security_policy === 'mutual_tls') e.mtlsSecure += c.value;
      }
    }
  };
  add(samples.istio_tcp_received_bytes_total, 'tcpSent');
  add(samples.istio_tcp_sent_bytes_total, 'tcpReceived');
}

function linkEndpoints(ctx: GraphContext, state: GraphState, ends: Endpoints, c: CountedSeries, protocol: Protocol): EdgeState {
  let e = ends.edge;
  if (e === undefined) {
    // Every series of a pair has the same endpoints and requested service: link them on the first one only.
    const src = state.node(ends.source);
    const dst = state.node(ends.target);
    if (ends.source.workload) src.workloadNames.add(ends.source.workload);
    if (ends.target.workload) dst.workloadNames.add(ends.target.workload);
    const svc = destinationService(ctx, c.metric);
    if (svc && isOK(svc.namespace) && !ends.target.egressCluster && !ends.target.externalIP) dst.destServices.set(`${svc.namespace}/${svc.name}`, svc);
    e = ends.edge = state.edge(ends.source.id, ends.target.id, protocol);
  }
  e.reporters.add(c.reporter);
  return e;
}

/** `0` (and a missing code) means the proxy produced no response: Kiali writes it `-`. gRPC edges key by gRPC status. */
function responseCode(m: Record<string, string>, protocol: Protocol): string {
  const http = label(m, 'response_code');
  if (http === '0' || http === '') return '-';
  if (protocol === 'grpc') {
    const grpc = label(m, 'grpc_response_status');
    if (grpc !== '') return grpc;
  }
  return http;
}

/** gRPC: any status but 0 is an error; a 3-digit code means the call failed at the HTTP level, where 4xx/5xx are errors. */
function isGrpcError(code: string): boolean {
  if (code.length === 3) return code.startsWith('4') || code.startsWith('5');
  return code !== '0';
}

function tallyResponse(e: EdgeState, code: string, c: CountedSeries): void {
  let t: ResponseTally | undefined = e.responses.get(code);
  if (!t) e.responses.set(code, (t = { flags: new Map(), hosts: new Map() }));
  const flag = label(c.metric, 'response_flags') || '-';
  t.flags.set(flag, (t.flags.get(flag) ?? 0) + c.value);
  const host = label(c.metric, 'destination_service') || 'unknown';
  t.hosts.set(host, (t.hosts.get(host) ?? 0) + c.value);
}
