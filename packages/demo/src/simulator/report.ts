/**
 * Turns one slice of requests on one path into the series each reporting proxy emits: the source sidecar or
 * gateway of every leg (`reporter="source"`), and the server's sidecar on the last leg (`reporter="destination"`).
 * Legs before the last go into a gateway: those reports carry the final response code but not the flags the
 * gateway set, because the client's proxy only sees the gateway's answer.
 */
import { ISTIO_DURATION_BUCKETS_MS } from '@meshlens/model';
import { grpcStatusOf, istioLabels, type DestinationInfo, type Reporter } from './labels.js';
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

function emit(ctx: LegContext, sink: Sink, r: Report, amount: number): void {
  if (amount <= 0) return;
  const { leg } = r;
  const labels = istioLabels({
    reporter: r.reporter, source: sourceInfo(ctx, leg, r.reporter), destination: r.destination, protocol: leg.protocol,
    responseCode: r.code, grpcStatus: grpcStatusOf(r.code), responseFlags: r.flags, mtls: leg.mtls,
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

/** Emits every report of one slice; `amount` is the slice's rate. Mirrored copies pass `sourceReports: false`. */
export function reportSlice(ctx: LegContext, sink: Sink, legs: Leg[], slice: Slice, amount: number, bytes: { request: number }, sourceReports = true): void {
  const last = legs[legs.length - 1]!;
  const connected = slice.connected ?? true;
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
