/** Which VirtualServices a proxy applies to a host: `gateways` binding, exportTo, Sidecar scoping, host matching (reference §3.2–3.4). */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { exportToOf, isExportedTo } from '../hosts/export-to.js';
import { hostMatches, hostSpecificity, hostsIntersect, toFqdn } from '../hosts/names.js';
import type { SidecarScope } from './sidecar-scope.js';
import { sidecarImports } from './sidecar-scope.js';
import { shortName } from './refs.js';

/** A VirtualService chosen for a host, with the host entry that matched. */
export interface VsChoice {
  vs: InventoryObject;
  /** The VS host (short names expanded) that matched. */
  host: string;
  hostPath: string;
}

/** A gateway name in the form Istio compares: `mesh`, or `ns/name` (a bare name is in the VirtualService's namespace). */
export function normalizeGatewayName(name: string, vsNamespace: string): string {
  if (name === 'mesh') return 'mesh';
  if (name.includes('/')) return name;
  // Istio's resolveGatewayName: a short name is in the VirtualService's namespace; the legacy dotted form
  // `name.namespace[.svc.cluster.local]` names the Gateway `namespace/name` (KIA1108 suggests the new form).
  const dot = name.indexOf('.');
  if (dot < 0) return `${vsNamespace}/${name}`;
  const rest = name.slice(dot + 1);
  return `${rest.split('.')[0]}/${name.slice(0, dot)}`;
}

/** The gateways a VirtualService is bound to; no `gateways` field means `mesh` only. */
export function vsGateways(vs: InventoryObject): string[] {
  const list: unknown = vs.object.spec?.gateways;
  const ns = vs.ref.namespace ?? 'default';
  if (!Array.isArray(list) || list.length === 0) return ['mesh'];
  return list.filter((g): g is string => typeof g === 'string').map((g) => normalizeGatewayName(g, ns));
}

/** The hosts of a VirtualService with short names expanded in its namespace, with their YAML paths. */
export function vsHosts(inv: Inventory, vs: InventoryObject): Array<{ host: string; path: string }> {
  const hosts: unknown = vs.object.spec?.hosts;
  const ns = vs.ref.namespace ?? 'default';
  if (!Array.isArray(hosts)) return [];
  return hosts.flatMap((h, i) => (typeof h === 'string' ? [{ host: toFqdn(h, ns, inv.clusterDomain), path: `spec.hosts[${i}]` }] : []));
}

/**
 * Why Istio's validation would reject the VirtualService (so it never reaches a proxy), if it would: negative
 * weights, or a multi-destination route whose weights add up to 0 (`validateHTTPRouteDestinations`, reference §3.5).
 */
export function rejectionOf(vs: InventoryObject): string | undefined {
  for (const section of ['http', 'tls', 'tcp'] as const) {
    const rules: unknown = vs.object.spec?.[section];
    if (!Array.isArray(rules)) continue;
    for (let i = 0; i < rules.length; i++) {
      const route: unknown = rules[i]?.route;
      if (!Array.isArray(route)) continue;
      const weights = route.map((r: { weight?: unknown }) => (typeof r?.weight === 'number' ? r.weight : 0));
      if (weights.some((w) => w < 0)) return `spec.${section}[${i}].route has a negative weight`;
      if (route.length > 1 && weights.reduce((a, b) => a + b, 0) === 0) return `spec.${section}[${i}].route has several destinations whose weights add up to 0`;
    }
  }
  return undefined;
}

/**
 * The VirtualService a sidecar applies to `host`: bound to `mesh`, exported to the proxy's namespace, imported by its
 * Sidecar, with a host covering `host`; the most specific host wins. Sidecars do not merge several VirtualServices
 * for one host (reference §3.4): the first in inventory order is used and the others are reported as ignored.
 */
export function meshVirtualServiceFor(
  inv: Inventory, namespace: string, scope: SidecarScope | undefined, host: string, problems: string[],
): { chosen?: VsChoice; ignored: VsChoice[] } {
  const candidates: VsChoice[] = [];
  for (const vs of inv.istio.VirtualService) {
    if (!vsGateways(vs).includes('mesh')) continue;
    const vsNs = vs.ref.namespace ?? 'default';
    if (!isExportedTo(exportToOf(vs), vsNs, namespace)) continue;
    const match = bestHost(vsHosts(inv, vs), host);
    if (!match || !sidecarImports(scope, vsNs, match.host)) continue;
    const rejected = rejectionOf(vs);
    if (rejected) {
      problems.push(`VirtualService ${shortName(vs)} is ignored: Istio's validation rejects it (${rejected}).`);
      continue;
    }
    candidates.push({ vs, host: match.host, hostPath: match.path });
  }
  if (candidates.length === 0) return { ignored: [] };
  const top = Math.max(...candidates.map((c) => hostSpecificity(c.host)));
  const best = candidates.filter((c) => hostSpecificity(c.host) === top);
  const [chosen, ...ignored] = best;
  if (ignored.length > 0) {
    problems.push(`Several VirtualServices bound to mesh define ${chosen!.host} (${best.map((c) => shortName(c.vs)).join(', ')}); sidecars do not merge them, ${shortName(chosen!.vs)} is used.`);
  }
  return { chosen, ignored };
}

/** Mesh-bound VirtualServices with a host covering `host`, regardless of whether the registry knows the host (for explanations). */
export function meshVirtualServicesNaming(inv: Inventory, namespace: string, host: string): VsChoice[] {
  return inv.istio.VirtualService.flatMap((vs) => {
    if (!vsGateways(vs).includes('mesh') || !isExportedTo(exportToOf(vs), vs.ref.namespace ?? 'default', namespace)) return [];
    const match = bestHost(vsHosts(inv, vs), host);
    return match ? [{ vs, host: match.host, hostPath: match.path }] : [];
  });
}

function bestHost(hosts: Array<{ host: string; path: string }>, host: string): { host: string; path: string } | undefined {
  let best: { host: string; path: string } | undefined;
  for (const h of hosts) {
    if (!hostMatches(h.host, host)) continue;
    if (!best || hostSpecificity(h.host) > hostSpecificity(best.host)) best = h;
  }
  return best;
}

/** A server host of a Gateway that admits VirtualServices (`ns/host`, `.` resolved to the Gateway's namespace). */
export interface ServerHost { namespace: string; host: string }

/**
 * The VirtualServices a gateway proxy applies for a request accepted by Gateways `gateways` (`ns/name`): bound to
 * one of them, exported to the proxy's namespace, with a host that a server host admits (namespace prefix included).
 * With `requestHost` (HTTP Host header, TLS SNI) only the VirtualServices whose most specific matching host is the
 * best one are kept — Envoy picks one virtual host by domain, and gateways merge the VirtualServices that share it.
 */
export function gatewayVirtualServices(
  inv: Inventory, servers: Array<{ gateway: string; hosts: ServerHost[] }>, proxyNamespace: string, requestHost: string | undefined, problems: string[],
): VsChoice[] {
  const out: VsChoice[] = [];
  for (const vs of inv.istio.VirtualService) {
    const vsNs = vs.ref.namespace ?? 'default';
    const bound = vsGateways(vs);
    // a VirtualService is admitted by the hosts of the servers of the Gateways it binds, not of every Gateway on the port
    const serverHosts = servers.filter((s) => bound.includes(s.gateway)).flatMap((s) => s.hosts);
    if (serverHosts.length === 0) continue;
    if (!isExportedTo(exportToOf(vs), vsNs, proxyNamespace)) continue;
    const admitted = vsHosts(inv, vs).filter((h) => serverHosts.some((s) => (s.namespace === '*' || s.namespace === vsNs) && hostsIntersect(s.host, h.host)));
    if (admitted.length === 0) continue;
    const rejected = rejectionOf(vs);
    if (rejected) {
      problems.push(`VirtualService ${shortName(vs)} is ignored: Istio's validation rejects it (${rejected}).`);
      continue;
    }
    if (requestHost === undefined) {
      out.push({ vs, host: admitted[0]!.host, hostPath: admitted[0]!.path });
      continue;
    }
    const match = bestHost(admitted, requestHost);
    if (match) out.push({ vs, host: match.host, hostPath: match.path });
  }
  if (requestHost === undefined || out.length === 0) return out;
  const top = Math.max(...out.map((c) => hostSpecificity(c.host)));
  return out.filter((c) => hostSpecificity(c.host) === top);
}
