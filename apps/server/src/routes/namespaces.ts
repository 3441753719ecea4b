/** `GET /api/namespaces` and `GET /api/health`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HealthResponse, NamespaceInfo, NamespacesResponse } from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';
import { VERSION } from '../version.js';

/** Control-plane namespaces, left out of default selections. */
const SYSTEM_NAMESPACES = new Set(['istio-system', 'kube-system', 'kube-public', 'kube-node-lease']);
/** Above this many application namespaces nothing is selected by default: the user picks. */
const MAX_DEFAULT_NAMESPACES = 6;

function defaultSelection(source: MeshSource, names: string[]): string[] {
  const known = new Set(names);
  const preferred = source.defaultNamespaces?.filter((n) => known.has(n));
  if (preferred && preferred.length > 0) return preferred;
  const apps = names.filter((n) => !SYSTEM_NAMESPACES.has(n));
  return apps.length <= MAX_DEFAULT_NAMESPACES ? apps : [];
}

export function inventoryRoutes(source: MeshSource): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/namespaces', async (): Promise<NamespacesResponse> => {
      const inv = source.inventory();
      const counts = new Map<string, NamespaceInfo['counts']>();
      const count = (ns: string) => {
        let c = counts.get(ns);
        if (!c) counts.set(ns, (c = { services: 0, workloads: 0, istioObjects: 0 }));
        return c;
      };
      for (const s of inv.services) count(s.namespace).services++;
      for (const w of inv.workloads) count(w.namespace).workloads++;
      for (const list of Object.values(inv.istio)) for (const o of list) if (o.ref.namespace) count(o.ref.namespace).istioObjects++;
      const namespaces = [...inv.namespaces.values()]
        .map((ns) => ({ name: ns.name, labels: ns.labels, injection: ns.injection, counts: count(ns.name) }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { namespaces, defaultNamespaces: defaultSelection(source, namespaces.map((n) => n.name)) };
    });

    // Public, for the kubelet's probes: without an identity it says only that the server is up, nothing about
    // the cluster (per-source details, namespaces and errors need a session in token and header modes).
    app.get('/api/health', { config: { public: true } }, async (req): Promise<HealthResponse> => {
      if (!req.identified) return { status: 'ok', version: VERSION, sources: [] };
      const status = source.status();
      // A live cluster cut off from its API server still answers from its last inventory: degraded, not down.
      return { status: status.state === 'ready' && status.connected !== false ? 'ok' : 'degraded', version: VERSION, sources: [status] };
    });
  };
}
