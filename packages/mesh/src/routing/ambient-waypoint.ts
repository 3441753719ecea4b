/**
 * A waypoint proxy (a Gateway of class istio-waypoint) routing a request sent to it for a Service. istiod builds the
 * waypoint's inbound route for the Service from the VirtualServices it sees for the Service's host — Gateway API
 * routes with a parentRef to the Service (GAMMA) are turned into such VirtualServices — restricted to the waypoint's
 * namespace and the Service's (`getVirtualServiceForWaypoint`), and uses the first one with HTTP rules; without one
 * it sends to the Service's endpoints. Match entries with `sourceLabels` are dropped (ambient has no source labels).
 * DestinationRule subsets and traffic policies apply at the waypoint. Istio documents VirtualService on waypoints as
 * Alpha and mixing VirtualService and HTTPRoute for one service as unsupported (undefined behaviour): the trace
 * follows istiod's order and reports the mix.
 */
import type { Endpoint, Hop, InventoryObject, RuleRef, TraceProtocol } from '@meshlens/model';
import type { Inventory, PodView, WorkloadView } from '../inventory/types.js';
import { podCount } from '../inventory/query.js';
import { exportToOf, isExportedTo } from '../hosts/export-to.js';
import { hostMatches, isIP, toFqdn } from '../hosts/names.js';
import { lookupRegistryAddress, lookupRegistryHost, registryPort, type RegistryEntry } from '../hosts/registry.js';
import { arrivalPod, arrivalService, overHbone, waypointGatewayOf } from './ambient.js';
import { failedLeg, resolveTarget, UH } from './destinations.js';
import { apiName, createdAt } from './gwapi-objects.js';
import { meshRouteLegs, meshRouteSets, meshRouteWins } from './gwapi-mesh.js';
import { httpConditions, matchRule, ruleSlots, type RuleMatch } from './http-rules.js';
import { hopProtocolOf, protocolOfPort, routeClassOf, type RouteClass } from './protocol.js';
import { ruleRef, shortName } from './refs.js';
import { ruleLegs } from './routes.js';
import { cap, describeRequest, entryEndpoint, matchRefs } from './sidecar.js';
import type { SidecarScope } from './sidecar-scope.js';
import { tcpConditions } from './tcp-tls-rules.js';
import type { Leg, ProxyContext, Request } from './types.js';
import { rejectionOf, vsGateways, vsHosts, type VsChoice } from './virtual-services.js';

/** The VirtualServices a waypoint in `waypointNs` considers for `entry`, in istiod's order (creation time, then name). */
function waypointVirtualServices(inv: Inventory, waypointNs: string, entry: RegistryEntry, section: 'http' | 'tcp', problems: string[]): VsChoice[] {
  const out: Array<VsChoice & { at: number }> = [];
  for (const vs of inv.istio.VirtualService) {
    const vsNs = vs.ref.namespace ?? 'default';
    if (vsNs !== waypointNs && vsNs !== entry.namespace) continue;
    if (!vsGateways(vs).includes('mesh') || !isExportedTo(exportToOf(vs), vsNs, waypointNs)) continue;
    const rules: unknown = vs.object.spec?.[section];
    if (!Array.isArray(rules) || rules.length === 0) continue;
    const host = vsHosts(inv, vs).find((h) => hostMatches(h.host, entry.host));
    if (!host) continue;
    const rejected = rejectionOf(vs);
    if (rejected) {
      problems.push(`VirtualService ${shortName(vs)} is ignored: Istio's validation rejects it (${rejected}).`);
      continue;
    }
    out.push({ vs, host: host.host, hostPath: host.path, at: createdAt(vs) });
  }
  return out.sort((a, b) => a.at - b.at || a.vs.ref.name.localeCompare(b.vs.ref.name)).map(({ at: _, ...c }) => c);
}

/** The Service a request arriving at the waypoint is for: the one ztunnel or the gateway sent it for, else by host or address. */
function serviceOf(inv: Inventory, arrival: Endpoint, req: Request, namespace: string): RegistryEntry | undefined {
  const known = arrivalService(arrival);
  if (known) return known;
  const name = req.host && !isIP(req.host) ? toFqdn(req.host, namespace, inv.clusterDomain, 'dns') : undefined;
  return (name ? lookupRegistryHost(inv, name, namespace) : undefined) ?? (req.ip ? lookupRegistryAddress(inv, req.ip, namespace) : undefined);
}

/** The legs of a request arriving at waypoint workload `gw`; undefined when `gw` is not a waypoint. */
export function waypointLegs(inv: Inventory, gw: WorkloadView, arrival: Endpoint, req: Request, problems: string[]): Leg[] | undefined {
  const gateway = waypointGatewayOf(inv, gw);
  if (!gateway) return undefined;
  const who = `waypoint ${shortName(gateway)}`;
  const ctx: ProxyContext = { kind: 'gateway', namespace: gw.namespace, workload: gw, labels: gw.labels, from: arrival, who };
  const pod = arrivalPod(arrival);
  if (pod) return [overHbone(inv, podLeg(inv, ctx, pod, req))];
  const entry = serviceOf(inv, arrival, req, gw.namespace);
  const port = entry ? registryPort(entry, req.port) : undefined;
  if (!entry || !port) {
    const to: Endpoint = { kind: 'external', ...(req.host ? { host: req.host } : {}), ...(req.ip ? { ip: req.ip } : {}), port: req.port };
    const hop: Hop = { from: arrival, to, protocol: req.protocol, decidedBy: [], explanation: `${cap(who)} serves no Service for ${req.host ?? req.ip}:${req.port}, so it has no route for the request (503, UH).` };
    return [failedLeg(hop, UH)];
  }
  const portProtocol = protocolOfPort(port, entry.kind);
  const cls = routeClassOf(portProtocol, req.protocol);
  const protocol = hopProtocolOf(cls, portProtocol, req.protocol);
  const portNote = `port ${port.number} (${portProtocol === 'unknown' ? `undeclared protocol, sniffed as ${cls === 'http' ? 'HTTP' : 'TCP'}` : portProtocol.toUpperCase()})`;
  const legs = cls === 'http' ? httpLegs(inv, ctx, gateway, entry, req, protocol, portNote, problems) : l4Legs(inv, ctx, entry, req, protocol, cls, portNote, problems);
  return legs.map((l) => overHbone(inv, l));
}

/** Workload-addressed traffic: the waypoint applies its policies, but no Service routes; it forwards to the pod addressed. */
function podLeg(inv: Inventory, ctx: ProxyContext, pod: PodView, req: Request): Leg {
  const w = inv.workloadsByKey.get(`${pod.namespace}/${pod.workload}`)!;
  const to: Endpoint = { kind: 'workload', namespace: w.namespace, name: w.name, pods: podCount(w), ...(w.version ? { version: w.version } : {}), ...(w.app ? { app: w.app } : {}) };
  const hop: Hop = {
    from: ctx.from, to, protocol: req.protocol, decidedBy: [],
    explanation: `${cap(ctx.who)} received traffic addressed to pod ${pod.namespace}/${pod.name} (${req.ip}:${req.port}); Service routes do not apply to traffic addressed to a pod, so it forwards the request to that pod.`,
  };
  return { weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to };
}

const OPEN_SCOPE = (inv: Inventory): SidecarScope => ({ outboundPolicy: inv.meshConfig.outboundTrafficPolicy, policySource: 'default' });

function httpLegs(
  inv: Inventory, ctx: ProxyContext, gateway: InventoryObject, entry: RegistryEntry, req: Request, protocol: TraceProtocol, portNote: string, problems: string[],
): Leg[] {
  const wpNs = ctx.namespace;
  const vses = waypointVirtualServices(inv, wpNs, entry, 'http', problems);
  const set = meshRouteSets(inv, wpNs, entry.host, req.port, 'http')[0];
  const vs = vses[0];
  if (vses.length > 1) {
    problems.push(`VirtualServices ${vses.map((c) => shortName(c.vs)).join(', ')} all have HTTP rules for ${entry.host}; ${ctx.who} uses the first in istiod's order, ${shortName(vs!.vs)}, and ignores the others.`);
  }
  let useRoutes = set !== undefined;
  if (set && vs) {
    const scratch: string[] = [];
    useRoutes = meshRouteWins(set, vs, wpNs, scratch);
    const routes = set.routes.map((r) => apiName(r.route)).join(', ');
    const [winner, loser] = useRoutes ? [routes, `VirtualService ${shortName(vs.vs)}`] : [`VirtualService ${shortName(vs.vs)}`, routes];
    problems.push(`${routes} and VirtualService ${shortName(vs.vs)} both route ${entry.host} at ${ctx.who}. Istio does not support mixing VirtualService and HTTPRoute for one service (undefined behaviour, istio.io/latest/docs/ambient/migrate/migrate-policies); istiod gives the waypoint one route table per service, from the first of them in its order, so ${winner} applies and ${loser} is ignored.`);
  }
  const arriving = `${cap(ctx.who)} received the request for ${entry.host} (${describeRequest(req, 'http')})`;
  if (useRoutes && set) {
    const legs = meshRouteLegs(inv, ctx, OPEN_SCOPE(inv), set, 'http', req, protocol, portNote, entry.host, entry, problems, () => entryEndpoint(entry, entry.host, req.port));
    if (legs) return legs;
  }
  if (vs && !useRoutes) {
    const vsNs = vs.vs.ref.namespace ?? 'default';
    const hostRef = ruleRef(vs.vs, vs.hostPath, `VirtualService ${shortName(vs.vs)} defines host ${vs.host} for the mesh; ${ctx.who} applies it to ${entry.host}.`);
    const slots = ruleSlots([vs.vs], 'http', false);
    const dropped: string[] = [];
    let hit: RuleMatch | undefined;
    for (const slot of slots) {
      hit = matchRule(slot, (m, p) => {
        // a waypoint drops match entries with sourceLabels: ambient traffic carries no source labels (istio/istio#51565)
        if (m.sourceLabels !== undefined) {
          dropped.push(`${p}.sourceLabels`);
          return false;
        }
        return httpConditions(m, p, vsNs, ctx, req, ['mesh'], problems);
      });
      if (hit) break;
    }
    const droppedWords = dropped.length > 0 ? ` (match entr${dropped.length === 1 ? 'y' : 'ies'} with sourceLabels — ${dropped.join(', ')} — ${dropped.length === 1 ? 'is' : 'are'} dropped at a waypoint: ambient traffic carries no source labels)` : '';
    if (hit) {
      const { refs, words } = matchRefs(hit);
      const why = `${arriving} and matched rule spec.http[${hit.slot.index}] of VirtualService ${shortName(vs.vs)} (${words}) on ${portNote}${droppedWords}`;
      return ruleLegs(inv, ctx, undefined, vs.vs, 'http', hit.slot.index, [hostRef, ...refs], why, req, protocol, problems);
    }
    const to = entryEndpoint(entry, entry.host, req.port);
    const hop: Hop = {
      from: ctx.from, to, protocol, decidedBy: [hostRef],
      explanation: `${arriving} and applies VirtualService ${shortName(vs.vs)}, but none of its ${slots.length} http rule${slots.length === 1 ? '' : 's'} matches${droppedWords}; the waypoint's route table for the Service has no fallback, so it answers 404 (NR).`,
    };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'no-route', responseCode: 404, responseFlags: 'NR' }, destination: to, destinationServiceHost: entry.host }];
  }
  const why = `${arriving}; no HTTPRoute with a parentRef to Service ${entry.namespace}/${entry.name} and no VirtualService for it in namespace ${wpNs}${entry.namespace !== wpNs ? ` or ${entry.namespace}` : ''} routes it, so ${ctx.who} used the Service's default route on ${portNote}`;
  return resolveTarget(inv, ctx, undefined, { host: entry.host, port: req.port, share: 1, refs: [], why }, req, protocol).legs;
}

/** TCP (and TLS) at a waypoint: a TCPRoute/TLSRoute of the Service, else the first VirtualService tcp rule that matches, else the Service. */
function l4Legs(inv: Inventory, ctx: ProxyContext, entry: RegistryEntry, req: Request, protocol: TraceProtocol, cls: RouteClass, portNote: string, problems: string[]): Leg[] {
  for (const apiCls of cls === 'tls' ? (['tls', 'tcp'] as const) : (['tcp'] as const)) {
    const set = meshRouteSets(inv, ctx.namespace, entry.host, req.port, apiCls)[0];
    if (!set) continue;
    const legs = meshRouteLegs(inv, ctx, OPEN_SCOPE(inv), set, apiCls, req, protocol, portNote, entry.host, entry, problems, () => entryEndpoint(entry, entry.host, req.port));
    if (legs) return legs;
  }
  for (const c of waypointVirtualServices(inv, ctx.namespace, entry, 'tcp', problems)) {
    const vsNs = c.vs.ref.namespace ?? 'default';
    for (const slot of ruleSlots([c.vs], 'tcp', false)) {
      const hit = matchRule(slot, (m, p) => (m.sourceLabels !== undefined ? false : tcpConditions(m, p, vsNs, ctx, req, ['mesh'])));
      if (!hit) continue;
      const { refs, words } = matchRefs(hit);
      const hostRef: RuleRef = ruleRef(c.vs, c.hostPath, `VirtualService ${shortName(c.vs)} defines host ${c.host} for the mesh.`);
      return ruleLegs(inv, ctx, undefined, c.vs, 'tcp', slot.index, [hostRef, ...refs], `${cap(ctx.who)} matched rule spec.tcp[${slot.index}] of VirtualService ${shortName(c.vs)} (${words}) for ${entry.host} on ${portNote}`, req, protocol, problems);
    }
  }
  const why = `${cap(ctx.who)} received the connection for ${entry.host}; no TCP route applies, so it forwards it to the Service's endpoints on ${portNote}`;
  return resolveTarget(inv, ctx, undefined, { host: entry.host, port: req.port, share: 1, refs: [], why }, req, protocol).legs;
}
