/**
 * Node identity: which graph node a metric's source and destination labels stand for, per graph type.
 * Ids are readable and stable: `vapp:ns:app:version`, `app:ns:app`, `wl:ns:name`, `svc:ns:name`,
 * `se:ns:name`, `ext:203.0.113.25:80`, `egress:PassthroughCluster`, `unknown`.
 */
import type { NodeType } from '@meshlens/model';
import type { ServiceView, WorkloadView } from '../inventory/index.js';
import type { GraphContext } from './context.js';
import { isOK, isOKVersion, label, parseIPAddress, parseServiceFQDN } from './labels.js';
import { serviceEntryFor, type ServiceEntryView } from './service-entries.js';
import { compareStrings } from './compare.js';
import { waypointWorkload, type WaypointRef } from './ambient.js';

/** What a node is, before traffic, badges and health are added. */
export interface NodeSeed {
  id: string;
  nodeType: NodeType;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
  label: string;
  egressCluster?: 'PassthroughCluster' | 'BlackHoleCluster';
  externalIP?: { ip: string; port?: number };
  serviceEntry?: ServiceEntryView;
  /** An ambient waypoint proxy (always a workload node, whatever the graph type, as in Kiali). */
  waypoint?: WaypointRef;
}

export const UNKNOWN_NODE: NodeSeed = { id: 'unknown', nodeType: 'unknown', namespace: 'unknown', label: 'unknown' };

/** The node of a workload-backed endpoint in an app, versionedApp or workload graph. */
export function workloadSeed(ctx: GraphContext, namespace: string, workload: string, app: string | undefined, version: string | undefined): NodeSeed {
  if (ctx.graphType === 'versionedApp' && isOK(app)) {
    if (isOKVersion(version)) return { id: `vapp:${namespace}:${app}:${version}`, nodeType: 'app', namespace, app, version, workload, label: `${app} ${version}` };
    return { id: `app:${namespace}:${app}`, nodeType: 'app', namespace, app, workload, label: app };
  }
  if (ctx.graphType === 'app' && isOK(app)) return { id: `app:${namespace}:${app}`, nodeType: 'app', namespace, app, label: app };
  return { id: `wl:${namespace}:${workload}`, nodeType: 'workload', namespace, workload, ...(isOK(app) ? { app } : {}), ...(isOKVersion(version) ? { version } : {}), label: workload };
}

/** The node of a waypoint proxy's workload. */
export function waypointSeed(namespace: string, workload: string, waypoint: WaypointRef): NodeSeed {
  return { id: `wl:${namespace}:${workload}`, nodeType: 'workload', namespace, workload, label: workload, waypoint };
}

/** The node of a Kubernetes (or unregistered) service. */
export function serviceSeed(namespace: string, name: string): NodeSeed {
  return { id: `svc:${namespace}:${name}`, nodeType: 'service', namespace, service: name, label: name };
}

/** A workload node as the inventory knows it (for idle nodes and the service graph's sources). */
export function seedOfWorkload(ctx: GraphContext, w: WorkloadView): NodeSeed {
  return workloadSeed(ctx, w.namespace, w.name, w.app, w.version);
}

/** The node for a metric's source labels; undefined for telemetry Kiali calls bad (namespace without workload or app). */
export function sourceSeed(ctx: GraphContext, m: Record<string, string>): NodeSeed | undefined {
  const ns = label(m, 'source_workload_namespace');
  const wl = label(m, 'source_workload');
  const app = label(m, 'source_canonical_service');
  if (!isOK(ns)) return isOK(wl) ? undefined : UNKNOWN_NODE;
  if (!isOK(wl)) return isOK(app) ? undefined : UNKNOWN_NODE;
  const wp = waypointWorkload(ctx.ambient, ns, wl);
  if (wp) return waypointSeed(ns, wl, wp);
  if (ctx.graphType !== 'service') return workloadSeed(ctx, ns, wl, app, label(m, 'source_canonical_revision'));
  // A service graph has no workload nodes: a caller is drawn as the Service that fronts it (Kiali reduces
  // workload→service→workload paths to service→service); callers no Service selects (clients, gateways) stay workloads.
  const w = ctx.inv.workloadsByKey.get(`${ns}/${wl}`);
  const svc = w ? preferredService(ctx.servicesOf(w), w.app) : ctx.servicesByName.get(`${ns}/${app}`);
  if (svc) return serviceSeed(svc.namespace, svc.name);
  return { id: `wl:${ns}:${wl}`, nodeType: 'workload', namespace: ns, workload: wl, ...(isOK(app) ? { app } : {}), label: wl };
}

/** A workload behind several Services is drawn as one of them, so each request is still counted once. */
function preferredService(services: ServiceView[], app: string | undefined): ServiceView | undefined {
  if (services.length <= 1) return services[0];
  return services.find((s) => s.name === app) ?? [...services].sort((a, b) => compareStrings(a.name, b.name))[0];
}

/**
 * The node for a metric's destination labels. Order matters:
 * 1. an IP literal in `destination_service` with no known workload → one node per address (`ext:ip:port`);
 * 2. `destination_service_name` PassthroughCluster/BlackHoleCluster → that egress cluster's node;
 * 3. a known destination workload → its app/workload node (except in service graphs);
 * 4. a host of a ServiceEntry visible to the caller → the ServiceEntry's node (all its hosts fold into it);
 * 5. otherwise the service node — requests that never reached a workload end there.
 */
export function destinationSeed(ctx: GraphContext, m: Record<string, string>): NodeSeed | undefined {
  const wlNs = label(m, 'destination_workload_namespace');
  const wl = label(m, 'destination_workload');
  const host = label(m, 'destination_service');
  const svcName = label(m, 'destination_service_name');
  const workloadKnown = isOK(wl) && isOK(wlNs);
  if (!workloadKnown) {
    const address = isOK(host) ? parseIPAddress(host) : undefined;
    if (address) {
      const port = address.port ?? portLabel(m);
      const text = port === undefined ? address.ip : `${address.ip}:${port}`;
      return { id: `ext:${text}`, nodeType: 'service', namespace: 'unknown', service: text, label: text, externalIP: port === undefined ? { ip: address.ip } : { ip: address.ip, port } };
    }
  }
  if (workloadKnown) {
    const wp = waypointWorkload(ctx.ambient, wlNs, wl);
    if (wp) return waypointSeed(wlNs, wl, wp);
  }
  if (svcName === 'PassthroughCluster' || svcName === 'BlackHoleCluster') {
    return { id: `egress:${svcName}`, nodeType: 'service', namespace: 'unknown', service: svcName, label: svcName, egressCluster: svcName };
  }
  if (workloadKnown && ctx.graphType !== 'service') {
    return workloadSeed(ctx, wlNs, wl, label(m, 'destination_canonical_service'), label(m, 'destination_canonical_revision'));
  }
  const service = destinationService(ctx, m);
  if (!service) {
    if (workloadKnown) return { id: `wl:${wlNs}:${wl}`, nodeType: 'workload', namespace: wlNs, workload: wl, label: wl };
    // Kiali's `svc_<ns>_unknown`: the request named no service at all (e.g. a gateway with no route for a path).
    const ns = isOK(wlNs) ? wlNs : label(m, 'source_workload_namespace');
    return isOK(ns) ? serviceSeed(ns, 'unknown') : undefined;
  }
  if (!ctx.servicesByName.has(`${service.namespace}/${service.name}`)) {
    const se = serviceEntryFor(ctx.serviceEntries, isOK(host) ? host : service.name, label(m, 'source_workload_namespace') || undefined);
    if (se) return { id: `se:${se.namespace}:${se.name}`, nodeType: 'service', namespace: se.namespace, service: se.name, label: se.name, serviceEntry: se };
  }
  return serviceSeed(service.namespace, service.name);
}

function portLabel(m: Record<string, string>): number | undefined {
  const p = Number(m.destination_port);
  return Number.isInteger(p) && p > 0 ? p : undefined;
}

/** The requested service as {namespace, name}: from the name/namespace labels, else parsed from the host. */
export function destinationService(ctx: GraphContext, m: Record<string, string>): { namespace: string; name: string } | undefined {
  const host = label(m, 'destination_service');
  let name = label(m, 'destination_service_name');
  let ns = label(m, 'destination_service_namespace');
  const fqdn = isOK(host) ? parseServiceFQDN(host, ctx.inv.clusterDomain) : undefined;
  if (!isOK(name)) name = fqdn?.name ?? (isOK(host) ? host : '');
  if (!isOK(ns)) ns = fqdn?.namespace ?? 'unknown';
  return isOK(name) ? { namespace: ns, name } : undefined;
}
