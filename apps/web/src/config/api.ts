/** React Query hooks for the config-health endpoints. */
import type { ConfigListResponse, ConfigObjectResponse, FindingsResponse } from '@meshlens/model';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';
import { findingsPath, namespacesParam } from '../api/paths';
import { queryKeys } from '../api/queryKeys';

/** The API path of an object page's data. */
export function objectApiPath(ref: { kind: string; namespace: string; name: string }): string {
  return `/api/config/${encodeURIComponent(ref.kind)}/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

/** How often config health is re-read on its own pages (the server re-validates as objects change). */
const CONFIG_REFRESH_MS = 30_000;

/**
 * The findings query of some namespaces (useFindings), also prefetched by the graph route's loader, whose first picture
 * waits for them (config/useMarkedGraph.ts). An answer stays fresh a few seconds, so a page mounting just after the
 * prefetch takes it rather than asking again; the refresh interval still re-reads it.
 */
export function findingsQueryOptions(namespaces: string[] | null, involving: boolean) {
  const path = findingsPath(namespaces, involving);
  return {
    queryKey: queryKeys.findings(path.split('?')[1] ?? ''),
    queryFn: ({ signal }: { signal: AbortSignal }) => getJson<FindingsResponse>(path, signal),
    staleTime: 5_000,
  };
}

/**
 * Findings of some namespaces (all when null). `involving` adds findings of other namespaces that name an
 * object of these (the graph marks nodes with them).
 */
export function useFindings(namespaces: string[] | null, options: { involving?: boolean; refreshMs?: number; enabled?: boolean } = {}) {
  return useQuery({
    ...findingsQueryOptions(namespaces, options.involving ?? false),
    enabled: options.enabled ?? true,
    refetchInterval: options.refreshMs === undefined ? CONFIG_REFRESH_MS : options.refreshMs > 0 ? options.refreshMs : false,
    placeholderData: keepPreviousData,
    retry: 1,
  });
}

/** Every config object of the namespaces (filters other than namespaces apply in the page, instantly). */
export function useConfigList(namespaces: string[] | null) {
  const params = namespacesParam(namespaces);
  return useQuery({
    queryKey: queryKeys.config.list(params),
    queryFn: ({ signal }) => getJson<ConfigListResponse>(`/api/config${params ? `?${params}` : ''}`, signal),
    refetchInterval: CONFIG_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: 1,
  });
}

export function useConfigObject(ref: { kind: string; namespace: string; name: string }) {
  return useQuery({
    queryKey: queryKeys.config.object(ref),
    queryFn: ({ signal }) => getJson<ConfigObjectResponse>(objectApiPath(ref), signal),
    refetchInterval: CONFIG_REFRESH_MS,
    // a 404 will not turn into a 200 by asking again at once
    retry: false,
  });
}
