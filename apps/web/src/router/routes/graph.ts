/** The traffic graph, at `/graph` (`/` is the Overview). Its view state is url/viewState.ts. */
import { createRoute, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { validateGraphSearch } from '../../url/viewState';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

const GraphPage = lazyRouteComponent(() => import('../../pages/graph/GraphPage'), 'GraphPage');

export const graphRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/graph',
  validateSearch: validateGraphSearch,
  search: { middlewares: [retainWindow] },
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
  validateSearch: validateGraphSearch,
  beforeLoad: ({ search }) => {
    const graphView = Object.keys(search).some((key) => !WINDOW_OR_SCOPE.has(key));
    throw redirect({ to: graphView ? '/graph' : '/overview', search: search as never, replace: true });
  },
});
