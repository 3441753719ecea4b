/** The traffic graph, at `/graph` (`/` is the Overview). Its view state is url/viewState.ts. */
import { createRoute, lazyRouteComponent, redirect, retainSearchParams } from '@tanstack/react-router';
import { validateGraphSearch } from '../../url/viewState';
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
