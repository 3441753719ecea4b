/**
 * Reading Gateway API objects the way the Gateway API spec (and Istio's controller) reads them: references with
 * their defaults filled in (a parentRef is a Gateway of gateway.networking.k8s.io, a backendRef a core Service, the
 * namespace the route's own), listeners admitting a route (allowedRoutes namespaces and kinds, hostnames), and
 * ReferenceGrants allowing a cross-namespace reference. Every look-up records the keys it reads.
 */
import type { InventoryObject } from '@meshlens/model';
import type { CheckContext } from './types.js';
import { arr, rec } from './lookup.js';
import { nsOf } from './finding.js';

export const GATEWAY_API = 'gateway.networking.k8s.io';
export const ISTIO_NETWORKING = 'networking.istio.io';
export const GW_KIND = `Gateway.${GATEWAY_API}`;
export const GATEWAY_CLASS_KIND = `GatewayClass.${GATEWAY_API}`;
export const REFERENCE_GRANT_KIND = `ReferenceGrant.${GATEWAY_API}`;
export const HTTP_ROUTE_KIND = `HTTPRoute.${GATEWAY_API}`;
export const GRPC_ROUTE_KIND = `GRPCRoute.${GATEWAY_API}`;

/** A parentRef or backendRef with the spec's defaults applied. */
export interface ObjectReference {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  /** Whether `namespace` was written (a cross-namespace reference needs it). */
  namespaceWritten: boolean;
  sectionName?: string;
  port?: number;
  path: string;
}

/** `core` is how some users write the core group; the API treats it as the empty group. */
function coreGroup(g: unknown): string {
  return typeof g === 'string' && g !== 'core' ? g : '';
}

/** The parentRefs of a route, defaults applied (group gateway.networking.k8s.io, kind Gateway, the route's namespace). */
export function parentRefsOf(route: InventoryObject): ObjectReference[] {
  const ns = nsOf(route);
  return arr(rec(route.object.spec).parentRefs).flatMap((r, i) => {
    const ref = rec(r);
    if (typeof ref.name !== 'string' || ref.name === '') return [];
    const written = typeof ref.namespace === 'string' && ref.namespace !== '';
    return [{
      group: typeof ref.group === 'string' ? coreGroup(ref.group) : GATEWAY_API,
      kind: typeof ref.kind === 'string' && ref.kind ? ref.kind : 'Gateway',
      name: ref.name,
      namespace: written ? ref.namespace : ns,
      namespaceWritten: written,
      ...(typeof ref.sectionName === 'string' && ref.sectionName ? { sectionName: ref.sectionName } : {}),
      ...(typeof ref.port === 'number' ? { port: ref.port } : {}),
      path: `spec.parentRefs[${i}]`,
    }];
  });
}

/** The backendRefs of a route's rules, defaults applied (core group, kind Service, the route's namespace). */
export function backendRefsOf(route: InventoryObject): ObjectReference[] {
  const ns = nsOf(route);
  const out: ObjectReference[] = [];
  arr(rec(route.object.spec).rules).forEach((rule, i) => {
    arr(rec(rule).backendRefs).forEach((r, j) => {
      const ref = rec(r);
      if (typeof ref.name !== 'string' || ref.name === '') return;
      const written = typeof ref.namespace === 'string' && ref.namespace !== '';
      out.push({
        group: coreGroup(ref.group),
        kind: typeof ref.kind === 'string' && ref.kind ? ref.kind : 'Service',
        name: ref.name,
        namespace: written ? ref.namespace : ns,
        namespaceWritten: written,
        ...(typeof ref.port === 'number' ? { port: ref.port } : {}),
        path: `spec.rules[${i}].backendRefs[${j}]`,
      });
    });
  });
  return out;
}

/** A Gateway API Gateway by namespace and name. */
export function gatewayApiGateway(ctx: CheckContext, namespace: string, name: string): InventoryObject | undefined {
  ctx.read(`K:${GW_KIND}`);
  return ctx.inv.gatewayApi.Gateway.find((g) => nsOf(g) === namespace && g.ref.name === name);
}

/** Kubernetes label selector (`matchLabels` and `matchExpressions`) against `labels`; an empty selector selects all. */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const s = rec(selector);
  for (const [k, v] of Object.entries(rec(s.matchLabels))) if (labels[k] !== v) return false;
  for (const e of arr(s.matchExpressions)) {
    const { key, operator } = rec(e);
    const values = arr(rec(e).values).map(String);
    if (typeof key !== 'string') return false;
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In': if (!has || !values.includes(labels[key]!)) return false; break;
      case 'NotIn': if (has && values.includes(labels[key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A listener of a Gateway API Gateway, with its index. */
export interface Listener {
  index: number;
  name?: string;
  hostname?: string;
  port?: number;
  protocol?: string;
  spec: Record<string, any>;
}

/** The listeners of a Gateway API Gateway. */
export function listenersOf(gw: InventoryObject): Listener[] {
  return arr(rec(gw.object.spec).listeners).map((l, index) => {
    const spec = rec(l);
    return {
      index,
      spec,
      ...(typeof spec.name === 'string' ? { name: spec.name } : {}),
      ...(typeof spec.hostname === 'string' && spec.hostname ? { hostname: spec.hostname.toLowerCase() } : {}),
      ...(typeof spec.port === 'number' ? { port: spec.port } : {}),
      ...(typeof spec.protocol === 'string' ? { protocol: spec.protocol } : {}),
    };
  });
}

/** Whether a listener's `allowedRoutes.namespaces` admits routes of `routeNs` (default `Same`). */
export function listenerAdmitsNamespace(ctx: CheckContext, gw: InventoryObject, l: Listener, routeNs: string): boolean {
  const ns = rec(rec(l.spec.allowedRoutes).namespaces);
  const from = typeof ns.from === 'string' ? ns.from : 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === nsOf(gw);
  if (from === 'Selector') {
    ctx.read(`NS:${routeNs}`);
    const labels = { 'kubernetes.io/metadata.name': routeNs, ...(ctx.inv.namespaces.get(routeNs)?.labels ?? {}) };
    return labelSelectorMatches(ns.selector, labels);
  }
  return false;
}

/** Route kinds a listener admits by default, by protocol (Gateway API's core support). */
const KINDS_BY_PROTOCOL: Record<string, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/** Whether a listener admits a route of `kind` (`allowedRoutes.kinds`, else its protocol's kinds). Unknown protocols admit. */
export function listenerAdmitsKind(l: Listener, kind: string): boolean {
  const kinds = arr(rec(l.spec.allowedRoutes).kinds);
  if (kinds.length > 0) return kinds.some((k) => rec(k).kind === kind && (rec(k).group === undefined || rec(k).group === GATEWAY_API));
  const byProtocol = l.protocol ? KINDS_BY_PROTOCOL[l.protocol] : undefined;
  return !byProtocol || byProtocol.includes(kind);
}

/** Gateway API hostname intersection: exact, or a `*.suffix` wildcard on either side covering the other. */
export function hostnamesIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (x.startsWith('*.') && y.endsWith(x.slice(1))) return true;
  if (y.startsWith('*.') && x.endsWith(y.slice(1))) return true;
  return false;
}

/** Whether a route with `hostnames` (none = any) can attach to a listener (no hostname = any). */
export function listenerAdmitsHostnames(l: Listener, hostnames: string[]): boolean {
  if (!l.hostname || hostnames.length === 0) return true;
  return hostnames.some((h) => hostnamesIntersect(l.hostname!, h));
}

/** A ReferenceGrant of `toNamespace` allowing `fromKind` objects of `fromNamespace` to refer to `toGroup/toKind` `toName`. */
export function referenceGrantFor(ctx: CheckContext, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): InventoryObject | undefined {
  ctx.read(`K:${REFERENCE_GRANT_KIND}`);
  return ctx.inv.gatewayApi.ReferenceGrant.find((g) => {
    if (nsOf(g) !== to.namespace) return false;
    const spec = rec(g.object.spec);
    const fromOk = arr(spec.from).some((f) => coreGroup(rec(f).group) === from.group && rec(f).kind === from.kind && rec(f).namespace === from.namespace);
    const toOk = arr(spec.to).some((t) => coreGroup(rec(t).group) === to.group && rec(t).kind === to.kind && (rec(t).name === undefined || rec(t).name === '' || rec(t).name === to.name));
    return fromOk && toOk;
  });
}

/** A ReferenceGrant manifest allowing one reference, for a fix. */
export function referenceGrantYaml(from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): string {
  return `apiVersion: gateway.networking.k8s.io/v1beta1, kind: ReferenceGrant, metadata: {name: allow-${from.namespace}-${from.kind.toLowerCase()}s, namespace: ${to.namespace}}, spec: {from: [{group: ${from.group || '""'}, kind: ${from.kind}, namespace: ${from.namespace}}], to: [{group: ${to.group || '""'}, kind: ${to.kind}, name: ${to.name}}]}`;
}
