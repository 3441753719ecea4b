/**
 * The entity pages' API paths, in one place for the queries (api/entities.ts) and the boot module (boot.ts), which
 * starts a page's request before the app's code is evaluated: both must ask for exactly the same URL. Plain
 * functions, no React, no router.
 */
export type EntityKind = 'applications' | 'workloads' | 'services';
export const ENTITY_KINDS: readonly EntityKind[] = ['applications', 'workloads', 'services'];

/** What every entity request names: the namespaces (null: every namespace the caller sees) and the window. */
export interface EntityWindow {
  namespaces: string[] | null;
  duration: number;
  /** End of the window, unix seconds; null: now. */
  queryTime: number | null;
}

/** `namespaces=a,b&duration=600&queryTime=…`, namespaces sorted so that one selection is one cache entry. */
export function windowParams(w: Partial<EntityWindow>, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  if (w.namespaces && w.namespaces.length > 0) p.set('namespaces', [...w.namespaces].sort().join(','));
  if (w.duration !== undefined) p.set('duration', String(w.duration));
  if (w.queryTime !== undefined && w.queryTime !== null) p.set('queryTime', String(w.queryTime));
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== '') p.set(key, String(value));
  return p.toString().replace(/%2C/g, ',');
}

export const withQuery = (path: string, params: string) => (params ? `${path}?${params}` : path);

/** GET /api/overview for a window. */
export function overviewPath(w: EntityWindow): string {
  return withQuery('/api/overview', windowParams(w));
}

/** GET /api/{applications,workloads,services} for a window. */
export function entityListPath(kind: EntityKind, w: EntityWindow): string {
  return withQuery(`/api/${kind}`, windowParams(w));
}

/** `namespaces=a,b` sorted (one selection, one cache entry); empty for every namespace (null or none). */
export function namespacesParam(namespaces: string[] | null): string {
  return namespaces && namespaces.length > 0 ? `namespaces=${[...namespaces].sort().join(',')}` : '';
}

/** GET /api/findings of some namespaces (all when null); `involving` adds the other namespaces' findings that name their objects. */
export function findingsPath(namespaces: string[] | null, involving: boolean): string {
  const params = [namespacesParam(namespaces), involving && namespaces?.length ? 'include=references' : ''].filter(Boolean).join('&');
  return withQuery('/api/findings', params);
}
