/**
 * A namespace's mesh settings: the mTLS mode its sidecars accept (PeerAuthentication: namespace-wide, else
 * mesh-wide in the root namespace, else Istio's default PERMISSIVE — reference istio.md §3.15) and how sidecars get
 * into its pods (injection and revision labels).
 */
import type { InjectionStatus, InventoryObject, MtlsMode, MtlsStatus, ObjectRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { checkIndex } from '../checks/index-build.js';

const MODES = new Set<MtlsMode>(['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET']);

/** The mode a PeerAuthentication sets (`spec.mtls.mode`; absent or unknown is UNSET, which inherits). */
export function peerAuthenticationMode(pa: InventoryObject): MtlsMode {
  const mode: unknown = pa.object.spec?.mtls?.mode;
  return typeof mode === 'string' && MODES.has(mode as MtlsMode) ? (mode as MtlsMode) : 'UNSET';
}

function hasSelector(pa: InventoryObject): boolean {
  const l = pa.object.spec?.selector?.matchLabels;
  return !!l && typeof l === 'object' && Object.keys(l).length > 0;
}

const ref = (o: InventoryObject): ObjectRef => ({ kind: o.ref.kind, namespace: o.ref.namespace, name: o.ref.name });

/**
 * The selector-less PeerAuthentication of a namespace: the oldest when there are several (Istio's choice; KIA0002
 * flags the conflict), by name when creation times are equal or unknown.
 */
function namespacePolicy(list: InventoryObject[]): InventoryObject | undefined {
  const wide = list.filter((pa) => !hasSelector(pa));
  if (wide.length <= 1) return wide[0];
  return [...wide].sort((a, b) => (a.object.metadata.creationTimestamp ?? '').localeCompare(b.object.metadata.creationTimestamp ?? '') || a.ref.name.localeCompare(b.ref.name))[0];
}

/** The mesh-wide mTLS mode: a selector-less PeerAuthentication in the root namespace, else Istio's default (PERMISSIVE). */
export function meshMtls(inv: Inventory): MtlsStatus {
  const root = inv.meshConfig.rootNamespace;
  const pa = namespacePolicy(checkIndex(inv).byNamespace('PeerAuthentication').get(root) ?? []);
  const mode = pa ? peerAuthenticationMode(pa) : 'UNSET';
  if (pa && mode !== 'UNSET') return { mode, source: 'mesh', policy: ref(pa), workloadPolicies: [] };
  return { mode: 'PERMISSIVE', source: 'default', workloadPolicies: [] };
}

/**
 * The mTLS mode of `namespace`: its own selector-less PeerAuthentication unless that one says UNSET, else the
 * mesh-wide one, else PERMISSIVE. Selector PeerAuthentications are listed as possible per-workload overrides.
 */
export function namespaceMtls(inv: Inventory, namespace: string): MtlsStatus {
  const list = checkIndex(inv).byNamespace('PeerAuthentication').get(namespace) ?? [];
  const workloadPolicies = list.filter(hasSelector).map(ref).sort((a, b) => a.name.localeCompare(b.name));
  const mesh = meshMtls(inv);
  if (namespace === inv.meshConfig.rootNamespace) return { ...mesh, workloadPolicies };
  const pa = namespacePolicy(list);
  const mode = pa ? peerAuthenticationMode(pa) : 'UNSET';
  if (pa && mode !== 'UNSET') return { mode, source: 'namespace', policy: ref(pa), workloadPolicies };
  return { ...mesh, workloadPolicies };
}

/**
 * How sidecars reach the namespace's pods: `istio-injection` decides when set (enabled → the default revision),
 * else `istio.io/rev` (that revision), else `istio.io/dataplane-mode=ambient`; more than one of them is a conflict
 * (IST0123).
 */
export function namespaceInjection(labels: Record<string, string>): InjectionStatus {
  const inj = labels['istio-injection'];
  const rev = labels['istio.io/rev'];
  const dataplane = labels['istio.io/dataplane-mode'];
  const present = [inj, rev, dataplane].filter((v) => v !== undefined).length;
  const out: InjectionStatus = { mode: 'unset' };
  if (inj === 'enabled') Object.assign(out, { mode: 'enabled', label: `istio-injection=${inj}`, revision: rev ?? 'default' });
  else if (inj !== undefined) Object.assign(out, { mode: 'disabled', label: `istio-injection=${inj}` });
  else if (rev !== undefined) Object.assign(out, { mode: 'revision', label: `istio.io/rev=${rev}`, revision: rev });
  else if (dataplane === 'ambient') Object.assign(out, { mode: 'ambient', label: `istio.io/dataplane-mode=${dataplane}` });
  if (present > 1) out.conflicting = true;
  return out;
}

/** Whether a pod with these labels in a namespace with these labels is in the ambient mesh (no sidecar, not opted out). */
export function isAmbient(podLabels: Record<string, string>, namespaceLabels: Record<string, string>, hasSidecar: boolean): boolean {
  if (hasSidecar) return false;
  const pod = podLabels['istio.io/dataplane-mode'];
  if (pod === 'ambient') return true;
  if (pod === 'none') return false;
  return namespaceLabels['istio.io/dataplane-mode'] === 'ambient';
}
