/** The client sidecar: registry host → VirtualService rules (or the default route) → destinations; unknown hosts by outbound policy. */
import type { Endpoint, Hop, RuleRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { registryPort, type RegistryEntry } from '../hosts/registry.js';
import { resolveTarget } from './destinations.js';
import { timeoutAndRetries } from './faults.js';
import { httpConditions, matchRule, ruleSlots, type RuleMatch } from './http-rules.js';
import { outboundTarget } from './outbound-listener.js';
import { hopProtocolOf, isHttpFamily, protocolOfPort, routeClassOf, type RouteClass } from './protocol.js';
import { ruleRef, shortName } from './refs.js';
import { ruleLegs } from './routes.js';
import { sidecarImports, type SidecarScope } from './sidecar-scope.js';
import { tcpConditions, tlsConditions } from './tcp-tls-rules.js';
import type { Leg, ProxyContext, Request } from './types.js';
import { meshVirtualServiceFor, meshVirtualServicesNaming } from './virtual-services.js';
import { meshRouteLegs, meshRouteSets, meshRouteWins } from './gwapi-mesh.js';

/** The legs of a request leaving a workload through its sidecar. */
export function sidecarLegs(inv: Inventory, ctx: ProxyContext, scope: SidecarScope, req: Request, problems: string[]): Leg[] {
  const admit = (e: RegistryEntry) => sidecarImports(scope, e.namespace, e.host, req.port);
  // the Service (or ServiceEntry) the client dialled wins when it has a VIP; SNI picks the host only on the 0.0.0.0 listener
  const { entry, requested, sniVipHost } = outboundTarget(inv, ctx.namespace, req, admit);
  const port = entry ? registryPort(entry, req.port) : undefined;
  if (!entry || !port) return outboundPolicyLegs(inv, ctx, scope, req, requested, entry, sniVipHost);

  const portProtocol = protocolOfPort(port, entry.kind);
  const cls = routeClassOf(portProtocol, req.protocol);
  const protocol = hopProtocolOf(cls, portProtocol, req.protocol);
  // the host VirtualServices are matched against: the Service FQDN, or the requested name under a wildcard ServiceEntry
  const concrete = entry.kind === 'ServiceEntry' && entry.host.startsWith('*') && requested ? requested : entry.host;
  const { chosen } = meshVirtualServiceFor(inv, ctx.namespace, scope, concrete, problems);
  const portNote = `port ${port.number} (${portProtocol === 'unknown' ? `undeclared protocol, sniffed as ${cls === 'http' ? 'HTTP' : 'TCP'}` : portProtocol.toUpperCase()})`;

  // Gateway API routes for the mesh (GAMMA): a parentRef to this Service or ServiceEntry
  const apiClasses: RouteClass[] = cls === 'tls' ? ['tls', 'tcp'] : [cls];
  for (const apiCls of apiClasses) {
    const set = meshRouteSets(inv, ctx.namespace, concrete, req.port, apiCls)[0];
    if (!set || !meshRouteWins(set, chosen, ctx.namespace, problems)) continue;
    const legs = meshRouteLegs(inv, ctx, scope, set, apiCls, req, protocol, portNote, concrete, entry, problems, () => entryEndpoint(entry, concrete, req.port));
    if (legs) return legs;
    const refs = set.routes.map((r) => ruleRef(r.route, r.parent.path, `${r.route.object.kind} ${shortName(r.route)} routes ${set.host} for the mesh.`));
    return defaultRoute(inv, ctx, scope, concrete, req, protocol, cls, refs,
      `${set.routes.map((r) => `${r.route.object.kind} ${shortName(r.route)}`).join(', ')} route${set.routes.length === 1 ? 's' : ''} ${concrete} for the mesh but none matches this ${protocol.toUpperCase()} traffic (SNI ${req.sni ?? 'none'}) on ${portNote}, so ${ctx.who} used the default route`);
  }

  if (chosen) {
    const vs = chosen.vs;
    const vsNs = vs.ref.namespace ?? 'default';
    const sections: RouteClass[] = cls === 'tls' ? ['tls', 'tcp'] : [cls];
    const hostRef = ruleRef(vs, chosen.hostPath, `VirtualService ${shortName(vs)} defines host ${chosen.host} for the mesh.`);
    for (const section of sections) {
      const slots = ruleSlots([vs], section, false);
      if (slots.length === 0) continue;
      let hit: RuleMatch | undefined;
      for (const slot of slots) {
        hit = matchRule(slot, (m, p) => section === 'http' ? httpConditions(m, p, vsNs, ctx, req, ['mesh'], problems)
          : section === 'tls' ? tlsConditions(m, p, vsNs, ctx, req, ['mesh']) : tcpConditions(m, p, vsNs, ctx, req, ['mesh']));
        if (hit) break;
      }
      if (hit) {
        const { refs, words } = matchRefs(hit);
        const why = `${cap(ctx.who)} matched rule spec.${section}[${hit.slot.index}] of VirtualService ${shortName(vs)} (${words}) for ${concrete} on ${portNote}`;
        return ruleLegs(inv, ctx, scope, vs, section, hit.slot.index, refs, why, req, protocol, problems);
      }
      if (section === 'http') {
        const to = entryEndpoint(entry, concrete, req.port);
        const hop: Hop = {
          from: ctx.from, to, protocol, decidedBy: [hostRef],
          explanation: `VirtualService ${shortName(vs)} defines ${concrete} for the mesh, but none of its ${slots.length} http rule${slots.length === 1 ? '' : 's'} matches this request (${describeRequest(req, 'http')}); a host with a VirtualService has no fallback route, so ${ctx.who} answers 404 (NR).`,
        };
        return [{ weight: 1, hops: [hop], outcome: { kind: 'no-route', responseCode: 404, responseFlags: 'NR' }, destination: to, destinationServiceHost: entry.host }];
      }
    }
    // TLS/TCP traffic that no rule claims falls through to the service's own (default) filter chain
    return defaultRoute(inv, ctx, scope, concrete, req, protocol, cls, [hostRef],
      `VirtualService ${shortName(vs)} defines ${concrete} but has no ${sections.join('/')} rule matching this ${protocol.toUpperCase()} traffic on ${portNote}, so ${ctx.who} used the default route`);
  }
  return defaultRoute(inv, ctx, scope, concrete, req, protocol, cls, [],
    `No VirtualService bound to mesh and visible from namespace ${ctx.namespace} defines ${concrete}, so ${ctx.who} used Istio's default route on ${portNote}`);
}

function defaultRoute(
  inv: Inventory, ctx: ProxyContext, scope: SidecarScope, concrete: string, req: Request,
  protocol: Leg['hops'][number]['protocol'], cls: RouteClass, refs: RuleRef[], why: string,
): Leg[] {
  const resolved = resolveTarget(inv, ctx, scope, { host: concrete, port: req.port, share: 1, refs, why }, req, protocol);
  // default HTTP routes carry Istio's default retry policy too (`route.DefaultRoute`)
  const http = cls === 'http' ? timeoutAndRetries({}, false) : {};
  return resolved.legs.map((l) => (l.outcome.kind === 'delivered' ? { ...l, ...http } : l));
}

/** The endpoint of a registry host itself (for hops that stop before a destination is chosen). */
export function entryEndpoint(entry: RegistryEntry, host: string, port: number): Endpoint {
  return entry.kind === 'Service'
    ? { kind: 'service', namespace: entry.namespace, name: entry.name, host: entry.host, port }
    : { kind: 'serviceEntry', namespace: entry.namespace, name: entry.name, host, port, location: entry.location, ...(entry.resolution ? { resolution: entry.resolution } : {}) };
}

/** RuleRefs and words for a matched rule: the rule, then each condition of the match entry that held. */
export function matchRefs(hit: RuleMatch): { refs: RuleRef[]; words: string } {
  const { vs, section, index } = hit.slot;
  const words = hit.conditions.length === 0 ? (hit.matchIndex === undefined ? 'no match conditions: it matches every request' : 'empty match') : hit.conditions.map((c) => c.note).join(', ');
  const refs = [ruleRef(vs, `spec.${section}[${index}]`, `Rule spec.${section}[${index}] of VirtualService ${shortName(vs)} matched (${words}).`)];
  for (const c of hit.conditions) refs.push(ruleRef(vs, c.path, `Condition ${c.note} held.`));
  return { refs, words };
}

/** The request in words: `GET /productpage, header end-user=jason`. */
export function describeRequest(req: Request, cls: RouteClass): string {
  const headers = Object.entries(req.headers).map(([k, v]) => `header ${k}=${v}`);
  if (cls !== 'http') return [`port ${req.port}`, req.sni ? `SNI ${req.sni}` : ''].filter(Boolean).join(', ');
  return [`${req.method} ${req.path}`, `host ${req.host ?? req.ip ?? '(none)'}`, `port ${req.port}`, ...headers].join(', ');
}

/** Capitalises the first letter (explanations start with a proxy's name). */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Unknown host (or undeclared port): ALLOW_ANY → PassthroughCluster, REGISTRY_ONLY → BlackHoleCluster (reference §3.8, §4.3). */
function outboundPolicyLegs(
  inv: Inventory, ctx: ProxyContext, scope: SidecarScope, req: Request, requested: string | undefined, entry: RegistryEntry | undefined, sniVipHost?: RegistryEntry,
): Leg[] {
  const target = requested ?? req.ip ?? '?';
  const ignored = requested ? meshVirtualServicesNaming(inv, ctx.namespace, requested) : [];
  const refs: RuleRef[] = ignored.map((c) => ruleRef(c.vs, c.hostPath, `Ignored: VirtualService ${shortName(c.vs)} names ${c.host}, but no Service or ServiceEntry defines ${requested}, so the sidecar builds no route for it.`));
  if (scope.policyRef) refs.push(scope.policyRef);
  const unknown = entry
    ? `${entry.kind === 'Service' ? `Service ${entry.namespace}/${entry.name}` : `ServiceEntry ${entry.namespace}/${entry.name}`} declares no port ${req.port}, so the sidecar has no listener for ${target}:${req.port}`
    : `no Service or ServiceEntry visible from namespace ${ctx.namespace}${scope.egress ? ` and imported by Sidecar ${shortName(scope.obj!)}` : ''} defines ${target}`
      + (sniVipHost ? ` (the SNI ${req.sni} names ${sniVipHost.kind} ${sniVipHost.namespace}/${sniVipHost.name}, but that host has a VIP and is matched only on its own <VIP>:${req.port} listener; a connection to another address reaches the 0.0.0.0:${req.port} listener, where only hosts without a VIP are matched by SNI)` : '');
  const vsNote = ignored.length > 0
    ? ` VirtualService ${ignored.map((c) => shortName(c.vs)).join(', ')} names ${ignored.map((c) => c.host).join(', ')} but is not applied: a sidecar only applies VirtualService rules to hosts of the service registry (a ServiceEntry for ${ignored.map((c) => c.host).join(', ')} would make it apply).`
    : '';
  const policyFrom = scope.policySource === 'sidecar' ? `Sidecar ${shortName(scope.obj!)}` : scope.policySource === 'mesh' ? 'the mesh config' : "Istio's default";
  const http = isHttpFamily(req.protocol);
  const where = { ...(requested ? { host: requested } : {}), ...(req.ip ? { ip: req.ip } : {}), port: req.port };
  const protocol = http ? req.protocol : req.protocol === 'https' || req.protocol === 'tls' ? req.protocol : 'tcp';
  // telemetry: HTTP passthrough/blackhole report the Host header as destination_service, TCP reports `unknown` (§4.3)
  const dsh = http ? req.host ?? req.ip : undefined;
  if (scope.outboundPolicy === 'REGISTRY_ONLY') {
    const to: Endpoint = { kind: 'blackhole', ...where };
    const hop: Hop = { from: ctx.from, to, protocol, decidedBy: refs, explanation: `For ${ctx.who}, ${unknown}; outboundTrafficPolicy is REGISTRY_ONLY (from ${policyFrom}), so the request goes to BlackHoleCluster and fails${http ? ' with 502' : ' (connection closed)'}.${vsNote}` };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'blackhole', responseCode: 502, responseFlags: '-' }, destination: to, ...(dsh ? { destinationServiceHost: dsh } : {}) }];
  }
  const to: Endpoint = { kind: 'passthrough', ...where };
  const hop: Hop = { from: ctx.from, to, protocol, decidedBy: refs, explanation: `For ${ctx.who}, ${unknown}; outboundTrafficPolicy is ALLOW_ANY (from ${policyFrom}), so the connection leaves through PassthroughCluster straight to the original destination, without mTLS or routing rules.${vsNote}` };
  return [{ weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to, ...(dsh ? { destinationServiceHost: dsh } : {}), tls: { mode: 'NONE' } }];
}
