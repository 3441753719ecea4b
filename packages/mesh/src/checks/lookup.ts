/** Registry and config look-ups for checks, recording the dependency keys they read. */
import type { InventoryObject } from '@meshlens/model';
import type { CheckContext } from './types.js';
import type { RegistryEntry } from '../hosts/registry.js';
import { isExportedTo } from '../hosts/export-to.js';
import { hostMatches, hostSpecificity, hostsIntersect, isWildcard, normalizeHost, toFqdn } from '../hosts/names.js';
import { labelsMatch } from '../inventory/query.js';
import type { PodView, ServiceView, WorkloadView } from '../inventory/types.js';
import { hostReadKeys, selectorReadKey } from './keys.js';
import { lookupHosts } from './index-build.js';

/**
 * The registry host that `host` resolves to from `namespace` (Service FQDN, then ServiceEntry exact host, then the
 * most specific wildcard ServiceEntry host), honouring exportTo — the analyzer's `GetDestinationHost` order.
 */
export function resolveHost(ctx: CheckContext, host: string, namespace: string): RegistryEntry | undefined {
  const h = normalizeHost(host);
  for (const k of hostReadKeys('R', h)) ctx.read(k);
  const t = ctx.idx.registry();
  const visible = (e: RegistryEntry) => isExportedTo(e.exportTo, e.namespace, namespace);
  if (isWildcard(h)) {
    // A wildcard destination resolves to a registry wildcard that covers it (exactly or wider).
    return t.wildcard.filter((e) => visible(e) && hostMatches(e.host, h)).sort((a, b) => hostSpecificity(b.host) - hostSpecificity(a.host))[0];
  }
  const exact = (t.exact.get(h) ?? []).filter(visible);
  const hit = exact.find((e) => e.kind === 'Service') ?? exact[0];
  if (hit) return hit;
  let best: RegistryEntry | undefined;
  for (const e of t.wildcard) {
    if (!visible(e) || !hostMatches(e.host, h)) continue;
    if (!best || hostSpecificity(e.host) > hostSpecificity(best.host)) best = e;
  }
  return best;
}

/** Registry hosts that intersect `host` (either may be a wildcard), visible from `namespace`. */
export function registryIntersecting(ctx: CheckContext, host: string, namespace: string): RegistryEntry[] {
  for (const k of hostReadKeys('R', host)) ctx.read(k);
  return lookupHosts(ctx.idx.registry(), host, hostsIntersect).filter((e) => isExportedTo(e.exportTo, e.namespace, namespace));
}

/** DestinationRules whose host (in their namespace) is exactly `fqdn` (the analyzer compares full names). */
export function destinationRulesFor(ctx: CheckContext, fqdn: string): Array<{ dr: InventoryObject; host: string }> {
  for (const k of hostReadKeys('D', fqdn)) ctx.read(k);
  return ctx.idx.destinationRules().exact.get(normalizeHost(fqdn)) ?? [];
}

/** DestinationRules whose host intersects `host`. */
export function destinationRulesIntersecting(ctx: CheckContext, host: string): Array<{ dr: InventoryObject; host: string }> {
  for (const k of hostReadKeys('D', host)) ctx.read(k);
  return lookupHosts(ctx.idx.destinationRules(), host, hostsIntersect);
}

/** VirtualServices with a host intersecting `host`. */
export function virtualServicesIntersecting(ctx: CheckContext, host: string): Array<{ vs: InventoryObject; host: string; path: string }> {
  for (const k of hostReadKeys('V', host)) ctx.read(k);
  return lookupHosts(ctx.idx.virtualServices(), host, hostsIntersect);
}

/** The Gateway `ns/name`. */
export function gatewayByName(ctx: CheckContext, key: string): InventoryObject | undefined {
  ctx.read(`G:${key}`);
  return ctx.idx.gateways().get(key);
}

/** Pods matching `selector` in `namespace` (`*` = any), with Node topology labels added. */
export function podsSelected(ctx: CheckContext, selector: Record<string, string>, namespace: string): PodView[] {
  ctx.read(selectorReadKey(namespace, selector));
  const first = Object.entries(selector)[0];
  const candidates = first ? ctx.idx.podsByLabel().get(`${first[0]}=${first[1]}`) ?? [] : namespace === '*' ? ctx.inv.pods : ctx.idx.podsByNamespace().get(namespace) ?? [];
  return candidates.filter((p) => (namespace === '*' || p.namespace === namespace) && labelsMatch(selector, ctx.idx.podLabels(p)));
}

/** Workloads matching `selector` in `namespace`. */
export function workloadsSelected(ctx: CheckContext, selector: Record<string, string>, namespace: string): WorkloadView[] {
  const out = new Map<string, WorkloadView>();
  for (const p of podsSelected(ctx, selector, namespace)) {
    const w = ctx.inv.workloadsByKey.get(`${p.namespace}/${p.workload}`);
    if (w) out.set(w.name, w);
  }
  return [...out.values()];
}

/** Services of `namespace` whose (non-empty) selector matches `labels`. */
export function servicesSelecting(ctx: CheckContext, labels: Record<string, string>, namespace: string): ServiceView[] {
  ctx.read(`SVC:${namespace}`);
  const idx = ctx.idx.servicesBySelectorPair();
  const out: ServiceView[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const s of idx.get(`${namespace}|${k}=${v}`) ?? []) if (labelsMatch(s.selector, labels)) out.push(s);
  }
  return out;
}

/** Expands a host written in `namespace` (`reviews` → `reviews.<ns>.svc.<domain>`). */
export function fqdn(ctx: CheckContext, host: string, namespace: string): string {
  return toFqdn(host, namespace, ctx.inv.clusterDomain);
}

/** A plain-object view of an unknown value. */
export function rec(v: unknown): Record<string, any> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {};
}

/** An array view of an unknown value. */
export function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
