/**
 * Which AuthorizationPolicies (and RequestAuthentications) a server proxy enforces (reference §3.16): by `selector`
 * (same namespace; in the root namespace: every namespace), namespace-wide (no selector), mesh-wide (root namespace,
 * no selector), or by `targetRefs` — a Gateway API Gateway (its deployed proxy), a GatewayClass (root namespace), a
 * Service or ServiceEntry (enforced by its waypoint). A policy with `targetRefs` never applies by selector or
 * namespace, so sidecars ignore it.
 */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { labelsMatch } from '../inventory/query.js';
import { shortName } from './refs.js';

/** The server side of a hop that enforces policies. */
export interface PolicyServer {
  kind: 'sidecar' | 'gateway' | 'ztunnel' | 'waypoint';
  /** The workload whose proxy (or, for ztunnel, whose pods) the request reaches. */
  workload: WorkloadView;
  /** For a waypoint: the Services (`ns/name`) and Gateway (`ns/name`) it serves this request for. */
  services?: string[];
  gateway?: string;
}

/** A policy that applies, and how it was chosen (for explanations). */
export interface SelectedPolicy {
  obj: InventoryObject;
  scope: string;
}

/** `istio.io/dry-run: "true"`: the policy is evaluated in shadow mode only. */
export function isDryRun(obj: InventoryObject): boolean {
  return String(obj.object.metadata?.annotations?.['istio.io/dry-run'] ?? '').toLowerCase() === 'true';
}

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const GW_GROUP = 'gateway.networking.k8s.io';

interface TargetRef { group?: string; kind?: string; name?: string; namespace?: string }

function targetRefsOf(obj: InventoryObject): TargetRef[] {
  const spec = obj.object.spec ?? {};
  const refs: unknown[] = [...(Array.isArray(spec.targetRefs) ? spec.targetRefs : []), ...(spec.targetRef ? [spec.targetRef] : [])];
  return refs.filter((r): r is TargetRef => !!r && typeof r === 'object');
}

function selectorOf(obj: InventoryObject): Record<string, string> | undefined {
  const labels: unknown = obj.object.spec?.selector?.matchLabels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined;
}

/** The policies of `kind` a server enforces, in evaluation order (root namespace first, then by namespace and name). */
export function policiesFor(inv: Inventory, kind: 'AuthorizationPolicy' | 'RequestAuthentication', server: PolicyServer): SelectedPolicy[] {
  const root = inv.meshConfig.rootNamespace;
  const w = server.workload;
  const out: SelectedPolicy[] = [];
  for (const obj of inv.istio[kind]) {
    const ns = obj.ref.namespace ?? 'default';
    const targets = targetRefsOf(obj);
    if (targets.length > 0) {
      const hit = targets.find((t) => {
        const tns = t.namespace ?? ns;
        if ((t.kind === 'Gateway' && (t.group ?? GW_GROUP) === GW_GROUP)) {
          // a Gateway API Gateway's own proxy, or the waypoint Gateway
          if (server.kind === 'waypoint') return `${tns}/${t.name}` === server.gateway;
          return server.kind === 'gateway' && tns === w.namespace && w.labels[GATEWAY_NAME_LABEL] === t.name;
        }
        if (t.kind === 'GatewayClass') return ns === root && (server.kind === 'gateway' || server.kind === 'waypoint') && w.labels['gateway.networking.k8s.io/gateway-class-name'] === t.name;
        if (t.kind === 'Service' || t.kind === 'ServiceEntry') return server.kind === 'waypoint' && (server.services ?? []).includes(`${tns}/${t.name}`);
        return false;
      });
      if (hit) out.push({ obj, scope: `targetRefs ${hit.kind} ${hit.namespace ?? ns}/${hit.name}` });
      continue;
    }
    // waypoints enforce only policies that target them
    if (server.kind === 'waypoint') continue;
    const selector = selectorOf(obj);
    const hasSelector = selector !== undefined && Object.keys(selector).length > 0;
    if (ns === root) {
      if (!hasSelector) out.push({ obj, scope: `mesh-wide (root namespace ${root})` });
      else if (labelsMatch(selector, w.labels)) out.push({ obj, scope: `root namespace selector, any namespace` });
      continue;
    }
    if (ns !== w.namespace) continue;
    if (!hasSelector) out.push({ obj, scope: `namespace-wide (${ns})` });
    else if (labelsMatch(selector, w.labels)) out.push({ obj, scope: 'workload selector' });
  }
  const rank = (p: SelectedPolicy) => ((p.obj.ref.namespace ?? '') === root ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || shortName(a.obj).localeCompare(shortName(b.obj)));
}

/** The action of an AuthorizationPolicy (`ALLOW` when unset). */
export function actionOf(obj: InventoryObject): 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT' {
  const a: unknown = obj.object.spec?.action;
  return a === 'DENY' || a === 'CUSTOM' || a === 'AUDIT' ? a : 'ALLOW';
}

/**
 * Whether a RequestAuthentication of the server accepts a JWT from `issuer`: the request principal exists only then.
 * Returns the accepting object, or why the token gives no principal.
 */
export function jwtAcceptedBy(inv: Inventory, server: PolicyServer, issuer: string): { obj: InventoryObject; index: number } | { why: string } {
  const ras = policiesFor(inv, 'RequestAuthentication', server);
  for (const { obj } of ras) {
    const rules: unknown = obj.object.spec?.jwtRules;
    if (!Array.isArray(rules)) continue;
    const index = rules.findIndex((r: { issuer?: unknown }) => r?.issuer === issuer);
    if (index >= 0) return { obj, index };
  }
  return ras.length === 0
    ? { why: 'no RequestAuthentication applies here, so the token is not validated and request.auth.principal stays empty' }
    : { why: `RequestAuthentication ${ras.map((r) => shortName(r.obj)).join(', ')} has no jwtRules for issuer ${issuer}, so the token gives no request principal` };
}
