/** ServiceEntry look-up: which ServiceEntry a requested host belongs to, so its hosts fold into one node. */
import type { InventoryObject, ServiceEntryInfo } from '@meshlens/model';
import type { Inventory } from '../inventory/index.js';
import { hostMatches } from './hosts.js';
import { compareStrings } from './compare.js';

export interface ServiceEntryView {
  obj: InventoryObject;
  namespace: string;
  name: string;
  hosts: string[];
  info: ServiceEntryInfo;
  exportTo?: string[];
}

export interface ServiceEntryIndex {
  exact: Map<string, ServiceEntryView[]>;
  wildcard: ServiceEntryView[];
}

/** Indexes every ServiceEntry by exact host, keeping wildcard ones aside. */
export function indexServiceEntries(inv: Inventory): ServiceEntryIndex {
  const index: ServiceEntryIndex = { exact: new Map(), wildcard: [] };
  for (const obj of inv.istio.ServiceEntry) {
    const spec = obj.object.spec ?? {};
    const hosts: string[] = (Array.isArray(spec.hosts) ? spec.hosts : []).filter((h: unknown): h is string => typeof h === 'string').map((h: string) => h.toLowerCase());
    if (hosts.length === 0) continue;
    const namespace = obj.ref.namespace ?? 'default';
    const ports = (Array.isArray(spec.ports) ? spec.ports : [])
      .filter((p: any) => typeof p?.number === 'number')
      .map((p: any) => ({ number: p.number, ...(typeof p.protocol === 'string' ? { protocol: p.protocol } : {}), ...(typeof p.name === 'string' ? { name: p.name } : {}) }));
    const info: ServiceEntryInfo = {
      hosts: [...hosts].sort(),
      location: spec.location === 'MESH_INTERNAL' ? 'MESH_INTERNAL' : 'MESH_EXTERNAL',
      namespace,
      name: obj.ref.name,
      // Istio's default resolution is NONE.
      resolution: typeof spec.resolution === 'string' ? spec.resolution : 'NONE',
      ...(ports.length > 0 ? { ports } : {}),
    };
    const view: ServiceEntryView = { obj, namespace, name: obj.ref.name, hosts, info, exportTo: Array.isArray(spec.exportTo) ? spec.exportTo.map(String) : undefined };
    for (const h of hosts) {
      if (h.startsWith('*')) index.wildcard.push(view);
      else {
        const list = index.exact.get(h) ?? [];
        list.push(view);
        index.exact.set(h, list);
      }
    }
  }
  return index;
}

/** True when the ServiceEntry is visible to a client in `namespace` (`exportTo` empty/`*`, `.` = own namespace, `~` = nobody). */
function visibleTo(se: ServiceEntryView, namespace: string | undefined): boolean {
  if (!se.exportTo || se.exportTo.length === 0) return true;
  return se.exportTo.some((e) => e === '*' || e === namespace || (e === '.' && se.namespace === namespace));
}

/**
 * The ServiceEntry a destination host belongs to, as seen from the client's namespace: exact hosts before
 * wildcards, the client's own namespace first, then by namespace/name so the answer is stable.
 */
export function serviceEntryFor(index: ServiceEntryIndex, host: string, clientNamespace: string | undefined): ServiceEntryView | undefined {
  const h = host.toLowerCase();
  const pick = (list: ServiceEntryView[]) => list
    .filter((se) => visibleTo(se, clientNamespace))
    .sort((a, b) => Number(b.namespace === clientNamespace) - Number(a.namespace === clientNamespace) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name))[0];
  const exact = index.exact.get(h);
  if (exact) {
    const hit = pick(exact);
    if (hit) return hit;
  }
  if (index.wildcard.length === 0) return undefined;
  return pick(index.wildcard.filter((se) => se.hosts.some((p) => p.startsWith('*') && hostMatches(p, h))));
}
