/** Look-up tables the checks share, built lazily once per inventory so a full run stays linear in the number of objects. */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory, PodView, ServiceView, WorkloadView } from '../inventory/types.js';
import { registryEntries, type RegistryEntry } from '../hosts/registry.js';
import { isWildcard, normalizeHost, toFqdn } from '../hosts/names.js';
import { labelsMatch } from '../inventory/query.js';
import { isGatewayWorkload } from '../routing/gateway-workloads.js';

/** Objects indexed by the host they name: exact hosts in a map, wildcard hosts in a list. */
export interface HostTable<T> {
  exact: Map<string, T[]>;
  wildcard: T[];
}

export interface CheckIndex {
  registry(): HostTable<RegistryEntry>;
  /** DestinationRules by their host (short names expanded in the DR's namespace). */
  destinationRules(): HostTable<{ dr: InventoryObject; host: string }>;
  /** VirtualServices by each of their hosts. */
  virtualServices(): HostTable<{ vs: InventoryObject; host: string; path: string }>;
  /** Gateways by `ns/name`. */
  gateways(): Map<string, InventoryObject>;
  /** Pods by namespace. */
  podsByNamespace(): Map<string, PodView[]>;
  /** Pods by `key=value` label pair (across namespaces). */
  podsByLabel(): Map<string, PodView[]>;
  workloadsByNamespace(): Map<string, WorkloadView[]>;
  servicesByNamespace(): Map<string, ServiceView[]>;
  /** Services by `ns|k=v`, the first pair (in key order) of their selector. */
  servicesBySelectorPair(): Map<string, ServiceView[]>;
  /** `ns/name` of the Services whose selected pods belong to a gateway proxy workload. */
  gatewayServices(): Set<string>;
  /** Gateways by server port number. */
  gatewaysByPort(): Map<number, InventoryObject[]>;
  /** Gateways by credentialName (or certificate file) of their servers. */
  gatewaysByCredential(): Map<string, InventoryObject[]>;
  /** Secrets by `ns/name`. */
  secrets(): Set<string>;
  /** Objects of a kind by namespace. */
  byNamespace(kind: string): Map<string, InventoryObject[]>;
  /** Pod labels with their Node's topology labels (region/zone), as Istio's subset analysis sees them. */
  podLabels(p: PodView): Record<string, string>;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value as T;
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const CACHE = new WeakMap<Inventory, CheckIndex>();
const TOPOLOGY = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone'];

/** The shared look-up tables of `inv` (memoized per inventory object). */
export function checkIndex(inv: Inventory): CheckIndex {
  const cached = CACHE.get(inv);
  if (cached) return cached;
  const nodes = lazy(() => new Map(inv.objects.filter((o) => o.ref.kind === 'Node').map((o) => [o.ref.name, o.object.metadata.labels ?? {}])));
  const byKind = new Map<string, () => Map<string, InventoryObject[]>>();
  const idx: CheckIndex = {
    registry: lazy(() => {
      const t: HostTable<RegistryEntry> = { exact: new Map(), wildcard: [] };
      for (const e of registryEntries(inv)) {
        if (isWildcard(e.host)) t.wildcard.push(e);
        else push(t.exact, e.host, e);
      }
      return t;
    }),
    destinationRules: lazy(() => {
      const t: HostTable<{ dr: InventoryObject; host: string }> = { exact: new Map(), wildcard: [] };
      for (const dr of inv.istio.DestinationRule) {
        const written: unknown = dr.object.spec?.host;
        if (typeof written !== 'string') continue;
        const host = toFqdn(written, dr.ref.namespace ?? 'default', inv.clusterDomain);
        if (isWildcard(host)) t.wildcard.push({ dr, host });
        else push(t.exact, host, { dr, host });
      }
      return t;
    }),
    virtualServices: lazy(() => {
      const t: HostTable<{ vs: InventoryObject; host: string; path: string }> = { exact: new Map(), wildcard: [] };
      for (const vs of inv.istio.VirtualService) {
        const hosts: unknown = vs.object.spec?.hosts;
        if (!Array.isArray(hosts)) continue;
        hosts.forEach((h, i) => {
          if (typeof h !== 'string') return;
          const host = toFqdn(h, vs.ref.namespace ?? 'default', inv.clusterDomain);
          const item = { vs, host, path: `spec.hosts[${i}]` };
          if (isWildcard(host)) t.wildcard.push(item);
          else push(t.exact, host, item);
        });
      }
      return t;
    }),
    gateways: lazy(() => new Map(inv.istio.Gateway.map((g) => [`${g.ref.namespace ?? 'default'}/${g.ref.name}`, g]))),
    podsByNamespace: lazy(() => {
      const m = new Map<string, PodView[]>();
      for (const p of inv.pods) push(m, p.namespace, p);
      return m;
    }),
    podsByLabel: lazy(() => {
      const m = new Map<string, PodView[]>();
      for (const p of inv.pods) for (const [k, v] of Object.entries(idx.podLabels(p))) push(m, `${k}=${v}`, p);
      return m;
    }),
    workloadsByNamespace: lazy(() => {
      const m = new Map<string, WorkloadView[]>();
      for (const w of inv.workloads) push(m, w.namespace, w);
      return m;
    }),
    servicesByNamespace: lazy(() => {
      const m = new Map<string, ServiceView[]>();
      for (const sv of inv.services) push(m, sv.namespace, sv);
      return m;
    }),
    servicesBySelectorPair: lazy(() => {
      const m = new Map<string, ServiceView[]>();
      for (const sv of inv.services) {
        const first = Object.entries(sv.selector ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))[0];
        if (first) push(m, `${sv.namespace}|${first[0]}=${first[1]}`, sv);
      }
      return m;
    }),
    gatewayServices: lazy(() => {
      const out = new Set<string>();
      for (const w of inv.workloads) {
        if (!isGatewayWorkload(w)) continue;
        for (const sv of idx.servicesByNamespace().get(w.namespace) ?? []) {
          if (sv.selector && Object.keys(sv.selector).length > 0 && (labelsMatch(sv.selector, w.labels) || w.pods.some((p) => labelsMatch(sv.selector, p.labels)))) out.add(`${sv.namespace}/${sv.name}`);
        }
      }
      return out;
    }),
    gatewaysByPort: lazy(() => {
      const m = new Map<number, InventoryObject[]>();
      for (const g of inv.istio.Gateway) for (const p of new Set(gatewayPorts(g))) push(m, p, g);
      return m;
    }),
    gatewaysByCredential: lazy(() => {
      const m = new Map<string, InventoryObject[]>();
      for (const g of inv.istio.Gateway) for (const c of new Set(gatewayCredentials(g))) push(m, c, g);
      return m;
    }),
    secrets: lazy(() => new Set(inv.secrets.map((x) => `${x.ref.namespace ?? 'default'}/${x.ref.name}`))),
    byNamespace(kind: string) {
      let f = byKind.get(kind);
      if (!f) {
        f = lazy(() => {
          const m = new Map<string, InventoryObject[]>();
          const list = (inv.istio as Record<string, InventoryObject[] | undefined>)[kind] ?? inv.objects.filter((o) => o.ref.kind === kind);
          for (const o of list) push(m, o.ref.namespace ?? '', o);
          return m;
        });
        byKind.set(kind, f);
      }
      return f();
    },
    podLabels(p: PodView) {
      if (!p.nodeName) return p.labels;
      const nodeLabels = nodes().get(p.nodeName);
      if (!nodeLabels) return p.labels;
      const extra: Record<string, string> = {};
      for (const k of TOPOLOGY) if (nodeLabels[k] && p.labels[k] === undefined) extra[k] = nodeLabels[k]!;
      return Object.keys(extra).length ? { ...p.labels, ...extra } : p.labels;
    },
  };
  CACHE.set(inv, idx);
  return idx;
}

/** Entries of a host table whose host intersects `host` (exact entry first, then covering/covered wildcards). */
export function lookupHosts<T extends { host: string }>(t: HostTable<T>, host: string, intersects: (a: string, b: string) => boolean): T[] {
  const h = normalizeHost(host);
  if (!isWildcard(h)) return [...(t.exact.get(h) ?? []), ...t.wildcard.filter((e) => intersects(e.host, h))];
  const out: T[] = [];
  for (const [k, list] of t.exact) if (intersects(h, k)) out.push(...list);
  out.push(...t.wildcard.filter((e) => intersects(e.host, h)));
  return out;
}

/** Server port numbers of a Gateway. */
export function gatewayPorts(g: InventoryObject): number[] {
  const servers: unknown = g.object.spec?.servers;
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((sv) => (typeof sv?.port?.number === 'number' ? [sv.port.number as number] : []));
}

/** Certificates a Gateway's servers use: `cred:<credentialName>` or `file:<cert>|<key>`. */
export function gatewayCredentials(g: InventoryObject): string[] {
  const servers: unknown = g.object.spec?.servers;
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((sv) => {
    const tls = sv?.tls;
    if (!tls || typeof tls !== 'object') return [];
    if (typeof tls.credentialName === 'string' && tls.credentialName) return [`cred:${tls.credentialName}`];
    if (typeof tls.serverCertificate === 'string' && typeof tls.privateKey === 'string') return [`file:${tls.serverCertificate}|${tls.privateKey}`];
    return [];
  });
}
