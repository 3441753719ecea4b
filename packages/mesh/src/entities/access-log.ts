/**
 * Istio's default Envoy access-log format (the `TEXT` encoding of meshConfig.accessLogFile), read and written:
 *
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
 * %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED%
 * %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 * "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS%
 * %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 *
 * Every unset value is written `-`; the response flags are Envoy's short codes, comma-separated.
 */
import type { EnvoyAccessLog, ResponseFlagInfo } from '@meshlens/model';

/** Envoy's response flags (`%RESPONSE_FLAGS%`), each with its long name and what it means, in one sentence. */
export const RESPONSE_FLAGS: Readonly<Record<string, { name: string; meaning: string }>> = {
  UH: { name: 'NoHealthyUpstream', meaning: 'No healthy host in the upstream cluster (no endpoints, or all ejected): Envoy answered 503 itself.' },
  UF: { name: 'UpstreamConnectionFailure', meaning: 'Envoy could not connect to the upstream host (refused, reset, or a TLS/mTLS mismatch): 503.' },
  UO: { name: 'UpstreamOverflow', meaning: 'Circuit breaking: the connection pool of the DestinationRule was full, so Envoy rejected the request with 503 without sending it.' },
  NR: { name: 'NoRouteFound', meaning: 'No route matched the request (no VirtualService rule or virtual host for its host or path), so Envoy answered 404 (for TCP: no filter chain matched).' },
  URX: { name: 'UpstreamRetryLimitExceeded', meaning: 'The request was rejected because the retry limit (HTTP) or the maximum connect attempts (TCP) was reached.' },
  NC: { name: 'NoClusterFound', meaning: 'The upstream cluster named by the route does not exist (e.g. a subset or host Envoy was not given).' },
  DT: { name: 'DurationTimeout', meaning: 'The request or connection exceeded its max_connection_duration or max_downstream_connection_duration.' },
  DC: { name: 'DownstreamConnectionTermination', meaning: 'The downstream (caller) closed the connection before the response was complete.' },
  LH: { name: 'FailedLocalHealthCheck', meaning: 'The local service failed its health check: 503.' },
  UT: { name: 'UpstreamRequestTimeout', meaning: 'The upstream did not answer within the route timeout (VirtualService `timeout`): Envoy answered 504.' },
  LR: { name: 'LocalReset', meaning: 'Envoy reset the connection locally: 503.' },
  UR: { name: 'UpstreamRemoteReset', meaning: 'The upstream reset the connection: 503.' },
  UC: { name: 'UpstreamConnectionTermination', meaning: 'The upstream connection was terminated while the request was in flight: 503.' },
  DI: { name: 'DelayInjected', meaning: 'A VirtualService fault injection delayed the request by its fixed delay.' },
  FI: { name: 'FaultInjected', meaning: 'A VirtualService fault injection aborted the request with its configured status code.' },
  RL: { name: 'RateLimited', meaning: 'The request was rate limited locally by the HTTP rate-limit filter: 429.' },
  UAEX: { name: 'UnauthorizedExternalService', meaning: 'The external authorization service (a CUSTOM AuthorizationPolicy provider) denied the request.' },
  RLSE: { name: 'RateLimitServiceError', meaning: 'The request was rejected because the rate-limit service failed.' },
  IH: { name: 'InvalidEnvoyRequestHeaders', meaning: 'The request set an invalid value for a strictly checked Envoy header: 400.' },
  SI: { name: 'StreamIdleTimeout', meaning: 'The stream idle timeout expired: 408 or 504.' },
  DPE: { name: 'DownstreamProtocolError', meaning: 'The downstream request had an HTTP protocol error.' },
  UPE: { name: 'UpstreamProtocolError', meaning: 'The upstream response had an HTTP protocol error.' },
  UMSDR: { name: 'UpstreamMaxStreamDurationReached', meaning: 'The upstream request reached its max stream duration.' },
  OM: { name: 'OverloadManager', meaning: "Envoy's overload manager terminated the request." },
  DF: { name: 'DnsResolutionFailed', meaning: 'The request was terminated because DNS resolution of the upstream host failed.' },
  DO: { name: 'DropOverload', meaning: 'The request was dropped by the cluster load assignment drop_overload setting.' },
  DR: { name: 'DownstreamRemoteReset', meaning: 'The downstream reset the stream.' },
  UDO: { name: 'UnconditionalDropOverload', meaning: 'The request was dropped unconditionally by drop_overload at 100%.' },
};

/** A flag with its explanation (unknown flags say so). */
export function explainFlag(flag: string): ResponseFlagInfo {
  const info = RESPONSE_FLAGS[flag];
  return info ? { flag, ...info } : { flag, name: flag, meaning: `Response flag ${flag} is not in Meshlens's list of Envoy flags; see Envoy's access-log documentation.` };
}

/** Splits `%RESPONSE_FLAGS%` (`UO`, `UT,DI`, `-`) into explained flags. */
export function explainFlags(text: string | undefined): ResponseFlagInfo[] {
  if (!text || text === '-') return [];
  return text.split(',').map((f) => f.trim()).filter(Boolean).map(explainFlag);
}

/** Splits a line into bare and double-quoted tokens (quotes may contain spaces; `\"` is an escaped quote). */
function tokens(text: string): Array<{ value: string; quoted: boolean }> | undefined {
  const out: Array<{ value: string; quoted: boolean }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
          continue;
        }
        value += text[j];
        j++;
      }
      if (j >= text.length) return undefined;
      out.push({ value, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ') j++;
    out.push({ value: text.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

const dash = (v: string | undefined): string | undefined => (v === undefined || v === '-' || v === '' ? undefined : v);
const int = (v: string | undefined): number | undefined => {
  const d = dash(v);
  if (d === undefined || !/^\d+$/.test(d)) return undefined;
  return Number(d);
};

/** Field order after the request line, with whether each is quoted in the format. */
const FIELDS: Array<[keyof EnvoyAccessLog | 'code' | 'flags' | 'bytesIn' | 'bytesOut' | 'duration' | 'svcTime', boolean]> = [
  ['code', false], ['flags', false], ['responseCodeDetails', false], ['connectionTerminationDetails', false], ['upstreamTransportFailureReason', true],
  ['bytesIn', false], ['bytesOut', false], ['duration', false], ['svcTime', false], ['forwardedFor', true], ['userAgent', true], ['requestId', true],
  ['authority', true], ['upstreamHost', true], ['upstreamCluster', false], ['upstreamLocalAddress', false], ['downstreamLocalAddress', false],
  ['downstreamRemoteAddress', false], ['requestedServerName', false], ['routeName', false],
];

/**
 * Parses one access-log line in Istio's default format; undefined for anything else (application lines, Envoy's own
 * logs, JSON-encoded access logs). The line must not carry the kubelet's timestamp prefix.
 */
export function parseAccessLog(line: string): EnvoyAccessLog | undefined {
  const m = /^\[([^\]]+)\] (.*)$/.exec(line.trimEnd());
  if (!m) return undefined;
  const startTime = m[1]!;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(startTime)) return undefined;
  const t = tokens(m[2]!);
  if (!t || t.length !== FIELDS.length + 1 || !t[0]!.quoted) return undefined;
  for (let k = 0; k < FIELDS.length; k++) if (t[k + 1]!.quoted !== FIELDS[k]![1]) return undefined;
  const request = t[0]!.value.split(' ');
  if (request.length !== 3) return undefined;
  const v = (name: string) => t[FIELDS.findIndex(([n]) => n === name) + 1]!.value;
  const code = int(v('code'));
  const bytesIn = int(v('bytesIn'));
  const bytesOut = int(v('bytesOut'));
  const duration = int(v('duration'));
  if ((code === undefined && dash(v('code')) !== undefined) || bytesIn === undefined || bytesOut === undefined || duration === undefined) return undefined;
  const log: EnvoyAccessLog = {
    startTime,
    responseCode: code ?? 0,
    responseFlags: explainFlags(v('flags')),
    bytesReceived: bytesIn,
    bytesSent: bytesOut,
    durationMs: duration,
  };
  const [method, path, protocol] = request.map(dash);
  if (method) log.method = method;
  if (path) log.path = path;
  if (protocol) log.protocol = protocol;
  const svc = int(v('svcTime'));
  if (svc !== undefined) log.upstreamServiceTimeMs = svc;
  for (const [name] of FIELDS) {
    if (name === 'code' || name === 'flags' || name === 'bytesIn' || name === 'bytesOut' || name === 'duration' || name === 'svcTime') continue;
    const value = dash(v(name));
    if (value !== undefined) (log as unknown as Record<string, unknown>)[name] = value;
  }
  const cluster = log.upstreamCluster ?? '';
  if (cluster.startsWith('inbound|') || cluster === 'InboundPassthroughCluster' || cluster === 'InboundPassthroughClusterIpv4') log.direction = 'inbound';
  else if (cluster.startsWith('outbound|') || cluster === 'PassthroughCluster' || cluster === 'BlackHoleCluster') log.direction = 'outbound';
  return log;
}

/** What an access-log line says, before formatting (the parsed shape, with the flags as written); absent values are written `-`. */
export type AccessLogFields = Omit<EnvoyAccessLog, 'responseFlags' | 'direction'> & { responseFlags?: string };

/** Writes an access-log line in Istio's default format (what an istio-proxy container prints). */
export function formatAccessLog(f: AccessLogFields): string {
  const d = (v: string | number | undefined) => (v === undefined || v === '' ? '-' : String(v));
  const q = (v: string | undefined) => `"${v === undefined || v === '' ? '-' : v.replace(/"/g, '\\"')}"`;
  return `[${f.startTime}] "${d(f.method)} ${d(f.path)} ${d(f.protocol)}" ${f.responseCode} ${d(f.responseFlags)} ${d(f.responseCodeDetails)} ${d(f.connectionTerminationDetails)} ${q(f.upstreamTransportFailureReason)} `
    + `${f.bytesReceived} ${f.bytesSent} ${f.durationMs} ${d(f.upstreamServiceTimeMs)} ${q(f.forwardedFor)} ${q(f.userAgent)} ${q(f.requestId)} ${q(f.authority)} ${q(f.upstreamHost)} `
    + `${d(f.upstreamCluster)} ${d(f.upstreamLocalAddress)} ${d(f.downstreamLocalAddress)} ${d(f.downstreamRemoteAddress)} ${d(f.requestedServerName)} ${d(f.routeName)}`;
}

/**
 * Splits a kubelet log line (`timestamps=true`: an RFC 3339 timestamp, one space, the message) into its parts; a line
 * without a timestamp is all message.
 */
export function splitLogTimestamp(line: string): { timestamp?: string; message: string } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s.exec(line);
  return m ? { timestamp: m[1]!, message: m[2]! } : { message: line };
}
