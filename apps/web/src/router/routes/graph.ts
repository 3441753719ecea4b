/** The traffic graph, at `/graph` (`/` is the Overview). Its view state is url/viewState.ts. */
import { createRoute, lazyRouteComponent, redirect, retainSearchParams } from '@tanstack/react-router';
import { queryClient } from '../../api/queryClient';
import { findingsQueryOptions } from '../../config/api';
import { graphViewQueryOptions } from '../../graph/viewQuery';
import { graphQueryTime, graphViewQuery } from '../../graph/viewPath';
import { validateGraphSearch, viewFromSearch } from '../../url/viewState';
import { validateWhatIfSearch, type WhatIfSearch } from '../../drafts/whatIfMode';
import { retainWindow } from '../carry';
import type { RawSearch } from '../search';
import { rootRoute } from '../root';

const GraphPage = lazyRouteComponent(() => import('../../pages/graph/GraphPage'), 'GraphPage');

/** The graph's view (url/viewState.ts) and its what-if mode, `whatif=drafts|compare` (drafts/whatIfMode.ts). */
const validateGraphRouteSearch = (raw: RawSearch) => ({ ...validateGraphSearch(raw), ...validateWhatIfSearch(raw) });

export const graphRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/graph',
  validateSearch: validateGraphRouteSearch,
  // the view's own updates name every view key but not `whatif`: it stays until the mode control changes it
  search: { middlewares: [retainWindow, retainSearchParams<WhatIfSearch>(['whatif'])] },
  // With its namespaces in the URL, the graph's requests (the graph and the findings marking it) start with the page's
  // code, not after it: the answers are there when the page mounts (graph/viewQuery.ts). Only when nothing is cached
  // for the view: the loader runs on every change of the URL (a pan, a zoom), and refreshing is the page's own
  // interval. Never awaited: the page shows its own progress. Without namespaces the page picks the default selection
  // from the namespace list first.
  loaderDeps: ({ search }) => {
    const view = viewFromSearch(search);
    return { query: view.namespaces ? graphViewQuery(view, view.namespaces, graphQueryTime(view)) : null };
  },
  loader: ({ deps: { query } }) => {
    if (!query) return;
    void queryClient.ensureQueryData(graphViewQueryOptions(query)).catch(() => undefined);
    // The first picture also waits for the findings that mark its nodes (config/useMarkedGraph.ts).
    void queryClient.ensureQueryData(findingsQueryOptions(query.namespaces, true)).catch(() => undefined);
  },
  component: GraphPage,
});

/**
 * `/`: the landing page redirects to the Overview. A link written when `/` was the graph (graph keys such as
 * `graphType`, `focus`, `edgeLabels`) still opens the graph, at `/graph`, with the same view.
 */
const WINDOW_OR_SCOPE = new Set(['namespaces', 'duration', 'queryTime', 'cluster', 'snapshot']);

export const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: validateGraphRouteSearch,
  beforeLoad: ({ search }) => {
    const graphView = Object.keys(search).some((key) => !WINDOW_OR_SCOPE.has(key));
    throw redirect({ to: graphView ? '/graph' : '/overview', search: search as never, replace: true });
  },
});
