/**
 * Which routes attach to a Gateway API listener (conversion.go `referenceAllowed`): the parentRef names the Gateway,
 * its `sectionName` and `port` (when written) name the listener, the route's namespace is allowed by
 * `allowedRoutes.namespaces`, its kind by the listener's protocol and `allowedRoutes.kinds`, and at least one route
 * hostname intersects the listener's hostname. The hosts a route then serves on the listener are the intersection.
 */
import { GATEWAY_API_GROUP, type InventoryObject } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { hostMatches } from '../hosts/names.js';
import { apiKind, apiName, parentRefsOf, routeHostnames, routesOf, type Listener, type ParentRef, type RouteKind } from './gwapi-objects.js';
import { ruleRef } from './refs.js';
import type { RuleRef } from '@meshlens/model';

/** A route attached to a listener, with the hosts it serves there. */
export interface Attached {
  route: InventoryObject;
  listener: Listener;
  parent: ParentRef;
  /** Route hostnames ∩ listener hostname (`*` when neither is written), with the route hostname path when one decided. */
  hosts: Array<{ host: string; path?: string }>;
}

/** A route that names the Gateway but does not attach to a listener, and why. */
export interface Detached {
  route: InventoryObject;
  listener: Listener;
  parent: ParentRef;
  reason: string;
}

function namesGateway(p: ParentRef, gateway: InventoryObject): boolean {
  return p.kind === 'Gateway' && p.group === GATEWAY_API_GROUP && p.name === gateway.ref.name && p.namespace === (gateway.ref.namespace ?? 'default');
}

/** The hosts a route serves on a listener (Gateway API hostname intersection). */
export function effectiveHosts(route: InventoryObject, listener: Listener): Attached['hosts'] {
  const written = routeHostnames(route);
  const lh = listener.hostname;
  if (written.length === 0) return [{ host: lh ?? '*' }];
  return written.flatMap((h) => {
    if (lh === undefined || hostMatches(lh, h.host)) return [{ host: h.host, path: h.path }];
    if (hostMatches(h.host, lh)) return [{ host: lh, path: h.path }];
    return [];
  });
}

/** The routes of `kinds` that name the listener's Gateway: attached, or not and why. */
export function routesOnListener(inv: Inventory, listener: Listener, kinds: readonly RouteKind[]): { attached: Attached[]; detached: Detached[] } {
  const attached: Attached[] = [];
  const detached: Detached[] = [];
  for (const route of routesOf(inv, kinds)) {
    const routeNs = route.ref.namespace ?? 'default';
    const kind = apiKind(route) as RouteKind;
    let reason: { parent: ParentRef; reason: string } | undefined;
    let hit: Attached | undefined;
    for (const parent of parentRefsOf(route).filter((p) => namesGateway(p, listener.gateway))) {
      // a sectionName or port naming another listener is a reference to that listener, not a refusal by this one
      if (parent.sectionName !== undefined && parent.sectionName !== listener.name) continue;
      if (parent.port !== undefined && parent.port !== listener.port) continue;
      const hosts = effectiveHosts(route, listener);
      if (hosts.length === 0) {
        reason ??= { parent, reason: `no hostname of the route (${routeHostnames(route).map((h) => h.host).join(', ')}) matches the hostname ${listener.hostname} of ${listener.describe}` };
        continue;
      }
      if (!listener.namespaces.includes('*') && !listener.namespaces.includes(routeNs)) {
        reason ??= { parent, reason: `${listener.describe} admits routes from ${listener.from === 'Same' ? `its own namespace ${listener.gateway.ref.namespace} only (allowedRoutes.namespaces.from Same)` : `namespaces ${listener.namespaces.join(', ') || '(none)'} only (allowedRoutes.namespaces.from ${listener.from})`}, not from ${routeNs}` };
        continue;
      }
      if (!listener.kinds.includes(kind)) {
        reason ??= { parent, reason: `${listener.describe} admits ${listener.kinds.join(', ') || 'no route kinds'}, not ${kind}` };
        continue;
      }
      hit = { route, listener, parent, hosts };
      break;
    }
    if (hit) attached.push(hit);
    else if (reason) detached.push({ route, listener, ...reason });
  }
  return { attached, detached };
}

/** Refs and words for routes that name a Gateway but are not attached (empty when there are none). */
export function detachedNotes(detached: Detached[]): { refs: RuleRef[]; words: string } {
  const seen = new Set<InventoryObject>();
  const unique = detached.filter((d) => (seen.has(d.route) ? false : (seen.add(d.route), true)));
  return {
    refs: unique.map((d) => ruleRef(d.route, d.parent.path, `Not attached: ${apiName(d.route)} names Gateway ${d.parent.namespace}/${d.parent.name}, but ${d.reason}.`)),
    words: unique.map((d) => ` ${apiName(d.route)} names this Gateway but is not attached: ${d.reason}.`).join(''),
  };
}
