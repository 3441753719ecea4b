/**
 * Which Istio config needs a waypoint in ambient mode (L7) and which ztunnel enforces itself (L4), as Kiali's
 * ambient classification reads it (l7_classification.go), with the YAML path of the first L7 field so a finding can
 * point at it. Also the enrollment rules: who uses a waypoint (istio.io/use-waypoint on the object, else its
 * namespace; `none` opts out) and which waypoint that is.
 */
import type { InventoryObject } from '@meshlens/model';
import type { CheckContext } from './types.js';
import { arr, rec } from './lookup.js';
import { nsOf } from './finding.js';
import { GW_KIND, listenersOf, listenerAdmitsNamespace } from './gateway-api-refs.js';
import { USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL } from '../inventory/ambient.js';
import type { NamespaceView } from '../inventory/types.js';

/** An L7 field of a config object: where it is and what it asks for. */
export interface L7Field {
  path: string;
  what: string;
}

const L7_CONDITIONS = ['request.headers', 'request.auth.claims', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter'];

/** The first field of an AuthorizationPolicy that only a waypoint (not ztunnel) can evaluate. */
export function l7AuthorizationField(ap: InventoryObject): L7Field | undefined {
  const rules = arr(rec(ap.object.spec).rules);
  for (let i = 0; i < rules.length; i++) {
    const rule = rec(rules[i]);
    const when = arr(rule.when);
    for (let j = 0; j < when.length; j++) {
      const key = rec(when[j]).key;
      if (typeof key === 'string' && L7_CONDITIONS.some((p) => key.startsWith(p))) return { path: `spec.rules[${i}].when[${j}].key`, what: `the condition ${key}` };
    }
    const to = arr(rule.to);
    for (let j = 0; j < to.length; j++) {
      const op = rec(rec(to[j]).operation);
      for (const f of ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts']) {
        if (arr(op[f]).length > 0) return { path: `spec.rules[${i}].to[${j}].operation.${f}`, what: `HTTP ${f}` };
      }
    }
    const from = arr(rule.from);
    for (let j = 0; j < from.length; j++) {
      const src = rec(rec(from[j]).source);
      for (const f of ['requestPrincipals', 'notRequestPrincipals']) {
        if (arr(src[f]).length > 0) return { path: `spec.rules[${i}].from[${j}].source.${f}`, what: `JWT ${f}` };
      }
    }
  }
  return undefined;
}

function trafficPolicyL7(tp: unknown, path: string): L7Field | undefined {
  const t = rec(tp);
  const hash = rec(rec(t.loadBalancer).consistentHash);
  if (typeof hash.httpHeaderName === 'string' || hash.httpCookie || typeof hash.httpQueryParameterName === 'string') return { path: `${path}.loadBalancer.consistentHash`, what: 'HTTP consistent-hash load balancing' };
  if (rec(t.connectionPool).http) return { path: `${path}.connectionPool.http`, what: 'HTTP connection pool settings' };
  if (t.outlierDetection) return { path: `${path}.outlierDetection`, what: 'outlier detection' };
  return undefined;
}

/** The first L7 traffic policy field of a DestinationRule (top level, then subsets). */
export function l7DestinationRuleField(dr: InventoryObject): L7Field | undefined {
  const spec = rec(dr.object.spec);
  const top = trafficPolicyL7(spec.trafficPolicy, 'spec.trafficPolicy');
  if (top) return top;
  const subsets = arr(spec.subsets);
  for (let i = 0; i < subsets.length; i++) {
    const hit = trafficPolicyL7(rec(subsets[i]).trafficPolicy, `spec.subsets[${i}].trafficPolicy`);
    if (hit) return hit;
  }
  return undefined;
}

/** Whether a VirtualService has HTTP or TLS routes for mesh (east-west) traffic: `gateways` empty or naming `mesh`. */
export function virtualServiceNeedsWaypoint(vs: InventoryObject): boolean {
  const spec = rec(vs.object.spec);
  if (arr(spec.http).length === 0 && arr(spec.tls).length === 0) return false;
  const gateways = arr(spec.gateways);
  return gateways.length === 0 || gateways.includes('mesh');
}

/** The first L7 field of a Telemetry: tracing, access logging or metric overrides. */
export function l7TelemetryField(t: InventoryObject): L7Field | undefined {
  const spec = rec(t.object.spec);
  if (arr(spec.tracing).length > 0) return { path: 'spec.tracing', what: 'tracing' };
  if (arr(spec.accessLogging).length > 0) return { path: 'spec.accessLogging', what: 'access logging' };
  const metrics = arr(spec.metrics);
  for (let i = 0; i < metrics.length; i++) if (arr(rec(metrics[i]).overrides).length > 0) return { path: `spec.metrics[${i}].overrides`, what: 'metric overrides' };
  return undefined;
}

/** `targetRef`/`targetRefs` of a policy, with their paths. */
export function targetRefsOf(obj: InventoryObject): Array<{ group: string; kind: string; name: string; path: string }> {
  const spec = rec(obj.object.spec);
  const out: Array<{ group: string; kind: string; name: string; path: string }> = [];
  const one = rec(spec.targetRef);
  if (typeof one.name === 'string') out.push({ group: typeof one.group === 'string' ? one.group : '', kind: String(one.kind ?? ''), name: one.name, path: 'spec.targetRef' });
  arr(spec.targetRefs).forEach((r, i) => {
    const t = rec(r);
    if (typeof t.name === 'string') out.push({ group: typeof t.group === 'string' ? t.group : '', kind: String(t.kind ?? ''), name: t.name, path: `spec.targetRefs[${i}]` });
  });
  return out;
}

/** Labels of a namespace, recording the read. */
export function namespaceOf(ctx: CheckContext, ns: string): NamespaceView | undefined {
  ctx.read(`NS:${ns}`);
  return ctx.inv.namespaces.get(ns);
}

/**
 * Whether an object (a Service, a workload's pods) is enrolled to use a waypoint: its own `istio.io/use-waypoint`
 * wins (`none` or empty opts out), else its namespace's (Kiali's IsEnrolledForWaypoint).
 */
export function enrolledForWaypoint(ctx: CheckContext, labels: Record<string, string>, ns: string): boolean {
  const own = labels[USE_WAYPOINT_LABEL];
  if (own !== undefined) return own !== '' && own !== 'none';
  const nsLabel = namespaceOf(ctx, ns)?.labels[USE_WAYPOINT_LABEL];
  return nsLabel !== undefined && nsLabel !== '' && nsLabel !== 'none';
}

/** The waypoint an object names (own labels first, else its namespace's), with where the name was written. */
export function namedWaypoint(ctx: CheckContext, labels: Record<string, string>, ns: string): { namespace: string; name: string; own: boolean; namespaceWritten: boolean } | undefined {
  const own = labels[USE_WAYPOINT_LABEL];
  if (own !== undefined) {
    if (own === '' || own === 'none') return undefined;
    const wns = labels[USE_WAYPOINT_NAMESPACE_LABEL];
    return { namespace: wns || ns, name: own, own: true, namespaceWritten: !!wns };
  }
  const view = namespaceOf(ctx, ns);
  const nsName = view?.labels[USE_WAYPOINT_LABEL];
  if (!nsName || nsName === 'none') return undefined;
  const wns = view?.labels[USE_WAYPOINT_NAMESPACE_LABEL];
  return { namespace: wns || ns, name: nsName, own: false, namespaceWritten: !!wns };
}

/** Why a waypoint named by `labels` in `ns` cannot serve it, or undefined when it can. */
export interface WaypointProblem {
  message: string;
  fix: string;
  waypoint?: InventoryObject;
  others: InventoryObject[];
}

/**
 * Resolves the waypoint `ref` names for a `kind` (`workload` or `service`) of namespace `ns`: it must exist as a
 * Gateway API Gateway with an HBONE listener, serve that kind of traffic (`istio.io/waypoint-for`, default
 * `service`; only when the object names it itself — a namespace label covers both kinds by design) and, in another
 * namespace, admit it (allowedRoutes of the HBONE listener, as istiod's AllowsAttachmentFromNamespace).
 */
export function waypointProblem(ctx: CheckContext, ref: { namespace: string; name: string; own: boolean; namespaceWritten: boolean }, kind: 'workload' | 'service', ns: string): WaypointProblem | undefined {
  ctx.read(`K:${GW_KIND}`);
  const gw = ctx.inv.gatewayApi.Gateway.find((g) => nsOf(g) === ref.namespace && g.ref.name === ref.name);
  const where = `${ref.namespace}/${ref.name}`;
  if (!gw) {
    const others = ctx.inv.gatewayApi.Gateway.filter((g) => g.ref.name === ref.name && nsOf(g) !== ref.namespace);
    const label = ref.own ? `the ${kind}'s istio.io/use-waypoint label` : `the istio.io/use-waypoint label of namespace ${ns}`;
    if (others.length > 0 && !ref.namespaceWritten) {
      const other = nsOf(others[0]!);
      return {
        message: `${label} names waypoint ${ref.name}, which is looked up in namespace ${ref.namespace} (no istio.io/use-waypoint-namespace label) and does not exist there; a waypoint of that name exists in namespace ${other}.`,
        fix: `Add the label istio.io/use-waypoint-namespace: ${other} next to istio.io/use-waypoint.`,
        others,
      };
    }
    return {
      message: `${label} names waypoint ${where}, which does not exist: istiod cannot bind it (WaypointBound=False), so the L7 policies and routes meant for it are not applied.`,
      fix: `Create the waypoint (istioctl waypoint apply -n ${ref.namespace} --name ${ref.name}), or correct the label.`,
      others,
    };
  }
  const hbone = listenersOf(gw).filter((l) => l.protocol === 'HBONE');
  if (hbone.length === 0) {
    return {
      message: `Waypoint ${where} has no HBONE listener (waypoints listen on port 15008 with protocol HBONE), so it cannot receive the mesh traffic it is named for.`,
      fix: `Make ${where} a waypoint (gatewayClassName: istio-waypoint with an HBONE listener on 15008; istioctl waypoint apply creates one), or name another waypoint.`,
      waypoint: gw, others: [],
    };
  }
  const forWhat = gw.object.metadata.labels?.['istio.io/waypoint-for'] ?? 'service';
  if (ref.own && forWhat !== 'all' && forWhat !== kind) {
    return {
      message: `Waypoint ${where} serves ${forWhat === 'none' ? 'no' : `${forWhat}`} traffic (istio.io/waypoint-for: ${forWhat}${gw.object.metadata.labels?.['istio.io/waypoint-for'] ? '' : ', the default'}), so the ${kind} traffic this ${kind} sends it never goes through it.`,
      fix: `Label the waypoint istio.io/waypoint-for: ${kind === 'workload' ? 'workload (or all)' : 'service (or all)'}, or enroll the ${kind === 'workload' ? 'Service' : 'workload'} instead.`,
      waypoint: gw, others: [],
    };
  }
  if (ref.namespace !== ns && !hbone.some((l) => listenerAdmitsNamespace(ctx, gw, l, ns))) {
    return {
      message: `Waypoint ${where} is in another namespace, and its HBONE listener does not admit namespace ${ns} (allowedRoutes.namespaces.from: ${rec(rec(hbone[0]!.spec.allowedRoutes).namespaces).from ?? 'Same, the default'}): istiod does not let ${ns} use it, so the L7 policies and routes meant for it are not applied.`,
      fix: `Set allowedRoutes.namespaces.from: All (or a Selector matching ${ns}) on the waypoint's HBONE listener.`,
      waypoint: gw, others: [],
    };
  }
  return undefined;
}
