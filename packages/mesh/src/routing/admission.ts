/**
 * The server side of each hop: before a request reaches a workload (its sidecar, or ztunnel in ambient mode) or a
 * gateway proxy, the server decides whether it accepts the connection (PeerAuthentication against the client's TLS)
 * and then whether it allows the request (AuthorizationPolicies, with the client identity only mTLS carries).
 * Reference §3.15–3.16.
 */
import type { Endpoint, Hop, SecurityStep, TracePath, TraceProtocol, TraceRequest } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { inAmbientMesh } from '../inventory/ambient.js';
import { evaluateAuthorization } from './authz.js';
import { jwtAcceptedBy, type PolicyServer } from './authz-policies.js';
import type { RequestAttributes } from './authz-rules.js';
import { normalizePrincipal, peerAuthenticationFor } from './mtls.js';
import type { Leg, Request } from './types.js';
import { waypointPolicyServer } from './ambient.js';

/** Who calls the next server, as far as the server can tell. */
export interface Caller {
  /** The identity the client's certificate carries (`cluster.local/ns/<ns>/sa/<sa>`) when it speaks mTLS. */
  principal?: string;
  /** `--principal` for a client without a proxy: it presents that identity over mTLS itself. */
  asserted: boolean;
  /** The client has an Istio proxy (sidecar or gateway) that originates mTLS. */
  proxied: boolean;
  /** The client is in the ambient mesh: ztunnel carries its connections over mTLS (HBONE). */
  ambient: boolean;
  who: string;
  /** The connection's peer address and the original client's (XFF). */
  ip?: string;
  remoteIp?: string;
}

function firstPodIp(w: WorkloadView): string | undefined {
  return w.pods.find((p) => p.ip)?.ip;
}

function workloadPrincipal(inv: Inventory, w: WorkloadView): string {
  return `${inv.meshConfig.trustDomain}/ns/${w.namespace}/sa/${w.serviceAccount || 'default'}`;
}

/** The caller of the first server: the source workload (its service account), or `--principal`. */
export function sourceCaller(inv: Inventory, req: TraceRequest, w: WorkloadView | undefined, proxied: boolean): Caller {
  const given = req.principal ? normalizePrincipal(req.principal, inv.meshConfig.trustDomain) : undefined;
  if (req.source.kind !== 'workload' || !w) {
    // outside, or a request arriving at a gateway from outside: nobody the inventory knows
    return { ...(given ? { principal: given } : {}), asserted: given !== undefined, proxied: false, ambient: false, who: 'a client outside the mesh' };
  }
  const ip = firstPodIp(w);
  return {
    principal: given ?? workloadPrincipal(inv, w), asserted: given !== undefined && !proxied, proxied, ambient: inAmbientMesh(inv, w),
    who: `workload ${w.namespace}/${w.name}`, ...(ip ? { ip, remoteIp: ip } : {}),
  };
}

/** The caller of the next server once a gateway forwards the request. */
export function gatewayCaller(inv: Inventory, gw: WorkloadView, before: Caller): Caller {
  const ip = firstPodIp(gw);
  return {
    principal: workloadPrincipal(inv, gw), asserted: false, proxied: true, ambient: false, who: `gateway ${gw.namespace}/${gw.name}`,
    ...(ip ? { ip } : {}), ...(before.remoteIp ?? before.ip ? { remoteIp: before.remoteIp ?? before.ip } : {}),
  };
}

const HTTP: ReadonlySet<TraceProtocol> = new Set(['http', 'http2', 'grpc']);

/** The port the workload listens on behind a Service port (`targetPort`, resolved by container port name). */
function workloadPort(inv: Inventory, via: Endpoint | undefined, w: WorkloadView): number | undefined {
  if (!via) return undefined;
  if (via.kind === 'gateway') return via.port;
  if (via.kind !== 'service') return 'port' in via ? via.port : undefined;
  const svc = inv.services.find((s) => s.namespace === via.namespace && s.name === via.name);
  const sp = svc?.ports.find((p) => p.port === via.port);
  if (typeof sp?.targetPort === 'number') return sp.targetPort;
  if (typeof sp?.targetPort === 'string') {
    const named = w.containers.flatMap((c) => c.ports).find((p) => p.name === sp.targetPort);
    if (named) return named.containerPort;
  }
  return via.port;
}

interface Check {
  steps: SecurityStep[];
  outcome?: TracePath['outcome'];
  /** The TLS the connection really uses, when the server changes what auto mTLS sends (PeerAuthentication DISABLE). */
  tls?: TracePath['tls'];
}

/**
 * The checks of `server` for a request arriving over `tls` from `caller`, on workload port `port`.
 * `first`: the server is the first the caller reaches (`--principal` applies only there).
 */
function check(
  inv: Inventory, server: PolicyServer, port: number, protocol: TraceProtocol, tls: TracePath['tls'], caller: Caller, req: Request, traceReq: TraceRequest,
): Check {
  const w = server.workload;
  const who = server.kind === 'sidecar' ? `the sidecar of ${w.namespace}/${w.name}` : server.kind === 'ztunnel' ? `ztunnel (for ${w.namespace}/${w.name})` : server.kind === 'waypoint' ? `waypoint ${server.gateway ?? `${w.namespace}/${w.name}`}` : `gateway ${w.namespace}/${w.name}`;
  const steps: SecurityStep[] = [];

  // mTLS: what the client sends, and what the server accepts
  let mtls: boolean;
  let how: string;
  let downgraded = false;
  if (server.kind === 'waypoint') {
    // ztunnel, sidecars and gateways reach a waypoint only over HBONE: always mutual TLS (ambient.ts)
    mtls = true;
    how = `${caller.who} reaches the waypoint over HBONE (mTLS)`;
  } else if (server.kind === 'ztunnel') {
    mtls = caller.proxied || caller.ambient || caller.asserted;
    how = mtls ? `${caller.who} is in the mesh, so the connection reaches ztunnel over mTLS (HBONE)` : `${caller.who} is not in the mesh (no sidecar, not ambient), so the connection is plaintext`;
  } else if (server.kind === 'gateway') {
    // a gateway learns a peer identity only where a client sidecar originates Istio mTLS to it explicitly
    mtls = (tls?.mode === 'ISTIO_MUTUAL' && tls.rule !== undefined) || caller.asserted;
    how = mtls ? (caller.asserted ? `the caller presents ${caller.principal} over mTLS (--principal)` : `DestinationRule ${tls!.rule!.object.namespace}/${tls!.rule!.object.name} sends Istio mTLS to the gateway`)
      : `the gateway does not terminate Istio mTLS from ${caller.who}`;
  } else if (caller.asserted) {
    mtls = true;
    how = `the caller presents ${caller.principal} over mTLS (--principal)`;
  } else if (!caller.proxied || !tls || tls.mode === 'NONE') {
    mtls = false;
    how = caller.proxied ? `${caller.who}'s proxy sends plaintext (auto mTLS does not apply)` : `${caller.who} has no sidecar, so the connection is plaintext`;
  } else if (tls.mode === 'ISTIO_MUTUAL') {
    mtls = true;
    how = tls.rule ? `DestinationRule ${tls.rule.object.namespace}/${tls.rule.object.name} sets ISTIO_MUTUAL` : 'auto mTLS: both sides have sidecars';
  } else {
    mtls = false;
    how = `DestinationRule ${tls.rule ? `${tls.rule.object.namespace}/${tls.rule.object.name} ` : ''}sets tls mode ${tls.mode}, so ${tls.mode === 'DISABLE' ? 'the connection is plaintext' : 'the client originates its own TLS, not Istio mTLS'}`;
  }

  if (server.kind !== 'gateway' && server.kind !== 'waypoint') {
    const pa = peerAuthenticationFor(inv, w.namespace, w.labels, port);
    if (server.kind === 'sidecar' && pa.mode === 'DISABLE' && mtls && !caller.asserted) {
      if (!tls?.rule) {
        // auto mTLS knows the server takes plaintext only, and sends plaintext
        mtls = false;
        downgraded = true;
        how = `auto mTLS sends plaintext because the server's PeerAuthentication mode is DISABLE`;
      } else {
        const explanation = `${cap(who)} accepts only plaintext on port ${port} (${pa.words}), but ${how}: the TLS handshake fails and ${caller.who}'s proxy answers 503 (Envoy flag UF).`;
        steps.push({ kind: 'mtls', enforcedBy: who, verdict: 'refused', mtls: true, mode: pa.mode, decidedBy: [...pa.refs, tls.rule], explanation });
        return { steps, outcome: { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' } };
      }
    }
    if (pa.mode === 'STRICT' && !mtls) {
      const answer = caller.proxied
        ? `${caller.who}'s proxy answers 503 with Envoy's flag UC (upstream connection termination)`
        : `the client sees the connection reset (no HTTP response)`;
      const explanation = `${cap(who)} accepts only mTLS on port ${port} (${pa.words}), but ${how}: the server's inbound listener has no plaintext filter chain (its Envoy logs NR, filter_chain_not_found) and resets the connection, so ${answer}. This is mTLS refusing plaintext, not a routing failure.`;
      steps.push({ kind: 'mtls', enforcedBy: who, verdict: 'refused', mtls: false, mode: pa.mode, decidedBy: [...pa.refs, ...(tls?.rule ? [tls.rule] : [])], explanation });
      return {
        steps,
        outcome: { kind: 'plaintext-refused', responseCode: caller.proxied ? 503 : 0, responseFlags: caller.proxied ? 'UC' : '-', enforcedBy: who, ...(pa.policy ? { policy: pa.policy } : {}) },
      };
    }
    if (pa.refs.length > 0) {
      const explanation = `${cap(who)} accepts ${pa.mode === 'STRICT' ? 'only mTLS' : pa.mode === 'DISABLE' ? 'only plaintext' : 'mTLS and plaintext'} on port ${port} (${pa.words}); ${how}: ${mtls ? `the server knows the client as ${caller.principal}` : 'the server knows no client identity'}.`;
      steps.push({ kind: 'mtls', enforcedBy: who, verdict: 'allowed', mtls, ...(mtls && caller.principal ? { principal: caller.principal } : {}), mode: pa.mode, decidedBy: [...pa.refs, ...(tls?.rule ? [tls.rule] : [])], explanation });
    }
  }

  const principal = mtls ? caller.principal : undefined;
  let requestPrincipal: string | undefined;
  let noRequestPrincipalWhy = 'the request carries no JWT (give one with --request-principal)';
  if (traceReq.requestPrincipal) {
    const rp = traceReq.requestPrincipal;
    const i = rp.lastIndexOf('/');
    const accepted = jwtAcceptedBy(inv, server, i > 0 ? rp.slice(0, i) : rp);
    if ('obj' in accepted) requestPrincipal = rp;
    else noRequestPrincipalWhy = accepted.why;
  }
  const http = HTTP.has(protocol) && server.kind !== 'ztunnel';
  const attrs: RequestAttributes = {
    http, port, method: req.method, path: req.path.split('?')[0] ?? '/', headers: req.headers,
    noPrincipalWhy: mtls ? 'the client presented no identity' : how,
    noRequestPrincipalWhy,
    ...(principal ? { principal } : {}),
    ...(requestPrincipal ? { requestPrincipal } : {}),
    ...(caller.ip ? { sourceIp: caller.ip } : {}),
    ...(caller.remoteIp ?? caller.ip ? { remoteIp: caller.remoteIp ?? caller.ip } : {}),
    ...(req.host ? { host: req.host } : {}),
    ...(req.sni ? { sni: req.sni } : {}),
  };
  const decision = evaluateAuthorization(inv, server, who, attrs);
  const actual = downgraded ? { tls: { mode: 'NONE' as const } } : {};
  if (!decision) return { steps, ...actual };
  if (server.kind === 'ztunnel') decision.step.explanation += ' ztunnel enforces Layer 4 only: HTTP fields of its policies are treated as on TCP traffic.';
  steps.push(decision.step);
  if (!decision.denied) return { steps, ...actual };
  const d = decision.denied;
  return {
    steps, ...actual,
    outcome: {
      kind: 'denied-by-policy', responseCode: http ? 403 : 0, responseFlags: '-', action: d.action, enforcedBy: who,
      ...(d.policy ? { policy: d.policy } : {}), ...(d.ruleIndex !== undefined ? { ruleIndex: d.ruleIndex } : {}), ...(d.considered ? { considered: d.considered } : {}),
    },
  };
}

/** Attaches `steps` to the last hop of a leg and, when a check refused the request, ends the leg there. */
function applyCheck(leg: Leg, c: Check, hopIndex = leg.hops.length - 1): Leg {
  if (c.steps.length === 0 && !c.outcome && !c.tls) return leg;
  const hops: Hop[] = leg.hops.map((h, i) => (i === hopIndex && c.steps.length > 0 ? { ...h, security: [...(h.security ?? []), ...c.steps] } : h));
  if (c.tls) leg = { ...leg, tls: c.tls };
  if (!c.outcome) return { ...leg, hops };
  // the request stops at this server; mirrors were already sent by the client's proxy
  const { continueAt: _c, retries: _r, timeoutMs: _t, ...rest } = leg;
  void _c; void _r; void _t;
  const last = hops[hopIndex]!;
  return { ...rest, hops: hops.slice(0, hopIndex + 1), outcome: c.outcome, destination: last.to };
}

/** The server checks at the end of a leg that delivers to a workload (sidecar or ambient). */
export function admitAtWorkload(inv: Inventory, leg: Leg, caller: Caller, req: Request, traceReq: TraceRequest): Leg {
  if (leg.outcome.kind !== 'delivered' || leg.destination.kind !== 'workload') return leg;
  const dest = leg.destination;
  const w = inv.workloadsByKey.get(`${dest.namespace}/${dest.name}`);
  if (!w) return leg;
  const kind = w.hasSidecar ? 'sidecar' : inAmbientMesh(inv, w) ? 'ztunnel' : undefined;
  if (!kind) return leg;
  const last = leg.hops[leg.hops.length - 1];
  const port = workloadPort(inv, last?.from, w) ?? req.port;
  return applyCheck(leg, check(inv, { kind, workload: w }, port, last?.protocol ?? req.protocol, leg.tls, caller, req, traceReq));
}

/** The checks of a gateway proxy a leg reaches (before it routes the request on). `protocol`: how the gateway handles it. */
export function admitAtGateway(inv: Inventory, leg: Leg, gw: WorkloadView, arrival: Endpoint, protocol: TraceProtocol, caller: Caller, req: Request, traceReq: TraceRequest): Leg {
  const port = arrival.kind === 'gateway' ? arrival.port : req.port;
  return applyCheck(leg, check(inv, waypointPolicyServer(inv, gw, arrival) ?? { kind: 'gateway', workload: gw }, port, protocol, leg.tls, caller, req, traceReq));
}

/**
 * A trace that starts at a gateway (`--from gateway:ns/name`): the gateway checks the arriving request first. Denied,
 * the trace is one path ending at the gateway; allowed, the check is noted on each path's first hop.
 */
export function admitAtSourceGateway(inv: Inventory, legs: Leg[], gw: WorkloadView, caller: Caller, req: Request, traceReq: TraceRequest): Leg[] {
  const protocol = legs[0]?.hops[0]?.protocol ?? req.protocol;
  const c = check(inv, { kind: 'gateway', workload: gw }, req.port, protocol, undefined, caller, req, traceReq);
  if (c.steps.length === 0 && !c.outcome) return legs;
  if (c.outcome) {
    const to: Endpoint = { kind: 'gateway', namespace: gw.namespace, workload: gw.name, port: req.port };
    const hop: Hop = { from: { kind: 'client', description: caller.who }, to, protocol, decidedBy: [], explanation: `The request arrives at gateway ${gw.namespace}/${gw.name} on port ${req.port}.`, security: c.steps };
    return [{ weight: 1, hops: [hop], outcome: c.outcome, destination: to }];
  }
  return legs.map((l) => applyCheck(l, c, 0));
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
