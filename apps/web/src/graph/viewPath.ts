/**
 * The graph request of a view, as plain functions (no React): the page's query (graph/viewQuery.ts), the route's
 * loader and the boot module (boot.ts), which starts the request before the app's code has been evaluated, all build
 * the same URL here.
 */
import { graphPath, type GraphQuery } from '../api/client';
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

/** The end of the window the graph asks for: a replay's frame (its start until one is chosen), else the URL's queryTime. */
export function graphQueryTime(view: Pick<ViewState, 'replayStart' | 'replayEnd' | 'replayAt' | 'queryTime'>): number | null {
  return view.replayStart !== null && view.replayEnd !== null ? (view.replayAt ?? view.replayStart) : view.queryTime;
}
