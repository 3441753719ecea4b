/** Which objects a config object points to, and which point to it — for the object page's links. */
import { refKey, type InventoryObject, type ObjectRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { checkIndex } from './index-build.js';
import { resolveHost, destinationRulesFor, destinationRulesIntersecting, gatewayByName, podsSelected, fqdn, arr, rec } from './lookup.js';
import { hostMatches, hostSpecificity } from '../hosts/names.js';
import type { CheckContext } from './types.js';
import { vsDestinations } from './vs-walk.js';
import { normalizeGatewayName } from '../routing/virtual-services.js';

/** The objects `ref` refers to (hosts, gateways, selected workloads) and the objects that refer to it. */
export function referencesOf(inv: Inventory, ref: ObjectRef): { references: ObjectRef[]; referencedBy: ObjectRef[] } {
  const obj = inv.byKey.get(refKey(ref));
  if (!obj) return { references: [], referencedBy: [] };
  const references = dedupe(outgoing(inv, obj), obj);
  const key = refKey(obj.ref);
  const referencedBy: ObjectRef[] = [];
  for (const other of inv.objects) {
    if (other === obj || !REFERRING_KINDS.has(other.ref.kind)) continue;
    if (outgoing(inv, other).some((r) => refKey(r) === key)) referencedBy.push({ ...other.ref });
  }
  return { references, referencedBy: dedupe(referencedBy, obj) };
}

const REFERRING_KINDS = new Set(['VirtualService', 'DestinationRule', 'Gateway', 'Sidecar', 'PeerAuthentication', 'RequestAuthentication', 'AuthorizationPolicy', 'ServiceEntry', 'Service']);

function dedupe(refs: ObjectRef[], self: InventoryObject): ObjectRef[] {
  const seen = new Set([refKey(self.ref)]);
  return refs.filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)));
}

function outgoing(inv: Inventory, obj: InventoryObject): ObjectRef[] {
  const ctx: CheckContext = { inv, idx: checkIndex(inv), read: () => {} };
  const ns = obj.ref.namespace ?? 'default';
  const spec = rec(obj.object.spec);
  const out: ObjectRef[] = [];
  const workloadsOf = (selector: unknown, namespace: string) => {
    const s = rec(selector);
    if (Object.keys(s).length === 0) return;
    for (const p of podsSelected(ctx, s, namespace)) {
      const w = inv.workloadsByKey.get(`${p.namespace}/${p.workload}`);
      const o = w?.obj ?? p.obj;
      if (o) out.push(o.ref);
    }
  };
  switch (obj.ref.kind) {
    case 'VirtualService': {
      for (const g of arr(spec.gateways)) {
        if (typeof g !== 'string' || g === 'mesh') continue;
        const gw = gatewayByName(ctx, normalizeGatewayName(g, ns));
        if (gw) out.push(gw.ref);
      }
      for (const d of vsDestinations(obj)) {
        const host = fqdn(ctx, d.host, ns);
        const e = resolveHost(ctx, host, ns);
        if (e) out.push(e.obj.ref);
        // the DestinationRules of this host by name, and the one a subset is looked up in (a wildcard one may define it);
        // not every DestinationRule whose wildcard host merely intersects
        for (const { dr } of destinationRulesFor(ctx, host)) out.push(dr.ref);
        if (d.subset !== undefined) {
          const defining = destinationRulesIntersecting(ctx, host)
            .filter(({ dr, host: h }) => hostMatches(h, host) && arr(rec(dr.object.spec).subsets).some((s) => rec(s).name === d.subset))
            .sort((a, b) => hostSpecificity(b.host) - hostSpecificity(a.host))[0];
          if (defining) out.push(defining.dr.ref);
        }
      }
      break;
    }
    case 'DestinationRule': {
      if (typeof spec.host === 'string') {
        const host = fqdn(ctx, spec.host, ns);
        const e = resolveHost(ctx, host, ns);
        if (e) out.push(e.obj.ref);
        // A DestinationRule refers to its host only. The VirtualServices that route to the host by name (and so to
        // its subsets) refer to it, and are listed as referring to it; those whose `*` (or other wildcard) host
        // merely intersects the host are neither.
      }
      break;
    }
    case 'Gateway':
      workloadsOf(spec.selector, '*');
      for (const s of arr(spec.servers)) {
        const cred = rec(rec(s).tls).credentialName;
        if (typeof cred === 'string') {
          const secret = inv.secrets.find((x) => x.ref.name === cred);
          if (secret) out.push(secret.ref);
        }
      }
      break;
    case 'Service':
      if (spec.selector) workloadsOf(spec.selector, ns);
      break;
    case 'ServiceEntry':
      workloadsOf(rec(spec.workloadSelector).labels, ns);
      break;
    default:
      workloadsOf(rec(spec.selector ?? spec.workloadSelector).matchLabels ?? rec(spec.workloadSelector).labels, ns);
      break;
  }
  return out;
}
