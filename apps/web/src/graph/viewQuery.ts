/**
 * The graph as the page views it: the API's graph query plus the view the server applies on top of assembly (node
 * budget, open groups, neighbourhood; packages/mesh/src/graph/groups.ts). Those parameters travel inside the query
 * object, so the React Query key (the whole object) tells apart two views of the same graph.
 */
import type { GraphResponse } from '@meshlens/model';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson, graphPath, type GraphQuery } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import type { ViewState } from '../url/viewState';

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

/**
 * The graph query of a view: its namespaces (`selected`: the URL's, or the default selection), the end of its window
 * (`queryTime`, a replay's frame winning: time/useGraphTime.ts) and the view's parameters. The page and the route's
 * loader (router/routes/graph.ts, which starts the request with the page's code) both ask through it, so the two
 * share one cache entry. Null when nothing is selected.
 */
export function graphViewQuery(view: ViewState, selected: readonly string[], queryTime: number | null): GraphViewQuery | null {
  if (selected.length === 0) return null;
  const around = view.hops && view.focus ? view.focus : undefined;
  return {
    namespaces: [...selected].sort(), graphType: view.graphType, duration: view.duration, queryTime, includeIdle: view.idle, showWaypoints: view.waypoints, responseTimes: view.edgeLabels === 'responseTime',
    budget: view.budget, expand: [...view.expand].sort(), ...(around ? { focus: around, hops: view.hops! } : {}),
  };
}

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
