/**
 * The one query-key factory: every cached answer of the API has its key here, one entry per resource, so a
 * prefetch, an invalidation or a test names exactly what a hook reads. main.tsx prefixes every key with the scope
 * (`cluster=`, `snapshot=`) when hashing it: keys here never carry it.
 */
import type { GraphQuery } from './client';
import type { MetricsSubject } from '../charts/metricsTarget';

export const queryKeys = {
  auth: () => ['auth'] as const,
  health: () => ['health'] as const,
  clusters: () => ['clusters'] as const,
  namespaces: () => ['namespaces'] as const,
  timeOptions: () => ['time-options'] as const,
  graph: (query: GraphQuery | null) => ['graph', query] as const,
  /** A node's or an edge's series over a window; `queryTime` null: a live window (its key has no "now"). */
  metrics: (subject: MetricsSubject | null, duration: number, queryTime: number | null) => ['metrics', subject, duration, queryTime ?? 'live'] as const,
  /** `params`: the query string of `/api/findings` (namespaces, include). */
  findings: (params: string) => ['findings', params] as const,
  config: {
    all: () => ['config'] as const,
    /** `params`: the query string of `/api/config` (namespaces). */
    list: (params: string) => ['config', 'list', params] as const,
    object: (ref: { kind: string; namespace: string; name: string }) => ['config', 'object', ref.kind, ref.namespace, ref.name] as const,
  },

  // --- Entity pages (Overview, lists, details, logs: api/entities.ts) -------------------------------------------
  // `params` is always the request's own query string, so one key is one request.
  entities: {
    all: () => ['entities'] as const,
    overview: (params: string) => ['entities', 'overview', params] as const,
    /** `kind`: applications | workloads | services. */
    list: (kind: string, params: string) => ['entities', 'list', kind, params] as const,
    detail: (kind: string, namespace: string, name: string, params: string) => ['entities', 'detail', kind, namespace, name, params] as const,
    graph: (kind: string, namespace: string, name: string, params: string) => ['entities', 'graph', kind, namespace, name, params] as const,
    logs: (namespace: string, pod: string, params: string) => ['entities', 'logs', namespace, pod, params] as const,
  },
  // --- end of the entity pages' keys ------------------------------------------------------------------------------

  // --- The route tracer (api/trace.ts) ----------------------------------------------------------------------------
  trace: {
    all: () => ['trace'] as const,
    /** `params`: the query string of `/api/trace` (pages/trace/traceSearch.ts `traceParams`). */
    result: (params: string) => ['trace', 'result', params] as const,
    /** `q`: the text the suggestions contain ('' for all, within the server's bounds). */
    suggestions: (q: string) => ['trace', 'suggestions', q] as const,
  },
};
