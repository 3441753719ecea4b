/**
 * Reading an edge's traffic the same way for HTTP, gRPC and TCP: the server keeps Kiali's per-protocol
 * rate keys (`http`, `http5xx`, `grpcErr`, `tcp`…), and the UI needs totals, error shares and a
 * breakdown by response class.
 */
import type { EdgeData } from '@meshlens/model';

function rate(edge: EdgeData, key: string): number {
  const value = edge.traffic.rates[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Requests/s for HTTP and gRPC, bytes/s for TCP. */
export function edgeTotal(edge: EdgeData): number {
  return rate(edge, edge.traffic.protocol);
}

/** Error percentage (HTTP 4xx+5xx, gRPC non-OK); the server's value when it sent one. */
export function edgePercentErr(edge: EdgeData): number {
  const { protocol } = edge.traffic;
  if (protocol === 'tcp') return 0;
  const sent = edge.traffic.rates[`${protocol}PercentErr`];
  if (typeof sent === 'number') return sent;
  const total = edgeTotal(edge);
  if (total === 0) return 0;
  const errors = protocol === 'http' ? rate(edge, 'http4xx') + rate(edge, 'http5xx') : rate(edge, 'grpcErr');
  return (errors / total) * 100;
}

/** Share of the source node's outbound traffic on this edge, in percent. */
export function edgePercentReq(edge: EdgeData): number | undefined {
  const value = edge.traffic.rates[`${edge.traffic.protocol}PercentReq`];
  return typeof value === 'number' ? value : undefined;
}

export interface ResponseClassRates {
  total: number;
  ok: number;
  redirect: number;
  clientError: number;
  serverError: number;
  noResponse: number;
}

/** HTTP rates by response class; 2xx is what remains (Kiali stores no 2xx rate). */
export function httpClasses(edge: EdgeData): ResponseClassRates {
  const total = rate(edge, 'http');
  const redirect = rate(edge, 'http3xx');
  const clientError = rate(edge, 'http4xx');
  const serverError = rate(edge, 'http5xx');
  const noResponse = rate(edge, 'httpNoResponse');
  const ok = Math.max(0, total - redirect - clientError - serverError - noResponse);
  return { total, ok, redirect, clientError, serverError, noResponse };
}

/** Whether the edge carried anything in the window. */
export function edgeHasTraffic(edge: EdgeData): boolean {
  return edgeTotal(edge) > 0;
}
