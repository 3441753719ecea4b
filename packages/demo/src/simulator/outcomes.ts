/**
 * How the requests on one traced path end, as shares ("slices") that each become one set of series: fault aborts
 * (FI), circuit-breaker overflow (UO), injected delays (DI), route timeouts (UT), application errors, and the
 * outcomes the routing core decided (NR, UH/NC, UF, blackhole 502, an AuthorizationPolicy's 403, STRICT mTLS resetting
 * plaintext). Each slice says what the deciding proxy reports and, when the request reached the server, what the
 * server's sidecar reports.
 */
import { ISTIO_DURATION_BUCKETS_MS, type ConnectionPoolLimits, type TracePath } from '@meshlens/model';
import { completedHistogram, fitLogNormal, type LatencyMix, type Shift } from './latency.js';
import { joinFlags } from './labels.js';

/** Per-request histogram: share of requests ≤ each bound of ISTIO_DURATION_BUCKETS_MS, and the mean (ms). */
export interface Hist {
  cumulative: number[];
  mean: number;
}

export interface ServerView {
  code: string;
  flags: string;
  latency: Hist;
  responseBytes: number;
}

export interface Slice {
  /** Share of the path's requests (slices of a path add up to 1). */
  share: number;
  code: string;
  flags: string;
  /** The deciding proxy knows which workload answered. */
  upstreamKnown: boolean;
  /** The request reached the server (its sidecar reports it; it makes its downstream calls). */
  reached: boolean;
  latency: Hist;
  responseBytes: number;
  server?: ServerView;
  /** TCP only: the upstream connection was opened and carried bytes. */
  connected?: boolean;
}

/** What the class (or call) says about the server's behaviour, with the incident in force, if any. */
export interface ServerBehaviour {
  latencyMs: { p50: number; p95: number };
  latencyFactor: number;
  /** Share answered 500 by the application. */
  errorRate: number;
  /** Extra share answered 503 during an error burst. */
  burstErrorRate: number;
  responseBytes: number;
  /** Delays injected further down the call chain (from the server's own calls). */
  downstream: Shift[];
  /** Requests in flight from this class (explicit, or rps × mean latency by Little's law). */
  concurrency: number;
  /** Apply fault.abort's fraction here (the routing core did not already split aborts into their own path). */
  applyAbortFraction: boolean;
}

const BOUNDS = ISTIO_DURATION_BUCKETS_MS;
/** Envoy's local replies take well under a millisecond. */
const LOCAL_REPLY = fitLogNormal(0.3, 1.2);
/** Bodies of Envoy's local replies (bytes), e.g. "no healthy upstream". */
const LOCAL_BODY: Record<string, number> = { UO: 81, UH: 19, UF: 91, FI: 18, UT: 24, NR: 0, BH: 0, NC: 0, UC: 95, RBAC: 19 };

function histOf(mix: LatencyMix, capMs?: number): Hist {
  const h = completedHistogram(mix, BOUNDS, capMs);
  if (h.count <= 0) return pointHist(capMs ?? 0);
  return { cumulative: h.cumulative.map((c) => Math.min(1, c / h.count)), mean: h.sum / h.count };
}

/** Every request takes exactly `ms`. */
export function pointHist(ms: number): Hist {
  return { cumulative: BOUNDS.map((le) => (le >= ms ? 1 : 0)), mean: ms };
}

const localHist = (): Hist => histOf({ base: LOCAL_REPLY, shifts: [{ weight: 1, ms: 0 }] });

/**
 * Share of requests the connection pool rejects. Envoy admits `maxConnections` requests in flight on HTTP/1.1
 * (one per connection) plus `http1MaxPendingRequests` queued; the rest overflow at once. With c requests in flight
 * and room for k, about (c − k)/c of them overflow: the circuit-breaking task's fortio -c 3 against 1 + 1 gives ~1/3.
 */
export function overflowShare(pool: ConnectionPoolLimits | undefined, concurrency: number, protocol: 'http' | 'grpc' | 'tcp', http2: boolean): number {
  if (!pool || concurrency <= 0) return 0;
  let room: number;
  if (protocol === 'tcp') room = pool.maxConnections ?? Infinity;
  else if (http2 || protocol === 'grpc') room = pool.http2MaxRequests ?? Infinity;
  else room = (pool.maxConnections ?? Infinity) + (pool.http1MaxPendingRequests ?? Infinity);
  return concurrency > room ? (concurrency - room) / concurrency : 0;
}

/** Slices of an HTTP/gRPC path. */
export function httpSlices(path: TracePath, b: ServerBehaviour, http2: boolean, protocol: 'http' | 'grpc'): Slice[] {
  const req = (share: number, code: number | string, flag: string, extra: Partial<Slice> = {}): Slice => ({
    share, code: String(code), flags: joinFlags([flag]), upstreamKnown: false, reached: false, latency: localHist(), responseBytes: LOCAL_BODY[flag] ?? 0, ...extra,
  });
  const o = path.outcome;
  switch (o.kind) {
    case 'fault-abort': return [req(1, o.responseCode, 'FI')];
    case 'no-route': return [req(1, 404, 'NR')];
    case 'blackhole': return [req(1, 502, 'BH', { flags: '-' })];
    case 'no-healthy-upstream': return [req(1, o.responseCode, o.responseFlags)];
    case 'connection-refused': return [req(1, 503, 'UF')];
    // The server's sidecar answers "RBAC: access denied" (19 bytes) before the application sees the request: the
    // caller's proxy knows which workload answered; the application makes no calls of its own.
    case 'denied-by-policy': return [req(1, 403, '-', { upstreamKnown: true, responseBytes: LOCAL_BODY.RBAC! })];
    // STRICT mTLS resets a plaintext connection: a client sidecar answers 503 UC (no peer metadata: the workload that
    // refused is unknown to it); a client without a proxy reports nothing (code 0: no HTTP response).
    case 'plaintext-refused': return [req(1, o.responseCode, o.responseFlags)];
    default: break;
  }
  const out: Slice[] = [];
  const abort = b.applyAbortFraction && path.fault?.abort ? path.fault.abort.fraction : 0;
  if (abort > 0) out.push(req(abort, path.fault!.abort!.httpStatus ?? 500, 'FI'));
  const overflow = overflowShare(path.connectionPool, b.concurrency * path.weight, protocol, http2);
  if (overflow > 0) out.push(req((1 - abort) * overflow, 503, 'UO'));
  const forwarded = (1 - abort) * (1 - overflow);
  const server: LatencyMix = { base: fitLogNormal(b.latencyMs.p50, b.latencyMs.p95, b.latencyFactor), shifts: b.downstream };
  // The core may already have decided that every request on this path times out (e.g. a delay beyond the timeout).
  const timeoutMs = path.timeoutMs;
  const timedOut = o.kind === 'timeout' ? 1 : timeoutMs === undefined ? 0 : Math.max(0, 1 - completedHistogram(server, BOUNDS, timeoutMs).count);
  const delay = path.fault?.delay;
  const variants = delay && delay.fraction > 0 ? [{ w: 1 - delay.fraction, ms: 0 }, { w: delay.fraction, ms: delay.ms }] : [{ w: 1, ms: 0 }];
  const burst = b.burstErrorRate;
  const appError = b.errorRate * (1 - burst);
  const serverHist = histOf(server, timeoutMs);
  for (const v of variants) {
    if (v.w <= 0) continue;
    const base = forwarded * v.w;
    const di = v.ms > 0 ? 'DI' : '';
    // Envoy's route timeout starts at the router, after the fault filter's delay: the delay adds to what the caller sees only.
    if (timedOut > 0) {
      const t = timeoutMs ?? 0;
      out.push({
        share: base * timedOut, code: '504', flags: joinFlags(['UT', di]), upstreamKnown: true, reached: true,
        latency: pointHist(t + v.ms), responseBytes: LOCAL_BODY.UT!,
        // The caller hung up: the server's sidecar logs no response (code 0) and a downstream disconnect.
        server: { code: '0', flags: 'DC', latency: pointHist(t), responseBytes: 0 },
      });
    }
    const done = base * (1 - timedOut);
    if (done <= 0) continue;
    const seen = v.ms > 0 ? histOf({ base: server.base, shifts: server.shifts.map((s) => ({ ...s, ms: s.ms + v.ms })) }, timeoutMs === undefined ? undefined : timeoutMs + v.ms) : serverHist;
    for (const [code, share] of [['200', 1 - appError - burst], ['500', appError], ['503', burst]] as const) {
      if (share <= 0) continue;
      out.push({
        share: done * share, code, flags: joinFlags([di]), upstreamKnown: true, reached: true, latency: seen, responseBytes: code === '200' ? b.responseBytes : 0,
        server: { code, flags: '-', latency: serverHist, responseBytes: code === '200' ? b.responseBytes : 0 },
      });
    }
  }
  return out;
}

/** Slices of a TCP (or TLS passthrough) path: connections, by how they end. */
export function tcpSlices(path: TracePath, b: ServerBehaviour): Slice[] {
  const conn = (share: number, flags: string, extra: Partial<Slice> = {}): Slice => ({
    share, code: '', flags, upstreamKnown: false, reached: false, latency: localHist(), responseBytes: 0, connected: false, ...extra,
  });
  const o = path.outcome;
  switch (o.kind) {
    // The blackhole cluster has no endpoints: the connection is closed at once, never opened upstream.
    case 'blackhole': return [conn(1, 'UH')];
    case 'no-healthy-upstream': return [conn(1, o.responseFlags === '-' ? 'UH' : o.responseFlags)];
    case 'connection-refused': return [conn(1, 'UF')];
    // The server's RBAC network filter closes the connection once it is open: bytes go up, nothing comes back.
    case 'denied-by-policy': return [conn(1, '-', { upstreamKnown: true, connected: true })];
    case 'plaintext-refused': return [conn(1, o.responseFlags)];
    case 'no-route': return [];
    default: break;
  }
  const out: Slice[] = [];
  const overflow = overflowShare(path.connectionPool, b.concurrency * path.weight, 'tcp', false);
  if (overflow > 0) out.push(conn(overflow, 'UO'));
  const failed = Math.min(1, b.errorRate + b.burstErrorRate);
  if (failed > 0) out.push(conn((1 - overflow) * failed, 'UF'));
  const ok = (1 - overflow) * (1 - failed);
  if (ok > 0) {
    const server = { code: '', flags: '-', latency: localHist(), responseBytes: b.responseBytes };
    out.push(conn(ok, '-', { upstreamKnown: true, reached: true, connected: true, responseBytes: b.responseBytes, server }));
  }
  return out;
}
