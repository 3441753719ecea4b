/** The Sidecar resource that scopes a workload's outbound config and may override the outbound traffic policy (reference §3.14, §3.8). */
import type { InventoryObject, RuleRef } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { labelsMatch } from '../inventory/query.js';
import { parseScopedHost, scopedHostAdmits, type ScopedHost } from '../hosts/names.js';
import { ruleRef, shortName } from './refs.js';

export interface SidecarScope {
  /** The Sidecar that applies, if any. */
  obj?: InventoryObject;
  /** Egress listeners; undefined when the Sidecar (or its absence) imports everything. */
  egress?: Array<{ port?: number; hosts: ScopedHost[]; path: string }>;
  outboundPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** Where the policy comes from (Sidecar field or mesh config); undefined for Istio's built-in default. */
  policyRef?: RuleRef;
  policySource: 'sidecar' | 'mesh' | 'default';
}

/**
 * The Sidecar of a workload: one with a matching `workloadSelector` in its namespace, else the namespace-wide one,
 * else the root namespace's selector-less Sidecar (the mesh default) (reference §3.14).
 */
export function sidecarScopeFor(inv: Inventory, workload: WorkloadView): SidecarScope {
  const sidecars = inv.istio.Sidecar;
  const selectorOf = (o: InventoryObject): Record<string, string> | undefined => o.object.spec?.workloadSelector?.labels;
  const obj = sidecars.find((s) => s.ref.namespace === workload.namespace && selectorOf(s) && labelsMatch(selectorOf(s), workload.labels))
    ?? sidecars.find((s) => s.ref.namespace === workload.namespace && !selectorOf(s))
    ?? sidecars.find((s) => s.ref.namespace === inv.meshConfig.rootNamespace && !selectorOf(s));
  const mode: unknown = obj?.object.spec?.outboundTrafficPolicy?.mode;
  let outboundPolicy = inv.meshConfig.outboundTrafficPolicy;
  let policyRef: RuleRef | undefined;
  let policySource: SidecarScope['policySource'] = 'default';
  if (obj && (mode === 'REGISTRY_ONLY' || mode === 'ALLOW_ANY')) {
    outboundPolicy = mode;
    policySource = 'sidecar';
    policyRef = ruleRef(obj, 'spec.outboundTrafficPolicy.mode', `Sidecar ${shortName(obj)} sets outboundTrafficPolicy ${mode} for this workload, overriding the mesh config.`);
  } else if (inv.meshConfig.obj) {
    policySource = 'mesh';
    policyRef = ruleRef(inv.meshConfig.obj, 'data.mesh', `The mesh config sets outboundTrafficPolicy ${outboundPolicy}.`);
  }
  const egressSpec: unknown = obj?.object.spec?.egress;
  const ownNs = obj?.ref.namespace ?? workload.namespace;
  const egress = Array.isArray(egressSpec)
    ? egressSpec.map((e: { port?: { number?: unknown }; hosts?: unknown }, i: number) => ({
      port: typeof e?.port?.number === 'number' ? e.port.number : undefined,
      // `.` in a root-namespace Sidecar means the workload's own namespace, as the Sidecar is applied there
      hosts: (Array.isArray(e?.hosts) ? e.hosts : []).filter((h): h is string => typeof h === 'string').map((h) => parseScopedHost(h, obj?.ref.namespace === inv.meshConfig.rootNamespace ? workload.namespace : ownNs)),
      path: `spec.egress[${i}]`,
    }))
    : undefined;
  return { obj, egress, outboundPolicy, policyRef, policySource };
}

/**
 * True when the Sidecar imports config written in `namespace` for `host` (on `port`): some egress host admits it
 * and no `~` exclusion does. Without a Sidecar or without `egress`, everything exported to the namespace is imported.
 */
export function sidecarImports(scope: SidecarScope | undefined, namespace: string, host: string, port?: number): boolean {
  if (!scope?.egress) return true;
  return scope.egress.some((listener) => {
    if (listener.port !== undefined && port !== undefined && listener.port !== port) return false;
    const included = listener.hosts.some((h) => !h.exclude && scopedHostAdmits(h, namespace, host));
    const excluded = listener.hosts.some((h) => h.exclude && scopedHostAdmits(h, namespace, host));
    return included && !excluded;
  });
}
