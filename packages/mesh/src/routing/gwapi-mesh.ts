/**
 * Mesh routing with the Gateway API (GAMMA): HTTPRoute, GRPCRoute, TCPRoute and TLSRoute whose parentRef is a Service
 * (group "") or an Istio ServiceEntry apply to sidecar traffic to that host. istiod turns them into mesh-bound
 * VirtualServices, one per route namespace (and parentRef port) and host, merged and sorted like gateway routes
 * (route_collections.go). Gateway semantics limit where they apply: only to clients in the route's namespace (a
 * consumer route) or to every client when the route lives in the service's namespace (a producer route). Against
 * a VirtualService for the same host the sidecar keeps one: a route in the client's own namespace first
 * (`SelectVirtualServices` favours it), else the most specific host, else the older by creation time, then name.
 */
import type { Hop, InventoryObject, RuleRef, TraceProtocol } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { hostMatches, hostSpecificity, toFqdn } from '../hosts/names.js';
import type { RegistryEntry } from '../hosts/registry.js';
import { apiRuleLegs } from './gwapi-backends.js';
import { apiName, createdAt, ISTIO_GROUP, parentRefsOf, routeHostnames, routesOf, type ParentRef, type RouteKind } from './gwapi-objects.js';
import { matchHttpRule, mergedHttpRules, rulePath } from './gwapi-rules.js';
import type { RouteClass } from './protocol.js';
import { ruleRef, shortName } from './refs.js';
import type { SidecarScope } from './sidecar-scope.js';
import type { Leg, ProxyContext, Request } from './types.js';
import type { VsChoice } from './virtual-services.js';

/** The routes istiod merges into one mesh VirtualService: same route namespace, parentRef port and host. */
export interface MeshRouteSet {
  namespace: string;
  port?: number;
  /** The parent's host: the Service FQDN, or a ServiceEntry host. */
  host: string;
  /** Namespace of the parent Service or ServiceEntry. */
  serviceNamespace: string;
  routes: Array<{ route: InventoryObject; parent: ParentRef }>;
  /** The name istiod gives the merged VirtualService (`ns~port~host`), which breaks creation-time ties. */
  generatedName: string;
}

const KINDS_BY_CLASS: Record<RouteClass, RouteKind[]> = { http: ['HTTPRoute', 'GRPCRoute'], tcp: ['TCPRoute'], tls: ['TLSRoute'] };

/** The mesh route sets of `cls` that a sidecar in `proxyNamespace` applies to `host` on `port`, best first. */
export function meshRouteSets(inv: Inventory, proxyNamespace: string, host: string, port: number, cls: RouteClass): MeshRouteSet[] {
  const sets = new Map<string, MeshRouteSet>();
  for (const route of routesOf(inv, KINDS_BY_CLASS[cls])) {
    const routeNs = route.ref.namespace ?? 'default';
    for (const parent of parentRefsOf(route)) {
      const hosts = parentHosts(inv, parent);
      if (!hosts) continue;
      // Gateway semantics: a mesh route applies in its own namespace, or everywhere from the service's namespace
      if (routeNs !== proxyNamespace && routeNs !== parent.namespace) continue;
      if (parent.port !== undefined && parent.port !== port) continue;
      for (const h of hosts) {
        if (!hostMatches(h, host)) continue;
        const key = `${routeNs}/${parent.port ?? ''}/${h}`;
        const set = sets.get(key) ?? { namespace: routeNs, ...(parent.port !== undefined ? { port: parent.port } : {}), host: h, serviceNamespace: parent.namespace, routes: [], generatedName: [routeNs, ...(parent.port !== undefined ? [String(parent.port)] : []), h].join('~') };
        if (!set.routes.some((r) => r.route === route)) set.routes.push({ route, parent });
        sets.set(key, set);
      }
    }
  }
  return [...sets.values()].sort((a, b) => {
    const own = Number(b.namespace === proxyNamespace) - Number(a.namespace === proxyNamespace);
    if (own !== 0) return own;
    const spec = hostSpecificity(b.host) - hostSpecificity(a.host);
    if (spec !== 0) return spec;
    return Number(b.port !== undefined) - Number(a.port !== undefined);
  });
}

/** The hosts a mesh parentRef stands for (undefined: not a mesh parent, or its Service/ServiceEntry does not exist). */
function parentHosts(inv: Inventory, parent: ParentRef): string[] | undefined {
  if (parent.kind === 'Service' && parent.group === '') {
    return inv.services.some((s) => s.namespace === parent.namespace && s.name === parent.name) ? [`${parent.name}.${parent.namespace}.svc.${inv.clusterDomain}`] : undefined;
  }
  if (parent.kind === 'ServiceEntry' && parent.group === ISTIO_GROUP) {
    const se = inv.istio.ServiceEntry.find((o) => (o.ref.namespace ?? 'default') === parent.namespace && o.ref.name === parent.name);
    const hosts: unknown = se?.object.spec?.hosts;
    return se && Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string').map((h) => toFqdn(h, parent.namespace, inv.clusterDomain)) : undefined;
  }
  return undefined;
}

function earliest(set: MeshRouteSet): number {
  return Math.min(...set.routes.map((r) => createdAt(r.route)));
}

/**
 * Which of the best mesh route set and the chosen VirtualService the sidecar applies for the host; the loser is
 * reported in `problems` (a sidecar does not merge two VirtualServices for one host).
 */
export function meshRouteWins(set: MeshRouteSet, vs: VsChoice | undefined, proxyNamespace: string, problems: string[]): boolean {
  if (!vs) return true;
  const routes = set.routes.map((r) => apiName(r.route)).join(', ');
  const report = (winner: string, loser: string, why: string) => problems.push(`${loser} and ${winner} both route ${set.host} for the mesh; the sidecar applies one VirtualService per host and keeps ${winner} (${why}), so ${loser} is ignored.`);
  if (set.namespace === proxyNamespace) {
    report(routes, `VirtualService ${shortName(vs.vs)}`, `a Gateway API route in the client's own namespace ${proxyNamespace} comes first`);
    return true;
  }
  const sv = hostSpecificity(vs.host) - hostSpecificity(set.host);
  if (sv !== 0) {
    if (sv > 0) report(`VirtualService ${shortName(vs.vs)}`, routes, `its host ${vs.host} is more specific`);
    else report(routes, `VirtualService ${shortName(vs.vs)}`, `its host ${set.host} is more specific`);
    return sv < 0;
  }
  const ta = earliest(set);
  const tb = createdAt(vs.vs);
  const routeFirst = ta !== tb ? ta < tb : set.generatedName < vs.vs.ref.name;
  if (routeFirst) report(routes, `VirtualService ${shortName(vs.vs)}`, ta !== tb ? 'it is older' : `created at the same time, its generated VirtualService ${set.generatedName} sorts first by name`);
  else report(`VirtualService ${shortName(vs.vs)}`, routes, ta !== tb ? 'it is older' : `created at the same time, it sorts before the generated VirtualService ${set.generatedName} by name`);
  return routeFirst;
}

/** The legs of a sidecar's request routed by a mesh route set (undefined when a TCP/TLS set has no route for it: default route). */
export function meshRouteLegs(
  inv: Inventory, ctx: ProxyContext, scope: SidecarScope, set: MeshRouteSet, cls: RouteClass, req: Request, protocol: TraceProtocol,
  portNote: string, concrete: string, entry: RegistryEntry, problems: string[], endpointOf: () => Hop['to'],
): Leg[] | undefined {
  const parentRef = (route: InventoryObject, parent: ParentRef): RuleRef => ruleRef(route, parent.path, `${apiName(route)} attaches to ${parent.kind} ${parent.namespace}/${parent.name}${parent.port !== undefined ? ` port ${parent.port}` : ''} for the mesh (${set.namespace === set.serviceNamespace ? 'a producer route: every client' : `a consumer route: clients in ${set.namespace}`}).`);
  if (cls === 'http') {
    const byRoute = new Map(set.routes.map((r) => [r.route, r.parent]));
    const rules = mergedHttpRules(set.routes.map((r) => r.route), (route) => {
      const p = byRoute.get(route);
      return p?.port !== undefined ? { number: p.port, path: `${p.path}.port`, route } : undefined;
    });
    for (const rule of rules) {
      const held = matchHttpRule(rule, req, problems);
      if (!held) continue;
      const at = rulePath(rule);
      const words = held.length === 0 ? 'no match conditions: it matches every request' : held.map((c) => c.note).join(', ');
      const refs: RuleRef[] = [
        parentRef(rule.route, byRoute.get(rule.route)!),
        ruleRef(rule.route, at, `Rule ${at} of ${apiName(rule.route)} matched (${words}).`),
        ...held.filter((c) => c.path !== at).map((c) => ruleRef(c.route, c.path, `Condition ${c.note} held.`)),
      ];
      const why = `${ctx.who.charAt(0).toUpperCase()}${ctx.who.slice(1)} matched rule ${at} of ${apiName(rule.route)} (${words}), a Gateway API route for ${concrete} on ${portNote}`;
      const prefix = rule.uri?.type === 'PathPrefix' ? rule.uri.value : undefined;
      return apiRuleLegs(inv, ctx, scope, { route: rule.route, ruleIndex: rule.ruleIndex, refs, why, enforceGrants: false, section: 'http' }, req, protocol, problems, prefix);
    }
    const to = endpointOf();
    const hop: Hop = {
      from: ctx.from, to, protocol, decidedBy: set.routes.map((r) => parentRef(r.route, r.parent)),
      explanation: `${set.routes.map((r) => apiName(r.route)).join(', ')} route${set.routes.length === 1 ? 's' : ''} ${concrete} for the mesh, but none of ${set.routes.length === 1 ? 'its' : 'their'} ${rules.length} rule match${rules.length === 1 ? '' : 'es'} holds for this request (${req.method} ${req.path}, port ${req.port}${Object.entries(req.headers).map(([k, v]) => `, header ${k}=${v}`).join('')}); a host with routes has no fallback, so ${ctx.who} answers 404 (NR).`,
    };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'no-route', responseCode: 404, responseFlags: 'NR' }, destination: to, destinationServiceHost: entry.host }];
  }
  // TLSRoute: by SNI against its hostnames (the parent's hosts when it has none); TCPRoute: the oldest takes the connection
  const pick = set.routes.find(({ route }) => {
    if (cls !== 'tls') return true;
    const names = routeHostnames(route).map((h) => h.host);
    return req.sni !== undefined && (names.length === 0 ? hostMatches(set.host, req.sni) : names.some((n) => hostMatches(n, req.sni!)));
  });
  if (!pick) return undefined;
  const refs = [parentRef(pick.route, pick.parent), ruleRef(pick.route, 'spec.rules[0]', `Rule spec.rules[0] of ${apiName(pick.route)} takes the connection.`)];
  const why = `${ctx.who.charAt(0).toUpperCase()}${ctx.who.slice(1)} applied ${apiName(pick.route)}, a Gateway API route for ${concrete} on ${portNote}${cls === 'tls' ? ` (SNI ${req.sni})` : ''}`;
  return apiRuleLegs(inv, ctx, scope, { route: pick.route, ruleIndex: 0, refs, why, enforceGrants: false, section: cls }, req, protocol, problems);
}
