/** Turns de-duplicated request and TCP series into nodes and edges, keeping only traffic that touches a requested namespace. */
import type { PromSample, Protocol, TelemetrySamples } from '@meshlens/model';
import type { GraphContext } from './context.js';
import { destinationSeed, destinationService, sourceSeed, type NodeSeed } from './ids.js';
import { isOK, label } from './labels.js';
import { PairIndex, sameKey } from './pair-index.js';
import { forEachCounted, type ReporterName } from './reporters.js';
import type { EdgeState, GraphState, ResponseCount } from './state.js';

export interface Endpoints {
  source: NodeSeed;
  target: NodeSeed;
  /** The edge these endpoints' traffic went to, once traffic created it (histograms and byte sums look it up here). */
  edge: EdgeState | undefined;
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
    // `edge` set now (not added later): adding a property to a finished literal allocates a property store per pair.
    return touches ? { source, target, edge: undefined } : null;
  }
}

/** Adds `istio_requests_total` (HTTP and gRPC) to the graph. */
export function addRequestTraffic(ctx: GraphContext, state: GraphState, resolver: EndpointResolver, samples: TelemetrySamples): void {
  forEachCounted(samples.istio_requests_total, (metric, value, reporter) => {
    const ends = resolver.resolve(metric);
    if (!ends) return;
    const protocol: Protocol = metric.request_protocol === 'grpc' ? 'grpc' : 'http';
    const e = linkEndpoints(ctx, state, ends, metric, reporter, protocol);
    const code = responseCode(metric, protocol);
    e.total += value;
    if (code === '-') e.noResponse += value;
    else if (protocol === 'grpc') {
      if (isGrpcError(code)) e.grpcErr += value;
    } else if (code.startsWith('3')) e.r3xx += value;
    else if (code.startsWith('4')) e.r4xx += value;
    else if (code.startsWith('5')) e.r5xx += value;
    tallyResponse(e, code, metric, value);
    if (reporter === 'destination') {
      e.mtlsAll += value;
      if (metric.connection_security_policy === 'mutual_tls') e.mtlsSecure += value;
    }
  });
}

/**
 * Adds TCP bytes. Istio names TCP byte counters by the direction of the flow, for either reporter:
 * `istio_tcp_received_bytes_total` counts bytes the server received (client → server, Kiali's `rateTcp=sent`)
 * and `istio_tcp_sent_bytes_total` bytes the server sent back. An edge's `tcp` is both together.
 */
export function addTcpTraffic(ctx: GraphContext, state: GraphState, resolver: EndpointResolver, samples: TelemetrySamples): void {
  const add = (list: PromSample[] | undefined, direction: 'tcpSent' | 'tcpReceived') => {
    forEachCounted(list, (metric, value, reporter) => {
      const ends = resolver.resolve(metric);
      if (!ends) return;
      const e = linkEndpoints(ctx, state, ends, metric, reporter, 'tcp');
      e.total += value;
      e[direction] += value;
      tallyResponse(e, '-', metric, value);
      if (reporter === 'destination') {
        e.mtlsAll += value;
        if (metric.connection_security_policy === 'mutual_tls') e.mtlsSecure += value;
      }
    });
  };
  add(samples.istio_tcp_received_bytes_total, 'tcpSent');
  add(samples.istio_tcp_sent_bytes_total, 'tcpReceived');
}

function linkEndpoints(ctx: GraphContext, state: GraphState, ends: Endpoints, metric: Record<string, string>, reporter: ReporterName, protocol: Protocol): EdgeState {
  let e = ends.edge;
  if (e === undefined) {
    // Every series of a pair has the same endpoints and requested service: link them on the first one only.
    const src = state.node(ends.source);
    const dst = state.node(ends.target);
    if (ends.source.workload) (src.workloadNames ??= new Set()).add(ends.source.workload);
    if (ends.target.workload) (dst.workloadNames ??= new Set()).add(ends.target.workload);
    const svc = destinationService(ctx, metric);
    if (svc && isOK(svc.namespace) && !ends.target.egressCluster && !ends.target.externalIP) (dst.destServices ??= new Map()).set(`${svc.namespace}/${svc.name}`, svc);
    e = ends.edge = state.edge(ends.source.id, ends.target.id, protocol);
  }
  if (reporter === 'destination') e.fromDestination = true;
  else e.fromSource = true;
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

function tallyResponse(e: EdgeState, code: string, metric: Record<string, string>, value: number): void {
  addCount(e, 'flagCounts', code, label(metric, 'response_flags') || '-', value);
  addCount(e, 'hostCounts', code, label(metric, 'destination_service') || 'unknown', value);
}

function addCount(e: EdgeState, field: 'flagCounts' | 'hostCounts', code: string, key: string, value: number): void {
  const list = e[field];
  // Most edges have one count: a one-element literal, not the shared empty list (see `NO_COUNTS`).
  if (list.length === 0) {
    e[field] = [{ code, key, value }];
    return;
  }
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    if (r.code === code && r.key === key) {
      r.value += value;
      return;
    }
  }
  list.push({ code, key, value });
}
