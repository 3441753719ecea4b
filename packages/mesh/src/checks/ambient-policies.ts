/**
 * L7 config in ambient mode (Kiali's ambient_policy_checker.go): ztunnel enforces L4 only, so L7 policy, routing and
 * telemetry take effect only through a waypoint — for workloads and Services enrolled to use one
 * (istio.io/use-waypoint), and, for policies, only when attached with targetRefs (waypoints ignore selectors).
 * - AuthorizationPolicy (KIA0109 not enrolled, KIA0110 no targetRefs), RequestAuthentication (KIA1110/KIA1115),
 *   WasmPlugin (KIA1111/KIA1116), Telemetry with tracing, access logging or metric overrides (KIA1112/KIA1117): in an
 *   ambient namespace. Unlike Kiali, a policy whose selector picks only sidecar (or opted-out) workloads is left
 *   alone — sidecars enforce it — and a policy with targetRefs is judged by the enrollment of the Services it
 *   targets, not by its namespace's label.
 * - DestinationRule with L7 traffic policy (KIA0210/0211/0212) and VirtualService with HTTP or TLS routes for mesh
 *   traffic (KIA1109/1113/1114): judged by the destination Service — in an ambient namespace, it must be enrolled
 *   (0211/1113) and the config must live in its namespace (0212/1114; not asked of config in a sidecar namespace,
 *   which its sidecars apply); with no ambient Service among the hosts, the config's own namespace must be enrolled.
 * - MLS0701: a VirtualService and a Gateway API route both configuring a Service served by a waypoint; Istio calls
 *   mixing the two APIs on a waypoint unsupported (undefined behaviour).
 * - MLS0603 (IST0166): a policy whose selector (no targetRef) picks the pods of a Gateway API gateway or waypoint.
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames, type RefInput } from './finding.js';
import { fqdn, podsSelected, rec, workloadsSelected } from './lookup.js';
import { hostReadKeys } from './keys.js';
import { selectorOf } from './selectors.js';
import { inAmbientMesh, waypoints } from '../inventory/ambient.js';
import { isWildcard } from '../hosts/names.js';
import type { ServiceView } from '../inventory/types.js';
import {
  enrolledForWaypoint, l7AuthorizationField, l7DestinationRuleField, l7TelemetryField, namedWaypoint, namespaceOf, targetRefsOf,
  virtualServiceNeedsWaypoint, type L7Field,
} from './ambient-l7.js';
import { GRPC_ROUTE_KIND, GW_KIND, HTTP_ROUTE_KIND, parentRefsOf } from './gateway-api-refs.js';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

interface PolicyCodes {
  noWaypoint: string;
  noTargetRefs: string;
}

const POLICY_CODES: Record<string, PolicyCodes> = {
  AuthorizationPolicy: { noWaypoint: 'KIA0109', noTargetRefs: 'KIA0110' },
  RequestAuthentication: { noWaypoint: 'KIA1110', noTargetRefs: 'KIA1115' },
  WasmPlugin: { noWaypoint: 'KIA1111', noTargetRefs: 'KIA1116' },
  Telemetry: { noWaypoint: 'KIA1112', noTargetRefs: 'KIA1117' },
};

/** What makes a policy L7, or undefined for a policy ztunnel can enforce. */
function l7Of(obj: InventoryObject): L7Field | undefined {
  switch (obj.ref.kind) {
    case 'AuthorizationPolicy': return l7AuthorizationField(obj);
    case 'RequestAuthentication': return { path: 'spec.jwtRules', what: 'JWT validation' };
    case 'WasmPlugin': return { path: 'spec.url', what: 'a Wasm extension' };
    case 'Telemetry': return l7TelemetryField(obj);
    default: return undefined;
  }
}

/** The waypoint a fix can name: the one of the namespace, if there is exactly one. */
function waypointHint(ctx: CheckContext, ns: string): string {
  ctx.read(`K:${GW_KIND}`);
  const mine = waypoints(ctx.inv).filter((w) => nsOf(w) === ns);
  return mine.length === 1 ? mine[0]!.ref.name : '<waypoint>';
}

function enrollFix(ctx: CheckContext, ns: string, what: string): string {
  const wp = waypointHint(ctx, ns);
  return wp === '<waypoint>'
    ? `Deploy a waypoint and enroll ${what} (istioctl waypoint apply -n ${ns} --enroll-namespace, or label ${what} istio.io/use-waypoint=<waypoint>).`
    : `Enroll ${what} in waypoint ${ns}/${wp}: label ${what} istio.io/use-waypoint=${wp}.`;
}

/** MLS0603: the selector picks the pods of Gateway API gateways, which apply only targetRef policies. */
function gatewayPodSelector(ctx: CheckContext, obj: InventoryObject): Finding[] {
  if (targetRefsOf(obj).length > 0) return [];
  const spec = rec(obj.object.spec);
  if (!spec.selector) return [];
  const { labels, path } = selectorOf(obj);
  const pods = podsSelected(ctx, labels ?? {}, nsOf(obj)).filter((p) => p.labels[GATEWAY_NAME_LABEL] !== undefined);
  const gateways = [...new Set(pods.map((p) => p.labels[GATEWAY_NAME_LABEL]!))];
  return gateways.map((name) => {
    ctx.read(`K:${GW_KIND}`);
    const gw = ctx.inv.gatewayApi.Gateway.find((g) => nsOf(g) === nsOf(obj) && g.ref.name === name);
    return makeFinding(obj, 'MLS0603', labels ? path : 'spec.selector',
      `The selector picks the pods of Gateway API gateway ${nsOf(obj)}/${name}, where a selector is ineffective: Istio applies policies to Kubernetes gateways (and waypoints) through targetRefs.`,
      `Replace the selector with targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: ${name}}].`,
      gw ? [{ obj: gw, path: 'metadata.name', note: 'the gateway whose pods are selected' }] : []);
  });
}

/** KIA0109/0110 and their RequestAuthentication, WasmPlugin and Telemetry twins. */
function selectorPolicy(ctx: CheckContext, obj: InventoryObject): Finding[] {
  const codes = POLICY_CODES[obj.ref.kind]!;
  const ns = nsOf(obj);
  const nsView = namespaceOf(ctx, ns);
  if (!nsView?.ambient) return [];
  const l7 = l7Of(obj);
  if (!l7) return [];
  const kind = obj.ref.kind;
  const targets = targetRefsOf(obj);
  const { labels: selector, path: selectorPath } = selectorOf(obj);
  ctx.read(`W:${ns}`);
  const selected = selector ? workloadsSelected(ctx, selector, ns) : [];
  const ambient = selected.filter((w) => !w.isGatewayProxy && inAmbientMesh(ctx.inv, w));
  // a selector picking only sidecar (or opted-out) workloads, or only gateway pods (MLS0603), is not ambient's business
  if (selector && targets.length === 0 && ambient.length === 0 && selected.length > 0) return [];
  const out: Finding[] = [];
  const nsRef: RefInput[] = nsView.obj ? [{ obj: nsView.obj, path: 'metadata.labels', note: 'ambient namespace' }] : [];
  if (targets.length === 0) {
    const how = selector ? `its selector (${selectorPath})` : 'being namespace-wide (no selector)';
    out.push(makeFinding(obj, codes.noTargetRefs, selector ? selectorPath : l7.path,
      `This ${kind} uses ${l7.what} (${l7.path}), which only a waypoint can apply in ambient namespace ${ns}; but it attaches by ${how}, and waypoints apply only policies attached with targetRefs. ztunnel, which does apply selector and namespace-wide policies, cannot evaluate ${l7.what}${kind === 'AuthorizationPolicy' ? ' and enforces the policy more strictly than written (failing closed)' : ', so it has no effect'}.`,
      `Attach it with targetRefs to the Service (kind: Service) or the waypoint (kind: Gateway, group: gateway.networking.k8s.io) instead of ${selector ? 'the selector' : 'the namespace'}, and make sure that Service or namespace uses the waypoint.`, nsRef));
  }
  const notEnrolled: string[] = [];
  const refs: RefInput[] = [];
  let path = selector ? selectorPath : l7.path;
  let what = `namespace ${ns}`;
  if (targets.length > 0) {
    for (const t of targets) {
      if (t.kind !== 'Service' || (t.group !== '' && t.group !== 'core')) continue;
      const host = `${t.name}.${ns}.svc.${ctx.inv.clusterDomain}`;
      for (const k of hostReadKeys('R', host)) ctx.read(k);
      const svc = ctx.inv.servicesByHost.get(host);
      if (!svc || enrolledForWaypoint(ctx, svc.obj.object.metadata.labels ?? {}, ns)) continue;
      if (notEnrolled.length === 0) path = t.path;
      notEnrolled.push(`Service ${t.name}`);
      refs.push({ obj: svc.obj, path: 'metadata.labels', note: 'no istio.io/use-waypoint' });
    }
    what = notEnrolled.length === 1 ? notEnrolled[0]! : 'these Services';
  } else if (ambient.length > 0) {
    for (const w of ambient) {
      if (enrolledForWaypoint(ctx, w.labels, ns)) continue;
      notEnrolled.push(`${w.namespace}/${w.name}`);
      if (w.obj) refs.push({ obj: w.obj, path: w.obj.ref.kind === 'Pod' ? 'metadata.labels' : 'spec.template.metadata.labels', note: 'not enrolled to use a waypoint' });
    }
    what = notEnrolled.length === 1 ? `workload ${notEnrolled[0]}` : 'these workloads';
  } else if (!enrolledForWaypoint(ctx, {}, ns)) {
    notEnrolled.push(`namespace ${ns}`);
    refs.push(...nsRef);
  }
  if (notEnrolled.length > 0) {
    out.push(makeFinding(obj, codes.noWaypoint, path,
      `This ${kind} uses ${l7.what} (${l7.path}) in ambient namespace ${ns}, but it applies to ${someNames(notEnrolled)}, which ${notEnrolled.length > 1 ? 'are' : 'is'} not enrolled to use a waypoint (istio.io/use-waypoint): ${notEnrolled.length > 1 ? 'their' : 'its'} traffic passes through ztunnel only, which cannot apply ${l7.what}.`,
      enrollFix(ctx, ns, notEnrolled.length === 1 && notEnrolled[0]!.startsWith('namespace') ? `namespace ${ns}` : what), refs));
  }
  return out;
}

/** The Service a VS/DR host names, if it is one (`reviews`, `reviews.shop.svc.cluster.local`, `reviews.shop`). */
function serviceOfHost(ctx: CheckContext, host: string, ns: string): ServiceView | undefined {
  if (host === '' || isWildcard(host)) return undefined;
  const full = fqdn(ctx, host, ns);
  const candidates = [full];
  if (host.split('.').length === 2) candidates.push(`${host}.svc.${ctx.inv.clusterDomain}`);
  for (const h of candidates) {
    for (const k of hostReadKeys('R', h)) ctx.read(k);
    const svc = ctx.inv.servicesByHost.get(h);
    if (svc) return svc;
  }
  return undefined;
}

interface HostCodes {
  notCaptured: string;
  notInNamespace: string;
  noWaypoint: string;
}

/** KIA0210-0212 / KIA1109, 1113, 1114: L7 DestinationRule or VirtualService against ambient destination Services. */
function hostBased(ctx: CheckContext, obj: InventoryObject, hosts: Array<{ host: string; path: string }>, codes: HostCodes, l7: L7Field): Finding[] {
  const ns = nsOf(obj);
  const kind = obj.ref.kind;
  const own = namespaceOf(ctx, ns);
  const out: Finding[] = [];
  const seen = new Set<string>();
  let resolved = false;
  for (const { host, path } of hosts) {
    const svc = serviceOfHost(ctx, host, ns);
    if (!svc) continue;
    const svcNs = namespaceOf(ctx, svc.namespace);
    if (!svcNs?.ambient) continue;
    resolved = true;
    const key = `${svc.namespace}/${svc.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const svcRef: RefInput = { obj: svc.obj, path: 'metadata.name', note: 'ambient destination Service' };
    // a sidecar namespace's config is applied by its own sidecars; only ambient clients depend on the waypoint
    const sidecarClients = !!own && own.injection && !own.ambient;
    if (svc.namespace !== ns && !sidecarClients) {
      out.push(makeFinding(obj, codes.notInNamespace, path,
        `${l7.what[0]!.toUpperCase()}${l7.what.slice(1)} for Service ${key} (in ambient namespace ${svc.namespace}) is set by this ${kind} in namespace ${ns}; a waypoint applies ${kind}s from the destination Service's own namespace only, so this one does not take effect for ambient traffic to ${svc.name}.`,
        `Move this ${kind} to namespace ${svc.namespace}.`, [svcRef]));
    }
    if (!enrolledForWaypoint(ctx, svc.obj.object.metadata.labels ?? {}, svc.namespace)) {
      out.push(makeFinding(obj, codes.notCaptured, path,
        `This ${kind} sets ${l7.what} for Service ${key}, which is in ambient namespace ${svc.namespace} but not enrolled to use a waypoint (istio.io/use-waypoint on the Service or its namespace): traffic from ambient clients goes through ztunnel only and ignores it (sidecar clients and gateways still apply it).`,
        enrollFix(ctx, svc.namespace, `Service ${svc.name}`), [{ obj: svc.obj, path: 'metadata.labels', note: 'no istio.io/use-waypoint' }]));
    }
  }
  if (!resolved && own?.ambient && !enrolledForWaypoint(ctx, {}, ns) && hosts.length > 0) {
    out.push(makeFinding(obj, codes.noWaypoint, hosts[0]!.path,
      `This ${kind} sets ${l7.what} in ambient namespace ${ns}, which is not enrolled to use a waypoint (istio.io/use-waypoint): ambient traffic goes through ztunnel only, which applies no ${l7.what}.`,
      enrollFix(ctx, ns, `namespace ${ns}`), own.obj ? [{ obj: own.obj, path: 'metadata.labels', note: 'ambient, no istio.io/use-waypoint' }] : []));
  }
  return out;
}

/** MLS0701: the VirtualService's mesh host is a waypoint-served Service that Gateway API routes also configure. */
function mixedOnWaypoint(ctx: CheckContext, vs: InventoryObject, hosts: Array<{ host: string; path: string }>): Finding[] {
  const out: Finding[] = [];
  const ns = nsOf(vs);
  const seen = new Set<string>();
  for (const { host, path } of hosts) {
    const svc = serviceOfHost(ctx, host, ns);
    if (!svc || seen.has(`${svc.namespace}/${svc.name}`)) continue;
    seen.add(`${svc.namespace}/${svc.name}`);
    if (!namespaceOf(ctx, svc.namespace)?.ambient) continue;
    const wp = namedWaypoint(ctx, svc.obj.object.metadata.labels ?? {}, svc.namespace);
    if (!wp) continue;
    ctx.read(`K:${HTTP_ROUTE_KIND}`);
    ctx.read(`K:${GRPC_ROUTE_KIND}`);
    const routes = [...ctx.inv.gatewayApi.HTTPRoute, ...ctx.inv.gatewayApi.GRPCRoute].flatMap((r) => parentRefsOf(r)
      .filter((p) => p.kind === 'Service' && p.group === '' && p.name === svc.name && p.namespace === svc.namespace)
      .slice(0, 1).map((p) => ({ r, p })));
    if (routes.length === 0) continue;
    out.push(makeFinding(vs, 'MLS0701', path,
      `Service ${svc.namespace}/${svc.name} is served by waypoint ${wp.namespace}/${wp.name}, and both this VirtualService and ${someNames(routes.map(({ r }) => `${r.object.kind} ${nsName(r)}`))} configure its traffic. Istio supports VirtualService on waypoints only as an alpha feature and does not support mixing it with Gateway API routes: which rules the waypoint applies is undefined.`,
      `Move these rules into the Gateway API route${routes.length > 1 ? 's' : ''} (the API waypoints are built for) and delete this VirtualService, or drop the route${routes.length > 1 ? 's' : ''}.`,
      routes.slice(0, 3).map(({ r, p }) => ({ obj: r, path: `${p.path}.name`, note: `also attached to Service ${svc.name}` }))));
  }
  return out;
}

export const ambientPolicies: Check = {
  name: 'ambient-policies',
  kinds: ['AuthorizationPolicy', 'RequestAuthentication', 'WasmPlugin', 'Telemetry'],
  run(ctx, obj) {
    return [...selectorPolicy(ctx, obj), ...gatewayPodSelector(ctx, obj)];
  },
};

export const ambientRouting: Check = {
  name: 'ambient-routing',
  kinds: ['DestinationRule', 'VirtualService'],
  run(ctx, obj) {
    const spec = rec(obj.object.spec);
    if (obj.ref.kind === 'DestinationRule') {
      const l7 = l7DestinationRuleField(obj);
      if (!l7 || typeof spec.host !== 'string') return [];
      return hostBased(ctx, obj, [{ host: spec.host, path: 'spec.host' }], { notCaptured: 'KIA0211', notInNamespace: 'KIA0212', noWaypoint: 'KIA0210' }, l7);
    }
    if (!virtualServiceNeedsWaypoint(obj)) return [];
    const hosts = (Array.isArray(spec.hosts) ? spec.hosts : []).flatMap((h: unknown, i: number) => (typeof h === 'string' ? [{ host: h, path: `spec.hosts[${i}]` }] : []));
    const l7: L7Field = { path: spec.http ? 'spec.http' : 'spec.tls', what: spec.http ? 'HTTP routing' : 'TLS routing' };
    return [
      ...hostBased(ctx, obj, hosts, { notCaptured: 'KIA1113', notInNamespace: 'KIA1114', noWaypoint: 'KIA1109' }, l7),
      ...mixedOnWaypoint(ctx, obj, hosts),
    ];
  },
};
