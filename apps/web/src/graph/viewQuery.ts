/**
 * The graph as the page views it: the API's graph query plus the view the server applies on top of assembly (node
 * budget, open groups, neighbourhood; packages/mesh/src/graph/groups.ts). Those parameters travel inside the query
 * object, so the React Query key (the whole object) tells apart two views of the same graph.
 */
import type { GraphResponse } from '@meshlens/model';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { graphViewPath, type GraphViewQuery } from './viewPath';

/**
 * A live graph's answer is fresh for this long: the route's loader asks for it while the page's code loads, and the
 * page mounting a moment later takes it rather than asking again. Its refresh interval still refetches it.
 */
const LIVE_FRESH_MS = 5_000;

/** The options of a view's graph query, shared by the page's useQuery and the loader's prefetch. */
export function graphViewQueryOptions(query: GraphViewQuery | null) {
  return {
    queryKey: queryKeys.graph(query),
    queryFn: ({ signal }: { signal: AbortSignal }) => getJson<GraphResponse>(graphViewPath(query!), signal),
    staleTime: query?.queryTime != null ? Infinity : LIVE_FRESH_MS,
    retry: 1,
  };
}

/** The viewed graph, refetched every `refreshMs`; the previous one stays on screen while the next loads. */
export function useGraphView(query: GraphViewQuery | null, refreshMs: number) {
  return useQuery({
    ...graphViewQueryOptions(query),
    enabled: query !== null && query.namespaces.length > 0,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    placeholderData: keepPreviousData,
  });
}
