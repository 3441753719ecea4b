/** Turns de-duplicated request and TCP series into nodes and edges, keeping only traffic that touches a requested namespace. */
import type { PromSample, Protocol, TelemetrySamples } from '@meshlens/model';
import type { GraphContext } from './context.js';
import { TELEMETRY_BITS, telemetrySourceOf, waypointOfRequest, waypointWorkload, type WaypointRef } from './ambient.js';
import { destinationSeed, destinationService, serviceSeed, sourceSeed, waypointSeed, type NodeSeed } from './ids.js';
import { isOK, label } from './labels.js';
import { PairIndex, sameKey } from './pair-index.js';
import { forEachCounted, sampleValue, type ReporterName } from './reporters.js';
import type { EdgeState, GraphState, ResponseCount } from './state.js';

export interface Endpoints {
  source: NodeSeed;
  target: NodeSeed;
  /** The edge these endpoints' traffic went to, once traffic created it (histograms and byte sums look it up here). */
  edge: EdgeState | undefined;
  /** Waypoint reports with waypoints shown: the waypoint's node (null: none could be named), found on first use. */
  via: NodeSeed | null | undefined;
  /** And the edge from the waypoint to the target. */
  viaEdge: EdgeState | undefined;
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
    return touches ? { source, target, edge: undefined, via: undefined, viaEdge: undefined } : null;
  }
}

/** The resolvers of one graph: one for sidecar and ztunnel reports, one for waypoint reports (other endpoints, other edges). */
export interface Resolvers {
  reports: EndpointResolver;
  waypoint: EndpointResolver;
}

/** A resolver per kind of report. */
export function resolvers(ctx: GraphContext): Resolvers {
  return { reports: new EndpointResolver(ctx), waypoint: new EndpointResolver(ctx) };
}

/**
 * What waypoints reported at L7 (or L4), by the client and requested service (`client|ns/svc`) and by the service
 * and answering workload (`ns/svc|workload`): the hops into and out of a waypoint that these cover carry the same
 * requests, so they are not counted again.
 */
interface WaypointCoverage {
  to: Set<string>;
  from: Set<string>;
}

/** Adds `istio_requests_total` (HTTP and gRPC) to the graph. */
export function addRequestTraffic(ctx: GraphContext, state: GraphState, res: Resolvers, samples: TelemetrySamples): void {
  const coverage = ctx.ambient.active ? waypointCoverage(ctx, samples) : undefined;
  forEachCounted(samples.istio_requests_total, (metric, value, reporter) => {
    const protocol: Protocol = metric.request_protocol === 'grpc' ? 'grpc' : 'http';
    const edges = route(ctx, state, res, coverage, metric, reporter, protocol, value);
    if (edges === undefined) return;
    const code = responseCode(metric, protocol);
    for (let k = 0; k < edges.length; k++) {
      const e = edges[k]!;
      e.total += value;
      if (code === '-') e.noResponse += value;
      else if (protocol === 'grpc') {
        if (isGrpcError(code)) e.grpcErr += value;
      } else if (code.startsWith('3')) e.r3xx += value;
      else if (code.startsWith('4')) e.r4xx += value;
      else if (code.startsWith('5')) e.r5xx += value;
      tallyResponse(e, code, metric, value);
      countMtls(e, metric, reporter, value);
    }
  }, { waypoint: ctx.ambient.active });
}

/**
 * Adds TCP bytes. Istio names TCP byte counters by the direction of the flow, for either reporter:
 * `istio_tcp_received_bytes_total` counts bytes the server received (client → server, Kiali's `rateTcp=sent`)
 * and `istio_tcp_sent_bytes_total` bytes the server sent back. An edge's `tcp` is both together.
 */
export function addTcpTraffic(ctx: GraphContext, state: GraphState, res: Resolvers, samples: TelemetrySamples): void {
  const coverage = ctx.ambient.active ? waypointCoverage(ctx, samples) : undefined;
  const add = (list: PromSample[] | undefined, direction: 'tcpSent' | 'tcpReceived') => {
    forEachCounted(list, (metric, value, reporter) => {
      const edges = route(ctx, state, res, coverage, metric, reporter, 'tcp', value);
      if (edges === undefined) return;
      for (let k = 0; k < edges.length; k++) {
        const e = edges[k]!;
        e.total += value;
        e[direction] += value;
        tallyResponse(e, '-', metric, value);
        countMtls(e, metric, reporter, value);
      }
    }, { waypoint: ctx.ambient.active });
  };
  add(samples.istio_tcp_received_bytes_total, 'tcpSent');
  add(samples.istio_tcp_sent_bytes_total, 'tcpReceived');
}

/** Only the server side knows whether the connection was mutual TLS; waypoints are reached over HBONE, always mTLS (as Kiali draws them). */
function countMtls(e: EdgeState, metric: Record<string, string>, reporter: ReporterName, value: number): void {
  if (reporter === 'source') return;
  e.mtlsAll += value;
  if (reporter === 'waypoint' || metric.connection_security_policy === 'mutual_tls') e.mtlsSecure += value;
}

const ONE: EdgeState[] = [];
const TWO: EdgeState[] = [];

/** One edge, in a reused list (the caller reads it before the next series). */
function one(e: EdgeState): EdgeState[] {
  ONE[0] = e;
  ONE.length = 1;
  return ONE;
}

/**
 * The edges a counted series adds to: none (bad or unrequested telemetry, or traffic another report already
 * counts), one, or two (a waypoint's report when waypoints are shown: client → waypoint → workload).
 */
function route(ctx: GraphContext, state: GraphState, res: Resolvers, coverage: WaypointCoverage | undefined, metric: Record<string, string>, reporter: ReporterName, protocol: Protocol, value: number): EdgeState[] | undefined {
  if (coverage === undefined) {
    const ends = res.reports.resolve(metric);
    return ends ? one(linkEndpoints(ctx, state, ends, metric, reporter, protocol, TELEMETRY_BITS[reporter === 'source' ? 'sidecar-source' : 'sidecar-destination'])) : undefined;
  }
  const source = telemetrySourceOf(ctx.inv, metric, reporter, protocol === 'tcp');
  const bit = TELEMETRY_BITS[source];
  if (reporter === 'waypoint') return routeWaypointReport(ctx, state, res.waypoint, metric, reporter, protocol, bit);
  const amb = ctx.ambient;
  const toWaypoint = waypointWorkload(amb, label(metric, 'destination_workload_namespace'), label(metric, 'destination_workload'));
  const fromWaypoint = toWaypoint ? undefined : waypointWorkload(amb, label(metric, 'source_workload_namespace'), label(metric, 'source_workload'));
  if (toWaypoint || fromWaypoint) return routeWaypointHop(ctx, state, res.reports, coverage, metric, reporter, protocol, bit, toWaypoint ? 'to' : 'from', (toWaypoint ?? fromWaypoint)!);
  const ends = res.reports.resolve(metric);
  if (!ends) return undefined;
  if (protocol === 'tcp' && (source === 'ztunnel-source' || source === 'ztunnel-destination')) {
    // ztunnel's bytes of a connection whose requests a sidecar or waypoint reported at L7: the same traffic, counted there.
    const l7 = state.edges.get(`${ends.source.id}->${ends.target.id}:http`) ?? state.edges.get(`${ends.source.id}->${ends.target.id}:grpc`);
    if (l7) {
      if (source === 'ztunnel-destination') {
        l7.l4MtlsAll += value;
        if (metric.connection_security_policy === 'mutual_tls') l7.l4MtlsSecure += value;
      }
      return undefined;
    }
  }
  return one(linkEndpoints(ctx, state, ends, metric, reporter, protocol, bit));
}

/** A waypoint's report: client → workload, or through the waypoint's node when waypoints are shown. */
function routeWaypointReport(ctx: GraphContext, state: GraphState, resolver: EndpointResolver, metric: Record<string, string>, reporter: ReporterName, protocol: Protocol, bit: number): EdgeState[] | undefined {
  const ends = resolver.resolve(metric);
  if (!ends) return undefined;
  if (ctx.ambient.show) {
    if (ends.via === undefined) {
      const wp = waypointOfRequest(ctx.inv, metric, destinationService(ctx, metric));
      ends.via = wp ? waypointNodeSeed(ctx, wp) : null;
    }
    if (ends.via !== null) {
      const wp = ends.via.waypoint!;
      const into = linkSeeds(ctx, state, ends.source, ends.via, metric, protocol);
      const out = linkEndpoints(ctx, state, ends, metric, reporter, protocol, bit, ends.via);
      into.waypoint ??= { direction: 'to', namespace: wp.namespace, name: wp.name };
      out.waypoint ??= { direction: 'from', namespace: wp.namespace, name: wp.name };
      into.fromDestination = true;
      into.telemetry |= bit;
      // The waypoint timed the requests it received: its histograms belong on the edge into it.
      ends.edge ??= into;
      TWO[0] = into;
      TWO[1] = out;
      TWO.length = 2;
      return TWO;
    }
  }
  return one(linkEndpoints(ctx, state, ends, metric, reporter, protocol, bit));
}

/** The node of a waypoint: the workload that runs it (named after its Gateway by Istio). */
function waypointNodeSeed(ctx: GraphContext, wp: WaypointRef): NodeSeed {
  let workload = wp.name;
  for (const [key, ref] of ctx.ambient.waypoints) {
    if (ref.namespace !== wp.namespace || ref.name !== wp.name) continue;
    const name = key.slice(key.indexOf('/') + 1);
    if (ctx.inv.workloadsByKey.has(key)) {
      workload = name;
      break;
    }
  }
  return waypointSeed(wp.namespace, workload, wp);
}

/**
 * A sidecar's or ztunnel's report of a hop into or out of a waypoint. When the waypoint reported the requests
 * themselves, the hop is the same traffic: not counted. Otherwise (a waypoint with no report of its own) the hop
 * is drawn to the waypoint when waypoints are shown, else through the requested Service's node.
 */
function routeWaypointHop(ctx: GraphContext, state: GraphState, resolver: EndpointResolver, coverage: WaypointCoverage, metric: Record<string, string>, reporter: ReporterName, protocol: Protocol, bit: number, direction: 'to' | 'from', wp: WaypointRef): EdgeState[] | undefined {
  const svc = destinationService(ctx, metric);
  const svcKey = svc ? `${svc.namespace}/${svc.name}` : '';
  if (direction === 'to') {
    const client = sourceSeed(ctx, metric);
    if (!client || coverage.to.has(`${client.id}|${svcKey}`)) return undefined;
  } else {
    const target = destinationSeed(ctx, metric);
    if (!target || coverage.from.has(`${svcKey}|${target.id}`)) return undefined;
  }
  if (ctx.ambient.show) {
    const ends = resolver.resolve(metric);
    if (!ends) return undefined;
    const e = linkEndpoints(ctx, state, ends, metric, reporter, protocol, bit);
    e.waypoint ??= { direction, namespace: wp.namespace, name: wp.name };
    return one(e);
  }
  if (!svc || !isOK(svc.namespace)) return undefined;
  const service = serviceSeed(svc.namespace, svc.name);
  const source = direction === 'to' ? sourceSeed(ctx, metric) : service;
  const target = direction === 'to' ? service : destinationSeed(ctx, metric);
  if (!source || !target || !touchesRequested(ctx, source, target, metric)) return undefined;
  const e = linkSeeds(ctx, state, source, target, metric, protocol);
  if (reporter === 'source') e.fromSource = true;
  else e.fromDestination = true;
  e.telemetry |= bit;
  return one(e);
}

/** The coverage of the window's waypoint reports (see `WaypointCoverage`). */
function waypointCoverage(ctx: GraphContext, samples: TelemetrySamples): WaypointCoverage {
  const coverage: WaypointCoverage = { to: new Set(), from: new Set() };
  for (const list of [samples.istio_requests_total, samples.istio_tcp_received_bytes_total, samples.istio_tcp_sent_bytes_total]) {
    if (!list) continue;
    for (const s of list) {
      const m = s.metric;
      if (m.reporter !== 'waypoint' || sampleValue(s) === 0) continue;
      const svc = destinationService(ctx, m);
      const svcKey = svc ? `${svc.namespace}/${svc.name}` : '';
      const client = sourceSeed(ctx, m);
      const target = destinationSeed(ctx, m);
      if (client) coverage.to.add(`${client.id}|${svcKey}`);
      if (target) coverage.from.add(`${svcKey}|${target.id}`);
    }
  }
  return coverage;
}

function touchesRequested(ctx: GraphContext, source: NodeSeed, target: NodeSeed, m: Record<string, string>): boolean {
  const r = ctx.requested;
  return r.has(source.namespace) || r.has(target.namespace) || r.has(label(m, 'source_workload_namespace')) || r.has(label(m, 'destination_workload_namespace'));
}

/** The edge between two seeds, noting the workloads and the requested service on its nodes. */
function linkSeeds(ctx: GraphContext, state: GraphState, source: NodeSeed, target: NodeSeed, metric: Record<string, string>, protocol: Protocol): EdgeState {
  const src = state.node(source);
  const dst = state.node(target);
  if (source.workload) (src.workloadNames ??= new Set()).add(source.workload);
  if (target.workload) (dst.workloadNames ??= new Set()).add(target.workload);
  const svc = destinationService(ctx, metric);
  if (svc && isOK(svc.namespace) && !target.egressCluster && !target.externalIP && !target.waypoint) (dst.destServices ??= new Map()).set(`${svc.namespace}/${svc.name}`, svc);
  return state.edge(source.id, target.id, protocol);
}

function linkEndpoints(ctx: GraphContext, state: GraphState, ends: Endpoints, metric: Record<string, string>, reporter: ReporterName, protocol: Protocol, bit: number, from?: NodeSeed): EdgeState {
  let e = from === undefined ? ends.edge : ends.viaEdge;
  if (e === undefined) {
    // Every series of a pair has the same endpoints and requested service: link them on the first one only.
    e = linkSeeds(ctx, state, from ?? ends.source, ends.target, metric, protocol);
    if (from === undefined) ends.edge = e;
    else ends.viaEdge = e;
  }
  if (reporter === 'source') e.fromSource = true;
  else e.fromDestination = true;
  e.telemetry |= bit;
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
