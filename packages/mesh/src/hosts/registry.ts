/**
 * The service registry a proxy routes against: Kubernetes Services plus ServiceEntry hosts, with their ports,
 * resolution, location and addresses, filtered by `exportTo` (reference §3.1, §3.7).
 */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory, ServiceView } from '../inventory/types.js';
import { exportToOf, isExportedTo } from './export-to.js';
import { hostMatches, hostSpecificity, ipInCidr, isWildcard, normalizeHost, toFqdn } from './names.js';

export interface RegistryPort {
  number: number;
  name?: string;
  /** ServiceEntry `protocol` as written (HTTP, HTTPS, TLS, TCP, …); Services carry the Kubernetes L4 protocol. */
  protocol?: string;
  appProtocol?: string;
  targetPort?: number | string;
  /** YAML path of the port in its object (`spec.ports[0]`). */
  path: string;
}

export interface RegistryEndpoint {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  weight?: number;
  /** YAML path (`spec.endpoints[0]`). */
  path: string;
}

export interface RegistryEntry {
  kind: 'Service' | 'ServiceEntry';
  /** Service FQDN, or the ServiceEntry host (possibly `*.suffix`). */
  host: string;
  namespace: string;
  name: string;
  obj: InventoryObject;
  /** YAML path of the host (`spec.hosts[0]`) for ServiceEntries. */
  hostPath?: string;
  ports: RegistryPort[];
  exportTo?: string[];
  service?: ServiceView;
  location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  /** ServiceEntry resolution (`NONE` by default); Services have none. */
  resolution?: string;
  /** ClusterIP of a Service, `spec.addresses` of a ServiceEntry. */
  addresses: string[];
  endpoints: RegistryEndpoint[];
  workloadSelector?: Record<string, string>;
}

const CACHE = new WeakMap<Inventory, RegistryEntry[]>();

/** Every registry host of the inventory (Services first, then ServiceEntry hosts), computed once per inventory. */
export function registryEntries(inv: Inventory): RegistryEntry[] {
  const cached = CACHE.get(inv);
  if (cached) return cached;
  const entries: RegistryEntry[] = inv.services.map((s) => serviceEntryOfService(s));
  for (const se of inv.istio.ServiceEntry) entries.push(...entriesOfServiceEntry(se, inv.clusterDomain));
  CACHE.set(inv, entries);
  return entries;
}

function serviceEntryOfService(s: ServiceView): RegistryEntry {
  return {
    kind: 'Service',
    host: s.hostname,
    namespace: s.namespace,
    name: s.name,
    obj: s.obj,
    ports: s.ports.map((p, i) => ({ number: p.port, name: p.name, protocol: p.protocol, appProtocol: p.appProtocol, targetPort: p.targetPort, path: `spec.ports[${i}]` })),
    exportTo: s.exportTo,
    service: s,
    location: 'MESH_INTERNAL',
    addresses: s.clusterIP && s.clusterIP !== 'None' ? [s.clusterIP] : [],
    endpoints: [],
  };
}

function entriesOfServiceEntry(se: InventoryObject, clusterDomain: string): RegistryEntry[] {
  const spec = (se.object.spec ?? {}) as Record<string, unknown>;
  const ns = se.ref.namespace ?? 'default';
  const hosts = Array.isArray(spec.hosts) ? spec.hosts.filter((h): h is string => typeof h === 'string') : [];
  const ports: RegistryPort[] = (Array.isArray(spec.ports) ? spec.ports : []).flatMap((p: unknown, i: number) => {
    const port = p as { number?: unknown; name?: unknown; protocol?: unknown; targetPort?: unknown };
    return typeof port?.number === 'number'
      ? [{ number: port.number, name: str(port.name), protocol: str(port.protocol)?.toUpperCase(), targetPort: typeof port.targetPort === 'number' ? port.targetPort : undefined, path: `spec.ports[${i}]` }]
      : [];
  });
  const endpoints: RegistryEndpoint[] = (Array.isArray(spec.endpoints) ? spec.endpoints : []).map((e: unknown, i: number) => {
    const ep = (e ?? {}) as { address?: unknown; ports?: unknown; labels?: unknown; weight?: unknown };
    return {
      address: str(ep.address),
      ports: ep.ports && typeof ep.ports === 'object' ? (ep.ports as Record<string, number>) : undefined,
      labels: ep.labels && typeof ep.labels === 'object' ? (ep.labels as Record<string, string>) : undefined,
      weight: typeof ep.weight === 'number' ? ep.weight : undefined,
      path: `spec.endpoints[${i}]`,
    };
  });
  const selector = (spec.workloadSelector as { labels?: unknown } | undefined)?.labels;
  return hosts.map((h, i) => ({
    kind: 'ServiceEntry' as const,
    host: toFqdn(h, ns, clusterDomain),
    namespace: ns,
    name: se.ref.name,
    obj: se,
    hostPath: `spec.hosts[${i}]`,
    ports,
    exportTo: exportToOf(se),
    location: spec.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' as const : 'MESH_EXTERNAL' as const,
    resolution: str(spec.resolution) ?? 'NONE',
    addresses: Array.isArray(spec.addresses) ? spec.addresses.filter((a): a is string => typeof a === 'string') : [],
    endpoints,
    workloadSelector: selector && typeof selector === 'object' ? (selector as Record<string, string>) : undefined,
  }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The registry hosts visible from `namespace` (their `exportTo` admits it). */
export function visibleRegistry(inv: Inventory, namespace: string): RegistryEntry[] {
  return registryEntries(inv).filter((e) => isExportedTo(e.exportTo, e.namespace, namespace));
}

/**
 * The registry host a concrete or wildcard `host` resolves to from `namespace`: a Kubernetes Service of that
 * FQDN, then a ServiceEntry with that exact host, then the most specific wildcard ServiceEntry host covering it
 * (the order of the analyzer's `GetDestinationHost`). `admit` narrows the candidates (Sidecar egress scoping).
 */
export function lookupRegistryHost(
  inv: Inventory, host: string, namespace: string, admit: (e: RegistryEntry) => boolean = () => true,
): RegistryEntry | undefined {
  const h = normalizeHost(host);
  const visible = visibleRegistry(inv, namespace).filter(admit);
  const exact = visible.find((e) => e.kind === 'Service' && e.host === h) ?? visible.find((e) => e.host === h);
  if (exact) return exact;
  let best: RegistryEntry | undefined;
  for (const e of visible) {
    if (!isWildcard(e.host) || !hostMatches(e.host, h)) continue;
    if (!best || hostSpecificity(e.host) > hostSpecificity(best.host)) best = e;
  }
  return best;
}

/** The registry host whose ClusterIP or ServiceEntry `addresses` (IPs or CIDRs) contain `ip`, visible from `namespace`. */
export function lookupRegistryAddress(
  inv: Inventory, ip: string, namespace: string, admit: (e: RegistryEntry) => boolean = () => true,
): RegistryEntry | undefined {
  return visibleRegistry(inv, namespace).filter(admit).find((e) => e.addresses.some((a) => ipInCidr(ip, a)));
}

/** The port of a registry host with number `port`, if declared. */
export function registryPort(entry: RegistryEntry, port: number): RegistryPort | undefined {
  return entry.ports.find((p) => p.number === port);
}
