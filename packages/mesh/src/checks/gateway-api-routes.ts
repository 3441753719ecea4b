/**
 * HTTPRoute and GRPCRoute references (Kiali's k8shttproutes / k8sgrpcroutes checkers):
 * - KIA1401: a parentRef names a Gateway API Gateway that does not exist, or whose listeners do not accept the
 *   route — `sectionName`/`port` naming no listener, `allowedRoutes.namespaces` not admitting the route's namespace
 *   (Kiali's "inaccessible"), `allowedRoutes.kinds` or the listener protocol not admitting the route's kind, or no
 *   listener hostname intersecting the route's hostnames. Waypoints are not judged by their listeners.
 * - KIA1402: a reference that is not a valid service: a parentRef Service (GAMMA) or ServiceEntry that does not
 *   exist; a backendRef Service or ServiceEntry that does not exist, lies in another namespace without a
 *   ReferenceGrant allowing it, is written as a host name, or lacks the port; a `Hostname` backend
 *   (networking.istio.io) that no ServiceEntry or Service defines. Kiali skips ServiceEntry parents and Hostname
 *   backends — the ambient egress pattern (route attached to a ServiceEntry, sending to its host) — and, unlike the
 *   Gateway API, asks a ReferenceGrant of parentRef Services in other namespaces; Meshlens checks the former and
 *   lets consumer routes (a parentRef Service in another namespace) be, as the spec does.
 * TCPRoute and TLSRoute are outside Kiali's checks and not judged here.
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import { splitRefKind } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsOf, someNames, type RefInput } from './finding.js';
import { arr, rec, resolveHost } from './lookup.js';
import { hostReadKeys } from './keys.js';
import { isWaypoint } from '../inventory/ambient.js';
import {
  backendRefsOf, gatewayApiGateway, GATEWAY_API, GRPC_ROUTE_KIND, HTTP_ROUTE_KIND, ISTIO_NETWORKING, listenerAdmitsHostnames, listenerAdmitsKind,
  listenerAdmitsNamespace, listenersOf, parentRefsOf, referenceGrantFor, referenceGrantYaml, type Listener, type ObjectReference,
} from './gateway-api-refs.js';

function listenerName(l: Listener): string {
  return l.name ? `"${l.name}"` : `#${l.index}`;
}

/** The `key=value` pairs of a listener's namespace selector (matchLabels only). */
function selectorLabels(l: Listener): string[] {
  const ns = rec(rec(l.spec.allowedRoutes).namespaces);
  if (ns.from !== 'Selector' || arr(rec(ns.selector).matchExpressions).length > 0) return [];
  return Object.entries(rec(rec(ns.selector).matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
}

/** Which namespaces a listener's allowedRoutes admit, in words. */
function admitted(gw: InventoryObject, l: Listener): string {
  const ns = rec(rec(l.spec.allowedRoutes).namespaces);
  if (ns.from === 'All') return 'all namespaces';
  if (ns.from === 'Selector') {
    const labels = Object.entries(rec(rec(ns.selector).matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
    return labels.length ? `namespaces labelled ${labels.join(', ')}` : 'namespaces matching its selector';
  }
  return `only its own namespace ${nsOf(gw)}`;
}

/** KIA1401 for a parentRef to a Gateway. */
function gatewayParent(ctx: CheckContext, route: InventoryObject, kind: string, ref: ObjectReference): Finding[] {
  const routeNs = nsOf(route);
  const gw = gatewayApiGateway(ctx, ref.namespace, ref.name);
  const where = `${ref.namespace}/${ref.name}`;
  if (!gw) {
    const refs: RefInput[] = [];
    ctx.read(`G:${where}`);
    const istio = ctx.idx.gateways().get(where);
    const elsewhere = ctx.inv.gatewayApi.Gateway.filter((g) => g.ref.name === ref.name);
    let hint = '';
    let fix = `Correct the name, or create the Gateway API Gateway ${where}.`;
    if (istio) {
      refs.push({ obj: istio, path: 'metadata.name', note: 'an Istio Gateway of that name' });
      hint = ` (there is an Istio Gateway ${where}, but routes attach only to Gateway API Gateways; VirtualServices bind Istio Gateways)`;
      fix = `Create a Gateway API Gateway for this route, or route through the Istio Gateway with a VirtualService.`;
    } else if (elsewhere.length > 0) {
      refs.push(...elsewhere.slice(0, 3).map((g) => ({ obj: g, path: 'metadata.name', note: 'a Gateway of that name in another namespace' })));
      hint = ` (a Gateway of that name exists in namespace ${someNames(elsewhere.map(nsOf))})`;
      fix = `Set namespace: ${nsOf(elsewhere[0]!)} on this parentRef.`;
    }
    return [makeFinding(route, 'KIA1401', `${ref.path}.name`,
      `This ${kind} is attached to Gateway ${where}, which does not exist${hint}: the route is accepted by no gateway, so its rules serve no traffic there.`, fix, refs)];
  }
  if (isWaypoint(gw)) return [];
  const all = listenersOf(gw);
  let candidates = all;
  const gwRef = (path = 'spec.listeners', note = 'its listeners'): RefInput => ({ obj: gw, path, note });
  const names = someNames(all.map(listenerName), 5);
  if (ref.sectionName !== undefined) {
    candidates = candidates.filter((l) => l.name === ref.sectionName);
    if (candidates.length === 0) {
      return [makeFinding(route, 'KIA1401', `${ref.path}.sectionName`,
        `Gateway ${where} has no listener named "${ref.sectionName}" (its listeners: ${names || 'none'}), so this ${kind} attaches to none of them and serves no traffic there.`,
        `Set sectionName to the name of one of the Gateway's listeners, or remove it to attach to every listener that accepts the route.`, [gwRef()])];
    }
  }
  if (ref.port !== undefined) {
    candidates = candidates.filter((l) => l.port === ref.port);
    if (candidates.length === 0) {
      return [makeFinding(route, 'KIA1401', `${ref.path}.port`,
        `Gateway ${where} has no listener${ref.sectionName ? ` "${ref.sectionName}"` : ''} on port ${ref.port} (its ports: ${[...new Set(all.map((l) => l.port))].join(', ') || 'none'}), so this ${kind} attaches to none of them.`,
        `Set port to a listener's port, or remove it.`, [gwRef()])];
    }
  }
  const byNamespace = candidates.filter((l) => listenerAdmitsNamespace(ctx, gw, l, routeNs));
  if (byNamespace.length === 0 && candidates.length > 0) {
    const froms = candidates.map((l) => `${listenerName(l)} admits ${admitted(gw, l)}`);
    const first = candidates[0]!;
    return [makeFinding(route, 'KIA1401', `${ref.path}.name`,
      `Gateway ${where} does not accept routes from namespace ${routeNs}: ${someNames(froms)} (allowedRoutes.namespaces). The route is refused (NotAllowedByListeners) and serves no traffic there.`,
      selectorLabels(first).length > 0
        ? `Label namespace ${routeNs} ${selectorLabels(first).join(' ')} (kubectl label namespace ${routeNs} ${selectorLabels(first).join(' ')}), or widen allowedRoutes.namespaces on listener ${listenerName(first)} of Gateway ${where}.`
        : `Set allowedRoutes.namespaces.from: All (or a Selector matching namespace ${routeNs}) on listener ${listenerName(first)} of Gateway ${where}, or move this ${kind} to namespace ${nsOf(gw)}.`,
      candidates.slice(0, 3).map((l) => gwRef(`spec.listeners[${l.index}]`, `listener ${listenerName(l)}`)))];
  }
  const byKind = byNamespace.filter((l) => listenerAdmitsKind(l, kind));
  if (byKind.length === 0) {
    const what = byNamespace.map((l) => `${listenerName(l)} is ${l.protocol ?? 'of no protocol'}${arr(rec(l.spec.allowedRoutes).kinds).length ? ' with allowedRoutes.kinds' : ''}`);
    return [makeFinding(route, 'KIA1401', `${ref.path}.name`,
      `No listener of Gateway ${where} accepts ${/^[AEIOH]/.test(kind) ? 'an' : 'a'} ${kind}: ${someNames(what)}. The route is refused (NotAllowedByListeners) and serves no traffic there.`,
      `Attach the route to an HTTP or HTTPS listener (sectionName), or add one to Gateway ${where}.`,
      byNamespace.slice(0, 3).map((l) => gwRef(`spec.listeners[${l.index}]`, `listener ${listenerName(l)}`)))];
  }
  const hostnames = arr(rec(route.object.spec).hostnames).filter((h): h is string => typeof h === 'string');
  const byHost = byKind.filter((l) => listenerAdmitsHostnames(l, hostnames));
  if (byHost.length === 0) {
    return [makeFinding(route, 'KIA1401', 'spec.hostnames',
      `None of the route's hostnames (${someNames(hostnames)}) matches a listener hostname of Gateway ${where} (${someNames(byKind.map((l) => `${listenerName(l)}: ${l.hostname}`))}): the route is refused (NoMatchingListenerHostname) and serves no traffic there.`,
      `Add a hostname the listener serves to spec.hostnames, or change the listener's hostname.`,
      byKind.slice(0, 3).map((l) => gwRef(`spec.listeners[${l.index}].hostname`, `listener ${listenerName(l)}`)))];
  }
  return [];
}

/** The Service `ns/name`, reading its registry host. */
function serviceNamed(ctx: CheckContext, namespace: string, name: string) {
  const host = `${name}.${namespace}.svc.${ctx.inv.clusterDomain}`;
  for (const k of hostReadKeys('R', host)) ctx.read(k);
  return ctx.inv.servicesByHost.get(host);
}

function serviceEntryNamed(ctx: CheckContext, namespace: string, name: string): InventoryObject | undefined {
  ctx.read(`O:ServiceEntry/${namespace}/${name}`);
  return ctx.inv.istio.ServiceEntry.find((se) => nsOf(se) === namespace && se.ref.name === name);
}

/** KIA1402 when a Service reference is written as a host name. */
function dottedName(route: InventoryObject, ref: ObjectReference, role: string): Finding {
  const parts = ref.name.split('.');
  const fix = parts.length >= 2 ? `Write name: ${parts[0]} and namespace: ${parts[1]} (a Service reference takes the Service's name, not its host).` : `Write the Service's name (and namespace) instead of a host name.`;
  return makeFinding(route, 'KIA1402', `${ref.path}.name`,
    `This ${role} names Service "${ref.name}": a Service name cannot contain dots, so no Service matches (host names belong in kind: Hostname of group networking.istio.io).`, fix);
}

/** KIA1402 for a parentRef to a Service (GAMMA) or ServiceEntry. */
function serviceParent(ctx: CheckContext, route: InventoryObject, kind: string, ref: ObjectReference): Finding[] {
  const where = `${ref.namespace}/${ref.name}`;
  if (ref.kind === 'Service' && ref.group === '') {
    if (ref.name.includes('.')) return [dottedName(route, ref, 'parentRef')];
    if (serviceNamed(ctx, ref.namespace, ref.name)) return [];
    return [makeFinding(route, 'KIA1402', `${ref.path}.name`,
      `This ${kind} is attached to Service ${where}, which does not exist: the route configures the traffic of no service, so its rules have no effect.`,
      `Correct the Service's name${ref.namespaceWritten ? ' or namespace' : ''}, or create Service ${where}.`)];
  }
  if (ref.kind === 'ServiceEntry' && ref.group === ISTIO_NETWORKING) {
    if (serviceEntryNamed(ctx, ref.namespace, ref.name)) return [];
    return [makeFinding(route, 'KIA1402', `${ref.path}.name`,
      `This ${kind} is attached to ServiceEntry ${where}, which does not exist: the route configures the traffic of no host (in ambient, egress through a waypoint attaches routes to the ServiceEntry of the external host), so its rules have no effect.`,
      `Correct the name, or create ServiceEntry ${where} for the external host.`)];
  }
  return [];
}

/** KIA1402 for one backendRef. */
function backend(ctx: CheckContext, route: InventoryObject, kind: string, ref: ObjectReference): Finding[] {
  const routeNs = nsOf(route);
  const where = `${ref.namespace}/${ref.name}`;
  const failure = `requests this rule sends there get HTTP 500`;
  if (ref.kind === 'Hostname' && ref.group === ISTIO_NETWORKING) {
    const entry = resolveHost(ctx, ref.name, routeNs);
    if (entry) return [];
    return [makeFinding(route, 'KIA1402', `${ref.path}.name`,
      `This backendRef sends to host ${ref.name}, which no ServiceEntry (or Service) visible from namespace ${routeNs} defines: the backend cannot be resolved and ${failure}.`,
      `Add a ServiceEntry with host ${ref.name} (exported to ${routeNs}), or correct the host.`)];
  }
  let target: InventoryObject | undefined;
  let targetKind: string;
  if (ref.kind === 'Service' && ref.group === '') {
    if (ref.name.includes('.')) return [dottedName(route, ref, 'backendRef')];
    const svc = serviceNamed(ctx, ref.namespace, ref.name);
    if (!svc) {
      return [makeFinding(route, 'KIA1402', `${ref.path}.name`,
        `This backendRef sends to Service ${where}, which does not exist: ${failure}.`,
        `Correct the Service's name${ref.namespaceWritten ? ' or namespace' : ''}, or create Service ${where}.`)];
    }
    target = svc.obj;
    targetKind = 'Service';
    if (ref.port === undefined) {
      return [makeFinding(route, 'KIA1402', ref.path,
        `This backendRef to Service ${where} has no port: the Gateway API requires one for a Service backend (the API server rejects the route).`,
        `Set port to one of the Service's ports (${svc.ports.map((p) => p.port).join(', ') || 'it has none'}).`, [{ obj: svc.obj, path: 'spec.ports' }])];
    }
    if (!svc.ports.some((p) => p.port === ref.port) && svc.type !== 'ExternalName') {
      return [makeFinding(route, 'KIA1402', `${ref.path}.port`,
        `Service ${where} has no port ${ref.port} (its ports: ${svc.ports.map((p) => p.port).join(', ') || 'none'}): ${failure}.`,
        `Set port to one of the Service's ports.`, [{ obj: svc.obj, path: 'spec.ports', note: 'the ports it declares' }])];
    }
  } else if (ref.kind === 'ServiceEntry' && ref.group === ISTIO_NETWORKING) {
    target = serviceEntryNamed(ctx, ref.namespace, ref.name);
    targetKind = 'ServiceEntry';
    if (!target) {
      return [makeFinding(route, 'KIA1402', `${ref.path}.name`,
        `This backendRef sends to ServiceEntry ${where}, which does not exist: ${failure}.`,
        `Correct the name, or create ServiceEntry ${where}.`)];
    }
  } else {
    return [];
  }
  if (ref.namespace === routeNs) return [];
  const from = { group: GATEWAY_API, kind, namespace: routeNs };
  const to = { group: ref.group, kind: targetKind, namespace: ref.namespace, name: ref.name };
  if (referenceGrantFor(ctx, from, to)) return [];
  return [makeFinding(route, 'KIA1402', `${ref.path}.namespace`,
    `This backendRef sends to ${targetKind} ${where} in another namespace, and no ReferenceGrant in namespace ${ref.namespace} allows ${kind}s of namespace ${routeNs} to refer to it: the reference is refused (RefNotPermitted) and ${failure}.`,
    `Add to namespace ${ref.namespace}: ${referenceGrantYaml(from, to)}.`, [{ obj: target, path: 'metadata.name', note: 'the backend, in another namespace' }])];
}

export const gatewayApiRoutes: Check = {
  name: 'gateway-api-routes',
  kinds: [HTTP_ROUTE_KIND, GRPC_ROUTE_KIND],
  run(ctx, route) {
    const kind = splitRefKind(route.ref.kind).kind;
    const out: Finding[] = [];
    for (const ref of parentRefsOf(route)) {
      if (ref.kind === 'Gateway' && ref.group === GATEWAY_API) out.push(...gatewayParent(ctx, route, kind, ref));
      else out.push(...serviceParent(ctx, route, kind, ref));
    }
    for (const ref of backendRefsOf(route)) out.push(...backend(ctx, route, kind, ref));
    return out;
  },
};
