/**
 * The graph as the page views it: the API's graph query plus the view the server applies on top of assembly (node
 * budget, open groups, neighbourhood; packages/mesh/src/graph/groups.ts). Those parameters travel inside the query
 * object, so the React Query key (the whole object) tells apart two views of the same graph.
 */
import type { GraphResponse } from '@meshlens/model';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson, graphPath, type GraphQuery } from '../api/client';
import { queryKeys } from '../api/queryKeys';

export interface GraphViewQuery extends GraphQuery {
  /** Visible nodes above which groups collapse; 0 = never. */
  budget?: number;
  /** Open groups (`ns` or `ns/app`), sorted. */
  expand?: string[];
  /** Neighbourhood centre and reach (both or neither). */
  focus?: string;
  hops?: number;
}

/** `/api/graph?…` with the view parameters. */
export function graphViewPath(query: GraphViewQuery): string {
  const base = graphPath(query);
  const p = new URLSearchParams();
  if (query.budget !== undefined) p.set('budget', String(query.budget));
  if (query.expand && query.expand.length > 0) p.set('expand', query.expand.join(','));
  if (query.focus && query.hops) {
    p.set('focus', query.focus);
    p.set('hops', String(query.hops));
  }
  const extra = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/');
  return extra ? `${base}&${extra}` : base;
}

/** The viewed graph, refetched every `refreshMs`; the previous one stays on screen while the next loads. */
export function useGraphView(query: GraphViewQuery | null, refreshMs: number) {
  return useQuery({
    queryKey: queryKeys.graph(query),
    queryFn: ({ signal }) => getJson<GraphResponse>(graphViewPath(query!), signal),
    enabled: query !== null && query.namespaces.length > 0,
    refetchInterval: refreshMs > 0 ? refreshMs : false,
    staleTime: query?.queryTime != null ? Infinity : 0,
    placeholderData: keepPreviousData,
    retry: 1,
  });
}
