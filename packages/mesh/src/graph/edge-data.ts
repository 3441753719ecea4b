/** Final edge JSON: rates, response breakdown in percent, response times, throughput, mTLS, health. */
import type { EdgeData, EdgeTraffic, ResponseDetail } from '@meshlens/model';
import { healthOf } from './health.js';
import { responseTimesOf, throughputOf, type BucketLayout } from './histogram.js';
import { roundPercent, roundRate } from './round.js';
import type { EdgeState, ResponseCount } from './state.js';
import { telemetrySources } from './ambient.js';
import { compareStrings, sortSmall } from './compare.js';

/**
 * Builds an edge's data; `sourceOut` is the source node's outbound total for the edge's protocol (for `*PercentReq`).
 * `withTelemetry`: name the reporting proxies (graphs with ambient reports; a sidecar-only graph's `reporter` says it all).
 */
export function edgeData(e: EdgeState, sourceOut: number, layout: BucketLayout, withTelemetry = false): EdgeData {
  const traffic: EdgeTraffic = { protocol: e.protocol, rates: rates(e, sourceOut), responses: responses(e) };
  const data: EdgeData = { id: e.id, source: e.source, target: e.target, traffic, reporter: e.fromSource && e.fromDestination ? 'mixed' : e.fromDestination ? 'destination' : 'source' };
  if (withTelemetry) data.telemetry = telemetrySources(e.telemetry);
  if (e.waypoint) data.waypoint = { ...e.waypoint };
  if (e.protocol !== 'tcp') {
    const times = responseTimesOf(e, layout);
    if (times) {
      data.responseTimes = times;
      if (times.p95 !== undefined) data.responseTime = times.p95;
    }
    const tp = throughputOf(e);
    if (tp !== undefined) data.throughput = roundRate(tp);
  } else data.throughput = roundRate(e.total);
  // Only the destination proxy knows whether the connection was mutual TLS; source reports say `unknown`.
  if (e.mtlsAll > 0) data.isMTLS = roundPercent((e.mtlsSecure / e.mtlsAll) * 100);
  // No destination proxy reported the requests (a sidecar client to an ambient pod): ztunnel's word on the connection.
  else if (e.l4MtlsAll > 0) data.isMTLS = roundPercent((e.l4MtlsSecure / e.l4MtlsAll) * 100);
  if (e.protocol !== 'tcp') {
    data.healthStatus = healthOf({ protocol: e.protocol, total: e.total, http4xx: e.r4xx, http5xx: e.r5xx, noResponse: e.noResponse, grpcErr: e.grpcErr }).status;
  }
  return data;
}

function rates(e: EdgeState, sourceOut: number): Record<string, number> {
  const r: Record<string, number> = {};
  const percentReq = sourceOut > 0 ? roundPercent((e.total / sourceOut) * 100) : 100;
  if (e.protocol === 'http') {
    r.http = roundRate(e.total);
    if (e.r3xx > 0) r.http3xx = roundRate(e.r3xx);
    if (e.r4xx > 0) r.http4xx = roundRate(e.r4xx);
    if (e.r5xx > 0) r.http5xx = roundRate(e.r5xx);
    if (e.noResponse > 0) r.httpNoResponse = roundRate(e.noResponse);
    const err = e.r4xx + e.r5xx + e.noResponse;
    if (err > 0) r.httpPercentErr = roundPercent((err / e.total) * 100);
    r.httpPercentReq = percentReq;
  } else if (e.protocol === 'grpc') {
    r.grpc = roundRate(e.total);
    if (e.grpcErr > 0) r.grpcErr = roundRate(e.grpcErr);
    if (e.noResponse > 0) r.grpcNoResponse = roundRate(e.noResponse);
    const err = e.grpcErr + e.noResponse;
    if (err > 0) r.grpcPercentErr = roundPercent((err / e.total) * 100);
    r.grpcPercentReq = percentReq;
  } else {
    r.tcp = roundRate(e.total);
    if (e.tcpSent > 0) r.tcpSent = roundRate(e.tcpSent);
    if (e.tcpReceived > 0) r.tcpReceived = roundRate(e.tcpReceived);
    r.tcpPercentReq = percentReq;
  }
  return r;
}

/** Per code, the share of the edge's traffic by response flags and by requested host, in percent. */
function responses(e: EdgeState): Record<string, ResponseDetail> {
  const out = codeRecord<ResponseDetail>();
  // Distinct codes in first-sight order (one or two per edge): a reused scratch list, sorted only when needed.
  const codes = scratchCodes;
  codes.length = 0;
  for (const r of e.flagCounts) if (!codes.includes(r.code)) codes.push(r.code);
  if (codes.length > 1) sortSmall(codes, compareStrings);
  for (const code of codes) out[code] = { flags: percentages(e.flagCounts, code, e.total), hosts: percentages(e.hostCounts, code, e.total) };
  codes.length = 0;
  return out;
}

const scratchCodes: string[] = [];

const byKey = (a: ResponseCount, b: ResponseCount): number => compareStrings(a.key, b.key);

/** A code's shares of `total` in percent, keys in a stable order. */
function percentages(list: readonly ResponseCount[], code: string, total: number): Record<string, number> {
  const out: Record<string, number> = {};
  // Most codes have one flag and one host: build a list to sort only when there are more.
  let first: ResponseCount | undefined;
  let many: ResponseCount[] | undefined;
  for (const r of list) {
    if (r.code !== code) continue;
    if (first === undefined) first = r;
    else (many ??= [first]).push(r);
  }
  if (many === undefined) {
    if (first !== undefined) out[first.key] = roundPercent((first.value / total) * 100);
    return out;
  }
  sortSmall(many, byKey);
  for (const r of many) out[r.key] = roundPercent((r.value / total) * 100);
  return out;
}

/** Far above any response code or gRPC status, and the largest index an object's elements can have. */
const MAX_INDEX = 4294967294;

/**
 * An empty record for keys that are response codes. V8 stores integer-like keys (`200`, `503`) as elements
 * and sizes a new object's elements store to the largest one: ~6 KB per edge for a 503, kept as long as the
 * graph. Touching an index far above any code first switches the object to a small dictionary store; the
 * record's own keys (and so its JSON and key order) are the same as a plain `{}`'s.
 */
function codeRecord<T>(): Record<string, T> {
  const out: Record<string, T> = {};
  (out as Record<number, unknown>)[MAX_INDEX] = undefined;
  delete (out as Record<number, unknown>)[MAX_INDEX];
  return out;
}
