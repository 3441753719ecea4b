/**
 * The mTLS model the mTLS checks share (reference §3.15): which PeerAuthentication decides the server side of a
 * workload or namespace, and which DestinationRule decides what clients send to a host.
 *
 * Server side (PeerAuthentication): a workload-selecting policy of the workload's namespace, then the namespace's
 * selector-less policy, then the selector-less policy of the root namespace (mesh-wide), else Istio's default
 * PERMISSIVE. `UNSET` (or no `mtls.mode`) inherits from the next level. Selector policies in the root namespace are
 * ignored by Istio.
 *
 * Client side (DestinationRule): Istio looks for the rule of a host in the client's namespace, then in the host's
 * namespace, then in the root namespace, taking the most specific host in the first namespace that has one; rules
 * are not merged across namespaces. An explicit `tls.mode` is used as written; without one, auto-mTLS
 * (meshConfig.enableAutoMtls, on by default) sends ISTIO_MUTUAL to endpoints that have a sidecar, and plain text
 * when auto-mTLS is off.
 */
import type { InventoryObject } from '@meshlens/model';
import type { CheckContext } from './types.js';
import { nsName, nsOf } from './finding.js';
import { destinationRulesIntersecting, rec } from './lookup.js';
import { hostMatches, hostSpecificity } from '../hosts/names.js';
import { labelsMatch } from '../inventory/query.js';

export type PaMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** The PeerAuthentication that decides a server's mode, and at which level it was found. */
export interface PaDecision {
  mode: PaMode;
  /** Absent when no policy sets a mode (Istio's default PERMISSIVE). */
  pa?: InventoryObject;
  level: 'workload' | 'namespace' | 'mesh' | 'default';
}

/** `spec.mtls.mode` of a PeerAuthentication when it sets one (`UNSET` and a missing mode inherit). */
export function paMode(pa: InventoryObject): PaMode | undefined {
  const m = rec(rec(pa.object.spec).mtls).mode;
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : undefined;
}

/** `spec.selector.matchLabels` of a PeerAuthentication, undefined when it selects the whole namespace. */
export function paSelector(pa: InventoryObject): Record<string, string> | undefined {
  const l = rec(rec(rec(pa.object.spec).selector).matchLabels);
  return Object.keys(l).length ? (l as Record<string, string>) : undefined;
}

/** True when a PeerAuthentication overrides the mode of some ports (`portLevelMtls`). */
export function hasPortLevelMtls(pa: InventoryObject): boolean {
  return Object.keys(rec(rec(pa.object.spec).portLevelMtls)).length > 0;
}

/** Reads the mesh config (root namespace, auto-mTLS) and returns it. */
export function meshOf(ctx: CheckContext): { root: string; autoMtls: boolean; configMap?: InventoryObject } {
  ctx.read('MESH');
  const mc = ctx.inv.meshConfig;
  return { root: mc.rootNamespace, autoMtls: mc.enableAutoMtls, configMap: mc.obj };
}

function policiesOf(ctx: CheckContext, ns: string): InventoryObject[] {
  ctx.read(`PeerAuthentication:${ns}`);
  return ctx.idx.byNamespace('PeerAuthentication').get(ns) ?? [];
}

/** The selector-less PeerAuthentication of `ns` (the first one: KIA0002 reports extra ones). */
export function namespacePolicy(ctx: CheckContext, ns: string): InventoryObject | undefined {
  return policiesOf(ctx, ns).find((p) => !paSelector(p));
}

/** The mesh-wide PeerAuthentication: the selector-less one of the root namespace. */
export function meshPolicy(ctx: CheckContext): InventoryObject | undefined {
  return namespacePolicy(ctx, meshOf(ctx).root);
}

/** The mesh-level decision: the mesh-wide policy's mode, else Istio's default PERMISSIVE. */
export function meshMode(ctx: CheckContext): PaDecision {
  const mp = meshPolicy(ctx);
  const m = mp && paMode(mp);
  return mp && m ? { mode: m, pa: mp, level: 'mesh' } : { mode: 'PERMISSIVE', level: 'default' };
}

/** The workload-level PeerAuthentication selecting `labels` in `ns` (none in the root namespace: Istio ignores them). */
export function workloadPolicy(ctx: CheckContext, ns: string, labels: Record<string, string>): InventoryObject | undefined {
  if (ns === meshOf(ctx).root) return undefined;
  return policiesOf(ctx, ns).find((p) => {
    const sel = paSelector(p);
    return sel !== undefined && labelsMatch(sel, labels);
  });
}

/** The server-side mode of a workload with `labels` in `ns` (or of the namespace as a whole without labels). */
export function effectiveMode(ctx: CheckContext, ns: string, labels?: Record<string, string>): PaDecision {
  const { root } = meshOf(ctx);
  if (labels) {
    const wp = workloadPolicy(ctx, ns, labels);
    const m = wp && paMode(wp);
    if (wp && m) return { mode: m, pa: wp, level: 'workload' };
  }
  if (ns !== root) {
    const np = namespacePolicy(ctx, ns);
    const m = np && paMode(np);
    if (np && m) return { mode: m, pa: np, level: 'namespace' };
  }
  return meshMode(ctx);
}

/** `spec.trafficPolicy.tls.mode` of a DestinationRule, if written. */
export function drTlsMode(dr: InventoryObject): string | undefined {
  const m = rec(rec(rec(dr.object.spec).trafficPolicy).tls).mode;
  return typeof m === 'string' && m !== '' ? m : undefined;
}

/** True for a mode that makes the client send Istio mTLS (Kiali counts MUTUAL too). */
export function sendsMtls(mode: string | undefined): boolean {
  return mode === 'ISTIO_MUTUAL' || mode === 'MUTUAL';
}

/** The mesh-wide host patterns: `*.local` (Istio's documented form, the one Kiali recognises) and `*`. */
export function isMeshWideHost(host: unknown): boolean {
  return host === '*.local' || host === '*';
}

/** The namespace a namespace-wide host `*.<ns>.svc.<domain>` covers, or undefined. */
export function namespaceWideHostNs(ctx: CheckContext, host: unknown): string | undefined {
  if (typeof host !== 'string') return undefined;
  const suffix = `.svc.${ctx.inv.clusterDomain}`;
  if (!host.startsWith('*.') || !host.endsWith(suffix)) return undefined;
  const ns = host.slice(2, host.length - suffix.length);
  return ns !== '' && !ns.includes('.') ? ns : undefined;
}

/** `*.<ns>.svc.<domain>`. */
export function namespaceWideHost(ctx: CheckContext, ns: string): string {
  return `*.${ns}.svc.${ctx.inv.clusterDomain}`;
}

/** DestinationRules (without workloadSelector) whose host is exactly `host` as written or expanded (`*.local`, `*.ns.svc…`). */
export function destinationRulesWithHost(ctx: CheckContext, host: string): InventoryObject[] {
  return destinationRulesIntersecting(ctx, host).filter((e) => e.host === host && !rec(e.dr.object.spec).workloadSelector).map((e) => e.dr);
}

/** Mesh-wide DestinationRules (host `*.local` or `*`). */
export function meshWideDestinationRules(ctx: CheckContext): InventoryObject[] {
  return [...destinationRulesWithHost(ctx, '*.local'), ...destinationRulesWithHost(ctx, '*')];
}

/**
 * The DestinationRule a client outside the host's namespace uses for `host` (a host of namespace `hostNs`): the most
 * specific covering host among the rules of `hostNs`, else among those of the root namespace. (Clients in a namespace
 * with a rule of their own for the host use that one; the checks name the rule they reason about.)
 */
export function destinationRuleFor(ctx: CheckContext, host: string, hostNs: string): { dr: InventoryObject; host: string } | undefined {
  const { root } = meshOf(ctx);
  const covering = destinationRulesIntersecting(ctx, host).filter((e) => hostMatches(e.host, host) && !rec(e.dr.object.spec).workloadSelector);
  for (const ns of hostNs === root ? [root] : [hostNs, root]) {
    const mine = covering.filter((e) => nsOf(e.dr) === ns);
    if (mine.length) return mine.sort((a, b) => hostSpecificity(b.host) - hostSpecificity(a.host) || cmp(nsName(a.dr), nsName(b.dr)))[0];
  }
  return undefined;
}

/**
 * Every DestinationRule that decides for `host` for some client: the one clients use in general
 * (`destinationRuleFor`), and the most specific covering rule of each other namespace that has one, which that
 * namespace's own clients use instead (`clients`). Proxies of the root namespace do not look in their own namespace
 * first (pilot's `destinationRule` lookup special-cases it), so root rules are only the general fallback.
 */
export function destinationRuleDeciders(ctx: CheckContext, host: string, hostNs: string): Array<{ dr: InventoryObject; clients?: string }> {
  const { root } = meshOf(ctx);
  const covering = destinationRulesIntersecting(ctx, host).filter((e) => hostMatches(e.host, host) && !rec(e.dr.object.spec).workloadSelector);
  const best = new Map<string, { dr: InventoryObject; host: string }>();
  for (const e of covering) {
    const ns = nsOf(e.dr);
    const cur = best.get(ns);
    if (!cur || hostSpecificity(e.host) > hostSpecificity(cur.host) || (hostSpecificity(e.host) === hostSpecificity(cur.host) && cmp(nsName(e.dr), nsName(cur.dr)) < 0)) best.set(ns, e);
  }
  const out: Array<{ dr: InventoryObject; clients?: string }> = [];
  const fallback = destinationRuleFor(ctx, host, hostNs);
  if (fallback) out.push({ dr: fallback.dr });
  for (const [ns, e] of [...best].sort(([a], [b]) => cmp(a, b))) {
    if (ns === root || ns === hostNs || e.dr === fallback?.dr) continue;
    out.push({ dr: e.dr, clients: ns });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a PeerAuthentication is described in messages: "PeerAuthentication shop/default (namespace-wide)". */
export function describePolicy(d: PaDecision): string {
  if (!d.pa) return "no PeerAuthentication (Istio's default PERMISSIVE)";
  const scope = d.level === 'workload' ? 'workload-level' : d.level === 'namespace' ? 'namespace-wide' : 'mesh-wide';
  return `PeerAuthentication ${nsName(d.pa)} (${scope}, ${d.mode})`;
}
