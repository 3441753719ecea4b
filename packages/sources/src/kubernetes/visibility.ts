/** What RBAC hides from the source, summed up from each kind's 403s. */
import { refKindOf, type ForbiddenAccess, type SourceVisibility } from '@meshlens/model';
import type { KindWatch } from './kind-watch.js';
import { apiVersionOf } from './resources.js';

export function visibilityOf(watches: KindWatch[]): SourceVisibility {
  const forbidden: ForbiddenAccess[] = [];
  const hiddenKinds = new Set<string>();
  const hiddenNamespaces = new Set<string>();
  for (const w of watches) {
    const r = w.resource;
    const resource = r.group ? `${r.resource}.${r.group}` : r.resource;
    // the kind as refs carry it: a hidden Gateway API Gateway does not hide Istio's Gateways
    const kind = refKindOf(apiVersionOf(r), r.kind);
    const denied = w.forbidden();
    for (const d of denied) {
      forbidden.push({ kind, resource, verb: d.verb, ...(d.namespace !== undefined ? { namespace: d.namespace } : r.namespace ? { namespace: r.namespace } : {}), message: d.message });
      if (d.namespace !== undefined) hiddenNamespaces.add(d.namespace);
    }
    const open = [...w.reflectors.values()].filter((x) => x.state !== 'forbidden').length;
    if (denied.length > 0 && open === 0) hiddenKinds.add(kind);
  }
  return { complete: forbidden.length === 0, hiddenKinds: [...hiddenKinds].sort(), hiddenNamespaces: [...hiddenNamespaces].sort(), forbidden };
}
