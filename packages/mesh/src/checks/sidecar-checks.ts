/**
 * Sidecar checks of Kiali's catalogue:
 * - KIA1004: an `egress[].hosts` entry `namespace/dnsName` imports nothing. Istio (sidecar.go `selectServices`) keeps
 *   a Service or ServiceEntry when its namespace is the entry's (`.` = the Sidecar's, `*` = any) and its host matches
 *   dnsName as written, among the services exported to the Sidecar's namespace. Unlike Kiali, which expands short
 *   names and ignores the namespace part, Meshlens follows Istio: `./reviews` matches no `reviews.<ns>.svc…` host, and
 *   `istio-system/reviews.shop.svc.cluster.local` imports nothing since that Service lives in shop. `ns/*`, `~/…` and
 *   wildcard dnsNames that cover some visible host are fine.
 * - KIA1006: a Sidecar of the root namespace with a workloadSelector is not the mesh-wide default.
 * - KIA1007: `outboundTrafficPolicy` without `mode` is REGISTRY_ONLY (the enum's zero value), not the mesh's mode.
 *   Kiali cannot tell an explicit REGISTRY_ONLY from an empty mode and reports both ('unknown'); Meshlens reads
 *   the YAML, so it reports only the empty mode, as a warning when the mesh default is ALLOW_ANY (behaviour changes).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { arr, rec } from './lookup.js';
import { hostReadKeys } from './keys.js';
import { lookupHosts } from './index-build.js';
import { isExportedTo } from '../hosts/export-to.js';
import { hostsIntersect, isWildcard, normalizeHost } from '../hosts/names.js';
import type { RegistryEntry } from '../hosts/registry.js';

/** Registry entries (Services, ServiceEntry hosts) intersecting `host`, whatever their exportTo. */
function registryAll(ctx: CheckContext, host: string): RegistryEntry[] {
  for (const k of hostReadKeys('R', host)) ctx.read(k);
  return lookupHosts(ctx.idx.registry(), host, hostsIntersect);
}

function entryName(e: RegistryEntry): string {
  return `${e.kind} ${e.namespace}/${e.name}`;
}

/** KIA1004 for one `egress[i].hosts[j]` entry. */
function egressHost(ctx: CheckContext, sc: InventoryObject, written: string, path: string): Finding[] {
  const slash = written.indexOf('/');
  if (slash < 0) return []; // not ns/host: Istio's validation rejects it
  const own = nsOf(sc);
  const rawNs = written.slice(0, slash).trim();
  const host = normalizeHost(written.slice(slash + 1));
  if (rawNs.startsWith('~') || host === '*' || host === '') return [];
  const ns = rawNs === '.' ? own : rawNs;
  const all = registryAll(ctx, host);
  const visible = all.filter((e) => isExportedTo(e.exportTo, e.namespace, own));
  const inNs = visible.filter((e) => ns === '*' || e.namespace === ns);
  if (inNs.length > 0) return [];
  const where = ns === '*' ? 'any namespace' : `namespace ${ns}`;
  let why: string;
  let fix: string;
  const refs = visible.slice(0, 3).map((e) => ({ obj: e.obj, path: e.hostPath ?? 'metadata.name', note: `defines ${e.host} in ${e.namespace}` }));
  if (all.length === 0 && !host.includes('.') && !isWildcard(host)) {
    const expanded = `${host}.${ns === '*' ? own : ns}.svc.${ctx.inv.clusterDomain}`;
    const hit = registryAll(ctx, expanded).filter((e) => e.host === expanded);
    why = `"${written}" names the short host "${host}". Istio does not expand short names in Sidecar hosts (Kiali does): it matches only a host literally named "${host}", and none exists, so this entry imports nothing.`;
    fix = hit.length ? `Write "${rawNs}/${expanded}".` : `Write the full host name (<service>.<namespace>.svc.${ctx.inv.clusterDomain}) of the service to import.`;
    refs.push(...hit.slice(0, 1).map((e) => ({ obj: e.obj, path: 'metadata.name', note: `the host meant, ${expanded}` })));
  } else if (visible.length > 0) {
    const nss = [...new Set(visible.map((e) => e.namespace))];
    why = `${host} is defined only in namespace${nss.length > 1 ? 's' : ''} ${nss.join(', ')} (${visible.slice(0, 3).map(entryName).join(', ')}), not in ${where}: Istio imports a host from the namespace written before the "/", so this entry imports nothing.`;
    fix = `Write "${nss[0]}/${host}" (or "*/${host}").`;
  } else if (all.length > 0) {
    why = `${host} is defined (${all.slice(0, 3).map(entryName).join(', ')}) but not exported to namespace ${own} (exportTo), so this Sidecar cannot import it.`;
    fix = `Add ${own} (or "*") to the exportTo of ${all.slice(0, 3).map(entryName).join(', ')}, or remove this entry.`;
    refs.push(...all.slice(0, 3).map((e) => ({ obj: e.obj, path: e.kind === 'Service' ? 'metadata.annotations' : 'spec.exportTo', note: 'not exported to this namespace' })));
  } else {
    why = `No Service or ServiceEntry defines ${isWildcard(host) ? `a host matching ${host}` : host}${ns === '*' ? '' : ` in namespace ${ns}`}, so this entry imports nothing${isWildcard(host) ? '' : ' and the workloads get no route for it'}.`;
    fix = isWildcard(host) || host.endsWith(`.svc.${ctx.inv.clusterDomain}`)
      ? `Correct the host, or remove the entry.`
      : `Add a ServiceEntry for ${host}${ns === '*' ? '' : ` in namespace ${ns}`}, or remove the entry.`;
  }
  return [makeFinding(sc, 'KIA1004', path, why, fix, refs)];
}

export const sidecarChecks: Check = {
  name: 'sidecar-checks',
  kinds: ['Sidecar'],
  run(ctx, sc) {
    const out: Finding[] = [];
    const spec = rec(sc.object.spec);
    arr(spec.egress).forEach((eg, i) => {
      arr(rec(eg).hosts).forEach((h, j) => {
        if (typeof h === 'string') out.push(...egressHost(ctx, sc, h, `spec.egress[${i}].hosts[${j}]`));
      });
    });
    ctx.read('MESH');
    const root = ctx.inv.meshConfig.rootNamespace;
    const labels = rec(rec(spec.workloadSelector).labels);
    if (nsOf(sc) === root && Object.keys(labels).length > 0) {
      out.push(makeFinding(sc, 'KIA1006', 'spec.workloadSelector',
        `This Sidecar is in the root namespace ${root}, where only a Sidecar without workloadSelector is the mesh-wide default. With a workloadSelector it applies only to the matching workloads of ${root} itself, and namespaces without a Sidecar of their own get no default.`,
        `Remove spec.workloadSelector to make this the mesh-wide default, or move the Sidecar to the namespace of the workloads it should select.`));
    }
    if (spec.outboundTrafficPolicy !== undefined && spec.outboundTrafficPolicy !== null) {
      const mode = rec(spec.outboundTrafficPolicy).mode;
      if (mode === undefined || mode === null || mode === '') {
        const mesh = ctx.inv.meshConfig.outboundTrafficPolicy;
        const f = makeFinding(sc, 'KIA1007', 'spec.outboundTrafficPolicy',
          `outboundTrafficPolicy is set without a mode, which Istio reads as REGISTRY_ONLY (the enum's default), not as the mesh's ${mesh}${mesh === 'ALLOW_ANY' ? ': these workloads can no longer reach hosts outside the service registry' : ''}. (Kiali reports this as ambiguous because it cannot see whether mode was written.)`,
          `Write mode: REGISTRY_ONLY or mode: ALLOW_ANY explicitly, or remove outboundTrafficPolicy to inherit the mesh's ${mesh}.`,
          ctx.inv.meshConfig.obj ? [{ obj: ctx.inv.meshConfig.obj, path: 'data.mesh', note: `mesh default ${mesh}` }] : []);
        if (mesh === 'ALLOW_ANY') f.severity = 'warning';
        out.push(f);
      }
    }
    return out;
  },
};
