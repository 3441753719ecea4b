/**
 * The server side of mTLS: which PeerAuthentication decides the mode a workload port accepts (reference §3.15).
 * Scope: a selector PeerAuthentication of the workload's namespace, then the namespace-wide one, then the mesh-wide one
 * (root namespace, no selector); `UNSET` inherits from the next scope, none at all means PERMISSIVE; `portLevelMtls`
 * (keyed by the workload's port, only with a selector) overrides the workload's mode on that port.
 */
import type { InventoryObject, ObjectRef, RuleRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { labelsMatch } from '../inventory/query.js';
import { childPath, ruleRef, shortName } from './refs.js';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** The mode a server port accepts, and the PeerAuthentication field that set it. */
export interface PeerAuthnResolution {
  mode: MtlsMode;
  /** The deciding field (and the policies it inherits from), empty when Istio's default (PERMISSIVE) applies. */
  refs: RuleRef[];
  /** "PeerAuthentication demo/strict (namespace-wide) sets STRICT (spec.mtls.mode)". */
  words: string;
  policy?: ObjectRef;
}

/** Oldest first, then by name: Istio uses the oldest of several policies of one scope. */
function oldestFirst(a: InventoryObject, b: InventoryObject): number {
  const ta = Date.parse(String(a.object.metadata?.creationTimestamp ?? '')) || 0;
  const tb = Date.parse(String(b.object.metadata?.creationTimestamp ?? '')) || 0;
  return ta - tb || shortName(a).localeCompare(shortName(b));
}

function modeOf(v: unknown): MtlsMode | undefined {
  return v === 'STRICT' || v === 'PERMISSIVE' || v === 'DISABLE' ? v : undefined;
}

function selectorOf(pa: InventoryObject): Record<string, string> | undefined {
  const labels: unknown = pa.object.spec?.selector?.matchLabels;
  return labels && typeof labels === 'object' && Object.keys(labels).length > 0 ? (labels as Record<string, string>) : undefined;
}

/** The PeerAuthentication mode of `port` (a workload port) on a workload in `namespace` with `labels`. */
export function peerAuthenticationFor(inv: Inventory, namespace: string, labels: Record<string, string>, port: number): PeerAuthnResolution {
  const root = inv.meshConfig.rootNamespace;
  const all = [...inv.istio.PeerAuthentication].sort(oldestFirst);
  const workloadPa = all.find((pa) => pa.ref.namespace === namespace && selectorOf(pa) && labelsMatch(selectorOf(pa)!, labels));
  const namespacePa = all.find((pa) => pa.ref.namespace === namespace && !selectorOf(pa));
  const meshPa = all.find((pa) => pa.ref.namespace === root && !selectorOf(pa));
  const scopes: Array<[InventoryObject | undefined, string]> = [[workloadPa, 'workload'], [namespacePa, 'namespace-wide'], [meshPa, 'mesh-wide']];

  if (workloadPa) {
    const levels: unknown = workloadPa.object.spec?.portLevelMtls;
    const level = levels && typeof levels === 'object' ? (levels as Record<string, { mode?: unknown }>)[String(port)] : undefined;
    const mode = modeOf(level?.mode);
    if (mode) {
      const path = `${childPath('spec.portLevelMtls', String(port))}.mode`;
      return {
        mode, policy: { ...workloadPa.ref },
        refs: [ruleRef(workloadPa, path, `PeerAuthentication ${shortName(workloadPa)} sets ${mode} on port ${port}.`)],
        words: `PeerAuthentication ${shortName(workloadPa)} sets ${mode} on port ${port} (${path})`,
      };
    }
  }
  const inherited: string[] = [];
  for (const [pa, scope] of scopes) {
    if (!pa) continue;
    const mode = modeOf(pa.object.spec?.mtls?.mode);
    if (!mode) {
      inherited.push(`PeerAuthentication ${shortName(pa)} (${scope}) leaves the mode UNSET`);
      continue;
    }
    return {
      mode, policy: { ...pa.ref },
      refs: [ruleRef(pa, 'spec.mtls.mode', `PeerAuthentication ${shortName(pa)} (${scope}) sets ${mode}.`)],
      words: `${inherited.length > 0 ? `${inherited.join('; ')}; ` : ''}PeerAuthentication ${shortName(pa)} (${scope}) sets ${mode} (spec.mtls.mode)`,
    };
  }
  return {
    mode: 'PERMISSIVE', refs: [],
    words: `${inherited.length > 0 ? `${inherited.join('; ')}; ` : ''}no PeerAuthentication sets a mode for it, so Istio's default PERMISSIVE applies`,
  };
}

/** `cluster.local/ns/<ns>/sa/<sa>` from a SPIFFE id, a bare principal or `<ns>/<sa>`. */
export function normalizePrincipal(value: string, trustDomain: string): string {
  const v = value.trim().replace(/^spiffe:\/\//, '');
  if (/^[^/]+\/ns\/[^/]+\/sa\/[^/]+/.test(v)) return v;
  const short = /^([^/]+)\/([^/]+)$/.exec(v);
  return short ? `${trustDomain}/ns/${short[1]}/sa/${short[2]}` : v;
}

/** The namespace in a principal (`…/ns/<ns>/…`), as Istio's `source.namespace` reads it. */
export function namespaceOfPrincipal(principal: string): string | undefined {
  return /\/ns\/([^/]+)\//.exec(principal)?.[1];
}
