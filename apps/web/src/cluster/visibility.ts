/** What a live source may not read, as sentences a person can act on (from /api/health's `visibility`). */
import type { ForbiddenAccess, HealthResponse, SourceVisibility } from '@meshlens/model';

export interface VisibilityNotice {
  /** The source (context) it concerns. */
  source: string;
  /** One line: "Not visible: namespace payments; kinds Secret, Pod." */
  summary: string;
  /** One line per verb and namespace: "cannot list virtualservices.networking.istio.io in namespace payments (RBAC: verb list)"; `message` holds the API server's words. */
  reasons: Array<{ text: string; message: string }>;
}

/** "cannot list pods in namespace payments (RBAC: verb list)"; across all namespaces when none is named. `resource` may list several. */
export function describeForbidden(f: ForbiddenAccess): string {
  const where = f.namespace ? `in namespace ${f.namespace}` : 'across all namespaces';
  return `cannot ${f.verb} ${f.resource} ${where} (RBAC: verb ${f.verb})`;
}

function summaryOf(v: SourceVisibility): string {
  const parts: string[] = [];
  if (v.hiddenNamespaces.length > 0) parts.push(`${v.hiddenNamespaces.length === 1 ? 'namespace' : 'namespaces'} ${v.hiddenNamespaces.join(', ')}`);
  if (v.hiddenKinds.length > 0) parts.push(`${v.hiddenKinds.length === 1 ? 'kind' : 'kinds'} ${v.hiddenKinds.join(', ')}`);
  if (parts.length === 0) return 'Some objects are not visible to this identity.';
  return `Not visible to this identity: ${parts.join('; ')}. The graph and findings leave them out.`;
}

/** One notice per source whose visibility is incomplete; none when every source sees everything. */
export function visibilityNotices(health: HealthResponse | undefined): VisibilityNotice[] {
  if (!health) return [];
  return health.sources
    .filter((s) => s.visibility && !s.visibility.complete)
    .map((s) => {
      const v = s.visibility!;
      // One line per verb and place: an identity denied a namespace is denied every kind there, and twenty
      // lines saying so would hide the point. The same refusal repeated (reconnects) counts once.
      const groups = new Map<string, { verb: ForbiddenAccess['verb']; namespace?: string; resources: string[]; messages: string[] }>();
      for (const f of v.forbidden) {
        const key = `${f.verb}\u0000${f.namespace ?? ''}`;
        const g = groups.get(key) ?? { verb: f.verb, namespace: f.namespace, resources: [], messages: [] };
        groups.set(key, g);
        if (g.resources.includes(f.resource)) continue;
        g.resources.push(f.resource);
        g.messages.push(f.message);
      }
      const reasons: VisibilityNotice['reasons'] = [...groups.values()].map((g) => ({
        text: describeForbidden({ kind: '', verb: g.verb, namespace: g.namespace, resource: g.resources.join(', '), message: '' }),
        message: g.messages.join('\n'),
      }));
      return { source: s.cluster ?? s.name, summary: summaryOf(v), reasons };
    });
}
