/** Configuration badges: VirtualService features, circuit breakers, missing sidecars, WorkloadEntries. */
import type { InventoryObject, NodeData } from '@meshlens/model';
import { inAmbientMesh, type Inventory, type ServiceView, type WorkloadView } from '../inventory/index.js';
import { selects } from './selectors.js';
import { expandHost, hostMatches } from './hosts.js';
import { compareStrings } from './compare.js';

interface VirtualServiceView {
  namespace: string;
  name: string;
  /** `spec.hosts` as written (Kiali's `hasVS.hostnames`) and expanded. */
  hosts: string[];
  fqdns: string[];
  destinations: Set<string>;
  requestRouting: boolean;
  faultInjection: boolean;
  trafficShifting: boolean;
  tcpTrafficShifting: boolean;
  requestTimeout: boolean;
  mirroring: boolean;
}

interface DestinationRuleView {
  host: string;
  circuitBreaker: boolean;
  subsets: Array<{ labels: Record<string, string>; circuitBreaker: boolean }>;
}

/** A Gateway API route and the Services it sends to (`ns/name`): its backendRefs, and for mesh (GAMMA) routes its Service parents. */
interface K8sRouteView {
  kind: string;
  namespace: string;
  name: string;
  services: Set<string>;
}

export interface BadgeIndex {
  virtualServices: VirtualServiceView[];
  k8sRoutes: K8sRouteView[];
  destinationRules: DestinationRuleView[];
  workloadEntries: InventoryObject[];
  controlPlaneNamespaces: Set<string>;
}

/** Reads every VirtualService and DestinationRule once. */
export function badgeIndex(inv: Inventory): BadgeIndex {
  const domain = inv.clusterDomain;
  const virtualServices = inv.istio.VirtualService.map((o): VirtualServiceView => {
    const ns = o.ref.namespace ?? 'default';
    const spec = o.object.spec ?? {};
    const hosts: string[] = (Array.isArray(spec.hosts) ? spec.hosts : []).filter((h: unknown) => typeof h === 'string');
    const http: any[] = Array.isArray(spec.http) ? spec.http : [];
    const tcp: any[] = Array.isArray(spec.tcp) ? spec.tcp : [];
    const tls: any[] = Array.isArray(spec.tls) ? spec.tls : [];
    const destinations = new Set<string>();
    const addDest = (d: any) => { if (typeof d?.host === 'string') destinations.add(expandHost(d.host, ns, domain)); };
    for (const r of [...http, ...tcp, ...tls]) for (const rd of Array.isArray(r?.route) ? r.route : []) addDest(rd?.destination);
    for (const r of http) {
      addDest(r?.mirror);
      for (const m of Array.isArray(r?.mirrors) ? r.mirrors : []) addDest(m?.destination);
    }
    const routes = (r: any): any[] => (Array.isArray(r?.route) ? r.route : []);
    const weighted = (r: any) => routes(r).filter((d) => typeof d?.weight === 'number' && d.weight > 0).length > 1;
    return {
      namespace: ns,
      name: o.ref.name,
      hosts: [...hosts].sort(),
      fqdns: hosts.map((h) => expandHost(h, ns, domain)),
      destinations,
      requestRouting: http.some((r) => (Array.isArray(r?.match) && r.match.length > 0) || routes(r).length > 1 || routes(r).some((d) => d?.destination?.subset))
        || [...tcp, ...tls].some((r) => routes(r).some((d) => d?.destination?.subset)),
      faultInjection: http.some((r) => r?.fault && typeof r.fault === 'object'),
      trafficShifting: http.some(weighted),
      tcpTrafficShifting: tcp.some(weighted),
      requestTimeout: http.some((r) => r?.timeout !== undefined && r.timeout !== null),
      mirroring: http.some((r) => r?.mirror || (Array.isArray(r?.mirrors) && r.mirrors.length > 0)),
    };
  });
  const destinationRules = inv.istio.DestinationRule.filter((o) => typeof o.object.spec?.host === 'string').map((o): DestinationRuleView => {
    const spec = o.object.spec;
    return {
      host: expandHost(spec.host, o.ref.namespace ?? 'default', domain),
      circuitBreaker: hasCircuitBreaker(spec.trafficPolicy),
      subsets: (Array.isArray(spec.subsets) ? spec.subsets : []).map((s: any) => ({ labels: s?.labels ?? {}, circuitBreaker: hasCircuitBreaker(s?.trafficPolicy) })),
    };
  });
  return {
    virtualServices,
    k8sRoutes: k8sRoutes(inv),
    destinationRules,
    workloadEntries: inv.istio.WorkloadEntry,
    controlPlaneNamespaces: new Set(['istio-system', 'kube-system', inv.meshConfig.rootNamespace]),
  };
}

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'] as const;

function k8sRoutes(inv: Inventory): K8sRouteView[] {
  const out: K8sRouteView[] = [];
  for (const kind of ROUTE_KINDS) {
    for (const o of inv.gatewayApi[kind]) {
      const ns = o.ref.namespace ?? 'default';
      const spec = o.object.spec ?? {};
      const services = new Set<string>();
      const addService = (ref: any) => {
        if (typeof ref?.name !== 'string') return;
        if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return;
        services.add(`${typeof ref.namespace === 'string' ? ref.namespace : ns}/${ref.name}`);
      };
      for (const rule of Array.isArray(spec.rules) ? spec.rules : []) for (const b of Array.isArray(rule?.backendRefs) ? rule.backendRefs : []) addService(b);
      for (const p of Array.isArray(spec.parentRefs) ? spec.parentRefs : []) if (p?.kind === 'Service') addService({ ...p, group: p.group ?? '' });
      if (services.size > 0) out.push({ kind, namespace: ns, name: o.ref.name, services });
    }
  }
  return out.sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
}

/** Gateway API routes that send to one of `services` (or, for mesh routes, attach to one of them). */
export function k8sRoutesFor(index: BadgeIndex, services: ServiceView[]): Array<{ kind: string; namespace: string; name: string }> {
  if (services.length === 0 || index.k8sRoutes.length === 0) return [];
  const out: Array<{ kind: string; namespace: string; name: string }> = [];
  for (const r of index.k8sRoutes) {
    if (services.some((s) => r.services.has(`${s.namespace}/${s.name}`))) out.push({ kind: r.kind, namespace: r.namespace, name: r.name });
  }
  return out;
}

function hasCircuitBreaker(policy: any): boolean {
  if (!policy || typeof policy !== 'object') return false;
  if (policy.connectionPool || policy.outlierDetection) return true;
  return Array.isArray(policy.portLevelSettings) && policy.portLevelSettings.some((p: any) => p?.connectionPool || p?.outlierDetection);
}

/**
 * VirtualService badges for a node standing for `services`: a VirtualService applies when one of its hosts
 * (other than a gateway's catch-all `*`) or one of its route/mirror destinations is the service's host.
 */
export function applyVirtualServiceBadges(index: BadgeIndex, services: ServiceView[], data: NodeData): void {
  if (services.length === 0 || index.virtualServices.length === 0) return;
  const hostnames = new Set<string>();
  const objects: Array<{ namespace: string; name: string }> = [];
  for (const vs of index.virtualServices) {
    if (!appliesTo(vs, services)) continue;
    for (const h of vs.hosts) hostnames.add(h);
    objects.push({ namespace: vs.namespace, name: vs.name });
    if (vs.requestRouting) data.hasRequestRouting = true;
    if (vs.faultInjection) data.hasFaultInjection = true;
    if (vs.trafficShifting) data.hasTrafficShifting = true;
    if (vs.tcpTrafficShifting) data.hasTCPTrafficShifting = true;
    if (vs.requestTimeout) data.hasRequestTimeout = true;
    if (vs.mirroring) data.hasMirroring = true;
  }
  if (objects.length > 0) {
    objects.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
    data.hasVS = { hostnames: [...hostnames].sort(), objects };
  }
}

/** Whether a VirtualService routes to one of `services` (loops, not closures: this runs per node × VirtualService). */
function appliesTo(vs: VirtualServiceView, services: ServiceView[]): boolean {
  for (let i = 0; i < services.length; i++) {
    const host = services[i]!.hostname;
    if (vs.destinations.has(host)) return true;
    for (let j = 0; j < vs.fqdns.length; j++) {
      const h = vs.fqdns[j]!;
      if (h !== '*' && hostMatches(h, host)) return true;
    }
  }
  return false;
}

/**
 * Circuit breaker: a DestinationRule for one of the node's service hosts with connectionPool/outlierDetection at
 * the top (or per port), or in a subset — any subset for a service node, a subset selecting the node's workloads otherwise.
 */
export function hasCircuitBreakerFor(index: BadgeIndex, services: ServiceView[], workloads: WorkloadView[] | undefined): boolean {
  for (const dr of index.destinationRules) {
    if (!anyHostMatches(dr.host, services)) continue;
    if (dr.circuitBreaker) return true;
    for (const sub of dr.subsets) {
      if (!sub.circuitBreaker) continue;
      if (!workloads) return true;
      for (const w of workloads) if (selects(sub.labels, w.labels)) return true;
    }
  }
  return false;
}

function anyHostMatches(pattern: string, services: ServiceView[]): boolean {
  for (let i = 0; i < services.length; i++) if (hostMatches(pattern, services[i]!.hostname)) return true;
  return false;
}

/**
 * A workload outside the control-plane namespaces, not a gateway proxy, whose pods run without an Envoy sidecar and
 * outside the ambient mesh (Kiali's isOutOfMesh; no pods: nothing to say).
 */
export function missingSidecar(index: BadgeIndex, workloads: WorkloadView[], inv?: Inventory): boolean {
  return workloads.some((w) => w.pods.length > 0 && !w.hasSidecar && !w.isGatewayProxy && !index.controlPlaneNamespaces.has(w.namespace) && !(inv && inAmbientMesh(inv, w)));
}

/** WorkloadEntries in the node's namespace whose app (and version, when the node has one) labels match it. */
export function workloadEntriesFor(index: BadgeIndex, namespace: string, app: string | undefined, version: string | undefined): Array<{ name: string }> {
  if (!app) return [];
  return index.workloadEntries
    .filter((we) => we.ref.namespace === namespace)
    .filter((we) => {
      const l = we.object.spec?.labels ?? {};
      return (l.app === app || l['service.istio.io/canonical-name'] === app) && (version === undefined || l.version === version || l['service.istio.io/canonical-revision'] === version);
    })
    .map((we) => ({ name: we.ref.name }))
    .sort((a, b) => compareStrings(a.name, b.name));
}
