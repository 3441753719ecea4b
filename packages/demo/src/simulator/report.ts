/**
 * Turns one slice of requests on one path into the series each reporting proxy emits: the source sidecar or
 * gateway of every leg (`reporter="source"`), and the server's sidecar on the last leg (`reporter="destination"`).
 * Legs before the last go into a gateway: those reports carry the final response code but not the flags the
 * gateway set, because the client's proxy only sees the gateway's answer.
 *
 * Ambient (the last leg): ztunnel reports L4 only (`istio_tcp_*`, scraped from the ztunnel pods, so `app="ztunnel"`)
 * for the ends it captures — `reporter="source"` on the client's node, `reporter="destination"` on the server's.
 * A Service with a waypoint is two connections: client → waypoint (ztunnel or the client's sidecar reports it,
 * naming the waypoint as destination workload and the Service as destination service) and waypoint → server
 * (ztunnel or the server's sidecar reports it, naming the waypoint as source). The waypoint itself reports each
 * request once, end to end (`reporter="waypoint"`, source = the client, destination = the workload that answered).
 */
import { ISTIO_DURATION_BUCKETS_MS } from '@meshlens/model';
import { grpcStatusOf, istioLabels, spiffeOf, UNKNOWN, type DestinationInfo, type Reporter, type SourceInfo } from './labels.js';
import { sourceInfo, type Leg, type LegContext } from './legs.js';
import type { Hist, Slice } from './outcomes.js';

/** Receives per-series amounts (per second, at the class's nominal rate). */
export interface Sink {
  add(metric: string, labels: Record<string, string>, amount: number): void;
}

const LE = [...ISTIO_DURATION_BUCKETS_MS.map((b) => String(b)), '+Inf'];

interface Report {
  reporter: Reporter;
  leg: Leg;
  destination: DestinationInfo;
  code: string;
  flags: string;
  latency: Hist;
  requestBytes: number;
  responseBytes: number;
  /** TCP: an upstream connection was opened and carried bytes. */
  connected: boolean;
}

function emit(ctx: LegContext, sink: Sink, r: Report, amount: number, source: SourceInfo = sourceInfo(ctx, r.leg, r.reporter)): void {
  if (amount <= 0) return;
  const { leg } = r;
  const labels = istioLabels({
    reporter: r.reporter, source, destination: r.destination, protocol: leg.protocol,
    responseCode: r.code, grpcStatus: grpcStatusOf(r.code), responseFlags: r.flags, mtls: leg.mtls || r.reporter === 'waypoint',
  });
  if (leg.protocol === 'tcp') {
    if (r.connected) {
      sink.add('istio_tcp_connections_opened_total', labels, amount);
      // Both proxies count bytes from their downstream's side: received = client→server, sent = server→client.
      sink.add('istio_tcp_received_bytes_total', labels, amount * r.requestBytes);
      sink.add('istio_tcp_sent_bytes_total', labels, amount * r.responseBytes);
    }
    sink.add('istio_tcp_connections_closed_total', labels, amount);
    return;
  }
  sink.add('istio_requests_total', labels, amount);
  r.latency.cumulative.forEach((share, i) => sink.add('istio_request_duration_milliseconds_bucket', { ...labels, le: LE[i]! }, amount * share));
  sink.add('istio_request_duration_milliseconds_bucket', { ...labels, le: '+Inf' }, amount);
  sink.add('istio_request_duration_milliseconds_sum', labels, amount * r.latency.mean);
  sink.add('istio_request_duration_milliseconds_count', labels, amount);
  sink.add('istio_request_bytes_sum', labels, amount * r.requestBytes);
  sink.add('istio_response_bytes_sum', labels, amount * r.responseBytes);
}

/** HTTP keeps connections open: ztunnel sees about one connection per this many requests. */
const REQUESTS_PER_CONNECTION = 50;

/** ztunnel's L4 report of one connection (or, for HTTP, of the requests it carried). */
function emitL4(ctx: LegContext, sink: Sink, reporter: 'source' | 'destination', source: SourceInfo, destination: DestinationInfo, leg: Leg, amount: number, requestBytes: number, responseBytes: number, connected: boolean): void {
  if (amount <= 0) return;
  const labels = istioLabels({ reporter, source, destination, protocol: 'tcp', responseFlags: '-', mtls: true });
  // ztunnel knows both identities (HBONE is always mutual TLS), on either end.
  labels.connection_security_policy = 'mutual_tls';
  labels.app = 'ztunnel';
  const connections = leg.protocol === 'tcp' ? amount : amount / REQUESTS_PER_CONNECTION;
  if (connected) {
    sink.add('istio_tcp_connections_opened_total', labels, connections);
    sink.add('istio_tcp_received_bytes_total', labels, amount * requestBytes);
    sink.add('istio_tcp_sent_bytes_total', labels, amount * responseBytes);
  }
  sink.add('istio_tcp_connections_closed_total', labels, connections);
}

/** A workload as the client side of a report, with its identity (ambient hops are mutual TLS). */
function sourceOfWorkload(ctx: LegContext, w: Leg['server']): SourceInfo {
  return w ? { workload: w, principal: spiffeOf(w, ctx.inv.meshConfig.trustDomain), cluster: ctx.cluster } : { principal: UNKNOWN, cluster: UNKNOWN };
}

/** The waypoint as the destination of the hop into it: its workload, the Service the client asked for. */
function waypointDestination(ctx: LegContext, leg: Leg): DestinationInfo {
  const w = leg.waypoint!;
  return { ...leg.destination, workload: w, principal: spiffeOf(w, ctx.inv.meshConfig.trustDomain), cluster: ctx.cluster };
}

/** Emits every report of one slice; `amount` is the slice's rate. Mirrored copies pass `sourceReports: false`. */
export function reportSlice(ctx: LegContext, sink: Sink, legs: Leg[], slice: Slice, amount: number, bytes: { request: number }, sourceReports = true): void {
  const last = legs[legs.length - 1]!;
  const connected = slice.connected ?? true;
  if (last.waypoint || last.client.ztunnel || last.serverZtunnel) {
    reportAmbientSlice(ctx, sink, legs, slice, amount, bytes, sourceReports);
    return;
  }
  if (sourceReports) {
    for (const leg of legs.slice(0, -1)) {
      if (!leg.client.proxy) continue;
      emit(ctx, sink, {
        // the gateway accepted the connection even when it could not go further
        reporter: 'source', leg, destination: leg.destination, code: slice.code, flags: '-', latency: slice.latency,
        requestBytes: connected ? bytes.request : 0, responseBytes: slice.responseBytes, connected: true,
      }, amount);
    }
    if (last.client.proxy) {
      emit(ctx, sink, {
        reporter: 'source', leg: last, destination: slice.upstreamKnown ? last.destination : last.destinationUnknownWorkload,
        code: slice.code, flags: slice.flags, latency: slice.latency, requestBytes: bytes.request, responseBytes: slice.responseBytes, connected,
      }, amount);
    }
  }
  if (slice.reached && slice.server && last.serverReports) {
    emit(ctx, sink, {
      reporter: 'destination', leg: last, destination: last.destination, code: slice.server.code, flags: slice.server.flags,
      latency: slice.server.latency, requestBytes: bytes.request, responseBytes: slice.server.responseBytes, connected,
    }, amount);
  }
}

/** `reportSlice` for a last leg that ztunnel or a waypoint takes part in (see the module comment). */
function reportAmbientSlice(ctx: LegContext, sink: Sink, legs: Leg[], slice: Slice, amount: number, bytes: { request: number }, sourceReports: boolean): void {
  const last = legs[legs.length - 1]!;
  const connected = slice.connected ?? true;
  const client = sourceInfo(ctx, last, 'source');
  const reached = slice.reached && slice.server !== undefined;
  const server = slice.server;
  if (sourceReports) {
    for (const leg of legs.slice(0, -1)) {
      if (!leg.client.proxy) continue;
      emit(ctx, sink, {
        reporter: 'source', leg, destination: leg.destination, code: slice.code, flags: '-', latency: slice.latency,
        requestBytes: connected ? bytes.request : 0, responseBytes: slice.responseBytes, connected: true,
      }, amount);
    }
  }
  const requestBytes = connected ? bytes.request : 0;
  if (last.waypoint) {
    const wp = sourceOfWorkload(ctx, last.waypoint);
    const toWaypoint = waypointDestination(ctx, last);
    if (sourceReports) {
      // The hop into the waypoint: the client's sidecar (L7, naming the waypoint), or ztunnel (L4).
      if (last.client.proxy) {
        emit(ctx, sink, { reporter: 'source', leg: last, destination: toWaypoint, code: slice.code, flags: '-', latency: slice.latency, requestBytes, responseBytes: slice.responseBytes, connected: true }, amount);
      } else if (last.client.ztunnel) emitL4(ctx, sink, 'source', client, toWaypoint, last, amount, requestBytes, slice.responseBytes, true);
    }
    // The waypoint decides (routes, faults, retries): its report carries the outcome, client to the workload that answered.
    emit(ctx, sink, {
      reporter: 'waypoint', leg: last, destination: slice.upstreamKnown ? last.destination : last.destinationUnknownWorkload,
      code: slice.code, flags: slice.flags, latency: slice.latency, requestBytes, responseBytes: slice.responseBytes, connected,
    }, amount, client);
    if (reached && server) {
      // The hop out of the waypoint: the server's sidecar (L7, naming the waypoint as source), or ztunnel (L4).
      if (last.serverReports) {
        emit(ctx, sink, { reporter: 'destination', leg: last, destination: last.destination, code: server.code, flags: server.flags, latency: server.latency, requestBytes: bytes.request, responseBytes: server.responseBytes, connected }, amount, wp);
      } else if (last.serverZtunnel) emitL4(ctx, sink, 'destination', wp, last.destination, last, amount, bytes.request, server.responseBytes, connected);
    }
    return;
  }
  if (sourceReports) {
    if (last.client.proxy) {
      emit(ctx, sink, {
        reporter: 'source', leg: last, destination: slice.upstreamKnown ? last.destination : last.destinationUnknownWorkload,
        code: slice.code, flags: slice.flags, latency: slice.latency, requestBytes, responseBytes: slice.responseBytes, connected,
      }, amount);
    } else if (last.client.ztunnel) {
      emitL4(ctx, sink, 'source', client, slice.upstreamKnown ? last.destination : last.destinationUnknownWorkload, last, amount, requestBytes, slice.responseBytes, connected);
    }
  }
  if (reached && server) {
    if (last.serverReports) {
      emit(ctx, sink, { reporter: 'destination', leg: last, destination: last.destination, code: server.code, flags: server.flags, latency: server.latency, requestBytes: bytes.request, responseBytes: server.responseBytes, connected }, amount);
    } else if (last.serverZtunnel) {
      emitL4(ctx, sink, 'destination', sourceInfo(ctx, last, 'destination'), last.destination, last, amount, bytes.request, server.responseBytes, connected);
    }
  }
}
