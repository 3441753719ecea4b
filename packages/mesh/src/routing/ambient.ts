/**
 * Ambient mode in the route tracer (Istio 1.24+). A pod enrolled in the ambient mesh has no sidecar: its node's
 * ztunnel captures its connections and works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule
 * applies at the source. ztunnel opens an HBONE tunnel (HTTP/2 CONNECT over mutual TLS, port 15008) to the
 * destination pod's ztunnel — or, when the destination Service uses a waypoint (`istio.io/use-waypoint` on the
 * Service or its namespace), to the waypoint, which applies the L7 rules (ambient-waypoint.ts) and then tunnels to
 * the pod. Sidecars do not send to waypoints (istio/istio#51445 is open as of 1.28: they apply their own rules and
 * reach ambient pods over HBONE directly); ingress gateways do only with `istio.io/ingress-use-waypoint=true`.
 */
import type { Endpoint, Hop, InventoryObject, RuleRef, TraceProtocol } from '@meshlens/model';
import type { Inventory, PodView, ServiceView, WorkloadView } from '../inventory/types.js';
import {
  DATAPLANE_MODE_LABEL, INGRESS_USE_WAYPOINT_LABEL, USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL,
  inAmbientMesh, ingressUsesWaypoint, waypointOf, waypoints,
} from '../inventory/ambient.js';
import { podCount } from '../inventory/query.js';
import { isIP, toFqdn } from '../hosts/names.js';
import { lookupRegistryAddress, lookupRegistryHost, type RegistryEntry } from '../hosts/registry.js';
import { unappliedL7Rules } from './ambient-l7.js';
import type { PolicyServer } from './authz-policies.js';
import { failedLeg, resolveTarget, UH, type EndpointLeg } from './destinations.js';
import { isHttpFamily } from './protocol.js';
import { childPath, ruleRef, shortName } from './refs.js';
import type { Leg, ProxyContext, Request } from './types.js';

/** The HBONE port of ztunnel and waypoints. */
export const HBONE_PORT = 15008;
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';

/** A waypoint a Service is enrolled in, resolved to its Gateway and the workload istiod deployed for it. */
export interface ServiceWaypoint {
  /** `ns/name` of the waypoint Gateway. */
  key: string;
  gateway?: InventoryObject;
  workload?: WorkloadView;
  /** Where the enrollment is written (the label on the Service or its namespace) and the Gateway. */
  refs: RuleRef[];
  /** "Service ns/x is labelled istio.io/use-waypoint=waypoint" */
  words: string;
  /** Why the waypoint cannot take the Service's traffic (missing Gateway, waypoint-for, cross-namespace), if so. */
  unusable?: string;
}

/** The Service's labels (the inventory keeps them on the object). */
export function serviceLabels(svc: ServiceView): Record<string, string> {
  return (svc.obj.object.metadata?.labels ?? {}) as Record<string, string>;
}

/** The workload Istio deployed for waypoint Gateway `ns/name` (labelled with the gateway name; named after it). */
function waypointWorkload(inv: Inventory, namespace: string, name: string): WorkloadView | undefined {
  return inv.workloads.find((w) => w.namespace === namespace && w.labels[GATEWAY_NAME_LABEL] === name)
    ?? inv.workloadsByKey.get(`${namespace}/${name}`);
}

/** The waypoint Gateway a workload runs, if it is a waypoint proxy. */
export function waypointGatewayOf(inv: Inventory, w: WorkloadView): InventoryObject | undefined {
  const name = w.labels[GATEWAY_NAME_LABEL] ?? w.name;
  return waypoints(inv).find((g) => (g.ref.namespace ?? 'default') === w.namespace && g.ref.name === name);
}

/** True for the workload of a waypoint proxy (a Gateway of class istio-waypoint). */
export function isWaypointWorkload(inv: Inventory, w: WorkloadView): boolean {
  return waypointGatewayOf(inv, w) !== undefined;
}

/** The waypoint of a Service (`istio.io/use-waypoint` on it or its namespace), or undefined when it uses none. */
export function serviceWaypoint(inv: Inventory, svc: ServiceView): ServiceWaypoint | undefined {
  const labels = serviceLabels(svc);
  const key = waypointOf(inv, { namespace: svc.namespace, labels });
  if (!key) return undefined;
  const [wpNs, wpName] = key.split('/') as [string, string];
  const refs: RuleRef[] = [];
  let words: string;
  if (labels[USE_WAYPOINT_LABEL]) {
    refs.push(ruleRef(svc.obj, childPath('metadata.labels', USE_WAYPOINT_LABEL), `Service ${svc.namespace}/${svc.name} uses waypoint ${key} (label ${USE_WAYPOINT_LABEL}=${labels[USE_WAYPOINT_LABEL]}${labels[USE_WAYPOINT_NAMESPACE_LABEL] ? `, ${USE_WAYPOINT_NAMESPACE_LABEL}=${labels[USE_WAYPOINT_NAMESPACE_LABEL]}` : ''}).`));
    words = `Service ${svc.namespace}/${svc.name} is labelled ${USE_WAYPOINT_LABEL}=${labels[USE_WAYPOINT_LABEL]}`;
  } else {
    const ns = inv.namespaces.get(svc.namespace);
    if (ns?.obj) refs.push(ruleRef(ns.obj, childPath('metadata.labels', USE_WAYPOINT_LABEL), `Namespace ${svc.namespace} sends its Services through waypoint ${key} (label ${USE_WAYPOINT_LABEL}=${ns.useWaypoint}).`));
    words = `Namespace ${svc.namespace} is labelled ${USE_WAYPOINT_LABEL}=${ns?.useWaypoint ?? wpName} (its Services use the waypoint)`;
  }
  const gateway = waypoints(inv).find((g) => (g.ref.namespace ?? 'default') === wpNs && g.ref.name === wpName);
  if (!gateway) {
    return { key, refs, words, unusable: `no Gateway of class istio-waypoint named ${key} exists (istiod reports istio.io/WaypointBound=False on the Service)` };
  }
  refs.push(ruleRef(gateway, 'spec.gatewayClassName', `Gateway ${key} is a waypoint (class istio-waypoint).`));
  const waypointFor = String(gateway.object.metadata?.labels?.[WAYPOINT_FOR_LABEL] ?? 'service');
  if (waypointFor !== 'service' && waypointFor !== 'all') {
    return { key, gateway, refs, words, unusable: `waypoint ${key} is labelled ${WAYPOINT_FOR_LABEL}=${waypointFor}, so it does not take traffic addressed to Services` };
  }
  if (wpNs !== svc.namespace) {
    const listeners: unknown = gateway.object.spec?.listeners;
    const from = Array.isArray(listeners) ? listeners.map((l: { allowedRoutes?: { namespaces?: { from?: unknown } } }) => l?.allowedRoutes?.namespaces?.from) : [];
    if (!from.some((f) => f === 'All' || f === 'Selector')) {
      return { key, gateway, refs, words, unusable: `waypoint ${key} is in another namespace and its listener does not allow routes from namespace ${svc.namespace} (allowedRoutes.namespaces.from: All)` };
    }
  }
  const workload = waypointWorkload(inv, wpNs, wpName);
  return { key, gateway, refs, words, ...(workload ? { workload } : {}) };
}

/** `istio.io/use-waypoint: none` on a Service whose namespace names a waypoint: the Service opts out of it. */
function waypointOptOut(inv: Inventory, svc: ServiceView): { ref: RuleRef; words: string } | undefined {
  const ns = inv.namespaces.get(svc.namespace);
  if (serviceLabels(svc)[USE_WAYPOINT_LABEL] !== 'none' || !ns?.useWaypoint || ns.useWaypoint === 'none') return undefined;
  const words = `Service ${svc.namespace}/${svc.name} opts out of namespace ${svc.namespace}'s waypoint ${ns.useWaypointNamespace || svc.namespace}/${ns.useWaypoint} (label ${USE_WAYPOINT_LABEL}=none), so ztunnel does not send it to a waypoint`;
  return { ref: ruleRef(svc.obj, childPath('metadata.labels', USE_WAYPOINT_LABEL), `${words}.`), words };
}

/** The waypoint's endpoint in hops: its proxy workload on the HBONE port. */
export function waypointEndpoint(wp: ServiceWaypoint): Extract<Endpoint, { kind: 'gateway' }> {
  const [ns, name] = wp.key.split('/') as [string, string];
  return { kind: 'gateway', namespace: ns, workload: wp.workload?.name ?? name, port: HBONE_PORT };
}

/** Why a workload is in the ambient mesh, in words. */
export function enrollmentWords(inv: Inventory, w: WorkloadView): string {
  return w.labels[DATAPLANE_MODE_LABEL] === 'ambient'
    ? `its pods are labelled ${DATAPLANE_MODE_LABEL}=ambient`
    : `namespace ${w.namespace} is labelled ${DATAPLANE_MODE_LABEL}=ambient`;
}

/** How the last hop reaches a workload from ztunnel or a waypoint: over HBONE to the pod's ztunnel (or sidecar), or plaintext. */
function hboneWords(inv: Inventory, to: Endpoint): string {
  if (to.kind !== 'workload') return '';
  const w = inv.workloadsByKey.get(`${to.namespace}/${to.name}`);
  if (!w) return '';
  if (w.hasSidecar) return ' The connection is tunnelled over HBONE (mTLS, port 15008) to the pod, whose sidecar accepts it.';
  if (inAmbientMesh(inv, w)) return ' The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it.';
  return ' The destination pod is not in the mesh, so the connection reaches it in plaintext.';
}

/** mTLS on the last hop: HBONE reaches any pod in the mesh (ambient or sidecar) over mutual TLS. */
function hboneTls(inv: Inventory, to: Endpoint): Leg['tls'] {
  if (to.kind === 'gateway') return { mode: 'ISTIO_MUTUAL' };
  if (to.kind !== 'workload') return { mode: 'NONE' };
  const w = inv.workloadsByKey.get(`${to.namespace}/${to.name}`);
  return w && (w.hasSidecar || inAmbientMesh(inv, w)) ? { mode: 'ISTIO_MUTUAL' } : { mode: 'NONE' };
}

/** Adds the HBONE words to a delivered leg's last hop and sets its TLS (ztunnel and waypoints speak HBONE). */
export function overHbone(inv: Inventory, leg: Leg): Leg {
  if (leg.outcome.kind !== 'delivered' || leg.continueAt) return leg;
  const last = leg.hops[leg.hops.length - 1]!;
  const hops = [...leg.hops.slice(0, -1), { ...last, explanation: `${last.explanation}${hboneWords(inv, last.to)}` }];
  return { ...leg, hops, tls: hboneTls(inv, leg.destination) };
}

/** The legs of a request from a workload in the ambient mesh (no sidecar): ztunnel, then maybe a waypoint. */
export function ztunnelLegs(inv: Inventory, w: WorkloadView, from: Endpoint, req: Request, problems: string[]): Leg[] {
  const who = `ztunnel (for ${w.namespace}/${w.name})`;
  const ctx: ProxyContext = { kind: 'none', namespace: w.namespace, workload: w, labels: w.labels, from, who };
  const onlyServices = (e: { kind: string }) => e.kind === 'Service';
  const name = req.host && !isIP(req.host) ? toFqdn(req.host, w.namespace, inv.clusterDomain, 'dns') : undefined;
  const entry = (name ? lookupRegistryHost(inv, name, w.namespace, onlyServices) : undefined) ?? (req.ip ? lookupRegistryAddress(inv, req.ip, w.namespace, onlyServices) : undefined);
  const protocol: TraceProtocol = isHttpFamily(req.protocol) || req.protocol === 'https' || req.protocol === 'tls' ? req.protocol : 'tcp';
  const captured = `Workload ${w.namespace}/${w.name} is in the ambient mesh (${enrollmentWords(inv, w)}; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source`;
  const pod = !entry && req.ip ? inv.pods.find((p) => p.ip === req.ip) : undefined;
  if (pod) return [podAddressedLeg(inv, pod, from, req, protocol, captured)];
  if (!entry) {
    const to: Endpoint = { kind: 'external', ...(name ? { host: name } : {}), ...(req.ip ? { ip: req.ip } : {}), port: req.port };
    const hop: Hop = { from, to, protocol, decidedBy: [], explanation: `${captured}; ${name ?? req.ip} is not a Kubernetes Service, so ztunnel passes the connection through to it unchanged (no mTLS).` };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to, tls: { mode: 'NONE' } }];
  }
  const svcTo: Endpoint = { kind: 'service', namespace: entry.namespace, name: entry.name, host: entry.host, port: req.port };
  if (!entry.ports.some((p) => p.number === req.port)) {
    const hop: Hop = { from, to: svcTo, protocol, decidedBy: [], explanation: `${captured}; Service ${entry.namespace}/${entry.name} has no port ${req.port}, so the connection is refused.` };
    return [failedLeg(hop, { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' })];
  }
  const wp = serviceWaypoint(inv, entry.service!);
  const optOut = wp ? undefined : waypointOptOut(inv, entry.service!);
  if (wp && !wp.unusable) return [toWaypointLeg(inv, wp, entry, from, req, protocol, `${captured}. ${wp.words}, so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port ${HBONE_PORT}) to waypoint ${wp.key}, which applies the Layer 7 rules for ${entry.host}`)];
  const unusable = wp ? ` ${wp.words}, but ${wp.unusable}, so ztunnel sends the connection straight to a pod.` : '';
  if (wp) problems.push(`Service ${entry.namespace}/${entry.name} names waypoint ${wp.key}, but ${wp.unusable}: its traffic does not go through a waypoint.`);
  const l7 = unappliedL7Rules(inv, entry, w.namespace, req.port, wp ? `${entry.name} has no usable waypoint` : `${entry.name} has no waypoint`);
  const why = `${captured}.${optOut ? ` ${optOut.words}.` : ''}${unusable}${l7.words} ztunnel balanced the connection over the endpoints of Service ${entry.namespace}/${entry.name}`;
  const resolved = resolveTarget(inv, ctx, undefined, { host: entry.host, port: req.port, share: 1, refs: [...(wp?.refs ?? []), ...(optOut ? [optOut.ref] : []), ...l7.refs], why }, req, protocol);
  return resolved.legs.map((l) => overHbone(inv, l));
}

/**
 * The waypoint of a pod for traffic addressed to the pod itself (ztunnel uses workload waypoints only then, never
 * for traffic to a Service): `istio.io/use-waypoint` on the pod or its namespace, of a waypoint for `workload` or `all`.
 */
export function podWaypoint(inv: Inventory, pod: PodView): ServiceWaypoint | undefined {
  const key = waypointOf(inv, { namespace: pod.namespace, labels: pod.labels });
  if (!key) return undefined;
  const [wpNs, wpName] = key.split('/') as [string, string];
  const own = pod.labels[USE_WAYPOINT_LABEL] !== undefined;
  const refs: RuleRef[] = [];
  const holder = own ? (pod.obj ?? inv.workloadsByKey.get(`${pod.namespace}/${pod.workload}`)?.obj) : inv.namespaces.get(pod.namespace)?.obj;
  const labelPath = own && !pod.obj ? childPath('spec.template.metadata.labels', USE_WAYPOINT_LABEL) : childPath('metadata.labels', USE_WAYPOINT_LABEL);
  if (holder) refs.push(ruleRef(holder, labelPath, `${own ? `Pod ${pod.namespace}/${pod.name}` : `Namespace ${pod.namespace}`} uses waypoint ${key} for traffic addressed to ${own ? 'it' : 'its pods'}.`));
  const words = own ? `pod ${pod.namespace}/${pod.name} is labelled ${USE_WAYPOINT_LABEL}=${pod.labels[USE_WAYPOINT_LABEL]}` : `namespace ${pod.namespace} is labelled ${USE_WAYPOINT_LABEL}=${inv.namespaces.get(pod.namespace)?.useWaypoint}`;
  const gateway = waypoints(inv).find((g) => (g.ref.namespace ?? 'default') === wpNs && g.ref.name === wpName);
  if (!gateway) return { key, refs, words, unusable: `no Gateway of class istio-waypoint named ${key} exists` };
  refs.push(ruleRef(gateway, 'spec.gatewayClassName', `Gateway ${key} is a waypoint (class istio-waypoint).`));
  const waypointFor = String(gateway.object.metadata?.labels?.[WAYPOINT_FOR_LABEL] ?? 'service');
  if (waypointFor !== 'workload' && waypointFor !== 'all') {
    return { key, gateway, refs, words, unusable: `waypoint ${key} is for ${waypointFor} traffic (label ${WAYPOINT_FOR_LABEL}), not for traffic addressed to pods` };
  }
  const workload = waypointWorkload(inv, wpNs, wpName);
  return { key, gateway, refs, words, ...(workload ? { workload } : {}) };
}

/** Traffic addressed to a pod IP: straight to the pod over HBONE, or through the pod's workload waypoint. */
function podAddressedLeg(inv: Inventory, pod: PodView, from: Endpoint, req: Request, protocol: TraceProtocol, captured: string): Leg {
  const w = inv.workloadsByKey.get(`${pod.namespace}/${pod.workload}`);
  const to: Endpoint = w
    ? { kind: 'workload', namespace: w.namespace, name: w.name, pods: podCount(w), ...(w.version ? { version: w.version } : {}), ...(w.app ? { app: w.app } : {}) }
    : { kind: 'external', ip: req.ip!, port: req.port };
  const addressed = `${captured}; ${req.ip} is the address of pod ${pod.namespace}/${pod.name}${w ? ` of workload ${w.namespace}/${w.name}` : ''}, not of a Service`;
  const wp = w && inAmbientMesh(inv, pod) ? podWaypoint(inv, pod) : undefined;
  if (wp && !wp.unusable && wp.workload && podCount(wp.workload) > 0) {
    const at = waypointEndpoint(wp);
    ARRIVALS.set(at, { pod });
    const hop: Hop = { from, to: at, protocol, decidedBy: wp.refs, explanation: `${addressed}. ${cap(wp.words)}, so ztunnel sends the connection over HBONE (mTLS, port ${HBONE_PORT}) to waypoint ${wp.key}, which enforces its policies for traffic addressed to the pod.` };
    return { weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: at, tls: { mode: 'ISTIO_MUTUAL' }, continueAt: { gateway: wp.workload, port: req.port, arrival: at } };
  }
  const why = wp ? ` (${wp.words}, but ${wp.unusable ?? `waypoint ${wp.key} has no running proxy pod`}, so no waypoint is used)` : '';
  const hop: Hop = { from, to, protocol, decidedBy: wp?.refs ?? [], explanation: `${addressed}${why}, so ztunnel sends the connection straight to it.` };
  return overHbone(inv, { weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to });
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The leg into a waypoint: a hop to its proxy (HBONE), continued there by the tracer (see ambient-waypoint.ts). */
function toWaypointLeg(inv: Inventory, wp: ServiceWaypoint, entry: RegistryEntry, from: Endpoint, req: Request, protocol: TraceProtocol, why: string): Leg {
  const to = waypointEndpoint(wp);
  const pods = wp.workload ? podCount(wp.workload) : 0;
  if (!wp.workload || pods === 0) {
    const hop: Hop = { from, to, protocol, decidedBy: wp.refs, explanation: `${why}; but waypoint ${wp.key} has no running proxy pod (${wp.workload ? `workload ${wp.workload.namespace}/${wp.workload.name} has 0 pods` : 'istiod deployed no workload for it'}), so the connection fails (503, UH).` };
    return failedLeg(hop, UH, entry.host);
  }
  markArrival(to, entry);
  const hop: Hop = { from, to, protocol, decidedBy: wp.refs, explanation: `${why}.` };
  return {
    weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to, destinationServiceHost: entry.host, tls: { mode: 'ISTIO_MUTUAL' },
    continueAt: { gateway: wp.workload, port: req.port, arrival: to },
  };
}

/** What each waypoint arrival was sent for: a Service, or a pod addressed directly (it travels unchanged in `continueAt`). */
const ARRIVALS = new WeakMap<Endpoint, { entry?: RegistryEntry; pod?: PodView }>();

function markArrival(to: Endpoint, entry: RegistryEntry): void {
  ARRIVALS.set(to, { entry });
}

/** The Service a request arriving at a waypoint was sent for, when this module sent it there. */
export function arrivalService(arrival: Endpoint): RegistryEntry | undefined {
  return ARRIVALS.get(arrival)?.entry;
}

/** The pod a workload-addressed request arriving at a waypoint was sent to, when this module sent it there. */
export function arrivalPod(arrival: Endpoint): PodView | undefined {
  return ARRIVALS.get(arrival)?.pod;
}

/**
 * For `resolveTarget`: what a proxy other than ztunnel does with a Service that uses a waypoint. An ingress gateway
 * (Istio or Gateway API) sends to the waypoint when the Service or its namespace is labelled
 * `istio.io/ingress-use-waypoint=true`; otherwise it, like a sidecar, goes straight to the pods and the waypoint's
 * rules and policies are skipped — `note` says so. Undefined when nothing changes.
 */
export function waypointDetour(
  inv: Inventory, ctx: ProxyContext, svc: ServiceView, from: Endpoint, port: number, protocol: TraceProtocol,
): { legs?: EndpointLeg[] | { failure: string }; note: string } | undefined {
  if (ctx.kind === 'none' || (ctx.workload && isWaypointWorkload(inv, ctx.workload))) return undefined;
  const wp = serviceWaypoint(inv, svc);
  if (!wp || wp.unusable) return undefined;
  const svcName = `${svc.namespace}/${svc.name}`;
  if (ctx.kind === 'sidecar') {
    return { note: ` ${wp.words}, but sidecars do not send to waypoints (Istio 1.24+; istio/istio#51445): ${ctx.who} applied its own rules and connects to the pod directly (over HBONE when the pod is in the ambient mesh), so the routes and policies of waypoint ${wp.key} are skipped.` };
  }
  const labels = serviceLabels(svc);
  if (!ingressUsesWaypoint(inv, { namespace: svc.namespace, labels })) {
    return { note: ` ${wp.words}, but a gateway sends to a waypoint only when the Service or its namespace is labelled ${INGRESS_USE_WAYPOINT_LABEL}=true, so ${ctx.who} connects to the pods directly and the routes and policies of waypoint ${wp.key} are skipped.` };
  }
  const to = waypointEndpoint(wp);
  const where = labels[INGRESS_USE_WAYPOINT_LABEL] !== undefined ? `Service ${svcName}` : `namespace ${svc.namespace}`;
  const ingressRef = labels[INGRESS_USE_WAYPOINT_LABEL] !== undefined
    ? ruleRef(svc.obj, childPath('metadata.labels', INGRESS_USE_WAYPOINT_LABEL), `Service ${svcName} asks gateways to send through its waypoint (${INGRESS_USE_WAYPOINT_LABEL}=true).`)
    : (() => { const ns = inv.namespaces.get(svc.namespace)?.obj; return ns ? ruleRef(ns, childPath('metadata.labels', INGRESS_USE_WAYPOINT_LABEL), `Namespace ${svc.namespace} asks gateways to send through waypoints (${INGRESS_USE_WAYPOINT_LABEL}=true).`) : undefined; })();
  const decidedBy = [...(ingressRef ? [ingressRef] : []), ...wp.refs];
  if (!wp.workload || podCount(wp.workload) === 0) {
    return { note: '', legs: { failure: `${wp.words} and ${where} is labelled ${INGRESS_USE_WAYPOINT_LABEL}=true, so ${ctx.who} sends to waypoint ${wp.key}, which has no running proxy pod` } };
  }
  const entry = lookupRegistryHost(inv, svc.hostname, svc.namespace, (e) => e.kind === 'Service');
  if (entry) markArrival(to, entry);
  const hop: Hop = {
    from, to, protocol, decidedBy,
    explanation: `${wp.words}${where.startsWith('Service') ? ' and' : `, and ${where} is labelled`} ${INGRESS_USE_WAYPOINT_LABEL}=true, so ${ctx.who} does not pick a pod: it sends the request over HBONE (mTLS, port ${HBONE_PORT}) to waypoint ${wp.key}, which routes it again with the Service's own Layer 7 rules (the gateway's rules and the waypoint's both apply).`,
  };
  return { note: '', legs: [{ weight: 1, hops: [hop], hasSidecar: true, continueAt: { gateway: wp.workload, port, arrival: to } }] };
}

/**
 * The policy server of a waypoint a request reaches (undefined when `gw` is not a waypoint): it enforces the
 * AuthorizationPolicies that target it, its GatewayClass, or the Service it was sent for (`targetRefs`).
 */
export function waypointPolicyServer(inv: Inventory, gw: WorkloadView, arrival: Endpoint): PolicyServer | undefined {
  const gateway = waypointGatewayOf(inv, gw);
  if (!gateway) return undefined;
  const entry = arrivalService(arrival);
  return { kind: 'waypoint', workload: gw, services: entry ? [`${entry.namespace}/${entry.name}`] : [], gateway: shortName(gateway) };
}
