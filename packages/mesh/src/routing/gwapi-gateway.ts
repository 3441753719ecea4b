/**
 * A gateway proxy serving Kubernetes Gateway API Gateways of class istio: the listener that takes the request (port,
 * protocol, hostname — the most specific hostname wins, as Envoy picks the virtual host or SNI chain), the routes
 * attached to it, and their rules in the Gateway API's precedence (istiod converts each listener to a Gateway server
 * and the routes to VirtualServices bound to it; conversion.go, route_collections.go).
 */
import type { Endpoint, Hop, InventoryObject, RuleRef, TraceProtocol } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { hostMatches, hostsIntersect, hostSpecificity } from '../hosts/names.js';
import { acceptedPorts, mergeGatewayServers } from './gateway-merge.js';
import { detachedNotes, routesOnListener, type Attached } from './gwapi-attach.js';
import { apiRuleLegs } from './gwapi-backends.js';
import { apiName, gatewaysServedBy, listenersOf, routeHostnames, type Listener, type RouteKind } from './gwapi-objects.js';
import { matchHttpRule, mergedHttpRules, rulePath, type HeldCondition } from './gwapi-rules.js';
import { isHttpFamily, type RouteClass } from './protocol.js';
import { ruleRef, shortName } from './refs.js';
import { cap, describeRequest } from './sidecar.js';
import type { Leg, ProxyContext, Request } from './types.js';

/** How a listener treats the request, or undefined when it does not take it. */
function handling(l: Listener, req: TraceProtocol): { cls: RouteClass; protocol: TraceProtocol; kinds: RouteKind[] } | undefined {
  switch (l.protocol) {
    case 'HTTP': return isHttpFamily(req) ? { cls: 'http', protocol: req, kinds: ['HTTPRoute', 'GRPCRoute'] } : undefined;
    case 'HTTPS': return req === 'https' && l.tlsMode !== 'Passthrough' ? { cls: 'http', protocol: 'http', kinds: ['HTTPRoute', 'GRPCRoute'] } : undefined;
    case 'TLS':
      if (req !== 'https' && req !== 'tls') return undefined;
      return l.tlsMode === 'Terminate' ? { cls: 'tcp', protocol: 'tcp', kinds: ['TCPRoute', 'TLSRoute'] } : { cls: 'tls', protocol: req, kinds: ['TLSRoute'] };
    case 'TCP': return { cls: 'tcp', protocol: 'tcp', kinds: ['TCPRoute'] };
    default: return undefined;
  }
}

function gatewayWords(gateways: InventoryObject[]): string {
  return gateways.map((g) => `Gateway (Gateway API) ${shortName(g)}`).join(', ');
}

/** The legs of a request arriving at a gateway workload that serves Gateway API Gateways; undefined when it serves none on this port. */
export function gatewayApiLegs(inv: Inventory, gw: WorkloadView, arrival: Endpoint, req: Request, problems: string[]): Leg[] | undefined {
  const gateways = gatewaysServedBy(inv, gw);
  if (gateways.length === 0) return undefined;
  const ctx: ProxyContext = { kind: 'gateway', namespace: gw.namespace, workload: gw, labels: gw.labels, from: arrival, who: `gateway ${gw.namespace}/${gw.name}` };
  const ports = acceptedPorts(inv, gw, req.port);
  const onPort = gateways.flatMap((g) => listenersOf(inv, g)).filter((l) => ports.has(l.port));
  const http = isHttpFamily(req.protocol);
  const fail = (decidedBy: RuleRef[], why: string, asHttp: boolean, protocol: TraceProtocol, name?: string): Leg[] => {
    const to: Endpoint = { kind: 'external', ...(name ? { host: name } : {}), ...(req.ip ? { ip: req.ip } : {}), port: req.port };
    const hop: Hop = { from: arrival, to, protocol, decidedBy, explanation: why };
    return [{
      weight: 1, hops: [hop], destination: to, ...(asHttp && req.host ? { destinationServiceHost: req.host } : {}),
      outcome: asHttp ? { kind: 'no-route', responseCode: 404, responseFlags: 'NR' } : { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' },
    }];
  };
  if (onPort.length === 0) {
    // Istio Gateways selecting the same proxy may serve the port
    if (mergeGatewayServers(inv, gw, req.port).accepted.length > 0) return undefined;
    return fail([], `No listener of ${gatewayWords(gateways)} (served by ${ctx.who}) is on port ${req.port}, so the gateway has no listener for it and the connection is refused.`, false, req.protocol, req.sni ?? req.host);
  }
  const taking = onPort.flatMap((l) => {
    const h = handling(l, req.protocol);
    return h ? [{ listener: l, ...h }] : [];
  });
  if (taking.length === 0) {
    return fail(onPort.map((l) => ruleRef(l.gateway, l.path, `${cap(l.describe)} of Gateway (Gateway API) ${shortName(l.gateway)} is on port ${req.port} but does not take ${req.protocol.toUpperCase()}.`)),
      `${cap(ctx.who)} serves port ${req.port} with ${onPort.map((l) => `${l.describe} of Gateway (Gateway API) ${shortName(l.gateway)}`).join(', ')}, none of which takes ${req.protocol.toUpperCase()}, so ${http ? 'it answers 404 (NR)' : 'the connection is refused'}.`, http, req.protocol, req.sni ?? req.host);
  }
  const cls = taking[0]!.cls;
  const protocol = taking[0]!.protocol;
  const same = taking.filter((t) => t.cls === cls);
  // HTTP listeners are told apart by the Host header, HTTPS and TLS by SNI; TCP has no name
  const listenerName = cls === 'tcp' ? undefined : taking[0]!.listener.protocol === 'HTTP' ? req.host : req.sni;
  const named = same.filter((t) => t.listener.hostname === undefined || (listenerName !== undefined && hostMatches(t.listener.hostname, listenerName)));
  const asHttp = cls === 'http';
  if (named.length === 0) {
    return fail(same.map((t) => ruleRef(t.listener.gateway, `${t.listener.path}.hostname`, `${cap(t.listener.describe)} serves only ${t.listener.hostname}.`)),
      `${cap(ctx.who)} has ${same.map((t) => `${t.listener.describe} of Gateway (Gateway API) ${shortName(t.listener.gateway)}`).join(', ')} on port ${req.port}, but no listener hostname matches ${listenerName ?? '(no name)'}, so ${asHttp ? 'it answers 404 (NR)' : 'the connection is refused'}.`, asHttp, protocol, listenerName);
  }
  // the most specific listener hostname takes the request (a virtual host or SNI filter chain per hostname)
  const top = Math.max(...named.map((t) => hostSpecificity(t.listener.hostname ?? '*')));
  const chosen = named.filter((t) => hostSpecificity(t.listener.hostname ?? '*') === top);
  const listenerRefs = chosen.map((t) => ruleRef(t.listener.gateway, t.listener.path, `${cap(t.listener.describe)} of Gateway (Gateway API) ${shortName(t.listener.gateway)} accepts the request.`));
  const listenerWords = chosen.map((t) => `${t.listener.describe} of Gateway (Gateway API) ${shortName(t.listener.gateway)}`).join(' and ');
  const usable = chosen.filter((t) => !t.listener.certificateRefusal);
  if (usable.length === 0) {
    const refusal = chosen[0]!.listener.certificateRefusal!;
    const refs = chosen.map((t) => ruleRef(t.listener.gateway, t.listener.certificateRefusal!.path, `Refused: ${t.listener.certificateRefusal!.sentence}.`));
    const to: Endpoint = { kind: 'external', ...(listenerName ? { host: listenerName } : {}), port: req.port };
    return [{
      weight: 1, destination: to, outcome: { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' },
      hops: [{ from: arrival, to, protocol: req.protocol, decidedBy: [...listenerRefs, ...refs], explanation: `${cap(ctx.who)} takes the connection on ${listenerWords}, but its ${refusal.sentence}; the listener has no certificate, so the TLS handshake fails and no request is routed.` }],
    }];
  }

  const attached: Attached[] = [];
  const detachedAll = [];
  for (const t of usable) {
    const { attached: a, detached } = routesOnListener(inv, t.listener, t.kinds);
    attached.push(...a);
    detachedAll.push(...detached);
  }
  const requestName = cls === 'http' ? req.host : cls === 'tls' ? req.sni : undefined;
  // routes that name the Gateway for this host but are not attached explain why an expected route does not apply
  const dropped = detachedNotes(detachedAll.filter((d) => {
    const names = routeHostnames(d.route).map((h) => h.host);
    return names.length === 0 || (requestName !== undefined && names.some((n) => hostsIntersect(n, requestName)));
  }));
  // one virtual host (or SNI chain) per hostname: the routes whose best host for the request is the most specific
  const withHost = attached.flatMap((a) => {
    if (cls === 'tcp') return [{ a, host: a.hosts[0]! }];
    const best = a.hosts.filter((h) => requestName !== undefined ? hostMatches(h.host, requestName) : h.host === '*')
      .sort((x, y) => hostSpecificity(y.host) - hostSpecificity(x.host))[0];
    return best ? [{ a, host: best }] : [];
  });
  const refusal = asHttp ? 'answers 404 (NR)' : 'closes the connection';
  if (withHost.length === 0) {
    const none = attached.length === 0
      ? `no ${same[0]!.kinds.join(' or ')} is attached to it`
      : `no route attached to it serves ${requestName ?? 'this request'} (attached: ${attached.map((a) => `${apiName(a.route)} for ${a.hosts.map((h) => h.host).join(', ')}`).join('; ')})`;
    return fail([...listenerRefs, ...dropped.refs], `${cap(ctx.who)} accepted the request on ${listenerWords}, but ${none}, so it ${refusal}.${dropped.words}`, asHttp, protocol, requestName ?? listenerName);
  }
  const bestSpec = Math.max(...withHost.map((w) => hostSpecificity(w.host.host)));
  const serving = withHost.filter((w) => hostSpecificity(w.host.host) === bestSpec);
  const attachRefs = (a: Attached, host: { host: string; path?: string }): RuleRef[] => [
    ruleRef(a.route, a.parent.path, `${apiName(a.route)} is attached to ${a.listener.describe} of Gateway (Gateway API) ${shortName(a.listener.gateway)}.`),
    ...(host.path ? [ruleRef(a.route, host.path, `Hostname ${host.host} of ${apiName(a.route)} matches ${requestName ?? 'the request'}.`)] : []),
  ];

  if (cls === 'http') {
    const routes = serving.map((s) => s.a.route);
    const rules = mergedHttpRules(routes);
    for (const rule of rules) {
      const held = matchHttpRule(rule, req, problems);
      if (!held) continue;
      const owner = serving.find((s) => s.a.route === rule.route)!;
      return gatewayRuleLegs(inv, ctx, owner.a, owner.host, rule, held, listenerRefs, listenerWords, dropped.words, req, protocol, problems);
    }
    const names = routes.map(apiName).join(', ');
    const hostRefs = serving.flatMap((s) => attachRefs(s.a, s.host));
    return fail([...listenerRefs, ...hostRefs, ...dropped.refs], `${cap(ctx.who)} accepted the request on ${listenerWords} and applies ${names} for ${serving[0]!.host.host}, but none of ${routes.length === 1 ? 'its' : 'their'} ${rules.length} rule match${rules.length === 1 ? '' : 'es'} holds for this request (${describeRequest(req, 'http')}), so it answers 404 (NR).${dropped.words}`, true, protocol, requestName);
  }
  // TLS and TCP: one rule per route; the oldest route of the host takes the connection
  const first = serving[0]!;
  const section = first.a.route.object.kind === 'TLSRoute' ? 'tls' as const : 'tcp' as const;
  const why = `${cap(ctx.who)} accepted the ${protocol.toUpperCase()} connection on ${listenerWords}, where ${apiName(first.a.route)} is attached${first.host.path ? ` for ${first.host.host}` : ''}, and rule spec.rules[0] of ${apiName(first.a.route)} takes it`;
  const refs = [...listenerRefs, ...attachRefs(first.a, first.host), ruleRef(first.a.route, 'spec.rules[0]', `Rule spec.rules[0] of ${apiName(first.a.route)} takes the connection.`)];
  if (serving.length > 1) problems.push(`Several routes serve ${first.host.host} on ${listenerWords} (${serving.map((s) => apiName(s.a.route)).join(', ')}); the oldest, ${apiName(first.a.route)}, takes the connections.`);
  return apiRuleLegs(inv, ctx, undefined, { route: first.a.route, ruleIndex: 0, refs, why: `${dropped.words.trim() ? `${dropped.words.trim()} ` : ''}${why}`, enforceGrants: true, section }, req, protocol, problems);
}

function gatewayRuleLegs(
  inv: Inventory, ctx: ProxyContext, a: Attached, host: { host: string; path?: string }, rule: ReturnType<typeof mergedHttpRules>[number], held: HeldCondition[],
  listenerRefs: RuleRef[], listenerWords: string, droppedWords: string, req: Request, protocol: TraceProtocol, problems: string[],
): Leg[] {
  const at = rulePath(rule);
  const words = held.length === 0 ? 'no match conditions: it matches every request' : held.map((c) => c.note).join(', ');
  const refs: RuleRef[] = [
    ...listenerRefs,
    ruleRef(a.route, a.parent.path, `${apiName(a.route)} is attached to ${a.listener.describe} of Gateway (Gateway API) ${shortName(a.listener.gateway)}.`),
    ...(host.path ? [ruleRef(a.route, host.path, `Hostname ${host.host} of ${apiName(a.route)} matches ${req.host ?? 'the request'}.`)] : []),
    ruleRef(a.route, at, `Rule ${at} of ${apiName(a.route)} matched (${words}).`),
    ...held.filter((c) => c.path !== at).map((c) => ruleRef(c.route, c.path, `Condition ${c.note} held.`)),
  ];
  const why = `${droppedWords.trim() ? `${droppedWords.trim()} ` : ''}${cap(ctx.who)} accepted the request on ${listenerWords}, where ${apiName(a.route)} is attached for ${host.host}, and matched rule ${at} of ${apiName(a.route)} (${words})`;
  const prefix = rule.uri?.type === 'PathPrefix' ? rule.uri.value : undefined;
  return apiRuleLegs(inv, ctx, undefined, { route: a.route, ruleIndex: rule.ruleIndex, refs, why, enforceGrants: true, section: 'http' }, req, protocol, problems, prefix);
}
