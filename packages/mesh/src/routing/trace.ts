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

/** At most this many gateway proxies on one path: config that routes a gateway to itself would loop forever. */
const MAX_GATEWAY_HOPS = 8;

/** Traces a request through the inventory's routing config, with Istio's semantics. Pure. */
export function traceRequest(inv: Inventory, req: TraceRequest): TraceResult {
  const problems: string[] = [];
  const request = normalizeRequest(req);
  const legs = sourceLegs(inv, req, request, problems);
  const paths = legs.flatMap((leg) => expand(inv, leg, request, problems, 0)).map(toPath);
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

function sourceLegs(inv: Inventory, req: TraceRequest, request: Request, problems: string[]): Leg[] {
  const src = req.source;
  if (src.kind === 'outside') {
    const ctx: ProxyContext = { kind: 'none', namespace: 'default', labels: {}, from: { kind: 'client', description: 'a client outside the mesh' }, who: 'a client outside the mesh' };
    return plainLegs(inv, ctx, request);
  }
  const w = findWorkload(inv, src.namespace, src.name);
  if (!w) {
    problems.push(`${src.kind === 'gateway' ? 'Gateway workload' : 'Workload'} ${src.namespace}/${src.name} is not in the inventory.`);
    return [];
  }
  if (src.kind === 'gateway' || isGatewayWorkload(w)) {
    if (!isGatewayWorkload(w)) problems.push(`Workload ${w.namespace}/${w.name} does not look like a gateway proxy; it is traced as one because the request says so.`);
    return gatewayLegs(inv, w, { kind: 'gateway', namespace: w.namespace, workload: w.name, port: request.port }, request, problems);
  }
  if (!w.hasSidecar) {
    const ctx: ProxyContext = { kind: 'none', namespace: w.namespace, workload: w, labels: w.labels, from: workloadEndpoint(w), who: `workload ${w.namespace}/${w.name}` };
    return plainLegs(inv, ctx, request);
  }
  const ctx: ProxyContext = { kind: 'sidecar', namespace: w.namespace, workload: w, labels: w.labels, from: workloadEndpoint(w), who: `the sidecar of ${w.namespace}/${w.name}` };
  return sidecarLegs(inv, ctx, sidecarScopeFor(inv, w), request, problems);
}

/** Follows a leg into the gateway it reached, recursively, combining weights and path attributes. */
function expand(inv: Inventory, leg: Leg, request: Request, problems: string[], depth: number): Leg[] {
  if (!leg.continueAt) return [leg];
  const { gateway, port, arrival } = leg.continueAt;
  const { continueAt: _, ...rest } = leg;
  void _;
  if (depth >= MAX_GATEWAY_HOPS) {
    problems.push(`The path passes through more than ${MAX_GATEWAY_HOPS} gateways (a routing loop?); tracing stopped at ${gateway.namespace}/${gateway.name}.`);
    return [{ ...rest, outcome: { kind: 'no-healthy-upstream', responseCode: 503, responseFlags: 'UH' } }];
  }
  const sub = gatewayLegs(inv, gateway, arrival, { ...request, port }, problems);
  return sub.flatMap((s) => expand(inv, combine(rest, s), request, problems, depth + 1));
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
