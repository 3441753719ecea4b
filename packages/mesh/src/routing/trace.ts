/** `traceRequest`: where a request goes through the mesh, and which rule decided each step. */
import type { Endpoint, TracePath, TraceRequest, TraceResult } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { podCount } from '../inventory/query.js';
import { isIP, normalizeHost } from '../hosts/names.js';
import { gatewayLegs } from './gateway.js';
import { plainLegs } from './plain.js';
import { sidecarLegs } from './sidecar.js';
import { sidecarScopeFor } from './sidecar-scope.js';
import { isGatewayWorkload } from './gateway-workloads.js';
import type { Leg, ProxyContext, Request } from './types.js';
import { admitAtGateway, admitAtSourceGateway, admitAtWorkload, gatewayCaller, sourceCaller, type Caller } from './admission.js';
import { inAmbientMesh } from '../inventory/ambient.js';
import { ztunnelLegs } from './ambient.js';

/** At most this many gateway proxies on one path: config that routes a gateway to itself would loop forever. */
const MAX_GATEWAY_HOPS = 8;

/** Traces a request through the inventory's routing config, with Istio's semantics. Pure. */
export function traceRequest(inv: Inventory, req: TraceRequest): TraceResult {
  const problems: string[] = [];
  const request = normalizeRequest(req);
  const { legs, caller } = sourceLegs(inv, req, request, problems);
  const paths = legs.flatMap((leg) => expand(inv, leg, request, problems, 0, caller, req)).map(toPath);
  return { request: req, paths, problems: [...new Set(problems)] };
}

function normalizeRequest(req: TraceRequest): Request {
  const host = req.host !== undefined && req.host !== '' ? normalizeHost(req.host) : undefined;
  const ip = req.ip ?? (host && isIP(host) ? host : undefined);
  const tlsLike = req.protocol === 'https' || req.protocol === 'tls';
  const sni = req.sni !== undefined ? normalizeHost(req.sni) : tlsLike && host && !isIP(host) ? host : undefined;
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    protocol: req.protocol, ...(host && !isIP(host) ? { host } : {}), ...(ip ? { ip } : {}), port: req.port,
    path: req.path ?? '/', method: (req.method ?? 'GET').toUpperCase(), headers, ...(sni ? { sni } : {}),
  };
}

function findWorkload(inv: Inventory, namespace: string, name: string): WorkloadView | undefined {
  const direct = inv.workloadsByKey.get(`${namespace}/${name}`);
  if (direct) return direct;
  // a pod name is accepted too: its workload is what routes
  const pod = inv.pods.find((p) => p.namespace === namespace && p.name === name);
  return pod ? inv.workloadsByKey.get(`${namespace}/${pod.workload}`) : undefined;
}

function workloadEndpoint(w: WorkloadView): Endpoint {
  return { kind: 'workload', namespace: w.namespace, name: w.name, pods: podCount(w), ...(w.version ? { version: w.version } : {}), ...(w.app ? { app: w.app } : {}) };
}

/** The legs from the source, and who the first server sees as the caller. */
function sourceLegs(inv: Inventory, req: TraceRequest, request: Request, problems: string[]): { legs: Leg[]; caller: Caller } {
  const src = req.source;
  if (src.kind === 'outside') {
    const ctx: ProxyContext = { kind: 'none', namespace: 'default', labels: {}, from: { kind: 'client', description: 'a client outside the mesh' }, who: 'a client outside the mesh' };
    return { legs: plainLegs(inv, ctx, request), caller: sourceCaller(inv, req, undefined, false) };
  }
  const w = findWorkload(inv, src.namespace, src.name);
  if (!w) {
    problems.push(`${src.kind === 'gateway' ? 'Gateway workload' : 'Workload'} ${src.namespace}/${src.name} is not in the inventory.`);
    return { legs: [], caller: sourceCaller(inv, req, undefined, false) };
  }
  if (src.kind === 'gateway' || isGatewayWorkload(w)) {
    if (!isGatewayWorkload(w)) problems.push(`Workload ${w.namespace}/${w.name} does not look like a gateway proxy; it is traced as one because the request says so.`);
    const legs = gatewayLegs(inv, w, { kind: 'gateway', namespace: w.namespace, workload: w.name, port: request.port }, request, problems);
    // the gateway is the first server: it checks the request arriving from outside, then calls on as itself
    const arriving = sourceCaller(inv, { ...req, source: { kind: 'outside' } }, undefined, false);
    return { legs: admitAtSourceGateway(inv, legs, w, arriving, request, req), caller: gatewayCaller(inv, w, arriving) };
  }
  // in the ambient mesh: ztunnel (L4) carries the request, through the destination's waypoint if it has one
  if (!w.hasSidecar && inAmbientMesh(inv, w)) return { legs: ztunnelLegs(inv, w, workloadEndpoint(w), request, problems), caller: sourceCaller(inv, req, w, false) };
  if (!w.hasSidecar) {
    const ctx: ProxyContext = { kind: 'none', namespace: w.namespace, workload: w, labels: w.labels, from: workloadEndpoint(w), who: `workload ${w.namespace}/${w.name}` };
    return { legs: plainLegs(inv, ctx, request), caller: sourceCaller(inv, req, w, false) };
  }
  const ctx: ProxyContext = { kind: 'sidecar', namespace: w.namespace, workload: w, labels: w.labels, from: workloadEndpoint(w), who: `the sidecar of ${w.namespace}/${w.name}` };
  return { legs: sidecarLegs(inv, ctx, sidecarScopeFor(inv, w), request, problems), caller: sourceCaller(inv, req, w, true) };
}

/**
 * Follows a leg into the gateway it reached, recursively, combining weights and path attributes. The server at the
 * end of each leg (a gateway, or the destination workload) checks mTLS and AuthorizationPolicies first (`caller`).
 */
function expand(inv: Inventory, leg: Leg, request: Request, problems: string[], depth: number, caller: Caller, req: TraceRequest): Leg[] {
  if (!leg.continueAt) return [admitAtWorkload(inv, leg, caller, request, req)];
  const { gateway, port, arrival } = leg.continueAt;
  const { continueAt: _, ...rest } = leg;
  void _;
  if (depth >= MAX_GATEWAY_HOPS) {
    problems.push(`The path passes through more than ${MAX_GATEWAY_HOPS} gateways (a routing loop?); tracing stopped at ${gateway.namespace}/${gateway.name}.`);
    return [{ ...rest, outcome: { kind: 'no-healthy-upstream', responseCode: 503, responseFlags: 'UH' } }];
  }
  const sub = gatewayLegs(inv, gateway, arrival, { ...request, port }, problems);
  const admitted = admitAtGateway(inv, leg, gateway, arrival, sub[0]?.hops[0]?.protocol ?? leg.hops[leg.hops.length - 1]?.protocol ?? request.protocol, caller, request, req);
  if (!admitted.continueAt) return [admitted];
  const checked = { ...rest, hops: admitted.hops };
  const next = gatewayCaller(inv, gateway, caller);
  return sub.flatMap((s) => expand(inv, combine(checked, s), request, problems, depth + 1, next, req));
}

/**
 * Joins the leg up to a gateway with a leg beyond it. The last hop's attributes (outcome, destination, connection
 * pool, TLS) come from the later leg; faults and mirrors of both apply; the tightest timeout bounds the whole path;
 * retries are the client-facing ones when set.
 */
function combine(before: Leg, after: Leg): Leg {
  const timeouts = [before.timeoutMs, after.timeoutMs].filter((t): t is number => t !== undefined);
  const mirrors = [...(before.mirrors ?? []), ...(after.mirrors ?? [])];
  const fault = before.fault || after.fault ? { ...before.fault, ...after.fault } : undefined;
  const { connectionPool: _cp, tls: _tls, ...kept } = before;
  void _cp; void _tls;
  return {
    ...kept,
    ...after,
    weight: before.weight * after.weight,
    hops: [...before.hops, ...after.hops],
    ...(fault ? { fault } : {}),
    ...(timeouts.length > 0 ? { timeoutMs: Math.min(...timeouts) } : {}),
    ...(before.retries ?? after.retries ? { retries: before.retries ?? after.retries } : {}),
    ...(mirrors.length > 0 ? { mirrors } : {}),
  };
}

function toPath(leg: Leg): TracePath {
  const path: TracePath = {
    weight: Math.round(leg.weight * 1e12) / 1e12,
    hops: leg.hops,
    outcome: leg.outcome,
    destination: leg.destination,
  };
  if (leg.destinationServiceHost !== undefined) path.destinationServiceHost = leg.destinationServiceHost;
  if (leg.fault) path.fault = leg.fault;
  if (leg.timeoutMs !== undefined) path.timeoutMs = leg.timeoutMs;
  if (leg.retries) path.retries = leg.retries;
  if (leg.mirrors && leg.mirrors.length > 0) path.mirrors = leg.mirrors;
  if (leg.connectionPool) path.connectionPool = leg.connectionPool;
  if (leg.tls) path.tls = leg.tls;
  return path;
}
