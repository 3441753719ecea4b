/** React Query hooks for the server's endpoints. */
import type { GraphResponse, HealthResponse, NamespacesResponse } from '@meshlens/model';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson, graphPath, type GraphQuery } from './client';
import { queryKeys } from './queryKeys';

export function useNamespaces() {
  return useQuery({
    queryKey: queryKeys.namespaces(),
    queryFn: ({ signal }) => getJson<NamespacesResponse>('/api/namespaces', signal),
    staleTime: 30_000,
  });
}

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health(),
    queryFn: ({ signal }) => getJson<HealthResponse>('/api/health', signal),
    // A live cluster can lose its API server: checked every 10 s (5 s while cut off), other sources every minute.
    refetchInterval: (q) => {
      const sources = q.state.data?.sources ?? [];
      if (sources.some((s) => s.disconnectedSince)) return 5_000;
      return sources.some((s) => s.kind === 'kubernetes') ? 10_000 : 60_000;
    },
  });
}

/**
 * The graph, refetched every `refreshMs` (0 = never). The previous graph stays on screen while a new
 * one loads (`keepPreviousData`), so a refresh or a change of duration does not blank the canvas.
 */
export function useGraph(query: GraphQuery | null, refreshMs: number) {
  return useQuery({
    queryKey: queryKeys.graph(query),
    queryFn: ({ signal }) => getJson<GraphResponse>(graphPath(query!), signal),
    enabled: query !== null && query.namespaces.length > 0,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    // A past window never changes: a prefetched replay frame is shown as is, not fetched again.
    staleTime: query?.queryTime != null ? Infinity : 0,
    placeholderData: keepPreviousData,
    retry: 1,
  });
}
