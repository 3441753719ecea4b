/** The Overview: one entry per namespace (health, traffic, mTLS, injection, findings) and the control plane. */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { overviewQuery } from '../../api/entities';
import { queryClient } from '../../api/queryClient';
import { overviewStateFromSearch, validateOverviewSearch } from '../../pages/overview/overviewSearch';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

export const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/overview',
  validateSearch: validateOverviewSearch,
  search: { middlewares: [retainWindow] },
  // The page's query starts with its code, not after it (never awaited: the page shows its own progress).
  loaderDeps: ({ search }) => overviewStateFromSearch(search),
  loader: ({ deps }) => {
    void queryClient.prefetchQuery(overviewQuery({ namespaces: null, duration: deps.duration, queryTime: deps.queryTime }));
  },
  component: lazyRouteComponent(() => import('../../pages/overview/OverviewPage'), 'OverviewPage'),
});
