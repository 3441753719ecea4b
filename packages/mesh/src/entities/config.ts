/**
 * Which Istio objects apply to a service or a workload, and the badges each gives: by host (VirtualServices whose
 * hosts name the service or whose routes go to it, DestinationRules, ServiceEntries), by selector (Sidecars,
 * PeerAuthentications, RequestAuthentications, AuthorizationPolicies, EnvoyFilters, Telemetry, Gateways, ServiceEntry
 * workload selectors), namespace-wide (no selector) and mesh-wide (the root namespace). The look-ups are the checks'
 * indexes (checks/index-build.ts), built once per inventory.
 */
import type { InventoryObject, IstioBadge, AppliesVia } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/types.js';
import { checkIndex, lookupHosts } from '../checks/index-build.js';
import type { CheckContext } from '../checks/types.js';
import { isExportedTo } from '../hosts/export-to.js';
import { hostsIntersect } from '../hosts/names.js';
import { labelsMatch } from '../inventory/query.js';
import { badgeIndex, type BadgeIndex } from '../graph/badges.js';
import { toFqdn } from '../hosts/names.js';

/** One object that applies, before findings are attached. */
export interface AppliedObject {
  obj: InventoryObject;
  via: AppliesVia;
  badges: IstioBadge[];
}

/** The badge order of the contract (IstioBadge's documentation). */
export const BADGE_ORDER: readonly IstioBadge[] = ['VS', 'RR', 'TS', 'TCPTS', 'FI', 'RT', 'MI', 'DR', 'CB', 'GW', 'SE', 'SC', 'PA', 'RA', 'AP', 'EF', 'TM', 'WE'];

/** Sorts badges into the contract's order, without duplicates. */
export function orderBadges(badges: Iterable<IstioBadge>): IstioBadge[] {
  const set = new Set(badges);
  return BADGE_ORDER.filter((b) => set.has(b));
}

/** Policy kinds that apply by workload selector, namespace or mesh, with the badge each gives. */
const POLICY_BADGES: Record<string, IstioBadge> = {
  Sidecar: 'SC', PeerAuthentication: 'PA', RequestAuthentication: 'RA', AuthorizationPolicy: 'AP', EnvoyFilter: 'EF', Telemetry: 'TM',
};

interface ConfigIndex {
  ctx: CheckContext;
  badges: BadgeIndex;
  /** VirtualService → its position in `badges.virtualServices` (same order as inv.istio.VirtualService). */
  vsPosition: Map<InventoryObject, number>;
  /** Route/mirror destination FQDN → VirtualServices. */
  vsByDestination: Map<string, InventoryObject[]>;
  /** ServiceEntries with a workload selector, by namespace. */
  seWithSelector: Map<string, InventoryObject[]>;
  /** Policies with a targetRef to a Service: `ns/name` → objects. */
  targetingService: Map<string, InventoryObject[]>;
  /** Per Service: its host configuration (computed on first use; a function of the inventory alone). */
  hostConfig: Map<ServiceView, HostConfig>;
  /** Per workload: the Services selecting it, and the Istio objects that apply (computed on first use). */
  servicesOf: Map<WorkloadView, ServiceView[]>;
  workloadConfig: Map<WorkloadView, AppliedObject[]>;
  serviceConfig: Map<ServiceView, AppliedObject[]>;
}

/** A Service's host configuration before any workload narrows the DestinationRules' subsets. */
interface HostConfig {
  virtualServices: Array<{ vs: InventoryObject; badges: IstioBadge[] }>;
  gateways: InventoryObject[];
  destinationRules: Array<{ dr: InventoryObject; topCB: boolean; subsetCB: Array<Record<string, string>> }>;
  serviceEntries: InventoryObject[];
}

const CACHE = new WeakMap<Inventory, ConfigIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function configIndex(inv: Inventory): ConfigIndex {
  const hit = CACHE.get(inv);
  if (hit) return hit;
  const ctx: CheckContext = { inv, idx: checkIndex(inv), read: () => {} };
  const badges = badgeIndex(inv);
  const vsPosition = new Map(inv.istio.VirtualService.map((o, i) => [o, i]));
  const vsByDestination = new Map<string, InventoryObject[]>();
  inv.istio.VirtualService.forEach((o, i) => {
    for (const d of badges.virtualServices[i]!.destinations) push(vsByDestination, d, o);
  });
  const seWithSelector = new Map<string, InventoryObject[]>();
  for (const se of inv.istio.ServiceEntry) if (se.object.spec?.workloadSelector?.labels) push(seWithSelector, se.ref.namespace ?? 'default', se);
  const targetingService = new Map<string, InventoryObject[]>();
  for (const kind of ['AuthorizationPolicy', 'RequestAuthentication', 'Telemetry', 'EnvoyFilter'] as const) {
    for (const o of inv.istio[kind]) {
      const refs = [o.object.spec?.targetRef, ...(Array.isArray(o.object.spec?.targetRefs) ? o.object.spec.targetRefs : [])];
      for (const r of refs) if (r?.kind === 'Service' && typeof r.name === 'string') push(targetingService, `${r.namespace ?? o.ref.namespace ?? 'default'}/${r.name}`, o);
    }
  }
  const idx: ConfigIndex = {
    ctx, badges, vsPosition, vsByDestination, seWithSelector, targetingService,
    hostConfig: new Map(), servicesOf: new Map(), workloadConfig: new Map(), serviceConfig: new Map(),
  };
  CACHE.set(inv, idx);
  return idx;
}

function hasCircuitBreaker(policy: any): boolean {
  if (!policy || typeof policy !== 'object') return false;
  if (policy.connectionPool || policy.outlierDetection) return true;
  return Array.isArray(policy.portLevelSettings) && policy.portLevelSettings.some((p: any) => p?.connectionPool || p?.outlierDetection);
}

function virtualServiceBadges(idx: ConfigIndex, vs: InventoryObject): IstioBadge[] {
  const v = idx.badges.virtualServices[idx.vsPosition.get(vs) ?? -1];
  const out: IstioBadge[] = ['VS'];
  if (!v) return out;
  if (v.requestRouting) out.push('RR');
  if (v.trafficShifting) out.push('TS');
  if (v.tcpTrafficShifting) out.push('TCPTS');
  if (v.faultInjection) out.push('FI');
  if (v.requestTimeout) out.push('RT');
  if (v.mirroring) out.push('MI');
  return out;
}

/** Collects applied objects once each, merging badges when an object applies more than one way. */
class Collector {
  /** By object: an inventory holds each object once, so identity is its key (no key string per add). */
  private readonly byKey = new Map<InventoryObject, AppliedObject>();
  add(obj: InventoryObject, via: AppliesVia, badges: IstioBadge[]): void {
    const prev = this.byKey.get(obj);
    if (prev) prev.badges = orderBadges([...prev.badges, ...badges]);
    else this.byKey.set(obj, { obj, via, badges: badges.length > 1 ? orderBadges(badges) : badges });
  }
  list(): AppliedObject[] {
    return [...this.byKey.values()].sort((a, b) => cmp(a.obj.ref.kind, b.obj.ref.kind) || cmp(a.obj.ref.namespace ?? '', b.obj.ref.namespace ?? '') || cmp(a.obj.ref.name, b.obj.ref.name));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The host-based configuration of a service, once per Service: VirtualServices (hosts, or routes to it; a gateway's
 * catch-all `*` host counts only by its routes), the Gateways those VirtualServices bind, DestinationRules for its
 * host (with where their circuit breakers are), and ServiceEntries declaring the same host. Read straight from the
 * checks' host tables (without recording dependency keys, which only the check engine needs).
 */
function hostConfigOf(idx: ConfigIndex, s: ServiceView): HostConfig {
  const hit = idx.hostConfig.get(s);
  if (hit) return hit;
  const host = s.hostname;
  const tables = idx.ctx.idx;
  const vss = new Set<InventoryObject>();
  for (const e of lookupHosts(tables.virtualServices(), host, hostsIntersect)) if (e.host !== '*') vss.add(e.vs);
  for (const vs of idx.vsByDestination.get(host) ?? []) vss.add(vs);
  const out: HostConfig = { virtualServices: [], gateways: [], destinationRules: [], serviceEntries: [] };
  for (const vs of vss) {
    out.virtualServices.push({ vs, badges: virtualServiceBadges(idx, vs) });
    const gateways: unknown = vs.object.spec?.gateways;
    if (!Array.isArray(gateways)) continue;
    for (const g of gateways) {
      if (typeof g !== 'string' || g === 'mesh') continue;
      const gw = tables.gateways().get(g.includes('/') ? g : `${vs.ref.namespace ?? 'default'}/${g}`);
      if (gw && !out.gateways.includes(gw)) out.gateways.push(gw);
    }
  }
  for (const { dr } of lookupHosts(tables.destinationRules(), host, hostsIntersect)) {
    const spec = dr.object.spec ?? {};
    const subsetCB = (Array.isArray(spec.subsets) ? spec.subsets : []).filter((sub: any) => hasCircuitBreaker(sub?.trafficPolicy)).map((sub: any) => (sub?.labels ?? {}) as Record<string, string>);
    out.destinationRules.push({ dr, topCB: hasCircuitBreaker(spec.trafficPolicy), subsetCB });
  }
  for (const e of lookupHosts(tables.registry(), host, hostsIntersect)) {
    if (e.kind === 'ServiceEntry' && isExportedTo(e.exportTo, e.namespace, s.namespace) && !out.serviceEntries.includes(e.obj)) out.serviceEntries.push(e.obj);
  }
  idx.hostConfig.set(s, out);
  return out;
}

/**
 * Adds a service's host configuration: `CB` on a DestinationRule when it has a circuit breaker at the top (or per
 * port), or in a subset — one selecting one of `workloads` when given, any subset otherwise.
 */
function addHostConfig(idx: ConfigIndex, out: Collector, s: ServiceView, workloads?: WorkloadView[]): void {
  const hc = hostConfigOf(idx, s);
  for (const { vs, badges } of hc.virtualServices) out.add(vs, 'host', badges);
  for (const gw of hc.gateways) out.add(gw, 'gateway', ['GW']);
  for (const { dr, topCB, subsetCB } of hc.destinationRules) {
    const cb = topCB || subsetCB.some((labels) => !workloads || workloads.some((w) => labelsMatch(labels, w.labels)));
    out.add(dr, 'host', cb ? ['DR', 'CB'] : ['DR']);
  }
  for (const se of hc.serviceEntries) out.add(se, 'host', ['SE']);
}

function selectorLabels(o: InventoryObject): Record<string, string> | undefined {
  const spec = o.object.spec ?? {};
  const l = o.ref.kind === 'Sidecar' || o.ref.kind === 'EnvoyFilter' ? spec.workloadSelector?.labels : spec.selector?.matchLabels;
  return l && typeof l === 'object' && Object.keys(l).length > 0 ? (l as Record<string, string>) : undefined;
}

/** Whether a policy applies to the whole of its namespace: no selector and no targetRefs. */
function namespaceWide(o: InventoryObject): boolean {
  const spec = o.object.spec ?? {};
  return !selectorLabels(o) && !spec.targetRef && !(Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0);
}

/** Selector-, namespace- and mesh-scoped policies of a workload. */
function addPolicies(idx: ConfigIndex, out: Collector, w: WorkloadView): void {
  const root = idx.ctx.inv.meshConfig.rootNamespace;
  for (const [kind, badge] of Object.entries(POLICY_BADGES)) {
    const byNs = idx.ctx.idx.byNamespace(kind);
    for (const o of byNs.get(w.namespace) ?? []) {
      const labels = selectorLabels(o);
      if (labels) {
        if (labelsMatch(labels, w.labels)) out.add(o, 'selector', [badge]);
      } else if (namespaceWide(o)) out.add(o, w.namespace === root ? 'mesh' : 'namespace', [badge]);
    }
    if (w.namespace === root) continue;
    for (const o of byNs.get(root) ?? []) {
      const labels = selectorLabels(o);
      // A PeerAuthentication or Sidecar with a selector in the root namespace is ignored (Istio applies them in their namespace only).
      if (labels) {
        if (kind !== 'PeerAuthentication' && kind !== 'Sidecar' && labelsMatch(labels, w.labels)) out.add(o, 'selector', [badge]);
      } else if (namespaceWide(o)) out.add(o, 'mesh', [badge]);
    }
  }
  // Gateways whose selector picks this (gateway) workload.
  if (w.isGatewayProxy) {
    for (const g of idx.ctx.inv.istio.Gateway) {
      const sel = g.object.spec?.selector;
      if (sel && typeof sel === 'object' && Object.keys(sel).length > 0 && labelsMatch(sel, w.labels)) out.add(g, 'selector', ['GW']);
    }
  }
  for (const se of idx.seWithSelector.get(w.namespace) ?? []) {
    if (labelsMatch(se.object.spec.workloadSelector.labels, w.labels)) out.add(se, 'selector', ['SE']);
  }
}

/** The Services of a workload's namespace whose selector selects it (the checks' selector-pair index; once per inventory). */
export function servicesSelectingWorkload(inv: Inventory, w: WorkloadView): ServiceView[] {
  const idx = configIndex(inv);
  const hit = idx.servicesOf.get(w);
  if (hit) return hit;
  const bySelectorPair = idx.ctx.idx.servicesBySelectorPair();
  let found: ServiceView[] | undefined;
  for (const k in w.labels) {
    const candidates = bySelectorPair.get(`${w.namespace}|${k}=${w.labels[k]}`);
    if (!candidates) continue;
    for (const s of candidates) if (labelsMatch(s.selector, w.labels) && !found?.includes(s)) (found ??= []).push(s);
  }
  const list = !found ? [] : found.length > 1 ? found.sort((a, b) => cmp(a.name, b.name)) : found;
  idx.servicesOf.set(w, list);
  return list;
}

/** The workloads a Service selects (same namespace), by name. */
export function workloadsSelectedByService(inv: Inventory, s: ServiceView): WorkloadView[] {
  if (!s.selector || Object.keys(s.selector).length === 0) return [];
  const idx = configIndex(inv);
  const byNs = idx.ctx.idx.workloadsByNamespace().get(s.namespace) ?? [];
  return byNs.filter((w) => labelsMatch(s.selector, w.labels)).sort((a, b) => cmp(a.name, b.name));
}

/**
 * The Istio objects that apply to a workload: its own selectors' policies and its Services' host configuration.
 * A function of the inventory alone: computed once per inventory and workload.
 */
export function configForWorkload(inv: Inventory, w: WorkloadView): AppliedObject[] {
  const idx = configIndex(inv);
  const hit = idx.workloadConfig.get(w);
  if (hit) return hit;
  const out = new Collector();
  for (const s of servicesSelectingWorkload(inv, w)) addHostConfig(idx, out, s, [w]);
  addPolicies(idx, out, w);
  const list = out.list();
  idx.workloadConfig.set(w, list);
  return list;
}

/** The Istio objects that apply to a Service: its host configuration and policies that target it by reference (once per inventory). */
export function configForService(inv: Inventory, s: ServiceView): AppliedObject[] {
  const idx = configIndex(inv);
  const hit = idx.serviceConfig.get(s);
  if (hit) return hit;
  const out = new Collector();
  addHostConfig(idx, out, s);
  for (const o of idx.targetingService.get(`${s.namespace}/${s.name}`) ?? []) out.add(o, 'selector', [POLICY_BADGES[o.ref.kind]!]);
  // WorkloadEntries the Service selects (VMs behind it).
  if (s.selector && Object.keys(s.selector).length > 0) {
    for (const we of idx.ctx.idx.byNamespace('WorkloadEntry').get(s.namespace) ?? []) {
      if (labelsMatch(s.selector, we.object.spec?.labels ?? {})) out.add(we, 'selector', ['WE']);
    }
  }
  const list = out.list();
  idx.serviceConfig.set(s, list);
  return list;
}

/** Merges applied-object lists (an application's workloads and services), each object once. */
export function mergeApplied(lists: AppliedObject[][]): AppliedObject[] {
  const out = new Collector();
  for (const list of lists) for (const a of list) out.add(a.obj, a.via, a.badges);
  return out.list();
}

/** Expands a host written in `namespace` to its FQDN (for VirtualService routes on the service page). */
export function fqdnIn(inv: Inventory, host: string, namespace: string): string {
  return toFqdn(host, namespace, inv.clusterDomain);
}
