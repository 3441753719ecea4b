/**
 * From a route destination to endpoints: the registry host (Service or ServiceEntry), the DestinationRule subset,
 * the workloads it selects (spread by pod count), and the policy that applies (reference §3.5–3.7).
 */
import type { Endpoint, Hop, TracePath, TraceProtocol } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/types.js';
import { labelsMatch, podCount, workloadsOfService } from '../inventory/query.js';
import { lookupRegistryHost, type RegistryEntry } from '../hosts/registry.js';
import { effectivePolicy, findSubset, lookupDestinationRule, type SubsetRef } from './destination-rules.js';
import { describeEndpoint, formatLabels, ruleRef, shortName } from './refs.js';
import { sidecarImports, type SidecarScope } from './sidecar-scope.js';
import { serviceEntryLegs } from './service-entries.js';
import { isGatewayWorkload } from './gateway-workloads.js';
import type { Leg, ProxyContext, Request, RouteTarget } from './types.js';
import { waypointDetour } from './ambient.js';

/** A route destination resolved: the first hop (to the Service/ServiceEntry) and the legs beyond it. */
export interface ResolvedTarget {
  firstHop: Hop;
  legs: Leg[];
  destinationServiceHost?: string;
}

/** Builds a leg that ends at the first hop with a failure outcome. */
export function failedLeg(hop: Hop, outcome: TracePath['outcome'], destinationServiceHost?: string): Leg {
  return { weight: 1, hops: [hop], outcome, destination: hop.to, ...(destinationServiceHost ? { destinationServiceHost } : {}) };
}

/** The outcome of a route to a cluster with no (healthy) endpoints, or to no cluster at all. */
export const UH = { kind: 'no-healthy-upstream', responseCode: 503, responseFlags: 'UH' } as const;

/** The port a destination uses: written, else the only port of the host, else the port the request came on (`GetDestinationCluster`). */
export function destinationPort(entry: RegistryEntry, written: number | undefined, requestPort: number): number {
  if (written !== undefined) return written;
  if (entry.ports.length === 1) return entry.ports[0]!.number;
  return requestPort;
}

/** Resolves a route destination for the proxy `ctx`. */
export function resolveTarget(
  inv: Inventory, ctx: ProxyContext, scope: SidecarScope | undefined, target: RouteTarget, req: Request, protocol: TraceProtocol,
): ResolvedTarget {
  const entry = lookupRegistryHost(inv, target.host, ctx.namespace, (e) => ctx.kind !== 'sidecar' || sidecarImports(scope, e.namespace, e.host));
  if (!entry) {
    const to: Endpoint = { kind: 'external', host: target.host, port: target.port ?? req.port };
    const hop: Hop = {
      from: ctx.from, to, protocol, decidedBy: target.refs,
      explanation: `${target.why}, but the destination host ${target.host} is neither a Service nor a ServiceEntry host visible from namespace ${ctx.namespace}; the proxy has no cluster for it and answers 503 (UH).`,
    };
    return { firstHop: hop, legs: [failedLeg(hop, UH)] };
  }
  const port = destinationPort(entry, target.port, req.port);
  const dr = lookupDestinationRule(inv, entry.host, ctx.namespace, entry.namespace, ctx.labels);
  const subset = target.subset !== undefined ? findSubset(dr, target.subset) : undefined;
  const subsetRef = subset ? ruleRef(subset.obj, `spec.subsets[${subset.index}]`, `Subset ${subset.name} of DestinationRule ${shortName(subset.obj)} selects labels ${formatLabels(subset.labels)}.`) : undefined;
  // without a client proxy nothing applies a DestinationRule's policy
  const policy = ctx.kind === 'none' ? {} : effectivePolicy(dr, subset, port);
  const decidedBy = subsetRef ? [...target.refs, subsetRef] : [...target.refs];
  const sentTo = (e: Endpoint) => `${target.why} and sent ${target.shareNote ?? 'the request'} to ${subset ? `subset ${subset.name} (labels ${formatLabels(subset.labels)}) of ` : ''}${entry.kind === 'Service' ? entry.host : describeEndpoint(e)}${entry.kind === 'Service' ? `:${port}` : ''}${subset ? `, selected by DestinationRule ${shortName(subset.obj)}` : ''}`;

  const to: Endpoint = entry.kind === 'Service'
    ? { kind: 'service', namespace: entry.namespace, name: entry.name, host: entry.host, port, ...(target.subset !== undefined ? { subset: target.subset } : {}) }
    : serviceEntryEndpoint(entry, target.host, req, port);
  const hopOf = (why: string): Hop => ({ from: ctx.from, to, protocol, decidedBy, explanation: why });

  if (entry.kind === 'Service' && !entry.ports.some((p) => p.number === port)) {
    const hop = hopOf(`${sentTo(to)}, but Service ${entry.namespace}/${entry.name} has no port ${port}; there is no cluster for it, so the proxy answers 503 (UH).`);
    return { firstHop: hop, legs: [failedLeg(hop, UH, entry.host)], destinationServiceHost: entry.host };
  }
  if (target.subset !== undefined && !subset) {
    const where = dr ? `DestinationRule ${dr.objs.map(shortName).join(' + ')} (found in the ${dr.step}) has no subset ${target.subset}` : `no DestinationRule for ${entry.host} is visible from namespace ${ctx.namespace}, so subset ${target.subset} is not defined`;
    const hop = hopOf(`${sentTo(to)}, but ${where}; the route points to a cluster that does not exist and the proxy answers 503 (UH).`);
    return { firstHop: hop, legs: [failedLeg(hop, UH, entry.host)], destinationServiceHost: entry.host };
  }

  const dsh = entry.host;
  // a Service with an ambient waypoint: gateways may send to the waypoint, sidecars never do (ambient.ts)
  const detour = entry.kind === 'Service' ? waypointDetour(inv, ctx, entry.service!, to, port, protocol) : undefined;
  const legs = detour?.legs ?? (entry.kind === 'Service'
    ? serviceLegs(inv, entry.service!, to, port, subset, protocol)
    : serviceEntryLegs(inv, entry, to, port, subset, protocol));
  if ('failure' in legs) {
    const hop = hopOf(`${sentTo(to)}, but ${legs.failure}; the proxy answers 503 (UH).`);
    return { firstHop: hop, legs: [failedLeg(hop, UH, dsh)], destinationServiceHost: dsh };
  }
  const firstHop = hopOf(`${sentTo(to)}.${detour?.note ?? ''}`);
  const autoTls = (hasSidecar: boolean): TracePath['tls'] => (
    ctx.kind !== 'none' && inv.meshConfig.enableAutoMtls && hasSidecar && entry.location === 'MESH_INTERNAL' ? { mode: 'ISTIO_MUTUAL' } : { mode: 'NONE' });
  return {
    firstHop,
    destinationServiceHost: dsh,
    legs: legs.map((l) => ({
      weight: l.weight,
      hops: [firstHop, ...l.hops],
      outcome: { kind: 'delivered' as const },
      destination: l.hops[l.hops.length - 1]!.to,
      destinationServiceHost: dsh,
      ...(policy.connectionPool ? { connectionPool: policy.connectionPool } : {}),
      tls: policy.tls ?? autoTls(l.hasSidecar),
      ...(l.continueAt ? { continueAt: l.continueAt } : {}),
    })),
  };
}

/** A leg beyond the Service/ServiceEntry, before the path-level fields are filled in. */
export interface EndpointLeg {
  weight: number;
  hops: Hop[];
  hasSidecar: boolean;
  continueAt?: Leg['continueAt'];
}

function serviceEntryEndpoint(entry: RegistryEntry, targetHost: string, req: Request, port: number): Endpoint {
  const concrete = entry.host.startsWith('*') ? (!targetHost.startsWith('*') ? targetHost : req.host ?? entry.host) : entry.host;
  const address = entry.resolution === 'NONE' ? req.ip : undefined;
  return {
    kind: 'serviceEntry', namespace: entry.namespace, name: entry.name, host: concrete, port, location: entry.location,
    ...(entry.resolution ? { resolution: entry.resolution } : {}), ...(address ? { address } : {}),
  };
}

/** The workloads of a Service (narrowed by subset labels) that have pods, with the share of requests each gets. */
export function spreadByPods(workloads: WorkloadView[]): Array<{ workload: WorkloadView; weight: number }> {
  const live = workloads.filter((w) => podCount(w) > 0);
  const total = live.reduce((n, w) => n + podCount(w), 0);
  return live.map((w) => ({ workload: w, weight: podCount(w) / total }));
}

function serviceLegs(
  inv: Inventory, svc: ServiceView, from: Endpoint, port: number, subset: SubsetRef | undefined, protocol: TraceProtocol,
): EndpointLeg[] | { failure: string } {
  const selected = workloadsOfService(inv, svc);
  const chosen = subset ? selected.filter((w) => labelsMatch(subset.labels, w.labels)) : selected;
  const spread = spreadByPods(chosen);
  if (spread.length === 0) {
    if (!svc.selector || Object.keys(svc.selector).length === 0) return { failure: `Service ${svc.namespace}/${svc.name} has no selector, so it has no endpoints` };
    if (subset) {
      const seen = selected.map((w) => `${w.namespace}/${w.name} (${formatLabels(w.labels)})`).join(', ') || 'none';
      return { failure: `subset ${subset.name} selects labels ${formatLabels(subset.labels)} and no pod of the Service carries them (the Service selects: ${seen}), so the subset has no endpoints` };
    }
    return { failure: `no running pod matches the selector ${formatLabels(svc.selector)} of Service ${svc.namespace}/${svc.name}` };
  }
  const svcPort = svc.ports.find((p) => p.port === port);
  const total = chosen.reduce((n, w) => n + podCount(w), 0);
  const selectorRef = ruleRef(svc.obj, 'spec.selector', `Service ${svc.namespace}/${svc.name} selects pods labelled ${formatLabels(svc.selector)}.`);
  const subsetRef = subset ? ruleRef(subset.obj, `spec.subsets[${subset.index}]`, `Subset ${subset.name} narrows the endpoints to pods labelled ${formatLabels(subset.labels)}.`) : undefined;
  const decidedBy = subsetRef ? [subsetRef, selectorRef] : [selectorRef];
  return spread.map(({ workload: w, weight }) => {
    const share = `${podCount(w)} of ${total} pod${total === 1 ? '' : 's'}`;
    if (isGatewayWorkload(w)) {
      const targetPort = typeof svcPort?.targetPort === 'number' ? svcPort.targetPort : port;
      const to: Endpoint = { kind: 'gateway', namespace: w.namespace, workload: w.name, port: targetPort };
      return {
        weight, hasSidecar: true,
        hops: [{ from, to, protocol, decidedBy, explanation: `${describeEndpoint(from)} is served by gateway workload ${w.namespace}/${w.name} (${share}); the request continues at that gateway proxy.` }],
        continueAt: { gateway: w, port, arrival: to },
      };
    }
    const to: Endpoint = { kind: 'workload', namespace: w.namespace, name: w.name, pods: podCount(w), ...(w.version ? { version: w.version } : {}), ...(w.app ? { app: w.app } : {}) };
    return {
      weight, hasSidecar: w.hasSidecar,
      hops: [{ from, to, protocol, decidedBy, explanation: `${describeEndpoint(from)} has endpoints in workload ${w.namespace}/${w.name} (${share}); requests are spread by pod count.` }],
    };
  });
}

/** The workloads (with request shares) that `host:port` (and `subset`) reaches from `fromNamespace`; empty for non-Service hosts. */
export function resolveDestinationWorkloads(
  inv: Inventory, host: string, port: number, subset?: string, fromNamespace?: string,
): Array<{ workload: WorkloadView; weight: number }> {
  const entry = lookupRegistryHost(inv, host, fromNamespace ?? host.split('.')[1] ?? 'default');
  if (!entry?.service || !entry.ports.some((p) => p.number === port)) return [];
  const selected = workloadsOfService(inv, entry.service);
  if (subset === undefined) return spreadByPods(selected);
  const dr = lookupDestinationRule(inv, entry.host, fromNamespace ?? entry.namespace, entry.namespace, {});
  const s = findSubset(dr, subset);
  return s ? spreadByPods(selected.filter((w) => labelsMatch(s.labels, w.labels))) : [];
}
