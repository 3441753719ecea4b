/** A gateway proxy: Gateway servers by port/protocol/host, then the VirtualServices bound to those Gateways (reference §3.3, §3.9). */
import type { Endpoint, Hop, InventoryObject, RuleRef, TraceProtocol } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { hostMatches, parseScopedHost } from '../hosts/names.js';
import { mergeGatewayServers, type GatewayServer, type RejectedServer } from './gateway-merge.js';
import { httpConditions, matchRule, ruleSlots, type RuleMatch } from './http-rules.js';
import { isHttpFamily, type RouteClass } from './protocol.js';
import { ruleRef, shortName } from './refs.js';
import { ruleLegs } from './routes.js';
import { cap, describeRequest, matchRefs } from './sidecar.js';
import { tcpConditions, tlsConditions } from './tcp-tls-rules.js';
import type { Leg, ProxyContext, Request } from './types.js';
import { gatewayVirtualServices, type ServerHost } from './virtual-services.js';
import { gatewayApiLegs } from './gwapi-gateway.js';
import { waypointLegs } from './ambient-waypoint.js';

/** A Gateway server that accepted the request, and how the gateway treats the traffic. */
interface ServerHit {
  gateway: InventoryObject;
  index: number;
  cls: RouteClass;
  /** The protocol the gateway forwards (after TLS termination HTTPS becomes HTTP). */
  protocol: TraceProtocol;
  hosts: ServerHost[];
  describe: string;
}

/** How a server of `protocol`/`tlsMode` handles a request of `req` protocol, or undefined when it does not take it. */
function serverHandling(protocol: string, tlsMode: string, req: TraceProtocol): { cls: RouteClass; protocol: TraceProtocol } | undefined {
  const http = isHttpFamily(req);
  switch (protocol) {
    case 'HTTP': case 'HTTP2': case 'GRPC': case 'GRPC-WEB':
      return http ? { cls: 'http', protocol: req } : undefined;
    case 'HTTPS':
      if (tlsMode === 'PASSTHROUGH' || tlsMode === 'AUTO_PASSTHROUGH') return req === 'https' || req === 'tls' ? { cls: 'tls', protocol: req } : undefined;
      // terminated: routed as HTTP; a sidecar's own mTLS (ISTIO_MUTUAL) carries plain HTTP requests too
      return req === 'https' || (http && tlsMode === 'ISTIO_MUTUAL') ? { cls: 'http', protocol: 'http' } : undefined;
    case 'TLS':
      if (tlsMode === 'PASSTHROUGH' || tlsMode === 'AUTO_PASSTHROUGH') return req === 'https' || req === 'tls' ? { cls: 'tls', protocol: req } : undefined;
      return req === 'https' || req === 'tls' || tlsMode === 'ISTIO_MUTUAL' ? { cls: 'tcp', protocol: 'tcp' } : undefined;
    case 'TCP': case 'MONGO':
      return { cls: 'tcp', protocol: 'tcp' };
    default:
      return undefined;
  }
}

/** How a server treats the request, or undefined when it does not take it (port protocol, then Host/SNI against its hosts). */
function handlingOf(s: GatewayServer, req: Request): { cls: RouteClass; protocol: TraceProtocol; hosts: ServerHost[] } | undefined {
  const handling = serverHandling(s.protocol, s.tlsMode ?? 'PASSTHROUGH', req.protocol);
  if (!handling) return undefined;
  const hosts = s.hosts.map((h) => parseScopedHost(h, s.gateway.ref.namespace ?? 'default'));
  // HTTP servers pick by Host header, TLS by SNI; a TCP server has no name to check
  const name = handling.cls === 'http' ? req.host : handling.cls === 'tls' ? req.sni : undefined;
  if (handling.cls !== 'tcp' && !hosts.some((h) => name !== undefined ? hostMatches(h.host, name) : h.host === '*')) return undefined;
  return { ...handling, hosts: hosts.map((h) => ({ namespace: h.namespace, host: h.host })) };
}

/**
 * The servers that take the request after istiod merged the Gateways selecting `gw` (see gateway-merge.ts), and the
 * rejected servers that would have taken it had they not lost a conflict to an older Gateway.
 */
function matchingServers(inv: Inventory, gw: WorkloadView, req: Request): { hits: ServerHit[]; rejected: RejectedServer[] } {
  const merged = mergeGatewayServers(inv, gw, req.port);
  const hits: ServerHit[] = [];
  for (const s of merged.accepted) {
    const h = handlingOf(s, req);
    if (h) hits.push({ gateway: s.gateway, index: s.index, cls: h.cls, protocol: h.protocol, hosts: h.hosts, describe: s.describe });
  }
  return { hits, rejected: merged.rejected.filter((r) => handlingOf(r.server, req) !== undefined) };
}

/** Refs and a sentence for the conflicting servers the gateway dropped (empty when there are none). */
function rejectionNotes(rejected: RejectedServer[]): { refs: RuleRef[]; words: string } {
  const refs = rejected.map((r) => ruleRef(r.server.gateway, `spec.servers[${r.server.index}]`, `Rejected: server spec.servers[${r.server.index}] of Gateway ${shortName(r.server.gateway)} (${r.server.describe}) would take this request, but ${r.reason}.`));
  const words = rejected.map((r) => `Server spec.servers[${r.server.index}] of Gateway ${shortName(r.server.gateway)} (${r.server.describe}) would take this request but is rejected: ${r.reason}. `).join('');
  return { refs, words };
}

/** The legs of a request arriving at gateway workload `gw` (endpoint `arrival`). */
export function gatewayLegs(inv: Inventory, gw: WorkloadView, arrival: Endpoint, req: Request, problems: string[]): Leg[] {
  // an ambient waypoint routes by the Service it was sent for (ambient-waypoint.ts)
  const waypoint = waypointLegs(inv, gw, arrival, req, problems);
  if (waypoint) return waypoint;
  // a proxy deployed for Kubernetes Gateway API Gateways routes by their listeners and attached routes
  const api = gatewayApiLegs(inv, gw, arrival, req, problems);
  if (api) return api;
  const ctx: ProxyContext = { kind: 'gateway', namespace: gw.namespace, workload: gw, labels: gw.labels, from: arrival, who: `gateway ${gw.namespace}/${gw.name}` };
  const { hits: servers, rejected } = matchingServers(inv, gw, req);
  // conflicts are told first: they are why an expected Gateway does not take the request
  const dropped = rejectionNotes(rejected);
  const name = req.sni ?? req.host;
  const fail = (decidedBy: RuleRef[], why: string, http: boolean, protocol: TraceProtocol): Leg[] => {
    const to: Endpoint = { kind: 'external', ...(name ? { host: name } : {}), ...(req.ip ? { ip: req.ip } : {}), port: req.port };
    const hop: Hop = { from: arrival, to, protocol, decidedBy: [...decidedBy, ...dropped.refs], explanation: dropped.words + why };
    return [{
      weight: 1, hops: [hop], destination: to, ...(http && req.host ? { destinationServiceHost: req.host } : {}),
      outcome: http ? { kind: 'no-route', responseCode: 404, responseFlags: 'NR' } : { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' },
    }];
  };
  if (servers.length === 0) {
    const http = isHttpFamily(req.protocol);
    return fail([], `No server of the Gateways selecting ${ctx.who} (labels ${Object.entries(gw.labels).map(([k, v]) => `${k}=${v}`).join(',')}) serves ${req.protocol.toUpperCase()} on port ${req.port}${name ? ` for ${name}` : ''}, so the gateway ${http ? 'answers 404 (NR)' : 'has no listener for it and the connection is refused'}.`, http, req.protocol);
  }
  // servers of one port share a listener: every Gateway that took the request can bind VirtualServices
  const cls = servers[0]!.cls;
  const same = servers.filter((s) => s.cls === cls);
  const protocol = same[0]!.protocol;
  const gateways = [...new Set(same.map((s) => shortName(s.gateway)))];
  const serverRefs = same.map((s) => ruleRef(s.gateway, `spec.servers[${s.index}]`, `Server spec.servers[${s.index}] of Gateway ${shortName(s.gateway)} (${s.describe}) accepts the request.`));
  const serverWords = same.map((s) => `server spec.servers[${s.index}] of Gateway ${shortName(s.gateway)} (${s.describe})`).join(' and ');
  const routeReq: Request = cls === 'http' && req.protocol === 'https' ? { ...req } : req;
  const requestHost = cls === 'http' ? req.host : cls === 'tls' ? req.sni : undefined;
  const vses = gatewayVirtualServices(inv, same.map((s) => ({ gateway: shortName(s.gateway), hosts: s.hosts })), gw.namespace, requestHost, problems);
  const http = cls === 'http';
  const refusal = http ? 'answers 404 (NR)' : 'closes the connection';
  if (vses.length === 0) {
    return fail(serverRefs, `${cap(ctx.who)} accepted the request on ${serverWords}, but no VirtualService bound to ${gateways.join(', ')} and exported to namespace ${gw.namespace} has a host matching ${requestHost ?? 'the server hosts'}, so it ${refusal}.`, http, protocol);
  }
  const slots = ruleSlots(vses.map((c) => c.vs), cls, true);
  let hit: RuleMatch | undefined;
  for (const slot of slots) {
    const vsNs = slot.vs.ref.namespace ?? 'default';
    hit = matchRule(slot, (m, p) => cls === 'http' ? httpConditions(m, p, vsNs, ctx, routeReq, gateways, problems)
      : cls === 'tls' ? tlsConditions(m, p, vsNs, ctx, routeReq, gateways) : tcpConditions(m, p, vsNs, ctx, routeReq, gateways));
    if (hit) break;
  }
  const names = vses.map((c) => shortName(c.vs)).join(', ');
  if (!hit) {
    const hostRefs = vses.map((c) => ruleRef(c.vs, c.hostPath, `VirtualService ${shortName(c.vs)} is bound to ${gateways.join(', ')} for host ${c.host}.`));
    return fail([...serverRefs, ...hostRefs], `${cap(ctx.who)} accepted the request on ${serverWords} and applies VirtualService ${names}, but none of ${slots.length === 1 ? 'its' : 'their'} ${slots.length} ${cls} rule${slots.length === 1 ? '' : 's'} matches (${describeRequest(routeReq, cls)}), so it ${refusal}.`, http, protocol);
  }
  const { refs, words } = matchRefs(hit);
  const why = `${dropped.words}${cap(ctx.who)} accepted the request on ${serverWords}, matched rule spec.${cls}[${hit.slot.index}] of VirtualService ${shortName(hit.slot.vs)} (${words})`;
  return ruleLegs(inv, ctx, undefined, hit.slot.vs, cls, hit.slot.index, [...serverRefs, ...dropped.refs, ...refs], why, routeReq, protocol, problems);
}
