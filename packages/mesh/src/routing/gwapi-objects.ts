/**
 * Reading Kubernetes Gateway API objects the way istiod's gateway controller does (pilot/pkg/config/kube/gateway):
 * which Gateways it handles (class `istio`), the workload that serves a Gateway, the listeners with their
 * `allowedRoutes`, route parentRefs, creation order, and ReferenceGrants.
 */
import { GATEWAY_API_GROUP, type InventoryObject } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/types.js';
import { labelsMatch, workloadsOfService } from '../inventory/query.js';
import { shortName } from './refs.js';

/** The controller of Istio's built-in GatewayClass `istio`. */
export const ISTIO_GATEWAY_CONTROLLER = 'istio.io/gateway-controller';
/** The label istiod's deployment controller puts on a Gateway's pods (and the selector of its Service). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const ISTIO_GROUP = 'networking.istio.io';

/** The route kinds Istio turns into VirtualService rules. */
export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute';
export const ROUTE_KINDS: readonly RouteKind[] = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];

/** The bare kind of a Gateway API object (`HTTPRoute`). */
export function apiKind(obj: InventoryObject): string {
  return obj.object.kind;
}

/** `HTTPRoute bookinfo/reviews`, `Gateway (Gateway API) istio-system/egress`. */
export function apiName(obj: InventoryObject): string {
  return `${apiKind(obj) === 'Gateway' ? 'Gateway (Gateway API)' : apiKind(obj)} ${shortName(obj)}`;
}

/** True when istiod programs Gateways of `className` (`istio`, or a GatewayClass naming Istio's controller). */
export function isIstioGatewayClass(inv: Inventory, className: unknown): boolean {
  if (typeof className !== 'string') return false;
  const cls = inv.gatewayApi.GatewayClass.find((c) => c.ref.name === className);
  if (cls) return cls.object.spec?.controllerName === ISTIO_GATEWAY_CONTROLLER;
  return className === 'istio';
}

/** Milliseconds of `metadata.creationTimestamp`; a missing one is Go's zero time, before every real one. */
export function createdAt(obj: InventoryObject): number {
  const ts: unknown = (obj.object.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  const ms = ts instanceof Date ? ts.getTime() : typeof ts === 'string' ? Date.parse(ts) : NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** Routes in istiod's order (`sortRoutesByCreationTime`): creation time, then namespace, then name. */
export function byCreation(a: InventoryObject, b: InventoryObject): number {
  const ta = createdAt(a);
  const tb = createdAt(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.ref.namespace ?? '';
  const nb = b.ref.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0;
}

/** The Service istiod deploys for a Gateway it manages (`<name>-<class>`), or the Services of `spec.addresses` (manual deployment). */
export function gatewayServiceHosts(inv: Inventory, gateway: InventoryObject): string[] {
  const ns = gateway.ref.namespace ?? 'default';
  const spec = (gateway.object.spec ?? {}) as { addresses?: unknown; gatewayClassName?: unknown };
  const hostnames = (Array.isArray(spec.addresses) ? spec.addresses : [])
    .filter((a: { type?: unknown; value?: unknown }) => typeof a?.value === 'string' && (a.type === undefined || a.type === 'Hostname'))
    .map((a: { value: string }) => (a.value.includes('.') ? a.value : `${a.value}.${ns}.svc.${inv.clusterDomain}`));
  if (hostnames.length > 0) return hostnames;
  const override = (gateway.object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.['gateway.istio.io/name-override'];
  const name = override ?? `${gateway.ref.name}-${typeof spec.gatewayClassName === 'string' ? spec.gatewayClassName : 'istio'}`;
  return [`${name}.${ns}.svc.${inv.clusterDomain}`];
}

/** The Services of a Gateway that exist in the inventory. */
export function gatewayServices(inv: Inventory, gateway: InventoryObject): ServiceView[] {
  return gatewayServiceHosts(inv, gateway).flatMap((h) => inv.servicesByHost.get(h) ?? []);
}

/**
 * The Gateway API Gateways (class istio) that the gateway workload `w` serves: its pods carry the Gateway's name
 * label, or one of the Gateway's Services selects them (how an istiod-deployed or manually deployed proxy finds
 * the Gateways it is bound to).
 */
export function gatewaysServedBy(inv: Inventory, w: WorkloadView): InventoryObject[] {
  return inv.gatewayApi.Gateway.filter((g) => {
    if (!isIstioGatewayClass(inv, g.object.spec?.gatewayClassName)) return false;
    const ns = g.ref.namespace ?? 'default';
    if (w.namespace === ns && w.labels[GATEWAY_NAME_LABEL] === g.ref.name) return true;
    return gatewayServices(inv, g).some((svc) => svc.selector && Object.keys(svc.selector).length > 0 && labelsMatch(svc.selector, w.labels) && svc.namespace === w.namespace);
  });
}

/** The workloads serving a Gateway (for explanations). */
export function workloadsServing(inv: Inventory, gateway: InventoryObject): WorkloadView[] {
  const ns = gateway.ref.namespace ?? 'default';
  const byLabel = inv.workloads.filter((w) => w.namespace === ns && w.labels[GATEWAY_NAME_LABEL] === gateway.ref.name);
  const bySvc = gatewayServices(inv, gateway).flatMap((s) => workloadsOfService(inv, s));
  return [...new Set([...byLabel, ...bySvc])];
}

/** A listener of a Gateway API Gateway, as istiod turns it into a Gateway server. */
export interface Listener {
  gateway: InventoryObject;
  index: number;
  name: string;
  port: number;
  /** `HTTP`, `HTTPS`, `TLS`, `TCP` as written. */
  protocol: string;
  hostname?: string;
  /** `Terminate` (the default when `tls` is written) or `Passthrough`; undefined without `tls`. */
  tlsMode?: 'Terminate' | 'Passthrough';
  /** Namespaces whose routes may attach (`*` for All); from `allowedRoutes.namespaces`. */
  namespaces: string[];
  /** `allowedRoutes.namespaces.from` as written (Same by default). */
  from: string;
  /** Route kinds the listener admits: by protocol, narrowed by `allowedRoutes.kinds`. */
  kinds: RouteKind[];
  /** Why a certificateRef cannot be used, when none can (the listener has no certificate). */
  certificateRefusal?: { sentence: string; path: string; grantNamespace: string };
  path: string;
  /** `listener http (port 80 HTTP, hostname httpbin.example.com)` */
  describe: string;
}

function supportedKinds(protocol: string, tlsMode: Listener['tlsMode']): RouteKind[] {
  switch (protocol) {
    case 'HTTP': case 'HTTPS': return ['HTTPRoute', 'GRPCRoute'];
    case 'TCP': return ['TCPRoute'];
    case 'TLS': return tlsMode === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'];
    default: return [];
  }
}

/** `allowedRoutes.namespaces` → the namespaces istiod lets attach (`namespacesFromSelector`). */
function allowedNamespaces(inv: Inventory, gwNs: string, allowed: unknown): { from: string; namespaces: string[] } {
  const ns = (allowed as { namespaces?: { from?: unknown; selector?: unknown } } | undefined)?.namespaces;
  const from = typeof ns?.from === 'string' ? ns.from : 'Same';
  if (from === 'All') return { from, namespaces: ['*'] };
  if (from !== 'Selector') return { from: 'Same', namespaces: [gwNs] };
  const sel = (ns?.selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }> };
  const out: string[] = [];
  for (const view of inv.namespaces.values()) {
    const labels: Record<string, string> = { ...view.labels, 'kubernetes.io/metadata.name': view.name };
    if (!labelsMatch(sel.matchLabels ?? {}, labels)) continue;
    const exprOk = (sel.matchExpressions ?? []).every((e) => {
      const v = e.key !== undefined ? labels[e.key] : undefined;
      switch (e.operator) {
        case 'In': return v !== undefined && (e.values ?? []).includes(v);
        case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
        case 'Exists': return v !== undefined;
        case 'DoesNotExist': return v === undefined;
        default: return false;
      }
    });
    if (exprOk) out.push(view.name);
  }
  return { from, namespaces: out.sort() };
}

/** The listeners of a Gateway API Gateway, with what istiod makes of each. */
export function listenersOf(inv: Inventory, gateway: InventoryObject): Listener[] {
  const gwNs = gateway.ref.namespace ?? 'default';
  const raw: unknown = gateway.object.spec?.listeners;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((l: Record<string, unknown>, index: number) => {
    if (typeof l?.port !== 'number') return [];
    const protocol = typeof l.protocol === 'string' ? l.protocol : '';
    const tls = l.tls as { mode?: unknown; certificateRefs?: unknown } | undefined;
    const tlsMode = tls && typeof tls === 'object' ? (tls.mode === 'Passthrough' ? 'Passthrough' as const : 'Terminate' as const) : undefined;
    const hostname = typeof l.hostname === 'string' && l.hostname !== '' ? l.hostname.toLowerCase() : undefined;
    const allowed = l.allowedRoutes as { kinds?: unknown } | undefined;
    let kinds = supportedKinds(protocol, tlsMode);
    const writtenKinds = Array.isArray(allowed?.kinds) ? allowed.kinds as Array<{ group?: unknown; kind?: unknown }> : [];
    if (writtenKinds.length > 0) {
      kinds = kinds.filter((k) => writtenKinds.some((w) => w?.kind === k && (w.group === undefined || w.group === GATEWAY_API_GROUP)));
    }
    const { from, namespaces } = allowedNamespaces(inv, gwNs, allowed);
    const name = typeof l.name === 'string' ? l.name : `#${index}`;
    const path = `spec.listeners[${index}]`;
    const listener: Listener = {
      gateway, index, name, port: l.port, protocol, ...(hostname ? { hostname } : {}), ...(tlsMode ? { tlsMode } : {}),
      namespaces, from, kinds, path,
      describe: `listener ${name} (port ${l.port} ${protocol}${tlsMode ? ` ${tlsMode}` : ''}${hostname ? `, hostname ${hostname}` : ', any hostname'})`,
    };
    if (tlsMode === 'Terminate') {
      const refusal = certificateRefusal(inv, gateway, tls?.certificateRefs, `${path}.tls.certificateRefs`);
      if (refusal) listener.certificateRefusal = refusal;
    }
    return [listener];
  });
}

/** Why none of a listener's certificateRefs is usable: a cross-namespace Secret without a ReferenceGrant. */
function certificateRefusal(inv: Inventory, gateway: InventoryObject, refs: unknown, path: string): Listener['certificateRefusal'] {
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const gwNs = gateway.ref.namespace ?? 'default';
  const refused: Array<{ sentence: string; path: string; grantNamespace: string }> = [];
  refs.forEach((r: { name?: unknown; namespace?: unknown }, i: number) => {
    const ns = typeof r?.namespace === 'string' ? r.namespace : gwNs;
    if (ns === gwNs || typeof r?.name !== 'string') return;
    if (!referenceGranted(inv, { group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: gwNs }, { group: '', kind: 'Secret', namespace: ns, name: r.name })) {
      refused.push({ sentence: `certificateRef Secret ${ns}/${r.name} refused: no ReferenceGrant in ${ns} allows Gateway from ${gwNs}`, path: `${path}[${i}]`, grantNamespace: ns });
    }
  });
  // a listener keeps working while one of its certificates is usable
  return refused.length === refs.length ? refused[0] : undefined;
}

/**
 * True when a ReferenceGrant in the target's namespace lets `from` (kind in its namespace) refer to `to`
 * (`convertReferencePolicies`: `from` group/kind/namespace; `to` group/kind, and name when written).
 */
export function referenceGranted(
  inv: Inventory, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string },
): boolean {
  return grantFor(inv, from, to) !== undefined;
}

/** The ReferenceGrant (and the index of its `from` entry) that allows the reference, if any. */
export function grantFor(
  inv: Inventory, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string },
): { grant: InventoryObject; fromIndex: number } | undefined {
  for (const grant of inv.gatewayApi.ReferenceGrant) {
    if ((grant.ref.namespace ?? 'default') !== to.namespace) continue;
    const spec = (grant.object.spec ?? {}) as { from?: unknown; to?: unknown };
    const froms = Array.isArray(spec.from) ? spec.from as Array<Record<string, unknown>> : [];
    const tos = Array.isArray(spec.to) ? spec.to as Array<Record<string, unknown>> : [];
    const fromIndex = froms.findIndex((f) => (f?.group ?? '') === from.group && f?.kind === from.kind && f?.namespace === from.namespace);
    if (fromIndex < 0) continue;
    const toOk = tos.some((t) => (t?.group ?? '') === to.group && t?.kind === to.kind && (t.name === undefined || t.name === to.name));
    if (toOk) return { grant, fromIndex };
  }
  return undefined;
}

/** A route's `spec.parentRefs[i]`, defaults applied (kind Gateway of the Gateway API group, the route's namespace). */
export interface ParentRef {
  index: number;
  group: string;
  kind: string;
  name: string;
  namespace: string;
  sectionName?: string;
  port?: number;
  path: string;
}

/** The parentRefs of a route. */
export function parentRefsOf(route: InventoryObject): ParentRef[] {
  const ns = route.ref.namespace ?? 'default';
  const refs: unknown = route.object.spec?.parentRefs;
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((r: Record<string, unknown>, index: number) => {
    if (typeof r?.name !== 'string') return [];
    const kind = typeof r.kind === 'string' ? r.kind : 'Gateway';
    const group = typeof r.group === 'string' ? r.group : kind === 'Service' ? '' : GATEWAY_API_GROUP;
    return [{
      index, group: group === 'core' ? '' : group, kind, name: r.name, namespace: typeof r.namespace === 'string' ? r.namespace : ns,
      ...(typeof r.sectionName === 'string' ? { sectionName: r.sectionName } : {}), ...(typeof r.port === 'number' ? { port: r.port } : {}),
      path: `spec.parentRefs[${index}]`,
    }];
  });
}

/** The Gateway API routes of the kinds Istio converts, in istiod's order. */
export function routesOf(inv: Inventory, kinds: readonly RouteKind[] = ROUTE_KINDS): InventoryObject[] {
  return kinds.flatMap((k) => inv.gatewayApi[k]).sort(byCreation);
}

/** `spec.hostnames` of a route, lower-cased, with their paths. */
export function routeHostnames(route: InventoryObject): Array<{ host: string; path: string }> {
  const list: unknown = route.object.spec?.hostnames;
  if (!Array.isArray(list)) return [];
  return list.flatMap((h, i) => (typeof h === 'string' && h !== '' ? [{ host: h.toLowerCase(), path: `spec.hostnames[${i}]` }] : []));
}
